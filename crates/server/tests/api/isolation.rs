//! Tenant isolation: every endpoint tried with another seller's identifiers answers like a missing one.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::{DEMO_SELLER, EXAMPLE, OTHER_SELLER, TestServer, code, showcase};

#[tokio::test]
async fn another_sellers_identifiers_are_not_found_everywhere_and_change_nothing() {
    let server = TestServer::demo().await;
    let mine = server.token(DEMO_SELLER).await;
    let other = server.token(OTHER_SELLER).await;
    let target = showcase(24);
    let version = server.version(&mine, &target).await;
    let missing = "00000000-0000-1";
    for pn in [target.as_str(), missing] {
        let (status, problem, _) = server
            .intent(
                &format!("/api/v1/shipments/{pn}/cancel"),
                &other,
                &format!("x-{pn}"),
                Some(version),
                json!({"reason": "customer_request"}),
            )
            .await;
        assert_eq!(
            (status, code(&problem)),
            (StatusCode::NOT_FOUND, "not_found"),
            "cancel {pn}"
        );
        assert!(
            problem.get("shipment").is_none(),
            "nothing of the shipment leaks"
        );
        let plan = json!({"parcels": [[{"sku": "1004", "quantity": 3}], [{"sku": "1004", "quantity": 2}, {"sku": "1001", "quantity": 1}]]});
        let (status, problem, _) = server
            .intent(
                &format!("/api/v1/shipments/{pn}/split"),
                &other,
                &format!("y-{pn}"),
                Some(version),
                plan,
            )
            .await;
        assert_eq!(
            (status, code(&problem)),
            (StatusCode::NOT_FOUND, "not_found"),
            "split {pn}"
        );
    }
    let (status, problem) = server
        .send(
            Method::POST,
            &format!("/api/v1/dev/shipments/{EXAMPLE}/status"),
            Some(&other),
            Some(json!({"status": "delivered"})),
        )
        .await;
    assert_eq!(
        (status, code(&problem)),
        (StatusCode::NOT_FOUND, "not_found")
    );
    let (status, problem) = server
        .send(
            Method::POST,
            "/api/v1/delivery-geography/exclusions",
            Some(&mine),
            Some(json!({"country": "RU", "city": "Kazan"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{problem}");
    let (status, _) = server
        .send(
            Method::DELETE,
            "/api/v1/delivery-geography/exclusions/RU/Kazan",
            Some(&other),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    assert_eq!(
        server.version(&mine, &target).await,
        version,
        "the shipment did not change"
    );
    let (_, example) = server
        .get(&format!("/api/v1/shipments/{EXAMPLE}"), &mine)
        .await;
    assert_eq!(example["status"], "in_transit");
    let (_, geography) = server.get("/api/v1/delivery-geography", &mine).await;
    assert_eq!(
        geography["exclusions"],
        json!([{"country": "RU", "city": "Kazan"}])
    );
}

#[tokio::test]
async fn the_event_stream_carries_only_the_sellers_own_shipments() {
    let server = TestServer::demo().await;
    let mine = server.token(DEMO_SELLER).await;
    let other = server.token(OTHER_SELLER).await;
    let mut their_events = server.events(&other).await;
    let pn = showcase(5);
    let version = server.version(&mine, &pn).await;
    let (status, _, _) = server
        .intent(
            &format!("/api/v1/shipments/{pn}/cancel"),
            &mine,
            "iso-1",
            Some(version),
            json!({"reason": "customer_request"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // The other seller's own change follows; its stream must show it, and nothing of the first seller's.
    let (_, page) = server.get("/api/v1/shipments?status=awaiting_packaging,awaiting_shipment,ready_for_shipment&limit=1", &other).await;
    let theirs = page["items"][0]["posting_number"]
        .as_str()
        .expect("a shipment of theirs")
        .to_owned();
    let their_version = page["items"][0]["version"].as_u64().expect("a version");
    let (status, _, _) = server
        .intent(
            &format!("/api/v1/shipments/{theirs}/cancel"),
            &other,
            "iso-2",
            Some(their_version),
            json!({"reason": "customer_request"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let first = their_events.next_shipment().await;
    assert_eq!(
        first.posting_number, theirs,
        "the first event they see is their own"
    );

    let response = server
        .client
        .get(server.url("/api/v1/events"))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let response = server
        .client
        .get(server.url(&format!("/api/v1/events?access_token={mine}")))
        .send()
        .await
        .expect("an answer");
    assert_eq!(
        response.status(),
        StatusCode::BAD_REQUEST,
        "a token in the URL is refused, never read: it would end up in logs and histories"
    );
    let response = server
        .client
        .get(server.url("/api/v1/events"))
        .bearer_auth(&mine)
        .header("accept-encoding", "gzip, br")
        .send()
        .await
        .expect("an answer");
    assert!(
        response.headers().get("content-encoding").is_none(),
        "the stream is never buffered by compression"
    );
    assert_eq!(response.headers()["content-type"], "text/event-stream");
}

//! Cancelling one shipment: idempotency, versions, the rules, the stock reset, and the provider.

use domain::fixture::{Decision, ProviderDecision};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::{DEMO_SELLER, EXAMPLE, TestServer, code, showcase, stock, with_fixture};

fn cancel_path(posting_number: &str) -> String {
    format!("/api/v1/shipments/{posting_number}/cancel")
}

#[tokio::test]
async fn out_of_stock_cancels_at_once_resets_stock_and_replays_without_acting_twice() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    let pn = showcase(26);
    let version = server.version(&token, &pn).await;
    assert!(stock(&server, &token, "1007", "wh-guangzhou").await > 0);
    let shenzhen_before = stock(&server, &token, "1007", "wh-shenzhen").await;
    assert!(shenzhen_before > 0);

    let body = json!({"reason": "out_of_stock"});
    let (status, first, headers) = server
        .intent(
            &cancel_path(&pn),
            &token,
            "k-1",
            Some(version),
            body.clone(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert!(headers.get("idempotent-replayed").is_none());
    assert_eq!(first["status"], "cancelled");
    assert_eq!(first["version"].as_u64(), Some(version + 1));
    assert_eq!(first["cancellation"]["state"], "cancelled");
    assert_eq!(first["cancellation"]["initiator"], "seller");
    assert_eq!(first["cancellation"]["reason"], "out_of_stock");
    assert_eq!(first["eligibility"]["blocked"], "already_cancelled");
    assert_eq!(stock(&server, &token, "1007", "wh-guangzhou").await, 0);
    assert_eq!(stock(&server, &token, "1008", "wh-guangzhou").await, 0);
    assert_eq!(
        stock(&server, &token, "1007", "wh-shenzhen").await,
        shenzhen_before,
        "other warehouses keep theirs"
    );

    let (status, replay, headers) = server
        .intent(
            &cancel_path(&pn),
            &token,
            "k-1",
            Some(version),
            body.clone(),
        )
        .await;
    assert_eq!(
        (status, &replay),
        (StatusCode::OK, &first),
        "a replay answers the stored response"
    );
    assert_eq!(headers["idempotent-replayed"], "true");

    let other = json!({"reason": "customer_request"});
    let (status, reused, _) = server
        .intent(&cancel_path(&pn), &token, "k-1", Some(version), other)
        .await;
    assert_eq!(
        (status, code(&reused)),
        (StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused")
    );

    let (status, stale, _) = server
        .intent(
            &cancel_path(&pn),
            &token,
            "k-2",
            Some(version),
            body.clone(),
        )
        .await;
    assert_eq!(
        (status, code(&stale)),
        (StatusCode::PRECONDITION_FAILED, "version_mismatch")
    );
    assert_eq!(
        stale["shipment"]["version"].as_u64(),
        Some(version + 1),
        "412 carries the current shipment"
    );
    assert_eq!(stale["shipment"]["status"], "cancelled");

    let (status, again, _) = server
        .intent(&cancel_path(&pn), &token, "k-3", Some(version + 1), body)
        .await;
    assert_eq!(
        (status, code(&again)),
        (StatusCode::UNPROCESSABLE_ENTITY, "already_cancelled")
    );
    assert_eq!(again["shipment"]["posting_number"], pn.as_str());

    let cancellations = server
        .count(
            "SELECT count(*) FROM cancellations c JOIN shipments s ON s.id = c.shipment_id WHERE s.posting_number = $1",
            &pn,
        )
        .await;
    assert_eq!(cancellations, 1);
}

#[tokio::test]
async fn headers_are_required_and_checked() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    let pn = showcase(5);
    let version = server.version(&token, &pn).await;
    let body = json!({"reason": "customer_request"});

    let (status, problem, _) = server
        .intent(&cancel_path(&pn), &token, "k", None, body.clone())
        .await;
    assert_eq!(
        (status, code(&problem)),
        (StatusCode::PRECONDITION_REQUIRED, "precondition_required")
    );

    let response = server
        .client
        .post(server.url(&cancel_path(&pn)))
        .bearer_auth(&token)
        .header("if-match", format!("\"{version}\""))
        .json(&body)
        .send()
        .await
        .expect("an answer");
    let (status, problem) = crate::common::read(response).await;
    assert_eq!(
        (status, code(&problem)),
        (StatusCode::BAD_REQUEST, "idempotency_key_required")
    );

    for (key, if_match) in [
        ("k", "3"),
        ("k", "\"three\""),
        ("k", "W/\"1\""),
        ("with space", "\"1\""),
        (&*"k".repeat(300), "\"1\""),
    ] {
        let response = server
            .client
            .post(server.url(&cancel_path(&pn)))
            .bearer_auth(&token)
            .header("idempotency-key", key)
            .header("if-match", if_match)
            .json(&body)
            .send()
            .await
            .expect("an answer");
        let (status, problem) = crate::common::read(response).await;
        assert_eq!(
            (status, code(&problem)),
            (StatusCode::BAD_REQUEST, "malformed_request"),
            "{key} {if_match}"
        );
    }
    let non_ascii = reqwest::header::HeaderValue::from_bytes("ключ".as_bytes())
        .expect("obs-text is a valid value");
    let response = server
        .client
        .post(server.url(&cancel_path(&pn)))
        .bearer_auth(&token)
        .header("idempotency-key", non_ascii)
        .header("if-match", format!("\"{version}\""))
        .json(&body)
        .send()
        .await
        .expect("an answer");
    let (status, problem) = crate::common::read(response).await;
    assert_eq!(
        (status, code(&problem)),
        (StatusCode::BAD_REQUEST, "malformed_request")
    );
    assert_eq!(
        server.version(&token, &pn).await,
        version,
        "nothing changed"
    );
}

#[tokio::test]
async fn the_rules_refuse_with_their_code_and_the_current_shipment() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    let cases: Vec<(String, Value, &str)> = vec![
        (
            showcase(5),
            json!({"reason": "lost_by_carrier"}),
            "reason_not_offered",
        ),
        (
            showcase(1),
            json!({"reason": "out_of_stock"}),
            "reason_not_offered",
        ),
        (
            showcase(1),
            json!({"reason": "undeliverable_address"}),
            "reason_not_offered",
        ),
        (
            showcase(12),
            json!({"reason": "customer_request"}),
            "china_post_in_transit",
        ),
        (
            showcase(13),
            json!({"reason": "customer_request"}),
            "in_transit_not_partner",
        ),
        (
            showcase(14),
            json!({"reason": "customer_request"}),
            "delivered",
        ),
        (
            showcase(17),
            json!({"reason": "customer_request"}),
            "already_cancelled",
        ),
        (
            showcase(20),
            json!({"reason": "customer_request"}),
            "cancellation_pending",
        ),
    ];
    for (i, (pn, body, expected)) in cases.into_iter().enumerate() {
        let version = server.version(&token, &pn).await;
        let (status, problem, _) = server
            .intent(
                &cancel_path(&pn),
                &token,
                &format!("rule-{i}"),
                Some(version),
                body,
            )
            .await;
        assert_eq!(
            (status, code(&problem)),
            (StatusCode::UNPROCESSABLE_ENTITY, expected),
            "{pn}: {problem}"
        );
        assert_eq!(
            problem["shipment"]["version"].as_u64(),
            Some(version),
            "{pn}"
        );
    }
    let pn = showcase(5);
    let version = server.version(&token, &pn).await;
    let comments = [
        (json!({"reason": "other"}), "comment_required"),
        (
            json!({"reason": "other", "comment": "   "}),
            "comment_required",
        ),
        (
            json!({"reason": "other", "comment": "x".repeat(501)}),
            "comment_too_long",
        ),
        (
            json!({"reason": "other", "comment": "y".repeat(10_000)}),
            "comment_too_long",
        ),
        (
            json!({"reason": "other", "comment": "line\u{0}break"}),
            "comment_control_characters",
        ),
        (
            json!({"reason": "customer_request", "comment": "tab\there"}),
            "comment_control_characters",
        ),
    ];
    for (i, (body, expected)) in comments.into_iter().enumerate() {
        let (status, problem, _) = server
            .intent(
                &cancel_path(&pn),
                &token,
                &format!("c-{i}"),
                Some(version),
                body,
            )
            .await;
        assert_eq!(
            (status, code(&problem)),
            (StatusCode::UNPROCESSABLE_ENTITY, expected)
        );
    }
    let exact = json!({"reason": "other", "comment": format!("  {}  ", "é".repeat(500))});
    let (status, done, _) = server
        .intent(&cancel_path(&pn), &token, "ok", Some(version), exact)
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "500 characters after trimming are allowed: {done}"
    );
    assert_eq!(
        done["cancellation"]["comment"]
            .as_str()
            .map(|c| c.chars().count()),
        Some(500)
    );
}

#[tokio::test]
async fn bad_input_is_a_4xx_problem_never_a_5xx() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    let pn = showcase(5);
    let version = server.version(&token, &pn).await;
    let raw_bodies: Vec<(&str, String)> = vec![
        ("malformed JSON", "{\"reason\": ".to_owned()),
        ("not an object", "[1, 2]".to_owned()),
        ("wrong type", "{\"reason\": 352}".to_owned()),
        (
            "wrong comment type",
            "{\"reason\": \"other\", \"comment\": 7}".to_owned(),
        ),
        ("unknown reason", "{\"reason\": \"bored\"}".to_owned()),
        (
            "unknown field",
            "{\"reason\": \"other\", \"comment\": \"x\", \"force\": true}".to_owned(),
        ),
        ("empty", String::new()),
        (
            "huge",
            format!(
                "{{\"reason\": \"other\", \"comment\": \"{}\"}}",
                "z".repeat(200_000)
            ),
        ),
        (
            "invalid UTF-8 escape",
            "{\"reason\": \"other\", \"comment\": \"\\ud800\"}".to_owned(),
        ),
    ];
    for (what, raw) in raw_bodies {
        let response = server
            .client
            .post(server.url(&cancel_path(&pn)))
            .bearer_auth(&token)
            .header("idempotency-key", format!("bad-{what}"))
            .header("if-match", format!("\"{version}\""))
            .header("content-type", "application/json")
            .body(raw)
            .send()
            .await
            .expect("an answer");
        let (status, problem) = crate::common::read(response).await;
        assert!(status.is_client_error(), "{what}: {status}");
        let expected = if what == "huge" {
            "payload_too_large"
        } else {
            "malformed_request"
        };
        assert_eq!(code(&problem), expected, "{what}: {problem}");
    }
    let response = server
        .client
        .post(server.url(&cancel_path(&pn)))
        .bearer_auth(&token)
        .header("idempotency-key", "no-type")
        .header("if-match", format!("\"{version}\""))
        .body("{\"reason\": \"other\"}")
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // A raw request with a control character inside a header value is refused before any handler.
    let raw = format!(
        "POST {} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nIdempotency-Key: a\u{1}b\r\nIf-Match: \"{version}\"\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{{}}",
        cancel_path(&pn)
    );
    let answer = raw_request(&server, &raw).await;
    let status_line = answer.lines().next().unwrap_or_default().to_owned();
    assert!(status_line.contains(" 4"), "{status_line}");
    assert_eq!(
        server.version(&token, &pn).await,
        version,
        "nothing changed"
    );
}

async fn raw_request(server: &TestServer, raw: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut socket = tokio::net::TcpStream::connect(server.base.trim_start_matches("http://"))
        .await
        .expect("a socket");
    socket.write_all(raw.as_bytes()).await.expect("written");
    let mut answer = vec![0u8; 4096];
    let read = socket.read(&mut answer).await.expect("an answer");
    String::from_utf8_lossy(&answer[..read]).into_owned()
}

fn quick(decision: Decision, message: Option<&str>) -> ProviderDecision {
    ProviderDecision {
        decision,
        after_ms: 50,
        message: message.map(str::to_owned),
    }
}

#[tokio::test]
async fn in_transit_cancellation_is_a_provider_request_answered_later_over_the_event_stream() {
    let approve = EXAMPLE.to_owned();
    let reject = showcase(11);
    let (a, r) = (approve.clone(), reject.clone());
    let server = with_fixture(move |fixture| {
        for shipment in &mut fixture.sellers[0].shipments {
            if shipment.posting_number == a {
                shipment.provider_decision = Some(quick(Decision::Approve, None));
            } else if shipment.posting_number == r {
                shipment.provider_decision = Some(quick(
                    Decision::Reject,
                    Some("Already at the customs office"),
                ));
            }
        }
    })
    .await;
    let token = server.token(DEMO_SELLER).await;
    let mut events = server.events(&token).await;

    let version = server.version(&token, &approve).await;
    let (status, requested, _) = server
        .intent(
            &cancel_path(&approve),
            &token,
            "req-1",
            Some(version),
            json!({"reason": "lost_by_carrier"}),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{requested}");
    assert_eq!(requested["status"], "in_transit");
    assert_eq!(requested["cancellation"]["state"], "requested");
    assert_eq!(requested["eligibility"]["blocked"], "cancellation_pending");
    let update = events.shipment(&approve).await;
    let update = if update.cancellation.as_ref().is_some_and(|c| c.is_pending()) {
        events.shipment(&approve).await
    } else {
        update
    };
    assert_eq!(update.status, domain::Status::Cancelled);
    let cancellation = update.cancellation.expect("a cancellation");
    assert_eq!(cancellation.state, domain::CancellationState::Cancelled);
    assert!(cancellation.decided_at.is_some());
    assert_eq!(
        update.version,
        version + 2,
        "the request and the answer each bump the version"
    );

    let version = server.version(&token, &reject).await;
    let (status, _, _) = server
        .intent(
            &cancel_path(&reject),
            &token,
            "req-2",
            Some(version),
            json!({"reason": "customer_request"}),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let mut update = events.shipment(&reject).await;
    while update.cancellation.as_ref().is_some_and(|c| c.is_pending()) {
        update = events.shipment(&reject).await;
    }
    assert_eq!(
        update.status,
        domain::Status::InTransit,
        "a rejected request leaves the order in transit"
    );
    let cancellation = update.cancellation.clone().expect("a cancellation");
    assert_eq!(cancellation.state, domain::CancellationState::Rejected);
    assert_eq!(
        cancellation.provider_message.as_deref(),
        Some("Already at the customs office")
    );
    assert!(
        update.eligibility.cancellable,
        "the seller may send a new request"
    );
    let (_, fetched) = server
        .get(&format!("/api/v1/shipments/{reject}"), &token)
        .await;
    assert_eq!(fetched["cancellation"]["state"], "rejected");
}

#[tokio::test]
async fn a_replayed_202_does_not_send_a_second_request() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    let pn = showcase(11);
    let version = server.version(&token, &pn).await;
    let body = json!({"reason": "customer_request"});
    let (first_status, first, _) = server
        .intent(
            &cancel_path(&pn),
            &token,
            "once",
            Some(version),
            body.clone(),
        )
        .await;
    let (second_status, second, _) = server
        .intent(&cancel_path(&pn), &token, "once", Some(version), body)
        .await;
    assert_eq!(
        (first_status, second_status),
        (StatusCode::ACCEPTED, StatusCode::ACCEPTED)
    );
    assert_eq!(first, second);
    let requests = server
        .count(
            "SELECT count(*) FROM provider_requests r JOIN cancellations c ON c.id = r.cancellation_id
             JOIN shipments s ON s.id = c.shipment_id WHERE s.posting_number = $1",
            &pn,
        )
        .await;
    assert_eq!(requests, 1);
}

//! Concurrency: one intent acts once, one version admits one change.

use std::collections::HashMap;
use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::json;
use tokio::task::JoinSet;

use crate::common::{DEMO_SELLER, TestServer, code, showcase};

async fn count_cancellations(server: &TestServer, pn: &str) -> i64 {
    server
        .count(
            "SELECT count(*) FROM cancellations c JOIN shipments s ON s.id = c.shipment_id WHERE s.posting_number = $1",
            pn,
        )
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_requests_with_one_key_cancel_once() {
    let server = Arc::new(TestServer::demo().await);
    let token = server.token(DEMO_SELLER).await;
    let pn = showcase(8);
    let version = server.version(&token, &pn).await;
    let mut tasks = JoinSet::new();
    for _ in 0..50 {
        let (server, token, pn) = (server.clone(), token.clone(), pn.clone());
        tasks.spawn(async move {
            let path = format!("/api/v1/shipments/{pn}/cancel");
            let (status, body, _) = server
                .intent(
                    &path,
                    &token,
                    "the-one-key",
                    Some(version),
                    json!({"reason": "customer_request"}),
                )
                .await;
            (status, body)
        });
    }
    let mut successes = Vec::new();
    let mut statuses: HashMap<StatusCode, usize> = HashMap::new();
    while let Some(result) = tasks.join_next().await {
        let (status, body) = result.expect("the task ran");
        *statuses.entry(status).or_default() += 1;
        match status {
            StatusCode::OK => successes.push(body),
            StatusCode::CONFLICT => assert_eq!(code(&body), "request_in_flight"),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert!(!successes.is_empty(), "{statuses:?}");
    assert!(
        successes.windows(2).all(|w| w[0] == w[1]),
        "every success is the same stored response"
    );
    assert_eq!(count_cancellations(&server, &pn).await, 1, "{statuses:?}");
    assert_eq!(server.version(&token, &pn).await, version + 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_distinct_keys_on_one_version_give_exactly_one_success() {
    let server = Arc::new(TestServer::demo().await);
    let token = server.token(DEMO_SELLER).await;
    let pn = showcase(9);
    let version = server.version(&token, &pn).await;
    let mut tasks = JoinSet::new();
    for i in 0..50 {
        let (server, token, pn) = (server.clone(), token.clone(), pn.clone());
        tasks.spawn(async move {
            let path = format!("/api/v1/shipments/{pn}/cancel");
            let body = json!({"reason": "other", "comment": format!("attempt {i}")});
            let (status, body, _) = server
                .intent(&path, &token, &format!("key-{i}"), Some(version), body)
                .await;
            (status, body)
        });
    }
    let mut statuses: HashMap<StatusCode, usize> = HashMap::new();
    while let Some(result) = tasks.join_next().await {
        let (status, body) = result.expect("the task ran");
        *statuses.entry(status).or_default() += 1;
        if status == StatusCode::PRECONDITION_FAILED {
            assert_eq!(
                body["shipment"]["status"], "cancelled",
                "the loser sees the winner's result"
            );
        }
    }
    assert_eq!(statuses.get(&StatusCode::OK), Some(&1), "{statuses:?}");
    assert_eq!(
        statuses.get(&StatusCode::PRECONDITION_FAILED),
        Some(&49),
        "{statuses:?}"
    );
    assert_eq!(count_cancellations(&server, &pn).await, 1);
}

/// The warehouse hands a shipment over while the seller cancels it: one of them wins, never both.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_cancellation_racing_a_status_change_never_cancels_a_shipment_that_moved_on() {
    let server = Arc::new(TestServer::demo().await);
    let token = server.token(DEMO_SELLER).await;
    let (_, page) = server.get("/api/v1/shipments?status=awaiting_packaging,awaiting_shipment,ready_for_shipment&limit=12", &token).await;
    let items = page["items"].as_array().expect("items").clone();
    assert_eq!(items.len(), 12);
    let mut tasks = JoinSet::new();
    for item in items {
        let pn = item["posting_number"]
            .as_str()
            .expect("a posting number")
            .to_owned();
        let version = item["version"].as_u64().expect("a version");
        let (s1, t1, pn1) = (server.clone(), token.clone(), pn.clone());
        let cancel = tokio::spawn(async move {
            let path = format!("/api/v1/shipments/{pn1}/cancel");
            s1.intent(
                &path,
                &t1,
                &format!("race-{pn1}"),
                Some(version),
                json!({"reason": "customer_request"}),
            )
            .await
            .0
        });
        let (s2, t2, pn2) = (server.clone(), token.clone(), pn.clone());
        let handover = tokio::spawn(async move {
            let path = format!("/api/v1/dev/shipments/{pn2}/status");
            s2.send(
                reqwest::Method::POST,
                &path,
                Some(&t2),
                Some(json!({"status": "in_transit"})),
            )
            .await
            .0
        });
        tasks.spawn(async move { (pn, cancel.await.expect("ran"), handover.await.expect("ran")) });
    }
    while let Some(result) = tasks.join_next().await {
        let (pn, cancelled, handed_over) = result.expect("the task ran");
        let (_, now) = server.get(&format!("/api/v1/shipments/{pn}"), &token).await;
        match (cancelled, handed_over) {
            (StatusCode::OK, StatusCode::UNPROCESSABLE_ENTITY) => {
                assert_eq!(now["status"], "cancelled")
            }
            (StatusCode::PRECONDITION_FAILED, StatusCode::OK) => {
                assert_eq!(now["status"], "in_transit");
                assert_eq!(now["cancellation"], serde_json::Value::Null);
            }
            other => panic!("{pn}: cancellation and handover both answered {other:?}"),
        }
    }
}

/// While a request is being processed its key is in flight: a second request with it is a 409.
#[tokio::test]
async fn a_request_whose_key_is_in_flight_answers_409() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    let pn = showcase(10);
    let version = server.version(&token, &pn).await;
    let entry = (DEMO_SELLER.to_owned(), "busy-key".to_owned());
    server
        ._running
        .state
        .in_flight
        .lock()
        .expect("the set")
        .insert(entry.clone());
    let path = format!("/api/v1/shipments/{pn}/cancel");
    let body = json!({"reason": "customer_request"});
    let (status, problem, headers) = server
        .intent(&path, &token, "busy-key", Some(version), body.clone())
        .await;
    assert_eq!(
        (status, code(&problem)),
        (StatusCode::CONFLICT, "request_in_flight")
    );
    assert_eq!(headers["retry-after"], "1");
    assert_eq!(
        server.version(&token, &pn).await,
        version,
        "nothing happened"
    );
    server
        ._running
        .state
        .in_flight
        .lock()
        .expect("the set")
        .remove(&entry);
    let (status, _, _) = server
        .intent(&path, &token, "busy-key", Some(version), body)
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "once the first is done, the key is free"
    );
}

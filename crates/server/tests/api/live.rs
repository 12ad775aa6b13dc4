//! Every change of a seller's shipment is pushed on `GET /api/v1/events`, so that an open list
//! needs no polling: the bulk cancellation, the split and the demo's status change here (a single
//! cancellation and the provider's answers are checked in `cancel.rs` and `providers.rs`).

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::{DEMO_SELLER, EventStream, TestServer, showcase};

/// The next update of `posting_number`. Bounded as a whole: the stream's keep-alive comments would
/// otherwise keep a wait for an update that never comes alive for ever.
async fn pushed(events: &mut EventStream, posting_number: &str) -> domain::Shipment {
    tokio::time::timeout(Duration::from_secs(5), events.shipment(posting_number))
        .await
        .unwrap_or_else(|_| panic!("{posting_number} was not pushed within 5 s"))
}

#[tokio::test]
async fn bulk_cancellations_splits_and_status_changes_are_pushed() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    let mut events = server.events(&token).await;

    // The warehouse moves a shipment on (demo endpoint).
    let (_, page) = server
        .get(
            "/api/v1/shipments?status=awaiting_packaging&limit=20",
            &token,
        )
        .await;
    let waiting: Vec<(String, u64)> = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|s| {
            let pn = s["posting_number"].as_str().expect("a posting number");
            (pn.to_owned(), s["version"].as_u64().expect("a version"))
        })
        .filter(|(pn, _)| *pn != showcase(24))
        .collect();
    assert!(waiting.len() >= 3, "{page}");
    let (moved, moved_version) = &waiting[0];
    let (status, body) = server
        .send(
            Method::POST,
            &format!("/api/v1/dev/shipments/{moved}/status"),
            Some(&token),
            Some(json!({"status": "awaiting_shipment"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let update = pushed(&mut events, moved).await;
    assert_eq!(update.status, domain::Status::AwaitingShipment);
    assert_eq!(update.version, moved_version + 1);

    // A bulk cancellation: each cancelled shipment is pushed.
    let bulk: Vec<&str> = waiting[1..3].iter().map(|(pn, _)| pn.as_str()).collect();
    let (status, results, _) = server
        .intent(
            "/api/v1/shipments/cancel",
            &token,
            "live-bulk",
            None,
            json!({"posting_numbers": bulk, "reason": "customer_request"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{results}");
    for pn in &bulk {
        let update = pushed(&mut events, pn).await;
        assert_eq!(update.status, domain::Status::Cancelled, "{pn}");
    }

    // A split: the original, now smaller, and the new parcel are pushed.
    let pn = showcase(24);
    let version = server.version(&token, &pn).await;
    let (status, split, _) = server
        .intent(
            &format!("/api/v1/shipments/{pn}/split"),
            &token,
            "live-split",
            Some(version),
            json!({"parcels": [[{"sku": "1004", "quantity": 3}], [{"sku": "1004", "quantity": 2}, {"sku": "1001", "quantity": 1}]]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{split}");
    let original = pushed(&mut events, &pn).await;
    assert_eq!(original.version, version + 1);
    let parcel = split["shipments"][1]["posting_number"]
        .as_str()
        .expect("a new parcel");
    assert_eq!(pushed(&mut events, parcel).await.version, 1);
}

//! Partial cancellations (`POST /shipments/{pn}/cancel-items`, RULES.md "Cancelling some products
//! of a shipment"): every rule and bad input, the effect, and its safety under races.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Duration, Utc};
use domain::fixture::FixtureShipment;
use domain::{Delivery, DeliveryMethod, Destination, ProductLine, Status};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::task::JoinSet;

use crate::common::{DEMO_SELLER, OTHER_SELLER, TestServer, code, stock, with_fixture};

/// A commercial shipment awaiting packaging at wh-shenzhen: 5 × 1004, 1 × 1001, 2 × 1002.
pub const COMMERCIAL: &str = "99000001-0001-1";
/// Awaiting packaging, SKU 1001 on two lines: 1 × 1001, 1 × 1002, 2 × 1001.
pub const SPREAD: &str = "99000002-0001-1";
/// Packed (awaiting shipment), two products: a partial cancellation is not offered.
pub const PACKED: &str = "99000003-0001-1";
/// Awaiting packaging: 2 × 1004, 1 × 1001, for the bad inputs.
pub const PLAIN: &str = "99000004-0001-1";

pub fn line(sku: &str, quantity: u32) -> ProductLine {
    let name = match sku {
        "1001" => "Phone case",
        "1002" => "USB-C cable 1 m",
        _ => "Screen protector",
    };
    ProductLine {
        sku: sku.to_owned(),
        name: name.to_owned(),
        quantity,
        price: "1.00".to_owned(),
        currency: "USD".to_owned(),
    }
}

/// A shipment of the demo seller, created yesterday (inside the rate's window).
pub fn shipment(pn: &str, status: Status, products: Vec<ProductLine>) -> FixtureShipment {
    let created_at = Utc::now() - Duration::days(1);
    FixtureShipment {
        posting_number: pn.to_owned(),
        order_number: pn.trim_end_matches("-1").to_owned(),
        status,
        delivery: Delivery {
            method: DeliveryMethod::Partner,
            provider: Some("Cainiao".to_owned()),
        },
        destination: Destination {
            country: "RU".to_owned(),
            city: "Kazan".to_owned(),
        },
        warehouse_id: "wh-shenzhen".to_owned(),
        products,
        created_at,
        ship_by: created_at + Duration::days(3),
        cancellation: None,
        provider_decision: None,
    }
}

/// The demo data plus this module's shipments.
async fn server() -> TestServer {
    with_fixture(|fixture| {
        fixture.sellers[0].shipments.extend([
            shipment(
                COMMERCIAL,
                Status::AwaitingPackaging,
                vec![line("1004", 5), line("1001", 1), line("1002", 2)],
            ),
            shipment(
                SPREAD,
                Status::AwaitingPackaging,
                vec![line("1001", 1), line("1002", 1), line("1001", 2)],
            ),
            shipment(
                PACKED,
                Status::AwaitingShipment,
                vec![line("1004", 2), line("1001", 1)],
            ),
            shipment(
                PLAIN,
                Status::AwaitingPackaging,
                vec![line("1004", 2), line("1001", 1)],
            ),
        ]);
    })
    .await
}

fn path(pn: &str) -> String {
    format!("/api/v1/shipments/{pn}/cancel-items")
}

/// Everything a partial cancellation may change about a shipment: the shipment as the API shows
/// it, the stock of the seller's products, and the stored cancellations.
async fn state(
    server: &TestServer,
    token: &str,
    pn: &str,
) -> (Value, Vec<(String, String, i64)>, i64) {
    let (status, shipment) = server.get(&format!("/api/v1/shipments/{pn}"), token).await;
    assert_eq!(status, StatusCode::OK, "{shipment}");
    let stock = server
        .rows(
            "SELECT sku, warehouse_id, quantity FROM stock WHERE seller_id = $1 \
             ORDER BY sku, warehouse_id",
            DEMO_SELLER,
        )
        .await
        .iter()
        .map(|r| {
            use sqlx::Row as _;
            (
                r.try_get("sku").expect("sku"),
                r.try_get("warehouse_id").expect("warehouse"),
                r.try_get("quantity").expect("quantity"),
            )
        })
        .collect();
    let cancellations = server.count_all("SELECT count(*) FROM cancellations").await;
    (shipment, stock, cancellations)
}

fn skus(shipment: &Value) -> Vec<(String, u64)> {
    shipment["products"]
        .as_array()
        .expect("products")
        .iter()
        .map(|p| {
            (
                p["sku"].as_str().expect("a sku").to_owned(),
                p["quantity"].as_u64().expect("a quantity"),
            )
        })
        .collect()
}

#[tokio::test]
async fn every_bad_input_is_refused_with_its_code_and_changes_nothing() {
    let server = server().await;
    let token = server.token(DEMO_SELLER).await;
    let before = state(&server, &token, PLAIN).await;
    let version = before.0["version"].as_u64().expect("a version");
    let item = |sku: &str, quantity: Value| json!({"sku": sku, "quantity": quantity});
    let body = |items: Vec<Value>| json!({"reason": "out_of_stock", "items": items});
    // (what, body, status, code, a word the detail must hold)
    let cases: Vec<(&str, Value, StatusCode, &str, &str)> = vec![
        (
            "unknown SKU",
            body(vec![item("9999", json!(1))]),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_items",
            "9999",
        ),
        (
            "quantity 0",
            body(vec![item("1004", json!(0))]),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_items",
            "1004",
        ),
        (
            "negative",
            body(vec![item("1004", json!(-1))]),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_items",
            "1004",
        ),
        (
            "fractional",
            body(vec![item("1004", json!(2.5))]),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_items",
            "1004",
        ),
        (
            "more than held",
            body(vec![item("1004", json!(3))]),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_items",
            "1004",
        ),
        (
            "duplicate SKU",
            body(vec![item("1004", json!(1)), item("1004", json!(1))]),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_items",
            "1004",
        ),
        (
            "empty items",
            body(vec![]),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_items",
            "item",
        ),
        (
            "every unit",
            body(vec![item("1004", json!(2)), item("1001", json!(1))]),
            StatusCode::UNPROCESSABLE_ENTITY,
            "whole_shipment",
            "whole",
        ),
        (
            "reason not offered",
            json!({"reason": "undeliverable_address", "items": [item("1004", json!(1))]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "reason_not_offered",
            "reason",
        ),
        (
            "lost by carrier",
            json!({"reason": "lost_by_carrier", "items": [item("1004", json!(1))]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "reason_not_offered",
            "reason",
        ),
        (
            "other without a description",
            json!({"reason": "other", "items": [item("1004", json!(1))]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "comment_required",
            "",
        ),
        (
            "other with a blank description",
            json!({"reason": "other", "comment": "   ", "items": [item("1004", json!(1))]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "comment_required",
            "",
        ),
        (
            "malformed: quantity as text",
            body(vec![item("1004", json!("1"))]),
            StatusCode::BAD_REQUEST,
            "malformed_request",
            "",
        ),
        (
            "malformed: no items",
            json!({"reason": "out_of_stock"}),
            StatusCode::BAD_REQUEST,
            "malformed_request",
            "items",
        ),
        (
            "malformed: unknown field",
            json!({"reason": "out_of_stock", "items": [item("1004", json!(1))], "extra": 1}),
            StatusCode::BAD_REQUEST,
            "malformed_request",
            "extra",
        ),
        (
            "malformed: unknown reason",
            json!({"reason": "tired", "items": [item("1004", json!(1))]}),
            StatusCode::BAD_REQUEST,
            "malformed_request",
            "",
        ),
        (
            "too many items",
            body(
                (0..=domain::limits::MAX_CANCEL_ITEMS)
                    .map(|i| item(&format!("x{i}"), json!(1)))
                    .collect(),
            ),
            StatusCode::BAD_REQUEST,
            "malformed_request",
            "items",
        ),
    ];
    for (i, (what, body, status, expected_code, word)) in cases.into_iter().enumerate() {
        let (got, answer, _) = server
            .intent(
                &path(PLAIN),
                &token,
                &format!("bad-{i}"),
                Some(version),
                body,
            )
            .await;
        assert_eq!(got, status, "{what}: {answer}");
        assert_eq!(code(&answer), expected_code, "{what}: {answer}");
        let detail = answer["detail"].as_str().unwrap_or_default();
        assert!(
            detail.contains(word),
            "{what}: the detail names {word:?}: {detail}"
        );
        if status == StatusCode::UNPROCESSABLE_ENTITY {
            assert_eq!(
                answer["shipment"], before.0,
                "{what}: the problem carries the current shipment"
            );
        }
        assert_eq!(
            state(&server, &token, PLAIN).await,
            before,
            "{what}: nothing changed"
        );
    }
    // Not offered once packed, whatever the items.
    let packed_version = server.version(&token, PACKED).await;
    let (status, answer, _) = server
        .intent(
            &path(PACKED),
            &token,
            "packed",
            Some(packed_version),
            body(vec![item("1004", json!(2.5))]),
        )
        .await;
    assert_eq!(
        (status, code(&answer)),
        (StatusCode::UNPROCESSABLE_ENTITY, "partial_not_offered"),
        "{answer}"
    );
    assert_eq!(answer["shipment"]["version"], json!(packed_version));
    // The intent's headers: If-Match missing (428), stale (412, with the current shipment).
    let valid = body(vec![item("1004", json!(1))]);
    let (status, answer, _) = server
        .intent(&path(PLAIN), &token, "no-if-match", None, valid.clone())
        .await;
    assert_eq!(
        (status, code(&answer)),
        (StatusCode::PRECONDITION_REQUIRED, "precondition_required"),
        "{answer}"
    );
    let (status, answer, _) = server
        .intent(
            &path(PLAIN),
            &token,
            "stale",
            Some(version + 1),
            valid.clone(),
        )
        .await;
    assert_eq!(
        (status, code(&answer)),
        (StatusCode::PRECONDITION_FAILED, "version_mismatch"),
        "{answer}"
    );
    assert_eq!(
        answer["shipment"], before.0,
        "a 412 carries the current shipment"
    );
    let detail = answer["detail"].as_str().unwrap_or_default();
    assert!(
        detail.contains(&format!("you saw version {}", version + 1)),
        "{detail}"
    );
    // Another seller's shipment is not found, exactly like a missing one.
    let other = server.token(OTHER_SELLER).await;
    let (status, answer, _) = server
        .intent(&path(PLAIN), &other, "theirs", Some(version), valid.clone())
        .await;
    assert_eq!(
        (status, code(&answer)),
        (StatusCode::NOT_FOUND, "not_found"),
        "{answer}"
    );
    let (status, answer, _) = server
        .intent(
            &path("00000000-0000-1"),
            &token,
            "missing",
            Some(version),
            valid,
        )
        .await;
    assert_eq!(
        (status, code(&answer)),
        (StatusCode::NOT_FOUND, "not_found"),
        "{answer}"
    );
    assert_eq!(
        state(&server, &token, PLAIN).await,
        before,
        "nothing changed"
    );
}

#[tokio::test]
async fn out_of_stock_takes_the_units_out_and_resets_the_stock_of_those_skus_only() {
    let server = server().await;
    let token = server.token(DEMO_SELLER).await;
    let mut events = server.events(&token).await;
    let (before, _, _) = state(&server, &token, COMMERCIAL).await;
    assert_eq!(
        before["eligibility"]["warnings"],
        json!(["commercial_shipment"])
    );
    let version = before["version"].as_u64().expect("a version");
    let mut untouched = Vec::new();
    for (sku, wh) in [
        ("1001", "wh-shenzhen"),
        ("1004", "wh-guangzhou"),
        ("1002", "wh-guangzhou"),
    ] {
        untouched.push((sku, wh, stock(&server, &token, sku, wh).await));
    }
    assert!(stock(&server, &token, "1004", "wh-shenzhen").await > 0);
    assert!(stock(&server, &token, "1002", "wh-shenzhen").await > 0);
    let request = json!({"reason": "out_of_stock", "items": [
        {"sku": "1004", "quantity": 2}, {"sku": "1002", "quantity": 2.0}
    ]});
    let (status, answer, headers) = server
        .intent(
            &path(COMMERCIAL),
            &token,
            "partial-1",
            Some(version),
            request.clone(),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert!(headers.get("idempotent-replayed").is_none());
    // The emptied line of 1002 disappeared; 1004 kept 3 units, which is no longer commercial.
    assert_eq!(
        skus(&answer),
        vec![("1004".to_owned(), 3), ("1001".to_owned(), 1)]
    );
    assert_eq!(answer["version"], json!(version + 1));
    assert_eq!(answer["eligibility"]["warnings"], json!([]));
    assert_eq!(answer["status"], "awaiting_packaging");
    assert_eq!(
        answer["cancellation"],
        Value::Null,
        "the wire cancellation is a whole one's"
    );
    let cancelled = answer["cancelled_items"]
        .as_array()
        .expect("cancelled_items");
    assert_eq!(cancelled.len(), 2, "{answer}");
    for (entry, (sku, quantity)) in cancelled.iter().zip([("1004", 2), ("1002", 2)]) {
        assert_eq!(entry["sku"], sku);
        assert_eq!(entry["quantity"], quantity);
        assert_eq!(entry["reason"], "out_of_stock");
        assert_eq!(entry["initiator"], "seller");
        assert!(entry["at"].is_string());
    }
    // Stock: the cancelled SKUs at this warehouse only.
    assert_eq!(stock(&server, &token, "1004", "wh-shenzhen").await, 0);
    assert_eq!(stock(&server, &token, "1002", "wh-shenzhen").await, 0);
    for (sku, wh, quantity) in untouched {
        assert_eq!(
            stock(&server, &token, sku, wh).await,
            quantity,
            "{sku} at {wh} is untouched"
        );
    }
    // Every read shows the same: the shipment, the list, the live stream.
    let (_, read) = server
        .get(&format!("/api/v1/shipments/{COMMERCIAL}"), &token)
        .await;
    assert_eq!(read, answer);
    let (_, page) = server
        .get(&format!("/api/v1/shipments?q={COMMERCIAL}"), &token)
        .await;
    assert_eq!(page["items"][0], answer, "{page}");
    let pushed = events.shipment(COMMERCIAL).await;
    assert_eq!(serde_json::to_value(pushed).expect("JSON"), answer);
    // The search no longer finds the shipment by the product it lost.
    let (_, found) = server
        .get("/api/v1/shipments?q=usb-c&limit=200", &token)
        .await;
    let found: Vec<&str> = found["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|s| s["posting_number"].as_str())
        .collect();
    assert!(!found.contains(&COMMERCIAL), "{found:?}");
    assert!(found.contains(&SPREAD), "the search still works: {found:?}");
    // The same key and request replays the stored answer; the same key with another request is refused.
    let (status, replay, headers) = server
        .intent(
            &path(COMMERCIAL),
            &token,
            "partial-1",
            Some(version),
            request,
        )
        .await;
    assert_eq!((status, &replay), (StatusCode::OK, &answer));
    assert_eq!(headers["idempotent-replayed"], "true");
    let (status, reused, _) = server
        .intent(
            &path(COMMERCIAL),
            &token,
            "partial-1",
            Some(version),
            json!({"reason": "out_of_stock", "items": [{"sku": "1004", "quantity": 1}]}),
        )
        .await;
    assert_eq!(
        (status, code(&reused)),
        (StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused"),
        "{reused}"
    );
    assert_eq!(
        server.version(&token, COMMERCIAL).await,
        version + 1,
        "acted once"
    );
}

#[tokio::test]
async fn customer_request_resets_no_stock_and_takes_a_spread_sku_from_the_first_lines() {
    let server = server().await;
    let token = server.token(DEMO_SELLER).await;
    let (_, stock_before, _) = state(&server, &token, SPREAD).await;
    let version = server.version(&token, SPREAD).await;
    let (status, answer, _) = server
        .intent(
            &path(SPREAD),
            &token,
            "spread",
            Some(version),
            json!({"reason": "customer_request", "items": [{"sku": "1001", "quantity": 2}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(
        skus(&answer),
        vec![("1002".to_owned(), 1), ("1001".to_owned(), 1)]
    );
    let (_, stock_after, _) = state(&server, &token, SPREAD).await;
    assert_eq!(
        stock_after, stock_before,
        "customer_request resets no stock"
    );
    // A second one, for `other` with its description, is recorded after the first.
    let (status, answer, _) = server
        .intent(&path(SPREAD), &token, "spread-2", Some(version + 1), json!({"reason": "other", "comment": "  Wrong colour  ", "items": [{"sku": "1001", "quantity": 1}]}))
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(skus(&answer), vec![("1002".to_owned(), 1)]);
    let cancelled = answer["cancelled_items"]
        .as_array()
        .expect("cancelled_items");
    let seen: Vec<(&str, &str, Value)> = cancelled
        .iter()
        .map(|c| {
            (
                c["sku"].as_str().unwrap_or_default(),
                c["reason"].as_str().unwrap_or_default(),
                c["comment"].clone(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            ("1001", "customer_request", Value::Null),
            ("1001", "other", json!("Wrong colour"))
        ]
    );
    // One unit left: cancelling it is a whole cancellation.
    let (status, refused, _) = server
        .intent(
            &path(SPREAD),
            &token,
            "spread-3",
            Some(version + 2),
            json!({"reason": "customer_request", "items": [{"sku": "1002", "quantity": 1}]}),
        )
        .await;
    assert_eq!(
        (status, code(&refused)),
        (StatusCode::UNPROCESSABLE_ENTITY, "whole_shipment"),
        "{refused}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_calls_with_one_key_act_once_and_answer_the_same() {
    let server = Arc::new(server().await);
    let token = server.token(DEMO_SELLER).await;
    let version = server.version(&token, COMMERCIAL).await;
    let mut tasks = JoinSet::new();
    for _ in 0..50 {
        let (server, token) = (server.clone(), token.clone());
        tasks.spawn(async move {
            let body = json!({"reason": "out_of_stock", "items": [{"sku": "1004", "quantity": 1}]});
            let (status, body, _) = server
                .intent(&path(COMMERCIAL), &token, "one-key", Some(version), body)
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
        "every success is the one stored answer"
    );
    let (shipment, _, _) = state(&server, &token, COMMERCIAL).await;
    assert_eq!(shipment["version"], json!(version + 1), "{statuses:?}");
    assert_eq!(
        skus(&shipment)[0],
        ("1004".to_owned(), 4),
        "one unit went, once"
    );
    assert_eq!(
        shipment["cancelled_items"].as_array().map(Vec::len),
        Some(1)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_keys_on_one_version_give_exactly_one_success() {
    let server = Arc::new(server().await);
    let token = server.token(DEMO_SELLER).await;
    let version = server.version(&token, COMMERCIAL).await;
    let mut tasks = JoinSet::new();
    for i in 0..30 {
        let (server, token) = (server.clone(), token.clone());
        tasks.spawn(async move {
            let body =
                json!({"reason": "customer_request", "items": [{"sku": "1004", "quantity": 1}]});
            let (status, body, _) = server
                .intent(
                    &path(COMMERCIAL),
                    &token,
                    &format!("key-{i}"),
                    Some(version),
                    body,
                )
                .await;
            (status, body)
        });
    }
    let mut statuses: HashMap<StatusCode, usize> = HashMap::new();
    while let Some(result) = tasks.join_next().await {
        let (status, body) = result.expect("the task ran");
        *statuses.entry(status).or_default() += 1;
        if status == StatusCode::PRECONDITION_FAILED {
            assert_eq!(code(&body), "version_mismatch");
            assert_eq!(
                body["shipment"]["version"],
                json!(version + 1),
                "the current shipment"
            );
        }
    }
    assert_eq!(statuses.get(&StatusCode::OK), Some(&1), "{statuses:?}");
    assert_eq!(
        statuses.get(&StatusCode::PRECONDITION_FAILED),
        Some(&29),
        "{statuses:?}"
    );
    let (shipment, _, _) = state(&server, &token, COMMERCIAL).await;
    assert_eq!(skus(&shipment)[0], ("1004".to_owned(), 4));
    assert_eq!(
        shipment["cancelled_items"].as_array().map(Vec::len),
        Some(1)
    );
}

async fn seller_cancellations(server: &TestServer, token: &str) -> u64 {
    let (status, rate) = server.get("/api/v1/metrics/cancellation-rate", token).await;
    assert_eq!(status, StatusCode::OK, "{rate}");
    rate["seller_cancellations"].as_u64().expect("a count")
}

#[tokio::test]
async fn the_rate_counts_a_shipment_once_after_two_partial_cancellations_and_a_whole_one() {
    let server = server().await;
    let token = server.token(DEMO_SELLER).await;
    let before = seller_cancellations(&server, &token).await;
    let mut version = server.version(&token, COMMERCIAL).await;
    for (i, sku) in ["1004", "1002"].into_iter().enumerate() {
        let body = json!({"reason": "customer_request", "items": [{"sku": sku, "quantity": 1}]});
        let (status, answer, _) = server
            .intent(
                &path(COMMERCIAL),
                &token,
                &format!("rate-{i}"),
                Some(version),
                body,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        version += 1;
        assert_eq!(
            seller_cancellations(&server, &token).await,
            before + 1,
            "after partial cancellation {}",
            i + 1
        );
    }
    let (status, answer, _) = server
        .intent(
            &format!("/api/v1/shipments/{COMMERCIAL}/cancel"),
            &token,
            "rate-whole",
            Some(version),
            json!({"reason": "customer_request"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["status"], "cancelled");
    assert_eq!(
        answer["cancelled_items"].as_array().map(Vec::len),
        Some(2),
        "a whole cancellation's answer still shows the partial ones"
    );
    assert_eq!(
        seller_cancellations(&server, &token).await,
        before + 1,
        "after the whole one"
    );
    // Another shipment's partial cancellation is another one in the rate.
    let version = server.version(&token, SPREAD).await;
    let body = json!({"reason": "out_of_stock", "items": [{"sku": "1002", "quantity": 1}]});
    let (status, answer, _) = server
        .intent(&path(SPREAD), &token, "rate-other", Some(version), body)
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(seller_cancellations(&server, &token).await, before + 2);
}

/// The CSV export under a query, as rows of fields (the BOM and CRLF taken off).
async fn csv_rows(server: &TestServer, token: &str, query: &str) -> Vec<Vec<String>> {
    let response = server
        .client
        .get(server.url(&format!("/api/v1/history/export.csv?{query}")))
        .bearer_auth(token)
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), StatusCode::OK);
    let text = response.text().await.expect("a body");
    let text = text.trim_start_matches('\u{feff}');
    text.split("\r\n")
        .filter(|line| !line.is_empty())
        .map(|line| line.split(',').map(str::to_owned).collect())
        .collect()
}

#[tokio::test]
async fn the_history_and_its_csv_show_a_partial_cancellation_with_its_items() {
    let server = server().await;
    let token = server.token(DEMO_SELLER).await;
    let version = server.version(&token, COMMERCIAL).await;
    let body = json!({"reason": "out_of_stock", "items": [
        {"sku": "1004", "quantity": 2}, {"sku": "1002", "quantity": 1}
    ]});
    let (status, answer, _) = server
        .intent(&path(COMMERCIAL), &token, "history", Some(version), body)
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let (status, page) = server
        .get("/api/v1/history?kind=partially_cancelled", &token)
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["total"], 1, "{page}");
    let entry = &page["items"][0];
    assert_eq!(entry["posting_number"], COMMERCIAL);
    assert_eq!(entry["kind"], "partially_cancelled");
    assert_eq!(entry["reason"], "out_of_stock");
    assert_eq!(entry["initiator"], "seller");
    assert_eq!(
        entry["items"],
        json!([{"sku": "1004", "quantity": 2}, {"sku": "1002", "quantity": 1}])
    );
    assert_eq!(entry["requested_at"], answer["cancelled_items"][0]["at"]);
    // Not a whole cancellation by the seller; and a whole one carries no items.
    let (_, whole) = server
        .get("/api/v1/history?kind=cancelled_by_seller&limit=200", &token)
        .await;
    let whole = whole["items"].as_array().expect("items");
    assert!(!whole.is_empty());
    assert!(
        whole
            .iter()
            .all(|e| e["posting_number"] != COMMERCIAL && e["items"] == json!([]))
    );
    // Unfiltered, it is the newest entry; the reason filter finds it too.
    let (_, all) = server.get("/api/v1/history?limit=1", &token).await;
    assert_eq!(&all["items"][0], entry);
    let (_, by_reason) = server
        .get("/api/v1/history?reason=out_of_stock&limit=200", &token)
        .await;
    assert!(
        by_reason["items"]
            .as_array()
            .expect("items")
            .contains(entry)
    );
    // The CSV: an `items` column of codes.
    let rows = csv_rows(&server, &token, "kind=partially_cancelled").await;
    assert_eq!(
        rows[0],
        domain::api::history::CSV_COLUMNS
            .map(str::to_owned)
            .to_vec()
    );
    assert_eq!(rows.len(), 2, "{rows:?}");
    let column = |name: &str| rows[0].iter().position(|c| c == name).expect("a column");
    assert_eq!(rows[1][column("posting_number")], COMMERCIAL);
    assert_eq!(rows[1][column("kind")], "partially_cancelled");
    assert_eq!(rows[1][column("items")], "1004x2 1002x1");
}

/// One shipment's stored state, read straight from the database after a crash.
#[derive(Debug, PartialEq)]
struct Stored {
    version: i64,
    lines: Vec<(String, i64)>,
    /// Its partial cancellations' items, as (sku, quantity).
    cancelled: Vec<(String, i64)>,
    /// The stored answer of its intent, if any.
    answer: Option<(i64, String)>,
    search_text: String,
}

fn stored(conn: &rusqlite::Connection, pn: &str) -> Stored {
    use rusqlite::OptionalExtension;
    let (id, version, search_text): (i64, i64, String) = conn
        .query_row(
            "SELECT id, version, search_text FROM shipments WHERE posting_number = ?1",
            [pn],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("the shipment");
    let pairs = |sql: &str| -> Vec<(String, i64)> {
        conn.prepare(sql)
            .expect("a query")
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("pairs")
    };
    Stored {
        version,
        lines: pairs("SELECT sku, quantity FROM shipment_lines WHERE shipment_id = ?1 ORDER BY line_no"),
        cancelled: pairs(
            "SELECT i.sku, i.quantity FROM cancellations c JOIN cancelled_items i ON i.cancellation_id = c.id
             WHERE c.shipment_id = ?1 AND c.partial = 1 ORDER BY c.id, i.item_no",
        ),
        answer: conn
            .query_row(
                "SELECT status, body FROM idempotency WHERE key = 'crash-' || ?1",
                [pn],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .expect("a query"),
        search_text,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigkill_mid_burst_leaves_each_shipment_fully_before_or_fully_after() {
    use crate::crash::{dev_token, spawn};
    let dir = tempfile::tempdir().expect("a directory");
    let db = dir.path().join("partial-crash.sqlite3");
    let (mut fixture, _) = server::demo::embedded().expect("the demo fixture");
    let targets: Vec<String> = (0..300).map(|i| format!("99100{i:03}-0001-1")).collect();
    fixture.sellers[0]
        .shipments
        .extend(targets.iter().map(|pn| {
            shipment(
                pn,
                Status::AwaitingPackaging,
                vec![line("1004", 3), line("1001", 1), line("1002", 1)],
            )
        }));
    let stock_of = |sku: &str| {
        fixture.sellers[0]
            .products
            .iter()
            .find(|p| p.sku == sku)
            .and_then(|p| p.stock.iter().find(|s| s.warehouse_id == "wh-shenzhen"))
            .map(|s| i64::from(s.quantity))
            .expect("stock at wh-shenzhen")
    };
    let phone_cases = stock_of("1001");
    assert!(stock_of("1004") > 0 && stock_of("1002") > 0);
    let seed = dir.path().join("seed.json");
    std::fs::write(&seed, serde_json::to_vec(&fixture).expect("JSON")).expect("written");
    let seed = seed.to_str().expect("a path").to_owned();

    let (mut child, base) = spawn(&db, &["--demo", "--seed", &seed]).await;
    let client = reqwest::Client::new();
    let token = dev_token(&client, &base).await;
    let before = {
        let conn = rusqlite::Connection::open(&db).expect("the database");
        targets
            .iter()
            .map(|pn| stored(&conn, pn))
            .collect::<Vec<_>>()
    };
    let request = json!({"reason": "out_of_stock", "items": [
        {"sku": "1004", "quantity": 1}, {"sku": "1002", "quantity": 1}
    ]});
    // Eight clients, each sending its share of the targets one after another (as crash.rs does),
    // so that when the eighth answer comes the burst is still going: at most one request per
    // client is in flight and most are not sent yet. Sent all at once, the 300 requests met the
    // server's concurrency limit (503s counted as finished before anything committed) or were
    // answered in one or two group commits, leaving nothing in flight to kill.
    const CLIENTS: usize = 8;
    let (done_tx, mut done_rx) = tokio::sync::mpsc::unbounded_channel();
    let mut burst = JoinSet::new();
    for lane in 0..CLIENTS {
        let share: Vec<String> = targets
            .iter()
            .skip(lane)
            .step_by(CLIENTS)
            .cloned()
            .collect();
        let (client, base, token, done, request) = (
            client.clone(),
            base.clone(),
            token.clone(),
            done_tx.clone(),
            request.clone(),
        );
        burst.spawn(async move {
            let mut answers = Vec::new();
            for pn in share {
                let answer = client
                    .post(format!("{base}/api/v1/shipments/{pn}/cancel-items"))
                    .bearer_auth(&token)
                    .header("idempotency-key", format!("crash-{pn}"))
                    .header("if-match", "\"1\"")
                    .json(&request)
                    .send()
                    .await;
                let answer = match answer {
                    Ok(response) => {
                        let status = response.status();
                        response.text().await.ok().map(|body| (status, body))
                    }
                    Err(_) => None,
                };
                // The receiver is dropped once the server is killed; later sends have no one to tell.
                let _ = done.send(());
                answers.push((pn, answer));
            }
            answers
        });
    }
    // Kill once a few went through and the rest are still in flight or not yet sent.
    for _ in 0..8 {
        done_rx.recv().await.expect("a request finished");
    }
    drop(done_rx);
    child.start_kill().expect("SIGKILL");
    child.wait().await.expect("the process ended");
    let mut answered: Vec<(String, String)> = Vec::new();
    while let Some(result) = burst.join_next().await {
        for (pn, answer) in result.expect("the task ran") {
            if let Some((StatusCode::OK, body)) = answer {
                answered.push((pn, body));
            }
        }
    }
    assert!(
        answered.len() >= 8 && answered.len() < targets.len(),
        "{} answered",
        answered.len()
    );

    let conn = rusqlite::Connection::open(&db).expect("the database");
    let mut after_count = 0;
    for (pn, untouched) in targets.iter().zip(&before) {
        let now = stored(&conn, pn);
        if now.version == untouched.version {
            assert_eq!(&now, untouched, "{pn} is fully before");
            continue;
        }
        after_count += 1;
        let expected_lines = vec![("1004".to_owned(), 2), ("1001".to_owned(), 1)];
        assert_eq!(now.version, untouched.version + 1, "{pn}");
        assert_eq!(now.lines, expected_lines, "{pn}");
        assert_eq!(
            now.cancelled,
            vec![("1004".to_owned(), 1), ("1002".to_owned(), 1)],
            "{pn}"
        );
        assert!(
            !now.search_text.contains("usb-c"),
            "{pn}: the search text lost the product"
        );
        let (status, body) = now.answer.expect("the answer was stored with the change");
        assert_eq!(status, 200, "{pn}");
        let body: Value = serde_json::from_str(&body).expect("JSON");
        assert_eq!(
            body["version"],
            json!(now.version),
            "{pn}: the stored answer is the change's"
        );
    }
    for (pn, _) in &answered {
        assert_eq!(
            stored(&conn, pn).version,
            2,
            "{pn}: an answered change is durable"
        );
    }
    let stock = |sku: &str| -> i64 {
        conn.query_row(
            "SELECT quantity FROM stock WHERE seller_id = ?1 AND sku = ?2 AND warehouse_id = 'wh-shenzhen'",
            [DEMO_SELLER, sku],
            |r| r.get(0),
        )
        .expect("stock")
    };
    assert!(after_count >= answered.len());
    assert_eq!(
        (stock("1004"), stock("1002")),
        (0, 0),
        "the cancelled SKUs' stock was reset"
    );
    assert_eq!(
        stock("1001"),
        phone_cases,
        "the SKU that stayed kept its stock"
    );
    drop(conn);

    // After a restart, every answered key replays its very answer and changes nothing more.
    let (_child, base) = spawn(&db, &["--demo", "--seed", &seed]).await;
    let token = dev_token(&client, &base).await;
    for (pn, body) in &answered {
        let replay = client
            .post(format!("{base}/api/v1/shipments/{pn}/cancel-items"))
            .bearer_auth(&token)
            .header("idempotency-key", format!("crash-{pn}"))
            .header("if-match", "\"1\"")
            .json(&request)
            .send()
            .await
            .expect("an answer");
        assert_eq!(replay.status(), StatusCode::OK, "{pn}");
        assert_eq!(replay.headers()["idempotent-replayed"], "true", "{pn}");
        assert_eq!(
            &replay.text().await.expect("a body"),
            body,
            "{pn}: the same answer"
        );
    }
    let conn = rusqlite::Connection::open(&db).expect("the database");
    for (pn, _) in &answered {
        assert_eq!(
            stored(&conn, pn).version,
            2,
            "{pn}: replays changed nothing"
        );
    }
}

/// The demo data shows partial cancellations where they are offered and where not, a warning
/// that clears, and a sweep with every kind of shipment (RULES.md; issue 14).
#[tokio::test]
async fn the_demo_data_offers_partial_cancellations_and_an_out_of_stock_sweep() {
    use domain::out_of_stock::{Removal, removal};
    let server = crate::common::TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    let mut shipments: Vec<domain::Shipment> = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let query = cursor
            .as_deref()
            .map(|c| format!("&cursor={c}"))
            .unwrap_or_default();
        let (_, page) = server
            .get(&format!("/api/v1/shipments?limit=200{query}"), &token)
            .await;
        shipments.extend(
            serde_json::from_value::<Vec<domain::Shipment>>(page["items"].clone())
                .expect("shipments"),
        );
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => break,
        }
    }
    let several = |s: &&domain::Shipment| s.products.len() >= 2;
    let offered: Vec<&domain::Shipment> = shipments
        .iter()
        .filter(several)
        .filter(|s| domain::partial::partial_offered(s.status))
        .collect();
    assert!(offered.len() >= 3, "{} offered", offered.len());
    assert!(offered.iter().any(|s| s.products.len() >= 3));
    for status in [Status::AwaitingShipment, Status::InTransit] {
        assert!(
            shipments.iter().filter(several).any(|s| s.status == status),
            "a shipment of several products {status:?}, where it is not offered"
        );
    }
    // A commercial warning that a partial cancellation of one unit clears, through the API.
    let commercial = offered
        .iter()
        .find_map(|s| {
            let warned = s
                .eligibility
                .warnings
                .contains(&domain::Warning::CommercialShipment);
            let four = s.products.iter().find(|p| p.quantity == 4)?;
            warned.then(|| (s.posting_number.clone(), s.version, four.sku.clone()))
        })
        .expect("a commercial shipment with four of one product awaiting packaging");
    let (pn, version, sku) = commercial;
    let (status, answer, _) = server
        .intent(
            &path(&pn),
            &token,
            "demo",
            Some(version),
            json!({"reason": "customer_request", "items": [{"sku": sku, "quantity": 1}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(
        answer["eligibility"]["warnings"],
        json!([]),
        "the warning cleared"
    );
    // The sweep: one SKU at one warehouse, before handover, in every kind of shipment.
    let mut groups: HashMap<(&str, &str), Vec<&domain::Shipment>> = HashMap::new();
    for s in shipments.iter().filter(|s| s.status.is_before_handover()) {
        for line in &s.products {
            groups
                .entry((line.sku.as_str(), s.warehouse_id.as_str()))
                .or_default()
                .push(s);
        }
    }
    let sweep = groups.iter().any(|((sku, _), held)| {
        let judged: Vec<Removal> = held.iter().filter_map(|s| removal(s, sku)).collect();
        let partial = judged
            .iter()
            .filter(|r| matches!(r, Removal::Partial(_)))
            .count();
        let whole = judged.iter().any(|r| matches!(r, Removal::Whole(_)));
        let skipped = judged.contains(&Removal::Skip(domain::ProblemCode::PartialNotOffered));
        // One to start from, and two more to remove it from.
        partial >= 3 && whole && skipped
    });
    assert!(
        sweep,
        "a sweep with a whole, two partial and a skipped shipment"
    );
}

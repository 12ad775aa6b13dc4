//! The out-of-stock sweep: the pre-check finds, on the server, the other shipments before handover
//! at a warehouse that hold a product and judges each; the removal takes the product out of each
//! (a partial cancellation where others remain, a whole one where it was the only product), once
//! per key, with the versions judged.

use domain::fixture::FixtureShipment;
use domain::out_of_stock::RemovalPrecheck;
use domain::{ProblemCode, Status};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::common::{DEMO_SELLER, OTHER_SELLER, TestServer, code, with_fixture};

const SKU: &str = "sweep-1";
const WAREHOUSE: &str = "wh-sweep";
const PRECHECK: &str = "/api/v1/shipments/remove-product/precheck";

fn shipment(
    posting_number: &str,
    status: Status,
    warehouse: &str,
    lines: &[(&str, u32)],
) -> FixtureShipment {
    serde_json::from_value(json!({
        "posting_number": posting_number,
        "order_number": posting_number.rsplit_once('-').map(|(order, _)| order).unwrap_or(posting_number),
        "status": status,
        "delivery": {"method": "partner", "provider": "Cainiao"},
        "destination": {"country": "RU", "city": "Kazan"},
        "warehouse_id": warehouse,
        "products": lines.iter().map(|(sku, quantity)| json!({
            "sku": sku, "name": format!("Product {sku}"), "quantity": quantity,
            "price": "1.00", "currency": "USD"
        })).collect::<Vec<_>>(),
        "created_at": "2026-11-20T08:00:00Z",
        "ship_by": "2099-11-23T08:00:00Z"
    }))
    .expect("a fixture shipment")
}

/// A: other products remain. B and D: the product alone (awaiting packaging, ready for shipment).
/// C: packed with another product. E: in transit. F: another warehouse. G: another seller's.
async fn server() -> TestServer {
    with_fixture(|fixture| {
        let mine = [
            shipment(
                "90000001-0001-1",
                Status::AwaitingPackaging,
                WAREHOUSE,
                &[(SKU, 2), ("keep", 1)],
            ),
            shipment(
                "90000001-0002-1",
                Status::AwaitingPackaging,
                WAREHOUSE,
                &[(SKU, 1)],
            ),
            shipment(
                "90000001-0003-1",
                Status::AwaitingShipment,
                WAREHOUSE,
                &[("keep", 1), (SKU, 1)],
            ),
            shipment(
                "90000001-0004-1",
                Status::ReadyForShipment,
                WAREHOUSE,
                &[(SKU, 3)],
            ),
            shipment(
                "90000001-0005-1",
                Status::InTransit,
                WAREHOUSE,
                &[(SKU, 1), ("keep", 1)],
            ),
            shipment(
                "90000001-0006-1",
                Status::AwaitingPackaging,
                "wh-elsewhere",
                &[(SKU, 1), ("keep", 1)],
            ),
        ];
        let theirs = shipment(
            "90000002-0001-1",
            Status::AwaitingPackaging,
            WAREHOUSE,
            &[(SKU, 1), ("keep", 1)],
        );
        for seller in &mut fixture.sellers {
            if seller.id == DEMO_SELLER {
                seller.shipments.extend(mine.iter().cloned());
            } else if seller.id == OTHER_SELLER {
                seller.shipments.push(theirs.clone());
            }
        }
    })
    .await
}

async fn precheck(server: &TestServer, token: &str, body: Value) -> (StatusCode, Value) {
    server
        .send(Method::POST, PRECHECK, Some(token), Some(body))
        .await
}

fn numbers(seen: &[domain::wire::SeenShipment]) -> Vec<&str> {
    seen.iter().map(|s| s.posting_number.as_str()).collect()
}

#[tokio::test]
async fn the_precheck_finds_and_judges_the_shipments_holding_the_product_there() {
    let server = server().await;
    let token = server.token(DEMO_SELLER).await;
    let (status, body) = precheck(
        &server,
        &token,
        json!({"sku": SKU, "warehouse_id": WAREHOUSE}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let answer: RemovalPrecheck = serde_json::from_value(body).expect("a pre-check");
    // In transit, at another warehouse, another seller's: not counted at all.
    assert_eq!(answer.holding, 4);
    assert_eq!(answer.considered, 4);
    assert_eq!(numbers(&answer.partial), ["90000001-0001-1"]);
    assert_eq!(
        numbers(&answer.whole),
        ["90000001-0002-1", "90000001-0004-1"]
    );
    assert_eq!(answer.skipped.len(), 1);
    assert_eq!(answer.skipped[0].code, ProblemCode::PartialNotOffered);
    assert_eq!(answer.skipped[0].shipments, 1);
    // The versions judged are the shipments' current ones.
    for seen in answer.partial.iter().chain(&answer.whole) {
        assert_eq!(
            seen.version,
            server.version(&token, &seen.posting_number).await
        );
    }
    // Nothing changed.
    let (_, again) = precheck(
        &server,
        &token,
        json!({"sku": SKU, "warehouse_id": WAREHOUSE}),
    )
    .await;
    let again: RemovalPrecheck = serde_json::from_value(again).expect("a pre-check");
    assert_eq!(again, answer);
}

#[tokio::test]
async fn another_seller_sees_only_its_own_shipments() {
    let server = server().await;
    let token = server.token(OTHER_SELLER).await;
    let (status, body) = precheck(
        &server,
        &token,
        json!({"sku": SKU, "warehouse_id": WAREHOUSE}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let answer: RemovalPrecheck = serde_json::from_value(body).expect("a pre-check");
    assert_eq!(answer.holding, 1);
    assert_eq!(numbers(&answer.partial), ["90000002-0001-1"]);
}

#[tokio::test]
async fn nothing_holds_an_unknown_product() {
    let server = server().await;
    let token = server.token(DEMO_SELLER).await;
    let (status, body) = precheck(
        &server,
        &token,
        json!({"sku": "no-such-sku", "warehouse_id": WAREHOUSE}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["holding"], 0);
    assert_eq!(body["partial"], json!([]));
    assert_eq!(body["whole"], json!([]));
}

#[tokio::test]
async fn a_bad_precheck_is_a_400_naming_the_field() {
    let server = server().await;
    let token = server.token(DEMO_SELLER).await;
    for (body, parameter) in [
        (json!({"sku": "", "warehouse_id": WAREHOUSE}), Some("sku")),
        (
            json!({"sku": SKU, "warehouse_id": "  "}),
            Some("warehouse_id"),
        ),
        (
            json!({"sku": "x".repeat(201), "warehouse_id": WAREHOUSE}),
            Some("sku"),
        ),
        (json!({"sku": SKU}), None),
        (
            json!({"sku": SKU, "warehouse_id": WAREHOUSE, "extra": 1}),
            None,
        ),
    ] {
        let (status, answer) = precheck(&server, &token, body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
        assert_eq!(code(&answer), "malformed_request");
        if let Some(parameter) = parameter {
            assert_eq!(answer["parameter"], parameter, "{body}");
        }
    }
    let (status, _) = server
        .send(
            Method::POST,
            PRECHECK,
            None,
            Some(json!({"sku": SKU, "warehouse_id": WAREHOUSE})),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

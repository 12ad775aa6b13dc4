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
const REMOVE: &str = "/api/v1/shipments/remove-product";

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
                for (sku, quantity) in [(SKU, 7), ("keep", 5)] {
                    seller.products.push(
                        serde_json::from_value(
                            json!({"sku": sku, "name": format!("Product {sku}"),
                            "stock": [{"warehouse_id": WAREHOUSE, "quantity": quantity}]}),
                        )
                        .expect("a product"),
                    );
                }
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

async fn stock(server: &TestServer, token: &str, sku: &str) -> u64 {
    crate::common::stock(server, token, sku, WAREHOUSE).await
}

/// The pre-check's shipments to change, with their versions, as the app sends them.
async fn judged(server: &TestServer, token: &str) -> (Vec<String>, Vec<u64>) {
    let (_, body) = precheck(
        server,
        token,
        json!({"sku": SKU, "warehouse_id": WAREHOUSE}),
    )
    .await;
    let answer: RemovalPrecheck = serde_json::from_value(body).expect("a pre-check");
    answer
        .partial
        .iter()
        .chain(&answer.whole)
        .map(|seen| (seen.posting_number.clone(), seen.version))
        .unzip()
}

#[tokio::test]
async fn the_removal_reduces_or_cancels_each_shipment_once_and_resets_that_stock_only() {
    let server = server().await;
    let token = server.token(DEMO_SELLER).await;
    let (posting_numbers, versions) = judged(&server, &token).await;
    // The packed one is sent too, as a stale pre-check might: the rules skip it.
    let mut posting_numbers = posting_numbers;
    let mut versions = versions;
    posting_numbers.push("90000001-0003-1".to_owned());
    versions.push(server.version(&token, "90000001-0003-1").await);
    let body = json!({"sku": SKU, "warehouse_id": WAREHOUSE,
                      "posting_numbers": posting_numbers, "versions": versions});
    let (status, answer, _) = server
        .intent(REMOVE, &token, "sweep-1", None, body.clone())
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let results = answer["results"].as_array().expect("results");
    let outcome = |pn: &str| {
        let result = results
            .iter()
            .find(|r| r["posting_number"] == pn)
            .expect("a result");
        (
            result["outcome"].as_str().unwrap().to_owned(),
            result["code"].clone(),
            result["shipment"].clone(),
        )
    };
    let (reduced, code, shipment) = outcome("90000001-0001-1");
    assert_eq!((reduced.as_str(), &code), ("reduced", &Value::Null));
    assert_eq!(
        shipment["products"].as_array().unwrap().len(),
        1,
        "{shipment}"
    );
    assert_eq!(shipment["products"][0]["sku"], "keep");
    assert_eq!(shipment["cancelled_items"][0]["sku"], SKU);
    assert_eq!(shipment["cancelled_items"][0]["quantity"], 2);
    assert_eq!(shipment["cancelled_items"][0]["reason"], "out_of_stock");
    assert_eq!(shipment["status"], "awaiting_packaging");
    for pn in ["90000001-0002-1", "90000001-0004-1"] {
        let (cancelled, _, shipment) = outcome(pn);
        assert_eq!(cancelled, "cancelled");
        assert_eq!(shipment["status"], "cancelled");
        assert_eq!(shipment["cancellation"]["reason"], "out_of_stock");
    }
    let (skipped, code, _) = outcome("90000001-0003-1");
    assert_eq!(
        (skipped.as_str(), code.as_str()),
        ("skipped", Some("partial_not_offered"))
    );
    // The product that ran out has no stock there; the product that stayed keeps its stock.
    assert_eq!(stock(&server, &token, SKU).await, 0);
    assert_eq!(stock(&server, &token, "keep").await, 5);

    // The same key again: the same answer, and nothing done twice.
    let after: Vec<u64> = {
        let mut v = Vec::new();
        for pn in ["90000001-0001-1", "90000001-0002-1", "90000001-0004-1"] {
            v.push(server.version(&token, pn).await);
        }
        v
    };
    let (status, replay, _) = server.intent(REMOVE, &token, "sweep-1", None, body).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(replay, answer);
    for (pn, version) in ["90000001-0001-1", "90000001-0002-1", "90000001-0004-1"]
        .iter()
        .zip(after)
    {
        assert_eq!(
            server.version(&token, pn).await,
            version,
            "{pn} changed on replay"
        );
    }
    // Nothing is left to remove.
    let (_, body) = precheck(
        &server,
        &token,
        json!({"sku": SKU, "warehouse_id": WAREHOUSE}),
    )
    .await;
    assert_eq!(
        body["holding"], 1,
        "only the packed one still holds it: {body}"
    );
}

#[tokio::test]
async fn a_changed_or_elsewhere_shipment_is_skipped_with_its_state() {
    let server = server().await;
    let token = server.token(DEMO_SELLER).await;
    let stale = server.version(&token, "90000001-0001-1").await - 1;
    let elsewhere = server.version(&token, "90000001-0006-1").await;
    let body = json!({"sku": SKU, "warehouse_id": WAREHOUSE,
                      "posting_numbers": ["90000001-0001-1", "90000001-0006-1", "90000002-0001-1"],
                      "versions": [stale, elsewhere, 1]});
    let (status, answer, _) = server.intent(REMOVE, &token, "sweep-2", None, body).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let results = answer["results"].as_array().expect("results");
    assert_eq!(results[0]["outcome"], "skipped");
    assert_eq!(results[0]["code"], "version_mismatch");
    assert_eq!(
        results[0]["shipment"]["products"].as_array().unwrap().len(),
        2
    );
    // At another warehouse: not this removal's to change.
    assert_eq!(results[1]["outcome"], "skipped");
    assert_eq!(results[1]["code"], "invalid_items");
    // Another seller's: not found, exactly like a missing one.
    assert_eq!(results[2]["outcome"], "failed");
    assert_eq!(results[2]["code"], "not_found");
    assert_eq!(results[2]["shipment"], Value::Null);
    assert_eq!(stock(&server, &token, SKU).await, 7, "nothing was removed");
}

#[tokio::test]
async fn a_bad_removal_changes_nothing() {
    let server = server().await;
    let token = server.token(DEMO_SELLER).await;
    let version = server.version(&token, "90000001-0001-1").await;
    let too_many: Vec<String> = (0..=domain::api::matching::BATCH)
        .map(|n| format!("9-{n}"))
        .collect();
    let too_many_versions = vec![1; too_many.len()];
    for (body, status, problem) in [
        (
            json!({"sku": SKU, "warehouse_id": WAREHOUSE, "posting_numbers": ["90000001-0001-1"], "versions": []}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_versions",
        ),
        (
            json!({"sku": SKU, "warehouse_id": WAREHOUSE, "posting_numbers": [], "versions": []}),
            StatusCode::BAD_REQUEST,
            "malformed_request",
        ),
        (
            json!({"sku": SKU, "warehouse_id": WAREHOUSE, "posting_numbers": too_many, "versions": too_many_versions}),
            StatusCode::BAD_REQUEST,
            "malformed_request",
        ),
        (
            json!({"sku": "", "warehouse_id": WAREHOUSE, "posting_numbers": ["90000001-0001-1"], "versions": [version]}),
            StatusCode::BAD_REQUEST,
            "malformed_request",
        ),
        (
            json!({"sku": SKU, "warehouse_id": WAREHOUSE, "posting_numbers": ["90000001-0001-1"]}),
            StatusCode::BAD_REQUEST,
            "malformed_request",
        ),
    ] {
        let (got, answer, _) = server
            .intent(REMOVE, &token, "bad", None, body.clone())
            .await;
        assert_eq!((got, code(&answer)), (status, problem), "{body}: {answer}");
    }
    let (got, answer) = server
        .send(
            Method::POST,
            REMOVE,
            Some(&token),
            Some(json!({"sku": SKU, "warehouse_id": WAREHOUSE,
            "posting_numbers": ["90000001-0001-1"], "versions": [version]})),
        )
        .await;
    assert_eq!(
        (got, code(&answer)),
        (StatusCode::BAD_REQUEST, "idempotency_key_required")
    );
    assert_eq!(server.version(&token, "90000001-0001-1").await, version);
    assert_eq!(stock(&server, &token, SKU).await, 7);
}

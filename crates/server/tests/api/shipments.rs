//! The list (filters, search, sort, cursor pagination), one shipment, and tenant isolation.

use std::collections::HashSet;

use domain::Shipment;
use domain::fixture::FixtureShipment;
use reqwest::StatusCode;
use serde_json::Value;

use crate::common::{DEMO_SELLER, EXAMPLE, OTHER_SELLER, TestServer, code};

fn demo_shipments(seller: &str) -> Vec<FixtureShipment> {
    let (fixture, _) = server::demo::embedded().expect("the demo fixture");
    fixture
        .sellers
        .into_iter()
        .find(|s| s.id == seller)
        .expect("the seller")
        .shipments
}

/// Follows `next_cursor` to the end; checks every page and returns the shipments in order.
async fn walk(server: &TestServer, token: &str, query: &str) -> (Vec<Shipment>, u64) {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    let mut total = None;
    for _ in 0..1000 {
        let path = match &cursor {
            Some(c) => format!("/api/v1/shipments?{query}&cursor={c}"),
            None => format!("/api/v1/shipments?{query}"),
        };
        let (status, body) = server.get(&path, token).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        let page: domain::wire::ShipmentPage = serde_json::from_value(body).expect("a page");
        assert!(
            total.is_none_or(|t| t == page.total),
            "the total is stable across pages"
        );
        total = Some(page.total);
        items.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return (items, total.unwrap_or(0)),
        }
    }
    panic!("the pages never ended");
}

fn posting_numbers(items: &[Shipment]) -> Vec<String> {
    items.iter().map(|s| s.posting_number.clone()).collect()
}

fn assert_unique(items: &[Shipment]) {
    let unique: HashSet<_> = items.iter().map(|s| &s.posting_number).collect();
    assert_eq!(unique.len(), items.len(), "no shipment appears twice");
}

#[tokio::test]
async fn every_page_walk_sees_each_shipment_once_in_order_with_rules_computed_eligibility() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    let expected: HashSet<String> = demo_shipments(DEMO_SELLER)
        .into_iter()
        .map(|s| s.posting_number)
        .collect();
    for (query, by_created, descending) in [
        ("limit=37", false, false),
        ("limit=50&sort=ship_by&order=desc", false, true),
        ("limit=200&sort=created_at&order=asc", true, false),
        (
            "limit=1&sort=created_at&order=desc&status=in_transit",
            true,
            true,
        ),
        // Several statuses: their ranges of the status-led index, merged in order page by page.
        (
            "limit=7&order=desc&status=awaiting_packaging,awaiting_shipment,ready_for_shipment",
            false,
            true,
        ),
        (
            "limit=9&sort=created_at&status=cancelled,awaiting_packaging",
            true,
            false,
        ),
    ] {
        let (items, total) = walk(&server, &token, query).await;
        assert_eq!(items.len() as u64, total, "{query}");
        assert_unique(&items);
        let key = |s: &Shipment| if by_created { s.created_at } else { s.ship_by };
        for pair in items.windows(2) {
            let in_order = if descending {
                key(&pair[0]) >= key(&pair[1])
            } else {
                key(&pair[0]) <= key(&pair[1])
            };
            assert!(
                in_order,
                "{query}: {} then {}",
                pair[0].posting_number, pair[1].posting_number
            );
        }
        for shipment in &items {
            assert_eq!(
                shipment.eligibility,
                shipment.evaluate(),
                "{}",
                shipment.posting_number
            );
        }
        if !query.contains("status") {
            let seen: HashSet<String> = posting_numbers(&items).into_iter().collect();
            assert_eq!(seen, expected, "{query}: nothing missed, nothing extra");
        }
    }
}

#[tokio::test]
async fn filters_and_search_match_the_fixture() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    let all = demo_shipments(DEMO_SELLER);
    let matching = |f: &dyn Fn(&FixtureShipment) -> bool| -> HashSet<String> {
        all.iter()
            .filter(|s| f(s))
            .map(|s| s.posting_number.clone())
            .collect()
    };
    let contains = |s: &FixtureShipment, q: &str| {
        s.posting_number.to_lowercase().contains(q)
            || s.order_number.to_lowercase().contains(q)
            || s.products
                .iter()
                .any(|p| p.sku.to_lowercase().contains(q) || p.name.to_lowercase().contains(q))
    };
    let cases: Vec<(&str, HashSet<String>)> = vec![
        (
            "status=in_transit",
            matching(&|s| s.status == domain::Status::InTransit),
        ),
        (
            "status=awaiting_packaging,awaiting_shipment",
            matching(&|s| {
                matches!(
                    s.status,
                    domain::Status::AwaitingPackaging | domain::Status::AwaitingShipment
                )
            }),
        ),
        (
            "delivery=china_post",
            matching(&|s| s.delivery.method == domain::DeliveryMethod::ChinaPost),
        ),
        ("city=kazan", matching(&|s| s.destination.city == "Kazan")),
        (
            "city=Saint%20Petersburg",
            matching(&|s| s.destination.city == "Saint Petersburg"),
        ),
        ("q=PHONE%20CASE", matching(&|s| contains(s, "phone case"))),
        ("q=1007", matching(&|s| contains(s, "1007"))),
        (
            "q=87654321-0001",
            matching(&|s| contains(s, "87654321-0001")),
        ),
        (
            "status=in_transit&delivery=partner&city=Moscow&q=cable",
            matching(&|s| {
                s.status == domain::Status::InTransit
                    && s.delivery.method == domain::DeliveryMethod::Partner
                    && s.destination.city == "Moscow"
                    && contains(s, "cable")
            }),
        ),
        ("q=no-such-thing-anywhere", HashSet::new()),
        ("status=&delivery=&city=&q=", matching(&|_| true)),
    ];
    for (query, expected) in cases {
        let (items, total) = walk(&server, &token, &format!("{query}&limit=40")).await;
        let seen: HashSet<String> = posting_numbers(&items).into_iter().collect();
        assert_eq!(total as usize, expected.len(), "{query}");
        assert_eq!(seen, expected, "{query}");
        assert!(
            !query.starts_with("status=in") || !expected.is_empty(),
            "{query} is a real test"
        );
    }
}

#[tokio::test]
async fn invalid_list_parameters_answer_400_malformed_request() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    let (_, first) = server.get("/api/v1/shipments?limit=2", &token).await;
    let ship_by_cursor = first["next_cursor"].as_str().expect("a cursor").to_owned();
    for query in [
        "status=lost".to_owned(),
        "status=in_transit,bogus".to_owned(),
        "delivery=pigeon".to_owned(),
        "sort=price".to_owned(),
        "order=sideways".to_owned(),
        "limit=0".to_owned(),
        "limit=201".to_owned(),
        "limit=-1".to_owned(),
        "limit=ten".to_owned(),
        "cursor=garbage!".to_owned(),
        "cursor=djE6eDp5Ono6dw".to_owned(),
        format!("sort=created_at&cursor={ship_by_cursor}"),
        format!("order=desc&cursor={ship_by_cursor}"),
        "page=2".to_owned(),
        format!("q={}", "x".repeat(201)),
        "q=%07bell".to_owned(),
    ] {
        let (status, body) = server
            .get(&format!("/api/v1/shipments?{query}"), &token)
            .await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::BAD_REQUEST, "malformed_request"),
            "{query}: {body}"
        );
    }
}

#[tokio::test]
async fn one_shipment_has_the_wire_shape_of_design_md() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    let (status, body) = server
        .get(&format!("/api/v1/shipments/{EXAMPLE}"), &token)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["posting_number"], EXAMPLE);
    assert_eq!(body["order_number"], "87654321-0001");
    assert_eq!(body["status"], "in_transit");
    assert_eq!(
        body["delivery"],
        serde_json::json!({"method": "partner", "provider": "Cainiao"})
    );
    assert_eq!(
        body["products"],
        serde_json::json!([{"sku": "1001", "name": "Phone case", "quantity": 4, "price": "3.20", "currency": "USD"}])
    );
    assert_eq!(body["cancellation"], Value::Null);
    assert_eq!(
        body["eligibility"],
        serde_json::json!({"cancellable": true, "mode": "carrier_request",
            "reasons": ["customer_request", "lost_by_carrier", "other"],
            "warnings": ["commercial_shipment"], "blocked": null})
    );
    assert!(body["version"].as_u64().is_some_and(|v| v >= 1));
    let response = server
        .client
        .get(server.url(&format!("/api/v1/shipments/{EXAMPLE}")))
        .bearer_auth(&token)
        .send()
        .await
        .expect("an answer");
    assert_eq!(
        response.headers()["etag"].to_str().ok(),
        Some(format!("\"{}\"", body["version"]).as_str())
    );
}

#[tokio::test]
async fn another_sellers_shipment_is_exactly_like_a_missing_one() {
    let server = TestServer::demo().await;
    let other = server.token(OTHER_SELLER).await;
    let (status, foreign) = server
        .get(&format!("/api/v1/shipments/{EXAMPLE}"), &other)
        .await;
    let (missing_status, missing) = server
        .get("/api/v1/shipments/00000000-0000-1", &other)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!((status, &foreign), (missing_status, &missing));

    let (items, total) = walk(&server, &other, "limit=200").await;
    let own: HashSet<String> = demo_shipments(OTHER_SELLER)
        .into_iter()
        .map(|s| s.posting_number)
        .collect();
    assert_eq!(total as usize, own.len());
    assert_eq!(
        posting_numbers(&items).into_iter().collect::<HashSet<_>>(),
        own
    );
    let (_, searched) = server.get("/api/v1/shipments?q=87654321", &other).await;
    assert_eq!(
        searched["total"], 0,
        "search never reaches another seller's shipments"
    );
}

#[tokio::test]
async fn pages_are_compressed_for_clients_that_accept_it() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    let response = server
        .client
        .get(server.url("/api/v1/shipments?limit=200"))
        .bearer_auth(&token)
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-encoding"], "gzip");
    let compressed = response.bytes().await.expect("bytes").len();
    let (_, plain) = server.get("/api/v1/shipments?limit=200", &token).await;
    assert!(
        compressed * 4 < plain.to_string().len(),
        "{compressed} bytes"
    );
}

/// Search text with the trigram index's syntax characters is matched literally, never an error.
#[tokio::test]
async fn odd_search_text_is_matched_literally() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    let all = demo_shipments(DEMO_SELLER);
    for q in [
        "\"",
        "\"\"",
        "a\"b",
        "NEAR(a b)",
        "*",
        "ph*",
        "^pho",
        "sku:1001",
        "'--",
        "1 m",
        "14\"",
        "Ω≈ç",
        "\u{1f4e6}box",
        "OR AND NOT",
        "(",
        "…",
    ] {
        let encoded: String = q.bytes().map(|b| format!("%{b:02X}")).collect();
        let (status, body) = server
            .get(&format!("/api/v1/shipments?limit=200&q={encoded}"), &token)
            .await;
        assert_eq!(status, StatusCode::OK, "{q:?}: {body}");
        let needle = q.trim().to_lowercase();
        // One or two characters: the start of the posting number, or a whole field (API.md).
        let short = needle.chars().count() < 3;
        let found = |field: &str| {
            let field = field.to_lowercase();
            if short {
                field == needle
            } else {
                field.contains(&needle)
            }
        };
        let expected = all
            .iter()
            .filter(|s| {
                (if short {
                    s.posting_number.to_lowercase().starts_with(&needle)
                } else {
                    found(&s.posting_number)
                }) || found(&s.order_number)
                    || s.products.iter().any(|p| found(&p.sku) || found(&p.name))
            })
            .count();
        assert_eq!(body["total"].as_u64(), Some(expected as u64), "{q:?}");
    }
}

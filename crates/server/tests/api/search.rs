//! The text search on a list large enough for both ways of finding a page: looking up few matches,
//! and walking the sort index past many; short searches; Cyrillic and Chinese product names.

use std::collections::HashSet;

use domain::fixture::{Fixture, FixtureShipment};
use domain::{SearchText, Shipment};
use reqwest::StatusCode;
use server::search::MATCH_DRIVEN_MAX;

use crate::common::{DEMO_SELLER, TestServer, config_in};

const SHIPMENTS: usize = 3_000;

/// The generated data set, with a few fields only this test looks for.
fn fixture() -> Fixture {
    let mut fixture = server::demo::generate(SHIPMENTS);
    let shipments = &mut fixture.sellers[0].shipments;
    shipments[40].products[0].name = "Чехол для телефона".to_owned();
    shipments[41].products[0].name = "手机壳 透明".to_owned();
    shipments[42].products[0].sku = "7".to_owned();
    shipments[43].order_number = "Z9".to_owned();
    shipments[44].products[0].name = "表".to_owned();
    fixture
}

/// What API.md says `q` matches, as the rules crate defines it: the server's indexes must agree.
fn matches(s: &FixtureShipment, q: &str) -> bool {
    let search = SearchText::new(q).expect("a search");
    search.matches_fields(
        &s.posting_number,
        std::iter::once(s.order_number.as_str()).chain(
            s.products
                .iter()
                .flat_map(|p| [p.sku.as_str(), p.name.as_str()]),
        ),
    )
}

async fn walk(server: &TestServer, token: &str, query: &str) -> (Vec<Shipment>, u64) {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    let mut total = None;
    for _ in 0..100 {
        let path = match &cursor {
            Some(c) => format!("/api/v1/shipments?{query}&limit=200&cursor={c}"),
            None => format!("/api/v1/shipments?{query}&limit=200"),
        };
        let (status, body) = server.get(&path, token).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        let page: domain::wire::ShipmentPage = serde_json::from_value(body).expect("a page");
        assert!(
            total.is_none_or(|t| t == page.total),
            "{query}: a stable total"
        );
        total = Some(page.total);
        items.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return (items, total.unwrap_or(0)),
        }
    }
    panic!("{query}: the pages never ended");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_finds_the_same_by_lookup_and_by_walking_in_order() {
    let fixture = fixture();
    let dir = tempfile::tempdir().expect("a directory");
    let seed = dir.path().join("search.json");
    std::fs::write(&seed, server::demo::render(&fixture).expect("JSON")).expect("written");
    let mut config = config_in(&dir);
    config.seed = Some(seed);
    config.demo = true;
    let server = TestServer::start_in(dir, config).await;
    let token = server.token(DEMO_SELLER).await;
    let all = &fixture.sellers[0].shipments;

    // (query, the text searched, whether the matches exceed what is looked up directly)
    let cases: [(&str, &str, Option<bool>); 16] = [
        ("q=300", "300", Some(true)),
        ("q=phone", "phone", Some(false)),
        ("q=3", "3", Some(true)),
        ("q=30", "30", Some(true)),
        ("q=%D0%A7%D0%95%D0%A5%D0%9E%D0%9B", "ЧЕХОЛ", Some(false)),
        ("q=%D1%82%D0%B5%D0%BB", "тел", Some(false)),
        ("q=%E6%89%8B%E6%9C%BA%E5%A3%B3", "手机壳", Some(false)),
        ("q=%E6%89%8B%E6%9C%BA", "手机", None),
        ("q=%E8%A1%A8", "表", Some(false)),
        ("q=7", "7", Some(false)),
        ("q=z9", "z9", Some(false)),
        ("q=ph", "ph", None),
        ("q=%20%201%20", "1", None),
        ("q=300&status=in_transit", "300", None),
        ("q=3&sort=created_at&order=desc", "3", Some(true)),
        ("q=cable&city=moscow&order=desc", "cable", None),
    ];
    for (query, q, many) in cases {
        let filter = |s: &&FixtureShipment| {
            (!query.contains("status=in_transit") || s.status == domain::Status::InTransit)
                && (!query.contains("city=moscow") || s.destination.city == "Moscow")
        };
        let expected: HashSet<String> = all
            .iter()
            .filter(filter)
            .filter(|s| matches(s, q))
            .map(|s| s.posting_number.clone())
            .collect();
        if let Some(many) = many {
            assert_eq!(
                expected.len() > MATCH_DRIVEN_MAX,
                many,
                "{query}: {} matches",
                expected.len()
            );
            assert!(!expected.is_empty(), "{query} is a real test");
        }
        let (items, total) = walk(&server, &token, query).await;
        let seen: Vec<String> = items.iter().map(|s| s.posting_number.clone()).collect();
        assert_eq!(total as usize, expected.len(), "{query}: the total");
        assert_eq!(seen.len(), expected.len(), "{query}: each match once");
        assert_eq!(
            seen.into_iter().collect::<HashSet<_>>(),
            expected,
            "{query}: the matches"
        );
        let keys: Vec<_> = items
            .iter()
            .map(|s| {
                if query.contains("sort=created_at") {
                    s.created_at
                } else {
                    s.ship_by
                }
            })
            .collect();
        let descending = query.contains("order=desc");
        assert!(
            keys.windows(2).all(|w| if descending {
                w[0] >= w[1]
            } else {
                w[0] <= w[1]
            }),
            "{query}: in order"
        );
    }
}

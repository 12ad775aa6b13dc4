//! The delivery providers: the list's `provider` filter, `GET /providers`, and the demo's way to make
//! a provider answer now (`--provider-delay`, `POST /dev/shipments/{pn}/provider-decision`).

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use domain::fixture::FixtureShipment;
use domain::wire::{ProviderList, ShipmentPage};
use domain::{DeliveryMethod, Status};
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::common::{DEMO_SELLER, OTHER_SELLER, SECRET, TestServer, code, showcase};

/// A valid token signed with the tests' secret, as a portal backend would mint it.
fn mint(seller: &str) -> String {
    let now = chrono::Utc::now().timestamp();
    let claims = server::auth::Claims {
        sub: seller.to_owned(),
        aud: server::auth::AUDIENCE.to_owned(),
        iat: now,
        exp: now + 600,
        nbf: None,
    };
    jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(SECRET),
    )
    .expect("a token")
}

fn demo_shipments(seller: &str) -> Vec<FixtureShipment> {
    let (fixture, _) = server::demo::embedded().expect("the demo fixture");
    fixture
        .sellers
        .into_iter()
        .find(|s| s.id == seller)
        .expect("the seller")
        .shipments
}

/// Every posting number a query matches, over all pages, and the total the server gave.
async fn matches(server: &TestServer, token: &str, query: &str) -> (HashSet<String>, u64) {
    let mut seen = HashSet::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/shipments?{query}&limit=200&cursor={c}"),
            None => format!("/api/v1/shipments?{query}&limit=200"),
        };
        let (status, body) = server.get(&path, token).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        let page: ShipmentPage = serde_json::from_value(body).expect("a page");
        seen.extend(page.items.into_iter().map(|s| s.posting_number));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => return (seen, page.total),
        }
    }
}

#[tokio::test]
async fn the_provider_filter_matches_the_fixture_alone_and_with_the_other_filters() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    let all = demo_shipments(DEMO_SELLER);
    let expected = |f: &dyn Fn(&FixtureShipment) -> bool| -> HashSet<String> {
        all.iter()
            .filter(|s| f(s))
            .map(|s| s.posting_number.clone())
            .collect()
    };
    let by = |s: &FixtureShipment, name: &str| s.delivery.provider.as_deref() == Some(name);
    let cases: Vec<(&str, HashSet<String>)> = vec![
        ("provider=Cainiao", expected(&|s| by(s, "Cainiao"))),
        ("provider=China%20Post", expected(&|s| by(s, "China Post"))),
        (
            "provider=Yanwen&status=in_transit",
            expected(&|s| by(s, "Yanwen") && s.status == Status::InTransit),
        ),
        (
            "provider=YunExpress&status=awaiting_packaging,awaiting_shipment&delivery=partner",
            expected(&|s| {
                by(s, "YunExpress")
                    && matches!(
                        s.status,
                        Status::AwaitingPackaging | Status::AwaitingShipment
                    )
            }),
        ),
        (
            "provider=Cainiao&city=kazan",
            expected(&|s| by(s, "Cainiao") && s.destination.city == "Kazan"),
        ),
        (
            "provider=Cainiao&q=phone",
            expected(&|s| {
                by(s, "Cainiao")
                    && s.products
                        .iter()
                        .any(|p| p.name.to_lowercase().contains("phone"))
            }),
        ),
        // Providers are compared exactly, as GET /providers names them.
        ("provider=cainiao", HashSet::new()),
        ("provider=Cainiao&delivery=seller", HashSet::new()),
        ("provider=", expected(&|_| true)),
    ];
    for (query, wanted) in cases {
        let (seen, total) = matches(&server, &token, query).await;
        assert_eq!(total as usize, wanted.len(), "{query}");
        assert_eq!(seen, wanted, "{query}");
    }
    assert!(
        !expected(&|s| by(s, "Cainiao") && s.destination.city == "Kazan").is_empty(),
        "the Kazan case is a real test"
    );

    for bad in [
        format!("provider={}", "x".repeat(201)),
        "provider=%07".to_owned(),
    ] {
        let (status, body) = server
            .get(&format!("/api/v1/shipments?{bad}"), &token)
            .await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::BAD_REQUEST, "malformed_request"),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn providers_lists_each_sellers_own_providers_with_their_counts() {
    let server = TestServer::demo().await;
    for seller in [DEMO_SELLER, OTHER_SELLER] {
        let token = server.token(seller).await;
        let (status, body) = server.get("/api/v1/providers", &token).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let list: ProviderList = serde_json::from_value(body).expect("a provider list");
        let mut wanted: BTreeMap<(String, DeliveryMethod), u64> = BTreeMap::new();
        for shipment in demo_shipments(seller) {
            if let Some(provider) = shipment.delivery.provider {
                *wanted
                    .entry((provider, shipment.delivery.method))
                    .or_default() += 1;
            }
        }
        let got: BTreeMap<(String, DeliveryMethod), u64> = list
            .providers
            .iter()
            .map(|p| ((p.name.clone(), p.delivery_method), p.shipments))
            .collect();
        assert_eq!(got, wanted, "{seller}");
        let names: Vec<&str> = list.providers.iter().map(|p| p.name.as_str()).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted, "by name");
        if seller == DEMO_SELLER {
            assert!(names.contains(&"Cainiao") && names.contains(&"China Post"));
        }
    }
    let (status, _) = server
        .send(Method::GET, "/api/v1/providers", None, None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// An in-transit shipment with a partner provider and no decision in the fixture.
fn undecided_partner_in_transit() -> Vec<String> {
    demo_shipments(DEMO_SELLER)
        .into_iter()
        .filter(|s| {
            s.status == Status::InTransit
                && s.delivery.method == DeliveryMethod::Partner
                && s.provider_decision.is_none()
                && s.cancellation.is_none()
        })
        .map(|s| s.posting_number)
        .collect()
}

#[tokio::test]
async fn the_demo_provider_decides_a_waiting_request_when_told_and_not_before_its_delay() {
    let server = TestServer::start_with(|config| {
        config.demo = true;
        config.provider_delay = Duration::from_secs(3600);
    })
    .await;
    let token = server.token(DEMO_SELLER).await;
    let candidates = undecided_partner_in_transit();
    let pn = candidates.first().expect("such a shipment").clone();
    let decide = |body: serde_json::Value| {
        let path = format!("/api/v1/dev/shipments/{pn}/provider-decision");
        let (server, token) = (&server, token.clone());
        async move {
            server
                .send(Method::POST, &path, Some(&token), Some(body))
                .await
        }
    };

    // Nothing waits yet.
    let (status, body) = decide(json!({"decision": "approve"})).await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "not_found"));

    let mut events = server.events(&token).await;
    let version = server.version(&token, &pn).await;
    let (status, body, _) = server
        .intent(
            &format!("/api/v1/shipments/{pn}/cancel"),
            &token,
            "ask-1",
            Some(version),
            json!({"reason": "customer_request"}),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    let due_at = server
        .count(
            "SELECT r.due_at - c.requested_at FROM provider_requests r
             JOIN cancellations c ON c.id = r.cancellation_id
             JOIN shipments s ON s.id = c.shipment_id WHERE s.posting_number = $1",
            &pn,
        )
        .await;
    assert_eq!(due_at, 3_600_000, "--provider-delay sets the default delay");

    let (status, bad) = decide(json!({"decision": "maybe"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
    let (status, rejected) =
        decide(json!({"decision": "reject", "message": "Already at the customs office"})).await;
    assert_eq!(status, StatusCode::OK, "{rejected}");
    assert_eq!(rejected["status"], "in_transit");
    assert_eq!(rejected["cancellation"]["state"], "rejected");
    assert_eq!(
        rejected["cancellation"]["provider_message"],
        "Already at the customs office"
    );
    assert_eq!(rejected["eligibility"]["cancellable"], true);
    let mut pushed = events.shipment(&pn).await;
    while pushed.cancellation.as_ref().is_some_and(|c| c.is_pending()) {
        pushed = events.shipment(&pn).await;
    }
    assert_eq!(
        pushed.cancellation.expect("a cancellation").state,
        domain::CancellationState::Rejected,
        "the answer is pushed live"
    );

    // The seller asks again; this time the provider approves.
    let version = rejected["version"].as_u64().expect("a version");
    let (status, _, _) = server
        .intent(
            &format!("/api/v1/shipments/{pn}/cancel"),
            &token,
            "ask-2",
            Some(version),
            json!({"reason": "customer_request"}),
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let (status, approved) = decide(json!({"decision": "approve"})).await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    assert_eq!(approved["status"], "cancelled");
    assert_eq!(approved["cancellation"]["state"], "cancelled");
    let (status, _) = decide(json!({"decision": "approve"})).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "answered requests are gone");

    // Another seller's shipment is a 404 like a missing one.
    let other = server.token(OTHER_SELLER).await;
    let (status, _) = server
        .send(
            Method::POST,
            &format!("/api/v1/dev/shipments/{}/provider-decision", showcase(20)),
            Some(&other),
            Some(json!({"decision": "approve"})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_provider_decision_endpoint_exists_only_in_demo_mode() {
    let server = TestServer::start_with(|config| {
        config.seed =
            Some(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo.json"));
    })
    .await;
    let token = mint(DEMO_SELLER);
    let (status, body) = server
        .send(
            Method::POST,
            &format!("/api/v1/dev/shipments/{}/provider-decision", showcase(20)),
            Some(&token),
            Some(json!({"decision": "approve"})),
        )
        .await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "not_found"));
}

//! The demo fixture covers every row of RULES.md; fixtures load, and bad ones are refused clearly.

use std::collections::HashSet;

use domain::fixture::Fixture;
use domain::{BlockedCode, CancellationState, DeliveryMethod, Initiator, Reason, Status, Warning};
use reqwest::StatusCode;
use server::seed::{self, SeedError, SeedOutcome};

use crate::common::{DEMO_SELLER, TestServer, config_in};

#[test]
fn the_committed_demo_file_is_the_generators_output() {
    let generated =
        server::demo::render(&server::demo::generate(server::demo::DEMO_SHIPMENTS)).expect("JSON");
    assert!(
        generated == server::demo::DEMO_FIXTURE,
        "fixtures/demo.json is stale: run `cargo run -p server -- gen-fixture --out crates/server/fixtures/demo.json`"
    );
}

#[test]
fn the_benchmark_data_set_is_large_and_valid() {
    let fixture = server::demo::generate(100_000);
    assert_eq!(fixture.sellers[0].shipments.len(), 100_000);
    seed::validate(&fixture).expect("a valid fixture");
}

/// Loads the demo through the server and reads everything back over HTTP, so the coverage is of
/// what the API serves, with the eligibility the server computes.
#[tokio::test]
async fn the_demo_data_covers_every_row_of_the_rules() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    let (status, body) = server.get("/api/v1/shipments?limit=200", &token).await;
    assert_eq!(status, StatusCode::OK);
    let mut items: Vec<domain::Shipment> =
        serde_json::from_value(body["items"].clone()).expect("shipments");
    let mut cursor = body["next_cursor"].as_str().map(str::to_owned);
    while let Some(c) = cursor {
        let (_, body) = server
            .get(&format!("/api/v1/shipments?limit=200&cursor={c}"), &token)
            .await;
        items.extend(
            serde_json::from_value::<Vec<domain::Shipment>>(body["items"].clone())
                .expect("shipments"),
        );
        cursor = body["next_cursor"].as_str().map(str::to_owned);
    }
    assert!(
        items.len() >= 300,
        "at least 300 shipments, got {}",
        items.len()
    );

    let pairs: HashSet<(Status, DeliveryMethod)> = items
        .iter()
        .map(|s| (s.status, s.delivery.method))
        .collect();
    for status in Status::ALL {
        for method in DeliveryMethod::ALL {
            assert!(pairs.contains(&(status, method)), "{status} × {method:?}");
        }
    }
    let blocked: HashSet<BlockedCode> =
        items.iter().filter_map(|s| s.eligibility.blocked).collect();
    for code in BlockedCode::ALL {
        assert!(blocked.contains(&code), "blocked code {code:?}");
    }
    let offered: HashSet<Reason> = items
        .iter()
        .flat_map(|s| s.eligibility.reasons.clone())
        .collect();
    for reason in Reason::ALL {
        assert!(
            offered.contains(&reason),
            "reason {reason} is offered somewhere"
        );
    }
    let commercial = |s: &&domain::Shipment| {
        s.eligibility
            .warnings
            .contains(&Warning::CommercialShipment)
    };
    assert!(
        items
            .iter()
            .filter(commercial)
            .any(|s| s.status == Status::AwaitingPackaging),
        "a split is offered"
    );
    assert!(
        items
            .iter()
            .filter(commercial)
            .any(|s| s.delivery.method == DeliveryMethod::Partner)
    );
    let cancellations: Vec<&domain::Cancellation> = items
        .iter()
        .filter_map(|s| s.cancellation.as_ref())
        .collect();
    assert!(
        cancellations
            .iter()
            .any(|c| c.state == CancellationState::Requested),
        "a pending request"
    );
    assert!(
        cancellations
            .iter()
            .any(|c| c.state == CancellationState::Rejected && c.provider_message.is_some()),
        "a rejected request with the provider's message"
    );
    assert!(
        cancellations
            .iter()
            .any(|c| c.initiator == Initiator::Carrier),
        "a carrier cancellation"
    );
    let providers: HashSet<&str> = items
        .iter()
        .filter_map(|s| s.delivery.provider.as_deref())
        .collect();
    for provider in ["Cainiao", "YunExpress", "4PX", "China Post"] {
        assert!(providers.contains(provider), "provider {provider}");
    }
    let cities: HashSet<&str> = items.iter().map(|s| s.destination.city.as_str()).collect();
    for city in ["Moscow", "Kazan", "Novosibirsk", "Almaty", "Minsk"] {
        assert!(cities.contains(city), "city {city}");
    }
    // Seller cancellations on several distinct days of the trailing 14 make a non-trivial metric.
    let (fixture, _) = server::demo::embedded().expect("the demo fixture");
    let facts = fixture.sellers[0]
        .shipments
        .iter()
        .map(|s| domain::metric::MetricFacts {
            cancelled_items: &[],
            created_at: s.created_at,
            cancellation: s.cancellation.as_ref(),
        });
    let report = domain::metric::report(facts, server::demo::anchor(), domain::DEFAULT_THRESHOLD);
    let days = report
        .series
        .iter()
        .filter(|d| d.seller_cancellations > 0)
        .count();
    assert!(days >= 5, "seller cancellations on {days} days");
    assert!(
        report.rate > 0.02 && report.rate < report.threshold,
        "rate {}",
        report.rate
    );
}

fn demo_fixture() -> Fixture {
    server::demo::embedded().expect("the demo fixture").0
}

#[test]
fn bad_fixtures_are_refused_with_a_clear_message() {
    let mut duplicate = demo_fixture();
    let copy = duplicate.sellers[0].shipments[0].clone();
    duplicate.sellers[1].shipments.push(copy);
    let error = seed::validate(&duplicate).expect_err("a duplicate posting number");
    assert!(
        error
            .to_string()
            .contains("duplicate posting number \"87654321-0001-1\""),
        "{error}"
    );

    let mut incoherent = demo_fixture();
    incoherent.sellers[0].shipments[0].status = Status::Delivered;
    incoherent.sellers[0].shipments[0].cancellation = incoherent.sellers[0]
        .shipments
        .iter()
        .find_map(|s| s.cancellation.clone().filter(|c| c.is_pending()));
    assert!(matches!(
        seed::validate(&incoherent),
        Err(SeedError::Invalid(_))
    ));

    let dir = tempfile::tempdir().expect("a directory");
    let unknown_field = dir.path().join("unknown.json");
    std::fs::write(&unknown_field, r#"{"sellers":[],"colour":"red"}"#).expect("written");
    let error = seed::read_fixture(&unknown_field).expect_err("an unknown field");
    assert!(
        error.to_string().contains("unknown field `colour`"),
        "{error}"
    );
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\"sellers\": [").expect("written");
    assert!(matches!(
        seed::read_fixture(&broken),
        Err(SeedError::Parse(_))
    ));
}

#[test]
fn the_binary_exits_non_zero_with_the_reason_on_a_bad_fixture() {
    let dir = tempfile::tempdir().expect("a directory");
    let fixture = dir.path().join("bad.json");
    std::fs::write(
        &fixture,
        r#"{"sellers":[{"id":"s-1","name":"A","shipments":[],"extra":1}]}"#,
    )
    .expect("written");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["--addr", "127.0.0.1:0", "--db"])
        .arg(dir.path().join("db.sqlite3"))
        .arg("--seed")
        .arg(&fixture)
        .output()
        .expect("the binary runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("the fixture is not valid") && stderr.contains("unknown field `extra`"),
        "{stderr}"
    );
}

#[tokio::test]
async fn the_same_seed_loads_once_and_a_different_one_is_refused() {
    let dir = tempfile::tempdir().expect("a directory");
    let config = config_in(&dir);
    let db = server::db::open(&config.db).await.expect("the database");
    let mut conn = db.acquire().await.expect("a connection");
    let fixture = demo_fixture();
    let now = chrono::Utc::now();
    let loaded = seed::load(&mut conn, &fixture, "hash-a", now)
        .await
        .expect("loaded");
    // Every shipment of every seller (the demo seller's and the other's 24).
    let shipments = server::demo::DEMO_SHIPMENTS + 24;
    assert_eq!(
        fixture
            .sellers
            .iter()
            .map(|s| s.shipments.len())
            .sum::<usize>(),
        shipments
    );
    assert_eq!(loaded, SeedOutcome::Loaded { shipments });
    assert_eq!(
        seed::load(&mut conn, &fixture, "hash-a", now)
            .await
            .expect("again"),
        SeedOutcome::AlreadyLoaded
    );
    assert!(matches!(
        seed::load(&mut conn, &fixture, "hash-b", now).await,
        Err(SeedError::Conflict)
    ));
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM shipments")
        .fetch_one(&mut *conn)
        .await
        .expect("a count");
    assert_eq!(count as usize, shipments, "nothing was loaded twice");
}

//! The delivery geography's store functions give the same answers on PostgreSQL as on SQLite, and
//! the ones the shipments define.

use std::collections::BTreeMap;

use chrono::Utc;
use domain::wire::{DestinationSummary, GeographyExclusion};
use server::store::geography;
use sqlx::Connection as _;

use crate::{pg, rows};

/// What the geography of these shipments is, computed from the fixture: (country, city key) →
/// (first city spelling by code point, shipments, before handover).
fn expected(
    shipments: &[domain::fixture::FixtureShipment],
    excluded: &[(&str, &str)],
) -> Vec<DestinationSummary> {
    let mut cities: BTreeMap<(String, String), (String, u64, u64)> = BTreeMap::new();
    for s in shipments {
        let key = (
            s.destination.country.clone(),
            s.destination.city.to_lowercase(),
        );
        let entry = cities
            .entry(key)
            .or_insert((s.destination.city.clone(), 0, 0));
        entry.0 = entry.0.clone().min(s.destination.city.clone());
        entry.1 += 1;
        entry.2 += u64::from(s.status.is_before_handover());
    }
    let mut list: Vec<DestinationSummary> = cities
        .into_iter()
        .map(
            |((country, key), (city, shipments, before_handover))| DestinationSummary {
                excluded: excluded
                    .iter()
                    .any(|(c, k)| *c == country && k.to_lowercase() == key),
                country,
                city,
                shipments,
                before_handover,
            },
        )
        .collect();
    // Busiest first, then by country and city key (the sort is stable, and the map was in that order).
    list.sort_by_key(|d| std::cmp::Reverse(d.shipments));
    list
}

async fn exercise(
    conn: &mut sqlx::AnyConnection,
    seller: &str,
) -> (Vec<GeographyExclusion>, Vec<DestinationSummary>) {
    let moscow = GeographyExclusion {
        country: "RU".into(),
        city: "Moscow".into(),
    };
    assert!(
        geography::add_exclusion(conn, seller, &moscow, Utc::now())
            .await
            .expect("added")
    );
    // The same city again, in other case: already there.
    let again = GeographyExclusion {
        country: "RU".into(),
        city: "MOSCOW".into(),
    };
    assert!(
        !geography::add_exclusion(conn, seller, &again, Utc::now())
            .await
            .expect("kept")
    );
    let kazan = GeographyExclusion {
        country: "RU".into(),
        city: "Kazan".into(),
    };
    assert!(
        geography::add_exclusion(conn, seller, &kazan, Utc::now())
            .await
            .expect("added")
    );
    assert!(
        geography::remove_exclusion(conn, seller, "RU", " kazan ")
            .await
            .expect("removed")
    );
    assert!(
        !geography::remove_exclusion(conn, seller, "RU", "kazan")
            .await
            .expect("gone")
    );
    (
        geography::exclusions(conn, seller)
            .await
            .expect("exclusions"),
        geography::destinations(conn, seller)
            .await
            .expect("destinations"),
    )
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL: cargo xtask test postgres"]
async fn destinations_and_exclusions_agree_on_both_backends() {
    let fixture = server::demo::generate(300);
    let seller = fixture.sellers[0].id.clone();
    let shipments = &fixture.sellers[0].shipments;
    let want = expected(shipments, &[("RU", "Moscow")]);
    assert!(
        want.iter().any(|d| d.excluded),
        "the fixture ships to Moscow"
    );

    let url = pg::fresh_database().await;
    sqlx::any::install_default_drivers();
    let mut pg = sqlx::AnyConnection::connect(&url).await.expect("connects");
    rows::seller(&mut pg, &seller).await;
    rows::seller(&mut pg, "s-other").await;
    rows::shipments(&mut pg, &seller, "", shipments).await;
    rows::shipments(&mut pg, "s-other", "o-", &shipments[..50]).await;
    let on_postgres = exercise(&mut pg, &seller).await;

    let dir = tempfile::tempdir().expect("a directory");
    let db = server::db::open(&dir.path().join("geo.sqlite3"))
        .await
        .expect("a database");
    {
        let mut sqlite = db.acquire().await.expect("a connection");
        server::seed::load(&mut sqlite, &fixture, "geography-test", Utc::now())
            .await
            .expect("seeded");
    }
    let mut sqlite = db.acquire().await.expect("a connection");
    let on_sqlite = exercise(&mut sqlite, &seller).await;

    let exclusions = vec![GeographyExclusion {
        country: "RU".into(),
        city: "Moscow".into(),
    }];
    assert_eq!(on_postgres.0, exclusions);
    assert_eq!(on_sqlite.0, exclusions);
    assert_eq!(on_sqlite.1, want, "SQLite");
    assert_eq!(on_postgres.1, want, "PostgreSQL");
}

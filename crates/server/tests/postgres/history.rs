//! The cancellation history on both backends: the same shipments and cancellations, stored
//! through the same sqlx functions, give the same entries in the same order (walked by position,
//! newest first) and the same counts on SQLite and PostgreSQL, under every kind, initiator and
//! reason filter.

use domain::history::{HistoryEntry, HistoryFilter, HistoryKind};
use domain::{Initiator, Reason};
use server::store::history::{Position, count, entries};
use server::store::shipments::{NewShipment, ported};
use sqlx::{AnyConnection, Connection as _};

use crate::{pg, rows};

const SHIPMENTS: usize = 400;
/// Small pages, so that every walk crosses many positions.
const PAGE: u32 = 6;

/// The fixture's shipments and their cancellations; how many cancellations.
async fn store(conn: &mut AnyConnection, fixture: &domain::fixture::Fixture) -> usize {
    let seller = &fixture.sellers[0];
    rows::seller(conn, &seller.id).await;
    let mut cancellations = 0;
    for shipment in &seller.shipments {
        let id = ported::insert(conn, &NewShipment::from_fixture(&seller.id, shipment))
            .await
            .expect("a shipment");
        if let Some(cancellation) = &shipment.cancellation {
            ported::insert_cancellation(conn, id, cancellation)
                .await
                .expect("a cancellation");
            cancellations += 1;
        }
    }
    cancellations
}

async fn walk(conn: &mut AnyConnection, seller: &str, filter: &HistoryFilter) -> Vec<HistoryEntry> {
    let mut all = Vec::new();
    let mut after: Option<Position> = None;
    loop {
        let page = entries(conn, seller, filter, after, PAGE)
            .await
            .expect("a page");
        let full = page.len() == PAGE as usize;
        after = page.last().map(|(position, _)| *position).or(after);
        all.extend(page.into_iter().map(|(_, entry)| entry));
        if !full {
            return all;
        }
        assert!(
            all.len() <= SHIPMENTS,
            "a walk that does not end: {filter:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL: cargo xtask test postgres"]
async fn entries_and_counts_agree_on_both_backends() {
    let fixture = server::demo::generate(SHIPMENTS);
    let seller = fixture.sellers[0].id.clone();

    sqlx::any::install_default_drivers();
    let url = pg::fresh_database().await;
    let mut postgres = AnyConnection::connect(&url).await.expect("connects");
    let stored = store(&mut postgres, &fixture).await;
    let dir = tempfile::tempdir().expect("a directory");
    let db = server::db::open(&dir.path().join("history.sqlite3"))
        .await
        .expect("a database");
    let mut sqlite = db.acquire().await.expect("a connection");
    assert_eq!(store(&mut sqlite, &fixture).await, stored);
    assert!(stored > 20, "{stored} cancellations in the fixture");

    let mut filters = vec![HistoryFilter::default()];
    filters.extend(HistoryKind::ALL.into_iter().map(|kind| HistoryFilter {
        kind: Some(kind),
        ..HistoryFilter::default()
    }));
    filters.extend(Initiator::ALL.into_iter().map(|initiator| HistoryFilter {
        initiator: Some(initiator),
        ..HistoryFilter::default()
    }));
    filters.extend(Reason::ALL.into_iter().map(|reason| HistoryFilter {
        reason: Some(reason),
        ..HistoryFilter::default()
    }));
    for filter in &filters {
        let on_sqlite = walk(&mut sqlite, &seller, filter).await;
        let on_postgres = walk(&mut postgres, &seller, filter).await;
        assert_eq!(on_postgres, on_sqlite, "{filter:?}");
        let total = count(&mut sqlite, &seller, filter).await.expect("a count");
        assert_eq!(total as usize, on_sqlite.len(), "{filter:?}");
        assert_eq!(
            count(&mut postgres, &seller, filter)
                .await
                .expect("a count"),
            total,
            "{filter:?}"
        );
        let times: Vec<_> = on_sqlite.iter().map(|e| e.requested_at).collect();
        assert!(
            times.is_sorted_by(|a, b| a >= b),
            "newest first: {filter:?}"
        );
    }
    assert_eq!(walk(&mut sqlite, &seller, &filters[0]).await.len(), stored);
    postgres.close().await.expect("closed");
}

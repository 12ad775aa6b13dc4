//! Shipment changes heard by every instance over LISTEN/NOTIFY, and the gap after a lost connection.

use std::time::Duration;

use server::events::notify::{self, APPLICATION_NAME, Heard, Notice};
use sqlx::postgres::PgPoolOptions;
use sqlx::{Connection, PgConnection, PgPool};
use tokio::sync::mpsc;

use crate::pg;

async fn next(heard: &mut mpsc::Receiver<Heard>) -> Heard {
    tokio::time::timeout(Duration::from_secs(20), heard.recv())
        .await
        .expect("heard within 20 s")
        .expect("the listener is running")
}

fn notice(seller: &str, numbers: &[&str]) -> Notice {
    Notice {
        seller_id: seller.to_owned(),
        posting_numbers: numbers.iter().map(|n| (*n).to_owned()).collect(),
    }
}

async fn pool(url: &str) -> PgPool {
    PgPoolOptions::new()
        .max_connections(2)
        .connect(url)
        .await
        .expect("a pool")
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL: cargo xtask test postgres"]
async fn every_instance_hears_a_change_in_commit_order_and_never_a_rolled_back_one() {
    let url = pg::fresh_database().await;
    let mut first = notify::listen(&url).await.expect("listens");
    let mut second = notify::listen(&url).await.expect("listens");
    let sender = pool(&url).await;

    // A change whose transaction rolls back is never heard.
    let mut conn = sender.acquire().await.expect("a connection");
    let mut tx = conn.begin().await.expect("a transaction");
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(notify::CHANNEL)
        .bind("s-1001\u{1f}87654321-9999-1")
        .execute(&mut *tx)
        .await
        .expect("notified");
    tx.rollback().await.expect("rolled back");
    drop(conn);

    let one = notice("s-1001", &["87654321-0001-1"]);
    let two = notice("s-2002", &["87654321-0002-1", "87654321-0003-1"]);
    notify::send(&sender, &one).await.expect("sent");
    notify::send(&sender, &two).await.expect("sent");
    notify::wake(&sender).await.expect("woken");
    for heard in [&mut first, &mut second] {
        assert_eq!(next(heard).await, Heard::Notice(one.clone()));
        assert_eq!(next(heard).await, Heard::Notice(two.clone()));
        assert_eq!(next(heard).await, Heard::Wake);
    }
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL: cargo xtask test postgres"]
async fn a_notice_longer_than_one_payload_arrives_whole() {
    let url = pg::fresh_database().await;
    let mut heard = notify::listen(&url).await.expect("listens");
    let sender = pool(&url).await;
    let numbers: Vec<String> = (0..1_500).map(|n| format!("87654321-{n:04}-1")).collect();
    let long = Notice {
        seller_id: "s-1001".into(),
        posting_numbers: numbers.clone(),
    };
    notify::send(&sender, &long).await.expect("sent");
    let mut got = Vec::new();
    while got.len() < numbers.len() {
        match next(&mut heard).await {
            Heard::Notice(part) => {
                assert_eq!(part.seller_id, "s-1001");
                got.extend(part.posting_numbers);
            }
            other => panic!("expected parts of the notice, heard {other:?}"),
        }
    }
    assert_eq!(got, numbers);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL: cargo xtask test postgres"]
async fn a_listener_that_lost_its_connection_reports_a_gap_and_hears_again() {
    let url = pg::fresh_database().await;
    let mut heard = notify::listen(&url).await.expect("listens");
    let sender = pool(&url).await;
    let before = notice("s-1001", &["87654321-0001-1"]);
    notify::send(&sender, &before).await.expect("sent");
    assert_eq!(next(&mut heard).await, Heard::Notice(before));

    // The listener's backend is terminated (as by a restart of PostgreSQL or a network cut).
    let database: String = sqlx::query_scalar("SELECT current_database()")
        .fetch_one(&sender)
        .await
        .expect("the database's name");
    let mut admin = PgConnection::connect(&url).await.expect("connects");
    let terminated: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE application_name = $1 AND datname = $2",
    )
    .bind(APPLICATION_NAME)
    .bind(&database)
    .fetch_all(&mut admin)
    .await
    .expect("terminated");
    assert_eq!(terminated, vec![true], "one listener backend");

    // The gap comes first, once the listener hears again; then what is sent from then on.
    assert_eq!(next(&mut heard).await, Heard::Gap);
    let after = notice("s-1001", &["87654321-0002-1"]);
    notify::send(&sender, &after).await.expect("sent");
    assert_eq!(next(&mut heard).await, Heard::Notice(after));
}

/// The demo fixture's shipments as the wire shows them (version 1), by posting number: what the
/// listening side's reader returns for a notice in these tests.
fn shipments() -> std::collections::HashMap<String, domain::Shipment> {
    server::demo::generate(20).sellers[0]
        .shipments
        .iter()
        .map(|s| {
            let shipment = domain::Shipment {
                posting_number: s.posting_number.clone(),
                order_number: s.order_number.clone(),
                status: s.status,
                delivery: s.delivery.clone(),
                destination: s.destination.clone(),
                warehouse_id: s.warehouse_id.clone(),
                eligibility: domain::eligibility(
                    s.status,
                    s.delivery.method,
                    s.cancellation.as_ref(),
                    &s.products,
                ),
                products: s.products.clone(),
                created_at: s.created_at,
                ship_by: s.ship_by,
                version: 1,
                cancellation: s.cancellation.clone(),
                cancelled_items: Vec::new(),
            };
            (s.posting_number.clone(), shipment)
        })
        .collect()
}

async fn change(
    heard: &mut tokio::sync::broadcast::Receiver<server::events::Change>,
) -> server::events::Change {
    tokio::time::timeout(Duration::from_secs(20), heard.recv())
        .await
        .expect("a change within 20 s")
        .expect("the channel is open")
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL: cargo xtask test postgres"]
async fn a_change_published_by_one_instance_reaches_the_streams_of_both_and_a_gap_resyncs() {
    use std::sync::Arc;

    use server::events::{Change, Events, Reload};
    use tokio::sync::Notify;

    let url = pg::fresh_database().await;
    let known = Arc::new(shipments());
    let reload: Reload = Arc::new(move |notice: Notice| {
        let known = known.clone();
        Box::pin(async move {
            Ok(notice
                .posting_numbers
                .iter()
                .filter_map(|n| known.get(n).cloned())
                .collect())
        })
    });
    let (wake_a, wake_b) = (Arc::new(Notify::new()), Arc::new(Notify::new()));
    let a = Events::postgres(&url, reload.clone(), wake_a.clone())
        .await
        .expect("instance A listens");
    let b = Events::postgres(&url, reload, wake_b.clone())
        .await
        .expect("instance B listens");
    let mut on_a = a.subscribe();
    let mut on_b = b.subscribe();

    let sent = shipments().into_values().next().expect("a shipment");
    a.publish("s-1001", [sent.clone()]);
    for heard in [&mut on_b, &mut on_a] {
        match change(heard).await {
            Change::Shipment {
                seller_id,
                shipment,
            } => {
                assert_eq!(seller_id, "s-1001");
                assert_eq!(*shipment, sent);
            }
            Change::Resync => panic!("a resync instead of the shipment"),
        }
    }

    // A provider request scheduled through A wakes the simulation of B (whichever leads).
    a.wake_provider(&Notify::new());
    tokio::time::timeout(Duration::from_secs(20), wake_b.notified())
        .await
        .expect("B's simulation is woken");

    // Both listeners lose their connections: every stream is told to resync.
    let mut admin = PgConnection::connect(&url).await.expect("connects");
    sqlx::query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE application_name = $1 AND datname = current_database()",
    )
    .bind(APPLICATION_NAME)
    .execute(&mut admin)
    .await
    .expect("terminated");
    assert!(matches!(change(&mut on_b).await, Change::Resync));
    assert!(matches!(change(&mut on_a).await, Change::Resync));
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL: cargo xtask test postgres"]
async fn a_notice_sent_inside_a_transaction_is_heard_at_its_commit_and_never_after_a_rollback() {
    let url = pg::fresh_database().await;
    let mut heard = notify::listen(&url).await.expect("listens");
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&url).await.expect("connects");

    let rolled_back = notice("s-1001", &["87654321-0001-1"]);
    let mut tx = conn.begin().await.expect("a transaction");
    notify::send_in(&mut tx, &rolled_back).await.expect("sent");
    tx.rollback().await.expect("rolled back");

    let committed = notice("s-1001", &["87654321-0002-1"]);
    let mut tx = conn.begin().await.expect("a transaction");
    notify::send_in(&mut tx, &committed).await.expect("sent");
    tx.commit().await.expect("committed");

    // The first thing heard is the committed notice: the rolled-back one never arrives.
    assert_eq!(next(&mut heard).await, Heard::Notice(committed));
}

/// The server's reader of notified shipments (on SQLite here, where the store still reads them):
/// the named shipments of that seller as they are now; another seller's numbers find nothing.
#[tokio::test]
async fn the_reader_returns_the_named_shipments_of_that_seller_only() {
    let fixture = server::demo::generate(10);
    let dir = tempfile::tempdir().expect("a directory");
    let db = server::db::open(&dir.path().join("reload.sqlite3"))
        .await
        .expect("a database");
    {
        let mut conn = db.acquire().await.expect("a connection");
        server::seed::load(&mut conn, &fixture, "reload-test", chrono::Utc::now())
            .await
            .expect("seeded");
    }
    let seller = fixture.sellers[0].id.clone();
    let numbers: Vec<String> = fixture.sellers[0].shipments[..3]
        .iter()
        .map(|s| s.posting_number.clone())
        .collect();
    let reload = server::events::reload_from(db);
    let found = reload(Notice {
        seller_id: seller,
        posting_numbers: numbers
            .iter()
            .cloned()
            .chain(["87654321-9999-9".to_owned()])
            .collect(),
    })
    .await
    .expect("read");
    let found: Vec<String> = found.into_iter().map(|s| s.posting_number).collect();
    assert_eq!(found, numbers);
    let none = reload(Notice {
        seller_id: "s-unknown".into(),
        posting_numbers: numbers,
    })
    .await
    .expect("read");
    assert!(none.is_empty());
}

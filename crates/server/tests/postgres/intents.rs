//! The write path's guarantees across connections (as across instances): the in-flight claim of an
//! idempotency key, and the row lock that makes a racer read the committed version.

use server::store::idempotency::claim;
use server::store::shipments::ported::find_for_update;
use sqlx::{Connection as _, PgConnection};

use crate::pg;

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL: cargo xtask test postgres"]
async fn a_key_claimed_by_one_transaction_is_in_flight_for_another_until_it_ends() {
    let db = server::db::open(std::path::Path::new(&pg::fresh_database().await))
        .await
        .expect("the database");
    let mut a = db.acquire().await.expect("a connection");
    let mut b = db.acquire().await.expect("another connection");
    let mut first = a.begin().await.expect("a transaction");
    assert!(claim(&mut first, "s-1", "k-1").await.expect("a claim"));
    let mut second = b.begin().await.expect("another transaction");
    assert!(
        !claim(&mut second, "s-1", "k-1").await.expect("a claim"),
        "the same key is in flight"
    );
    assert!(
        claim(&mut second, "s-1", "k-2").await.expect("a claim"),
        "another key is free"
    );
    assert!(
        claim(&mut second, "s-2", "k-1").await.expect("a claim"),
        "another seller's key is free"
    );
    second.rollback().await.expect("rolled back");
    first.commit().await.expect("committed");
    // The lock ended with the transaction that held it.
    let mut third = b.begin().await.expect("a transaction");
    assert!(claim(&mut third, "s-1", "k-1").await.expect("a claim"));
    third.rollback().await.expect("rolled back");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL: cargo xtask test postgres"]
async fn a_racer_on_the_same_shipment_waits_for_the_commit_and_reads_the_new_version() {
    let url = pg::fresh_database().await;
    let db = server::db::open(std::path::Path::new(&url))
        .await
        .expect("the database");
    let mut setup = PgConnection::connect(&url).await.expect("a connection");
    sqlx::raw_sql(
        "INSERT INTO sellers (id, name) VALUES ('s-1', 'One');
         INSERT INTO shipments (id, seller_id, posting_number, order_number, status, delivery_method,
             country, city, city_key, warehouse_id, created_at, ship_by, version, search_text)
         VALUES (1, 's-1', 'p-1', 'o-1', 'awaiting_packaging', 'seller', 'RU', 'Kazan', 'kazan',
             'wh', 0, 0, 3, 'p-1');",
    )
    .execute(&mut setup)
    .await
    .expect("a shipment");

    let mut a = db.acquire().await.expect("a connection");
    let mut first = a.begin().await.expect("a transaction");
    let seen = find_for_update(&mut first, "s-1", "p-1")
        .await
        .expect("a read")
        .expect("the shipment");
    assert_eq!(seen.shipment.version, 3);

    let racer_db = db.clone();
    let racer = tokio::spawn(async move {
        let mut b = racer_db.acquire().await.expect("a connection");
        let mut second = b.begin().await.expect("a transaction");
        let seen = find_for_update(&mut second, "s-1", "p-1")
            .await
            .expect("a read")
            .expect("the shipment");
        second.rollback().await.expect("rolled back");
        seen.shipment.version
    });
    // The racer's read must be waiting on the row lock before the first commits; otherwise this
    // test could pass by the racer merely running late. pg_stat_activity shows the wait.
    let started = std::time::Instant::now();
    loop {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity \
             WHERE datname = current_database() AND wait_event_type = 'Lock'",
        )
        .fetch_one(&mut setup)
        .await
        .expect("the activity");
        if waiting > 0 {
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "the racer never waited for the row lock"
        );
        tokio::task::yield_now().await;
    }
    sqlx::query("UPDATE shipments SET version = version + 1 WHERE id = 1")
        .execute(&mut *first)
        .await
        .expect("the change");
    first.commit().await.expect("committed");
    assert_eq!(
        racer.await.expect("the racer"),
        4,
        "it read the committed version"
    );
}

//! Write conflicts on PostgreSQL: an intent whose transaction PostgreSQL aborts for a deadlock
//! (40P01) or a serialization failure (40001) is run again by the writer (`group_commit.rs`), and
//! one that keeps conflicting is answered with a 503 having applied nothing.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use axum::http::StatusCode;
use domain::ProblemCode;
use server::db::Backend;
use server::error::ApiResult;
use server::group_commit::{Done, GroupCommit, MAX_ATTEMPTS};
use sqlx::{AnyConnection, Connection as _, PgConnection};
use tokio::sync::Barrier;

use crate::pg;

/// Two shipments, ids 1 and 2, at version 1.
async fn two_shipments(url: &str) {
    let mut setup = PgConnection::connect(url).await.expect("a connection");
    sqlx::raw_sql(
        "INSERT INTO sellers (id, name) VALUES ('s-1', 'One');
         INSERT INTO shipments (id, seller_id, posting_number, order_number, status, delivery_method,
             country, city, city_key, warehouse_id, created_at, ship_by, version, search_text)
         VALUES (1, 's-1', 'p-1', 'o-1', 'awaiting_packaging', 'seller', 'RU', 'Kazan', 'kazan',
                 'wh', 0, 0, 1, 'p-1'),
                (2, 's-1', 'p-2', 'o-2', 'awaiting_packaging', 'seller', 'RU', 'Kazan', 'kazan',
                 'wh', 0, 0, 1, 'p-2');",
    )
    .execute(&mut setup)
    .await
    .expect("two shipments");
}

async fn versions(url: &str) -> Vec<i64> {
    let mut conn = PgConnection::connect(url).await.expect("a connection");
    sqlx::query_scalar("SELECT version FROM shipments ORDER BY id")
        .fetch_all(&mut conn)
        .await
        .expect("the versions")
}

async fn bump(conn: &mut AnyConnection, id: i64) -> ApiResult<()> {
    sqlx::query("UPDATE shipments SET version = version + 1 WHERE id = $1")
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// One intent that changes shipment `first`, then (on its first attempt, once the other intent
/// has changed its own first shipment) shipment `second`: two of them in opposite orders hold
/// one row each and wait for the other's, which PostgreSQL ends by aborting one (40P01).
async fn crosswise(
    commits: GroupCommit,
    first: i64,
    second: i64,
    both_hold_one: Arc<Barrier>,
    attempts: Arc<AtomicU32>,
) -> ApiResult<()> {
    commits
        .run(move |conn| {
            let (both_hold_one, attempts) = (both_hold_one.clone(), attempts.clone());
            Box::pin(async move {
                let attempt = attempts.fetch_add(1, Ordering::SeqCst) + 1;
                bump(conn, first).await?;
                // Only the first attempts meet here; a retry runs straight through, so it waits
                // on the row lock of the other intent at most until that one commits.
                if attempt <= 2 {
                    both_hold_one.wait().await;
                }
                bump(conn, second).await?;
                Ok(Done {
                    value: (),
                    keep: true,
                })
            })
        })
        .await
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL: cargo xtask test postgres"]
async fn a_deadlocked_intent_is_run_again_and_both_apply_exactly_once() {
    let url = pg::fresh_database().await;
    let db = server::db::open(std::path::Path::new(&url))
        .await
        .expect("the database");
    two_shipments(&url).await;
    let commits = GroupCommit::start(db.pool().clone(), Backend::Postgres);
    let both_hold_one = Arc::new(Barrier::new(2));
    let attempts = Arc::new(AtomicU32::new(0));
    let one = tokio::spawn(crosswise(
        commits.clone(),
        1,
        2,
        both_hold_one.clone(),
        attempts.clone(),
    ));
    let other = tokio::spawn(crosswise(commits, 2, 1, both_hold_one, attempts.clone()));
    let (one, other) = (one.await.expect("ran"), other.await.expect("ran"));
    assert!(
        one.is_ok() && other.is_ok(),
        "both intents succeed: {one:?}, {other:?}"
    );
    assert_eq!(
        attempts.load(Ordering::SeqCst),
        3,
        "the deadlock's victim ran once more, the other once"
    );
    assert_eq!(
        versions(&url).await,
        [3, 3],
        "each intent changed each shipment once: nothing of the aborted attempt remains"
    );
}

/// Runs, on a fresh database with two shipments, an intent that bumps the first shipment and then
/// fails on `failing`, a statement that always raises; returns the answer, how many attempts ran,
/// and the database's URL.
async fn an_intent_failing_on(failing: &'static str) -> (ApiResult<()>, u32, String) {
    let url = pg::fresh_database().await;
    let db = server::db::open(std::path::Path::new(&url))
        .await
        .expect("the database");
    two_shipments(&url).await;
    let commits = GroupCommit::start(db.pool().clone(), Backend::Postgres);
    let attempts = Arc::new(AtomicU32::new(0));
    let counted = attempts.clone();
    let outcome: ApiResult<()> = commits
        .run(move |conn| {
            let counted = counted.clone();
            Box::pin(async move {
                counted.fetch_add(1, Ordering::SeqCst);
                bump(conn, 1).await?;
                sqlx::query(failing).execute(&mut *conn).await?;
                Ok(Done {
                    value: (),
                    keep: true,
                })
            })
        })
        .await;
    (outcome, attempts.load(Ordering::SeqCst), url)
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL: cargo xtask test postgres"]
async fn an_intent_that_keeps_conflicting_is_answered_503_and_applies_nothing() {
    // PostgreSQL's own serialization failure, as a SERIALIZABLE conflict raises it.
    let (outcome, attempts, url) = an_intent_failing_on(
        "DO $$ BEGIN RAISE EXCEPTION 'conflict' \
         USING ERRCODE = 'serialization_failure'; END $$",
    )
    .await;
    let error = outcome.expect_err("a conflict every time");
    assert!(error.is_write_conflict());
    assert_eq!(error.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(error.0.code, ProblemCode::Overloaded);
    assert_eq!(attempts, MAX_ATTEMPTS);
    assert_eq!(
        versions(&url).await,
        [1, 1],
        "no attempt left anything behind"
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL: cargo xtask test postgres"]
async fn any_other_failure_is_answered_at_once_without_a_retry() {
    let (outcome, attempts, url) = an_intent_failing_on("SELECT 1 / 0").await;
    let error = outcome.expect_err("a division by zero");
    assert!(!error.is_write_conflict());
    assert_eq!(error.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(attempts, 1);
    assert_eq!(versions(&url).await, [1, 1]);
}

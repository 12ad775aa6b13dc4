//! One instance drives the provider simulation; another takes over when its session ends.

use std::time::{Duration, Instant};

use server::leader::{Leader, PROVIDER_LOCK_KEY};
use sqlx::{Connection, PgConnection};

use crate::pg;

/// Takeover is one retry interval after the session ends, plus a connection; this is generous.
const TAKEOVER: Duration = Duration::from_secs(10);

/// The backends holding the provider lock in this test's database, by `pg_locks` (a bigint key is
/// split into two oids; advisory locks are per database, and other tests run beside this one).
async fn holders(conn: &mut PgConnection) -> Vec<i32> {
    sqlx::query_scalar(
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted \
         AND ((classid::bigint << 32) | objid::bigint) = $1 AND objsubid = 1 \
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    )
    .bind(PROVIDER_LOCK_KEY)
    .fetch_all(conn)
    .await
    .expect("pg_locks")
}

/// Waits until one of the two leads, and returns them as (leader, other).
async fn first_leader(mut a: Leader, mut b: Leader) -> (Leader, Leader) {
    tokio::time::timeout(TAKEOVER, async {
        tokio::select! {
            () = a.until_leading() => (a, b),
            () = b.until_leading() => (b, a),
        }
    })
    .await
    .expect("one of two instances leads within seconds")
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL: cargo xtask test postgres"]
async fn exactly_one_instance_leads_and_another_takes_over_when_it_closes() {
    let url = pg::fresh_database().await;
    let mut check = PgConnection::connect(&url).await.expect("connects");
    let (leader, mut other) = first_leader(
        Leader::advisory(url.clone(), PROVIDER_LOCK_KEY),
        Leader::advisory(url.clone(), PROVIDER_LOCK_KEY),
    )
    .await;
    assert!(leader.is_leader());
    assert!(!other.is_leader(), "two leaders at once");
    let held_by = holders(&mut check).await;
    assert_eq!(held_by.len(), 1, "one session holds the lock: {held_by:?}");

    // The leading instance shuts down: its lock session closes, and the other takes over.
    let closed = Instant::now();
    drop(leader);
    tokio::time::timeout(TAKEOVER, other.until_leading())
        .await
        .expect("the other instance takes over within seconds");
    let took = closed.elapsed();
    let now_held_by = holders(&mut check).await;
    assert_eq!(now_held_by.len(), 1, "{now_held_by:?}");
    assert_ne!(now_held_by, held_by, "a new session holds the lock");
    println!("takeover after a close: {} ms", took.as_millis());
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL: cargo xtask test postgres"]
async fn when_the_leaders_session_dies_it_steps_down_and_the_other_takes_over() {
    let url = pg::fresh_database().await;
    let mut check = PgConnection::connect(&url).await.expect("connects");
    let (mut leader, mut other) = first_leader(
        Leader::advisory(url.clone(), PROVIDER_LOCK_KEY),
        Leader::advisory(url.clone(), PROVIDER_LOCK_KEY),
    )
    .await;
    let held_by = holders(&mut check).await;
    assert_eq!(held_by.len(), 1, "{held_by:?}");

    // The holder's session ends as it does when its process is killed: the server closes it.
    let killed = Instant::now();
    let terminated: bool = sqlx::query_scalar("SELECT pg_terminate_backend($1)")
        .bind(held_by[0])
        .fetch_one(&mut check)
        .await
        .expect("terminated");
    assert!(terminated);
    tokio::time::timeout(TAKEOVER, other.until_leading())
        .await
        .expect("the other instance takes over within seconds");
    println!(
        "takeover after the session died: {} ms",
        killed.elapsed().as_millis()
    );
    tokio::time::timeout(TAKEOVER, leader.until_lost())
        .await
        .expect("the old leader notices it lost the lock");
    assert!(!leader.is_leader());
    let now_held_by = holders(&mut check).await;
    assert_eq!(now_held_by.len(), 1, "{now_held_by:?}");
    assert_ne!(now_held_by, held_by);

    // The old leader competes again, and gets it back once the new one is gone.
    drop(other);
    tokio::time::timeout(TAKEOVER, leader.until_leading())
        .await
        .expect("the first instance leads again");
}

#[tokio::test]
async fn the_sole_instance_always_leads() {
    let mut sole = Leader::sole();
    assert!(sole.is_leader());
    // Returns at once: no waiting on a lock.
    tokio::time::timeout(Duration::from_millis(100), sole.until_leading())
        .await
        .expect("the sole instance leads at once");
}

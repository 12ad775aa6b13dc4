//! Group commit: the intents that arrive together are written in one transaction, so that one
//! `fsync` makes all of them durable.
//!
//! With `synchronous=FULL` every commit waits for the disk. One commit per cancellation cut the
//! throughput of 8 concurrent clients from about 1,100 to about 400 a second on the development
//! machine (BENCHMARKS.md, "Durable writes"). Here a single writer task takes every intent that
//! is waiting, runs each inside its own SAVEPOINT of one IMMEDIATE transaction (so that one
//! intent's refusal or failure rolls back only its own work), commits once, and only then answers
//! each of them. Nothing is acknowledged before the commit that holds it, so an acknowledged
//! intent survives a power loss, and the intents keep the order in which the writer took them.

//!
//! The writer runs the intents on sqlx (`store/mod.rs`): a savepoint is a nested `begin()` of
//! the `BEGIN IMMEDIATE` transaction (IMMEDIATE, so that the batch holds SQLite's write lock
//! from the start instead of failing to upgrade a read).
//!
//! On PostgreSQL there is no single writer: each intent runs in its own transaction on the pool,
//! and one that PostgreSQL aborts for a deadlock or a serialization failure (40P01, 40001) is run
//! again from the start, a few times with a jittered backoff (`MAX_ATTEMPTS`), before it is
//! answered with a 503 `overloaded`. An aborted transaction has applied nothing, so a retry can
//! never apply anything twice; that is why an intent's work is an `Fn`, not an `FnOnce`.

use std::panic::AssertUnwindSafe;
use std::time::Duration;

use futures_util::FutureExt as _;
use futures_util::future::BoxFuture;
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, AnyPool, Connection as _};
use tokio::sync::{mpsc, oneshot};

use crate::error::{ApiError, ApiResult};
use crate::store::dialect::Backend;

/// The most intents one transaction holds: enough to absorb a burst, few enough that the first of
/// them does not wait long for the last.
const MAX_BATCH: usize = 64;
/// Intents waiting for the writer; past it, senders wait (backpressure, not memory).
const QUEUE: usize = 1024;

/// How many times an intent is run on PostgreSQL when its transaction keeps conflicting with
/// concurrent ones. Conflicts come from locks taken in different orders by intents that touch
/// the same rows (stock rows of shared products); the second attempt nearly always finds the
/// other transaction gone.
pub const MAX_ATTEMPTS: u32 = 4;
/// The first backoff before a new attempt; it doubles each time, with a random part as large
/// again, so that two victims of one deadlock do not collide again in step.
const FIRST_BACKOFF: Duration = Duration::from_millis(5);

/// What one intent did inside the shared transaction.
pub struct Done<T> {
    pub value: T,
    /// Keep its writes (`RELEASE`), or undo them (`ROLLBACK TO`): a replay or a refusal keeps
    /// nothing.
    pub keep: bool,
}

/// Tells one intent its answer, given whether the transaction committed.
type Reply = Box<dyn FnOnce(ApiResult<()>) + Send>;
/// One intent: runs its work in the open transaction (`None` when none could be opened) and gives
/// back its reply, to be made after the commit.
type Job = Box<dyn for<'c> FnOnce(Option<&'c mut AnyConnection>) -> BoxFuture<'c, Reply> + Send>;

/// How intents reach the database: batched by one writer (SQLite), or each in its own
/// transaction on the pool (PostgreSQL).
#[derive(Clone)]
pub struct GroupCommit {
    strategy: Strategy,
}

#[derive(Clone)]
enum Strategy {
    /// SQLite has one writer at a time, so one task writes for all and one fsync covers a batch.
    Batched(mpsc::Sender<Job>),
    /// PostgreSQL writes concurrently and already groups the WAL flushes of concurrent commits;
    /// a batch would let one intent's deadlock or serialization failure abort all of them, and
    /// cannot span instances anyway (docs/postgres.md §4.2).
    PerIntent(AnyPool),
}

impl GroupCommit {
    /// Starts the writer task, which takes its connection from `pool` (and a new one after a
    /// failure to begin, so that a broken connection does not fail every later batch). Needs a
    /// tokio runtime.
    pub fn start(pool: AnyPool, backend: Backend) -> Self {
        let strategy = match backend {
            Backend::Sqlite => {
                let (jobs, receiver) = mpsc::channel(QUEUE);
                tokio::spawn(writer(pool, receiver));
                Strategy::Batched(jobs)
            }
            Backend::Postgres => Strategy::PerIntent(pool),
        };
        GroupCommit { strategy }
    }

    /// Runs `work` in the next group transaction; answers once that transaction is committed.
    /// On PostgreSQL `work` may run more than once (each time in a new transaction, the earlier
    /// ones rolled back), so it must take what it needs afresh on each call.
    pub async fn run<T, F>(&self, work: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: for<'c> Fn(&'c mut AnyConnection) -> BoxFuture<'c, ApiResult<Done<T>>>
            + Send
            + Sync
            + 'static,
    {
        let jobs = match &self.strategy {
            Strategy::Batched(jobs) => jobs,
            Strategy::PerIntent(pool) => return with_retries(pool, &work).await,
        };
        let (reply, answer) = oneshot::channel::<ApiResult<T>>();
        let job: Job = Box::new(move |conn: Option<&mut AnyConnection>| {
            Box::pin(async move {
                let outcome = match conn {
                    Some(conn) => in_savepoint(conn, work).await,
                    // The commit's verdict (the failure to begin) is what the caller hears.
                    None => Err(ApiError::internal(&"no group transaction could begin")),
                };
                // Answered after the commit, with the commit's own verdict first.
                let reply: Reply = Box::new(move |committed: ApiResult<()>| {
                    let result = committed.and(outcome);
                    // The caller may have gone (its request was cancelled): nobody to tell.
                    let _ = reply.send(result);
                });
                reply
            })
        });
        jobs.send(job)
            .await
            .map_err(|_| ApiError::internal(&"the group-commit writer has stopped"))?;
        answer
            .await
            .map_err(|_| ApiError::internal(&"the group-commit writer dropped an intent"))?
    }
}

/// Runs one intent in transactions of its own (PostgreSQL) until one commits, or up to
/// `MAX_ATTEMPTS` when PostgreSQL aborts them for conflicts with concurrent transactions. Any
/// other failure is answered at once. Not the `backon` or `tokio-retry` crates: the loop is a few
/// lines, the decision to retry is one predicate of our own error type, and `rand` is already here.
pub async fn with_retries<T, F>(pool: &AnyPool, work: &F) -> ApiResult<T>
where
    F: for<'c> Fn(&'c mut AnyConnection) -> BoxFuture<'c, ApiResult<Done<T>>>,
{
    let mut backoff = FIRST_BACKOFF;
    for attempt in 1.. {
        match own_transaction(pool, work).await {
            Err(error) if error.is_write_conflict() && attempt < MAX_ATTEMPTS => {
                tracing::info!(
                    attempt,
                    "an intent's transaction conflicted; running it again"
                );
                let jitter = rand::random_range(Duration::ZERO..=backoff);
                tokio::time::sleep(backoff + jitter).await;
                backoff *= 2;
            }
            outcome => return outcome,
        }
    }
    unreachable!("the attempts are counted by an endless range")
}

/// Runs one intent in a transaction of its own (PostgreSQL), answered after its commit.
///
/// READ COMMITTED, said here rather than left to the server's default: each intent locks what it
/// decides on (`SELECT … FOR UPDATE` of its shipments, in id order, and the key's advisory lock),
/// so a racer waits and then reads the committed new version; SERIALIZABLE would answer the losers
/// with serialization failures instead (docs/postgres.md §4.2).
async fn own_transaction<T, F>(pool: &AnyPool, work: &F) -> ApiResult<T>
where
    F: for<'c> Fn(&'c mut AnyConnection) -> BoxFuture<'c, ApiResult<Done<T>>>,
{
    let mut conn = pool.acquire().await?;
    let mut tx = conn
        .begin_with("BEGIN ISOLATION LEVEL READ COMMITTED")
        .await?;
    let outcome = AssertUnwindSafe(work(&mut tx))
        .catch_unwind()
        .await
        .unwrap_or_else(|_| {
            Err(ApiError::internal(
                &"an intent panicked inside its transaction",
            ))
        });
    match outcome {
        Ok(done) if done.keep => {
            tx.commit().await?;
            Ok(done.value)
        }
        Ok(done) => {
            tx.rollback().await?;
            Ok(done.value)
        }
        Err(error) => {
            tx.rollback().await?;
            Err(error)
        }
    }
}

/// Runs one intent inside a savepoint of the open transaction.
async fn in_savepoint<T, F>(conn: &mut AnyConnection, work: F) -> ApiResult<T>
where
    F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, ApiResult<Done<T>>>,
{
    // A nested begin is a SAVEPOINT; its commit is RELEASE, its rollback ROLLBACK TO.
    let mut savepoint = conn.begin().await?;
    let outcome = AssertUnwindSafe(work(&mut savepoint))
        .catch_unwind()
        .await
        .unwrap_or_else(|_| {
            Err(ApiError::internal(
                &"an intent panicked inside the group transaction",
            ))
        });
    match outcome {
        Ok(done) if done.keep => {
            savepoint.commit().await?;
            Ok(done.value)
        }
        Ok(done) => {
            savepoint.rollback().await?;
            Ok(done.value)
        }
        Err(error) => {
            savepoint.rollback().await?;
            Err(error)
        }
    }
}

async fn writer(pool: AnyPool, mut receiver: mpsc::Receiver<Job>) {
    let mut held: Option<PoolConnection<Any>> = None;
    // Ends when every sender is gone (the server has stopped).
    while let Some(first) = receiver.recv().await {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match receiver.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let conn = match held.take() {
            Some(conn) => Ok(conn),
            None => pool.acquire().await,
        };
        let mut conn = match conn {
            Ok(conn) => conn,
            Err(error) => {
                fail(batch, ApiError::from(error)).await;
                continue;
            }
        };
        let tx = match conn.begin_with("BEGIN IMMEDIATE").await {
            Ok(tx) => tx,
            Err(error) => {
                // This connection is dropped: the next batch takes another.
                fail(batch, ApiError::from(error)).await;
                continue;
            }
        };
        run_batch(tx, batch).await;
        held = Some(conn);
    }
}

/// Answers every intent of a batch whose transaction could not begin with that failure.
async fn fail(batch: Vec<Job>, failure: ApiError) {
    for job in batch {
        let reply = job(None).await;
        reply(Err(failure.clone()));
    }
}

/// Runs each intent of the batch in its savepoint of `tx`, commits, then answers each.
async fn run_batch(mut tx: sqlx::Transaction<'_, Any>, batch: Vec<Job>) {
    let mut replies: Vec<Reply> = Vec::with_capacity(batch.len());
    for job in batch {
        replies.push(job(Some(&mut *tx)).await);
    }
    let committed = tx.commit().await.map_err(ApiError::from);
    for reply in replies {
        let verdict = match &committed {
            Ok(()) => Ok(()),
            Err(error) => Err(error.clone()),
        };
        reply(verdict);
    }
}

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
//! from the start instead of failing to upgrade a read). `legacy` is the same writer on rusqlite
//! for the intents not yet ported; it goes with the last of them.

use std::panic::AssertUnwindSafe;

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
    /// The rusqlite writer of the intents not yet ported; SQLite only.
    legacy: Option<legacy::GroupCommit>,
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
    pub fn start(pool: AnyPool, backend: Backend, legacy: Option<legacy::GroupCommit>) -> Self {
        let strategy = match backend {
            Backend::Sqlite => {
                let (jobs, receiver) = mpsc::channel(QUEUE);
                tokio::spawn(writer(pool, receiver));
                Strategy::Batched(jobs)
            }
            Backend::Postgres => Strategy::PerIntent(pool),
        };
        GroupCommit { strategy, legacy }
    }

    /// Runs `work` in the next group transaction; answers once that transaction is committed.
    pub async fn run<T, F>(&self, work: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, ApiResult<Done<T>>>
            + Send
            + 'static,
    {
        let jobs = match &self.strategy {
            Strategy::Batched(jobs) => jobs,
            Strategy::PerIntent(pool) => return own_transaction(pool, work).await,
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

    /// The rusqlite writer, for the intents not yet ported.
    pub fn legacy(&self) -> ApiResult<&legacy::GroupCommit> {
        self.legacy.as_ref().ok_or_else(|| {
            ApiError::internal(&crate::db::OpenError::NotOnPostgres("this kind of intent"))
        })
    }
}

/// Runs one intent in a transaction of its own (PostgreSQL), answered after its commit.
///
/// READ COMMITTED, said here rather than left to the server's default: each intent locks what it
/// decides on (`SELECT … FOR UPDATE` of its shipments, in id order, and the key's advisory lock),
/// so a racer waits and then reads the committed new version; SERIALIZABLE would answer the losers
/// with serialization failures instead (docs/postgres.md §4.2).
async fn own_transaction<T, F>(pool: &AnyPool, work: F) -> ApiResult<T>
where
    F: for<'c> FnOnce(&'c mut AnyConnection) -> BoxFuture<'c, ApiResult<Done<T>>>,
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
        reply(Err(ApiError(failure.0.clone())));
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
            Err(error) => Err(ApiError(error.0.clone())),
        };
        reply(verdict);
    }
}

/// The same writer on rusqlite, for the intents not yet ported (`intent::run_legacy`).
pub mod legacy {
    use std::panic::{AssertUnwindSafe, catch_unwind};

    use rusqlite::{Connection, TransactionBehavior};
    use tokio::sync::{mpsc, oneshot};

    use super::{Done, MAX_BATCH, QUEUE};
    use crate::error::{ApiError, ApiResult};

    /// Tells one intent its answer, given whether the transaction committed.
    type Reply = Box<dyn FnOnce(ApiResult<()>) + Send>;
    /// One intent: runs its work in the open transaction (`None` when none could be opened) and gives
    /// back its reply, to be made after the commit.
    type Job = Box<dyn FnOnce(Option<&Connection>) -> Reply + Send>;

    /// The handle that sends work to the writer thread.
    #[derive(Clone)]
    pub struct GroupCommit {
        jobs: mpsc::Sender<Job>,
    }

    impl GroupCommit {
        /// Starts the writer thread on its own connection.
        pub fn start(conn: r2d2::PooledConnection<r2d2_sqlite::SqliteConnectionManager>) -> Self {
            let (jobs, receiver) = mpsc::channel(QUEUE);
            std::thread::Builder::new()
                .name("group-commit".to_owned())
                .spawn(move || writer(conn, receiver))
                .unwrap_or_else(|error| panic!("the group-commit thread could not start: {error}"));
            GroupCommit { jobs }
        }

        /// Runs `work` in the next group transaction; answers once that transaction is committed.
        pub async fn run<T, F>(&self, work: F) -> ApiResult<T>
        where
            T: Send + 'static,
            F: FnOnce(&Connection) -> ApiResult<Done<T>> + Send + 'static,
        {
            let (reply, answer) = oneshot::channel::<ApiResult<T>>();
            let job: Job = Box::new(move |conn: Option<&Connection>| -> Reply {
                let outcome = match conn {
                    Some(conn) => in_savepoint(conn, work),
                    // The commit's verdict (the failure to begin) is what the caller hears.
                    None => Err(ApiError::internal(&"no group transaction could begin")),
                };
                // Answered after the commit, with the commit's own verdict first.
                Box::new(move |committed: ApiResult<()>| {
                    let result = committed.and(outcome);
                    // The caller may have gone (its request was cancelled): nobody to tell.
                    let _ = reply.send(result);
                })
            });
            self.jobs
                .send(job)
                .await
                .map_err(|_| ApiError::internal(&"the group-commit writer has stopped"))?;
            answer
                .await
                .map_err(|_| ApiError::internal(&"the group-commit writer dropped an intent"))?
        }
    }

    /// Runs one intent inside a savepoint of the open transaction.
    fn in_savepoint<T, F>(conn: &Connection, work: F) -> ApiResult<T>
    where
        F: FnOnce(&Connection) -> ApiResult<Done<T>>,
    {
        conn.execute_batch("SAVEPOINT intent")?;
        let outcome = catch_unwind(AssertUnwindSafe(|| work(conn))).unwrap_or_else(|_| {
            Err(ApiError::internal(
                &"an intent panicked inside the group transaction",
            ))
        });
        match outcome {
            Ok(done) if done.keep => {
                conn.execute_batch("RELEASE intent")?;
                Ok(done.value)
            }
            Ok(done) => {
                conn.execute_batch("ROLLBACK TO intent; RELEASE intent")?;
                Ok(done.value)
            }
            Err(error) => {
                conn.execute_batch("ROLLBACK TO intent; RELEASE intent")?;
                Err(error)
            }
        }
    }

    fn writer(
        mut conn: r2d2::PooledConnection<r2d2_sqlite::SqliteConnectionManager>,
        mut receiver: mpsc::Receiver<Job>,
    ) {
        // Ends when every sender is gone (the server has stopped).
        while let Some(first) = receiver.blocking_recv() {
            let mut batch = vec![first];
            while batch.len() < MAX_BATCH {
                match receiver.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            let tx = match conn.transaction_with_behavior(TransactionBehavior::Immediate) {
                Ok(tx) => tx,
                Err(error) => {
                    let failure = ApiError::from(error);
                    for job in batch {
                        job(None)(Err(ApiError(failure.0.clone())));
                    }
                    continue;
                }
            };
            let replies: Vec<Reply> = batch.into_iter().map(|job| job(Some(&tx))).collect();
            let committed = tx.commit().map_err(ApiError::from);
            for reply in replies {
                let verdict = match &committed {
                    Ok(()) => Ok(()),
                    Err(error) => Err(ApiError(error.0.clone())),
                };
                reply(verdict);
            }
        }
    }
}

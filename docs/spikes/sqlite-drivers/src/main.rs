//! The group commit's statement pattern (crates/server/src/group_commit.rs) on three SQLite drivers:
//! rusqlite (today), sqlx's SqliteConnection, and sqlx's AnyConnection (the recommended store layer).
//!
//! One writer, batches of 64 intents in one `BEGIN IMMEDIATE` transaction, each intent in its own
//! savepoint running eight statements shaped like a cancellation (read the shipment, look up the
//! key, insert a cancellation with RETURNING, update the shipment, reset stock, store the outcome,
//! read the shipment back, count its lines), WAL with `synchronous=FULL`. It measures the writer's
//! ceiling, not the HTTP server: a driver that is slower here lowers the cancellations per second.
//!
//! Usage: sqlite-drivers [INTENTS] [ROUNDS]   (defaults 6000 and 2; files in the temp directory)

use std::time::{Duration, Instant};

use sqlx::Connection as _;

const BATCH: usize = 64;
const SHIPMENTS: i64 = 20_000;

const SCHEMA: &str = "
CREATE TABLE shipments (id INTEGER PRIMARY KEY, posting_number TEXT NOT NULL, status TEXT NOT NULL,
    version INTEGER NOT NULL, cancellation_id INTEGER);
CREATE TABLE shipment_lines (shipment_id INTEGER NOT NULL, line_no INTEGER NOT NULL, sku TEXT NOT NULL,
    PRIMARY KEY (shipment_id, line_no));
CREATE TABLE cancellations (id INTEGER PRIMARY KEY, shipment_id INTEGER NOT NULL, state TEXT NOT NULL,
    requested_at INTEGER NOT NULL);
CREATE TABLE stock (sku TEXT PRIMARY KEY, quantity INTEGER NOT NULL);
CREATE TABLE idempotency (seller_id TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL,
    status INTEGER NOT NULL, body TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (seller_id, key));
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
INSERT INTO shipments SELECT i, 'p-' || i, 'awaiting_packaging', 1, NULL FROM n;
INSERT INTO shipment_lines SELECT id, 1, 'sku-' || (id % 500) FROM shipments;
";

// `$N` on every driver: sqlx-sqlite binds `$N` to argument N, rusqlite binds `$N` by position of
// first appearance, and every statement here names its parameters in order.
const READ: &str = "SELECT version FROM shipments WHERE id = $1";
const KEY: &str = "SELECT count(*) FROM idempotency WHERE seller_id = $1 AND key = $2";
const CANCEL: &str = "INSERT INTO cancellations (shipment_id, state, requested_at) VALUES ($1, 'requested', $2) RETURNING id";
const UPDATE: &str = "UPDATE shipments SET status = 'cancelled', version = version + 1, cancellation_id = $1 WHERE id = $2";
const STOCK: &str =
    "INSERT INTO stock (sku, quantity) VALUES ($1, 0) ON CONFLICT (sku) DO UPDATE SET quantity = 0";
const STORE: &str = "INSERT INTO idempotency (seller_id, key, request_hash, status, body, created_at) VALUES ($1, $2, 'h', 201, '{}', $3)";
const REREAD: &str = "SELECT posting_number, status, version FROM shipments WHERE id = $1";
const LINES: &str = "SELECT count(*) FROM shipment_lines WHERE shipment_id = $1";
const STATEMENTS_PER_INTENT: usize = 8;

type Error = Box<dyn std::error::Error + Send + Sync>;

fn fresh(name: &str) -> Result<std::path::PathBuf, Error> {
    let path = std::env::temp_dir().join(format!("sqlite-drivers-{name}.db"));
    for suffix in ["", "-wal", "-shm"] {
        match std::fs::remove_file(format!("{}{suffix}", path.display())) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e.into()),
        }
    }
    let conn = rusqlite::Connection::open(&path)?;
    conn.execute_batch(SCHEMA)?;
    Ok(path)
}

fn rusqlite_run(intents: usize) -> Result<Duration, Error> {
    let path = fresh("rusqlite")?;
    let mut conn = rusqlite::Connection::open(&path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    let started = Instant::now();
    let mut next = 0usize;
    while next < intents {
        let mut tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        for _ in 0..BATCH.min(intents - next) {
            next += 1;
            let id = (next as i64 % SHIPMENTS) + 1;
            let key = format!("k-{next}");
            let sp = tx.savepoint()?;
            let _version: i64 = sp.prepare_cached(READ)?.query_row([id], |r| r.get(0))?;
            let _seen: i64 = sp
                .prepare_cached(KEY)?
                .query_row(rusqlite::params!["s-1", key], |r| r.get(0))?;
            let cancellation: i64 = sp
                .prepare_cached(CANCEL)?
                .query_row(rusqlite::params![id, 1_700_000_000_000i64], |r| r.get(0))?;
            sp.prepare_cached(UPDATE)?
                .execute(rusqlite::params![cancellation, id])?;
            sp.prepare_cached(STOCK)?
                .execute([format!("sku-{}", id % 500)])?;
            sp.prepare_cached(STORE)?.execute(rusqlite::params![
                "s-1",
                key,
                1_700_000_000_000i64
            ])?;
            let _row: (String, String, i64) = sp
                .prepare_cached(REREAD)?
                .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            let _lines: i64 = sp.prepare_cached(LINES)?.query_row([id], |r| r.get(0))?;
            sp.commit()?;
        }
        tx.commit()?;
    }
    Ok(started.elapsed())
}

/// The same intents through one sqlx connection type (SqliteConnection or AnyConnection): the
/// statements are identical text, so one body serves both.
macro_rules! sqlx_run {
    ($conn:expr, $intents:expr) => {{
        let conn = $conn;
        let intents: usize = $intents;
        sqlx::query("PRAGMA journal_mode = WAL")
            .execute(&mut *conn)
            .await?;
        sqlx::query("PRAGMA synchronous = FULL")
            .execute(&mut *conn)
            .await?;
        let started = Instant::now();
        let mut next = 0usize;
        while next < intents {
            let mut tx = conn.begin_with("BEGIN IMMEDIATE").await?;
            for _ in 0..BATCH.min(intents - next) {
                next += 1;
                let id = (next as i64 % SHIPMENTS) + 1;
                let key = format!("k-{next}");
                // A nested begin is a SAVEPOINT; commit releases it.
                let mut sp = tx.begin().await?;
                let _version: i64 = sqlx::query_scalar(READ)
                    .bind(id)
                    .fetch_one(&mut *sp)
                    .await?;
                let _seen: i64 = sqlx::query_scalar(KEY)
                    .bind("s-1")
                    .bind(key.clone())
                    .fetch_one(&mut *sp)
                    .await?;
                let cancellation: i64 = sqlx::query_scalar(CANCEL)
                    .bind(id)
                    .bind(1_700_000_000_000i64)
                    .fetch_one(&mut *sp)
                    .await?;
                sqlx::query(UPDATE)
                    .bind(cancellation)
                    .bind(id)
                    .execute(&mut *sp)
                    .await?;
                sqlx::query(STOCK)
                    .bind(format!("sku-{}", id % 500))
                    .execute(&mut *sp)
                    .await?;
                sqlx::query(STORE)
                    .bind("s-1")
                    .bind(key)
                    .bind(1_700_000_000_000i64)
                    .execute(&mut *sp)
                    .await?;
                let _row: (String, String, i64) =
                    sqlx::query_as(REREAD).bind(id).fetch_one(&mut *sp).await?;
                let _lines: i64 = sqlx::query_scalar(LINES)
                    .bind(id)
                    .fetch_one(&mut *sp)
                    .await?;
                sp.commit().await?;
            }
            tx.commit().await?;
        }
        Ok::<Duration, Error>(started.elapsed())
    }};
}

async fn sqlx_sqlite_run(intents: usize) -> Result<Duration, Error> {
    let path = fresh("sqlx-sqlite")?;
    let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite://{}", path.display())).await?;
    sqlx_run!(&mut conn, intents)
}

async fn sqlx_any_run(intents: usize) -> Result<Duration, Error> {
    let path = fresh("sqlx-any")?;
    let mut conn = sqlx::AnyConnection::connect(&format!("sqlite://{}", path.display())).await?;
    sqlx_run!(&mut conn, intents)
}

fn report(driver: &str, intents: usize, elapsed: Duration) {
    let per_second = intents as f64 / elapsed.as_secs_f64();
    let per_statement_us = elapsed.as_secs_f64() * 1e6 / (intents * STATEMENTS_PER_INTENT) as f64;
    println!(
        "{driver:<16} {intents} intents in {:>6.2} s: {per_second:>7.0} intents/s, {per_statement_us:>5.1} µs per statement",
        elapsed.as_secs_f64()
    );
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let intents: usize = args.next().map_or(Ok(6000), |a| a.parse())?;
    let rounds: usize = args.next().map_or(Ok(2), |a| a.parse())?;
    sqlx::any::install_default_drivers();
    // Alternating order, as BENCHMARKS.md does, so that a change in the machine's load is shared.
    for round in 0..rounds {
        println!("round {}", round + 1);
        report("rusqlite", intents, rusqlite_run(intents)?);
        report("sqlx Sqlite", intents, sqlx_sqlite_run(intents).await?);
        report("sqlx Any", intents, sqlx_any_run(intents).await?);
    }
    Ok(())
}

//! The SQLite database: a pool of connections in WAL mode, with the schema migrated at start.

use std::path::Path;
use std::time::Duration;

use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::{Connection, OptionalExtension};
use rusqlite_migration::{M, Migrations};

use crate::error::{ApiError, ApiResult};

pub type Pool = r2d2::Pool<SqliteConnectionManager>;

/// How long a request waits for a database connection before it is answered 503.
pub const POOL_WAIT: Duration = Duration::from_secs(5);

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("could not open the database: {0}")]
    Pool(#[from] r2d2::Error),
    #[error("could not prepare the database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("could not migrate the database schema: {0}")]
    Migration(#[from] rusqlite_migration::Error),
}

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("schema.sql")),
        M::up(include_str!("schema_2_search.sql")),
        M::up(include_str!("schema_3_seller_search.sql")),
        M::up(include_str!("schema_4_filter_counts.sql")),
        M::up(include_str!("schema_5_status_pages.sql")),
        M::up(include_str!("schema_6_provider_filter.sql")),
        M::up(include_str!("schema_7_idempotency_retention.sql")),
        M::up(include_str!("schema_8_history.sql")),
        M::up(include_str!("schema_9_partial.sql")),
        M::up(include_str!("schema_10_product_shipments.sql")),
    ])
}

/// Opens (creating if needed) the database file and brings its schema up to date.
pub fn open(path: &Path) -> Result<Db, OpenError> {
    let manager = SqliteConnectionManager::file(path).with_init(|conn| {
        // Writers wait for each other instead of failing: every write is a short IMMEDIATE transaction.
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // FULL: a cancellation the seller was told succeeded survives a power loss. NORMAL under
        // WAL may lose the last transactions (BENCHMARKS.md shows what FULL costs).
        conn.pragma_update(None, "synchronous", "FULL")?;
        Ok(())
    });
    // A request waits at most POOL_WAIT for a connection, then answers 503 (error.rs), instead of
    // r2d2's default 30 s.
    let pool = r2d2::Pool::builder()
        // Eight for requests, one held by the group-commit writer.
        .max_size(9)
        .connection_timeout(POOL_WAIT)
        .build(manager)?;
    let mut conn = pool.get()?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(%mode, "the database did not switch to WAL mode");
    }
    migrations().to_latest(&mut conn)?;
    drop(conn);
    Ok(Db { pool })
}

#[derive(Clone)]
pub struct Db {
    pool: Pool,
}

impl Db {
    /// Runs blocking database work on tokio's blocking threads.
    pub async fn run<T, F>(&self, work: F) -> ApiResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> ApiResult<T> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get()?;
            work(&mut conn)
        })
        .await
        .map_err(|join| ApiError::internal(&join))?
    }

    /// A connection for start-up work (seeding), outside any request.
    pub fn connection(
        &self,
    ) -> Result<r2d2::PooledConnection<SqliteConnectionManager>, r2d2::Error> {
        self.pool.get()
    }
}

pub fn meta_get(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT value FROM meta WHERE key = ?1", [key], |row| {
        row.get(0)
    })
    .optional()
}

pub fn meta_set(conn: &Connection, key: &str, value: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )?;
    Ok(())
}

pub fn to_millis(at: chrono::DateTime<chrono::Utc>) -> i64 {
    at.timestamp_millis()
}

pub fn from_millis(millis: i64) -> rusqlite::Result<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::from_timestamp_millis(millis)
        .ok_or(rusqlite::Error::IntegralValueOutOfRange(0, millis))
}

#[cfg(test)]
mod tests {
    use super::migrations;

    /// A database made before the seller-keyed search index gets it filled from the rows it holds.
    #[test]
    fn migration_3_indexes_the_shipments_already_stored() {
        let mut conn = rusqlite::Connection::open_in_memory().expect("a database");
        migrations().to_version(&mut conn, 2).expect("schema 2");
        conn.execute_batch(
            "INSERT INTO sellers (id, name) VALUES ('s-a', 'A'), ('s-b', 'B');
             INSERT INTO shipments (id, seller_id, posting_number, order_number, status, delivery_method,
                 country, city, city_key, warehouse_id, created_at, ship_by, version, search_text)
             VALUES (7, 's-b', 'p-7', 'o-7', 'delivered', 'seller', 'RU', 'Kazan', 'kazan', 'wh', 0, 0, 1,
                 'p-7' || char(31) || 'o-7' || char(31) || '12' || char(31) || 'чехол');",
        )
        .expect("rows of schema 2");
        migrations().to_latest(&mut conn).expect("schema 3");
        let text: String = conn
            .query_row("SELECT search_text FROM shipments WHERE id = 7", [], |r| {
                r.get(0)
            })
            .expect("the row");
        assert!(text.ends_with('\u{1f}'), "{text:?}");
        let number: i64 = conn
            .query_row(
                "SELECT number FROM seller_numbers WHERE seller_id = 's-b'",
                [],
                |r| r.get(0),
            )
            .expect("a number for each seller");
        let found: Vec<i64> = conn
            .prepare("SELECT rowid FROM shipment_text WHERE shipment_text MATCH ?1")
            .expect("a query")
            .query_map(["\"\u{1f}12\u{1f}\""], |r| r.get(0))
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("ids");
        assert_eq!(found, vec![number * (1 << 32) + 7]);
        let mut cyrillic = conn
            .prepare("SELECT count(*) FROM shipment_text WHERE shipment_text MATCH '\"чех\"'")
            .expect("a query");
        assert_eq!(cyrillic.query_row([], |r| r.get::<_, i64>(0)).ok(), Some(1));
    }

    /// The history's count of one kind (which names `partial` since schema 9) reads its index
    /// alone, never the table.
    #[test]
    fn the_history_count_of_a_kind_reads_the_index_alone() {
        let mut conn = rusqlite::Connection::open_in_memory().expect("a database");
        migrations().to_latest(&mut conn).expect("the schema");
        let plan: Vec<String> = conn
            .prepare(
                "EXPLAIN QUERY PLAN SELECT count(*) FROM cancellations c INDEXED BY cancellations_by_seller_time \
                 WHERE c.seller_id = ?1 AND c.state = ?2 AND c.partial = ?3 AND c.initiator = ?4 AND c.reason = ?5",
            )
            .expect("a plan")
            .query_map(["s", "cancelled", "1", "seller", "other"], |r| r.get(3))
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("the plan");
        assert!(
            plan.iter()
                .any(|step| step.contains("COVERING INDEX cancellations_by_seller_time")),
            "{plan:?}"
        );
    }
}

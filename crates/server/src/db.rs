//! The database: SQLite (a file, the default) or PostgreSQL (a `postgres://` URL), with the schema
//! migrated at start.
//!
//! One sqlx `AnyPool` serves both backends (docs/postgres.md §4.1); the store's SQL is written
//! once, with the fragments that must differ in `store::dialect`.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::pool::PoolConnection;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Any, AnyPool, ConnectOptions};

use crate::error::ApiResult;
pub use crate::store::dialect::Backend;

mod sqlite_migrations;

/// How long a request waits for a database connection before it is answered 503.
pub const POOL_WAIT: Duration = Duration::from_secs(5);
/// Connections of the pool: eight for requests, one held by the group-commit writer.
const POOL_SIZE: u32 = 9;

#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("could not open the database: {0}")]
    Connect(#[from] sqlx::Error),
    #[error("could not migrate the database schema: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{0:?} is neither a file path, a sqlite: URL nor a postgres:// URL")]
    Location(String),
}

/// Where `--db` points: a SQLite file (a bare path or a `sqlite:` URL) or a PostgreSQL database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    Sqlite(std::path::PathBuf),
    Postgres(String),
}

impl Location {
    /// Reads `--db`: `postgres://` or `postgresql://` is PostgreSQL; `sqlite://PATH` or
    /// `sqlite:PATH` a SQLite file; anything else a file path, as before PostgreSQL existed.
    pub fn parse(db: &Path) -> Result<Location, OpenError> {
        let Some(text) = db.to_str() else {
            // A path that is not UTF-8 can only be a file path.
            return Ok(Location::Sqlite(db.to_path_buf()));
        };
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            return Ok(Location::Postgres(text.to_owned()));
        }
        let path = text
            .strip_prefix("sqlite://")
            .or_else(|| text.strip_prefix("sqlite:"))
            .unwrap_or(text);
        // Query parameters of a sqlite URL (`?mode=ro`) would be taken as part of the file name:
        // refused rather than misread. So are in-memory databases, which two pools cannot share.
        if path.is_empty() || path.contains('?') || path == ":memory:" {
            return Err(OpenError::Location(text.to_owned()));
        }
        Ok(Location::Sqlite(path.into()))
    }
}

/// Opens (creating if needed) the database `--db` names and brings its schema up to date.
pub async fn open(db: &Path) -> Result<Db, OpenError> {
    // The Any driver finds SQLite and PostgreSQL only once they are installed (it panics
    // otherwise); installing is idempotent, so every open may do it.
    sqlx::any::install_default_drivers();
    match Location::parse(db)? {
        Location::Sqlite(path) => open_sqlite(&path).await,
        Location::Postgres(url) => open_postgres(&url).await,
    }
}

async fn open_sqlite(path: &Path) -> Result<Db, OpenError> {
    // The URL is built by sqlx from the path (percent-encoding `?`, `#` and spaces), since the Any
    // driver takes a URL only.
    let url = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .to_url_lossy();
    let options = AnyConnectOptions::from_url(&url)?;
    let any = pool_options()
        .after_connect(|conn, _| {
            Box::pin(async move {
                // WAL: readers never wait for the writer. foreign_keys: the schema's references
                // hold. synchronous FULL: a cancellation the seller was told succeeded survives a
                // power loss (NORMAL under WAL may lose the last transactions; BENCHMARKS.md shows
                // what FULL costs). busy_timeout: writers wait for each other instead of failing,
                // since every write is a short IMMEDIATE transaction. `journal_mode` is stored
                // in the file; asking again is a no-op that keeps a file someone switched back to
                // a rollback journal in WAL.
                for pragma in [
                    "PRAGMA journal_mode = WAL",
                    "PRAGMA foreign_keys = ON",
                    "PRAGMA synchronous = FULL",
                    SQLITE_BUSY_TIMEOUT,
                ] {
                    sqlx::query(pragma).execute(&mut *conn).await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await?;
    sqlite_migrations::run(&any).await?;
    Ok(Db {
        any,
        backend: Backend::Sqlite,
    })
}

/// How long a SQLite writer waits for another's lock before failing (10 s), as a pragma (a `const`
/// so that `query` gets a `&'static str`).
const SQLITE_BUSY_TIMEOUT: &str = "PRAGMA busy_timeout = 10000";

async fn open_postgres(url: &str) -> Result<Db, OpenError> {
    let options = AnyConnectOptions::from_str(url)?;
    let any = pool_options().connect_with(options).await?;
    // One migration set per backend (docs/postgres.md §4.1); PostgreSQL's starts at the schema
    // SQLite reached after its ten, since no PostgreSQL database predates it.
    sqlx::migrate!("migrations/postgres").run(&any).await?;
    Ok(Db {
        any,
        backend: Backend::Postgres,
    })
}

fn pool_options() -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(POOL_SIZE)
        // A request waits at most POOL_WAIT for a connection, then is answered 503 (error.rs).
        .acquire_timeout(POOL_WAIT)
}

#[derive(Clone)]
pub struct Db {
    /// The sqlx pool, on either backend.
    any: AnyPool,
    backend: Backend,
}

impl Db {
    /// Which database this is, for the SQL fragments that differ (`store::dialect`).
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The sqlx pool, for work that needs the pool itself (migrations, transactions of its own).
    pub fn pool(&self) -> &AnyPool {
        &self.any
    }

    /// A connection of the sqlx pool for a ported store function (`&mut *conn`); a full pool
    /// answers 503 after `POOL_WAIT` (error.rs).
    pub async fn acquire(&self) -> ApiResult<PoolConnection<Any>> {
        Ok(self.any.acquire().await?)
    }
}

/// A value of the `meta` table (the seed's identity, the stored threshold).
pub async fn meta_get(
    conn: &mut sqlx::AnyConnection,
    key: &str,
) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT value FROM meta WHERE key = $1")
        .bind(key)
        .fetch_optional(&mut *conn)
        .await
}

pub async fn meta_set(
    conn: &mut sqlx::AnyConnection,
    key: &str,
    value: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub fn to_millis(at: chrono::DateTime<chrono::Utc>) -> i64 {
    at.timestamp_millis()
}

/// A time stored as i64 milliseconds, read by an sqlx store function.
pub fn time(millis: i64) -> Result<chrono::DateTime<chrono::Utc>, sqlx::Error> {
    chrono::DateTime::from_timestamp_millis(millis)
        .ok_or_else(|| sqlx::Error::Decode(format!("{millis} ms is not a time").into()))
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use sqlx::Row as _;

    use super::Location;
    use super::sqlite_migrations::tests::rusqlite_migrations as migrations;

    #[test]
    fn db_names_a_file_a_sqlite_url_or_a_postgres_url() {
        let parse = |text: &str| Location::parse(Path::new(text)).map_err(|e| e.to_string());
        assert_eq!(
            parse("data/shipments.sqlite3"),
            Ok(Location::Sqlite(PathBuf::from("data/shipments.sqlite3")))
        );
        assert_eq!(
            parse("sqlite:///tmp/a b.db"),
            Ok(Location::Sqlite(PathBuf::from("/tmp/a b.db")))
        );
        assert_eq!(
            parse("sqlite:rel.db"),
            Ok(Location::Sqlite(PathBuf::from("rel.db")))
        );
        for url in ["postgres://u@h:5/db", "postgresql://h/db?sslmode=disable"] {
            assert_eq!(parse(url), Ok(Location::Postgres(url.to_owned())));
        }
        for bad in ["sqlite://", "sqlite::memory:", "sqlite:x.db?mode=ro"] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    /// The store's one query text uses `$N` on both backends: on SQLite (sqlx-sqlite) `$N` binds
    /// argument N, so a placeholder may repeat and come out of order.
    #[tokio::test]
    async fn dollar_placeholders_bind_by_number_on_sqlite() {
        let dir = tempfile::tempdir().expect("a directory");
        let db = super::open(&dir.path().join("p.sqlite3"))
            .await
            .expect("a database");
        assert_eq!(db.backend(), super::Backend::Sqlite);
        let mut conn = db.acquire().await.expect("a connection");
        let row = sqlx::query("SELECT $2 || $1 || $2 AS joined, $3 + $3 AS twice")
            .bind("a")
            .bind("b")
            .bind(21_i64)
            .fetch_one(&mut *conn)
            .await
            .expect("a row");
        assert_eq!(
            row.try_get::<String, _>("joined").ok().as_deref(),
            Some("bab")
        );
        assert_eq!(row.try_get::<i64, _>("twice").ok(), Some(42));
        // The id lists of `Backend::id_list` on SQLite.
        let sql = format!(
            "SELECT count(*) AS n FROM {} AS ids",
            super::Backend::Sqlite.id_list(1)
        );
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
            .bind("[3, 5, 8]")
            .fetch_one(&mut *conn)
            .await
            .expect("a count");
        assert_eq!(n, 3);
    }

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

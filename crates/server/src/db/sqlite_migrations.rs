//! The SQLite schema through sqlx's migrator (`migrations/sqlite`), with the files that
//! rusqlite_migration made upgraded in place.
//!
//! rusqlite_migration recorded how many of the same ten migrations a file had run in `PRAGMA
//! user_version`, and nothing else. sqlx records each applied migration, with its checksum, in
//! `_sqlx_migrations`. A file with a `user_version` of N and no `_sqlx_migrations` table is such an
//! older file: its first N migrations are recorded as applied without running them again
//! (`Migrator::skip`, the baseline), and the migrator then runs the rest. `user_version` is kept
//! equal to the newest applied version, so a server built before this change still opens a file
//! made after it (and finds nothing to do).

use sqlx::AnyPool;
use sqlx::migrate::{MigrateError, Migrator};

/// The SQLite migrations, embedded at compile time; version N is rusqlite_migration's N-th.
static MIGRATOR: Migrator = sqlx::migrate!("migrations/sqlite");

/// Brings the file's schema up to date (see the module's comment for older files).
pub async fn run(pool: &AnyPool) -> Result<(), MigrateError> {
    let mut conn = pool.acquire().await?;
    let recorded: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
    )
    .fetch_one(&mut *conn)
    .await?;
    let user_version: i64 = sqlx::query_scalar("PRAGMA user_version")
        .fetch_one(&mut *conn)
        .await?;
    drop(conn);
    if recorded == 0 && user_version > 0 {
        let newest = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
        if user_version > newest {
            // Made by a newer server: it applied a migration this build does not know.
            return Err(MigrateError::VersionMissing(user_version));
        }
        tracing::info!(
            user_version,
            "a database made by rusqlite_migration: its migrations are recorded for sqlx"
        );
        MIGRATOR.skip(pool, Some(user_version)).await?;
    }
    MIGRATOR.run(pool).await?;
    let newest_applied: i64 =
        sqlx::query_scalar("SELECT coalesce(max(version), 0) FROM _sqlx_migrations WHERE success")
            .fetch_one(pool)
            .await?;
    // PRAGMA takes no bind parameters; the value is an integer read from the database.
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "PRAGMA user_version = {newest_applied}"
    )))
    .execute(pool)
    .await?;
    Ok(())
}

#[cfg(test)]
pub(super) mod tests {
    use rusqlite_migration::{M, Migrations};
    use sqlx::Row as _;

    /// The same ten migrations as rusqlite_migration ran them before sqlx did (`PRAGMA
    /// user_version` counting them), to make files as the servers before this change made them.
    pub fn rusqlite_migrations() -> Migrations<'static> {
        Migrations::new(vec![
            M::up(include_str!("../../migrations/sqlite/0001_schema.sql")),
            M::up(include_str!("../../migrations/sqlite/0002_search.sql")),
            M::up(include_str!(
                "../../migrations/sqlite/0003_seller_search.sql"
            )),
            M::up(include_str!(
                "../../migrations/sqlite/0004_filter_counts.sql"
            )),
            M::up(include_str!(
                "../../migrations/sqlite/0005_status_pages.sql"
            )),
            M::up(include_str!(
                "../../migrations/sqlite/0006_provider_filter.sql"
            )),
            M::up(include_str!(
                "../../migrations/sqlite/0007_idempotency_retention.sql"
            )),
            M::up(include_str!("../../migrations/sqlite/0008_history.sql")),
            M::up(include_str!("../../migrations/sqlite/0009_partial.sql")),
            M::up(include_str!(
                "../../migrations/sqlite/0010_product_shipments.sql"
            )),
        ])
    }

    /// Makes a file as an older server did: rusqlite_migration's first `version` migrations, a
    /// seller and a shipment in it.
    fn old_file(path: &std::path::Path, version: usize) {
        let mut conn = rusqlite::Connection::open(path).expect("a file");
        rusqlite_migrations()
            .to_version(&mut conn, version)
            .expect("the old migrations");
        conn.execute_batch(
            "INSERT INTO sellers (id, name) VALUES ('s-a', 'A');
             INSERT INTO shipments (id, seller_id, posting_number, order_number, status,
                 delivery_method, country, city, city_key, warehouse_id, created_at, ship_by,
                 version, search_text)
             VALUES (7, 's-a', 'p-7', 'o-7', 'delivered', 'seller', 'RU', 'Kazan', 'kazan', 'wh',
                 0, 0, 1, 'p-7' || char(31) || 'o-7' || char(31));",
        )
        .expect("rows");
    }

    async fn applied(db: &crate::db::Db) -> Vec<(i64, bool)> {
        // `success` is a BOOLEAN column, a type the Any driver does not decode: read as 0/1.
        sqlx::query(
            "SELECT version, CAST(success AS INTEGER) AS success FROM _sqlx_migrations \
             ORDER BY version",
        )
        .fetch_all(db.pool())
        .await
        .expect("the record")
        .iter()
        .map(|row| {
            (
                row.get::<i64, _>("version"),
                row.get::<i64, _>("success") == 1,
            )
        })
        .collect()
    }

    async fn shipments(db: &crate::db::Db) -> Vec<String> {
        sqlx::query_scalar("SELECT posting_number FROM shipments")
            .fetch_all(db.pool())
            .await
            .expect("the shipments")
    }

    /// A file made by the old migrations, all ten: opened by sqlx's migrator, it keeps its data,
    /// runs nothing again (migration 1 would fail: its tables exist) and records all ten.
    #[tokio::test]
    async fn a_file_made_by_rusqlite_migration_is_taken_over_with_its_data() {
        let dir = tempfile::tempdir().expect("a directory");
        let path = dir.path().join("old.sqlite3");
        old_file(&path, 10);
        let db = crate::db::open(&path).await.expect("the old file opens");
        assert_eq!(shipments(&db).await, ["p-7"]);
        assert_eq!(
            applied(&db).await,
            (1..=10).map(|v| (v, true)).collect::<Vec<_>>()
        );
        drop(db);
        // And again: nothing more to do.
        let db = crate::db::open(&path).await.expect("it opens again");
        assert_eq!(applied(&db).await.len(), 10);
        let user_version: i64 = sqlx::query_scalar("PRAGMA user_version")
            .fetch_one(db.pool())
            .await
            .expect("the version");
        assert_eq!(
            user_version, 10,
            "an older server would find the file up to date"
        );
    }

    /// A file that an older server migrated only part of the way: the rest runs, on its data.
    #[tokio::test]
    async fn a_file_part_way_through_the_old_migrations_gets_the_rest() {
        let dir = tempfile::tempdir().expect("a directory");
        let path = dir.path().join("older.sqlite3");
        old_file(&path, 5);
        let db = crate::db::open(&path).await.expect("the old file opens");
        assert_eq!(shipments(&db).await, ["p-7"]);
        assert_eq!(applied(&db).await.len(), 10);
        // Migration 9's column is there: the migrations after 5 ran on the old file.
        let partial: i64 =
            sqlx::query_scalar("SELECT count(*) FROM cancellations WHERE partial = 1")
                .fetch_one(db.pool())
                .await
                .expect("migration 9's column");
        assert_eq!(partial, 0);
    }

    /// A new file: every migration runs, and `user_version` says so for older servers.
    #[tokio::test]
    async fn a_new_file_gets_every_migration() {
        let dir = tempfile::tempdir().expect("a directory");
        let db = crate::db::open(&dir.path().join("new.sqlite3"))
            .await
            .expect("a new file");
        assert_eq!(applied(&db).await.len(), 10);
        assert!(shipments(&db).await.is_empty());
    }

    /// A file from a newer server (a migration this build lacks) is refused, not half-read.
    #[tokio::test]
    async fn a_file_from_a_newer_server_is_refused() {
        let dir = tempfile::tempdir().expect("a directory");
        let path = dir.path().join("newer.sqlite3");
        old_file(&path, 10);
        rusqlite::Connection::open(&path)
            .expect("the file")
            .pragma_update(None, "user_version", 11)
            .expect("a newer version");
        let error = crate::db::open(&path).await.err().expect("refused");
        assert!(error.to_string().contains("11"), "{error}");
    }
}

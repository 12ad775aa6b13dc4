//! The stored outcome of each intent (`Idempotency-Key`), scoped to the seller and kept for the
//! retention (`Settings::idempotency_retention`): an older record is as if it did not exist, and the
//! pruner deletes it.

use rusqlite::{Connection, OptionalExtension, params};

pub struct StoredOutcome {
    pub request_hash: String,
    pub status: u16,
    pub body: String,
}

/// The seller's record of `key`, if it was made after `since` (milliseconds).
pub fn find(
    conn: &Connection,
    seller_id: &str,
    key: &str,
    since: i64,
) -> rusqlite::Result<Option<StoredOutcome>> {
    conn.prepare_cached(
        "SELECT request_hash, status, body FROM idempotency
         WHERE seller_id = ?1 AND key = ?2 AND created_at > ?3",
    )?
    .query_row(params![seller_id, key, since], |row| {
        Ok(StoredOutcome {
            request_hash: row.get(0)?,
            status: row.get(1)?,
            body: row.get(2)?,
        })
    })
    .optional()
}

/// How many records the seller holds (expired ones included until the pruner takes them).
pub fn stored_count(conn: &Connection, seller_id: &str) -> rusqlite::Result<u64> {
    Ok(conn
        .prepare_cached("SELECT stored FROM idempotency_counts WHERE seller_id = ?1")?
        .query_row([seller_id], |row| row.get::<_, i64>(0))
        .optional()?
        .map_or(0, |n| u64::try_from(n).unwrap_or(0)))
}

/// Stores the outcome; an expired record of the same key is replaced.
pub fn save(
    conn: &Connection,
    seller_id: &str,
    key: &str,
    outcome: &StoredOutcome,
    now: chrono::DateTime<chrono::Utc>,
) -> rusqlite::Result<()> {
    // Deleted first (not INSERT OR REPLACE) so that the counting triggers see the delete.
    conn.prepare_cached("DELETE FROM idempotency WHERE seller_id = ?1 AND key = ?2")?
        .execute(params![seller_id, key])?;
    conn.prepare_cached(
        "INSERT INTO idempotency (seller_id, key, request_hash, status, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![seller_id, key, outcome.request_hash, outcome.status, outcome.body, crate::db::to_millis(now)])?;
    Ok(())
}

/// Deletes up to `batch` records made at or before `cutoff` (milliseconds); returns how many.
pub fn delete_expired(conn: &Connection, cutoff: i64, batch: usize) -> rusqlite::Result<usize> {
    conn.prepare_cached(
        "DELETE FROM idempotency WHERE rowid IN
             (SELECT rowid FROM idempotency WHERE created_at <= ?1 LIMIT ?2)",
    )?
    .execute(params![cutoff, i64::try_from(batch).unwrap_or(i64::MAX)])
}

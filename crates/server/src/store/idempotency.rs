//! The stored outcome of each intent (`Idempotency-Key`), scoped to the seller.

use rusqlite::{Connection, OptionalExtension, params};

pub struct StoredOutcome {
    pub request_hash: String,
    pub status: u16,
    pub body: String,
}

pub fn find(
    conn: &Connection,
    seller_id: &str,
    key: &str,
) -> rusqlite::Result<Option<StoredOutcome>> {
    conn.prepare_cached(
        "SELECT request_hash, status, body FROM idempotency WHERE seller_id = ?1 AND key = ?2",
    )?
    .query_row(params![seller_id, key], |row| {
        Ok(StoredOutcome {
            request_hash: row.get(0)?,
            status: row.get(1)?,
            body: row.get(2)?,
        })
    })
    .optional()
}

pub fn save(
    conn: &Connection,
    seller_id: &str,
    key: &str,
    outcome: &StoredOutcome,
    now: chrono::DateTime<chrono::Utc>,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO idempotency (seller_id, key, request_hash, status, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![seller_id, key, outcome.request_hash, outcome.status, outcome.body, crate::db::to_millis(now)])?;
    Ok(())
}

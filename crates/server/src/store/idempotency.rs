//! The stored outcome of each intent (`Idempotency-Key`), scoped to the seller and kept for the
//! retention (`Settings::idempotency_retention`): an older record is as if it did not exist, and the
//! pruner deletes it.

use sqlx::{AnyConnection, Row as _};

use super::dialect::{Backend, is_unique_violation, narrow};
use crate::error::ApiResult;

pub struct StoredOutcome {
    pub request_hash: String,
    pub status: u16,
    pub body: String,
}

/// Claims the key for this transaction across every instance: `false` means another transaction
/// holds it (the intent is in flight elsewhere: 409). On PostgreSQL a transaction-scoped advisory
/// lock on a 64-bit hash of (seller, key): released at commit or rollback, and with the session
/// when an instance dies, so a crash never leaves a key stuck. A hash collision can only cause a
/// spurious, retryable 409. On SQLite one process holds the file and `AppState::in_flight`
/// already answers for it.
pub async fn claim(conn: &mut AnyConnection, seller_id: &str, key: &str) -> ApiResult<bool> {
    if Backend::of(conn) == Backend::Sqlite {
        return Ok(true);
    }
    let claimed: bool = sqlx::query_scalar(
        "SELECT pg_try_advisory_xact_lock(hashtextextended($1 || chr(31) || $2, 0))",
    )
    .bind(seller_id)
    .bind(key)
    .fetch_one(&mut *conn)
    .await?;
    Ok(claimed)
}

/// The seller's record of `key`, if it was made after `since` (milliseconds).
pub async fn find(
    conn: &mut AnyConnection,
    seller_id: &str,
    key: &str,
    since: i64,
) -> ApiResult<Option<StoredOutcome>> {
    let row = sqlx::query(
        "SELECT request_hash, status, body FROM idempotency
         WHERE seller_id = $1 AND key = $2 AND created_at > $3",
    )
    .bind(seller_id)
    .bind(key)
    .bind(since)
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some(StoredOutcome {
        request_hash: row.try_get("request_hash")?,
        status: narrow(row.try_get("status")?, "status")?,
        body: row.try_get("body")?,
    }))
}

/// How many records the seller holds (expired ones included until the pruner takes them).
pub async fn stored_count(conn: &mut AnyConnection, seller_id: &str) -> ApiResult<u64> {
    let stored: Option<i64> =
        sqlx::query_scalar("SELECT stored FROM idempotency_counts WHERE seller_id = $1")
            .bind(seller_id)
            .fetch_optional(&mut *conn)
            .await?;
    Ok(stored.map_or(0, |n| u64::try_from(n).unwrap_or(0)))
}

/// Stores the outcome; an expired record of the same key is replaced.
pub async fn save(
    conn: &mut AnyConnection,
    seller_id: &str,
    key: &str,
    outcome: &StoredOutcome,
    now: chrono::DateTime<chrono::Utc>,
) -> ApiResult<()> {
    // Deleted first (not an upsert) so that the counting triggers see the delete.
    sqlx::query("DELETE FROM idempotency WHERE seller_id = $1 AND key = $2")
        .bind(seller_id)
        .bind(key)
        .execute(&mut *conn)
        .await?;
    let inserted = sqlx::query(
        "INSERT INTO idempotency (seller_id, key, request_hash, status, body, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(seller_id)
    .bind(key)
    .bind(outcome.request_hash.as_str())
    .bind(i64::from(outcome.status))
    .bind(outcome.body.as_str())
    .bind(crate::db::to_millis(now))
    .execute(&mut *conn)
    .await;
    match inserted {
        Ok(_) => Ok(()),
        // The backstop behind `claim`: another transaction stored this key first. This one rolls
        // back; the client's retry finds the stored outcome and gets it replayed.
        Err(error) if is_unique_violation(&error) => Err(crate::intent::in_flight()),
        Err(error) => Err(error.into()),
    }
}

/// Deletes up to `batch` records made at or before `cutoff` (milliseconds); returns how many.
pub async fn delete_expired(conn: &mut AnyConnection, cutoff: i64, batch: usize) -> ApiResult<u64> {
    // By primary key, not SQLite's rowid, so that one text serves PostgreSQL too; the inner query
    // walks `idempotency_by_age`.
    let deleted = sqlx::query(
        "DELETE FROM idempotency WHERE (seller_id, key) IN
             (SELECT seller_id, key FROM idempotency WHERE created_at <= $1 LIMIT $2)",
    )
    .bind(cutoff)
    .bind(i64::try_from(batch).unwrap_or(i64::MAX))
    .execute(&mut *conn)
    .await?;
    Ok(deleted.rows_affected())
}

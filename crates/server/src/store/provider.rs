//! Cancellation requests waiting for the simulated delivery provider, stored so they survive a restart.

use chrono::{DateTime, Duration, Utc};
use domain::fixture::{Decision, ProviderDecision};
use domain::{CancellationState, Status};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::{codes, shipments};
use crate::db::{from_millis, to_millis};
use crate::error::ApiResult;

/// What the provider says when it refuses and the fixture gives no message.
pub const DEFAULT_REJECTION: &str = "The delivery service could not stop the parcel";

/// Stores the provider's answer to come for a cancellation request, due `decision.after_ms` from now.
pub async fn schedule(
    conn: &mut sqlx::AnyConnection,
    cancellation_id: i64,
    decision: &ProviderDecision,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let delay = Duration::milliseconds(i64::try_from(decision.after_ms).unwrap_or(i64::MAX / 2));
    let due_at = now.checked_add_signed(delay).unwrap_or(now);
    sqlx::query(
        "INSERT INTO provider_requests (cancellation_id, due_at, decision, message) VALUES ($1, $2, $3, $4)",
    )
    .bind(cancellation_id)
    .bind(to_millis(due_at))
    .bind(decision.decision.code())
    .bind(decision.message.as_deref())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The rusqlite `schedule` for the writers not yet ported (seeding, the out-of-stock sweep).
pub mod legacy {
    use chrono::{DateTime, Duration, Utc};
    use domain::fixture::ProviderDecision;
    use rusqlite::{Connection, params};

    use crate::db::to_millis;

    pub fn schedule(
        conn: &Connection,
        cancellation_id: i64,
        decision: &ProviderDecision,
        now: DateTime<Utc>,
    ) -> rusqlite::Result<()> {
        let delay =
            Duration::milliseconds(i64::try_from(decision.after_ms).unwrap_or(i64::MAX / 2));
        let due_at = now.checked_add_signed(delay).unwrap_or(now);
        conn.prepare_cached(
            "INSERT INTO provider_requests (cancellation_id, due_at, decision, message) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![
            cancellation_id,
            to_millis(due_at),
            decision.decision.code(),
            decision.message
        ])?;
        Ok(())
    }
}

/// The request the provider answers next, with when it is due.
pub fn next_due(conn: &Connection) -> rusqlite::Result<Option<(i64, DateTime<Utc>)>> {
    conn.query_row(
        "SELECT cancellation_id, due_at FROM provider_requests ORDER BY due_at, cancellation_id LIMIT 1",
        [],
        |row| Ok((row.get::<_, i64>(0)?, from_millis(row.get(1)?)?)),
    )
    .optional()
}

/// Applies the provider's answer to one request, atomically. Returns the shipment it changed.
pub fn decide(
    conn: &mut Connection,
    cancellation_id: i64,
    now: DateTime<Utc>,
) -> rusqlite::Result<Option<i64>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let request = tx
        .query_row(
            "SELECT r.decision, r.message, c.shipment_id, s.status, s.cancellation_id
             FROM provider_requests r
             JOIN cancellations c ON c.id = r.cancellation_id
             JOIN shipments s ON s.id = c.shipment_id
             WHERE r.cancellation_id = ?1",
            [cancellation_id],
            |row| {
                Ok((
                    codes::get(row, 0)?,
                    row.get::<_, Option<String>>(1)?,
                    row.get::<_, i64>(2)?,
                    codes::get::<Status>(row, 3)?,
                    row.get::<_, Option<i64>>(4)?,
                ))
            },
        )
        .optional()?;
    tx.execute(
        "DELETE FROM provider_requests WHERE cancellation_id = ?1",
        [cancellation_id],
    )?;
    let Some((decision, message, shipment_id, status, latest)) = request else {
        tx.commit()?;
        return Ok(None);
    };
    // Only the shipment's latest request, on a parcel still travelling, can still be approved.
    let current = latest == Some(cancellation_id) && status == Status::InTransit;
    let (state, message) = match decision {
        Decision::Approve if current => (CancellationState::Cancelled, message),
        Decision::Approve => (
            CancellationState::Rejected,
            Some("The parcel is no longer in transit".to_owned()),
        ),
        Decision::Reject => (
            CancellationState::Rejected,
            Some(message.unwrap_or_else(|| DEFAULT_REJECTION.to_owned())),
        ),
    };
    tx.execute(
        "UPDATE cancellations SET state = ?1, decided_at = ?2, provider_message = ?3 WHERE id = ?4",
        params![state.code(), to_millis(now), message, cancellation_id],
    )?;
    if state == CancellationState::Cancelled {
        shipments::set_status(&tx, shipment_id, Status::Cancelled)?;
    } else {
        shipments::bump_version(&tx, shipment_id)?;
    }
    tx.commit()?;
    Ok(Some(shipment_id))
}

/// The shipment's latest cancellation, while it waits for the provider.
pub fn pending_request(conn: &Connection, shipment_id: i64) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        "SELECT r.cancellation_id FROM provider_requests r
         JOIN shipments s ON s.cancellation_id = r.cancellation_id WHERE s.id = ?1",
        [shipment_id],
        |row| row.get(0),
    )
    .optional()
}

/// Replaces what the provider will answer to a waiting request, due now (the demo's "decide now").
pub fn instruct(
    conn: &Connection,
    cancellation_id: i64,
    decision: Decision,
    message: Option<&str>,
    now: DateTime<Utc>,
) -> rusqlite::Result<bool> {
    let changed = conn.execute(
        "UPDATE provider_requests SET decision = ?1, message = ?2, due_at = ?3 WHERE cancellation_id = ?4",
        params![decision.code(), message, to_millis(now), cancellation_id],
    )?;
    Ok(changed == 1)
}

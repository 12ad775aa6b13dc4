//! The one mapping of a cancellation row (every query that reads a cancellation selects
//! [`CANCELLATION_COLUMNS`] and reads them with [`cancellation_from_row`]), and the facts of the
//! cancellation rate.

use chrono::{DateTime, Utc};
use domain::Cancellation;
use rusqlite::{Connection, Row, params};

use super::codes;
use crate::db::{from_millis, to_millis};

/// The columns [`cancellation_from_row`] reads, in its order, from the table aliased `c`.
pub const CANCELLATION_COLUMNS: &str =
    "c.state, c.reason, c.comment, c.initiator, c.requested_at, c.decided_at, c.provider_message";

/// The cancellation whose [`CANCELLATION_COLUMNS`] start at column `first`.
pub fn cancellation_from_row(row: &Row<'_>, first: usize) -> rusqlite::Result<Cancellation> {
    Ok(Cancellation {
        state: codes::get(row, first)?,
        reason: row
            .get::<_, Option<String>>(first + 1)?
            .map(|r| codes::parse(first + 1, &r))
            .transpose()?,
        comment: row.get(first + 2)?,
        initiator: codes::get(row, first + 3)?,
        requested_at: from_millis(row.get(first + 4)?)?,
        decided_at: row
            .get::<_, Option<i64>>(first + 5)?
            .map(from_millis)
            .transpose()?,
        provider_message: row.get(first + 6)?,
    })
}

/// The latest cancellation of a shipment, from a `LEFT JOIN` that may find none (a null state).
pub fn optional_cancellation_from_row(
    row: &Row<'_>,
    first: usize,
) -> rusqlite::Result<Option<Cancellation>> {
    match row.get::<_, Option<String>>(first)? {
        None => Ok(None),
        Some(_) => cancellation_from_row(row, first).map(Some),
    }
}

/// Each of the seller's shipments that can count toward the rate over a window starting at
/// `since` (created in it, or cancelled in it): its creation time and latest cancellation.
pub fn rate_facts(
    conn: &Connection,
    seller_id: &str,
    since: DateTime<Utc>,
) -> rusqlite::Result<Vec<(DateTime<Utc>, Option<Cancellation>)>> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT s.created_at, {CANCELLATION_COLUMNS}
         FROM shipments s LEFT JOIN cancellations c ON c.id = s.cancellation_id
         WHERE s.seller_id = ?1 AND (s.created_at >= ?2 OR coalesce(c.decided_at, c.requested_at) >= ?2)"
    ))?;
    statement
        .query_map(params![seller_id, to_millis(since)], |row| {
            Ok((
                from_millis(row.get(0)?)?,
                optional_cancellation_from_row(row, 1)?,
            ))
        })?
        .collect()
}

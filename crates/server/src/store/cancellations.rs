//! The one mapping of a cancellation row (every query that reads a cancellation selects
//! [`CANCELLATION_COLUMNS`] and reads them by name with [`cancellation`] or
//! [`optional_cancellation`]), and the facts of the
//! cancellation rate.

use chrono::{DateTime, Utc};
use domain::partial::CancelledItem;
use domain::{Cancellation, Code as _};

use super::codes;
use super::dialect::Backend;
use crate::db::to_millis;
use crate::error::ApiResult;

/// The columns [`cancellation`] reads, by name, from the table aliased `c`.
pub const CANCELLATION_COLUMNS: &str =
    "c.state, c.reason, c.comment, c.initiator, c.requested_at, c.decided_at, c.provider_message";

/// The latest cancellation of a shipment from an sqlx row holding [`CANCELLATION_COLUMNS`] by
/// their names, from a `LEFT JOIN` that may find none (a null state).
pub fn optional_cancellation(row: &sqlx::any::AnyRow) -> Result<Option<Cancellation>, sqlx::Error> {
    use sqlx::Row as _;
    if row.try_get::<Option<String>, _>("state")?.is_none() {
        return Ok(None);
    }
    cancellation(row).map(Some)
}

/// The cancellation in an sqlx row holding [`CANCELLATION_COLUMNS`] by their names.
pub fn cancellation(row: &sqlx::any::AnyRow) -> Result<Cancellation, sqlx::Error> {
    use sqlx::Row as _;
    let reason = row
        .try_get::<Option<String>, _>("reason")?
        .map(|code| {
            domain::Reason::parse_code(&code).map_err(|unknown| sqlx::Error::ColumnDecode {
                index: "reason".to_owned(),
                source: Box::new(unknown),
            })
        })
        .transpose()?;
    Ok(Cancellation {
        state: codes::column(row, "state")?,
        reason,
        comment: row.try_get("comment")?,
        initiator: codes::column(row, "initiator")?,
        requested_at: crate::db::time(row.try_get("requested_at")?)?,
        decided_at: row
            .try_get::<Option<i64>, _>("decided_at")?
            .map(crate::db::time)
            .transpose()?,
        provider_message: row.try_get("provider_message")?,
    })
}

/// What the rate needs of one shipment (`domain::metric::MetricFacts`, owned).
#[derive(Clone, Debug)]
pub struct RateFact {
    pub created_at: DateTime<Utc>,
    /// Its latest whole cancellation.
    pub cancellation: Option<Cancellation>,
    /// Its partial cancellations, oldest first.
    pub cancelled_items: Vec<CancelledItem>,
}

/// Each of the seller's shipments that can count toward the rate over a window starting at
/// `since` (created in it, or cancelled in it, wholly or partly): its creation time, latest whole
/// cancellation and partial cancellations. The rules crate decides when it counts, at most once
/// (`domain::metric::counted_at`), so every partial cancellation of such a shipment is read, also
/// those before the window (an earlier one means it counted before the window).
pub async fn rate_facts(
    conn: &mut sqlx::AnyConnection,
    seller_id: &str,
    since: DateTime<Utc>,
) -> ApiResult<Vec<RateFact>> {
    use sqlx::Row as _;
    let backend = Backend::of(conn);
    // Only static fragments (the backend's index hint) and placeholders are formatted in.
    let sql = format!(
        "SELECT s.id, s.created_at, {CANCELLATION_COLUMNS}
         FROM shipments s LEFT JOIN cancellations c ON c.id = s.cancellation_id
         WHERE s.seller_id = $1 AND (s.created_at >= $2 OR coalesce(c.decided_at, c.requested_at) >= $2
             OR s.id IN (SELECT p.shipment_id FROM cancellations p {}
                         WHERE p.seller_id = $1 AND p.requested_at >= $2 AND p.partial = 1))",
        backend.indexed_by("cancellations_by_seller_time")
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(seller_id)
        .bind(to_millis(since))
        .fetch_all(&mut *conn)
        .await?;
    let mut facts = Vec::with_capacity(rows.len());
    for row in &rows {
        facts.push((
            row.try_get::<i64, _>("id")?,
            RateFact {
                created_at: crate::db::time(row.try_get("created_at")?)?,
                cancellation: optional_cancellation(row)?,
                cancelled_items: Vec::new(),
            },
        ));
    }
    let ids: Vec<i64> = facts.iter().map(|(id, _)| *id).collect();
    let mut partial = super::partial::cancelled_items_of(conn, &ids).await?;
    Ok(facts
        .into_iter()
        .map(|(id, mut fact)| {
            fact.cancelled_items = partial.remove(&id).unwrap_or_default();
            fact
        })
        .collect())
}

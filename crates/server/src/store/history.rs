//! The seller's cancellation history, read from the index `cancellations_by_seller_time`
//! (seller, requested_at, id, state, initiator, reason): a page walks it from a position and stops
//! after `limit` matches; the count reads it alone. A partial cancellation (`partial`, also in
//! the index) is an entry of its own kind, with its items read in one query per page.

use domain::history::{HistoryEntry, HistoryFilter, HistoryKind};
use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

use super::cancellations::{CANCELLATION_COLUMNS, cancellation_from_row};
use crate::db::to_millis;
use crate::error::ApiResult;

/// Where a page ended: the last entry's request time and id, bound to the seller and the filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub requested_at: i64,
    pub id: i64,
}

/// The WHERE clause of the seller's cancellations under `filter`, after `after` when given.
fn condition(
    seller_id: &str,
    filter: &HistoryFilter,
    after: Option<Position>,
) -> (String, Vec<Value>) {
    let mut sql = String::from("c.seller_id = ?");
    let mut values = vec![Value::Text(seller_id.to_owned())];
    if let Some(kind) = filter.kind {
        let (state, initiator) = kind.state();
        sql.push_str(" AND c.state = ? AND c.partial = ?");
        values.push(Value::Text(state.code().to_owned()));
        values.push(Value::Integer(i64::from(kind.partial())));
        if let Some(initiator) = initiator {
            sql.push_str(" AND c.initiator = ?");
            values.push(Value::Text(initiator.code().to_owned()));
        }
    }
    if let Some(initiator) = filter.initiator {
        sql.push_str(" AND c.initiator = ?");
        values.push(Value::Text(initiator.code().to_owned()));
    }
    if let Some(reason) = filter.reason {
        sql.push_str(" AND c.reason = ?");
        values.push(Value::Text(reason.code().to_owned()));
    }
    if let Some(from) = filter.from_instant() {
        sql.push_str(" AND c.requested_at >= ?");
        values.push(Value::Integer(to_millis(from)));
    }
    if let Some(until) = filter.until_instant() {
        sql.push_str(" AND c.requested_at < ?");
        values.push(Value::Integer(to_millis(until)));
    }
    if let Some(after) = after {
        sql.push_str(" AND (c.requested_at, c.id) < (?, ?)");
        values.push(Value::Integer(after.requested_at));
        values.push(Value::Integer(after.id));
    }
    (sql, values)
}

/// Up to `limit` entries after `after`, newest first, each with its position.
pub fn entries(
    conn: &Connection,
    seller_id: &str,
    filter: &HistoryFilter,
    after: Option<Position>,
    limit: u32,
) -> ApiResult<Vec<(Position, HistoryEntry)>> {
    let (sql, mut values) = condition(seller_id, filter, after);
    values.push(Value::Integer(i64::from(limit)));
    let mut statement = conn.prepare_cached(&format!(
        "SELECT c.id, s.posting_number, s.order_number, s.provider, c.partial, {CANCELLATION_COLUMNS} \
         FROM cancellations c INDEXED BY cancellations_by_seller_time \
         JOIN shipments s ON s.id = c.shipment_id \
         WHERE {sql} ORDER BY c.requested_at DESC, c.id DESC LIMIT ?"
    ))?;
    let rows = statement.query_map(params_from_iter(values.iter()), |row| {
        let cancellation = cancellation_from_row(row, 5)?;
        let partial: bool = row.get(4)?;
        let position = Position {
            requested_at: to_millis(cancellation.requested_at),
            id: row.get(0)?,
        };
        Ok((
            position,
            HistoryEntry {
                posting_number: row.get(1)?,
                order_number: row.get(2)?,
                kind: HistoryKind::of(cancellation.state, cancellation.initiator, partial),
                reason: cancellation.reason,
                comment: cancellation.comment,
                initiator: cancellation.initiator,
                provider: row.get(3)?,
                provider_message: cancellation.provider_message,
                requested_at: cancellation.requested_at,
                decided_at: cancellation.decided_at,
                items: Vec::new(),
            },
        ))
    })?;
    let mut rows = rows.collect::<rusqlite::Result<Vec<_>>>()?;
    let partial_ids: Vec<i64> = rows
        .iter()
        .filter(|(_, entry)| entry.kind.partial())
        .map(|(position, _)| position.id)
        .collect();
    let mut items = super::partial::items_of(conn, &partial_ids)?;
    for (position, entry) in &mut rows {
        entry.items = items.remove(&position.id).unwrap_or_default();
    }
    Ok(rows)
}

pub fn count(conn: &Connection, seller_id: &str, filter: &HistoryFilter) -> ApiResult<u64> {
    let (sql, values) = condition(seller_id, filter, None);
    let total: i64 = conn
        .prepare_cached(&format!(
            "SELECT count(*) FROM cancellations c INDEXED BY cancellations_by_seller_time WHERE {sql}"
        ))?
        .query_row(params_from_iter(values.iter()), |row| row.get(0))?;
    Ok(u64::try_from(total).unwrap_or(0))
}

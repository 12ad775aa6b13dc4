//! The seller's cancellation history, read from the index `cancellations_by_seller_time`
//! (seller, requested_at, id, state, initiator, reason, partial): a page walks it from a position
//! and stops after `limit` matches; the count reads it alone. A partial cancellation (`partial`,
//! also in the index) is an entry of its own kind, with its items read in one query per page.
//! One query text for SQLite and PostgreSQL (`store/mod.rs`).

use std::collections::HashMap;

use domain::history::{HistoryEntry, HistoryFilter, HistoryKind};
use domain::partial::CancelItem;
use sqlx::{AnyConnection, Row as _};

use super::binds::Binds;
use super::cancellations::{CANCELLATION_COLUMNS, cancellation};
use super::dialect::{Backend, narrow};
use crate::db::to_millis;
use crate::error::ApiResult;

/// Where a page ended: the last entry's request time and id, bound to the seller and the filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub requested_at: i64,
    pub id: i64,
}

/// The WHERE clause of the seller's cancellations under `filter`, after `after` when given, its
/// values added to `binds`.
fn condition(
    binds: &mut Binds,
    seller_id: &str,
    filter: &HistoryFilter,
    after: Option<Position>,
) -> String {
    let mut sql = format!("c.seller_id = {}", binds.text(seller_id));
    if let Some(kind) = filter.kind {
        let (state, initiator) = kind.state();
        sql.push_str(&format!(
            " AND c.state = {} AND c.partial = {}",
            binds.text(state.code()),
            binds.int(i64::from(kind.partial()))
        ));
        if let Some(initiator) = initiator {
            sql.push_str(&format!(
                " AND c.initiator = {}",
                binds.text(initiator.code())
            ));
        }
    }
    if let Some(initiator) = filter.initiator {
        sql.push_str(&format!(
            " AND c.initiator = {}",
            binds.text(initiator.code())
        ));
    }
    if let Some(reason) = filter.reason {
        sql.push_str(&format!(" AND c.reason = {}", binds.text(reason.code())));
    }
    if let Some(from) = filter.from_instant() {
        sql.push_str(&format!(
            " AND c.requested_at >= {}",
            binds.int(to_millis(from))
        ));
    }
    if let Some(until) = filter.until_instant() {
        sql.push_str(&format!(
            " AND c.requested_at < {}",
            binds.int(to_millis(until))
        ));
    }
    if let Some(after) = after {
        let at = binds.int(after.requested_at);
        let id = binds.int(after.id);
        sql.push_str(&format!(" AND (c.requested_at, c.id) < ({at}, {id})"));
    }
    sql
}

/// Up to `limit` entries after `after`, newest first, each with its position.
pub async fn entries(
    conn: &mut AnyConnection,
    seller_id: &str,
    filter: &HistoryFilter,
    after: Option<Position>,
    limit: u32,
) -> ApiResult<Vec<(Position, HistoryEntry)>> {
    let backend = Backend::of(conn);
    let mut binds = Binds::new();
    let condition = condition(&mut binds, seller_id, filter, after);
    let limit = binds.int(i64::from(limit));
    // Static fragments (the backend's index hint) and placeholders only; every value is bound.
    let sql = format!(
        "SELECT c.id, s.posting_number, s.order_number, s.provider, c.partial, {CANCELLATION_COLUMNS} \
         FROM cancellations c {} \
         JOIN shipments s ON s.id = c.shipment_id \
         WHERE {condition} ORDER BY c.requested_at DESC, c.id DESC LIMIT {limit}",
        backend.indexed_by("cancellations_by_seller_time")
    );
    let rows = binds.query(sql).fetch_all(&mut *conn).await?;
    let mut entries = Vec::with_capacity(rows.len());
    for row in &rows {
        let cancellation = cancellation(row)?;
        let partial = row.try_get::<i64, _>("partial")? != 0;
        let position = Position {
            requested_at: to_millis(cancellation.requested_at),
            id: row.try_get("id")?,
        };
        entries.push((
            position,
            HistoryEntry {
                posting_number: row.try_get("posting_number")?,
                order_number: row.try_get("order_number")?,
                kind: HistoryKind::of(cancellation.state, cancellation.initiator, partial),
                reason: cancellation.reason,
                comment: cancellation.comment,
                initiator: cancellation.initiator,
                provider: row.try_get("provider")?,
                provider_message: cancellation.provider_message,
                requested_at: cancellation.requested_at,
                decided_at: cancellation.decided_at,
                items: Vec::new(),
            },
        ));
    }
    let partial_ids: Vec<i64> = entries
        .iter()
        .filter(|(_, entry)| entry.kind.partial())
        .map(|(position, _)| position.id)
        .collect();
    let mut items = items_of(conn, &partial_ids).await?;
    for (position, entry) in &mut entries {
        entry.items = items.remove(&position.id).unwrap_or_default();
    }
    Ok(entries)
}

/// How many of the seller's cancellations `filter` admits.
pub async fn count(
    conn: &mut AnyConnection,
    seller_id: &str,
    filter: &HistoryFilter,
) -> ApiResult<u64> {
    let backend = Backend::of(conn);
    let mut binds = Binds::new();
    let condition = condition(&mut binds, seller_id, filter, None);
    let sql = format!(
        "SELECT count(*) FROM cancellations c {} WHERE {condition}",
        backend.indexed_by("cancellations_by_seller_time")
    );
    let total: i64 = binds.scalar(sql).fetch_one(&mut *conn).await?;
    Ok(u64::try_from(total).unwrap_or(0))
}

/// The items of each of these partial cancellations, in the order the request named them, in
/// one query (a page of the history).
async fn items_of(
    conn: &mut AnyConnection,
    cancellation_ids: &[i64],
) -> ApiResult<HashMap<i64, Vec<CancelItem>>> {
    let mut found: HashMap<i64, Vec<CancelItem>> = HashMap::new();
    if cancellation_ids.is_empty() {
        return Ok(found);
    }
    let mut binds = Binds::new();
    let ids = binds.ids(Backend::of(conn), cancellation_ids);
    let sql = format!(
        "SELECT cancellation_id, sku, quantity FROM cancelled_items \
         WHERE cancellation_id IN {ids} ORDER BY cancellation_id, item_no"
    );
    for row in binds.query(sql).fetch_all(&mut *conn).await? {
        let item = CancelItem {
            sku: row.try_get("sku")?,
            quantity: narrow(row.try_get("quantity")?, "quantity")?,
        };
        found
            .entry(row.try_get("cancellation_id")?)
            .or_default()
            .push(item);
    }
    Ok(found)
}

//! Partial cancellations (RULES.md, "Cancelling some products of a shipment"): applying one inside
//! the caller's transaction, and reading the units they took out of shipments.
//!
//! A partial cancellation is a row of `cancellations` with `partial = 1` (state `cancelled`,
//! initiator `seller`), never named by `shipments.cancellation_id`; its units are rows of
//! `cancelled_items` (migrations/sqlite/0009_partial.sql).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use domain::partial::{CancelledItem, PartialError, RequestedItem, check_requested};
use domain::{CancellationState, Initiator, Reason, Shipment};
use sqlx::AnyConnection;

use super::codes;
use super::dialect::{Backend, narrow};
use super::shipments::StoredShipment;
use super::shipments::ported as shipments;
use crate::db::to_millis;
use crate::error::{ApiError, ApiResult};

/// Why [`cancel_items`] changed nothing (a storage failure is the outer `ApiResult`).
#[derive(Debug, thiserror::Error)]
pub enum PartialFailure {
    /// No such shipment of this seller (another seller's is the same: 404).
    #[error("the shipment does not exist")]
    NotFound,
    /// The shipment is no longer at the version the seller saw; here is its current state.
    #[error("the shipment is at version {}", .0.version)]
    Stale(Box<Shipment>),
    /// The rules refuse it (the code comes from `ProblemCode::from(&PartialError)`); here is the
    /// shipment they judged.
    #[error("{error}")]
    Refused {
        error: PartialError,
        shipment: Box<Shipment>,
    },
}

/// Cancels some units of one of the seller's shipments, inside the caller's transaction (a
/// savepoint of the group commit on SQLite, the intent's own transaction on PostgreSQL, so that a
/// refusal or a failure leaves nothing behind once the caller rolls it back): the lines lose those
/// units (an emptied line disappears), the version goes up once, the cancellation is recorded with
/// its items, and with `out_of_stock` the cancelled SKUs, and only those, get quantity 0 at the
/// shipment's warehouse. Returns the shipment as it now is.
///
/// The shipment is read with its row locked (`find_for_update`: on PostgreSQL a racer on the same
/// shipment waits for this commit and then judges the new version, as for a whole cancellation).
/// `expected_version` is the `If-Match` the seller sent; `None` skips that check (a caller that
/// judged the shipment in the same transaction). The rules are `domain::partial::check_requested`.
#[allow(clippy::too_many_arguments)]
pub async fn cancel_items(
    conn: &mut AnyConnection,
    seller_id: &str,
    posting_number: &str,
    expected_version: Option<u64>,
    reason: Reason,
    comment: Option<&str>,
    items: &[RequestedItem],
    now: DateTime<Utc>,
) -> ApiResult<Result<Shipment, PartialFailure>> {
    let Some(StoredShipment { id, shipment }) =
        shipments::find_for_update(conn, seller_id, posting_number).await?
    else {
        return Ok(Err(PartialFailure::NotFound));
    };
    if expected_version.is_some_and(|version| version != shipment.version) {
        return Ok(Err(PartialFailure::Stale(Box::new(shipment))));
    }
    let (change, items) =
        match check_requested(shipment.status, &shipment.products, reason, comment, items) {
            Ok(checked) => checked,
            Err(error) => {
                return Ok(Err(PartialFailure::Refused {
                    error,
                    shipment: Box::new(shipment),
                }));
            }
        };
    shipments::replace_lines(conn, id, &change.remaining).await?;
    // The search text loses the products that disappeared; its update also moves the version on,
    // which every change of the lines must do once.
    let text = super::shipments::search_text(
        &shipment.posting_number,
        &shipment.order_number,
        &change.remaining,
    );
    shipments::update_search_text(conn, id, &text).await?;
    let cancellation_id = insert(conn, id, reason, change.comment.as_deref(), now).await?;
    for (item_no, item) in items.iter().enumerate() {
        sqlx::query(
            "INSERT INTO cancelled_items (cancellation_id, item_no, sku, quantity) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(cancellation_id)
        .bind(i64::try_from(item_no).unwrap_or(i64::MAX))
        .bind(item.sku.as_str())
        .bind(i64::from(item.quantity))
        .execute(&mut *conn)
        .await?;
    }
    if reason.resets_stock() {
        for item in &items {
            // The name the shipment gave the product, for a product the catalogue lacks.
            let name = shipment
                .products
                .iter()
                .find(|line| line.sku == item.sku)
                .map(|line| line.name.as_str())
                .unwrap_or_default();
            reset_stock(conn, seller_id, &item.sku, name, &shipment.warehouse_id).await?;
        }
    }
    let stored = shipments::find_by_id(conn, id)
        .await?
        .ok_or_else(|| ApiError::internal(&"the shipment just changed is gone"))?;
    Ok(Ok(stored.shipment))
}

/// Records a partial cancellation; unlike a whole one, the shipment does not name it.
async fn insert(
    conn: &mut AnyConnection,
    shipment_id: i64,
    reason: Reason,
    comment: Option<&str>,
    now: DateTime<Utc>,
) -> ApiResult<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO cancellations (shipment_id, state, reason, comment, initiator, requested_at, \
         decided_at, provider_message, seller_id, partial) VALUES ($1, $2, $3, $4, $5, $6, $6, NULL, \
         (SELECT seller_id FROM shipments WHERE id = $1), 1) RETURNING id",
    )
    .bind(shipment_id)
    .bind(CancellationState::Cancelled.code())
    .bind(reason.code())
    .bind(comment)
    .bind(Initiator::Seller.code())
    .bind(to_millis(now))
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

/// One product gets quantity 0 at one warehouse (as a whole cancellation's reset does for each).
/// On PostgreSQL the upsert locks the stock row it writes until the commit; nothing reads stock
/// to decide, so no other lock is needed.
async fn reset_stock(
    conn: &mut AnyConnection,
    seller_id: &str,
    sku: &str,
    name: &str,
    warehouse_id: &str,
) -> ApiResult<()> {
    sqlx::query(
        "INSERT INTO products (seller_id, sku, name) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    )
    .bind(seller_id)
    .bind(sku)
    .bind(name)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO stock (seller_id, sku, warehouse_id, quantity) VALUES ($1, $2, $3, 0)
         ON CONFLICT (seller_id, sku, warehouse_id) DO UPDATE SET quantity = 0",
    )
    .bind(seller_id)
    .bind(sku)
    .bind(warehouse_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// [`cancelled_items`] on sqlx (the ported store, `store/mod.rs`).
pub async fn cancelled_items_of(
    conn: &mut sqlx::AnyConnection,
    shipment_ids: &[i64],
) -> ApiResult<HashMap<i64, Vec<CancelledItem>>> {
    use sqlx::Row as _;
    let mut found: HashMap<i64, Vec<CancelledItem>> = HashMap::new();
    if shipment_ids.is_empty() {
        return Ok(found);
    }
    let backend = Backend::of(conn);
    // Only static fragments (the backend's index hint and id list) and placeholders are formatted
    // in; every value is bound.
    let sql = format!(
        "SELECT c.shipment_id, i.sku, i.quantity, c.reason, c.comment, c.initiator, c.requested_at
         FROM cancellations c {}
         JOIN cancelled_items i ON i.cancellation_id = c.id
         WHERE c.partial = 1 AND c.shipment_id IN {}
         ORDER BY c.shipment_id, c.requested_at, c.id, i.item_no",
        backend.indexed_by("cancellations_partial_by_shipment"),
        backend.id_list(1),
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(crate::search::id_list(shipment_ids))
        .fetch_all(&mut *conn)
        .await?;
    for row in rows {
        let item = CancelledItem {
            sku: row.try_get("sku")?,
            quantity: narrow(row.try_get("quantity")?, "quantity")?,
            reason: codes::column(&row, "reason")?,
            comment: row.try_get("comment")?,
            initiator: codes::column(&row, "initiator")?,
            at: crate::db::time(row.try_get("requested_at")?)?,
        };
        found
            .entry(row.try_get("shipment_id")?)
            .or_default()
            .push(item);
    }
    Ok(found)
}

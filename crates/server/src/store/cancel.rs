//! Applying a seller's cancellation that the rules allowed, inside the caller's transaction.

use chrono::{DateTime, Utc};
use domain::fixture::ProviderDecision;
use domain::{Cancellation, CancellationState, Initiator, Mode, Reason, Shipment, Status};
use sqlx::AnyConnection;

use super::provider;
use super::shipments::ported as shipments;
use crate::error::{ApiError, ApiResult};

/// What the seller asked for one shipment, once the rules allowed it.
pub struct SellerCancellation {
    pub mode: Mode,
    pub reason: Reason,
    pub comment: Option<String>,
}

/// Cancels at once (before handover) or sends a request to the provider (in transit), and returns
/// the shipment as it now is. The stock reset of `out_of_stock` happens in the same transaction.
/// The provider answers as the fixture set for the shipment, else as `default_decision` says.
pub async fn apply(
    conn: &mut AnyConnection,
    seller_id: &str,
    shipment_id: i64,
    request: SellerCancellation,
    default_decision: &ProviderDecision,
    now: DateTime<Utc>,
) -> ApiResult<Shipment> {
    let SellerCancellation {
        mode,
        reason,
        comment,
    } = request;
    let immediate = mode == Mode::Immediate;
    let cancellation = Cancellation {
        state: if immediate {
            CancellationState::Cancelled
        } else {
            CancellationState::Requested
        },
        reason: Some(reason),
        comment,
        initiator: Initiator::Seller,
        requested_at: now,
        decided_at: immediate.then_some(now),
        provider_message: None,
    };
    let cancellation_id = shipments::insert_cancellation(conn, shipment_id, &cancellation).await?;
    if immediate {
        shipments::set_status(conn, shipment_id, Status::Cancelled).await?;
    } else {
        shipments::bump_version(conn, shipment_id).await?;
        let decision = shipments::provider_decision_if_set(conn, shipment_id)
            .await?
            .unwrap_or_else(|| default_decision.clone());
        provider::schedule(conn, cancellation_id, &decision, now).await?;
    }
    if reason.resets_stock() {
        reset_stock(conn, seller_id, shipment_id).await?;
    }
    let stored = shipments::find_by_id(conn, shipment_id)
        .await?
        .ok_or_else(|| ApiError::internal(&"the shipment just cancelled is gone"))?;
    Ok(stored.shipment)
}

/// Every product of the shipment gets quantity 0 at the shipment's warehouse.
async fn reset_stock(conn: &mut AnyConnection, seller_id: &str, shipment_id: i64) -> ApiResult<()> {
    sqlx::query(
        "INSERT INTO products (seller_id, sku, name)
         SELECT $1, sku, name FROM shipment_lines WHERE shipment_id = $2
         ON CONFLICT DO NOTHING",
    )
    .bind(seller_id)
    .bind(shipment_id)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO stock (seller_id, sku, warehouse_id, quantity)
         SELECT DISTINCT $1, l.sku, s.warehouse_id, 0
         FROM shipment_lines l JOIN shipments s ON s.id = l.shipment_id WHERE l.shipment_id = $2
         ON CONFLICT (seller_id, sku, warehouse_id) DO UPDATE SET quantity = 0",
    )
    .bind(seller_id)
    .bind(shipment_id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

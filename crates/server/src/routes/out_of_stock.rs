//! The out-of-stock sweep (RULES.md, "Cancelling some products of a shipment"): after an
//! `out_of_stock` cancellation, what removing the product from the seller's other shipments before
//! handover at that warehouse would do, and doing it, each shipment judged by
//! `domain::out_of_stock::removal`.

use axum::extract::State;
use domain::out_of_stock::{Removal, RemovalPrecheck, RemovalPrecheckRequest, removal};
use domain::wire::{SeenShipment, SkippedCount};

use crate::auth::Seller;
use crate::error::{ApiError, ApiResult, Body};
use crate::state::AppState;
use crate::store::out_of_stock;

/// A SKU and a warehouse name one product at one place: both must be said.
fn product_at(sku: &str, warehouse_id: &str) -> ApiResult<()> {
    for (parameter, value) in [("sku", sku), ("warehouse_id", warehouse_id)] {
        if value.trim().is_empty() || value.chars().count() > domain::limits::MAX_LIST_TEXT_CHARS {
            return Err(ApiError::parameter(domain::ParamError::new(
                parameter,
                format!(
                    "{parameter} must be 1 to {} characters",
                    domain::limits::MAX_LIST_TEXT_CHARS
                ),
            )));
        }
    }
    Ok(())
}

#[utoipa::path(post, path = "/shipments/remove-product/precheck", tag = "cancellation", security(("bearer" = [])),
    request_body = crate::openapi::schemas::RemovalPrecheckRequest,
    responses(
        (status = 200, description = "How many shipments before handover at the warehouse hold the product, which would lose it (with the version judged), which would be cancelled, and why the rest cannot be", body = crate::openapi::schemas::RemovalPrecheck),
        (status = 400, description = "Malformed request: bad JSON, unknown fields, an empty SKU or warehouse", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"),
    ))]
pub async fn precheck_removal(
    State(state): State<AppState>,
    Seller(seller_id): Seller,
    body: Result<Body<RemovalPrecheckRequest>, ApiError>,
) -> ApiResult<axum::Json<RemovalPrecheck>> {
    let Body(request) = body?;
    product_at(&request.sku, &request.warehouse_id)?;
    let answer = state
        .db
        .run(move |conn| {
            let (holding, found) = out_of_stock::holding(
                conn,
                &seller_id,
                &request.warehouse_id,
                &request.sku,
                domain::api::matching::MAX_LIMIT,
            )?;
            let mut answer = RemovalPrecheck {
                holding,
                considered: found.len() as u64,
                partial: Vec::new(),
                whole: Vec::new(),
                skipped: Vec::new(),
            };
            for stored in found {
                let seen = SeenShipment {
                    posting_number: stored.shipment.posting_number.clone(),
                    version: stored.shipment.version,
                };
                match removal(&stored.shipment, &request.sku) {
                    Some(Removal::Partial(_)) => answer.partial.push(seen),
                    Some(Removal::Whole(_)) => answer.whole.push(seen),
                    Some(Removal::Skip(code)) => {
                        match answer.skipped.iter_mut().find(|line| line.code == code) {
                            Some(line) => line.shipments += 1,
                            None => answer.skipped.push(SkippedCount { code, shipments: 1 }),
                        }
                    }
                    // The query found it by this SKU; nothing to say if its lines disagree.
                    None => {}
                }
            }
            Ok(answer)
        })
        .await?;
    Ok(axum::Json(answer))
}

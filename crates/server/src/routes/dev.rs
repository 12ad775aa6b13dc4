//! Demo-mode helpers that stand in for the warehouse and the carrier.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::{ProblemCode, Shipment, Status};
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::Seller;
use crate::error::{ApiError, ApiResult, Body, Path};
use crate::store::shipments;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    pub status: Status,
}

/// `POST /api/v1/dev/shipments/{posting_number}/status` (demo only): the warehouse or the carrier
/// moves a shipment on (for example, hands it over: `in_transit`). A cancelled shipment stays cancelled.
#[utoipa::path(post, path = "/dev/shipments/{posting_number}/status", tag = "app", security(("bearer" = [])), params(("posting_number" = String, Path, description = "The shipment's posting number")), request_body = crate::openapi::schemas::StatusChange, responses((status = 200, description = "Demo only: the warehouse or carrier moves the shipment on", body = crate::openapi::schemas::Shipment), (status = 400, description = "Malformed request: bad JSON, wrong types, unknown fields, bad parameters", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 404, description = "Not found, or another seller's", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 422, description = "A cancelled shipment stays cancelled", body = crate::openapi::schemas::Problem, content_type = "application/problem+json")))]
pub async fn change_status(
    State(state): State<AppState>,
    Seller(seller_id): Seller,
    Path(posting_number): Path<String>,
    body: Result<Body<StatusChange>, ApiError>,
) -> ApiResult<Json<Shipment>> {
    if !state.settings.demo {
        return Err(ApiError::not_found("the endpoint")
            .detail("dev endpoints exist only in demo mode (--demo)"));
    }
    let Body(change) = body?;
    let owner = seller_id.clone();
    let shipment = state
        .db
        .run(move |conn| {
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let stored = shipments::find(&tx, &seller_id, &posting_number)?
                .ok_or_else(|| ApiError::not_found("the shipment"))?;
            if stored.shipment.status == Status::Cancelled || change.status == Status::Cancelled {
                return Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ProblemCode::AlreadyCancelled,
                    "Not changed",
                )
                .detail("a status change never cancels, and never revives a cancelled shipment")
                .shipment(stored.shipment));
            }
            shipments::set_status(&tx, stored.id, change.status)?;
            let shipment = shipments::find_by_id(&tx, stored.id)?
                .ok_or_else(|| ApiError::not_found("the shipment"))?;
            tx.commit()?;
            Ok(shipment.shipment)
        })
        .await?;
    state.publish(&owner, [shipment.clone()]);
    Ok(Json(shipment))
}

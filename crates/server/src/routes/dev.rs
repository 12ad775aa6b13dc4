//! Demo-mode helpers that stand in for the warehouse and the carrier.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use domain::limits::{MAX_PROVIDER_MESSAGE_CHARS, is_short_text};
use domain::wire::ProviderDecisionRequest;
use domain::{ProblemCode, Shipment, Status};
use serde::Deserialize;

use crate::auth::Seller;
use crate::error::{ApiError, ApiResult, Body, Path};
use crate::state::AppState;
use crate::store::dialect::begin_write;
use crate::store::provider;
use crate::store::shipments::ported as shipments;
use sqlx::Connection as _;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusChange {
    pub status: Status,
}

/// `POST /api/v1/dev/shipments/{posting_number}/status` (demo only): the warehouse or the carrier
/// moves a shipment on (for example, hands it over: `in_transit`). A cancelled shipment stays cancelled.
#[utoipa::path(post, path = "/dev/shipments/{posting_number}/status", tag = "app", security(("bearer" = [])), params(("posting_number" = String, Path, description = "The shipment's posting number")), request_body = crate::openapi::schemas::StatusChange, responses((status = 200, description = "Demo only: the warehouse or carrier moves the shipment on", body = crate::openapi::schemas::Shipment), (status = 400, description = "Malformed request: bad JSON, wrong types, unknown fields, bad parameters", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 404, description = "Not found, or another seller's", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 422, description = "already_cancelled: a cancelled shipment stays cancelled; status_change_not_allowed: a move backwards", body = crate::openapi::schemas::Problem, content_type = "application/problem+json")))]
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
    let mut conn = state.db.acquire().await?;
    let mut tx = (*conn).begin_with(begin_write(state.db.backend())).await?;
    // Locked on PostgreSQL until the commit: a cancellation racing this change waits, then sees it.
    let stored = shipments::find_for_update(&mut tx, &seller_id, &posting_number)
        .await?
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
    // The warehouse and the carrier only move a shipment on: packaging, shipment, handover,
    // delivery. The statuses are declared in that order.
    if change.status == stored.shipment.status {
        return Ok(Json(stored.shipment));
    }
    if change.status < stored.shipment.status {
        let detail = format!(
            "a shipment moves only forward; it can't go from {} back to {}",
            stored.shipment.status, change.status
        );
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ProblemCode::StatusChangeNotAllowed,
            "Not changed",
        )
        .detail(detail)
        .shipment(stored.shipment));
    }
    shipments::set_status(&mut tx, stored.id, change.status).await?;
    let shipment = shipments::find_by_id(&mut tx, stored.id)
        .await?
        .ok_or_else(|| ApiError::not_found("the shipment"))?
        .shipment;
    tx.commit().await?;
    drop(conn);
    state.publish(&seller_id, [shipment.clone()]);
    Ok(Json(shipment))
}
/// `POST /api/v1/dev/shipments/{posting_number}/provider-decision` (demo only): the delivery provider
/// answers the shipment's waiting cancellation request now, as asked, instead of on its own schedule,
/// so that a demo or a test sees approval and rejection when it wants them. The answer is applied
/// exactly as the simulation applies it (and pushed on `/events`).
#[utoipa::path(post, path = "/dev/shipments/{posting_number}/provider-decision", tag = "app", security(("bearer" = [])), params(("posting_number" = String, Path, description = "The shipment's posting number")), request_body = crate::openapi::schemas::ProviderDecisionRequest, responses((status = 200, description = "Demo only: the provider answered; the shipment as it now is", body = crate::openapi::schemas::Shipment), (status = 400, description = "Malformed request: bad JSON, wrong types, unknown fields, bad parameters", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 404, description = "Not found, another seller's, or no request is waiting for the provider", body = crate::openapi::schemas::Problem, content_type = "application/problem+json")))]
pub async fn decide_request(
    State(state): State<AppState>,
    Seller(seller_id): Seller,
    Path(posting_number): Path<String>,
    body: Result<Body<ProviderDecisionRequest>, ApiError>,
) -> ApiResult<Json<Shipment>> {
    if !state.settings.demo {
        return Err(ApiError::not_found("the endpoint")
            .detail("dev endpoints exist only in demo mode (--demo)"));
    }
    let Body(request) = body?;
    if let Some(message) = &request.message {
        if !is_short_text(message, MAX_PROVIDER_MESSAGE_CHARS) {
            return Err(ApiError::malformed(format!(
                "message must be 1 to {MAX_PROVIDER_MESSAGE_CHARS} characters, not blank, without control characters"
            )));
        }
        crate::error::check_text_field("message", message)?;
    }
    let mut conn = state.db.acquire().await?;
    let stored = shipments::find(&mut conn, &seller_id, &posting_number)
        .await?
        .ok_or_else(|| ApiError::not_found("the shipment"))?;
    let now = Utc::now();
    let instructed = match provider::pending_request(&mut conn, stored.id).await? {
        Some(id) => provider::instruct(
            &mut conn,
            id,
            request.decision,
            request.message.as_deref().map(str::trim),
            now,
        )
        .await?
        .then_some(id),
        None => None,
    };
    let Some(cancellation_id) = instructed else {
        return Err(
            ApiError::not_found("a cancellation request waiting for the provider")
                .detail("this shipment has no cancellation request waiting for the provider"),
        );
    };
    // The simulation (of this instance or another) may have answered in between; either way the
    // shipment now shows the answer, given once (`provider::decide`).
    provider::decide(&mut conn, cancellation_id, now).await?;
    let shipment = shipments::find_by_id(&mut conn, stored.id)
        .await?
        .ok_or_else(|| ApiError::not_found("the shipment"))?
        .shipment;
    drop(conn);
    state.publish(&seller_id, [shipment.clone()]);
    Ok(Json(shipment))
}

//! `GET /api/v1/shipments` and `GET /api/v1/shipments/{posting_number}`.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use domain::wire::{ShipmentPage, StatusCounts};
use domain::{Scope, Shipment, ShipmentQuery};

use crate::auth::Seller;
use crate::error::{ApiError, ApiResult, Path, Query};
use crate::intent::etag;
use crate::state::AppState;
use crate::store::list::{ListRequest, list_page, status_counts};
use crate::store::shipments;

/// The list's query as sent, read by the rules crate's one parser; a bad parameter is a 400 that
/// names it.
fn parse(pairs: &[(String, String)], scope: Scope) -> ApiResult<ListRequest> {
    let query = ShipmentQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), scope)
        .map_err(ApiError::parameter)?;
    ListRequest::new(query)
}

/// `GET /api/v1/shipments/counts`: the tabs' numbers in one answer. One grouped count over the
/// index that the other filters lead (each also holds the status), or over the search's matches.
// Its query parameters are described by `openapi::contract`, from the rules crate's names.
#[utoipa::path(get, path = "/shipments/counts", tag = "shipments", security(("bearer" = [])),
    responses((status = 200, description = "The seller's shipments per status under these filters", body = crate::openapi::schemas::StatusCounts), (status = 400, description = "Malformed request: unknown parameters, bad values", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json")))]
pub async fn counts(
    State(state): State<AppState>,
    Seller(seller_id): Seller,
    Query(pairs): Query<Vec<(String, String)>>,
) -> ApiResult<Json<StatusCounts>> {
    let request = parse(&pairs, Scope::Counts)?;
    let mut conn = state.db.acquire().await?;
    let counts = status_counts(&mut conn, &seller_id, &request).await?;
    Ok(Json(counts))
}

/// `GET /api/v1/shipments`: the seller's shipments, filtered, sorted and cut into pages by a keyset cursor.
// Its query parameters are described by `openapi::contract`, from the rules crate's names.
#[utoipa::path(get, path = "/shipments", tag = "shipments", security(("bearer" = [])),
    responses((status = 200, description = "One page of the seller's shipments", body = crate::openapi::schemas::ShipmentPage), (status = 400, description = "Malformed request: bad JSON, wrong types, unknown fields, bad parameters", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    Seller(seller_id): Seller,
    Query(pairs): Query<Vec<(String, String)>>,
) -> ApiResult<Json<ShipmentPage>> {
    let request = parse(&pairs, Scope::List)?;
    let mut conn = state.db.acquire().await?;
    let page = list_page(&mut conn, &seller_id, &request).await?;
    Ok(Json(page))
}

/// `GET /api/v1/shipments/{posting_number}`; another seller's shipment is a 404 like a missing one.
#[utoipa::path(get, path = "/shipments/{posting_number}", tag = "shipments", security(("bearer" = [])), params(("posting_number" = String, Path, description = "The shipment's posting number")), responses((status = 200, description = "The shipment; its ETag is its version", body = crate::openapi::schemas::Shipment), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 404, description = "Not found, or another seller's", body = crate::openapi::schemas::Problem, content_type = "application/problem+json")))]
pub async fn get_one(
    State(state): State<AppState>,
    Seller(seller_id): Seller,
    Path(posting_number): Path<String>,
) -> ApiResult<impl IntoResponse> {
    let mut conn = state.db.acquire().await?;
    let found = shipments::ported::find(&mut conn, &seller_id, &posting_number).await?;
    let shipment = found
        .map(|s| s.shipment)
        .ok_or_else(|| ApiError::not_found("the shipment"))?;
    Ok((
        [(header::ETAG, etag(&shipment))],
        Json::<Shipment>(shipment),
    ))
}

//! `GET /api/v1/providers`: the delivery providers of the seller's shipments, for the list's filter.

use axum::Json;
use axum::extract::State;
use domain::wire::ProviderList;

use crate::auth::Seller;
use crate::error::ApiResult;
use crate::state::AppState;
use crate::store::provider;

#[utoipa::path(get, path = "/providers", tag = "shipments", security(("bearer" = [])), responses((status = 200, description = "The delivery providers of the seller's shipments, by name, with how many shipments each carries", body = crate::openapi::schemas::ProviderList), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json")))]
pub async fn list_providers(
    State(state): State<AppState>,
    Seller(seller_id): Seller,
) -> ApiResult<Json<ProviderList>> {
    let mut conn = state.db.acquire().await?;
    Ok(Json(ProviderList {
        providers: provider::summaries(&mut conn, &seller_id).await?,
    }))
}

//! `GET /api/v1/providers`: the delivery providers of the seller's shipments, for the list's filter.

use axum::Json;
use axum::extract::State;
use domain::wire::{ProviderList, ProviderSummary};

use crate::app::AppState;
use crate::auth::Seller;
use crate::error::ApiResult;
use crate::store::codes;

#[utoipa::path(get, path = "/providers", tag = "shipments", security(("bearer" = [])), responses((status = 200, description = "The delivery providers of the seller's shipments, by name, with how many shipments each carries", body = crate::openapi::schemas::ProviderList), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json")))]
pub async fn list_providers(
    State(state): State<AppState>,
    Seller(seller_id): Seller,
) -> ApiResult<Json<ProviderList>> {
    state
        .db
        .run(move |conn| {
            // The provider-led index answers this alone, whatever the number of shipments.
            let providers = conn
                .prepare_cached(
                    "SELECT provider, delivery_method, count(*) FROM shipments INDEXED BY shipments_by_provider
                     WHERE seller_id = ?1 AND provider IS NOT NULL
                     GROUP BY provider, delivery_method ORDER BY provider, delivery_method",
                )?
                .query_map([&seller_id], |row| {
                    Ok(ProviderSummary {
                        name: row.get(0)?,
                        delivery_method: codes::method(1, &row.get::<_, String>(1)?)?,
                        shipments: row.get(2)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(ProviderList { providers })
        })
        .await
        .map(Json)
}

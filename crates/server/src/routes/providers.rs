//! `GET /api/v1/providers`: the delivery providers of the seller's shipments, for the list's filter.

use axum::Json;
use axum::extract::State;
use domain::wire::{ProviderList, ProviderSummary};
use rusqlite::params;

use crate::auth::Seller;
use crate::error::ApiResult;
use crate::state::AppState;
use crate::store::codes;

#[utoipa::path(get, path = "/providers", tag = "shipments", security(("bearer" = [])), responses((status = 200, description = "The delivery providers of the seller's shipments, by name, with how many shipments each carries", body = crate::openapi::schemas::ProviderList), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json")))]
pub async fn list_providers(
    State(state): State<AppState>,
    Seller(seller_id): Seller,
) -> ApiResult<Json<ProviderList>> {
    state
        .db
        .run(move |conn| {
            // A walk from one provider to the next down the provider-led index, then a count of
            // each provider's range: a few index seeks and range counts, never a sort of every
            // shipment (a seller has a handful of providers and may have 100,000 shipments).
            let names = conn
                .prepare_cached(
                    "WITH RECURSIVE walk(name) AS (
                         SELECT min(provider) FROM shipments INDEXED BY shipments_by_provider
                         WHERE seller_id = ?1 AND provider IS NOT NULL
                         UNION ALL
                         SELECT (SELECT min(provider) FROM shipments INDEXED BY shipments_by_provider
                                 WHERE seller_id = ?1 AND provider > walk.name)
                         FROM walk WHERE walk.name IS NOT NULL
                     )
                     SELECT name FROM walk WHERE name IS NOT NULL",
                )?
                .query_map([&seller_id], |row| row.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let mut per_method = conn.prepare_cached(
                "SELECT delivery_method, count(*) FROM shipments INDEXED BY shipments_by_provider
                 WHERE seller_id = ?1 AND provider = ?2 GROUP BY delivery_method ORDER BY delivery_method",
            )?;
            let mut providers = Vec::new();
            for name in names {
                let methods = per_method
                    .query_map(params![seller_id, name], |row| {
                        Ok((
                            codes::get(row, 0)?,
                            row.get::<_, u64>(1)?,
                        ))
                    })?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                providers.extend(methods.into_iter().map(|(delivery_method, shipments)| {
                    ProviderSummary {
                        name: name.clone(),
                        delivery_method,
                        shipments,
                    }
                }));
            }
            Ok(ProviderList { providers })
        })
        .await
        .map(Json)
}

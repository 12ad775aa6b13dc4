//! Delivery geography: the cities a seller stops delivering to (after `undeliverable_address`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use domain::limits::{MAX_CITY_CHARS, is_country_code, is_short_text};
use domain::wire::{DeliveryGeography, DestinationSummary, GeographyExclusion};
use rusqlite::params;

use crate::auth::Seller;
use crate::db::to_millis;
use crate::error::{ApiError, ApiResult, Body, Path};
use crate::state::AppState;

#[utoipa::path(get, path = "/delivery-geography", tag = "delivery geography", security(("bearer" = [])), responses((status = 200, description = "Exclusions and destinations", body = crate::openapi::schemas::DeliveryGeography), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json")))]
pub async fn get_geography(
    State(state): State<AppState>,
    Seller(seller_id): Seller,
) -> ApiResult<Json<DeliveryGeography>> {
    state
        .db
        .run(move |conn| {
            let exclusions = conn
                .prepare_cached(
                    "SELECT country, city FROM geography_exclusions WHERE seller_id = ?1 ORDER BY country, city_key",
                )?
                .query_map([&seller_id], |row| Ok(GeographyExclusion { country: row.get(0)?, city: row.get(1)? }))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let destinations = conn
                .prepare_cached(
                    "SELECT s.country, min(s.city), count(*),
                            sum(s.status IN ('awaiting_packaging', 'awaiting_shipment', 'ready_for_shipment')),
                            EXISTS (SELECT 1 FROM geography_exclusions e
                                    WHERE e.seller_id = s.seller_id AND e.country = s.country AND e.city_key = s.city_key)
                     FROM shipments s WHERE s.seller_id = ?1
                     GROUP BY s.country, s.city_key ORDER BY count(*) DESC, s.country, s.city_key",
                )?
                .query_map([&seller_id], |row| {
                    Ok(DestinationSummary {
                        country: row.get(0)?,
                        city: row.get(1)?,
                        shipments: row.get(2)?,
                        before_handover: row.get(3)?,
                        excluded: row.get(4)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(DeliveryGeography { exclusions, destinations })
        })
        .await
        .map(Json)
}

fn checked(exclusion: GeographyExclusion) -> ApiResult<GeographyExclusion> {
    let country = exclusion.country;
    if !is_country_code(&country) {
        return Err(ApiError::malformed(
            "country must be an ISO 3166-1 alpha-2 code, such as RU",
        ));
    }
    if !is_short_text(&exclusion.city, MAX_CITY_CHARS) {
        return Err(ApiError::malformed(format!(
            "city must be 1 to {MAX_CITY_CHARS} characters, not blank, without control characters"
        )));
    }
    let city = exclusion.city.trim().to_owned();
    crate::error::check_text_field("city", &city)?;
    Ok(GeographyExclusion { country, city })
}

/// Adding an exclusion twice answers the existing one (200) instead of a new one (201).
#[utoipa::path(post, path = "/delivery-geography/exclusions", tag = "delivery geography", security(("bearer" = [])), request_body = crate::openapi::schemas::GeographyExclusion, responses((status = 201, description = "Added", body = crate::openapi::schemas::GeographyExclusion), (status = 200, description = "Already there", body = crate::openapi::schemas::GeographyExclusion), (status = 400, description = "Malformed request: bad JSON, wrong types, unknown fields, bad parameters", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json")))]
pub async fn add_exclusion(
    State(state): State<AppState>,
    Seller(seller_id): Seller,
    body: Result<Body<GeographyExclusion>, ApiError>,
) -> ApiResult<(StatusCode, Json<GeographyExclusion>)> {
    let Body(exclusion) = body?;
    let exclusion = checked(exclusion)?;
    state
        .db
        .run(move |conn| {
            let added = conn.execute(
                "INSERT OR IGNORE INTO geography_exclusions (seller_id, country, city, city_key, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![seller_id, exclusion.country, exclusion.city, exclusion.city.to_lowercase(), to_millis(Utc::now())],
            )?;
            let status = if added == 1 { StatusCode::CREATED } else { StatusCode::OK };
            Ok((status, Json(exclusion)))
        })
        .await
}

#[utoipa::path(delete, path = "/delivery-geography/exclusions/{country}/{city}", tag = "delivery geography", security(("bearer" = [])), params(("country" = String, Path), ("city" = String, Path, description = "Case-insensitive")), responses((status = 204, description = "Removed"), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 404, description = "Not found, or another seller's", body = crate::openapi::schemas::Problem, content_type = "application/problem+json")))]
pub async fn remove_exclusion(
    State(state): State<AppState>,
    Seller(seller_id): Seller,
    Path((country, city)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    state
        .db
        .run(move |conn| {
            let removed = conn.execute(
                "DELETE FROM geography_exclusions WHERE seller_id = ?1 AND country = ?2 AND city_key = ?3",
                params![seller_id, country.trim(), city.trim().to_lowercase()],
            )?;
            if removed == 0 {
                return Err(ApiError::not_found("the exclusion"));
            }
            Ok(StatusCode::NO_CONTENT)
        })
        .await
}

//! Delivery geography: the cities a seller stops delivering to (after `undeliverable_address`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use domain::limits::{MAX_CITY_CHARS, is_country_code, is_short_text};
use domain::wire::{DeliveryGeography, GeographyExclusion};

use crate::auth::Seller;
use crate::error::{ApiError, ApiResult, Body, Path};
use crate::state::AppState;
use crate::store::geography;

#[utoipa::path(get, path = "/delivery-geography", tag = "delivery geography", security(("bearer" = [])), responses((status = 200, description = "Exclusions and destinations", body = crate::openapi::schemas::DeliveryGeography), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json")))]
pub async fn get_geography(
    State(state): State<AppState>,
    Seller(seller_id): Seller,
) -> ApiResult<Json<DeliveryGeography>> {
    let mut conn = state.db.acquire().await?;
    Ok(Json(DeliveryGeography {
        exclusions: geography::exclusions(&mut conn, &seller_id).await?,
        destinations: geography::destinations(&mut conn, &seller_id).await?,
    }))
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
    let mut conn = state.db.acquire().await?;
    let added = geography::add_exclusion(&mut conn, &seller_id, &exclusion, Utc::now()).await?;
    let status = if added {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(exclusion)))
}

#[utoipa::path(delete, path = "/delivery-geography/exclusions/{country}/{city}", tag = "delivery geography", security(("bearer" = [])), params(("country" = String, Path), ("city" = String, Path, description = "Case-insensitive")), responses((status = 204, description = "Removed"), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 404, description = "Not found, or another seller's", body = crate::openapi::schemas::Problem, content_type = "application/problem+json")))]
pub async fn remove_exclusion(
    State(state): State<AppState>,
    Seller(seller_id): Seller,
    Path((country, city)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let mut conn = state.db.acquire().await?;
    if !geography::remove_exclusion(&mut conn, &seller_id, &country, &city).await? {
        return Err(ApiError::not_found("the exclusion"));
    }
    Ok(StatusCode::NO_CONTENT)
}

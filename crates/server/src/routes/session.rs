//! The app's start-up configuration and the demo's sign-in.

use axum::Json;
use axum::extract::State;
use chrono::Utc;
use domain::wire::{AppConfig, DevSessionRequest, Session};

use crate::error::{ApiError, ApiResult, Body};
use crate::state::AppState;
use crate::store::sellers;

/// `GET /api/v1/config`, without auth: what the app needs before it signs in.
#[utoipa::path(get, path = "/config", tag = "app", responses((status = 200, description = "What the app needs before it signs in", body = crate::openapi::schemas::AppConfig)))]
pub async fn config(State(state): State<AppState>) -> Json<AppConfig> {
    Json(state.settings.app_config())
}

/// `POST /api/v1/dev/session`: a token for any known seller, in demo mode only.
#[utoipa::path(post, path = "/dev/session", tag = "app", request_body = crate::openapi::schemas::DevSessionRequest, responses((status = 200, description = "A token for the seller (demo mode only)", body = crate::openapi::schemas::Session), (status = 400, description = "Malformed request: bad JSON, wrong types, unknown fields, bad parameters", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 404, description = "Not in demo mode, or an unknown seller", body = crate::openapi::schemas::Problem, content_type = "application/problem+json")))]
pub async fn dev_session(
    State(state): State<AppState>,
    body: Result<Body<DevSessionRequest>, ApiError>,
) -> ApiResult<Json<Session>> {
    // Outside demo mode the endpoint does not exist, whatever the body.
    if !state.settings.demo {
        return Err(ApiError::not_found("the dev session")
            .detail("the dev session exists only in demo mode (--demo)"));
    }
    let Body(request) = body?;
    let seller_id = request.seller_id.clone();
    let mut conn = state.db.acquire().await?;
    let known = sellers::exists(&mut conn, &seller_id).await?;
    drop(conn);
    if !known {
        return Err(ApiError::not_found("the seller"));
    }
    let (token, expires_at) = state.keys.issue(&request.seller_id, Utc::now())?;
    Ok(Json(Session { token, expires_at }))
}

//! The demo seller portal (`--portal-addr`): a page on its own origin that frames the app and speaks
//! the embedding protocol, and a stand-in for the portal's backend that mints the seller's tokens.

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use domain::wire::Session;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

const PAGE: &str = include_str!("../portal/index.html");
const SCRIPT: &str = include_str!("../portal/portal.js");
const STYLE: &str = include_str!("../portal/portal.css");

#[derive(Clone)]
struct Portal {
    state: AppState,
    page: String,
    csp: HeaderValue,
}

/// The portal's routes; `app_origin` is where the app is served (`http://<--addr>`).
pub fn router(state: AppState, app_origin: &str) -> Result<Router, header::InvalidHeaderValue> {
    let csp = HeaderValue::from_str(&format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; \
         frame-src {app_origin}; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
    ))?;
    let portal = Portal {
        state,
        page: PAGE.replace("__APP_ORIGIN__", app_origin),
        csp,
    };
    Ok(Router::new()
        .route("/", get(page))
        .route(
            "/portal.js",
            get(|| async { asset("text/javascript; charset=utf-8", SCRIPT) }),
        )
        .route(
            "/portal.css",
            get(|| async { asset("text/css; charset=utf-8", STYLE) }),
        )
        .route("/token", post(token))
        .with_state(portal))
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        body,
    )
        .into_response()
}

async fn page(State(portal): State<Portal>) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (header::CONTENT_SECURITY_POLICY, portal.csp.clone()),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        portal.page.clone(),
    )
        .into_response()
}

/// What a portal backend does for its signed-in seller: here, always the demo seller.
async fn token(State(portal): State<Portal>) -> ApiResult<Json<Session>> {
    let seller_id = portal
        .state
        .settings
        .demo_seller_id
        .clone()
        .ok_or_else(|| ApiError::not_found("a demo seller"))?;
    let (token, expires_at) = portal.state.keys.issue(&seller_id, Utc::now())?;
    Ok(Json(Session { token, expires_at }))
}

//! `GET /api/v1/metrics/cancellation-rate`: the service-quality metric of RULES.md, by the rules crate.

use axum::Json;
use axum::extract::State;
use chrono::Utc;
use domain::metric::{MetricFacts, RateReport, report, window_first_day};

use crate::auth::Seller;
use crate::error::ApiResult;
use crate::state::AppState;
use crate::store::cancellations::rate_facts;

#[utoipa::path(get, path = "/metrics/cancellation-rate", tag = "metrics", security(("bearer" = [])), responses((status = 200, description = "The rate over the trailing 14 days, with a daily series", body = crate::openapi::schemas::RateReport), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json")))]
pub async fn cancellation_rate(
    State(state): State<AppState>,
    Seller(seller_id): Seller,
) -> ApiResult<Json<RateReport>> {
    let threshold = state.settings.threshold;
    let now = Utc::now();
    let since = window_first_day(now)
        .and_hms_opt(0, 0, 0)
        .map(|d| d.and_utc())
        .unwrap_or_default();
    let mut conn = state.db.acquire().await?;
    let facts = rate_facts(&mut conn, &seller_id, since).await?;
    drop(conn);
    let facts = facts.iter().map(|fact| MetricFacts {
        created_at: fact.created_at,
        cancellation: fact.cancellation.as_ref(),
        cancelled_items: &fact.cancelled_items,
    });
    Ok(Json(report(facts, now, threshold)))
}

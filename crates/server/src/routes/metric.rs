//! `GET /api/v1/metrics/cancellation-rate`: the service-quality metric of RULES.md, by the rules crate.

use axum::Json;
use axum::extract::State;
use chrono::Utc;
use domain::Cancellation;
use domain::metric::{MetricFacts, RateReport, report, window_first_day};
use rusqlite::params;

use crate::auth::Seller;
use crate::db::from_millis;
use crate::error::ApiResult;
use crate::state::AppState;
use crate::store::codes;

#[utoipa::path(get, path = "/metrics/cancellation-rate", tag = "metrics", security(("bearer" = [])), responses((status = 200, description = "The rate over the trailing 14 days, with a daily series", body = crate::openapi::schemas::RateReport), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json")))]
pub async fn cancellation_rate(
    State(state): State<AppState>,
    Seller(seller_id): Seller,
) -> ApiResult<Json<RateReport>> {
    let threshold = state.settings.threshold;
    state
        .db
        .run(move |conn| {
            let now = Utc::now();
            let since = window_first_day(now).and_hms_opt(0, 0, 0).map(|d| d.and_utc().timestamp_millis()).unwrap_or(0);
            // Only shipments created in the window, or cancelled in it, can count.
            let mut statement = conn.prepare_cached(
                "SELECT s.created_at, c.state, c.reason, c.comment, c.initiator, c.requested_at, c.decided_at
                 FROM shipments s LEFT JOIN cancellations c ON c.id = s.cancellation_id
                 WHERE s.seller_id = ?1 AND (s.created_at >= ?2 OR coalesce(c.decided_at, c.requested_at) >= ?2)",
            )?;
            let facts = statement
                .query_map(params![seller_id, since], |row| {
                    let cancellation = match row.get::<_, Option<String>>(1)? {
                        None => None,
                        Some(state) => Some(Cancellation {
                            state: codes::parse(1, &state)?,
                            reason: row.get::<_, Option<String>>(2)?.map(|r| codes::parse(2, &r)).transpose()?,
                            comment: row.get(3)?,
                            initiator: codes::get(row, 4)?,
                            requested_at: from_millis(row.get(5)?)?,
                            decided_at: row.get::<_, Option<i64>>(6)?.map(from_millis).transpose()?,
                            provider_message: None,
                        }),
                    };
                    Ok((from_millis(row.get(0)?)?, cancellation))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let facts = facts
                .iter()
                .map(|(created_at, cancellation)| MetricFacts { created_at: *created_at, cancellation: cancellation.as_ref() });
            Ok(report(facts, now, threshold))
        })
        .await
        .map(Json)
}

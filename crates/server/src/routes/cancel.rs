//! `POST /api/v1/shipments/{posting_number}/cancel` and the bulk `POST /api/v1/shipments/cancel`.

use std::collections::HashSet;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use domain::eligibility::RuleViolation;
use domain::wire::{
    BulkCancelRequest, BulkCancelResponse, BulkOutcome, BulkResult, CancelRequest,
    MatchingPrecheck, MatchingPrecheckRequest, SeenShipment, SkippedCount,
};
use domain::{Mode, ProblemCode, validate_comment};

use crate::auth::Seller;
use crate::error::{ApiError, ApiResult, Body, Path};
use crate::intent::{self, Answer, Effects};
use crate::state::AppState;
use crate::store::cancel;
use crate::store::cancel::SellerCancellation;
use crate::store::list::{ListRequest, list_page};
use crate::store::shipments::ported as shipments;

/// The most shipments one bulk cancellation may name.
pub use domain::limits::MAX_BULK_SHIPMENTS as MAX_BULK;

fn comment_problem(error: domain::CommentError) -> ApiError {
    ApiError::rule(ProblemCode::from(error), error.to_string())
}

fn violation_problem(violation: RuleViolation) -> ApiError {
    ApiError::rule(ProblemCode::from(violation), violation.to_string())
}

#[utoipa::path(post, path = "/shipments/{posting_number}/cancel", tag = "cancellation", security(("bearer" = [])),
    params(("posting_number" = String, Path, description = "The shipment's posting number"), ("Idempotency-Key" = String, Header, description = "One key per user intent, 1 to 255 visible ASCII characters"), ("If-Match" = String, Header, description = "The shipment version the seller saw, quoted: \"3\"")),
    request_body = crate::openapi::schemas::CancelRequest,
    responses(
        (status = 200, description = "Cancelled at once", body = crate::openapi::schemas::Shipment),
        (status = 202, description = "A cancellation request went to the delivery provider", body = crate::openapi::schemas::Shipment),
        (status = 400, description = "Malformed request: bad JSON, wrong types, unknown fields, bad parameters", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 404, description = "Not found, or another seller's", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"),
        (status = 409, description = "A request with this Idempotency-Key is still in flight", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"),
        (status = 412, description = "The shipment changed since the version in If-Match; the problem carries the current shipment", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule refused it (the code says which), or the Idempotency-Key was used for another request", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match is missing", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"),
    ))]
pub async fn cancel_one(
    State(state): State<AppState>,
    Seller(seller_id): Seller,
    Path(posting_number): Path<String>,
    headers: HeaderMap,
    body: Result<Body<CancelRequest>, ApiError>,
) -> ApiResult<Response> {
    let key = intent::idempotency_key(&headers)?;
    let version = intent::if_match(&headers)?;
    let Body(request) = body?;
    let comment =
        validate_comment(request.reason, request.comment.as_deref()).map_err(comment_problem)?;
    let hash = intent::request_hash(&[
        "cancel",
        &posting_number,
        &version.to_string(),
        &serde_json::to_string(&request)?,
    ]);
    let default_decision = state.settings.default_decision();
    intent::run(&state, seller_id, key, hash, move |conn, seller_id, now| {
        let (posting_number, request, comment, default_decision) =
            (posting_number.clone(), request.clone(), comment.clone(), default_decision.clone());
        Box::pin(async move {
        let stored = shipments::find_for_update(conn, seller_id, &posting_number).await?.ok_or_else(|| ApiError::not_found("the shipment"))?;
        if stored.shipment.version != version {
            let problem = ApiError::new(StatusCode::PRECONDITION_FAILED, ProblemCode::VersionMismatch, "The shipment has changed")
                .detail(format!(
                    "you saw version {version}, the shipment is at version {}; check the rules again against its current state",
                    stored.shipment.version
                ))
                .shipment(stored.shipment);
            return Ok((Answer::problem(problem)?, Effects::default()));
        }
        let mode = match stored.shipment.eligibility.check(request.reason) {
            Ok(mode) => mode,
            Err(violation) => {
                let problem = violation_problem(violation).shipment(stored.shipment);
                return Ok((Answer::problem(problem)?, Effects::default()));
            }
        };
        let change = SellerCancellation { mode, reason: request.reason, comment };
        let shipment = cancel::apply(conn, seller_id, stored.id, change, &default_decision, now).await?;
        let status = if mode == Mode::Immediate { StatusCode::OK } else { StatusCode::ACCEPTED };
        let answer = Answer::json(status, &shipment)?;
        Ok((answer, Effects { scheduled: mode == Mode::CarrierRequest, changed: vec![shipment] }))
        })
    })
    .await
}

#[utoipa::path(post, path = "/shipments/cancel", tag = "cancellation", security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header, description = "One key per user intent, 1 to 255 visible ASCII characters")),
    request_body = crate::openapi::schemas::BulkCancelRequest,
    responses(
        (status = 200, description = "The outcome for each shipment", body = crate::openapi::schemas::BulkCancelResponse),
        (status = 400, description = "Malformed request: bad JSON, wrong types, unknown fields, bad parameters", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 409, description = "A request with this Idempotency-Key is still in flight", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The comment breaks the rules, or the Idempotency-Key was used for another request", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"),
    ))]
pub async fn cancel_bulk(
    State(state): State<AppState>,
    Seller(seller_id): Seller,
    headers: HeaderMap,
    body: Result<Body<BulkCancelRequest>, ApiError>,
) -> ApiResult<Response> {
    let key = intent::idempotency_key(&headers)?;
    let Body(request) = body?;
    if request.posting_numbers.is_empty() || request.posting_numbers.len() > MAX_BULK {
        return Err(ApiError::malformed(format!(
            "posting_numbers must name 1 to {MAX_BULK} shipments"
        )));
    }
    if let Some(versions) = &request.versions
        && versions.len() != request.posting_numbers.len()
    {
        // A 422, not a 400: the body has the document's shape, but its two lists disagree.
        let mut problem = ApiError::rule(
            ProblemCode::InvalidVersions,
            "versions must give one version for each of posting_numbers, in the same order",
        );
        problem.0.parameter = Some("versions".to_owned());
        return Err(problem);
    }
    let comment =
        validate_comment(request.reason, request.comment.as_deref()).map_err(comment_problem)?;
    let hash = intent::request_hash(&["bulk-cancel", &serde_json::to_string(&request)?]);
    let default_decision = state.settings.default_decision();
    intent::run(&state, seller_id, key, hash, move |conn, seller_id, now| {
        let (request, comment, default_decision) =
            (request.clone(), comment.clone(), default_decision.clone());
        Box::pin(async move {
            shipments::lock_in_id_order(conn, seller_id, &request.posting_numbers).await?;
            let mut seen = HashSet::new();
            let mut results = Vec::new();
            let mut effects = Effects::default();
            let versions = request
                .versions
                .clone()
                .map(|v| v.into_iter().map(Some).collect())
                .unwrap_or_else(|| vec![None; request.posting_numbers.len()]);
            for (posting_number, seen_version) in request.posting_numbers.into_iter().zip(versions)
            {
                if !seen.insert(posting_number.clone()) {
                    continue;
                }
                let Some(stored) = shipments::find(conn, seller_id, &posting_number).await? else {
                    results.push(BulkResult {
                        posting_number,
                        outcome: BulkOutcome::Failed,
                        code: Some(ProblemCode::NotFound),
                        shipment: None,
                    });
                    continue;
                };
                // If-Match per shipment: a shipment that changed since the seller saw it is not
                // cancelled blindly; its current state goes back to be judged again.
                if seen_version.is_some_and(|version| version != stored.shipment.version) {
                    results.push(BulkResult {
                        posting_number,
                        outcome: BulkOutcome::Skipped,
                        code: Some(ProblemCode::VersionMismatch),
                        shipment: Some(stored.shipment),
                    });
                    continue;
                }
                match stored.shipment.eligibility.check(request.reason) {
                    Err(violation) => results.push(BulkResult {
                        posting_number,
                        outcome: BulkOutcome::Skipped,
                        code: Some(violation.into()),
                        shipment: Some(stored.shipment),
                    }),
                    Ok(mode) => {
                        let change = SellerCancellation {
                            mode,
                            reason: request.reason,
                            comment: comment.clone(),
                        };
                        let shipment = cancel::apply(
                            conn,
                            seller_id,
                            stored.id,
                            change,
                            &default_decision,
                            now,
                        )
                        .await?;
                        let outcome = if mode == Mode::Immediate {
                            BulkOutcome::Cancelled
                        } else {
                            BulkOutcome::Requested
                        };
                        effects.scheduled |= mode == Mode::CarrierRequest;
                        effects.changed.push(shipment.clone());
                        results.push(BulkResult {
                            posting_number,
                            outcome,
                            code: None,
                            shipment: Some(shipment),
                        });
                    }
                }
            }
            Ok((
                Answer::json(StatusCode::OK, &BulkCancelResponse { results })?,
                effects,
            ))
        })
    })
    .await
}

/// `POST /api/v1/shipments/cancel/precheck`: what a bulk cancellation of every shipment the filter
/// matches would do, judged by the server with the same rules, without changing anything.
#[utoipa::path(post, path = "/shipments/cancel/precheck", tag = "cancellation", security(("bearer" = [])),
    request_body = crate::openapi::schemas::MatchingPrecheckRequest,
    responses(
        (status = 200, description = "How many match, which are eligible (with the version judged) and why the rest are not", body = crate::openapi::schemas::MatchingPrecheck),
        (status = 400, description = "Malformed request: bad JSON, unknown fields, a bad filter or limit", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The comment breaks the rules", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"),
    ))]
pub async fn precheck_matching(
    State(state): State<AppState>,
    Seller(seller_id): Seller,
    body: Result<Body<MatchingPrecheckRequest>, ApiError>,
) -> ApiResult<axum::Json<MatchingPrecheck>> {
    let Body(request) = body?;
    let max = domain::api::matching::MAX_LIMIT;
    if !(1..=max).contains(&request.limit) {
        return Err(ApiError::parameter(domain::ParamError::new(
            "limit",
            format!("{} is not a number from 1 to {max}", request.limit),
        )));
    }
    // A description typed so far is checked now; none yet (the seller picks the reason first) is
    // left for the cancellation itself.
    if request.comment.is_some() {
        validate_comment(request.reason, request.comment.as_deref()).map_err(comment_problem)?;
    }
    let list = ListRequest::matching(&request.filter, request.limit)?;
    let reason = request.reason;
    let mut conn = state.db.acquire().await?;
    let page = list_page(&mut conn, &seller_id, &list).await?;
    // The connection goes back to the pool before the judging, which reads nothing more.
    drop(conn);
    let mut eligible = Vec::new();
    let mut skipped: Vec<SkippedCount> = Vec::new();
    for shipment in &page.items {
        match shipment.eligibility.check(reason) {
            Ok(_) => eligible.push(SeenShipment {
                posting_number: shipment.posting_number.clone(),
                version: shipment.version,
            }),
            Err(violation) => {
                let code = ProblemCode::from(violation);
                match skipped.iter_mut().find(|s| s.code == code) {
                    Some(line) => line.shipments += 1,
                    None => skipped.push(SkippedCount { code, shipments: 1 }),
                }
            }
        }
    }
    Ok(axum::Json(MatchingPrecheck {
        matching: page.total,
        considered: page.items.len() as u64,
        eligible,
        skipped,
    }))
}

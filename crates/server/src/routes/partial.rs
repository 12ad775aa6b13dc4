//! `POST /api/v1/shipments/{posting_number}/cancel-items`: a partial cancellation (RULES.md,
//! "Cancelling some products of a shipment"), with the same safety as a whole one: the
//! Idempotency-Key, If-Match, and one transaction for the change and its stored answer.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use domain::ProblemCode;
use domain::partial::CancelItemsRequest;

use crate::auth::Seller;
use crate::error::{ApiError, ApiResult, Body, Path};
use crate::intent::{self, Answer, Effects};
use crate::state::AppState;
use crate::store::partial::{self, PartialFailure};

use domain::limits::MAX_CANCEL_ITEMS as MAX_ITEMS;

/// The problem a refused partial cancellation answers with, for a seller who saw version `seen`.
fn failure_problem(failure: PartialFailure, seen: u64) -> ApiError {
    match failure {
        PartialFailure::NotFound => ApiError::not_found("the shipment"),
        PartialFailure::Stale(shipment) => ApiError::new(
            StatusCode::PRECONDITION_FAILED,
            ProblemCode::VersionMismatch,
            "The shipment has changed",
        )
        .detail(format!(
            "you saw version {seen}, the shipment is at version {}; check the rules again against its current state",
            shipment.version
        ))
        .shipment(*shipment),
        PartialFailure::Refused { error, shipment } => {
            ApiError::rule(ProblemCode::from(&error), error.to_string()).shipment(*shipment)
        }
    }
}

#[utoipa::path(post, path = "/shipments/{posting_number}/cancel-items", tag = "cancellation", security(("bearer" = [])),
    params(("posting_number" = String, Path, description = "The shipment's posting number"), ("Idempotency-Key" = String, Header, description = "One key per user intent, 1 to 255 visible ASCII characters"), ("If-Match" = String, Header, description = "The shipment version the seller saw, quoted: \"3\"")),
    request_body = crate::openapi::schemas::CancelItemsRequest,
    responses(
        (status = 200, description = "Those units are cancelled: the shipment as it now is, with its cancelled_items", body = crate::openapi::schemas::Shipment),
        (status = 400, description = "Malformed request: bad JSON, wrong types, unknown fields, bad parameters", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 404, description = "Not found, or another seller's", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"),
        (status = 409, description = "A request with this Idempotency-Key is still in flight", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"),
        (status = 412, description = "The shipment changed since the version in If-Match; the problem carries the current shipment", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is too large", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"),
        (status = 422, description = "A rule refused it (partial_not_offered, reason_not_offered, a description code, invalid_items or whole_shipment; the detail names the SKU and the problem carries the current shipment), or the Idempotency-Key was used for another request", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"),
        (status = 428, description = "If-Match is missing", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"),
    ))]
pub async fn cancel_items(
    State(state): State<AppState>,
    Seller(seller_id): Seller,
    Path(posting_number): Path<String>,
    headers: HeaderMap,
    body: Result<Body<CancelItemsRequest>, ApiError>,
) -> ApiResult<Response> {
    let key = intent::idempotency_key(&headers)?;
    let version = intent::if_match(&headers)?;
    let Body(request) = body?;
    if request.items.len() > MAX_ITEMS {
        let mut problem = ApiError::malformed(format!("items names at most {MAX_ITEMS} products"));
        problem.0.parameter = Some("items".to_owned());
        return Err(problem);
    }
    let hash = intent::request_hash(&[
        "cancel-items",
        &posting_number,
        &version.to_string(),
        &serde_json::to_string(&request)?,
    ]);
    intent::run(&state, seller_id, key, hash, move |conn, seller_id, now| {
        let (posting_number, request) = (posting_number.clone(), request.clone());
        Box::pin(async move {
            let applied = partial::cancel_items(
                conn,
                seller_id,
                &posting_number,
                Some(version),
                request.reason,
                request.comment.as_deref(),
                &request.items,
                now,
            )
            .await?;
            match applied {
                Ok(shipment) => Ok((
                    Answer::json(StatusCode::OK, &shipment)?,
                    Effects {
                        changed: vec![shipment],
                        scheduled: false,
                    },
                )),
                // 404 is not an answer of the intent (as for cancel): an `Err`, never stored.
                Err(PartialFailure::NotFound) => Err(ApiError::not_found("the shipment")),
                Err(failure) => Ok((
                    Answer::problem(failure_problem(failure, version))?,
                    Effects::default(),
                )),
            }
        })
    })
    .await
}

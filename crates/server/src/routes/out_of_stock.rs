//! The out-of-stock sweep (RULES.md, "Cancelling some products of a shipment"): after an
//! `out_of_stock` cancellation, what removing the product from the seller's other shipments before
//! handover at that warehouse would do, and doing it, each shipment judged by
//! `domain::out_of_stock::removal`.

use std::collections::HashSet;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use domain::limits::{MAX_SKU_CHARS, MAX_WAREHOUSE_ID_CHARS, is_short_text};
use domain::out_of_stock::{
    Removal, RemovalOutcome, RemovalPrecheck, RemovalPrecheckRequest, RemovalRequest,
    RemovalResponse, RemovalResult, removal,
};
use domain::partial::RequestedItem;
use domain::wire::{SeenShipment, SkippedCount};
use domain::{Mode, ProblemCode, Reason};

use crate::auth::Seller;
use crate::error::{ApiError, ApiResult, Body};
use crate::intent::{self, Answer, Effects};
use crate::state::AppState;
use crate::store::cancel::SellerCancellation;
use crate::store::partial::PartialFailure;
use crate::store::shipments::ported as shipments;
use crate::store::{cancel, out_of_stock, partial};

/// A SKU and a warehouse name one product at one place: both must be said, as short text.
fn product_at(sku: &str, warehouse_id: &str) -> ApiResult<()> {
    for (parameter, value, max) in [
        ("sku", sku, MAX_SKU_CHARS),
        ("warehouse_id", warehouse_id, MAX_WAREHOUSE_ID_CHARS),
    ] {
        if !is_short_text(value, max) {
            return Err(ApiError::parameter(domain::ParamError::new(
                parameter,
                format!(
                    "{parameter} must be 1 to {max} characters, not blank, without control characters"
                ),
            )));
        }
    }
    Ok(())
}

#[utoipa::path(post, path = "/shipments/remove-product/precheck", tag = "cancellation", security(("bearer" = [])),
    request_body = crate::openapi::schemas::RemovalPrecheckRequest,
    responses(
        (status = 200, description = "How many shipments before handover at the warehouse hold the product, which would lose it (with the version judged), which would be cancelled, and why the rest cannot be", body = crate::openapi::schemas::RemovalPrecheck),
        (status = 400, description = "Malformed request: bad JSON, unknown fields, an empty SKU or warehouse", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"),
    ))]
pub async fn precheck_removal(
    State(state): State<AppState>,
    Seller(seller_id): Seller,
    body: Result<Body<RemovalPrecheckRequest>, ApiError>,
) -> ApiResult<axum::Json<RemovalPrecheck>> {
    let Body(request) = body?;
    product_at(&request.sku, &request.warehouse_id)?;
    let answer = {
        let mut conn = state.db.acquire().await?;
        let (holding, found) = out_of_stock::holding(
            &mut conn,
            &seller_id,
            &request.warehouse_id,
            &request.sku,
            domain::api::matching::MAX_LIMIT,
        )
        .await?;
        let mut answer = RemovalPrecheck {
            holding,
            considered: found.len() as u64,
            partial: Vec::new(),
            whole: Vec::new(),
            skipped: Vec::new(),
        };
        for stored in found {
            let seen = SeenShipment {
                posting_number: stored.shipment.posting_number.clone(),
                version: stored.shipment.version,
            };
            match removal(&stored.shipment, &request.sku) {
                Some(Removal::Partial(_)) => answer.partial.push(seen),
                Some(Removal::Whole(_)) => answer.whole.push(seen),
                Some(Removal::Skip(code)) => {
                    match answer.skipped.iter_mut().find(|line| line.code == code) {
                        Some(line) => line.shipments += 1,
                        None => answer.skipped.push(SkippedCount { code, shipments: 1 }),
                    }
                }
                // The query found it by this SKU; nothing to say if its lines disagree.
                None => {}
            }
        }
        answer
    };
    Ok(axum::Json(answer))
}

#[utoipa::path(post, path = "/shipments/remove-product", tag = "cancellation", security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header, description = "One key per user intent, 1 to 255 visible ASCII characters")),
    request_body = crate::openapi::schemas::RemovalRequest,
    responses(
        (status = 200, description = "The outcome for each shipment: reduced (the product's units cancelled), cancelled (it was the only product), skipped (with the code, and the current state) or failed", body = crate::openapi::schemas::RemovalResponse),
        (status = 400, description = "Malformed request: bad JSON, wrong types, unknown fields, an empty SKU or warehouse, no or too many posting numbers", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 409, description = "A request with this Idempotency-Key is still in flight", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"),
        (status = 422, description = "versions do not pair with posting_numbers, or the Idempotency-Key was used for another request", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"),
    ))]
pub async fn remove_product(
    State(state): State<AppState>,
    Seller(seller_id): Seller,
    headers: HeaderMap,
    body: Result<Body<RemovalRequest>, ApiError>,
) -> ApiResult<Response> {
    let key = intent::idempotency_key(&headers)?;
    let Body(request) = body?;
    product_at(&request.sku, &request.warehouse_id)?;
    let batch = domain::api::matching::BATCH;
    if request.posting_numbers.is_empty() || request.posting_numbers.len() > batch {
        return Err(ApiError::malformed(format!(
            "posting_numbers must name 1 to {batch} shipments"
        )));
    }
    if request.versions.len() != request.posting_numbers.len() {
        let mut problem = ApiError::rule(
            ProblemCode::InvalidVersions,
            "versions must give one version for each of posting_numbers, in the same order",
        );
        problem.0.parameter = Some("versions".to_owned());
        return Err(problem);
    }
    let hash = intent::request_hash(&["remove-product", &serde_json::to_string(&request)?]);
    let default_decision = state.settings.default_decision();
    intent::run(&state, seller_id, key, hash, move |conn, seller_id, now| {
        let (request, default_decision) = (request.clone(), default_decision.clone());
        Box::pin(async move {
            // Every named shipment locked first, in id order (PostgreSQL), so two sweeps over the
            // same shipments cannot deadlock on them, and each is judged on its committed state.
            shipments::lock_in_id_order(conn, seller_id, &request.posting_numbers).await?;
            let mut seen = HashSet::new();
            let mut results = Vec::new();
            let mut effects = Effects::default();
            let pairs = request.posting_numbers.iter().zip(&request.versions);
            for (posting_number, &version) in pairs {
                if !seen.insert(posting_number.clone()) {
                    continue;
                }
                let skipped = |code, shipment| RemovalResult {
                    posting_number: posting_number.clone(),
                    outcome: RemovalOutcome::Skipped,
                    code: Some(code),
                    shipment: Some(shipment),
                };
                let Some(stored) = shipments::find(conn, seller_id, posting_number).await? else {
                    results.push(RemovalResult {
                        posting_number: posting_number.clone(),
                        outcome: RemovalOutcome::Failed,
                        code: Some(ProblemCode::NotFound),
                        shipment: None,
                    });
                    continue;
                };
                // If-Match per shipment, as in a bulk cancellation: a shipment that changed since
                // the pre-check goes back to be judged again.
                if version != stored.shipment.version {
                    results.push(skipped(ProblemCode::VersionMismatch, stored.shipment));
                    continue;
                }
                let judged = (stored.shipment.warehouse_id == request.warehouse_id)
                    .then(|| removal(&stored.shipment, &request.sku))
                    .flatten();
                let (outcome, shipment) = match judged {
                    // Not at that warehouse, or no longer holding the product.
                    None => {
                        results.push(skipped(ProblemCode::InvalidItems, stored.shipment));
                        continue;
                    }
                    Some(Removal::Skip(code)) => {
                        results.push(skipped(code, stored.shipment));
                        continue;
                    }
                    Some(Removal::Partial(item)) => {
                        // Judged above in this same transaction: no version to check again.
                        let items = [RequestedItem::from(&item)];
                        let applied = partial::cancel_items(
                            conn,
                            seller_id,
                            posting_number,
                            None,
                            Reason::OutOfStock,
                            None,
                            &items,
                            now,
                        )
                        .await?;
                        match applied {
                            Ok(shipment) => (RemovalOutcome::Reduced, shipment),
                            // `removal` allowed it; should the rules still refuse, say why.
                            Err(PartialFailure::Refused { error, shipment }) => {
                                results.push(skipped(ProblemCode::from(&error), *shipment));
                                continue;
                            }
                            Err(PartialFailure::Stale(shipment)) => {
                                results.push(skipped(ProblemCode::VersionMismatch, *shipment));
                                continue;
                            }
                            Err(PartialFailure::NotFound) => {
                                return Err(ApiError::not_found("the shipment"));
                            }
                        }
                    }
                    Some(Removal::Whole(mode)) => {
                        effects.scheduled |= mode == Mode::CarrierRequest;
                        let change = SellerCancellation {
                            mode,
                            reason: Reason::OutOfStock,
                            comment: None,
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
                        (RemovalOutcome::Cancelled, shipment)
                    }
                };
                effects.changed.push(shipment.clone());
                results.push(RemovalResult {
                    posting_number: posting_number.clone(),
                    outcome,
                    code: None,
                    shipment: Some(shipment),
                });
            }
            Ok((
                Answer::json(StatusCode::OK, &RemovalResponse { results })?,
                effects,
            ))
        })
    })
    .await
}

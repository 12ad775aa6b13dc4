//! `POST /api/v1/shipments/{posting_number}/split`: a commercial shipment awaiting packaging becomes
//! several parcels, each with at most three of one product.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use domain::split::{ParcelLine, SplitError};
use domain::wire::{SplitRequest, SplitResponse};
use domain::{ProblemCode, ProductLine, validate_split};
use sqlx::AnyConnection;

use crate::auth::Seller;
use crate::error::{ApiError, ApiResult, Body, Path};
use crate::intent::{self, Answer, Effects};
use crate::state::AppState;
use crate::store::shipments::ported as shipments;
use crate::store::shipments::{NewShipment, StoredShipment, search_text};

use domain::limits::MAX_PARCELS;

fn split_problem(error: &SplitError) -> ApiError {
    let code = if *error == SplitError::SplitNotOffered {
        ProblemCode::SplitNotOffered
    } else {
        ProblemCode::InvalidSplit
    };
    ApiError::rule(code, format!("{error} ({})", error.code()))
}

/// The parcel's lines, with names and prices taken from the shipment.
fn parcel_lines(original: &[ProductLine], parcel: &[ParcelLine]) -> Vec<ProductLine> {
    parcel
        .iter()
        .filter_map(|line| {
            original
                .iter()
                .find(|o| o.sku == line.sku)
                .map(|o| ProductLine {
                    quantity: line.quantity,
                    ..o.clone()
                })
        })
        .collect()
}

/// Makes the parcels, inside the intent's transaction: the shipment keeps the first parcel's lines
/// (its version moves on once) and each further parcel becomes a new shipment of the same order,
/// numbered after the order's highest posting number.
async fn apply(
    conn: &mut AnyConnection,
    seller_id: &str,
    stored: &StoredShipment,
    parcels: &[Vec<ParcelLine>],
) -> ApiResult<Vec<domain::Shipment>> {
    let original = &stored.shipment;
    let decision = shipments::provider_decision_if_set(conn, stored.id).await?;
    let mut ids = vec![stored.id];
    let first_lines = parcel_lines(&original.products, &parcels[0]);
    shipments::replace_lines(conn, stored.id, &first_lines).await?;
    let text = search_text(
        &original.posting_number,
        &original.order_number,
        &first_lines,
    );
    shipments::update_search_text(conn, stored.id, &text).await?;
    for parcel in parcels.iter().skip(1) {
        let posting_number =
            shipments::next_posting_number(conn, seller_id, &original.order_number, 1).await?;
        let lines = parcel_lines(&original.products, parcel);
        let new = NewShipment {
            seller_id,
            posting_number: &posting_number,
            order_number: &original.order_number,
            status: original.status,
            delivery: &original.delivery,
            destination: &original.destination,
            warehouse_id: &original.warehouse_id,
            products: &lines,
            created_at: original.created_at,
            ship_by: original.ship_by,
            version: 1,
            decision: decision.as_ref(),
        };
        ids.push(shipments::insert(conn, &new).await?);
    }
    let mut made = Vec::with_capacity(ids.len());
    for id in ids {
        let parcel = shipments::find_by_id(conn, id)
            .await?
            .ok_or_else(|| ApiError::internal(&"a parcel vanished inside its transaction"))?;
        made.push(parcel.shipment);
    }
    Ok(made)
}

#[utoipa::path(post, path = "/shipments/{posting_number}/split", tag = "cancellation", security(("bearer" = [])),
    params(("posting_number" = String, Path, description = "The shipment's posting number"), ("Idempotency-Key" = String, Header, description = "One key per user intent, 1 to 255 visible ASCII characters"), ("If-Match" = String, Header, description = "The shipment version the seller saw, quoted: \"3\"")),
    request_body = crate::openapi::schemas::SplitRequest,
    responses(
        (status = 200, description = "Every parcel as a shipment", body = crate::openapi::schemas::SplitResponse),
        (status = 400, description = "Malformed request: bad JSON, wrong types, unknown fields, bad parameters", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 404, description = "Not found, or another seller's", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 409, description = "In flight", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 412, description = "Stale version", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"),
        (status = 422, description = "split_not_offered or invalid_split (the detail names the split error)", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 428, description = "If-Match is missing", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"),
    ))]
pub async fn split(
    State(state): State<AppState>,
    Seller(seller_id): Seller,
    Path(posting_number): Path<String>,
    headers: HeaderMap,
    body: Result<Body<SplitRequest>, ApiError>,
) -> ApiResult<Response> {
    let key = intent::idempotency_key(&headers)?;
    let version = intent::if_match(&headers)?;
    let Body(request) = body?;
    if request.parcels.len() > MAX_PARCELS {
        return Err(ApiError::malformed(format!(
            "a split has at most {MAX_PARCELS} parcels"
        )));
    }
    let hash = intent::request_hash(&[
        "split",
        &posting_number,
        &version.to_string(),
        &serde_json::to_string(&request)?,
    ]);
    intent::run(
        &state,
        seller_id,
        key,
        hash,
        move |conn, seller_id, _now| {
            let (posting_number, request) = (posting_number.clone(), request.clone());
            Box::pin(async move {
                // The order's shipments locked in id order (PostgreSQL) before the shipment is read:
                // its version is then the committed one, and the new parcels' numbers cannot collide
                // with those of a concurrent split of the same order.
                shipments::lock_order(conn, seller_id, &posting_number).await?;
                let stored = shipments::find(conn, seller_id, &posting_number)
                    .await?
                    .ok_or_else(|| ApiError::not_found("the shipment"))?;
                if stored.shipment.version != version {
                    let problem = ApiError::new(
                        StatusCode::PRECONDITION_FAILED,
                        ProblemCode::VersionMismatch,
                        "The shipment has changed",
                    )
                    .detail(format!(
                        "you saw version {version}, the shipment is at version {}",
                        stored.shipment.version
                    ))
                    .shipment(stored.shipment);
                    return Ok((Answer::problem(problem)?, Effects::default()));
                }
                if let Err(error) = validate_split(
                    stored.shipment.status,
                    &stored.shipment.products,
                    &request.parcels,
                ) {
                    return Ok((
                        Answer::problem(split_problem(&error).shipment(stored.shipment))?,
                        Effects::default(),
                    ));
                }
                let parcels = apply(conn, seller_id, &stored, &request.parcels).await?;
                let answer = Answer::json(
                    StatusCode::OK,
                    &SplitResponse {
                        shipments: parcels.clone(),
                    },
                )?;
                Ok((
                    answer,
                    Effects {
                        changed: parcels,
                        scheduled: false,
                    },
                ))
            })
        },
    )
    .await
}

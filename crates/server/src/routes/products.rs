//! `GET /api/v1/products/{sku}`, `PUT …/stock` and `POST …/archive`: what the seller does after an
//! `out_of_stock` cancellation.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::wire::StockUpdate;
use domain::{ProblemCode, Product};
use rusqlite::Connection;

use crate::auth::Seller;
use crate::error::{ApiError, ApiResult, Body, Path};
use crate::state::AppState;
use crate::store::products;

pub use domain::limits::MAX_STOCK;
use domain::limits::{MAX_WAREHOUSE_ID_CHARS, is_short_text};

/// The seller's product, or a 404 when the seller has none by that SKU.
fn load(conn: &Connection, seller_id: &str, sku: &str) -> ApiResult<Product> {
    products::find(conn, seller_id, sku)?.ok_or_else(|| ApiError::not_found("the product"))
}

#[utoipa::path(get, path = "/products/{sku}", tag = "products", security(("bearer" = [])), params(("sku" = String, Path, description = "The product's SKU")), responses((status = 200, description = "The product and its stock", body = crate::openapi::schemas::Product), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 404, description = "Not found, or another seller's", body = crate::openapi::schemas::Problem, content_type = "application/problem+json")))]
pub async fn get_product(
    State(state): State<AppState>,
    Seller(seller_id): Seller,
    Path(sku): Path<String>,
) -> ApiResult<Json<Product>> {
    state
        .db
        .run(move |conn| load(conn, &seller_id, &sku))
        .await
        .map(Json)
}

#[utoipa::path(put, path = "/products/{sku}/stock", tag = "products", security(("bearer" = [])), params(("sku" = String, Path, description = "The product's SKU")), request_body = crate::openapi::schemas::StockUpdate, responses((status = 200, description = "The product with its new stock", body = crate::openapi::schemas::Product), (status = 400, description = "Malformed request: bad JSON, wrong types, unknown fields, bad parameters", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 404, description = "Not found, or another seller's", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 422, description = "invalid_quantity or product_archived", body = crate::openapi::schemas::Problem, content_type = "application/problem+json")))]
pub async fn set_stock(
    State(state): State<AppState>,
    Seller(seller_id): Seller,
    Path(sku): Path<String>,
    body: Result<Body<StockUpdate>, ApiError>,
) -> ApiResult<Json<Product>> {
    let Body(update) = body?;
    if !is_short_text(&update.warehouse_id, MAX_WAREHOUSE_ID_CHARS) {
        return Err(ApiError::malformed(format!(
            "warehouse_id must be 1 to {MAX_WAREHOUSE_ID_CHARS} characters, not blank, without control characters"
        )));
    }
    let warehouse = update.warehouse_id.trim().to_owned();
    crate::error::check_text_field("warehouse_id", &warehouse)?;
    if update.quantity > MAX_STOCK {
        return Err(ApiError::rule(
            ProblemCode::InvalidQuantity,
            format!("a quantity is at most {MAX_STOCK}"),
        ));
    }
    state
        .db
        .run(move |conn| {
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let product = load(&tx, &seller_id, &sku)?;
            if product.archived {
                return Err(ApiError::rule(
                    ProblemCode::ProductArchived,
                    "the product is archived; it takes no new stock",
                ));
            }
            products::set_stock(&tx, &seller_id, &sku, &warehouse, update.quantity)?;
            let product = load(&tx, &seller_id, &sku)?;
            tx.commit()?;
            Ok(product)
        })
        .await
        .map(Json)
}

/// Archiving is idempotent: an archived product stays archived.
#[utoipa::path(post, path = "/products/{sku}/archive", tag = "products", security(("bearer" = [])), params(("sku" = String, Path, description = "The product's SKU")), responses((status = 200, description = "The archived product (archiving twice is harmless)", body = crate::openapi::schemas::Product), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 404, description = "Not found, or another seller's", body = crate::openapi::schemas::Problem, content_type = "application/problem+json")))]
pub async fn archive(
    State(state): State<AppState>,
    Seller(seller_id): Seller,
    Path(sku): Path<String>,
) -> ApiResult<(StatusCode, Json<Product>)> {
    state
        .db
        .run(move |conn| {
            let changed = products::archive(conn, &seller_id, &sku)?;
            if !changed {
                return Err(ApiError::not_found("the product"));
            }
            load(conn, &seller_id, &sku)
        })
        .await
        .map(|product| (StatusCode::OK, Json(product)))
}

//! `GET /api/v1/products/{sku}`, `PUT …/stock` and `POST …/archive`: what the seller does after an
//! `out_of_stock` cancellation.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use domain::wire::StockUpdate;
use domain::{ProblemCode, Product};
use sqlx::{AnyConnection, Connection as _};

use crate::auth::Seller;
use crate::error::{ApiError, ApiResult, Body, Path};
use crate::state::AppState;
use crate::store::dialect::{Backend, begin_write};
use crate::store::products;

pub use domain::limits::MAX_STOCK;
use domain::limits::{MAX_WAREHOUSE_ID_CHARS, is_short_text};

/// The seller's product, or a 404 when the seller has none by that SKU; with `lock`, its row stays
/// locked until the transaction ends.
async fn load(
    conn: &mut AnyConnection,
    backend: Backend,
    seller_id: &str,
    sku: &str,
    lock: bool,
) -> ApiResult<Product> {
    products::find(conn, backend, seller_id, sku, lock)
        .await?
        .ok_or_else(|| ApiError::not_found("the product"))
}

#[utoipa::path(get, path = "/products/{sku}", tag = "products", security(("bearer" = [])), params(("sku" = String, Path, description = "The product's SKU")), responses((status = 200, description = "The product and its stock", body = crate::openapi::schemas::Product), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 404, description = "Not found, or another seller's", body = crate::openapi::schemas::Problem, content_type = "application/problem+json")))]
pub async fn get_product(
    State(state): State<AppState>,
    Seller(seller_id): Seller,
    Path(sku): Path<String>,
) -> ApiResult<Json<Product>> {
    let mut conn = state.db.acquire().await?;
    load(&mut conn, state.db.backend(), &seller_id, &sku, false)
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
    let backend = state.db.backend();
    let mut conn = state.db.acquire().await?;
    // The archived check and the write in one transaction, the product's row locked: an archive
    // racing this update either comes first (and this answers 422) or waits for its commit.
    let mut tx = (*conn).begin_with(begin_write(backend)).await?;
    let product = load(&mut tx, backend, &seller_id, &sku, true).await?;
    if product.archived {
        return Err(ApiError::rule(
            ProblemCode::ProductArchived,
            "the product is archived; it takes no new stock",
        ));
    }
    products::set_stock(&mut tx, &seller_id, &sku, &warehouse, update.quantity).await?;
    let product = load(&mut tx, backend, &seller_id, &sku, false).await?;
    tx.commit().await?;
    Ok(Json(product))
}

/// Archiving is idempotent: an archived product stays archived.
#[utoipa::path(post, path = "/products/{sku}/archive", tag = "products", security(("bearer" = [])), params(("sku" = String, Path, description = "The product's SKU")), responses((status = 200, description = "The archived product (archiving twice is harmless)", body = crate::openapi::schemas::Product), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 404, description = "Not found, or another seller's", body = crate::openapi::schemas::Problem, content_type = "application/problem+json")))]
pub async fn archive(
    State(state): State<AppState>,
    Seller(seller_id): Seller,
    Path(sku): Path<String>,
) -> ApiResult<(StatusCode, Json<Product>)> {
    let mut conn = state.db.acquire().await?;
    if !products::archive(&mut conn, &seller_id, &sku).await? {
        return Err(ApiError::not_found("the product"));
    }
    let product = load(&mut conn, state.db.backend(), &seller_id, &sku, false).await?;
    Ok((StatusCode::OK, Json(product)))
}

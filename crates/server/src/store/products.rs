//! The seller's products and their stock per warehouse. On sqlx (`store/mod.rs`'s convention).

use domain::{Product, StockLevel};
use sqlx::{AnyConnection, Row as _};

use crate::error::ApiResult;
use crate::store::dialect::{Backend, lock_row};

/// The product with its stock, warehouses in order; `None` when the seller has no such SKU. With
/// `lock`, the product's row stays locked until the transaction ends (PostgreSQL; see `lock_row`).
pub async fn find(
    conn: &mut AnyConnection,
    backend: Backend,
    seller_id: &str,
    sku: &str,
    lock: bool,
) -> ApiResult<Option<Product>> {
    let sql = if lock {
        format!(
            "SELECT name, archived FROM products WHERE seller_id = $1 AND sku = $2{}",
            lock_row(backend)
        )
    } else {
        "SELECT name, archived FROM products WHERE seller_id = $1 AND sku = $2".to_owned()
    };
    // Only a static fragment is formatted in; the values are bound.
    let Some(row) = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(seller_id)
        .bind(sku)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let name: String = row.try_get("name")?;
    let archived = row.try_get::<i64, _>("archived")? != 0;
    let rows = sqlx::query(
        "SELECT warehouse_id, quantity FROM stock WHERE seller_id = $1 AND sku = $2 ORDER BY warehouse_id",
    )
    .bind(seller_id)
    .bind(sku)
    .fetch_all(&mut *conn)
    .await?;
    let stock = rows
        .iter()
        .map(|row| {
            let quantity: i64 = row.try_get("quantity")?;
            Ok(StockLevel {
                warehouse_id: row.try_get("warehouse_id")?,
                quantity: u32::try_from(quantity).map_err(|_| {
                    sqlx::Error::Decode(format!("a stock quantity of {quantity}").into())
                })?,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    Ok(Some(Product {
        sku: sku.to_owned(),
        name,
        archived,
        stock,
    }))
}

/// Sets the stock of a product at one warehouse, adding the warehouse when it is new.
pub async fn set_stock(
    conn: &mut AnyConnection,
    seller_id: &str,
    sku: &str,
    warehouse_id: &str,
    quantity: u32,
) -> ApiResult<()> {
    sqlx::query(
        "INSERT INTO stock (seller_id, sku, warehouse_id, quantity) VALUES ($1, $2, $3, $4)
         ON CONFLICT (seller_id, sku, warehouse_id) DO UPDATE SET quantity = excluded.quantity",
    )
    .bind(seller_id)
    .bind(sku)
    .bind(warehouse_id)
    .bind(i64::from(quantity))
    .execute(conn)
    .await?;
    Ok(())
}

/// Archives a product (again, harmlessly); false when the seller has no such SKU.
pub async fn archive(conn: &mut AnyConnection, seller_id: &str, sku: &str) -> ApiResult<bool> {
    let changed = sqlx::query("UPDATE products SET archived = 1 WHERE seller_id = $1 AND sku = $2")
        .bind(seller_id)
        .bind(sku)
        .execute(conn)
        .await?;
    Ok(changed.rows_affected() > 0)
}

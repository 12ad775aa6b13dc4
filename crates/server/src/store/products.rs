//! The seller's products and their stock per warehouse.

use domain::{Product, StockLevel};
use rusqlite::{Connection, OptionalExtension, params};

/// The product with its stock, warehouses in order; `None` when the seller has no such SKU.
pub fn find(conn: &Connection, seller_id: &str, sku: &str) -> rusqlite::Result<Option<Product>> {
    let Some((name, archived)) = conn
        .query_row(
            "SELECT name, archived FROM products WHERE seller_id = ?1 AND sku = ?2",
            params![seller_id, sku],
            |row| Ok((row.get::<_, String>(0)?, row.get::<_, bool>(1)?)),
        )
        .optional()?
    else {
        return Ok(None);
    };
    let stock = conn
        .prepare_cached(
            "SELECT warehouse_id, quantity FROM stock WHERE seller_id = ?1 AND sku = ?2 ORDER BY warehouse_id",
        )?
        .query_map(params![seller_id, sku], |row| {
            Ok(StockLevel {
                warehouse_id: row.get(0)?,
                quantity: row.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Some(Product {
        sku: sku.to_owned(),
        name,
        archived,
        stock,
    }))
}

/// Sets the stock of a product at one warehouse, adding the warehouse when it is new.
pub fn set_stock(
    conn: &Connection,
    seller_id: &str,
    sku: &str,
    warehouse_id: &str,
    quantity: u32,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO stock (seller_id, sku, warehouse_id, quantity) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (seller_id, sku, warehouse_id) DO UPDATE SET quantity = excluded.quantity",
        params![seller_id, sku, warehouse_id, quantity],
    )?;
    Ok(())
}

/// Archives a product (again, harmlessly); false when the seller has no such SKU.
pub fn archive(conn: &Connection, seller_id: &str, sku: &str) -> rusqlite::Result<bool> {
    let changed = conn.execute(
        "UPDATE products SET archived = 1 WHERE seller_id = ?1 AND sku = ?2",
        params![seller_id, sku],
    )?;
    Ok(changed > 0)
}

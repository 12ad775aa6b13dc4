//! The shipments that hold a product at a warehouse, for the out-of-stock sweep.

use domain::Status;
use sqlx::AnyConnection;

use super::shipments::ported::complete;
use super::shipments::{SHIPMENT_COLUMNS, SHIPMENT_FROM, StoredShipment};
use crate::error::ApiResult;

/// The seller's shipments before handover at `warehouse_id` that hold `sku`: how many there are,
/// and the first `limit` of them (oldest first), complete.
pub async fn holding(
    conn: &mut AnyConnection,
    seller_id: &str,
    warehouse_id: &str,
    sku: &str,
    limit: u32,
) -> ApiResult<(u64, Vec<StoredShipment>)> {
    // The statuses come from the rules crate, so that "before handover" is said once.
    let statuses: Vec<&str> = Status::ALL
        .into_iter()
        .filter(|status| status.is_before_handover())
        .map(|status| status.code())
        .collect();
    let placeholders = (4..4 + statuses.len())
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ");
    // Driven by `shipment_lines_by_sku`: one SKU's lines, then their shipments by id. Only static
    // fragments and placeholders are formatted in; every value is bound.
    let holding = format!(
        "FROM shipment_lines l JOIN shipments s ON s.id = l.shipment_id \
         WHERE l.sku = $1 AND s.seller_id = $2 AND s.warehouse_id = $3 AND s.status IN ({placeholders})"
    );
    let limit_at = 4 + statuses.len();
    let count_sql = format!("SELECT COUNT(DISTINCT s.id) AS holding {holding}");
    let mut count = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(count_sql))
        .bind(sku)
        .bind(seller_id)
        .bind(warehouse_id);
    for status in &statuses {
        count = count.bind(*status);
    }
    let total = count.fetch_one(&mut *conn).await?;
    let sql = format!(
        "SELECT {SHIPMENT_COLUMNS} FROM {SHIPMENT_FROM} WHERE s.id IN \
         (SELECT DISTINCT s.id {holding} ORDER BY s.id LIMIT ${limit_at}) ORDER BY s.id"
    );
    let mut rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(sku)
        .bind(seller_id)
        .bind(warehouse_id);
    for status in &statuses {
        rows = rows.bind(*status);
    }
    let rows = rows.bind(i64::from(limit)).fetch_all(&mut *conn).await?;
    let shipments = complete(conn, rows).await?;
    Ok((u64::try_from(total).unwrap_or(0), shipments))
}

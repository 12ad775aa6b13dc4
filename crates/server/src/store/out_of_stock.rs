//! The shipments that hold a product at a warehouse, for the out-of-stock sweep.

use domain::Status;
use rusqlite::{Connection, params_from_iter};

use super::shipments::{SHIPMENT_COLUMNS, SHIPMENT_FROM, StoredShipment, query_shipments};

/// The seller's shipments before handover at `warehouse_id` that hold `sku`: how many there are,
/// and the first `limit` of them (oldest first), complete.
pub fn holding(
    conn: &Connection,
    seller_id: &str,
    warehouse_id: &str,
    sku: &str,
    limit: u32,
) -> rusqlite::Result<(u64, Vec<StoredShipment>)> {
    // The statuses come from the rules crate, so that "before handover" is said once.
    let mut values = vec![sku, seller_id, warehouse_id];
    values.extend(
        Status::ALL
            .into_iter()
            .filter(|status| status.is_before_handover())
            .map(|status| status.code()),
    );
    let statuses = (4..=values.len())
        .map(|n| format!("?{n}"))
        .collect::<Vec<_>>()
        .join(", ");
    // Driven by `shipment_lines_by_sku`: one SKU's lines, then their shipments by id.
    let holding = format!(
        "FROM shipment_lines l JOIN shipments s ON s.id = l.shipment_id \
         WHERE l.sku = ?1 AND s.seller_id = ?2 AND s.warehouse_id = ?3 AND s.status IN ({statuses})"
    );
    let total: i64 = conn
        .prepare_cached(&format!("SELECT COUNT(DISTINCT s.id) {holding}"))?
        .query_row(params_from_iter(&values), |row| row.get(0))?;
    let sql = format!(
        "SELECT {SHIPMENT_COLUMNS} FROM {SHIPMENT_FROM} WHERE s.id IN \
         (SELECT DISTINCT s.id {holding} ORDER BY s.id LIMIT {limit}) ORDER BY s.id"
    );
    let shipments = query_shipments(conn, &sql, params_from_iter(&values))?;
    Ok((u64::try_from(total).unwrap_or(0), shipments))
}

//! Rows written straight into a test database, for the store's functions to read back on
//! PostgreSQL while the server's seeding still runs on SQLite only.

use domain::fixture::FixtureShipment;
use server::store::shipments::search_text;
use sqlx::AnyConnection;

pub async fn seller(conn: &mut AnyConnection, id: &str) {
    sqlx::query("INSERT INTO sellers (id, name) VALUES ($1, $1)")
        .bind(id)
        .execute(conn)
        .await
        .expect("a seller");
}

/// The shipments as rows of `owner`, their posting numbers prefixed by `prefix` (so another seller
/// may hold the same texts), without lines: the columns the list, search and geography read.
pub async fn shipments(
    conn: &mut AnyConnection,
    owner: &str,
    prefix: &str,
    shipments: &[FixtureShipment],
) {
    for s in shipments {
        sqlx::query(
            "INSERT INTO shipments (seller_id, posting_number, order_number, status, \
             delivery_method, provider, country, city, city_key, warehouse_id, created_at, \
             ship_by, version, search_text) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, $13)",
        )
        .bind(owner)
        .bind(format!("{prefix}{}", s.posting_number))
        .bind(&s.order_number)
        .bind(s.status.code())
        .bind(s.delivery.method.code())
        .bind(s.delivery.provider.clone())
        .bind(&s.destination.country)
        .bind(&s.destination.city)
        .bind(s.destination.city.to_lowercase())
        .bind(&s.warehouse_id)
        .bind(s.created_at.timestamp_millis())
        .bind(s.ship_by.timestamp_millis())
        .bind(search_text(&s.posting_number, &s.order_number, &s.products))
        .execute(&mut *conn)
        .await
        .expect("a shipment");
    }
}

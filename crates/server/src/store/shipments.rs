//! Reading and writing shipments, their lines and their latest cancellation.

use domain::fixture::{FixtureShipment, ProviderDecision};
use domain::{Delivery, Destination, ProductLine, Shipment, Status};

/// The columns that `ported::shipment_from_row` reads by name; the cancellation's are
/// `CANCELLATION_COLUMNS`.
pub const SHIPMENT_COLUMNS: &str = "s.id, s.posting_number, s.order_number, s.status, s.delivery_method, \
     s.provider, s.country, s.city, s.warehouse_id, s.created_at, s.ship_by, s.version, \
     c.state, c.reason, c.comment, c.initiator, c.requested_at, c.decided_at, c.provider_message";

pub const SHIPMENT_FROM: &str = "shipments s LEFT JOIN cancellations c ON c.id = s.cancellation_id";

/// A shipment as stored: its row id beside the wire shape.
#[derive(Clone, Debug)]
pub struct StoredShipment {
    pub id: i64,
    pub shipment: Shipment,
}

/// The text the search matches: posting number, order number, product names and SKUs, lower-cased,
/// each ended by U+001F (`crate::search::FIELD_END`). It starts with the posting number, and a field
/// equal to a text is that text between two separators (see `crate::search`).
pub fn search_text(posting_number: &str, order_number: &str, products: &[ProductLine]) -> String {
    let end = crate::search::FIELD_END;
    let mut text = format!("{posting_number}{end}{order_number}{end}");
    for line in products {
        text.push_str(&line.sku);
        text.push(end);
        text.push_str(&line.name);
        text.push(end);
    }
    text.to_lowercase()
}

/// What a new shipment row holds; fixtures and splits both create shipments through it.
pub struct NewShipment<'a> {
    pub seller_id: &'a str,
    pub posting_number: &'a str,
    pub order_number: &'a str,
    pub status: Status,
    pub delivery: &'a Delivery,
    pub destination: &'a Destination,
    pub warehouse_id: &'a str,
    pub products: &'a [ProductLine],
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub ship_by: chrono::DateTime<chrono::Utc>,
    pub version: u64,
    pub decision: Option<&'a ProviderDecision>,
}

impl<'a> NewShipment<'a> {
    pub fn from_fixture(seller_id: &'a str, shipment: &'a FixtureShipment) -> NewShipment<'a> {
        NewShipment {
            seller_id,
            posting_number: &shipment.posting_number,
            order_number: &shipment.order_number,
            status: shipment.status,
            delivery: &shipment.delivery,
            destination: &shipment.destination,
            warehouse_id: &shipment.warehouse_id,
            products: &shipment.products,
            created_at: shipment.created_at,
            ship_by: shipment.ship_by,
            version: 1,
            decision: shipment.provider_decision.as_ref(),
        }
    }
}

/// `<order>-<n>` past the highest `n` among the order's `postings`, plus `offset - 1`.
fn next_of(order_number: &str, postings: &[String], offset: usize) -> String {
    let prefix = format!("{order_number}-");
    // Posting numbers of another shape (not `<order>-<n>`) never collide with the new one.
    let highest = postings
        .iter()
        .filter_map(|pn| pn.strip_prefix(&prefix).and_then(|n| n.parse::<u64>().ok()))
        .max()
        .unwrap_or(0);
    format!("{prefix}{}", highest + offset as u64)
}

/// Every function of this file on sqlx (`store/mod.rs`'s convention), one text for SQLite and
/// PostgreSQL. The module keeps its name from the port, when rusqlite twins stood above it; they
/// are gone, and its callers import it as `shipments`.
pub mod ported {
    use std::collections::HashMap;
    use std::sync::LazyLock;

    use domain::fixture::ProviderDecision;
    use domain::{Cancellation, Delivery, Destination, ProductLine, Shipment, Status};
    use sqlx::any::{AnyArguments, AnyRow};
    use sqlx::query::Query;
    use sqlx::{Any, AnyConnection, Row as _};

    use super::super::cancellations::optional_cancellation;
    use super::super::codes;
    use super::super::dialect::{Backend, narrow};
    use super::{NewShipment, SHIPMENT_COLUMNS, SHIPMENT_FROM, StoredShipment, search_text};
    use crate::db::{time, to_millis};
    use crate::error::ApiResult;

    /// One row of `SHIPMENT_COLUMNS`, read by column name; lines come from `attach_lines`.
    fn shipment_from_row(row: &AnyRow) -> Result<StoredShipment, sqlx::Error> {
        let status = codes::column(row, "status")?;
        let method = codes::column(row, "delivery_method")?;
        let shipment = Shipment {
            cancelled_items: Vec::new(),
            posting_number: row.try_get("posting_number")?,
            order_number: row.try_get("order_number")?,
            status,
            delivery: Delivery {
                method,
                provider: row.try_get("provider")?,
            },
            destination: Destination {
                country: row.try_get("country")?,
                city: row.try_get("city")?,
            },
            warehouse_id: row.try_get("warehouse_id")?,
            products: Vec::new(),
            created_at: time(row.try_get("created_at")?)?,
            ship_by: time(row.try_get("ship_by")?)?,
            version: narrow(row.try_get("version")?, "version")?,
            cancellation: optional_cancellation(row)?,
            eligibility: domain::eligibility(status, method, None, &[]),
        };
        Ok(StoredShipment {
            id: row.try_get("id")?,
            shipment,
        })
    }

    /// The product lines and partially cancelled units of the shipments, and each one's
    /// eligibility on what it holds now.
    async fn attach_lines(
        conn: &mut AnyConnection,
        stored: &mut [StoredShipment],
    ) -> ApiResult<()> {
        if stored.is_empty() {
            return Ok(());
        }
        let ids: Vec<i64> = stored.iter().map(|s| s.id).collect();
        // Only the backend's id-list fragment is formatted in; the ids are bound as one text.
        let sql = format!(
            "SELECT shipment_id, sku, name, quantity, price, currency FROM shipment_lines \
             WHERE shipment_id IN {} ORDER BY shipment_id, line_no",
            Backend::of(conn).id_list(1)
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(crate::search::id_list(&ids))
            .fetch_all(&mut *conn)
            .await?;
        let mut lines: HashMap<i64, Vec<ProductLine>> = HashMap::new();
        for row in rows {
            let line = ProductLine {
                sku: row.try_get("sku")?,
                name: row.try_get("name")?,
                quantity: narrow(row.try_get("quantity")?, "quantity")?,
                price: row.try_get("price")?,
                currency: row.try_get("currency")?,
            };
            lines
                .entry(row.try_get("shipment_id")?)
                .or_default()
                .push(line);
        }
        let mut cancelled = super::super::partial::cancelled_items_of(conn, &ids).await?;
        for entry in stored.iter_mut() {
            entry.shipment.products = lines.remove(&entry.id).unwrap_or_default();
            entry.shipment.cancelled_items = cancelled.remove(&entry.id).unwrap_or_default();
            entry.shipment.eligibility = entry.shipment.evaluate();
        }
        Ok(())
    }

    /// Runs a query over `SHIPMENT_COLUMNS` and returns complete shipments in the query's order.
    pub async fn query_shipments(
        conn: &mut AnyConnection,
        query: Query<'static, Any, AnyArguments>,
    ) -> ApiResult<Vec<StoredShipment>> {
        let rows = query.fetch_all(&mut *conn).await?;
        complete(conn, rows).await
    }

    /// One seller's shipment; another seller's answers `None`, exactly like a missing one.
    pub async fn find(
        conn: &mut AnyConnection,
        seller_id: &str,
        posting_number: &str,
    ) -> ApiResult<Option<StoredShipment>> {
        static SQL: LazyLock<String> = LazyLock::new(|| {
            format!(
                "SELECT {SHIPMENT_COLUMNS} FROM {SHIPMENT_FROM} \
                 WHERE s.seller_id = $1 AND s.posting_number = $2"
            )
        });
        let row = sqlx::query(SQL.as_str())
            .bind(seller_id)
            .bind(posting_number)
            .fetch_optional(&mut *conn)
            .await?;
        one(conn, row).await
    }

    /// [`find`] for an intent that decides on the shipment's version: on PostgreSQL its row is
    /// locked until the transaction ends, so that a racer waits and then reads the new version.
    pub async fn find_for_update(
        conn: &mut AnyConnection,
        seller_id: &str,
        posting_number: &str,
    ) -> ApiResult<Option<StoredShipment>> {
        let backend = Backend::of(conn);
        if backend == Backend::Sqlite {
            return find(conn, seller_id, posting_number).await;
        }
        // Static fragments and placeholders only; the values are bound.
        let sql = format!(
            "SELECT {SHIPMENT_COLUMNS} FROM {SHIPMENT_FROM} \
             WHERE s.seller_id = $1 AND s.posting_number = $2{}",
            backend.lock_rows("s")
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(seller_id)
            .bind(posting_number)
            .fetch_optional(&mut *conn)
            .await?;
        one(conn, row).await
    }

    /// Locks the seller's shipments with these posting numbers in id order (PostgreSQL), before an
    /// intent over several of them reads each: two such intents over the same shipments then take
    /// the locks in the same order and cannot deadlock. Nothing to do on SQLite.
    pub async fn lock_in_id_order(
        conn: &mut AnyConnection,
        seller_id: &str,
        posting_numbers: &[String],
    ) -> ApiResult<()> {
        let backend = Backend::of(conn);
        if backend == Backend::Sqlite || posting_numbers.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "SELECT s.id FROM shipments s WHERE s.seller_id = $1 AND s.posting_number IN {} \
             ORDER BY s.id{}",
            backend.text_list(2),
            backend.lock_rows("s")
        );
        let list = serde_json::to_string(posting_numbers)
            .map_err(|error| crate::error::ApiError::internal(&error))?;
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(seller_id)
            .bind(list)
            .fetch_all(&mut *conn)
            .await?;
        Ok(())
    }

    pub async fn find_by_id(
        conn: &mut AnyConnection,
        id: i64,
    ) -> ApiResult<Option<StoredShipment>> {
        static SQL: LazyLock<String> = LazyLock::new(|| {
            format!("SELECT {SHIPMENT_COLUMNS} FROM {SHIPMENT_FROM} WHERE s.id = $1")
        });
        let row = sqlx::query(SQL.as_str())
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
        one(conn, row).await
    }

    async fn one(
        conn: &mut AnyConnection,
        row: Option<AnyRow>,
    ) -> ApiResult<Option<StoredShipment>> {
        let Some(row) = row else { return Ok(None) };
        let mut stored = [shipment_from_row(&row)?];
        attach_lines(conn, &mut stored).await?;
        let [stored] = stored;
        Ok(Some(stored))
    }

    /// The seller that owns a shipment, for routing provider decisions to the right live-update
    /// stream.
    pub async fn owner(conn: &mut AnyConnection, shipment_id: i64) -> ApiResult<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT seller_id FROM shipments WHERE id = $1")
                .bind(shipment_id)
                .fetch_optional(&mut *conn)
                .await?,
        )
    }

    /// Stores a new shipment with its lines; its id.
    pub async fn insert(conn: &mut AnyConnection, new: &NewShipment<'_>) -> ApiResult<i64> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO shipments (seller_id, posting_number, order_number, status, \
             delivery_method, provider, country, city, city_key, warehouse_id, created_at, ship_by, \
             version, search_text, decision, decision_after_ms, decision_message) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) \
             RETURNING id",
        )
        .bind(new.seller_id)
        .bind(new.posting_number)
        .bind(new.order_number)
        .bind(new.status.code())
        .bind(new.delivery.method.code())
        .bind(new.delivery.provider.as_deref())
        .bind(new.destination.country.as_str())
        .bind(new.destination.city.as_str())
        .bind(new.destination.city.to_lowercase())
        .bind(new.warehouse_id)
        .bind(to_millis(new.created_at))
        .bind(to_millis(new.ship_by))
        .bind(wide(new.version, "version")?)
        .bind(search_text(
            new.posting_number,
            new.order_number,
            new.products,
        ))
        .bind(new.decision.map(|d| d.decision.code()))
        .bind(
            new.decision
                .map(|d| wide(d.after_ms, "decision_after_ms"))
                .transpose()?,
        )
        .bind(new.decision.and_then(|d| d.message.clone()))
        .fetch_one(&mut *conn)
        .await?;
        replace_lines(conn, id, new.products).await?;
        Ok(id)
    }

    /// Replaces a shipment's lines (a split or a partial cancellation changes them; the caller
    /// rewrites the search text with [`update_search_text`]).
    pub async fn replace_lines(
        conn: &mut AnyConnection,
        shipment_id: i64,
        products: &[ProductLine],
    ) -> ApiResult<()> {
        sqlx::query("DELETE FROM shipment_lines WHERE shipment_id = $1")
            .bind(shipment_id)
            .execute(&mut *conn)
            .await?;
        for (line_no, line) in products.iter().enumerate() {
            sqlx::query(
                "INSERT INTO shipment_lines (shipment_id, line_no, sku, name, quantity, price, \
                 currency) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(shipment_id)
            .bind(wide(line_no, "line_no")?)
            .bind(line.sku.as_str())
            .bind(line.name.as_str())
            .bind(i64::from(line.quantity))
            .bind(line.price.as_str())
            .bind(line.currency.as_str())
            .execute(&mut *conn)
            .await?;
        }
        Ok(())
    }

    /// A shipment's products changed: its search text is rewritten and its version moves on.
    pub async fn update_search_text(
        conn: &mut AnyConnection,
        id: i64,
        search_text: &str,
    ) -> ApiResult<()> {
        sqlx::query("UPDATE shipments SET search_text = $1, version = version + 1 WHERE id = $2")
            .bind(search_text)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// The next free posting number of the seller's order: `<order>-<n>`. Only the seller's own
    /// postings are read: seeding refuses an order number that belongs to two sellers, so a new
    /// number never collides with another seller's.
    pub async fn next_posting_number(
        conn: &mut AnyConnection,
        seller_id: &str,
        order_number: &str,
        offset: usize,
    ) -> ApiResult<String> {
        let postings: Vec<String> = sqlx::query_scalar(
            "SELECT posting_number FROM shipments WHERE seller_id = $1 AND order_number = $2",
        )
        .bind(seller_id)
        .bind(order_number)
        .fetch_all(&mut *conn)
        .await?;
        Ok(super::next_of(order_number, &postings, offset))
    }

    /// A count or size into the schema's i64; past it is an error, never a silent clamp.
    fn wide<T: TryInto<i64>>(value: T, column: &str) -> ApiResult<i64> {
        value.try_into().map_err(|_| {
            crate::error::ApiError::internal(&format!("{column} does not fit a 64-bit integer"))
        })
    }

    /// Records a cancellation and makes it the shipment's latest.
    pub async fn insert_cancellation(
        conn: &mut AnyConnection,
        shipment_id: i64,
        cancellation: &Cancellation,
    ) -> ApiResult<i64> {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO cancellations (shipment_id, state, reason, comment, initiator, requested_at, \
             decided_at, provider_message, seller_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, \
             (SELECT seller_id FROM shipments WHERE id = $1)) RETURNING id",
        )
        .bind(shipment_id)
        .bind(cancellation.state.code())
        .bind(cancellation.reason.map(|r| r.code()))
        .bind(cancellation.comment.as_deref())
        .bind(cancellation.initiator.code())
        .bind(to_millis(cancellation.requested_at))
        .bind(cancellation.decided_at.map(to_millis))
        .bind(cancellation.provider_message.as_deref())
        .fetch_one(&mut *conn)
        .await?;
        sqlx::query("UPDATE shipments SET cancellation_id = $1 WHERE id = $2")
            .bind(id)
            .bind(shipment_id)
            .execute(&mut *conn)
            .await?;
        Ok(id)
    }

    /// Sets a shipment's status and bumps its version: every change is visible to `If-Match`.
    pub async fn set_status(
        conn: &mut AnyConnection,
        shipment_id: i64,
        status: Status,
    ) -> ApiResult<()> {
        sqlx::query("UPDATE shipments SET status = $1, version = version + 1 WHERE id = $2")
            .bind(status.code())
            .bind(shipment_id)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    pub async fn bump_version(conn: &mut AnyConnection, shipment_id: i64) -> ApiResult<()> {
        sqlx::query("UPDATE shipments SET version = version + 1 WHERE id = $1")
            .bind(shipment_id)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// The provider decision a fixture set for this shipment, if any (a split's parcels inherit it).
    pub async fn provider_decision_if_set(
        conn: &mut AnyConnection,
        shipment_id: i64,
    ) -> ApiResult<Option<ProviderDecision>> {
        let row = sqlx::query(
            "SELECT decision, decision_after_ms, decision_message FROM shipments \
             WHERE id = $1 AND decision IS NOT NULL",
        )
        .bind(shipment_id)
        .fetch_optional(&mut *conn)
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(ProviderDecision {
            decision: codes::column(&row, "decision")?,
            after_ms: narrow(row.try_get("decision_after_ms")?, "decision_after_ms")?,
            message: row.try_get("decision_message")?,
        }))
    }

    /// Shipments from rows of `SHIPMENT_COLUMNS`, complete with their lines, in the rows' order
    /// (a query of the caller's own, such as the out-of-stock sweep's).
    pub async fn complete(
        conn: &mut AnyConnection,
        rows: Vec<AnyRow>,
    ) -> ApiResult<Vec<StoredShipment>> {
        let mut stored = rows
            .iter()
            .map(shipment_from_row)
            .collect::<Result<Vec<_>, _>>()?;
        attach_lines(conn, &mut stored).await?;
        Ok(stored)
    }

    /// Locks every shipment of the order that holds `posting_number` (the seller's), in id order
    /// (PostgreSQL), before a split reads the shipment and numbers its new parcels: two splits of
    /// one order then take turns, so the second numbers its parcels after the first's, and they
    /// take the locks in one order, so they cannot deadlock. Nothing to do on SQLite.
    pub async fn lock_order(
        conn: &mut AnyConnection,
        seller_id: &str,
        posting_number: &str,
    ) -> ApiResult<()> {
        let backend = Backend::of(conn);
        if backend == Backend::Sqlite {
            return Ok(());
        }
        // Static fragments and placeholders only; the values are bound.
        let sql = format!(
            "SELECT s.id FROM shipments s WHERE s.seller_id = $1 AND s.order_number = \
             (SELECT o.order_number FROM shipments o WHERE o.seller_id = $1 AND o.posting_number = $2) \
             ORDER BY s.id{}",
            backend.lock_rows("s")
        );
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(seller_id)
            .bind(posting_number)
            .fetch_all(&mut *conn)
            .await?;
        Ok(())
    }
}

//! Loading a fixture (`--seed FILE.json`, the format of DESIGN.md) into an empty database.

use std::collections::HashSet;
use std::path::Path;

use chrono::{DateTime, Utc};
use domain::fixture::Fixture;
use domain::{CancellationState, Status};
use sha2::{Digest, Sha256};
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::{Any, AnyConnection, Connection as _, Row as _};

use crate::db::{meta_get, meta_set, to_millis};
use crate::store::dialect::{Backend, begin_write};
use crate::store::{provider, shipments};

#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    #[error("could not read the fixture {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("the fixture is not valid: {0}")]
    Parse(#[from] serde_json::Error),
    #[error("the fixture is not valid: {0}")]
    Invalid(String),
    #[error(
        "the database already holds data from another seed; use a fresh --db file, or pass the same --seed it was loaded from"
    )]
    Conflict,
    #[error("could not write the fixture to the database: {0}")]
    Database(#[from] sqlx::Error),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeedOutcome {
    Loaded {
        shipments: usize,
    },
    /// The database was seeded from this very file before; its data (and changes since) stay.
    AlreadyLoaded,
}

pub fn read_fixture(path: &Path) -> Result<(Fixture, String), SeedError> {
    let bytes = std::fs::read(path).map_err(|source| SeedError::Read {
        path: path.display().to_string(),
        source,
    })?;
    let fixture: Fixture = serde_json::from_slice(&bytes)?;
    Ok((fixture, hex(&Sha256::digest(&bytes))))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks what the types alone can't: unique identifiers and coherent cancellations.
pub fn validate(fixture: &Fixture) -> Result<(), SeedError> {
    let invalid = |message: String| Err(SeedError::Invalid(message));
    if !(0.0..=1.0).contains(&fixture.settings.threshold) {
        return invalid(format!(
            "settings.threshold {} is not a fraction between 0 and 1",
            fixture.settings.threshold
        ));
    }
    let mut sellers = HashSet::new();
    let mut postings = HashSet::new();
    for seller in &fixture.sellers {
        if seller.id.trim().is_empty() {
            return invalid("a seller has an empty id".to_owned());
        }
        if !sellers.insert(seller.id.as_str()) {
            return invalid(format!("duplicate seller id {:?}", seller.id));
        }
        let mut skus = HashSet::new();
        for product in &seller.products {
            if !skus.insert(product.sku.as_str()) {
                return invalid(format!(
                    "seller {:?}: duplicate product sku {:?}",
                    seller.id, product.sku
                ));
            }
        }
        for shipment in &seller.shipments {
            let pn = &shipment.posting_number;
            if pn.trim().is_empty() {
                return invalid(format!(
                    "seller {:?}: a shipment has an empty posting number",
                    seller.id
                ));
            }
            if !postings.insert(pn.as_str()) {
                return invalid(format!("duplicate posting number {pn:?}"));
            }
            if shipment.products.is_empty() {
                return invalid(format!("shipment {pn:?} has no products"));
            }
            if shipment.products.iter().any(|line| line.quantity == 0) {
                return invalid(format!(
                    "shipment {pn:?} has a product line with quantity 0"
                ));
            }
            if let Some(cancellation) = &shipment.cancellation {
                let coherent = match cancellation.state {
                    CancellationState::Cancelled => shipment.status == Status::Cancelled,
                    CancellationState::Requested | CancellationState::Rejected => {
                        shipment.status == Status::InTransit
                    }
                };
                if !coherent {
                    return invalid(format!(
                        "shipment {pn:?}: a {:?} cancellation does not fit the status {}",
                        cancellation.state, shipment.status
                    ));
                }
            }
        }
    }
    order_numbers_are_sellers_own(fixture)
}

/// An order belongs to one seller, and a posting number of the shape `<order>-<n>` belongs to that
/// order. Splitting numbers new parcels `<order>-<n>` from the seller's own postings alone, so these
/// two rules are what make a new number unique without looking at (or revealing) other sellers'.
fn order_numbers_are_sellers_own(fixture: &Fixture) -> Result<(), SeedError> {
    let mut owners: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    for seller in &fixture.sellers {
        for shipment in &seller.shipments {
            let owner = owners
                .entry(shipment.order_number.as_str())
                .or_insert(seller.id.as_str());
            if *owner != seller.id {
                return Err(SeedError::Invalid(format!(
                    "order number {:?} belongs to two sellers ({owner:?} and {:?})",
                    shipment.order_number, seller.id
                )));
            }
        }
    }
    for seller in &fixture.sellers {
        for shipment in &seller.shipments {
            let pn = &shipment.posting_number;
            if let Some((order, n)) = pn.rsplit_once('-')
                && !n.is_empty()
                && n.bytes().all(|b| b.is_ascii_digit())
                && owners.contains_key(order)
                && order != shipment.order_number
            {
                return Err(SeedError::Invalid(format!(
                    "posting number {pn:?} is numbered after order {order:?} but belongs to order {:?}",
                    shipment.order_number
                )));
            }
        }
    }
    Ok(())
}

/// Loads the fixture unless the database already holds data, in one transaction: a failure leaves
/// the database empty, and a second instance starting on the same PostgreSQL database at the same
/// time waits for the first's commit (the sellers' table lock below) and then finds it loaded.
///
/// Rows go in multi-row `INSERT`s of up to [`BATCH_ROWS`] rows: one statement per row made every
/// test's seeding on PostgreSQL a few thousand round trips (see docs/postgres.md, "Seeding").
pub async fn load(
    conn: &mut AnyConnection,
    fixture: &Fixture,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<SeedOutcome, SeedError> {
    validate(fixture)?;
    let backend = Backend::of(conn);
    let mut tx = conn.begin_with(begin_write(backend)).await?;
    if backend == Backend::Postgres {
        // Two instances started together on an empty database would both see no sellers and both
        // seed (the second failing on a unique key). This lock makes the second wait for the
        // first's commit; SQLite's IMMEDIATE transaction already does that.
        sqlx::query("LOCK TABLE sellers IN EXCLUSIVE MODE")
            .execute(&mut *tx)
            .await?;
    }
    let sellers: i64 = sqlx::query_scalar("SELECT count(*) FROM sellers")
        .fetch_one(&mut *tx)
        .await?;
    if sellers > 0 {
        return match meta_get(&mut tx, "seed_sha256").await? {
            Some(loaded) if loaded == hash => Ok(SeedOutcome::AlreadyLoaded),
            _ => Err(SeedError::Conflict),
        };
    }
    let rows = Rows::of(fixture);
    // One statement per seller keeps "the first seller seeded" (`dialect::seeded_order`) the
    // fixture's first on PostgreSQL, whose identity column numbers rows as they are inserted.
    for seller in &fixture.sellers {
        sqlx::query("INSERT INTO sellers (id, name) VALUES ($1, $2)")
            .bind(seller.id.as_str())
            .bind(seller.name.as_str())
            .execute(&mut *tx)
            .await?;
    }
    insert_rows(
        &mut tx,
        "INSERT INTO products (seller_id, sku, name, archived)",
        4,
        "",
        &rows.products,
        |q, p| {
            q.bind(p.seller_id)
                .bind(p.sku)
                .bind(p.name)
                .bind(p.archived)
        },
    )
    .await?;
    insert_rows(
        &mut tx,
        "INSERT INTO stock (seller_id, sku, warehouse_id, quantity)",
        4,
        "",
        &rows.stock,
        |q, s| q.bind(s.0).bind(s.1).bind(s.2).bind(s.3),
    )
    .await?;
    let inserted = insert_rows(
        &mut tx,
        "INSERT INTO shipments (seller_id, posting_number, order_number, status, delivery_method, \
         provider, country, city, city_key, warehouse_id, created_at, ship_by, version, search_text, \
         decision, decision_after_ms, decision_message)",
        17,
        " RETURNING id, posting_number",
        &rows.shipments,
        |q, (seller_id, s)| {
            q.bind(*seller_id)
                .bind(s.posting_number.as_str())
                .bind(s.order_number.as_str())
                .bind(s.status.code())
                .bind(s.delivery.method.code())
                .bind(s.delivery.provider.as_deref())
                .bind(s.destination.country.as_str())
                .bind(s.destination.city.as_str())
                .bind(s.destination.city.to_lowercase())
                .bind(s.warehouse_id.as_str())
                .bind(to_millis(s.created_at))
                .bind(to_millis(s.ship_by))
                .bind(1_i64)
                .bind(shipments::search_text(
                    &s.posting_number,
                    &s.order_number,
                    &s.products,
                ))
                .bind(s.provider_decision.as_ref().map(|d| d.decision.code()))
                .bind(
                    s.provider_decision
                        .as_ref()
                        .map(|d| i64::try_from(d.after_ms).unwrap_or(i64::MAX)),
                )
                .bind(
                    s.provider_decision
                        .as_ref()
                        .and_then(|d| d.message.as_deref()),
                )
        },
    )
    .await?;
    // RETURNING's row order is not promised by PostgreSQL: ids are matched by posting number,
    // which `validate` made unique.
    let mut ids = std::collections::HashMap::with_capacity(inserted.len());
    for row in &inserted {
        ids.insert(
            row.try_get::<String, _>("posting_number")?,
            row.try_get::<i64, _>("id")?,
        );
    }
    let id_of = |posting_number: &str| {
        ids.get(posting_number).copied().ok_or_else(|| {
            SeedError::Invalid(format!("shipment {posting_number:?} was not stored"))
        })
    };
    let mut lines = Vec::new();
    let mut cancellations = Vec::new();
    for (seller_id, shipment) in &rows.shipments {
        let id = id_of(&shipment.posting_number)?;
        for (line_no, line) in shipment.products.iter().enumerate() {
            lines.push((id, i64::try_from(line_no).unwrap_or(i64::MAX), line));
        }
        if let Some(cancellation) = &shipment.cancellation {
            cancellations.push((id, *seller_id, cancellation));
        }
    }
    insert_rows(
        &mut tx,
        "INSERT INTO shipment_lines (shipment_id, line_no, sku, name, quantity, price, currency)",
        7,
        "",
        &lines,
        |q, (id, line_no, line)| {
            q.bind(*id)
                .bind(*line_no)
                .bind(line.sku.as_str())
                .bind(line.name.as_str())
                .bind(i64::from(line.quantity))
                .bind(line.price.as_str())
                .bind(line.currency.as_str())
        },
    )
    .await?;
    let inserted = insert_rows(
        &mut tx,
        "INSERT INTO cancellations (shipment_id, state, reason, comment, initiator, requested_at, \
         decided_at, provider_message, seller_id)",
        9,
        " RETURNING id, shipment_id",
        &cancellations,
        |q, (id, seller_id, c)| {
            q.bind(*id)
                .bind(c.state.code())
                .bind(c.reason.map(|r| r.code()))
                .bind(c.comment.as_deref())
                .bind(c.initiator.code())
                .bind(to_millis(c.requested_at))
                .bind(c.decided_at.map(to_millis))
                .bind(c.provider_message.as_deref())
                .bind(*seller_id)
        },
    )
    .await?;
    // Each seeded shipment has at most one cancellation, which is its latest.
    sqlx::query(
        "UPDATE shipments SET cancellation_id = \
         (SELECT max(c.id) FROM cancellations c WHERE c.shipment_id = shipments.id) \
         WHERE EXISTS (SELECT 1 FROM cancellations c WHERE c.shipment_id = shipments.id)",
    )
    .execute(&mut *tx)
    .await?;
    let mut cancellation_of = std::collections::HashMap::with_capacity(inserted.len());
    for row in &inserted {
        cancellation_of.insert(
            row.try_get::<i64, _>("shipment_id")?,
            row.try_get::<i64, _>("id")?,
        );
    }
    let mut requests = Vec::new();
    for (_, shipment) in &rows.shipments {
        let Some(cancellation) = &shipment.cancellation else {
            continue;
        };
        if !cancellation.is_pending() {
            continue;
        }
        let shipment_id = id_of(&shipment.posting_number)?;
        let cancellation_id = cancellation_of.get(&shipment_id).copied().ok_or_else(|| {
            SeedError::Invalid(format!(
                "the cancellation of {:?} was not stored",
                shipment.posting_number
            ))
        })?;
        let decision = shipment.provider_decision.clone().unwrap_or_default();
        requests.push((cancellation_id, provider::due_at(&decision, now), decision));
    }
    insert_rows(
        &mut tx,
        "INSERT INTO provider_requests (cancellation_id, due_at, decision, message)",
        4,
        "",
        &requests,
        |q, (id, due_at, decision)| {
            q.bind(*id)
                .bind(to_millis(*due_at))
                .bind(decision.decision.code())
                .bind(decision.message.as_deref())
        },
    )
    .await?;
    meta_set(&mut tx, "seed_sha256", hash).await?;
    meta_set(
        &mut tx,
        "threshold",
        &fixture.settings.threshold.to_string(),
    )
    .await?;
    meta_set(&mut tx, "seeded_at", &to_millis(now).to_string()).await?;
    tx.commit().await?;
    Ok(SeedOutcome::Loaded {
        shipments: rows.shipments.len(),
    })
}

/// The rows a fixture becomes, borrowed from it, in the order they are inserted.
struct Rows<'a> {
    products: Vec<NewProduct<'a>>,
    /// Seller, SKU, warehouse, quantity: one row per key (the last level the fixture gives wins).
    stock: Vec<(&'a str, &'a str, &'a str, i64)>,
    shipments: Vec<(&'a str, &'a domain::fixture::FixtureShipment)>,
}

struct NewProduct<'a> {
    seller_id: &'a str,
    sku: &'a str,
    name: &'a str,
    archived: i64,
}

impl<'a> Rows<'a> {
    fn of(fixture: &'a Fixture) -> Rows<'a> {
        let mut rows = Rows {
            products: Vec::new(),
            stock: Vec::new(),
            shipments: Vec::new(),
        };
        for seller in &fixture.sellers {
            let mut known_skus = HashSet::new();
            let mut stock = std::collections::BTreeMap::new();
            for product in &seller.products {
                rows.products.push(NewProduct {
                    seller_id: &seller.id,
                    sku: &product.sku,
                    name: &product.name,
                    archived: i64::from(product.archived),
                });
                for level in &product.stock {
                    // A multi-row insert may not name a key twice (PostgreSQL refuses it): the
                    // last level given for a warehouse is the one kept, as the row-by-row upsert
                    // kept it.
                    stock.insert(
                        (product.sku.as_str(), level.warehouse_id.as_str()),
                        i64::from(level.quantity),
                    );
                }
                known_skus.insert(product.sku.as_str());
            }
            rows.stock
                .extend(stock.into_iter().map(|((sku, warehouse), quantity)| {
                    (seller.id.as_str(), sku, warehouse, quantity)
                }));
            for shipment in &seller.shipments {
                // A product a shipment names but the catalogue lacks joins the catalogue, without
                // stock, so that the stock reset of `out_of_stock` always has a product to reset.
                for line in &shipment.products {
                    if known_skus.insert(line.sku.as_str()) {
                        rows.products.push(NewProduct {
                            seller_id: &seller.id,
                            sku: &line.sku,
                            name: &line.name,
                            archived: 0,
                        });
                    }
                }
                rows.shipments.push((seller.id.as_str(), shipment));
            }
        }
        rows
    }
}

/// Bound values per statement at most: under SQLite's limit (32,766) and PostgreSQL's (65,535).
const MAX_PARAMETERS: usize = 30_000;
/// Rows per multi-row `INSERT` at most: past a few hundred, longer statements gain nothing.
const BATCH_ROWS: usize = 500;

type Query<'q> = sqlx::query::Query<'q, Any, AnyArguments>;

/// Inserts `rows` with `head VALUES ($1, …), (…)… tail` in batches, binding each row's
/// `columns` values with `bind`; returns what `tail`'s `RETURNING` gives (nothing without one).
async fn insert_rows<R>(
    conn: &mut AnyConnection,
    head: &str,
    columns: usize,
    tail: &str,
    rows: &[R],
    bind: impl for<'q> Fn(Query<'q>, &R) -> Query<'q>,
) -> Result<Vec<AnyRow>, sqlx::Error> {
    let per_statement = BATCH_ROWS.min(MAX_PARAMETERS / columns).max(1);
    let mut returned = Vec::new();
    for chunk in rows.chunks(per_statement) {
        let sql = values_statement(head, columns, chunk.len(), tail);
        // Only the static head and tail and numbered placeholders are in the text; every value
        // is bound.
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for row in chunk {
            query = bind(query, row);
        }
        if tail.is_empty() {
            query.execute(&mut *conn).await?;
        } else {
            returned.extend(query.fetch_all(&mut *conn).await?);
        }
    }
    Ok(returned)
}

/// `head VALUES ($1, $2), ($3, $4) tail` for `rows` rows of `columns` values.
fn values_statement(head: &str, columns: usize, rows: usize, tail: &str) -> String {
    let mut sql = String::with_capacity(head.len() + tail.len() + rows * columns * 6 + 8);
    sql.push_str(head);
    sql.push_str(" VALUES ");
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for column in 0..columns {
            if column > 0 {
                sql.push_str(", ");
            }
            sql.push('$');
            sql.push_str(&(row * columns + column + 1).to_string());
        }
        sql.push(')');
    }
    sql.push_str(tail);
    sql
}

#[cfg(test)]
mod tests {
    #[test]
    fn values_are_numbered_row_by_row() {
        assert_eq!(
            super::values_statement("INSERT INTO t (a, b)", 2, 2, " RETURNING a"),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4) RETURNING a"
        );
    }
}

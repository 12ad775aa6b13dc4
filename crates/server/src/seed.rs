//! Loading a fixture (`--seed FILE.json`, the format of DESIGN.md) into an empty database.

use std::collections::HashSet;
use std::path::Path;

use chrono::{DateTime, Utc};
use domain::fixture::{Fixture, ProviderDecision};
use domain::{CancellationState, Status};
use rusqlite::{Connection, TransactionBehavior, params};
use sha2::{Digest, Sha256};

use crate::db::{meta_get, meta_set, to_millis};
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
    Sqlite(#[from] rusqlite::Error),
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

/// Loads the fixture unless the database already holds data.
pub fn load(
    conn: &mut Connection,
    fixture: &Fixture,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<SeedOutcome, SeedError> {
    validate(fixture)?;
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let sellers: i64 = tx.query_row("SELECT count(*) FROM sellers", [], |row| row.get(0))?;
    if sellers > 0 {
        return match meta_get(&tx, "seed_sha256")? {
            Some(loaded) if loaded == hash => Ok(SeedOutcome::AlreadyLoaded),
            _ => Err(SeedError::Conflict),
        };
    }
    let mut count = 0;
    for seller in &fixture.sellers {
        tx.execute(
            "INSERT INTO sellers (id, name) VALUES (?1, ?2)",
            params![seller.id, seller.name],
        )?;
        let mut known_skus = HashSet::new();
        for product in &seller.products {
            tx.execute(
                "INSERT INTO products (seller_id, sku, name, archived) VALUES (?1, ?2, ?3, ?4)",
                params![seller.id, product.sku, product.name, product.archived],
            )?;
            for level in &product.stock {
                tx.execute(
                    "INSERT INTO stock (seller_id, sku, warehouse_id, quantity) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT DO UPDATE SET quantity = excluded.quantity",
                    params![seller.id, product.sku, level.warehouse_id, level.quantity],
                )?;
            }
            known_skus.insert(product.sku.clone());
        }
        for shipment in &seller.shipments {
            // A product a shipment names but the catalogue lacks joins the catalogue, without stock,
            // so that the stock reset of `out_of_stock` always has a product to reset.
            for line in &shipment.products {
                if known_skus.insert(line.sku.clone()) {
                    tx.execute(
                        "INSERT INTO products (seller_id, sku, name) VALUES (?1, ?2, ?3)",
                        params![seller.id, line.sku, line.name],
                    )?;
                }
            }
            let id = shipments::insert(
                &tx,
                &shipments::NewShipment::from_fixture(&seller.id, shipment),
            )?;
            if let Some(cancellation) = &shipment.cancellation {
                let cancellation_id = shipments::insert_cancellation(&tx, id, cancellation)?;
                if cancellation.is_pending() {
                    let decision = shipment
                        .provider_decision
                        .clone()
                        .unwrap_or_else(ProviderDecision::default);
                    provider::legacy::schedule(&tx, cancellation_id, &decision, now)?;
                }
            }
            count += 1;
        }
    }
    meta_set(&tx, "seed_sha256", hash)?;
    meta_set(&tx, "threshold", &fixture.settings.threshold.to_string())?;
    meta_set(&tx, "seeded_at", &to_millis(now).to_string())?;
    tx.commit()?;
    Ok(SeedOutcome::Loaded { shipments: count })
}

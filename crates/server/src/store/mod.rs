//! The database's tables, one module per thing they hold.

pub mod cancel;
pub mod cancellations;
pub mod codes;
pub mod geography;
pub mod history;
pub mod idempotency;
pub mod list;
pub mod out_of_stock;
pub mod partial;
pub mod products;
pub mod provider;
pub mod sellers;
pub mod shipments;

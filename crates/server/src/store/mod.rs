//! The database's tables, one module per thing they hold.

pub mod cancel;
pub mod codes;
pub mod idempotency;
pub mod list;
pub mod provider;
pub mod shipments;

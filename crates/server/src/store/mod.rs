//! The database's tables, one module per thing they hold.

pub mod codes;
pub mod provider;
pub mod shipments;

//! The API's handlers, one module per resource.

pub mod cancel;
pub mod dev;
pub mod events;
pub mod geography;
pub mod history;
pub mod metric;
pub mod out_of_stock;
pub mod partial;
pub mod products;
pub mod providers;
pub mod session;
pub mod shipments;
pub mod split;

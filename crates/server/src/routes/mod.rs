//! The API's handlers, one module per resource.

pub mod session;
pub mod shipments;

//! Splitting a commercial shipment into parcels of at most three identical products.

pub mod dialog;
pub mod plan;

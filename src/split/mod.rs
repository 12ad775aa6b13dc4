//! Splitting a commercial shipment into parcels of at most three identical units.

pub mod dialog;
pub mod flow;
pub mod plan;

//! The history of cancellations.

pub mod entries;
pub mod page;

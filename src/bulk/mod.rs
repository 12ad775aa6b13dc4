//! Cancelling several shipments at once with one reason.

pub mod dialog;
pub mod plan;
pub mod run;

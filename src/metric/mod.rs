//! The service-quality metric: the cancellation rate and its daily series.

pub mod chart;
pub mod widget;

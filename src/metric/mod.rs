//! The service-quality metric: the cancellation rate and its daily series.

pub mod chart;
pub mod preview;
pub mod widget;

use domain::metric::RateReport;
use leptos::prelude::LocalResource;

use crate::api::{Api, ApiError};

/// The rate as it stands when a dialog opens, for its preview of what the cancellation would do.
pub fn current_rate(api: &Api) -> LocalResource<Result<RateReport, ApiError>> {
    let api = api.clone();
    LocalResource::new(move || {
        let api = api.clone();
        async move { api.cancellation_rate().await }
    })
}

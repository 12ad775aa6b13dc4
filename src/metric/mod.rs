//! The service-quality metric: the cancellation rate and its daily series.

pub mod chart;
pub mod preview;
pub mod widget;

use domain::metric::RateReport;
use leptos::prelude::LocalResource;

use crate::api::{Api, ApiError};

/// The rate as it stands when a dialog opens, for its preview of what the cancellation would do.
/// A rehearsed dialog (`crate::cancel::rehearsal`) asks nothing: its rate never comes.
pub fn current_rate(api: &Api) -> LocalResource<Result<RateReport, ApiError>> {
    let api = api.clone();
    let rehearsing = crate::cancel::rehearsal::rehearsing();
    LocalResource::new(move || {
        let api = api.clone();
        async move {
            if rehearsing {
                std::future::pending::<()>().await;
            }
            api.cancellation_rate().await
        }
    })
}

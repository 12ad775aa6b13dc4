//! The tab counts: one grouped count on the server, asked for again once the filters rest.

use std::time::Duration;

use leptos::prelude::*;

use crate::api::{Api, ApiError};
use crate::shipments::first_rows::FirstRows;
use crate::shipments::query::ShipmentFilter;
use crate::shipments::tabs::{TabCounts, fetch_counts};

/// How long the filters must rest before the tab counts are asked for again.
const COUNTS_PAUSE: Duration = Duration::from_millis(300);

/// The counts of every tab under the other filters (the tab itself is ignored: every tab shows
/// its own number). A grouped count costs the server, so it follows the filters once typing pauses,
/// and the first one waits for the list's first page.
pub fn follow_counts(
    api: Api,
    filter: Memo<ShipmentFilter>,
    first_rows: FirstRows,
) -> LocalResource<Result<TabCounts, ApiError>> {
    let base = Memo::new(move |_| filter.get().with_status(None));
    let settled = RwSignal::new(base.get_untracked());
    Effect::new(move |_| {
        let next = base.get();
        if next == settled.get_untracked() {
            return;
        }
        match set_timeout_with_handle(move || settled.set(next), COUNTS_PAUSE) {
            Ok(handle) => on_cleanup(move || handle.clear()),
            Err(error) => leptos::logging::error!("could not schedule the tab counts: {error:?}"),
        }
    });
    LocalResource::new(move || {
        let api = api.clone();
        let base = settled.get();
        async move {
            first_rows.wait().await;
            fetch_counts(&api, &base).await
        }
    })
}

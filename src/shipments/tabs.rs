//! The status tabs, each with the number of shipments it holds under the current filters.

use domain::Status;
use domain::wire::StatusCounts;
use leptos::prelude::*;

use crate::api::{Api, ApiError};
use crate::i18n::text;
use crate::shipments::query::ShipmentFilter;

/// Shipments per tab, `None` being "All", in tab order.
pub type TabCounts = Vec<(Option<Status>, u64)>;

/// The tabs in the marketplace's order, "All" first.
pub fn tabs() -> impl Iterator<Item = Option<Status>> {
    std::iter::once(None).chain(Status::ALL.into_iter().map(Some))
}

pub fn tab_label(status: Option<Status>) -> &'static str {
    status.map_or_else(text::tab_all, text::status)
}

/// Asks the server for every tab's total under the other filters, in one request
/// (`GET /shipments/counts`, counted by the database from its indexes).
pub async fn fetch_counts(api: &Api, filter: &ShipmentFilter) -> Result<TabCounts, ApiError> {
    let query = filter.to_counts_query();
    let answer = api.status_counts(&query).await?;
    Ok(tab_counts(&answer))
}

/// The server's counts in tab order, "All" first.
pub fn tab_counts(answer: &StatusCounts) -> TabCounts {
    tabs()
        .map(|tab| match tab {
            None => (None, answer.total),
            Some(status) => (
                tab,
                answer
                    .statuses
                    .iter()
                    .find(|c| c.status == status)
                    .map_or(0, |c| c.shipments),
            ),
        })
        .collect()
}

#[component]
pub fn StatusTabs(
    filter: Memo<ShipmentFilter>,
    counts: LocalResource<Result<TabCounts, ApiError>>,
    /// Turns a filter into the link that shows it.
    href: Callback<ShipmentFilter, String>,
) -> impl IntoView {
    let items = tabs()
        .map(|status| {
            let link = move || href.run(filter.get().with_status(status));
            let current = move || (filter.get().status == status).then_some("page");
            let count = move || {
                counts.get().and_then(|answer| match answer {
                    Ok(counts) => counts
                        .iter()
                        .find(|(tab, _)| *tab == status)
                        .map(|(_, count)| count.to_string()),
                    // The list itself reports the failure; a tab only loses its number.
                    Err(_) => None,
                })
            };
            view! {
                <li>
                    <a href=link aria-current=current>
                        <span class="tab-label">{move || tab_label(status)}</span>
                        " "
                        <span class="count">{count}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav class="tabs" aria-label=text::tabs_name>
            <ul>{items}</ul>
        </nav>
    }
}

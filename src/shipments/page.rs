//! The "Orders from my warehouse" page: tabs, filters, the table, and incremental loading.

use std::time::Duration;

use domain::Shipment;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use leptos_router::params::ParamsMap;

use crate::api::{Api, ApiError, CancelAnswer};
use crate::cancel::dialog::CancelDialog;
use crate::feedback::{Empty, Failure, Loading};
use crate::format;
use crate::shipments::filter::ShipmentFilter;
use crate::shipments::filters::{FilterChange, Filters};
use crate::shipments::list::{Load, ShipmentList};
use crate::shipments::table::ShipmentsTable;
use crate::shipments::tabs::{StatusTabs, TabCounts, fetch_counts};
use crate::text;

#[component]
pub fn ShipmentsPage() -> impl IntoView {
    let api = expect_context::<Api>();
    let query = use_query_map();
    let filter = Memo::new(move |_| query.with(|q| ShipmentFilter::from_query(|key| q.get(key))));
    let location = use_location();
    let navigate = use_navigate();
    let now = format::now();

    let href = Callback::new(move |filter: ShipmentFilter| {
        let query: ParamsMap = filter.to_query().into_iter().collect();
        format!(
            "{}{}",
            location.pathname.get_untracked(),
            query.to_query_string()
        )
    });
    let on_filter = Callback::new(move |change: FilterChange| {
        let options = NavigateOptions {
            replace: change.replace,
            ..NavigateOptions::default()
        };
        navigate(&href.run(change.filter), options);
    });

    let list = ShipmentList::new();
    let reload = {
        let api = api.clone();
        move || list.reload(api.clone(), filter.get_untracked())
    };
    {
        let api = api.clone();
        Effect::new(move |_| list.reload(api.clone(), filter.get()));
    }
    let counts = {
        let api = api.clone();
        // The counts ignore the tab: every tab shows its own number under the other filters.
        let base = Memo::new(move |_| filter.get().with_status(None));
        LocalResource::new(move || {
            let api = api.clone();
            let base = base.get();
            async move { fetch_counts(&api, &base).await }
        })
    };

    follow_provider_answers(api.clone(), list, counts);

    let selected = RwSignal::new(None::<Shipment>);
    let confirmation = RwSignal::new(None::<String>);
    let on_cancel = Callback::new(move |shipment: Shipment| {
        confirmation.set(None);
        selected.set(Some(shipment));
    });
    let on_close = Callback::new(move |()| selected.set(None));
    let on_shipment = Callback::new(move |shipment: Shipment| {
        list.replace(shipment);
    });
    let on_done = Callback::new(move |answer: CancelAnswer| {
        let words = match &answer {
            CancelAnswer::Cancelled(shipment) => {
                text::cancelled_confirmation(&shipment.posting_number)
            }
            CancelAnswer::Requested(shipment) => text::requested_confirmation(
                &shipment.posting_number,
                shipment.delivery.provider.as_deref(),
            ),
        };
        selected.set(None);
        confirmation.set(Some(words));
        counts.refetch();
    });
    let dialog = move || {
        selected.get().map(|shipment| {
            view! { <CancelDialog shipment on_close on_shipment on_done /> }
        })
    };
    let toast = move || {
        confirmation.get().map(|words| {
            view! {
                <div class="toast" role="status">
                    <span>{words}</span>
                    <button type="button" class="secondary" on:click=move |_| confirmation.set(None)>
                        {text::DISMISS}
                    </button>
                </div>
            }
        })
    };

    let load_more = {
        let api = api.clone();
        move |_| list.load_more(api.clone(), filter.get_untracked())
    };
    let has_rows = move || list.rows.with(|rows| !rows.is_empty());
    let state = move || match list.load.get() {
        Load::Loading if !has_rows() => {
            view! { <Loading message=text::LOADING_SHIPMENTS /> }.into_any()
        }
        Load::Failed(error) => {
            let reload = reload.clone();
            view! { <Failure title=text::COULD_NOT_LOAD error retry=Callback::new(move |()| reload()) /> }
                .into_any()
        }
        Load::Ready if !has_rows() => {
            let narrowed = filter.get().narrows();
            let message = if narrowed {
                text::NO_SHIPMENTS_FILTERED
            } else {
                text::NO_SHIPMENTS
            };
            view! {
                <Empty message>
                    {narrowed
                        .then(|| {
                            view! {
                                <button
                                    type="button"
                                    class="secondary"
                                    on:click=move |_| {
                                        on_filter
                                            .run(FilterChange {
                                                filter: filter.get_untracked().cleared(),
                                                replace: false,
                                            })
                                    }
                                >
                                    {text::CLEAR_FILTERS}
                                </button>
                            }
                        })}
                </Empty>
            }
            .into_any()
        }
        _ => ().into_any(),
    };
    let more = move || {
        let load_more = load_more.clone();
        match list.load.get() {
            Load::LoadingMore => view! { <Loading message=text::LOADING_MORE /> }.into_any(),
            Load::MoreFailed(error) => view! {
                <Failure title=text::COULD_NOT_LOAD error retry=Callback::new(move |()| load_more(())) />
            }
            .into_any(),
            Load::Ready if list.next_cursor.with(Option::is_some) => view! {
                <button type="button" class="secondary load-more" on:click=move |_| load_more(())>
                    {text::LOAD_MORE}
                </button>
            }
            .into_any(),
            _ => ().into_any(),
        }
    };
    let summary = move || {
        list.total
            .get()
            .map(|total| text::shown_of_total(list.rows.with(Vec::len), total))
    };

    view! {
        <section class="shipments-page">
            <h1>{text::PAGE_TITLE}</h1>
            {toast}
            <StatusTabs filter counts href />
            <Filters filter on_change=on_filter />
            <p class="summary" aria-live="polite">{summary}</p>
            {state}
            <Show when=has_rows>
                <div class="table-scroll" aria-busy=move || matches!(list.load.get(), Load::Loading)>
                    <ShipmentsTable shipments=list.rows now on_cancel />
                </div>
            </Show>
            <div class="more">{more}</div>
            {dialog}
        </section>
    }
}

/// How often rows waiting for a provider's answer are checked again.
const PROVIDER_POLL: Duration = Duration::from_secs(3);

/// A provider answers a cancellation request later; the waiting rows follow its answer without a
/// reload, by asking for their current state while they wait.
fn follow_provider_answers(
    api: Api,
    list: ShipmentList,
    counts: LocalResource<Result<TabCounts, ApiError>>,
) {
    let poll = move || {
        for posting_number in list.pending() {
            let api = api.clone();
            spawn_local(async move {
                match api.shipment(&posting_number).await {
                    Ok(shipment) => {
                        if list.replace(shipment) {
                            counts.refetch();
                        }
                    }
                    // The next round asks again; a passing failure must not interrupt the list.
                    Err(error) => {
                        leptos::logging::warn!("could not refresh {posting_number}: {error}");
                    }
                }
            });
        }
    };
    match set_interval_with_handle(poll, PROVIDER_POLL) {
        Ok(handle) => on_cleanup(move || handle.clear()),
        Err(error) => leptos::logging::error!("live updates are off: {error:?}"),
    }
}

//! The "Orders from my warehouse" page: tabs, filters, the table, and incremental loading.

use std::time::Duration;

use std::collections::BTreeMap;

use domain::Shipment;
use domain::wire::MatchFilter;
use leptos::prelude::*;

use crate::api::{Api, CancelAnswer};
use crate::bulk::dialog::{BulkCancelDialog, BulkOpen};
use crate::cancel::dialog::CancelDialog;
use crate::cancel::follow_up::FollowUp;
use crate::embed::bridge::Bridge;
use crate::embed::protocol::Outbound;
use crate::feedback::{Announcer, Empty, Failure, Loading};
use crate::format;
use crate::i18n::text;
use crate::metric::widget::RateWidget;
use crate::shipments::filters::{FilterChange, Filters};
use crate::shipments::infinite::load_when_visible;
use crate::shipments::list::{Load, RENDER_STEP, ShipmentList};
use crate::shipments::location::FilterLocation;
use crate::shipments::row::Selection;
use crate::shipments::table::ShipmentsTable;
use crate::shipments::tabs::{StatusTabs, fetch_counts};
use crate::split::dialog::SplitDialog;

#[component]
pub fn ShipmentsPage() -> impl IntoView {
    let api = expect_context::<Api>();
    let FilterLocation {
        filter,
        href,
        change: on_filter,
    } = FilterLocation::from_router();
    let now = format::now();

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
        // They cost a grouped count on the server, so they follow the filters once typing pauses.
        let settled = RwSignal::new(base.get_untracked());
        Effect::new(move |_| {
            let next = base.get();
            if next == settled.get_untracked() {
                return;
            }
            match set_timeout_with_handle(move || settled.set(next), COUNTS_PAUSE) {
                Ok(handle) => on_cleanup(move || handle.clear()),
                Err(error) => {
                    leptos::logging::error!("could not schedule the tab counts: {error:?}")
                }
            }
        });
        LocalResource::new(move || {
            let api = api.clone();
            let base = settled.get();
            async move { fetch_counts(&api, &base).await }
        })
    };

    // Bumped with the counts, so that the rate widget follows cancellations.
    let rate_changes = RwSignal::new(0u32);
    let counts_and_rate = move || {
        counts.refetch();
        rate_changes.update(|n| *n = n.wrapping_add(1));
    };
    let announcer = use_context::<Announcer>();
    crate::live::follow_list(
        api.clone(),
        list,
        announcer,
        counts_and_rate,
        reload.clone(),
    );

    let selected = RwSignal::new(None::<Shipment>);
    let confirmation = RwSignal::new(None::<String>);
    // The cancelled shipment whose follow-ups are offered.
    let finished = RwSignal::new(None::<Shipment>);
    let ticked: Selection = RwSignal::new(BTreeMap::new());
    let bulk = RwSignal::new(None::<BulkOpen>);
    // "Select all matching": every shipment the filter matches, judged by the server, never
    // downloaded; cleared with the selection.
    let all_matching = RwSignal::new(None::<(MatchFilter, u64)>);
    let on_cancel = Callback::new(move |shipment: Shipment| {
        confirmation.set(None);
        finished.set(None);
        selected.set(Some(shipment));
    });
    let on_close = Callback::new(move |()| selected.set(None));
    // Framed by the portal, the app tells it what changed and what to announce.
    let portal = use_context::<Bridge>();
    let notify = {
        let portal = portal.clone();
        move |kind: &'static str, words: &str| {
            if let Some(announcer) = announcer {
                announcer.status(words);
            }
            if let Some(portal) = &portal {
                portal.tell(&Outbound::Toast {
                    kind,
                    text: words.to_owned(),
                });
            }
        }
    };
    let announce = {
        let notify = notify.clone();
        move |words: &str| notify("success", words)
    };
    let portal_after_split = portal.clone();
    let on_shipment = Callback::new(move |shipment: Shipment| {
        if let Some(portal) = &portal {
            portal.tell(&Outbound::ShipmentsChanged {
                posting_numbers: vec![shipment.posting_number.clone()],
            });
        }
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
        announce(&words);
        confirmation.set(Some(words));
        finished.set(Some(answer.shipment().clone()));
        counts_and_rate();
    });
    let on_bulk = Callback::new(move |open: BulkOpen| bulk.set(Some(open)));
    let on_bulk_close = Callback::new(move |()| bulk.set(None));
    // One toast per run, not per shipment: the portal shows the summary the results table opens with.
    let on_bulk_finished = Callback::new(move |(summary, failed): (String, bool)| {
        notify(if failed { "error" } else { "success" }, &summary);
        ticked.set(BTreeMap::new());
        all_matching.set(None);
        counts_and_rate();
    });
    let bulk_dialog = move || {
        bulk.get().map(
            |BulkOpen {
                 shipments,
                 preset,
                 matching,
             }| {
                view! {
                    <BulkCancelDialog
                        shipments
                        preset
                        matching
                        on_close=on_bulk_close
                        on_shipment
                        on_finished=on_bulk_finished
                    />
                }
            },
        )
    };
    let follow_up = move || {
        finished
            .get()
            .map(|shipment| view! { <FollowUp shipment on_bulk /> })
    };
    let select_all_matching = move |_| {
        let total = list.total.get_untracked().unwrap_or(0);
        all_matching.set(Some((filter.get_untracked().to_match_filter(), total)));
    };
    // Another filter is another "all".
    Effect::new(move |_| {
        filter.track();
        all_matching.set(None);
    });
    let bulk_bar = move || {
        let matching = all_matching.get();
        let count = matching
            .as_ref()
            .map_or_else(|| ticked.with(BTreeMap::len), |(_, total)| *total as usize);
        let total = list.total.get().unwrap_or(0);
        (count > 0).then(|| {
            view! {
                <div class="bulk-bar" role="region" aria-label=text::cancel_selected>
                    <span>{text::selected_count(count)}</span>
                    {(total > count as u64)
                        .then(|| {
                            view! {
                                <button type="button" class="secondary" on:click=select_all_matching>
                                    {text::select_all_matching(total)}
                                </button>
                            }
                        })}
                    <button
                        type="button"
                        class="danger"
                        on:click=move |_| {
                            let matching = all_matching.get_untracked();
                            let shipments: Vec<Shipment> = if matching.is_some() {
                                Vec::new()
                            } else {
                                ticked.with_untracked(|t| t.values().cloned().collect())
                            };
                            bulk.set(Some(BulkOpen { shipments, preset: None, matching }));
                        }
                    >
                        {text::cancel_selected}
                    </button>
                    <button
                        type="button"
                        class="secondary"
                        on:click=move |_| {
                            ticked.set(BTreeMap::new());
                            all_matching.set(None);
                        }
                    >
                        {text::clear_selection}
                    </button>
                </div>
            }
        })
    };
    let splitting = RwSignal::new(None::<Shipment>);
    let on_split_open = Callback::new(move |shipment: Shipment| {
        selected.set(None);
        splitting.set(Some(shipment));
    });
    let on_split_close = Callback::new(move |()| splitting.set(None));
    let on_split = Callback::new(move |parcels: Vec<Shipment>| {
        let Some(original) = splitting.get_untracked() else {
            return;
        };
        let words = text::split_done(parcels.len());
        if let Some(announcer) = announcer {
            announcer.status(words.clone());
        }
        confirmation.set(Some(words));
        if let Some(portal) = &portal_after_split {
            portal.tell(&Outbound::ShipmentsChanged {
                posting_numbers: parcels.iter().map(|p| p.posting_number.clone()).collect(),
            });
        }
        list.split(&original.posting_number, parcels);
        splitting.set(None);
        counts_and_rate();
    });
    let dialog = move || {
        selected.get().map(|shipment| {
            view! { <CancelDialog shipment on_close on_shipment on_done on_split=on_split_open /> }
        })
    };
    let split_dialog = move || {
        splitting.get().map(|shipment| {
            view! { <SplitDialog shipment on_close=on_split_close on_shipment on_split /> }
        })
    };
    let toast = move || {
        confirmation.get().map(|words| {
            view! {
                // Spoken through the page's live region, which stays out of the inert page.
                <div class="toast">
                    <span>{words}</span>
                    <button type="button" class="secondary" on:click=move |_| confirmation.set(None)>
                        {text::dismiss}
                    </button>
                </div>
            }
        })
    };

    let load_more = {
        let api = api.clone();
        move |_| list.load_more(api.clone(), filter.get_untracked())
    };
    let dialog_open = move || {
        selected.with(Option::is_some)
            || bulk.with(Option::is_some)
            || splitting.with(Option::is_some)
    };
    let sentinel = NodeRef::<leptos::html::Div>::new();
    {
        let load_more = load_more.clone();
        load_when_visible(sentinel, move || list.shown_count(), move || load_more(()));
    }
    let has_rows = move || list.rows.with(|rows| !rows.is_empty());
    let state = move || match list.load.get() {
        // Narrowed rows that happen to be none may still be followed by matches further on.
        Load::Loading | Load::Refreshing if !has_rows() && list.total.get() != Some(0) => {
            view! { <Loading message=text::loading_shipments /> }.into_any()
        }
        Load::Failed(error) => {
            let reload = reload.clone();
            view! { <Failure title=text::could_not_load error retry=Callback::new(move |()| reload()) /> }
                .into_any()
        }
        Load::Ready | Load::Refreshing if !has_rows() => {
            let narrowed = filter.get().narrows();
            let message = if narrowed {
                text::no_shipments_filtered as fn() -> &'static str
            } else {
                text::no_shipments
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
                                    {text::clear_filters}
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
            Load::LoadingMore => view! { <Loading message=text::loading_more /> }.into_any(),
            // Narrowed rows too few to fill the table, whose count is unknown: the server's answer
            // may add rows after them. A full table shows no spinner for the moment until it comes.
            Load::Refreshing
                if list.total.with(Option::is_none)
                    && has_rows()
                    && list.shown_count() < RENDER_STEP =>
            {
                view! { <Loading message=text::loading_more /> }.into_any()
            }
            Load::MoreFailed(error) => view! {
                <Failure title=text::could_not_load error retry=Callback::new(move |()| load_more(())) />
            }
            .into_any(),
            Load::Ready if list.has_more() => view! {
                <button type="button" class="secondary load-more" on:click=move |_| load_more(())>
                    {text::load_more}
                </button>
            }
            .into_any(),
            _ => ().into_any(),
        }
    };
    let summary = move || match (list.total.get(), list.load.get()) {
        (Some(total), _) => Some(text::shown_of_total(list.shown_count(), total).into_any()),
        // Narrowed rows are the new search's first rows, but how many match in all is the
        // server's to say. Hidden from the live region, which then speaks only the count.
        (None, Load::Refreshing) => Some(
            view! { <span class="muted" aria-hidden="true">{text::searching}</span> }.into_any(),
        ),
        (None, _) => None,
    };

    view! {
        <section class="shipments-page">
            // While a dialog is open the page behind it is inert: the keyboard and assistive
            // technology stay in the dialog, as aria-modal promises.
            <div class="page-body" inert=dialog_open>
            <div class="page-heading">
                <h1>{text::page_title}</h1>
                <RateWidget changes=rate_changes />
            </div>
            {toast}
            {follow_up}
            <StatusTabs filter counts href />
            <Filters filter on_change=on_filter />
            <p class="summary" aria-live="polite">{summary}</p>
            {bulk_bar}
            {state}
            <Show when=has_rows>
                <div
                    class="table-scroll"
                    aria-busy=move || matches!(list.load.get(), Load::Loading | Load::Refreshing).then_some("true")
                    data-load=move || list.load.with(Load::code)
                >
                    <ShipmentsTable shipments=Signal::derive(move || list.shown()) now on_cancel selection=ticked />
                </div>
            </Show>
            <div class="more">{more}</div>
            <div class="sentinel" node_ref=sentinel aria-hidden="true"></div>
            </div>
            {dialog}
            {bulk_dialog}
            {split_dialog}
        </section>
    }
}

/// How long the filters must rest before the tab counts are asked for again.
const COUNTS_PAUSE: Duration = Duration::from_millis(300);

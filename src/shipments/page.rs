//! The "Orders from my warehouse" page: tabs, filters, the table and incremental loading, with
//! one [`Overlay`] for what is open over it and one outcome path ([`Outcomes`]) for every change.

use domain::Shipment;
use leptos::prelude::*;

use crate::api::Api;
use crate::bulk::dialog::BulkOpen;
use crate::embed::bridge::Bridge;
use crate::feedback::Announcer;
use crate::format;
use crate::i18n::text;
use crate::lazy::LazyInline;
use crate::lazy::parts::{self, BulkBarOpen, FollowUpOpen};
use crate::metric::widget::RateWidget;
use crate::shipments::bulk_bar::{Selected, bulk_bar_waiting};
use crate::shipments::counts::follow_counts;
use crate::shipments::filters::filters_waiting;
use crate::shipments::first_rows::FirstRows;
use crate::shipments::infinite::load_when_visible;
use crate::shipments::list::{Load, ShipmentList};
use crate::shipments::list_status::{ListStatus, MoreRows, ShownSummary};
use crate::shipments::location::FilterLocation;
use crate::shipments::outcome::{Outcome, Outcomes};
use crate::shipments::overlay::{Overlay, Overlays};
use crate::shipments::table::ShipmentsTable;
use crate::shipments::tabs::StatusTabs;

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
    {
        let api = api.clone();
        Effect::new(move |_| list.reload(api.clone(), filter.get()));
    }
    let reload = Callback::new({
        let api = api.clone();
        move |()| list.reload(api.clone(), filter.get_untracked())
    });
    let load_more = Callback::new({
        let api = api.clone();
        move |()| list.load_more(api.clone(), filter.get_untracked())
    });
    // The counts, the rate and the providers wait for the first page: they would slow it down.
    let first_rows = FirstRows::of(list);
    provide_context(first_rows);
    let counts = follow_counts(api.clone(), filter, first_rows);
    // Bumped with the counts, so that the rate widget follows cancellations.
    let rate_changes = RwSignal::new(0u32);

    let overlay = RwSignal::new(Overlay::Nothing);
    let inert = crate::modal::inert::behind(Memo::new(move |_| overlay.with(Overlay::is_open)));
    let confirmation = RwSignal::new(None::<String>);
    let follow_up = RwSignal::new(None::<Shipment>);
    let selected = Selected::new();
    // Another filter is another "all".
    Effect::new(move |_| {
        filter.track();
        selected.all_matching.set(None);
    });
    let outcomes = Outcomes {
        list,
        announcer: use_context::<Announcer>(),
        // Framed by the portal, the app tells it what changed and what to announce.
        portal: use_context::<Bridge>(),
        overlay,
        confirmation,
        follow_up,
        clear_selection: Callback::new(move |()| selected.clear()),
        refresh_counts: Callback::new(move |()| {
            counts.refetch();
            rate_changes.update(|n| *n = n.wrapping_add(1));
        }),
    };
    // Pushed by the server: a provider's answer, a change made in another tab or by the portal.
    {
        let outcomes = outcomes.clone();
        let refresh = outcomes.refresh_counts;
        // The first connection goes out now; the stream reads it once the list's extras are in.
        crate::live::follow(
            api.clone(),
            Callback::new(move |shipment: Shipment| {
                let waited = list.pending().contains(&shipment.posting_number);
                outcomes.deliver(Outcome::Pushed { shipment, waited });
            }),
            // Updates may have been missed: the rows, the counts and the rate are read again.
            Callback::new(move |()| {
                reload.run(());
                refresh.run(());
            }),
        );
    }

    let on_cancel = Callback::new(move |shipment: Shipment| {
        confirmation.set(None);
        follow_up.set(None);
        overlay.set(Overlay::Cancel(shipment));
    });
    let on_partial = Callback::new(move |shipment: Shipment| {
        confirmation.set(None);
        follow_up.set(None);
        overlay.set(Overlay::Partial(shipment));
    });
    let on_bulk = Callback::new(move |open: BulkOpen| overlay.set(Overlay::Bulk(open)));
    let on_swept_row = outcomes.callback(Outcome::Row);
    let on_sweep = outcomes.callback(Outcome::SweepFinished);
    let follow_up_view = move || {
        follow_up.get().map(|shipment| {
            let render = move || {
                parts::follow_up(FollowUpOpen {
                    shipment: shipment.clone(),
                    on_bulk,
                    on_shipment: on_swept_row,
                    on_sweep,
                })
            };
            // Nothing stands in its place meanwhile: the confirmation above already says what happened.
            view! { <LazyInline part=&parts::FOLLOW_UP render waiting=|| () /> }
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

    let sentinel = NodeRef::<leptos::html::Div>::new();
    load_when_visible(
        sentinel,
        move || list.shown_count(),
        move || load_more.run(()),
    );
    // The filter bar and the bulk bar come with the list's extras, after the first rows
    // (crate::lazy::parts); what they show is the URL's filter and the page's selection.
    let filters = {
        let render = move || parts::filters(filter, on_filter);
        view! {
            <LazyInline part=&parts::FILTERS render waiting=move || filters_waiting(filter) eager=false />
        }
    };
    let any_selected = Memo::new(move |_| selected.count() > 0);
    let bulk_bar = move || {
        // A row ticked before the extras arrived asks for them at once.
        any_selected.get().then(|| {
            let render = move || {
                parts::bulk_bar(BulkBarOpen {
                    selected,
                    list,
                    filter,
                    on_bulk,
                })
            };
            view! {
                <LazyInline part=&parts::BULK_BAR render waiting=move || bulk_bar_waiting(selected) />
            }
        })
    };
    let has_rows = move || list.rows.with(|rows| !rows.is_empty());
    // The first rows (or the first empty or failed list) are the sign to fetch the other parts.
    Effect::new(move |_| {
        if !matches!(list.load.get(), Load::Loading | Load::Refreshing) {
            crate::lazy::prefetch::after_first_rows();
        }
    });
    // Once the prefetch has brought the cancellation dialog's module, the dialog is rehearsed on a
    // shown row that can be cancelled, so that its first opening finds its code compiled
    // (crate::cancel::rehearsal).
    if let Some(page) = Owner::current() {
        crate::cancel::rehearsal::offer(move || {
            let row = list.rows.try_with_untracked(|rows| {
                rows.iter()
                    .find(|row| row.evaluate().cancellable)
                    .or(rows.first())
                    .cloned()
            });
            if let Some(Some(row)) = row {
                crate::cancel::rehearsal::once(&page, row);
            }
        });
    }

    view! {
        <section class="shipments-page">
            // While a dialog is open the page behind it is inert (from the dialog's first paint
            // on, crate::modal::inert): the keyboard and assistive technology stay in the dialog,
            // as aria-modal promises.
            <div class="page-body" inert=inert>
            <div class="page-heading">
                <h1>{text::page_title}</h1>
                <RateWidget changes=rate_changes />
            </div>
            {toast}
            {follow_up_view}
            <StatusTabs filter counts href />
            {filters}
            <ShownSummary list />
            {bulk_bar}
            <ListStatus list filter on_filter reload />
            <Show when=has_rows>
                <div
                    class="table-scroll"
                    aria-busy=move || matches!(list.load.get(), Load::Loading | Load::Refreshing).then_some("true")
                    data-load=move || list.load.with(Load::code)
                    // The pointer or the keyboard in the table is the sign a dialog may open next:
                    // its module is fetched now if the idle prefetch has not got to it yet.
                    on:pointerover=move |_| parts::CANCEL.load()
                    on:focusin=move |_| parts::CANCEL.load()
                >
                    <ShipmentsTable shipments=Signal::derive(move || list.shown()) now on_cancel selection=selected.ticked on_partial />
                </div>
            </Show>
            <div class="more"><MoreRows list load_more /></div>
            <div class="sentinel" node_ref=sentinel aria-hidden="true"></div>
            </div>
            <Overlays overlay outcomes />
        </section>
    }
}

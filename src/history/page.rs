//! The cancellation history page: pages of `GET /api/v1/history` as the seller scrolls, the total,
//! the filters (kind, reason, who cancelled, date range) in the URL, and the server's CSV export.
//! The paging itself is `Pager`'s; this view only asks for what it says and shows what it holds.

use domain::HistoryFilter;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{Api, ApiError};
use crate::history::export::ExportButton;
use crate::history::filters::{HistoryFilters, KindTabs};
use crate::history::pager::{Pager, Request, filter_from_url};
use crate::history::table::{HistorySummary, HistoryTable, NewerButton, OlderButton};
use crate::i18n::text;
use crate::shipments::infinite::load_when_visible;
use crate::url::{Entry, Location, Page};

#[component]
pub fn HistoryPage() -> impl IntoView {
    let api = expect_context::<Api>();
    let location = Location::get();
    let query = location.query(Page::History);
    let filter = Memo::new(move |_| query.with(|q| filter_from_url(|key| q.get(key))));
    let pager = RwSignal::new(Pager::new(filter.get_untracked()));
    let failure = RwSignal::new(None::<ApiError>);

    let fetch = {
        let api = api.clone();
        move |request: Option<Request>| {
            let Some(request) = request else { return };
            let api = api.clone();
            spawn_local(async move {
                match api.history(&request.query).await {
                    Ok(page) => {
                        failure.set(None);
                        pager.update(|p| {
                            p.receive(&request, page);
                        });
                        crate::lazy::prefetch::after_first_rows();
                    }
                    Err(error) => {
                        failure.set(Some(error));
                        pager.update(|p| p.failed(&request));
                        crate::lazy::prefetch::after_first_rows();
                    }
                }
            });
        }
    };

    // A new filter (the URL changed) starts over from its first page.
    Effect::new({
        let fetch = fetch.clone();
        move |_| {
            let wanted = filter.get();
            failure.set(None);
            let mut fresh = Pager::new(wanted);
            let first = fresh.start();
            pager.set(fresh);
            fetch(first);
        }
    });

    let older = Callback::new({
        let fetch = fetch.clone();
        move |()| {
            if failure.get_untracked().is_none() {
                fetch(pager.try_update(Pager::older).flatten());
            }
        }
    });
    let newer = Callback::new({
        let fetch = fetch.clone();
        move |()| fetch(pager.try_update(Pager::newer).flatten())
    });
    let retry = {
        let fetch = fetch.clone();
        Callback::new(move |()| {
            failure.set(None);
            let request = pager
                .try_update(|p| p.start().or_else(|| p.older()))
                .flatten();
            fetch(request);
        })
    };

    let sentinel = NodeRef::<html::Div>::new();
    load_when_visible(
        sentinel,
        move || pager.with(Pager::row_count),
        move || older.run(()),
    );

    let href = Callback::new(move |filter: HistoryFilter| location.href_with(filter.to_pairs()));
    // A new entry, so Back returns to the filter before; no scrolling, since the seller is at the
    // filters already.
    let change = Callback::new(move |next: HistoryFilter| {
        location.navigate(&href.run(next), Entry::Push);
    });
    let export_problem = RwSignal::new(None::<String>);
    let any = Signal::derive(move || pager.with(|p| p.total().is_some_and(|t| t > 0)));

    view! {
        <section class="history-page">
            <div class="page-heading">
                <h1>{text::history_title}</h1>
                <ExportButton filter any problem=export_problem />
            </div>
            <KindTabs filter href />
            <HistoryFilters filter change />
            {move || export_problem.get().map(|words| view! { <p class="notice error" role="alert">{words}</p> })}
            <HistorySummary pager />
            <NewerButton pager newer />
            <HistoryTable pager failure retry />
            {move || failure.get().filter(|_| pager.with(|p| p.total().is_some())).map(|error| {
                view! { <p class="notice error" role="alert">{error.message()}</p> }
            })}
            <OlderButton pager failure older />
            <div class="sentinel" node_ref=sentinel aria-hidden="true"></div>
        </section>
    }
}

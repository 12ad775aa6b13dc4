//! What the list says about itself around its rows: loading, failed, empty (with a way out of the
//! filters), how many are shown of how many, and the way to more.

use leptos::prelude::*;

use crate::feedback::{Empty, Failure, Loading};
use crate::i18n::text;
use crate::shipments::filters::FilterChange;
use crate::shipments::list::{Load, RENDER_STEP, ShipmentList};
use crate::shipments::query::ShipmentFilter;

/// Instead of the table: the first load, a failure, or no rows.
#[component]
pub fn ListStatus(
    list: ShipmentList,
    filter: Memo<ShipmentFilter>,
    on_filter: Callback<FilterChange>,
    reload: Callback<()>,
) -> impl IntoView {
    let has_rows = move || list.rows.with(|rows| !rows.is_empty());
    move || match list.load.get() {
        // Narrowed rows that happen to be none may still be followed by matches further on.
        Load::Loading | Load::Refreshing if !has_rows() && list.total.get() != Some(0) => {
            view! { <Loading message=text::loading_shipments /> }.into_any()
        }
        Load::Failed(error) => {
            view! { <Failure title=text::could_not_load error retry=reload /> }.into_any()
        }
        Load::Ready | Load::Refreshing if !has_rows() => {
            let narrowed = filter.get().narrows();
            let message = if narrowed {
                text::no_shipments_filtered as fn() -> &'static str
            } else {
                text::no_shipments
            };
            let clear = move |_| {
                on_filter.run(FilterChange {
                    filter: filter.get_untracked().cleared(),
                    replace: false,
                })
            };
            view! {
                <Empty message>
                    {narrowed
                        .then(|| {
                            view! {
                                <button type="button" class="secondary" on:click=clear>
                                    {text::clear_filters}
                                </button>
                            }
                        })}
                </Empty>
            }
            .into_any()
        }
        _ => ().into_any(),
    }
}

/// Under the table: the next page loading, its failure, or the button that asks for it.
#[component]
pub fn MoreRows(list: ShipmentList, load_more: Callback<()>) -> impl IntoView {
    let has_rows = move || list.rows.with(|rows| !rows.is_empty());
    move || match list.load.get() {
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
        Load::MoreFailed(error) => {
            view! { <Failure title=text::could_not_load error retry=load_more /> }.into_any()
        }
        Load::Ready if list.has_more() => view! {
            <button type="button" class="secondary load-more" on:click=move |_| load_more.run(())>
                {text::load_more}
            </button>
        }
        .into_any(),
        _ => ().into_any(),
    }
}

/// "20 of 1,234 shown", spoken politely as it changes.
#[component]
pub fn ShownSummary(list: ShipmentList) -> impl IntoView {
    let summary = move || match (list.total.get(), list.load.get()) {
        (Some(total), _) => Some(text::shown_of_total(list.shown_count(), total).into_any()),
        // Narrowed rows are the new search's first rows, but how many match in all is the
        // server's to say. Hidden from the live region, which then speaks only the count.
        (None, Load::Refreshing) => Some(
            view! { <span class="muted" aria-hidden="true">{text::searching}</span> }.into_any(),
        ),
        (None, _) => None,
    };
    view! { <p class="summary" aria-live="polite">{summary}</p> }
}

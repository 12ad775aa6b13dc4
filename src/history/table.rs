//! The history's rows, and what is said around them: the total, the window shown, newer and older
//! pages, loading, failure and emptiness.

use domain::HistoryEntry;
use leptos::prelude::*;

use crate::api::ApiError;
use crate::feedback::{Empty, Failure, Loading};
use crate::format;
use crate::history::pager::Pager;
use crate::i18n::text;

/// "1,234 cancellations · 51–100 of 1,234", spoken politely as it changes.
#[component]
pub fn HistorySummary(pager: RwSignal<Pager>) -> impl IntoView {
    move || {
        pager.with(|p| {
            p.total().map(|total| {
                let rows = p.row_count();
                let first = p.first_position();
                let window = (total > rows as u64)
                    .then(|| text::history_window(first, first + rows.saturating_sub(1), total));
                view! {
                    <p class="history-summary" aria-live="polite">
                        <span class="history-total">{text::history_total(total)}</span>
                        {window.map(|w| view! { " · " <span class="history-window">{w}</span> })}
                    </p>
                }
            })
        })
    }
}

/// The table, or what stands instead of it before the first page.
#[component]
pub fn HistoryTable(
    pager: RwSignal<Pager>,
    failure: RwSignal<Option<ApiError>>,
    retry: Callback<()>,
) -> impl IntoView {
    move || {
        if let Some(error) = failure.get()
            && pager.with(|p| p.total().is_none())
        {
            return view! { <Failure title=text::could_not_load_history error retry /> }.into_any();
        }
        if pager.with(|p| p.total().is_none()) {
            return view! { <Loading message=text::loading_history /> }.into_any();
        }
        if pager.with(|p| p.row_count() == 0) {
            return view! { <Empty message=text::no_history /> }.into_any();
        }
        let rows = move || pager.with(|p| p.rows().cloned().collect::<Vec<_>>());
        view! {
            <div class="table-scroll">
                <table class="shipments history">
                    <caption class="visually-hidden">{text::history_table}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{text::col_shipment}</th>
                            <th scope="col">{text::col_state}</th>
                            <th scope="col">{text::col_reason}</th>
                            <th scope="col">{text::col_comment}</th>
                            <th scope="col">{text::col_initiator}</th>
                            <th scope="col">{text::col_requested}</th>
                            <th scope="col">{text::col_decided}</th>
                            <th scope="col">{text::col_provider_message}</th>
                        </tr>
                    </thead>
                    <tbody>{move || rows().into_iter().map(history_row).collect_view()}</tbody>
                </table>
            </div>
        }
        .into_any()
    }
}

fn history_row(entry: HistoryEntry) -> impl IntoView {
    let class = format!("cancellation-state kind-{}", entry.kind.code());
    let key = entry.posting_number.clone();
    view! {
        <tr data-posting-number=key>
            <td class="ids">
                <span class="posting-number">{entry.posting_number}</span>
                <span class="order-number">{text::order_number(&entry.order_number)}</span>
            </td>
            <td>
                <span class=class>{text::history_kind(entry.kind)}</span>
                {cancelled_items(&entry.items)}
            </td>
            <td>{entry.reason.map(text::reason)}</td>
            <td>{entry.comment}</td>
            <td>{text::initiator(entry.initiator)}</td>
            <td>{format::date_time(entry.requested_at)}</td>
            <td>{entry.decided_at.map(format::date_time)}</td>
            <td>{entry.provider_message}</td>
        </tr>
    }
}

/// The products a partial cancellation took out, under its kind; nothing for a whole one.
fn cancelled_items(items: &[domain::partial::CancelItem]) -> Option<impl IntoView + use<>> {
    (!items.is_empty()).then(|| {
        let items: Vec<String> = items
            .iter()
            .map(|item| text::history_item(&item.sku, item.quantity))
            .collect();
        view! {
            <ul class="cancelled-items" aria-label=text::history_cancelled_items()>
                {items.into_iter().map(|item| view! { <li>{item}</li> }).collect_view()}
            </ul>
        }
    })
}

#[component]
pub fn NewerButton(pager: RwSignal<Pager>, newer: Callback<()>) -> impl IntoView {
    move || {
        pager.with(Pager::has_newer).then(|| {
            view! {
                <button type="button" class="secondary load-newer" disabled=move || pager.with(Pager::loading) on:click=move |_| newer.run(())>
                    {text::show_newer}
                </button>
            }
        })
    }
}

/// A click asks again after a failure; scrolling alone does not, so that a failing server is not
/// asked in a loop.
#[component]
pub fn OlderButton(
    pager: RwSignal<Pager>,
    failure: RwSignal<Option<ApiError>>,
    older: Callback<()>,
) -> impl IntoView {
    move || {
        pager.with(Pager::has_older).then(|| {
            view! {
                <button
                    type="button"
                    class="secondary load-more"
                    disabled=move || pager.with(Pager::loading)
                    on:click=move |_| {
                        failure.set(None);
                        older.run(());
                    }
                >
                    {move || if pager.with(Pager::loading) { text::loading_more_history() } else { text::load_more_history() }}
                </button>
            }
        })
    }
}

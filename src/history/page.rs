//! The cancellation history page: pages of `GET /api/v1/history` as the seller scrolls, the total,
//! the filters (kind, reason, who cancelled, date range) in the URL, and the server's CSV export.
//! The paging itself is `Pager`'s; this view only asks for what it says and shows what it holds.

use chrono::NaiveDate;
use domain::api::history as names;
use domain::{HistoryEntry, HistoryFilter, HistoryKind, Initiator, Reason};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use wasm_bindgen::{JsCast, JsValue};

use crate::api::{Api, ApiError};
use crate::feedback::{Empty, Failure, Loading};
use crate::format;
use crate::history::pager::{Pager, Request, filter_from_url};
use crate::i18n::text;
use crate::shipments::infinite::load_when_visible;

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct DownloadError(String);

impl From<JsValue> for DownloadError {
    fn from(value: JsValue) -> DownloadError {
        DownloadError(format!("{value:?}"))
    }
}

/// Hands the server's CSV to the browser as a file download.
fn download(contents: &[u8], file_name: &str) -> Result<(), DownloadError> {
    let bytes = js_sys::Uint8Array::from(contents);
    let parts = js_sys::Array::of1(&bytes);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let link: web_sys::HtmlAnchorElement = document().create_element("a")?.unchecked_into();
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    web_sys::Url::revoke_object_url(&url)?;
    Ok(())
}

#[component]
pub fn HistoryPage() -> impl IntoView {
    let api = expect_context::<Api>();
    let query = use_query_map();
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
                    }
                    Err(error) => {
                        failure.set(Some(error));
                        pager.update(|p| p.failed(&request));
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

    let older = {
        let fetch = fetch.clone();
        move || {
            if failure.get_untracked().is_none() {
                fetch(pager.try_update(Pager::older).flatten());
            }
        }
    };
    let newer = {
        let fetch = fetch.clone();
        move || fetch(pager.try_update(Pager::newer).flatten())
    };
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
        older.clone(),
    );

    let location = use_location();
    let navigate = use_navigate();
    let href = move |filter: &HistoryFilter| {
        let query: ParamsMap = filter
            .to_pairs()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        format!(
            "{}{}",
            location.pathname.get_untracked(),
            query.to_query_string()
        )
    };
    let change = {
        let navigate = navigate.clone();
        move |edit: &dyn Fn(&mut HistoryFilter)| {
            let mut next = filter.get_untracked();
            edit(&mut next);
            navigate(
                &href(&next),
                NavigateOptions {
                    scroll: false,
                    ..NavigateOptions::default()
                },
            );
        }
    };

    let chips = std::iter::once(None)
        .chain(HistoryKind::ALL.into_iter().map(Some))
        .map(|option| {
            let link = move || {
                let mut next = filter.get();
                next.kind = option;
                href(&next)
            };
            let label = move || option.map_or_else(text::kind_all, text::history_kind);
            view! {
                <li>
                    <a href=link aria-current=move || (filter.get().kind == option).then_some("page")>
                        {label}
                    </a>
                </li>
            }
        })
        .collect_view();

    let reasons = Reason::ALL
        .into_iter()
        .map(|reason| {
            view! {
                <option value=reason.code() selected=move || filter.get().reason == Some(reason)>
                    {move || text::reason(reason)}
                </option>
            }
        })
        .collect_view();
    let initiators = [Initiator::Seller, Initiator::Carrier]
        .into_iter()
        .map(|initiator| {
            view! {
                <option
                    value=initiator.code()
                    selected=move || filter.get().initiator == Some(initiator)
                >
                    {move || text::initiator(initiator)}
                </option>
            }
        })
        .collect_view();
    let day = |value: String| NaiveDate::parse_from_str(&value, "%Y-%m-%d").ok();
    let shown_day = move |pick: fn(&HistoryFilter) -> Option<NaiveDate>| {
        move || {
            pick(&filter.get())
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default()
        }
    };

    let filters = {
        let on_reason = change.clone();
        let on_initiator = change.clone();
        let on_from = change.clone();
        let on_to = change.clone();
        let on_clear = change.clone();
        view! {
            <form class="filters history-filters" aria-label=text::history_filters on:submit=|event| event.prevent_default()>
                <label>
                    <span>{text::col_reason}</span>
                    <select
                        name=names::REASON
                        on:change=move |event| {
                            let reason = Reason::from_code(&event_target_value(&event));
                            on_reason(&|f| f.reason = reason);
                        }
                    >
                        <option value="" selected=move || filter.get().reason.is_none()>
                            {text::any_reason}
                        </option>
                        {reasons}
                    </select>
                </label>
                <label>
                    <span>{text::col_initiator}</span>
                    <select
                        name=names::INITIATOR
                        on:change=move |event| {
                            let initiator = Initiator::from_code(&event_target_value(&event));
                            on_initiator(&|f| f.initiator = initiator);
                        }
                    >
                        <option value="" selected=move || filter.get().initiator.is_none()>
                            {text::anyone}
                        </option>
                        {initiators}
                    </select>
                </label>
                <label>
                    <span>{text::date_from}</span>
                    <input
                        type="date"
                        name=names::FROM
                        prop:value=shown_day(|f| f.from)
                        on:change=move |event| {
                            let from = day(event_target_value(&event));
                            on_from(&|f| {
                                f.from = from;
                                if f.to.is_some_and(|to| from.is_some_and(|from| from > to)) {
                                    f.to = from;
                                }
                            });
                        }
                    />
                </label>
                <label>
                    <span>{text::date_to}</span>
                    <input
                        type="date"
                        name=names::TO
                        prop:value=shown_day(|f| f.to)
                        on:change=move |event| {
                            let to = day(event_target_value(&event));
                            on_to(&|f| {
                                f.to = to;
                                if f.from.is_some_and(|from| to.is_some_and(|to| from > to)) {
                                    f.from = to;
                                }
                            });
                        }
                    />
                </label>
                <button
                    type="button"
                    class="secondary"
                    disabled=move || filter.get() == HistoryFilter::default()
                    on:click=move |_| on_clear(&|f| *f = HistoryFilter::default())
                >
                    {text::history_clear_filters}
                </button>
            </form>
        }
    };

    let exporting = RwSignal::new(false);
    let export_problem = RwSignal::new(None::<String>);
    let export = move |_| {
        if exporting.get_untracked() {
            return;
        }
        exporting.set(true);
        let api = api.clone();
        let wanted = filter.get_untracked();
        spawn_local(async move {
            let outcome = match api.history_csv(&wanted).await {
                Ok(bytes) => download(&bytes, names::CSV_FILE_NAME).map_err(|error| {
                    leptos::logging::warn!("{error}");
                    text::could_not_export().to_owned()
                }),
                Err(error) => Err(error.message()),
            };
            export_problem.set(outcome.err());
            exporting.set(false);
        });
    };

    let summary = move || {
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
    };

    let newer_button = move || {
        pager.with(Pager::has_newer).then(|| {
            let newer = newer.clone();
            view! {
                <button type="button" class="secondary load-newer" disabled=move || pager.with(Pager::loading) on:click=move |_| newer()>
                    {text::show_newer}
                </button>
            }
        })
    };
    let older_button = {
        let older = older.clone();
        move || {
            pager.with(Pager::has_older).then(|| {
                let older = older.clone();
                view! {
                    // A click asks again after a failure; scrolling alone does not, so that a failing
                    // server is not asked in a loop.
                    <button
                        type="button"
                        class="secondary load-more"
                        disabled=move || pager.with(Pager::loading)
                        on:click=move |_| {
                            failure.set(None);
                            older();
                        }
                    >
                        {move || if pager.with(Pager::loading) { text::loading_more_history() } else { text::load_more_history() }}
                    </button>
                }
            })
        }
    };

    let body = move || {
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
    };

    view! {
        <section class="history-page">
            <div class="page-heading">
                <h1>{text::history_title}</h1>
                <button
                    type="button"
                    class="secondary"
                    disabled=move || exporting.get() || !pager.with(|p| p.total().is_some_and(|t| t > 0))
                    on:click=export
                >
                    {move || if exporting.get() { text::exporting() } else { text::export_csv() }}
                </button>
            </div>
            <nav class="tabs" aria-label=text::kinds_name>
                <ul>{chips}</ul>
            </nav>
            {filters}
            {move || export_problem.get().map(|words| view! { <p class="notice error" role="alert">{words}</p> })}
            {summary}
            {newer_button}
            {body}
            {move || failure.get().filter(|_| pager.with(|p| p.total().is_some())).map(|error| {
                view! { <p class="notice error" role="alert">{error.message()}</p> }
            })}
            {older_button}
            <div class="sentinel" node_ref=sentinel aria-hidden="true"></div>
        </section>
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

//! The cancellation history page: requested, rejected, cancelled by the seller or by the carrier,
//! filterable by kind in the URL, and exported to CSV.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use wasm_bindgen::{JsCast, JsValue};

use crate::api::{Api, ApiError};
use crate::feedback::{Empty, Failure, Loading};
use crate::format;
use crate::history::entries::{Entry, Kind, csv, entries};
use crate::i18n::text;
use crate::shipments::list::fetch_all_matching;

/// The shipments that can carry a cancellation: requests and rejections stay in transit.
async fn load(api: &Api) -> Result<Vec<Entry>, ApiError> {
    let pairs = [
        ("status", "in_transit,cancelled".to_owned()),
        ("sort", "created_at".to_owned()),
        ("order", "desc".to_owned()),
    ];
    let shipments = fetch_all_matching(api, &pairs).await?;
    Ok(entries(&shipments))
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct DownloadError(String);

impl From<JsValue> for DownloadError {
    fn from(value: JsValue) -> DownloadError {
        DownloadError(format!("{value:?}"))
    }
}

/// Hands the CSV to the browser as a file download.
fn download(contents: &str, file_name: &str) -> Result<(), DownloadError> {
    let parts = js_sys::Array::of1(&JsValue::from_str(contents));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/csv;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
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
    let kind =
        Memo::new(move |_| query.with(|q| q.get("kind").as_deref().and_then(Kind::from_code)));
    let history = LocalResource::new(move || {
        let api = api.clone();
        async move { load(&api).await }
    });
    let export_problem = RwSignal::new(None::<String>);

    let shown = move || {
        history.get().map(|answer| {
            answer.map(|all| {
                let wanted = kind.get();
                all.into_iter()
                    .filter(|entry| wanted.is_none_or(|k| entry.kind == k))
                    .collect::<Vec<_>>()
            })
        })
    };

    let chips = std::iter::once(None)
        .chain(Kind::ALL.into_iter().map(Some))
        .map(|option| {
            let href = match option {
                Some(k) => format!("?kind={}", k.code()),
                None => "?".to_owned(),
            };
            let label = option.map_or_else(text::kind_all, text::history_kind);
            view! {
                <li>
                    <a href=href aria-current=move || (kind.get() == option).then_some("page")>
                        {label}
                    </a>
                </li>
            }
        })
        .collect_view();

    let export = move |_| {
        let Some(Ok(rows)) = shown() else {
            return;
        };
        match download(&csv(&rows), "cancellations.csv") {
            Ok(()) => export_problem.set(None),
            Err(error) => {
                leptos::logging::warn!("{error}");
                export_problem.set(Some(text::could_not_export().to_owned()));
            }
        }
    };

    let body = move || match shown() {
        None => view! { <Loading message=text::loading_history /> }.into_any(),
        Some(Err(error)) => view! {
            <Failure
                title=text::could_not_load_history
                error
                retry=Callback::new(move |()| history.refetch())
            />
        }
        .into_any(),
        Some(Ok(rows)) if rows.is_empty() => {
            view! { <Empty message=text::no_history /> }.into_any()
        }
        Some(Ok(rows)) => {
            let lines = rows.into_iter().map(history_row).collect_view();
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
                        <tbody>{lines}</tbody>
                    </table>
                </div>
            }
            .into_any()
        }
    };

    view! {
        <section class="history-page">
            <div class="page-heading">
                <h1>{text::history_title}</h1>
                <button
                    type="button"
                    class="secondary"
                    disabled=move || !matches!(shown(), Some(Ok(ref rows)) if !rows.is_empty())
                    on:click=export
                >
                    {text::export_csv}
                </button>
            </div>
            <nav class="tabs" aria-label=text::kinds_name>
                <ul>{chips}</ul>
            </nav>
            {move || export_problem.get().map(|words| view! { <p class="notice error" role="alert">{words}</p> })}
            {body}
        </section>
    }
}

fn history_row(entry: Entry) -> impl IntoView {
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

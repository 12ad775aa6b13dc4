//! The history's CSV export: the server writes the file for the filter shown, the browser saves it.

use domain::HistoryFilter;
use domain::api::history as names;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};

use crate::api::Api;
use crate::i18n::text;

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

/// The export button, and why an export failed.
#[component]
pub fn ExportButton(
    filter: Memo<HistoryFilter>,
    /// Whether there is anything to export.
    #[prop(into)]
    any: Signal<bool>,
    /// Where a failure is said.
    problem: RwSignal<Option<String>>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let exporting = RwSignal::new(false);
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
            problem.set(outcome.err());
            exporting.set(false);
        });
    };
    view! {
        <button
            type="button"
            class="secondary"
            disabled=move || exporting.get() || !any.get()
            on:click=export
        >
            {move || if exporting.get() { text::exporting() } else { text::export_csv() }}
        </button>
    }
}

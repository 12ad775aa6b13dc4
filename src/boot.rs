//! What index.html's start-up script (`boot.js`) began before the wasm arrived: the boot's requests
//! (`/config`, read from the page where the server wrote it, or asked for; the demo sign-in, the
//! first page of the list or the history, the list's tab counts) and the portal's first messages,
//! handed over in `window.__appBoot`.
//!
//! The hand-over is read once and deleted from the window at the first use, so the session it
//! carries stays with the app only, as a session the app asks for itself does. Each promise is used
//! at most once. Anything absent, failed or refused counts as not handed over: the caller then
//! makes the request itself, so the app works the same without the script.

use std::cell::RefCell;

use js_sys::{Array, Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The window property `boot.js` defines.
const PROPERTY: &str = "__appBoot";

#[derive(Default)]
struct Handover {
    config: Option<Promise>,
    session: Option<Promise>,
    /// Prefetched GETs by their absolute URL: each a promise of the body's text, or of null when
    /// the server did not say yes.
    gets: Vec<(String, Promise)>,
    messages: Vec<web_sys::MessageEvent>,
    stop_keeping: Option<Function>,
}

thread_local! {
    static HANDOVER: RefCell<Option<Handover>> = const { RefCell::new(None) };
}

fn field(value: &JsValue, name: &str) -> JsValue {
    Reflect::get(value, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// Reads `window.__appBoot` and deletes it; an absent or malformed hand-over reads as empty.
fn take_from_window() -> Handover {
    let Some(window) = web_sys::window() else {
        return Handover::default();
    };
    let handed = field(&window, PROPERTY);
    if handed.is_undefined() {
        return Handover::default();
    }
    if let Err(error) = Reflect::delete_property(&window, &JsValue::from_str(PROPERTY)) {
        leptos::logging::warn!("could not remove the start-up hand-over: {error:?}");
    }
    let promise = |name: &str| field(&handed, name).dyn_into::<Promise>().ok();
    let gets = field(&handed, "gets")
        .dyn_into::<Array>()
        .map(|gets| {
            gets.iter()
                .filter_map(|get| {
                    let url = field(&get, "url").as_string()?;
                    let body = field(&get, "body").dyn_into::<Promise>().ok()?;
                    Some((url, body))
                })
                .collect()
        })
        .unwrap_or_default();
    let messages = field(&handed, "messages")
        .dyn_into::<Array>()
        .map(|messages| {
            messages
                .iter()
                .filter_map(|message| message.dyn_into::<web_sys::MessageEvent>().ok())
                .collect()
        })
        .unwrap_or_default();
    Handover {
        config: promise("config"),
        session: promise("session"),
        gets,
        messages,
        stop_keeping: field(&handed, "stopKeeping").dyn_into::<Function>().ok(),
    }
}

/// Runs `pick` on the hand-over, reading it from the window the first time.
fn with_handover<T>(pick: impl FnOnce(&mut Handover) -> T) -> T {
    HANDOVER.with(|cell| {
        let mut cell = cell.borrow_mut();
        pick(cell.get_or_insert_with(take_from_window))
    })
}

/// Awaits a handed-over promise; a rejection is logged and reads as nothing handed over.
async fn settle(promise: Promise, what: &str) -> Option<JsValue> {
    match JsFuture::from(promise).await {
        Ok(value) if value.is_null() || value.is_undefined() => None,
        Ok(value) => Some(value),
        Err(error) => {
            leptos::logging::warn!("the start-up {what} failed, the app asks itself: {error:?}");
            None
        }
    }
}

/// An answer the script received and read: its status and its body's text.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub status: u16,
    pub ok: bool,
    pub body: String,
}

/// The script's `{ ok, status, body }`; anything else reads as nothing handed over.
fn answer(value: &JsValue) -> Option<Answer> {
    let status = field(value, "status").as_f64()?;
    let ok = field(value, "ok").as_bool()?;
    let body = field(value, "body").as_string()?;
    // An HTTP status is a whole number from 100 to 599.
    let status = (100.0..600.0).contains(&status).then_some(status as u16)?;
    Some(Answer { status, ok, body })
}

/// The answer to `GET /config` that the script read from the page or asked for.
pub async fn config() -> Option<Answer> {
    let promise = with_handover(|handover| handover.config.take())?;
    answer(&settle(promise, "configuration").await?)
}

/// The answer to the demo sign-in the script made, if it signed in as `seller_id`.
pub async fn session(seller_id: &str) -> Option<Answer> {
    let promise = with_handover(|handover| handover.session.take())?;
    let handed = settle(promise, "sign-in").await?;
    if field(&handed, "sellerId").as_string().as_deref() != Some(seller_id) {
        return None;
    }
    answer(&field(&handed, "answer"))
}

/// The longest the page waits for the script's first answer before rendering without it.
const FIRST_ANSWER_WAIT_MS: i32 = 1_000;

/// Resolves once the script's first GET (the opening page's first page) is answered or has failed,
/// without taking it; at once when the script asked for none, and after at most a second: a slow
/// server then sees the page render while its rows are still on the way, as without the script.
pub async fn first_answer_in() {
    let Some(first) = with_handover(|handover| handover.gets.first().map(|(_, body)| body.clone()))
    else {
        return;
    };
    let window = leptos::prelude::window();
    let timer = Promise::new(&mut |resolve, _reject| {
        if let Err(error) = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, FIRST_ANSWER_WAIT_MS)
        {
            leptos::logging::warn!("could not time the wait for the first answer: {error:?}");
            // Without a timer, the wait ends with the answer alone.
        }
    });
    // A failed answer ends the wait as well: the page takes it and reports it (`prefetched`).
    let settled = Promise::all_settled(&Array::of1(&first));
    if let Err(error) = JsFuture::from(Promise::race(&Array::of2(&settled, &timer))).await {
        leptos::logging::warn!("the wait for the first answer failed: {error:?}");
    }
}

/// The id of index.html's spinner, shown from the first paint until the app mounts.
pub const WAITING_ID: &str = "boot-waiting";

/// Removes index.html's spinner: the app shows its own states from now on.
pub fn remove_waiting() {
    if let Some(waiting) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id(WAITING_ID))
    {
        waiting.remove();
    }
}

/// The portal's messages that came before the app listened, in order; the script stops keeping
/// them, since the app's own listener takes over.
pub fn early_messages() -> Vec<web_sys::MessageEvent> {
    with_handover(|handover| {
        if let Some(stop) = handover.stop_keeping.take()
            && let Err(error) = stop.call0(&JsValue::NULL)
        {
            leptos::logging::warn!("could not stop the start-up message buffer: {error:?}");
        }
        std::mem::take(&mut handover.messages)
    })
}

/// True while some prefetched GET is still unclaimed, so that later requests skip the lookup.
pub fn has_prefetched() -> bool {
    with_handover(|handover| !handover.gets.is_empty())
}

/// The body of the script's answer to a GET of `url` (absolute), if it asked for it and the server
/// said yes; a refusal (an expired token, say) is left to the app's own request and its renewal.
/// The script read the body as it came, so an answer already in is read here without a task of
/// its own: the first rows render in the same task as the page around them.
pub async fn prefetched(url: &str) -> Option<String> {
    let promise = with_handover(|handover| {
        let at = handover.gets.iter().position(|(get, _)| get == url)?;
        Some(handover.gets.remove(at).1)
    })?;
    settle(promise, "request").await?.as_string()
}

#[cfg(test)]
mod tests {
    //! `boot.js` mirrors names the app takes from crates/domain; these fail when they drift apart.

    use domain::api::{BASE, path};

    use crate::shipments::list::page_query;
    use crate::shipments::query::ShipmentFilter;

    const SCRIPT: &str = include_str!("../boot.js");

    fn query_string(pairs: &[(&str, String)]) -> String {
        pairs
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("&")
    }

    #[test]
    fn the_script_asks_for_the_lists_first_page_as_the_app_does() {
        let query = page_query(&ShipmentFilter::default(), None).to_pairs();
        let first_page = format!(
            "const FIRST_PAGE = API + '{}?{}';",
            path::SHIPMENTS,
            query_string(&query)
        );
        assert!(SCRIPT.contains(&first_page), "boot.js lacks {first_page}");
    }

    #[test]
    fn the_script_reads_the_config_where_the_server_writes_it() {
        let id = format!(
            "const CONFIG_ELEMENT_ID = '{}';",
            domain::api::CONFIG_ELEMENT_ID
        );
        assert!(SCRIPT.contains(&id), "boot.js lacks {id}");
    }

    #[test]
    fn the_script_asks_for_the_tab_counts_as_the_app_does() {
        let query = ShipmentFilter::default().to_counts_query().to_pairs();
        assert!(
            query.is_empty(),
            "the default counts have a query: {query:?}"
        );
        let counts = format!("const COUNTS = API + '{}';", path::SHIPMENT_COUNTS);
        assert!(SCRIPT.contains(&counts), "boot.js lacks {counts}");
    }

    #[test]
    fn the_script_asks_for_the_historys_first_page_as_the_app_does() {
        let request = crate::history::pager::Pager::new(domain::HistoryFilter::default())
            .start()
            .expect("a new pager asks for its first page");
        let history = format!(
            "const HISTORY_PAGE = API + '{}?{}';",
            path::HISTORY,
            query_string(&request.query.to_pairs())
        );
        assert!(SCRIPT.contains(&history), "boot.js lacks {history}");
        assert!(SCRIPT.contains("'/history': [HISTORY_PAGE]"));
    }

    #[test]
    fn the_script_uses_the_apis_base_and_the_configs_names() {
        assert!(SCRIPT.contains(&format!("const API = '{BASE}';")));
        assert!(SCRIPT.contains(&format!("fetch(API + '{}')", path::CONFIG)));
        assert!(SCRIPT.contains(&format!("fetch(API + '{}'", path::DEV_SESSION)));
        // The fields of domain::wire::AppConfig and DevSessionRequest the script reads and writes.
        let config = serde_json::to_value(domain::wire::AppConfig {
            demo: true,
            demo_seller_id: Some("s".to_owned()),
            portal_origins: Vec::new(),
        })
        .expect("the config serializes");
        for name in ["demo", "demo_seller_id", "portal_origins"] {
            assert!(config.get(name).is_some(), "AppConfig has no {name}");
            assert!(
                SCRIPT.contains(&format!("c.{name}")),
                "boot.js lacks c.{name}"
            );
        }
        let request = serde_json::to_value(domain::wire::DevSessionRequest {
            seller_id: "s".to_owned(),
        })
        .expect("the request serializes");
        assert!(request.get("seller_id").is_some());
        assert!(SCRIPT.contains("seller_id: sellerId"));
    }

    #[test]
    fn the_scripts_ready_is_the_protocols() {
        let ready = format!(
            "{{ v: {}, type: 'ready', payload: {{}} }}",
            crate::embed::protocol::VERSION
        );
        assert!(SCRIPT.contains(&ready), "boot.js lacks {ready}");
    }
}

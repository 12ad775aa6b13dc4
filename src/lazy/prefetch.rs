//! Fetching every part's module once the first rows are on the screen: the list's extras at once,
//! then the others one at a time, each when the browser is idle, so that opening a dialog later
//! shows it in the same frame and the fetches never compete with the list's own first load.

use std::cell::Cell;

use js_sys::{Function, Promise, Reflect};
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::lazy::parts::{CANCEL, HISTORY, LIST_EXTRAS, PREFETCH_ORDER};

/// The longest wait for an idle moment before a module is fetched anyway.
const IDLE_TIMEOUT_MS: u32 = 2_000;

thread_local! {
    static STARTED: Cell<bool> = const { Cell::new(false) };
}

/// Starts the prefetch, once per page load: call it when the first rows (or the page's first
/// state: empty, failed) are shown. Later calls do nothing.
pub fn after_first_rows() {
    if STARTED.with(|started| started.replace(true)) {
        return;
    }
    spawn_local(async {
        crate::paint::after_next_paint().await;
        // The list's extras are on the screen as placeholders: asked for at the first idle moment,
        // before the other modules. Not sooner: the frame that paints the first rows can come a
        // frame after the list's state says they are in (the bench saw the extras' chunks fetched
        // 12 ms before the rows were painted), and the first load is what comes before them.
        idle().await;
        // The first fetches their module; the others only bind to it.
        for part in LIST_EXTRAS {
            part.ensure().await;
        }
        for part in PREFETCH_ORDER {
            idle().await;
            part.ensure().await;
            if std::ptr::eq(part, &CANCEL) && CANCEL.is_loaded() {
                crate::cancel::rehearsal::module_in();
            }
        }
    });
}

/// Starts fetching the module of the page the app opens on, when that page is a lazily loaded part
/// (the history): its first rows need it, so it does not wait for the sign-in.
pub fn for_the_first_page() {
    let path = leptos::prelude::window()
        .location()
        .pathname()
        .unwrap_or_default();
    if crate::url::Page::at(&path) == crate::url::Page::History {
        HISTORY.load();
    }
}

/// Resolves at the browser's next idle moment (`requestIdleCallback`, with a deadline), or after a
/// zero timeout where the browser has no idle callbacks (Safari).
pub(crate) async fn idle() {
    let window = leptos::prelude::window();
    let promise = Promise::new(&mut |resolve: Function, _reject| {
        let idle = Reflect::get(&window, &JsValue::from_str("requestIdleCallback"))
            .ok()
            .and_then(|f| f.dyn_into::<Function>().ok());
        let scheduled = match idle {
            Some(request_idle) => {
                let options = js_sys::Object::new();
                let set = Reflect::set(
                    &options,
                    &JsValue::from_str("timeout"),
                    &JsValue::from(IDLE_TIMEOUT_MS),
                );
                set.is_ok() && request_idle.call2(&window, &resolve, &options).is_ok()
            }
            None => false,
        };
        if !scheduled
            && window
                .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0)
                .is_err()
        {
            // No timer either: go on at once rather than never.
            let _ = resolve.call0(&JsValue::UNDEFINED);
        }
    });
    // The promise only resolves; an error here would only mean going on sooner.
    let _ = JsFuture::from(promise).await;
}

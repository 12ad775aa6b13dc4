//! Incremental loading: the next page is fetched when the end of the list scrolls into view, so a
//! seller with tens of thousands of shipments scrolls on without a click (the button stays for
//! keyboards and for browsers without IntersectionObserver).

use leptos::html;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use web_sys::{IntersectionObserver, IntersectionObserverEntry};

/// Calls `on_visible` whenever `sentinel` is in view after `rows` changed. The observer is made
/// again after each change, because its first report tells whether the end is still in view.
pub fn load_when_visible(
    sentinel: NodeRef<html::Div>,
    rows: impl Fn() -> usize + 'static,
    on_visible: impl Fn() + Clone + 'static,
) {
    Effect::new(move |_| {
        rows();
        let Some(element) = sentinel.get() else {
            return;
        };
        let on_visible = on_visible.clone();
        let callback = Closure::<dyn Fn(js_sys::Array)>::new(move |entries: js_sys::Array| {
            let visible = entries.iter().any(|entry| {
                entry
                    .dyn_into::<IntersectionObserverEntry>()
                    .is_ok_and(|entry| entry.is_intersecting())
            });
            if visible {
                on_visible();
            }
        });
        match IntersectionObserver::new(callback.as_ref().unchecked_ref()) {
            Ok(observer) => {
                observer.observe(&element);
                let held = SendWrapper::new((observer, callback));
                on_cleanup(move || {
                    let (observer, _callback) = held.take();
                    observer.disconnect();
                });
            }
            Err(error) => {
                leptos::logging::warn!("scrolling will not load more by itself: {error:?}");
            }
        }
    });
}

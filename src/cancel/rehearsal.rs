//! The cancellation dialog, opened once where nobody sees it, so that the seller's first opening
//! is as quick as the next.
//!
//! The browser compiles each wasm function the first time it is called (V8's lazy compilation, on
//! by default; a page cannot ask for a module to be compiled ahead). With its module prefetched,
//! the dialog's first opening still ran its code for the first time: building it took about 12 ms
//! against 4 the second time, and the dialog missed the click's frame. Measured with
//! `--js-flags=--no-wasm-lazy-compilation`: 3.6 ms, as the second time.
//!
//! So once the dialog's module is in and the browser is idle, the dialog for a row of the list is
//! built, away from the document, under an owner that is cleaned up at once. Nothing is shown,
//! nothing is asked of the server, the focus is not touched: the parts that reach outside the
//! dialog ask [`rehearsing`] first.

use domain::Shipment;
use leptos::prelude::*;
use leptos::tachys::view::Render;

use crate::lazy::parts::{self, CancelOpen};
use crate::lazy::state::now;

/// Provided to the rehearsed dialog's owner.
#[derive(Clone, Copy, Debug)]
struct Rehearsal;

/// True while the dialog is being rehearsed: it then asks nothing of the server and leaves the
/// focus where it is.
pub fn rehearsing() -> bool {
    use_context::<Rehearsal>().is_some()
}

thread_local! {
    /// What the list page offers to rehearse, until the prefetch has brought the dialog's module.
    static OFFERED: std::cell::RefCell<Option<Box<dyn FnOnce()>>> = const { std::cell::RefCell::new(None) };
}

/// The list page offers a rehearsal (calling [`once`] with a row of its own), run when the prefetch
/// has brought the dialog's module ([`module_in`]); a later offer replaces an earlier one.
pub fn offer(rehearse: impl FnOnce() + 'static) {
    OFFERED.with(|offered| *offered.borrow_mut() = Some(Box::new(rehearse)));
}

/// Called by the prefetch once the dialog's module is in: never fetched for the rehearsal, which
/// would put it on the wire beside the first rows.
pub fn module_in() {
    if let Some(rehearse) = OFFERED.with(|offered| offered.borrow_mut().take()) {
        rehearse();
    }
}

/// Once per page load, with the dialog's module in: waits for an idle moment, then builds the
/// dialog for `shipment` under a child of `page` (the list page's owner, whose context it reads)
/// and throws it away. A dialog the seller opened meanwhile has done the compiling already, and the
/// rehearsal costs only its build.
pub fn once(page: &Owner, shipment: Shipment) {
    thread_local! {
        static DONE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    if DONE.with(|done| done.replace(true)) {
        return;
    }
    let parent = page.clone();
    leptos::task::spawn_local(async move {
        crate::lazy::prefetch::idle().await;
        let owner = parent.child();
        owner.with(|| {
            // The page is gone (the seller went elsewhere meanwhile): nothing to rehearse for.
            if use_context::<crate::api::Api>().is_none() {
                return;
            }
            provide_context(Rehearsal);
            let open = CancelOpen {
                shipment,
                preset: None,
                on_close: Callback::new(|()| ()),
                on_shipment: Callback::new(|_| ()),
                on_done: Callback::new(|_| ()),
                on_split: Callback::new(|_| ()),
            };
            // Through the same split function as the seller's click: its first call has a cost
            // of its own (measured: a rehearsal through a function of its own in the same module
            // left the first opening's build at 10–14 ms; through this one, about 5). The module is
            // in, so the view is ready at the first poll.
            if let Some(Ok(view)) = now(parts::cancel_dialog(open)) {
                // Built, never mounted: its elements go with the owner.
                drop(view.build());
            }
        });
        owner.cleanup();
        mark(REHEARSED);
    });
}

/// The User Timing mark set once the dialog has been rehearsed: a profile shows when it ran, and
/// the e2e tests wait for it.
pub const REHEARSED: &str = "app: cancellation dialog rehearsed";

fn mark(name: &str) {
    use js_sys::{Function, Reflect};
    use wasm_bindgen::{JsCast, JsValue};
    let performance = Reflect::get(&window(), &JsValue::from_str("performance"));
    let marked = performance.and_then(|performance| {
        let mark =
            Reflect::get(&performance, &JsValue::from_str("mark"))?.dyn_into::<Function>()?;
        mark.call1(&performance, &JsValue::from_str(name))
    });
    if let Err(error) = marked {
        leptos::logging::warn!("could not mark {name:?}: {error:?}");
    }
}

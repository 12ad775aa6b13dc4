//! Showing a lazily loaded part: at once when its module is loaded, or else a short wait and,
//! should every attempt fail, the failure in the seller's language with a way to try again.

use std::future::Future;

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

use crate::i18n::text;
use crate::lazy::state::{LoadFailed, Part, Status, now};
use crate::modal::Modal;
use crate::modal::focus::Opener;

/// What a part's view is, given whether its module is there: the part itself, or a state around it.
enum Shown {
    Part(AnyView),
    Waiting,
    Failed,
}

/// Reads the part's status (tracked) and renders it when loaded. `render` is the split function:
/// with the module loaded, its future is ready on the first poll, so the part shows in this frame.
fn shown<Fut>(part: &'static Part, render: &impl Fn() -> Fut) -> Shown
where
    Fut: Future<Output = Result<AnyView, LoadFailed>>,
{
    match part.status() {
        Status::Loaded => match now(render()) {
            Some(Ok(view)) => Shown::Part(view),
            // Loaded means the loader's cell is set, so this does not happen; if it did, the
            // seller gets the failure and a way to try again rather than an empty place.
            Some(Err(LoadFailed)) | None => Shown::Failed,
        },
        Status::Failed => Shown::Failed,
        Status::Idle | Status::Loading { .. } => Shown::Waiting,
    }
}

/// A dialog from a lazily loaded module, opened over the list. While its module arrives (only when
/// it was not prefetched) a dialog-shaped wait shows; after failed attempts, a dialog that says so,
/// with Try again and Close. The focus goes back to the element that opened it either way.
#[component]
pub fn LazyDialog<F, Fut>(part: &'static Part, on_close: Callback<()>, render: F) -> impl IntoView
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<AnyView, LoadFailed>> + 'static,
{
    // The opener, as the dialog would have seen it had it opened at once: the page behind turns
    // inert meanwhile, which takes the focus away from it.
    let opener = document()
        .active_element()
        .and_then(|element| element.dyn_into::<HtmlElement>().ok());
    provide_context(Opener(SendWrapper::new(opener)));
    part.load();
    let retry = Callback::new(move |()| part.load());
    move || {
        match shown(part, &render) {
        Shown::Part(view) => view,
        Shown::Waiting => view! {
            <div class="backdrop"></div>
            <div class="dialog part-waiting" role="dialog" aria-modal="true" aria-busy="true" aria-label=text::part_loading>
                <div class="state loading">
                    <span class="spinner" aria-hidden="true"></span>
                    <span>{text::part_loading}</span>
                </div>
            </div>
        }
        .into_any(),
        Shown::Failed => view! { <FailedDialog on_close retry /> }.into_any(),
    }
    }
}

#[component]
fn FailedDialog(on_close: Callback<()>, retry: Callback<()>) -> impl IntoView {
    let footer = move || {
        view! {
            <button type="button" class="secondary" on:click=move |_| on_close.run(())>
                {text::close}
            </button>
            <button type="button" class="primary" on:click=move |_| retry.run(())>
                {text::try_again}
            </button>
        }
    };
    view! {
        <Modal
            title_id="part-failed-title"
            title=text::part_failed
            busy=false
            on_close
            described_by=Some("part-failed-detail")
            footer
        >
            <p id="part-failed-detail" class="part-failed" role="alert">
                {text::part_failed_detail}
            </p>
        </Modal>
    }
}

/// A part shown in the page (the list's extras, the follow-ups, the history page). `waiting` is what
/// stands in its place until the module is there: a loading state, or an empty box of the part's
/// size so that nothing moves when it arrives. `eager` parts ask for their module when they mount;
/// the others wait for the prefetch after the first rows ([`crate::lazy::prefetch`]).
#[component]
pub fn LazyInline<F, Fut>(
    part: &'static Part,
    render: F,
    #[prop(into)] waiting: ViewFn,
    #[prop(default = true)] eager: bool,
) -> impl IntoView
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<AnyView, LoadFailed>> + 'static,
{
    if eager {
        part.load();
    }
    move || match shown(part, &render) {
        Shown::Part(view) => view,
        Shown::Waiting => waiting.run(),
        Shown::Failed => view! {
            <div class="state failure part-failed" role="alert">
                <p class="title">{text::part_failed}</p>
                <p>{text::part_failed_detail}</p>
                <button type="button" on:click=move |_| crate::lazy::parts::retry(part)>
                    {text::try_again}
                </button>
            </div>
        }
        .into_any(),
    }
}

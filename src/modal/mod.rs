//! The modal dialog every flow opens in: the backdrop, `role="dialog"` with its name, the header
//! with the close button, Escape, the focus held inside and given back on close.
//!
//! A dialog that is working (`busy`) cannot be closed, so the seller never loses sight of an answer
//! that is still coming.

pub mod focus;
pub mod header;
pub mod inert;

use leptos::ev;
use leptos::prelude::*;

use header::DialogHeader;

#[component]
pub fn Modal(
    /// The id of the title, which names the dialog.
    title_id: &'static str,
    title: fn() -> &'static str,
    #[prop(into)] busy: Signal<bool>,
    /// Escape, the close button, or a click on the backdrop, unless busy.
    on_close: Callback<()>,
    /// The shipment the dialog is about, whose row takes the focus back after it (see
    /// [`focus::restore_on_close`]).
    #[prop(optional)]
    about: Option<String>,
    /// The id of what describes the dialog, when something does.
    #[prop(optional, into)]
    described_by: Signal<Option<&'static str>>,
    /// The buttons at the bottom.
    #[prop(into)]
    footer: ViewFn,
    children: Children,
) -> impl IntoView {
    focus::restore_on_close(about);
    let dialog_ref = NodeRef::<leptos::html::Div>::new();
    focus::hold_focus_in(dialog_ref);
    let close = move || {
        if !busy.get_untracked() {
            on_close.run(());
        }
    };
    let keydown = window_event_listener(ev::keydown, move |event| {
        if event.key() == "Escape" {
            close();
        }
    });
    on_cleanup(move || keydown.remove());
    view! {
        <div class="backdrop" on:click=move |_| close()></div>
        <div
            class="dialog"
            role="dialog"
            aria-modal="true"
            aria-labelledby=title_id
            aria-describedby=move || described_by.get()
            tabindex="-1"
            node_ref=dialog_ref
        >
            <DialogHeader title_id title busy on_close=Callback::new(move |()| close()) />
            <div class="dialog-body">{children()}</div>
            <footer class="dialog-footer">{footer.run()}</footer>
        </div>
    }
}

//! What every dialog's header holds: its title and the close button.

use leptos::prelude::*;

use crate::i18n::text;

/// The header of a modal dialog. The close button is disabled while the dialog's request is in
/// flight, so the seller never loses sight of an answer that is still coming.
#[component]
pub fn DialogHeader(
    /// The id the dialog's `aria-labelledby` names.
    title_id: &'static str,
    title: fn() -> &'static str,
    #[prop(into)] busy: Signal<bool>,
    on_close: Callback<()>,
) -> impl IntoView {
    view! {
        <header class="dialog-header">
            <h2 id=title_id>{title}</h2>
            <button
                type="button"
                class="icon"
                aria-label=text::close
                disabled=busy
                on:click=move |_| on_close.run(())
            >
                "×"
            </button>
        </header>
    }
}

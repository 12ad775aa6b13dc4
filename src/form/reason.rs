//! One reason of a reason picker, as the single and the bulk cancellation dialogs offer it.

use domain::Reason;
use leptos::prelude::*;

use crate::i18n::text;

/// A radio button for `option`, in the seed's words, checked while it is the `selected` reason.
#[component]
pub fn ReasonRadio(
    option: Reason,
    /// The radio group's `name`, one per dialog.
    group: &'static str,
    #[prop(into)] selected: Signal<Option<Reason>>,
    on_choose: Callback<Reason>,
    #[prop(optional, into)] disabled: Signal<bool>,
) -> impl IntoView {
    view! {
        <label class="reason">
            <input
                type="radio"
                name=group
                value=option.code()
                prop:checked=move || selected.get() == Some(option)
                on:change=move |_| on_choose.run(option)
                disabled=disabled
            />
            // A closure, so the label follows a live switch of language: a component's body runs once.
            <span>{move || text::reason(option)}</span>
        </label>
    }
}

//! The designed states around content: loading, empty and failed.

use leptos::prelude::*;

use crate::api::ApiError;
use crate::i18n::text;

#[component]
pub fn Loading(#[prop(into)] message: TextProp) -> impl IntoView {
    view! {
        <div class="state loading" role="status">
            <span class="spinner" aria-hidden="true"></span>
            <span>{move || message.get()}</span>
        </div>
    }
}

#[component]
pub fn Empty(
    #[prop(into)] message: TextProp,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <div class="state empty" role="status">
            <p>{move || message.get()}</p>
            {children.map(|children| children())}
        </div>
    }
}

/// A failure with the server's words and a way to try again.
#[component]
pub fn Failure(
    #[prop(into)] title: TextProp,
    error: ApiError,
    retry: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="state failure" role="alert">
            <p class="title">{move || title.get()}</p>
            <p>{move || error.message()}</p>
            <button type="button" on:click=move |_| retry.run(())>
                {text::try_again}
            </button>
        </div>
    }
}

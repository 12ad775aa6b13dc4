//! The designed states around content: loading, empty and failed.

use leptos::prelude::*;

use crate::api::ApiError;
use crate::text;

#[component]
pub fn Loading(message: &'static str) -> impl IntoView {
    view! {
        <div class="state loading" role="status">
            <span class="spinner" aria-hidden="true"></span>
            <span>{message}</span>
        </div>
    }
}

#[component]
pub fn Empty(message: &'static str, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    view! {
        <div class="state empty" role="status">
            <p>{message}</p>
            {children.map(|children| children())}
        </div>
    }
}

/// A failure with the server's words and a way to try again.
#[component]
pub fn Failure(title: &'static str, error: ApiError, retry: Callback<()>) -> impl IntoView {
    view! {
        <div class="state failure" role="alert">
            <p class="title">{title}</p>
            <p>{error.message()}</p>
            <button type="button" on:click=move |_| retry.run(())>
                {text::TRY_AGAIN}
            </button>
        </div>
    }
}

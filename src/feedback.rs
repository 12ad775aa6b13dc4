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

/// The page's one polite live region. Confirmations and status changes (a cancellation, a provider's
/// later answer, a split) are spoken through it; errors are not: they appear where they happen, in
/// `role="alert"` elements, which are assertive. It sits outside the part of the page that turns
/// inert behind a dialog, so that an answer arriving then is still spoken.
#[derive(Clone, Copy, Debug)]
pub struct Announcer(RwSignal<String>);

impl Announcer {
    /// Makes the region's text available to the components below.
    pub fn provide() -> Self {
        let announcer = Self(RwSignal::new(String::new()));
        provide_context(announcer);
        announcer
    }

    /// Speaks `words` politely. The same words twice in a row are spoken twice: the region's text
    /// must change for a screen reader to speak it, so the repeat gets a no-break space.
    pub fn status(self, words: impl Into<String>) {
        let words = words.into();
        self.0.update(|current| {
            *current = if *current == words {
                format!("{words}\u{a0}")
            } else {
                words
            };
        });
    }
}

/// The live region itself: visually hidden, always in the page, so that a change is announced.
#[component]
pub fn LiveRegion(announcer: Announcer) -> impl IntoView {
    view! {
        <div id="status-announcer" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
            {move || announcer.0.get()}
        </div>
    }
}

//! The seller's language: the catalogues in `locales/*.json` (compiled into typed keys by
//! `build.rs`), which locale is active, and the browser's Intl for dates, numbers and plurals.

pub mod choose;
pub mod intl;
pub mod text;

/// The module that `build.rs` generates from `locales/*.json` (it is named `i18n`, hence the wrapper):
/// the `Locale` enum and the typed keys.
pub mod generated {
    include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
}

pub use generated::i18n::Locale;

use std::cell::Cell;

use leptos::prelude::*;
use leptos_i18n::{I18nContext, Locale as _};

thread_local! {
    /// The app's context, for the portal's `locale` message: it arrives in an event listener,
    /// outside any component, where `use_context` finds nothing. The page runs one app.
    static ACTIVE: Cell<Option<I18nContext<Locale>>> = const { Cell::new(None) };
}

/// The active locale, tracked, so that a closure in a view that reads it re-renders when the seller
/// (or the portal) switches language. Without a context (a component mounted alone by a test) the
/// default locale, English, applies.
pub fn current() -> Locale {
    active()
        .map(|context| context.get_locale())
        .unwrap_or_default()
}

/// The context from the component tree, or else the app's (an event handler or a task that
/// resumed after an await may run outside the tree).
fn active() -> Option<I18nContext<Locale>> {
    use_context::<I18nContext<Locale>>().or_else(|| ACTIVE.with(Cell::get))
}

/// Provides the i18n context for the whole app, starting in `initial`, and keeps `<html lang>` in
/// step with it. A subcontext is used because its initial locale is ours to give: the main context
/// would replace it with the browser's languages on its first effect, overriding `?lang=`.
pub fn provide(initial: Locale) -> I18nContext<Locale> {
    let context = leptos_i18n::context::init_i18n_subcontext(Some(Signal::stored(initial)));
    provide_context(context);
    ACTIVE.with(|active| active.set(Some(context)));
    Effect::new(move || {
        let locale = context.get_locale();
        if let Some(root) = document().document_element() {
            // The attribute only helps screen readers and hyphenation; a failure changes no text.
            if root.set_attribute("lang", locale.as_str()).is_err() {
                leptos::logging::warn!("could not set <html lang>");
            }
        }
        // The tab's title is read out too, and shows in the browser's history.
        document().set_title(text::page_title());
    });
    context
}

/// Switches the whole app to `locale` at once, keeping every signal (an open dialog, typed text).
pub fn switch(locale: Locale) {
    match active() {
        Some(context) => context.set_locale(locale),
        None => leptos::logging::warn!("no i18n context to switch to {}", locale.as_str()),
    }
}

/// Switches to the locale a tag from the portal names, or to English for a language we lack.
pub fn switch_to_tag(tag: &str) {
    switch(choose::from_tag(tag).unwrap_or_default());
}

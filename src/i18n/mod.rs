//! The seller's language: the catalogues in `locales/*.json` (compiled into typed keys by
//! `build.rs`, see [`catalogue`]), which locale is active, and dates, numbers and plurals as the
//! browser's Intl writes them (`intl`, `cldr`).

pub mod catalogue;
pub mod choose;
mod cldr;
#[cfg(test)]
mod halves;
pub mod intl;
pub mod text;

pub use catalogue::Locale;

use leptos::prelude::*;
use leptos::task::spawn_local;

/// The locale the page shows, and the one it was asked for: they differ while the asked-for
/// locale's catalogue is on its way (the page keeps its language meanwhile, then switches at once).
#[derive(Clone, Copy, Debug)]
pub struct I18n {
    shown: RwSignal<Locale>,
    wanted: RwSignal<Locale>,
}

thread_local! {
    /// The app's languages, for the portal's `locale` message: it arrives in an event listener,
    /// outside any component, where `use_context` finds nothing. The page runs one app.
    static ACTIVE: std::cell::Cell<Option<I18n>> = const { std::cell::Cell::new(None) };
}

/// The active locale, tracked, so that a closure in a view that reads it re-renders when the seller
/// (or the portal) switches language. Without a context (a component mounted alone by a test) the
/// default locale, English, applies.
pub fn current() -> Locale {
    active().map(|i18n| i18n.shown.get()).unwrap_or_default()
}

/// The context from the component tree, or else the app's (an event handler or a task that
/// resumed after an await may run outside the tree).
fn active() -> Option<I18n> {
    use_context::<I18n>().or_else(|| ACTIVE.with(std::cell::Cell::get))
}

/// Provides the languages for the whole app, asking for `initial`, and keeps `<html lang>` and the
/// tab's title in step with the locale shown. English shows until `initial`'s catalogue is there
/// (see [`settled`]).
pub fn provide(initial: Locale) -> I18n {
    let start = if catalogue::is_held(initial) {
        initial
    } else {
        Locale::default()
    };
    let i18n = I18n {
        shown: RwSignal::new(start),
        wanted: RwSignal::new(start),
    };
    provide_context(i18n);
    ACTIVE.with(|active| active.set(Some(i18n)));
    switch(initial);
    Effect::new(move || {
        let locale = i18n.shown.get();
        if let Some(root) = document().document_element() {
            // The attribute only helps screen readers and hyphenation; a failure changes no text.
            if root.set_attribute("lang", locale.as_str()).is_err() {
                leptos::logging::warn!("could not set <html lang>");
            }
        }
        // The tab's title is read out too, and shows in the browser's history.
        document().set_title(text::page_title());
    });
    i18n
}

/// Whether the page shows the locale it was last asked for (false while its catalogue is on its
/// way), tracked: the app waits for it before its first page, so that no sentence flashes in
/// English first.
pub fn settled() -> bool {
    active().is_none_or(|i18n| i18n.shown.get() == i18n.wanted.get())
}

/// Switches the whole app to `locale`, keeping every signal (an open dialog, typed text): at once
/// when its catalogue is there, else once it has arrived. A catalogue that cannot be fetched leaves
/// the page in the language it shows.
pub fn switch(locale: Locale) {
    let Some(i18n) = active() else {
        leptos::logging::warn!("no i18n context to switch to {}", locale.as_str());
        return;
    };
    i18n.wanted.set(locale);
    if catalogue::is_held(locale) {
        i18n.shown.set(locale);
        return;
    }
    spawn_local(async move {
        let arrived = catalogue::load(locale).await;
        // A later switch wins over this one.
        if i18n.wanted.get_untracked() != locale {
            return;
        }
        if arrived {
            i18n.shown.set(locale);
        } else {
            leptos::logging::warn!(
                "the {} catalogue could not be loaded; the page stays in {}",
                locale.as_str(),
                i18n.shown.get_untracked().as_str()
            );
            i18n.wanted.set(i18n.shown.get_untracked());
        }
    });
}

/// Switches to the locale a tag from the portal names, or to English for a language we lack.
pub fn switch_to_tag(tag: &str) {
    switch(choose::from_tag(tag).unwrap_or_default());
}

//! The list's filter and the URL: read from it, so that Back, Forward and shared links work, and
//! written to it when the seller changes a filter.
//!
//! A search being refined is the exception. Each key narrows the list at once, but writing the URL
//! (`history.replaceState` and the query's parsing after it) costs more than narrowing the rows, and
//! a key's frame should not wait for it; so the URL follows once typing pauses. Anything that changes
//! the URL meanwhile (Back, Forward, a tab) wins over what was typed.

use std::time::Duration;

use leptos::prelude::*;

use crate::shipments::filters::FilterChange;
use crate::shipments::query::ShipmentFilter;
use crate::url::{Entry, Location, Page};

/// How long typing must rest before the URL follows it.
const TYPING_PAUSE: Duration = Duration::from_millis(300);

#[derive(Clone, Copy)]
pub struct FilterLocation {
    /// What the list shows: the search being typed, or else the URL's filter.
    pub filter: Memo<ShipmentFilter>,
    /// The link to a filter, on this page.
    pub href: Callback<ShipmentFilter, String>,
    /// Applies a change the seller made.
    pub change: Callback<FilterChange>,
}

impl FilterLocation {
    /// Needs the URL's context (`crate::url::Location::provide`): call it inside the pages.
    pub fn from_router() -> FilterLocation {
        let location = Location::get();
        let query = location.query(Page::Shipments);
        let from_url =
            Memo::new(move |_| query.with(|q| ShipmentFilter::from_query(|key| q.get(key))));
        let typing = RwSignal::new(None::<ShipmentFilter>);
        // Any new URL supersedes a search typed before it; after our own write the two agree, so
        // the filter does not change.
        Effect::new(move |_| {
            from_url.track();
            typing.set(None);
        });
        let filter = Memo::new(move |_| typing.get().unwrap_or_else(|| from_url.get()));

        let href =
            Callback::new(move |filter: ShipmentFilter| location.href_with(filter.to_query()));
        // No scrolling: the filters sit above the list, so the seller already looks where the new
        // list starts; scrolling to the top would only cost a layout.
        let go = move |filter: ShipmentFilter, entry: Entry| {
            location.navigate(&href.run(filter), entry);
        };
        let pending_write = StoredValue::new(None::<TimeoutHandle>);
        let change = Callback::new(move |change: FilterChange| {
            if let Some(handle) = pending_write.try_update_value(Option::take).flatten() {
                handle.clear();
            }
            if !change.replace {
                // A new history entry, so Back returns to the list before it: written at once.
                typing.set(None);
                go(change.filter, Entry::Push);
                return;
            }
            typing.set(Some(change.filter));
            let write = move || {
                pending_write.try_set_value(None);
                // The page may be gone (the seller went to another page meanwhile; its cleanup
                // clears the timer, this covers a timer already running).
                if let Some(filter) = typing.try_get_untracked().flatten() {
                    go(filter, Entry::Replace);
                }
            };
            match set_timeout_with_handle(write, TYPING_PAUSE) {
                Ok(handle) => pending_write.set_value(Some(handle)),
                Err(error) => {
                    // Without a timer the URL is written at once, which is slower but still right.
                    leptos::logging::warn!("could not wait for typing to pause: {error:?}");
                    write();
                }
            }
        });
        // A search typed just before the seller leaves the page is not written after it: the
        // page's signals are gone by then, and reading one would panic and end the app.
        on_cleanup(move || {
            if let Some(handle) = pending_write.try_update_value(Option::take).flatten() {
                handle.clear();
            }
        });
        FilterLocation {
            filter,
            href,
            change,
        }
    }
}

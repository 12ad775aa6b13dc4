//! The browser's URL as a signal: read from `window.location` at start and after Back or Forward
//! (`popstate`), written with `history.pushState`/`replaceState`, and a plain left click on any of
//! the app's own links (the sections, the tabs) handled without reloading the page.
//!
//! This replaces leptos_router, of which the app used two routes, a link component and the query:
//! its code and the generic view code it instantiated cost the first load tens of KB (BENCHMARKS.md).

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlAnchorElement, MouseEvent};

use crate::url::click::{Click, Link, app_navigates};
use crate::url::page::Page;
use crate::url::query::{Query, to_search};

/// The part of a URL the app reads: its path and its search (`?…`, or empty). The fragment is
/// not the app's; a link to another fragment of the same page keeps the page as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Url {
    pub path: String,
    pub search: String,
}

impl Url {
    /// Splits a link of the app (`/history?kind=full`) into its path and search.
    pub fn parse(href: &str) -> Url {
        let href = href.split_once('#').map_or(href, |(before, _)| before);
        let (path, search) = match href.find('?') {
            Some(at) => href.split_at(at),
            None => (href, ""),
        };
        // A bare `?` is no query at all, as the browser's `location.search` has it.
        let search = if search == "?" { "" } else { search };
        Url {
            path: path.to_owned(),
            search: search.to_owned(),
        }
    }

    pub fn href(&self) -> String {
        format!("{}{}", self.path, self.search)
    }

    /// Where the browser is now.
    fn current() -> Url {
        let location = window().location();
        // The getters throw only for another origin's document, which the app's window never is;
        // an empty path is the list, which is where the app would start anyway.
        Url {
            path: location.pathname().unwrap_or_default(),
            search: location.search().unwrap_or_default(),
        }
    }
}

/// How a navigation writes the browser's history.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A new entry: Back returns to the URL before it.
    Push,
    /// The current entry changes (a search being typed), so Back skips the intermediate states.
    Replace,
}

/// The URL, shared by the pages as a context (`Location::provide` once, `Location::get` below).
#[derive(Clone, Copy)]
pub struct Location {
    url: RwSignal<Url>,
    page: Memo<Page>,
    query: Memo<Query>,
}

impl Location {
    /// Reads the URL, follows Back and Forward, and takes over plain clicks on the app's links,
    /// until the calling owner is cleaned up.
    pub fn provide() -> Location {
        let url = RwSignal::new(Url::current());
        let location = Location {
            url,
            page: Memo::new(move |_| url.with(|url| Page::at(&url.path))),
            query: Memo::new(move |_| url.with(|url| Query::parse(&url.search))),
        };
        provide_context(location);

        let popstate = window_event_listener(ev::popstate, move |_| url.set(Url::current()));
        let click = window_event_listener(ev::click, move |event| location.on_click(&event));
        on_cleanup(move || {
            popstate.remove();
            click.remove();
        });
        location
    }

    /// The location `provide` made: call it below the signed-in view.
    pub fn get() -> Location {
        expect_context::<Location>()
    }

    /// The page the URL shows.
    pub fn page(self) -> Memo<Page> {
        self.page
    }

    /// The URL's query, as `page` sees it: while `page` is shown, the URL's; once the seller
    /// goes to the other page, the last one `page` had. The page being left thus never starts
    /// work on the next page's query (a list fetch for the history's query, whose answer would
    /// arrive after the list and its signals are gone). Call it inside the page, so that the
    /// memo goes with it.
    pub fn query(self, page: Page) -> Memo<Query> {
        let Location {
            page: shown, query, ..
        } = self;
        Memo::new(move |last: Option<&Query>| {
            if shown.get() == page {
                query.get()
            } else {
                last.cloned().unwrap_or_default()
            }
        })
    }

    /// The link to this page with another query.
    pub fn href_with<'a>(self, pairs: impl IntoIterator<Item = (&'a str, String)>) -> String {
        let path = self.url.with_untracked(|url| url.path.clone());
        format!("{path}{}", to_search(pairs))
    }

    /// Goes to `href` (a path of this app, with its query) without reloading the page.
    pub fn navigate(self, href: &str, entry: Entry) {
        let next = Url::parse(href);
        if self.url.with_untracked(|now| *now == next) {
            // The same URL again (a click on the current tab) adds no entry for Back to stop at.
            return;
        }
        let written = window().history().and_then(|history| match entry {
            Entry::Push => history.push_state_with_url(&JsValue::NULL, "", Some(href)),
            Entry::Replace => history.replace_state_with_url(&JsValue::NULL, "", Some(href)),
        });
        if let Err(error) = written {
            // The browser refused (Safari limits how often a page may write its URL). The page
            // still shows what the seller asked for; only the address bar and Back lag behind.
            leptos::logging::warn!("could not write the URL {href}: {error:?}");
        }
        self.url.set(next);
    }

    /// A click anywhere: a plain left click on one of the app's own links becomes a navigation,
    /// scrolled to the top as a new page would be; any other click is left to the browser.
    fn on_click(self, event: &MouseEvent) {
        let Some(anchor) = clicked_link(event) else {
            return;
        };
        let target = anchor.target();
        let rel = anchor.rel();
        // `origin` throws only for another origin's document, which the app's window never is.
        let own_origin = window().location().origin().unwrap_or_default();
        let click = Click {
            button: event.button(),
            modified: event.ctrl_key() || event.meta_key() || event.shift_key() || event.alt_key(),
            default_prevented: event.default_prevented(),
        };
        let link = Link {
            target: &target,
            download: anchor.has_attribute("download"),
            rel: &rel,
            same_origin: anchor.origin() == own_origin,
        };
        if !app_navigates(click, link) {
            return;
        }
        event.prevent_default();
        let href = format!("{}{}", anchor.pathname(), anchor.search());
        self.navigate(&href, Entry::Push);
        window().scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// The link (`<a href>`) the click landed in, if any.
fn clicked_link(event: &MouseEvent) -> Option<HtmlAnchorElement> {
    let element = event.target()?.dyn_into::<Element>().ok()?;
    // `closest` throws only for an invalid selector, and this one is fixed.
    let anchor = element.closest("a[href]").ok()??;
    anchor.dyn_into::<HtmlAnchorElement>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(path: &str, search: &str) -> Url {
        Url {
            path: path.to_owned(),
            search: search.to_owned(),
        }
    }

    #[test]
    fn a_link_splits_into_its_path_and_search() {
        assert_eq!(
            Url::parse("/history?kind=full&from=2026-11-01"),
            url("/history", "?kind=full&from=2026-11-01")
        );
        assert_eq!(Url::parse("/"), url("/", ""));
        assert_eq!(Url::parse("/?"), url("/", ""));
    }

    #[test]
    fn the_fragment_is_not_part_of_the_apps_url() {
        assert_eq!(Url::parse("/?q=a#top"), url("/", "?q=a"));
        assert_eq!(Url::parse("/history#x?y"), url("/history", ""));
    }

    #[test]
    fn a_url_writes_back_as_the_link_it_came_from() {
        for href in ["/", "/history", "/?status=in_transit&q=a%20b"] {
            assert_eq!(Url::parse(href).href(), href);
        }
    }
}

//! The root: start (config and sign-in), then the sections' links and the page the URL shows.

use leptos::prelude::*;

use crate::api::Api;
use crate::feedback::{Announcer, Failure, LiveRegion, Loading};
use crate::i18n::text;
use crate::lazy::LazyInline;
use crate::lazy::parts;
use crate::shipments::page::ShipmentsPage;
use crate::start::{StartError, Started, start};
use crate::url::{Location, Page};

#[component]
pub fn App() -> impl IntoView {
    // Before anything renders, so the first paint is already in the seller's language.
    crate::i18n::provide(crate::i18n::choose::at_start());
    // A page that opens on a lazily loaded part (the history) fetches its module at once, beside
    // the boot's requests, rather than after the sign-in.
    crate::lazy::prefetch::for_the_first_page();
    let announcer = Announcer::provide();
    let started = LocalResource::new(start);
    let retry = Callback::new(move |()| started.refetch());
    let body = move || match started.get() {
        None => view! { <Loading message=text::loading_app /> }.into_any(),
        Some(Ok(Started::SignedIn(api))) => view! { <SignedIn api /> }.into_any(),
        Some(Ok(Started::Embedded(api, bridge))) => {
            provide_context(bridge);
            view! { <SignedIn api /> }.into_any()
        }
        Some(Ok(Started::OpenFromPortal)) => view! { <OpenFromPortal /> }.into_any(),
        Some(Err(StartError::Api(error))) => {
            view! { <Failure title=text::could_not_start error retry /> }.into_any()
        }
        Some(Err(error @ StartError::Portal(_))) => view! {
            <div class="state failure" role="alert">
                <p class="title">{text::could_not_start}</p>
                <p>{error.message()}</p>
            </div>
        }
        .into_any(),
    };
    view! {
        <main class="app">
            {body}
            <LiveRegion announcer />
        </main>
    }
}

#[component]
fn SignedIn(api: Api) -> impl IntoView {
    provide_context(api);
    // The first page waits for the seller's catalogue, so that nothing shows in English first; a
    // later switch of language keeps the page (it changes once the new catalogue is there).
    let ready = Memo::new(move |was: Option<&bool>| {
        was.copied().unwrap_or(false) || crate::i18n::settled()
    });
    let waiting = || view! { <Loading message=text::loading_app /> };
    view! {
        <Show when=move || ready.get() fallback=waiting>
            <Sections />
        </Show>
    }
}

/// The links to the two pages, and the page the URL shows. Plain links: a plain click is the app's
/// (`crate::url`), a ctrl/cmd-click opens the page in a new tab.
#[component]
fn Sections() -> impl IntoView {
    let page = Location::provide().page();
    let link = move |to: Page, name: fn() -> &'static str| {
        view! {
            <a href=to.path() aria-current=move || (page.get() == to).then_some("page")>
                {name}
            </a>
        }
    };
    view! {
        <nav class="sections" aria-label=text::sections>
            {link(Page::Shipments, text::page_title)}
            {link(Page::History, text::history_title)}
        </nav>
        // Only a change of page renders anew: a new query is the page's own to follow.
        {move || match page.get() {
            Page::Shipments => view! { <ShipmentsPage /> }.into_any(),
            Page::History => view! { <History /> }.into_any(),
        }}
    }
}

/// The history page, from its own module: fetched at once when the seller goes there first.
#[component]
fn History() -> impl IntoView {
    let waiting = || view! { <Loading message=text::loading_history /> };
    view! { <LazyInline part=&parts::HISTORY render=parts::history_page waiting /> }
}

#[component]
fn OpenFromPortal() -> impl IntoView {
    view! {
        <div class="state outside" role="status">
            <h1>{text::open_from_portal}</h1>
            <p>{text::open_from_portal_detail}</p>
        </div>
    }
}

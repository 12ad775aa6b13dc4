//! The root: start (config and sign-in), then the routes.

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

use crate::api::Api;
use crate::feedback::{Announcer, Failure, LiveRegion, Loading};
use crate::i18n::text;
use crate::lazy::LazyInline;
use crate::lazy::parts;
use crate::shipments::page::ShipmentsPage;
use crate::start::{StartError, Started, start};

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
        <Router>
            <nav class="sections" aria-label=text::sections>
                <A href="/" exact=true>
                    {text::page_title}
                </A>
                <A href="/history">{text::history_title}</A>
            </nav>
            <Routes fallback=ShipmentsPage>
                <Route path=path!("/") view=ShipmentsPage />
                <Route path=path!("/history") view=History />
            </Routes>
        </Router>
        </Show>
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

//! The root: start (config and sign-in), then the routes.

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

use crate::api::Api;
use crate::feedback::{Announcer, Failure, LiveRegion, Loading};
use crate::history::page::HistoryPage;
use crate::shipments::page::ShipmentsPage;
use crate::start::{StartError, Started, start};
use crate::text;

#[component]
pub fn App() -> impl IntoView {
    let announcer = Announcer::provide();
    let started = LocalResource::new(start);
    let retry = Callback::new(move |()| started.refetch());
    let body = move || match started.get() {
        None => view! { <Loading message=text::LOADING_APP /> }.into_any(),
        Some(Ok(Started::SignedIn(api))) => view! { <SignedIn api /> }.into_any(),
        Some(Ok(Started::Embedded(api, bridge))) => {
            provide_context(bridge);
            view! { <SignedIn api /> }.into_any()
        }
        Some(Ok(Started::OpenFromPortal)) => view! { <OpenFromPortal /> }.into_any(),
        Some(Err(StartError::Api(error))) => {
            view! { <Failure title=text::COULD_NOT_START error retry /> }.into_any()
        }
        Some(Err(error @ StartError::Portal(_))) => view! {
            <div class="state failure" role="alert">
                <p class="title">{text::COULD_NOT_START}</p>
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
    view! {
        <Router>
            <nav class="sections" aria-label=text::SECTIONS>
                <A href="/" exact=true>
                    {text::PAGE_TITLE}
                </A>
                <A href="/history">{text::HISTORY_TITLE}</A>
            </nav>
            <Routes fallback=ShipmentsPage>
                <Route path=path!("/") view=ShipmentsPage />
                <Route path=path!("/history") view=HistoryPage />
            </Routes>
        </Router>
    }
}

#[component]
fn OpenFromPortal() -> impl IntoView {
    view! {
        <div class="state outside" role="status">
            <h1>{text::OPEN_FROM_PORTAL}</h1>
            <p>{text::OPEN_FROM_PORTAL_DETAIL}</p>
        </div>
    }
}

//! The browser side of the live-update stream: one `fetch` of `/api/v1/events` at a time, its body
//! read chunk by chunk into the parser, each block judged by [`Live`], and the connection made
//! again as it decides. The first connection is the one the page sent when it mounted
//! ([`FirstConnection`]); every later one is made here.
//!
//! `fetch` rather than `EventSource`, which cannot send the `Authorization` header: the token must
//! never be put in a URL. The body is read with the stream's own reader (no `wasm-streams`): a
//! loop of `read()` is all that is needed.

use std::cell::RefCell;
use std::rc::Rc;

use domain::Shipment;
use futures_channel::oneshot;
use gloo_net::http::Response;
use gloo_timers::future::TimeoutFuture;
use js_sys::{Reflect, Uint8Array};
use leptos::prelude::{Callable, Callback};
use send_wrapper::SendWrapper;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, ReadableStreamDefaultReader};

use crate::api::{Api, ApiError};
use crate::json;
use crate::live::first::{FirstConnection, Sent};
use crate::live::plan::{self, Effect, End, Live, Next};
use crate::live::sse::Parser;

/// Where the stream stands, as the `data-live` attribute of the document's root element: the
/// style could show it, and tests wait for `open` before changing what the page must see.
#[derive(Clone, Copy)]
enum Shown {
    Connecting,
    Open,
    /// Paused before the next attempt.
    Waiting,
    Off,
}

impl Shown {
    fn code(self) -> &'static str {
        match self {
            Shown::Connecting => "connecting",
            Shown::Open => "open",
            Shown::Waiting => "waiting",
            Shown::Off => "off",
        }
    }
}

struct Shared {
    live: RefCell<Live>,
    /// Aborts the current request and its body.
    controller: RefCell<Option<AbortController>>,
}

impl Shared {
    fn is_stopped(&self) -> bool {
        self.live.borrow().is_stopped()
    }

    /// Shows where the stream stands, unless it was stopped: a newer page's stream owns the mark.
    fn show(&self, shown: Shown) {
        if self.is_stopped() {
            return;
        }
        let root = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.document_element());
        if let Some(root) = root
            && let Err(error) = root.set_attribute("data-live", shown.code())
        {
            leptos::logging::warn!("could not mark the live stream's state: {error:?}");
        }
    }
}

/// Ends the stream: the page's cleanup calls [`Stopper::stop`].
pub struct Stopper(SendWrapper<Rc<Shared>>);

impl Stopper {
    /// No more connections, no more updates applied; the request in flight is aborted.
    pub fn stop(&self) {
        self.0.show(Shown::Off);
        self.0.live.borrow_mut().stop();
        if let Some(controller) = self.0.controller.borrow_mut().take() {
            controller.abort();
        }
    }
}

/// Starts following the stream, from the page's first connection when it is still there;
/// `on_shipment` gets every changed shipment, `on_resync` is called when updates may have been
/// missed.
pub fn start(
    api: Api,
    first: &FirstConnection,
    on_shipment: Callback<Shipment>,
    on_resync: Callback<()>,
) -> Stopper {
    // Without the page's first connection (taken by an earlier stream of this page, or never sent)
    // this stream subscribes after the page's data was read: its first `: open` resyncs.
    let (live, controller, first) = match first.take() {
        Some(Sent { controller, answer }) => (Live::new(), Some(controller), Some(answer)),
        None => (Live::reconnecting(), None, None),
    };
    // The first request's controller is the stream's at once: a stop before the loop's first
    // step aborts it too.
    let shared = Rc::new(Shared {
        live: RefCell::new(live),
        controller: RefCell::new(controller),
    });
    let handlers = Handlers {
        on_shipment,
        on_resync,
    };
    leptos::task::spawn_local(run(api, first, shared.clone(), handlers));
    Stopper(SendWrapper::new(shared))
}

/// The page's callbacks. None runs once the stream is stopped, which the page's cleanup does
/// before its callbacks are disposed: each block is judged ([`Live::block`]) after the previous
/// block's callback returned, and judges nothing once stopped.
struct Handlers {
    on_shipment: Callback<Shipment>,
    on_resync: Callback<()>,
}

/// The first connection's answer, when the page sent it.
type FirstAnswer = oneshot::Receiver<Result<Response, ApiError>>;

async fn run(api: Api, mut first: Option<FirstAnswer>, shared: Rc<Shared>, handlers: Handlers) {
    let mut renew = false;
    loop {
        if renew && let Err(error) = api.renew_token().await {
            // The request below renews again when the server refuses the token.
            leptos::logging::warn!("live updates: could not renew the token: {error}");
        }
        if shared.is_stopped() {
            return;
        }
        shared.show(Shown::Connecting);
        let end = connect(&api, first.take(), &shared, &handlers).await;
        let next = shared
            .live
            .borrow_mut()
            .ended(end, js_sys::Date::now(), js_sys::Math::random());
        match next {
            Next::Stop => {
                shared.show(Shown::Off);
                return;
            }
            Next::Connect { after_ms, renew: r } => {
                renew = r;
                if after_ms > 0 {
                    shared.show(Shown::Waiting);
                    TimeoutFuture::new(after_ms).await;
                }
            }
        }
    }
}

/// Sends the request of a new connection, or takes the answer of the page's first one (whose
/// controller [`start`] made the stream's).
async fn request(
    api: &Api,
    first: Option<FirstAnswer>,
    shared: &Shared,
) -> Result<Response, ApiError> {
    if let Some(answer) = first {
        // Cancelled only if the task sending it was dropped: then it never connected.
        return answer.await.unwrap_or_else(|_| {
            Err(ApiError::Network(
                "the first request was never sent".to_owned(),
            ))
        });
    }
    let controller = AbortController::new()
        .map_err(|error| ApiError::Network(format!("no AbortController: {error:?}")))?;
    let signal = controller.signal();
    *shared.controller.borrow_mut() = Some(controller);
    api.events(&signal).await
}

/// One connection, from the request (or the page's first one) to the end of its body.
async fn connect(
    api: &Api,
    first: Option<FirstAnswer>,
    shared: &Shared,
    handlers: &Handlers,
) -> End {
    let response = match request(api, first, shared).await {
        Ok(response) => response,
        Err(error) => {
            if !shared.is_stopped() {
                leptos::logging::warn!("live updates: could not connect: {error}");
            }
            return End::Dropped;
        }
    };
    let status = response.status();
    if status != 200 {
        let retry_after_ms = plan::retry_after_ms(response.headers().get("Retry-After").as_deref());
        leptos::logging::warn!("live updates: the server answered {status}");
        return End::Refused {
            status,
            retry_after_ms,
        };
    }
    let Some(body) = response.body() else {
        leptos::logging::warn!("live updates: the answer has no body");
        return End::Dropped;
    };
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut parser = Parser::new();
    loop {
        let chunk = match JsFuture::from(reader.read()).await {
            Ok(chunk) => chunk,
            Err(error) => {
                // An abort (the page went away) rejects the read too; only a break is worth a word.
                if !shared.is_stopped() {
                    leptos::logging::warn!("live updates: the stream broke: {error:?}");
                }
                return End::Dropped;
            }
        };
        let done = Reflect::get(&chunk, &JsValue::from_str("done"))
            .ok()
            .and_then(|done| done.as_bool())
            .unwrap_or(true);
        if done {
            return End::Dropped;
        }
        let bytes = match Reflect::get(&chunk, &JsValue::from_str("value")) {
            Ok(value) => Uint8Array::new(&value).to_vec(),
            Err(error) => {
                leptos::logging::warn!("live updates: a chunk without bytes: {error:?}");
                return End::Dropped;
            }
        };
        for block in parser.push(&bytes) {
            let was_open = shared.live.borrow().is_open();
            // The borrow ends before any handler runs: a handler may tear the page down.
            let effect = shared.live.borrow_mut().block(block, js_sys::Date::now());
            if !was_open {
                shared.show(Shown::Open);
            }
            match effect {
                Effect::Nothing => {}
                Effect::Shipment(data) => match json::from_str::<Shipment>(&data) {
                    Ok(shipment) => handlers.on_shipment.run(shipment),
                    // The update is lost unless the list is read again.
                    Err(error) => {
                        leptos::logging::warn!(
                            "live updates: a shipment could not be read: {error}"
                        );
                        handlers.on_resync.run(());
                    }
                },
                Effect::Resync => handlers.on_resync.run(()),
                Effect::Expired => {
                    if let Some(controller) = shared.controller.borrow_mut().take() {
                        controller.abort();
                    }
                    return End::Expired;
                }
            }
        }
    }
}

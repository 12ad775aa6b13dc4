//! The first connection of a page's stream: sent from the main module when the list's page mounts,
//! read by the stream in the list's extras module once it arrives.
//!
//! The server subscribes the seller when the request reaches it, and from then on buffers every
//! change on that connection (`: open` first). Sending the request at mount, as before the stream
//! left the first load, keeps the moment of subscription where it was: a change made while the
//! extras module is on its way is waiting in the connection's body when the stream starts reading
//! it, and the boot needs no second list request (which starting the stream late would need, to
//! resync). The browser holds the body meanwhile; should the server's per-stream buffer overflow,
//! it sends `event: resync`, which the stream's plan handles.

use std::cell::RefCell;
use std::rc::Rc;

use futures_channel::oneshot;
use gloo_net::http::Response;
use send_wrapper::SendWrapper;
use web_sys::AbortController;

use crate::api::{Api, ApiError};

/// The first request and what will be its answer, for the stream to take once.
pub struct Sent {
    /// Aborts the request, and its body once answered.
    pub controller: AbortController,
    /// The request's outcome; cancelled only if the task sending it was dropped.
    pub answer: oneshot::Receiver<Result<Response, ApiError>>,
}

/// The page's hand-over slot: holds the first connection until the stream takes it or the page
/// goes away. Cheap to clone; every clone is the same slot.
#[derive(Clone)]
pub struct FirstConnection(SendWrapper<Rc<RefCell<Option<Sent>>>>);

impl FirstConnection {
    /// Sends `GET /api/v1/events` now. No slot content when the browser has no AbortController: the
    /// stream then connects itself.
    pub fn send(api: &Api) -> FirstConnection {
        let sent = match AbortController::new() {
            Ok(controller) => {
                let (sender, answer) = oneshot::channel();
                let signal = controller.signal();
                let api = api.clone();
                leptos::task::spawn_local(async move {
                    let outcome = api.events(&signal).await;
                    // Given back only when the page left without taking it: the request was
                    // aborted then, and the answer (an abort error, or a response whose body is
                    // aborted too) has nothing left to tell anyone.
                    if let Err(unwanted) = sender.send(outcome) {
                        drop(unwanted);
                    }
                });
                Some(Sent { controller, answer })
            }
            Err(error) => {
                leptos::logging::warn!("live updates: no AbortController: {error:?}");
                None
            }
        };
        FirstConnection(SendWrapper::new(Rc::new(RefCell::new(sent))))
    }

    /// The first connection, to the first caller only.
    pub fn take(&self) -> Option<Sent> {
        self.0.borrow_mut().take()
    }

    /// The page is gone: the first connection is aborted unless the stream took it (the stream's
    /// own stop aborts it then).
    pub fn abandon(&self) {
        if let Some(sent) = self.take() {
            sent.controller.abort();
        }
    }
}

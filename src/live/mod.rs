//! Live updates of the seller's shipments, pushed by the server (`GET /api/v1/events`, Server-Sent
//! Events) instead of polled: a provider's answer, or a change made in another tab, reaches the
//! open list as it happens.
//!
//! - `first`: the page's first connection, sent from the main module when the page mounts;
//! - `sse`: the event-stream format, parsed from chunks of bytes;
//! - `plan`: what to do next (reconnect with a capped backoff, resync after a gap, renew the token,
//!   honour `Retry-After`, stop with the page), a plain type tested natively;
//! - `stream`: the browser part, `fetch` with the `Authorization` header and an `AbortController`.
//!
//! Only `first` and [`follow`] are in the first load: the stream itself (reading, parsing, the
//! plan, reconnecting) is the [`parts::LIVE`] part, in the list's extras module, which arrives
//! right after the first rows. It reads the first connection's answer, which the browser holds
//! meanwhile, so nothing made in between is missed and the boot asks for the list once.

pub mod first;
pub mod plan;
pub mod sse;
mod stream;

use domain::Shipment;
use leptos::prelude::*;

use crate::api::Api;
use crate::lazy::parts;
use crate::lazy::state::{LoadFailed, Status, now};
use crate::live::first::FirstConnection;

/// What the live part needs from the page.
pub struct LiveOpen {
    pub api: Api,
    pub first: FirstConnection,
    pub on_shipment: Callback<Shipment>,
    pub on_resync: Callback<()>,
}

/// Follows the stream for as long as the calling component lives: `on_shipment` gets every
/// changed shipment of the seller, `on_resync` is called whenever updates may have been missed (the
/// server says so, or the stream was reconnected) and the page should read its data again.
///
/// The first connection is sent now; the stream reads it once its module is in (the list's extras,
/// fetched after the first rows). If that module cannot be fetched, the filter bar's failure says so
/// and its Try again brings the stream too; until then the list is not followed.
pub fn follow(api: Api, on_shipment: Callback<Shipment>, on_resync: Callback<()>) {
    let first = FirstConnection::send(&api);
    {
        // Leaving the page before the module arrives must not leave the request open.
        let first = first.clone();
        on_cleanup(move || first.abandon());
    }
    // Runs again only when the part's status changes: once loaded, the stream runs in this
    // effect's owner, whose cleanup (the page's) stops it.
    Effect::new(move |_| {
        if parts::LIVE.status() != Status::Loaded {
            return;
        }
        let open = LiveOpen {
            api: api.clone(),
            first: first.clone(),
            on_shipment,
            on_resync,
        };
        // Loaded means the split function is ready at once.
        match untrack(|| now(parts::live(open))) {
            Some(Ok(())) => {}
            Some(Err(LoadFailed)) | None => {
                leptos::logging::warn!("live updates: the loaded module did not start the stream")
            }
        }
    });
}

/// The live part's body: starts the stream, stopped with the calling owner.
pub fn start(open: LiveOpen) {
    let LiveOpen {
        api,
        first,
        on_shipment,
        on_resync,
    } = open;
    let stopper = stream::start(api, &first, on_shipment, on_resync);
    on_cleanup(move || stopper.stop());
}

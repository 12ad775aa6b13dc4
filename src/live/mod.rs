//! Live updates of the seller's shipments, pushed by the server (`GET /api/v1/events`, Server-Sent
//! Events) instead of polled: a provider's answer, or a change made in another tab, reaches the
//! open list as it happens.
//!
//! - `sse`: the event-stream format, parsed from chunks of bytes;
//! - `plan`: what to do next (reconnect with a capped backoff, resync after a gap, renew the token,
//!   honour `Retry-After`, stop with the page), a plain type tested natively;
//! - `stream`: the browser part, `fetch` with the `Authorization` header and an `AbortController`.

pub mod plan;
pub mod sse;
mod stream;

use domain::Shipment;
use leptos::prelude::*;

use crate::api::Api;

/// Follows the stream for as long as the calling component lives: `on_shipment` gets every
/// changed shipment of the seller, `on_resync` is called whenever updates may have been missed (the
/// server says so, or the stream was reconnected) and the page should read its data again.
pub fn follow(api: Api, on_shipment: impl Fn(Shipment) + 'static, on_resync: impl Fn() + 'static) {
    let stopper = stream::start(api, on_shipment, on_resync);
    on_cleanup(move || stopper.stop());
}

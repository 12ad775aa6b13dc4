//! Live updates of the seller's shipments, pushed by the server (`GET /api/v1/events`, Server-Sent
//! Events) instead of polled: a provider's answer, or a change made in another tab, reaches the
//! open list as it happens.
//!
//! - `sse`: the event-stream format, parsed from chunks of bytes;
//! - `plan`: what to do next (reconnect with a capped backoff, resync after a gap, renew the token,
//!   honour `Retry-After`, stop with the page), a plain type tested natively;
//! - `stream`: the browser part, `fetch` with the `Authorization` header and an `AbortController`;
//! - `answer`: the words that announce a provider's answer.

pub mod answer;
pub mod plan;
pub mod sse;
mod stream;

use domain::Shipment;
use leptos::prelude::*;

use crate::api::Api;
use crate::feedback::Announcer;
use crate::shipments::list::ShipmentList;

/// Follows the stream for as long as the calling component lives: `on_shipment` gets every
/// changed shipment of the seller, `on_resync` is called whenever updates may have been missed (the
/// server says so, or the stream was reconnected) and the page should read its data again.
pub fn follow(api: Api, on_shipment: impl Fn(Shipment) + 'static, on_resync: impl Fn() + 'static) {
    let stopper = stream::start(api, on_shipment, on_resync);
    on_cleanup(move || stopper.stop());
}

/// [`follow`] for the shipments list: each pushed shipment replaces its row (a provider's answer
/// to a waiting row is announced), `on_change` follows every change (the tab counts and the rate),
/// and `reload` reads the list again after a gap.
pub fn follow_list(
    api: Api,
    list: ShipmentList,
    announcer: Option<Announcer>,
    on_change: impl Fn() + Clone + 'static,
    reload: impl Fn() + 'static,
) {
    let on_shipment = {
        let on_change = on_change.clone();
        move |shipment: Shipment| {
            // Only a row that waited for its provider announces the answer: a change made in
            // another tab is not the provider's.
            let waited = list.pending().contains(&shipment.posting_number);
            let words = waited.then(|| answer::provider_answer(&shipment)).flatten();
            if list.replace(shipment) {
                if let (Some(announcer), Some(words)) = (announcer, words) {
                    announcer.status(words);
                }
                on_change();
            }
        }
    };
    follow(api, on_shipment, move || {
        reload();
        on_change();
    });
}

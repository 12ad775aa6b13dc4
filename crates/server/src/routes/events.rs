//! `GET /api/v1/events`: live updates (Server-Sent Events) of the seller's shipments, so a provider's
//! answer reaches the app without a reload.
//!
//! The token comes only in the `Authorization` header (a token in a URL ends up in logs and
//! histories), so a client reads the stream with `fetch`, not `EventSource`. The stream ends when
//! the token expires, after an `event: expired`: the client renews its token and reconnects. Open
//! streams are capped per seller (429) and in all (503), both with `Retry-After`.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use domain::ProblemCode;
use futures_util::StreamExt;
use serde::Deserialize;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;

use crate::app::AppState;
use crate::auth::authenticate;
use crate::error::{ApiError, ApiResult, Query};

/// The open streams, per seller and in all.
#[derive(Debug, Default)]
pub struct Streams {
    open: Mutex<HashMap<String, usize>>,
}

/// One open stream, counted for as long as it lives.
struct StreamSlot {
    streams: Arc<Streams>,
    seller_id: String,
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self
            .streams
            .open
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = open.get_mut(&self.seller_id) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.seller_id);
            }
        }
    }
}

impl Streams {
    /// A slot for one more stream of the seller, or the refusal.
    fn open(
        self: &Arc<Streams>,
        seller_id: &str,
        per_seller: usize,
        in_all: usize,
    ) -> Result<StreamSlot, ApiError> {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if open.values().sum::<usize>() >= in_all {
            return Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ProblemCode::Overloaded,
                "Too many live-update streams",
            )
            .detail(format!(
                "the server holds its limit of {in_all} open streams; retry later"
            )));
        }
        let mine = open.entry(seller_id.to_owned()).or_insert(0);
        if *mine >= per_seller {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                ProblemCode::TooManyRequests,
                "Too many live-update streams",
            )
            .detail(format!(
                "this seller already has {per_seller} open streams; close one (another tab) or retry later"
            )));
        }
        *mine += 1;
        Ok(StreamSlot {
            streams: self.clone(),
            seller_id: seller_id.to_owned(),
        })
    }
}

/// No query parameter is taken; any is a 400 (a token in the URL is refused, not ignored).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventsQuery {}

/// Each event is `event: shipment` with the Shipment as data; `event: resync` means some updates
/// were missed and the app should reload its list; `event: expired` ends the stream when the token
/// expires.
#[utoipa::path(get, path = "/events", tag = "live updates", security(("bearer" = [])), responses((status = 200, description = "Server-Sent Events: `event: shipment` with a Shipment as data; `event: resync` after missed updates; `event: expired` when the token expires, then the stream ends", content_type = "text/event-stream", body = String), (status = 400, description = "A query parameter was given (none is taken)", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 429, description = "too_many_requests: the seller has as many open streams as allowed", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 503, description = "overloaded: the server holds as many streams as allowed", body = crate::openapi::schemas::Problem, content_type = "application/problem+json")))]
pub async fn events(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(_query): Query<EventsQuery>,
) -> ApiResult<Response> {
    let verified = authenticate(&state, &headers)?;
    let limits = &state.settings.limits;
    let slot = match state.streams.open(
        &verified.seller_id,
        limits.max_streams_per_seller,
        limits.max_streams,
    ) {
        Ok(slot) => slot,
        Err(refusal) => {
            let mut response = refusal.into_response();
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            return Ok(response);
        }
    };
    let seller_id = verified.seller_id;
    let expires_in = (verified.expires_at - chrono::Utc::now())
        .to_std()
        .unwrap_or(Duration::ZERO);
    let stream = BroadcastStream::new(state.events.subscribe()).filter_map(move |item| {
        let event = match item {
            Ok((owner, shipment)) if owner == seller_id => {
                match Event::default().event("shipment").json_data(&shipment) {
                    Ok(event) => Some(event),
                    Err(error) => {
                        tracing::error!(%error, "a shipment could not be sent as an event");
                        Some(Event::default().event("resync").data("{}"))
                    }
                }
            }
            Ok(_) => None,
            Err(BroadcastStreamRecvError::Lagged(_)) => {
                Some(Event::default().event("resync").data("{}"))
            }
        };
        std::future::ready(event.map(Ok::<Event, Infallible>))
    });
    // The first comment tells the client the stream is open, so it never misses an update it waits for.
    let opened =
        futures_util::stream::once(std::future::ready(Ok(Event::default().comment("open"))));
    // The stream lives as long as its token: then one `expired` event, and the end. The slot is
    // released when the stream is dropped (the client went away, or the token expired).
    let expiry = tokio::time::sleep(expires_in);
    let live = stream.take_until(expiry);
    let expired = futures_util::stream::once(async move {
        drop(slot);
        Ok(Event::default().event("expired").data("{}"))
    });
    Ok(Sse::new(opened.chain(live).chain(expired))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response())
}

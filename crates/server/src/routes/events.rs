//! `GET /api/v1/events`: live updates (Server-Sent Events) of the seller's shipments, so a provider's
//! answer reaches the app without a reload.
//!
//! The token comes only in the `Authorization` header (a token in a URL ends up in logs and
//! histories), so a client reads the stream with `fetch`, not `EventSource`. The stream ends when
//! the token expires, after an `event: expired`: the client renews its token and reconnects. Open
//! streams are capped per seller (429) and in all (503), both with `Retry-After`.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde::Deserialize;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;

use crate::auth::authenticate;
use crate::error::{ApiResult, Query};
use crate::events::Change;
use crate::state::AppState;

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
            Ok(Change::Shipment {
                seller_id: owner,
                shipment,
            }) if owner == seller_id => {
                match Event::default().event("shipment").json_data(&shipment) {
                    Ok(event) => Some(event),
                    Err(error) => {
                        tracing::error!(%error, "a shipment could not be sent as an event");
                        Some(Event::default().event("resync").data("{}"))
                    }
                }
            }
            Ok(Change::Shipment { .. }) => None,
            // A gap anywhere (this stream lagged, or the instance's listener lost its connection):
            // the client reloads.
            Ok(Change::Resync) | Err(BroadcastStreamRecvError::Lagged(_)) => {
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

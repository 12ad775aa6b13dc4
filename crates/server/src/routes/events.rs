//! `GET /api/v1/events`: live updates (Server-Sent Events) of the seller's shipments, so a provider's
//! answer reaches the app without a reload.
//!
//! `EventSource` can't send headers, so the token may also come as `?access_token=`.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::Stream;
use futures_util::StreamExt;
use serde::Deserialize;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;

use crate::app::AppState;
use crate::error::{ApiError, ApiResult, Query};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventsQuery {
    access_token: Option<String>,
}

/// Each event is `event: shipment` with the Shipment as data; `event: resync` means some updates
/// were missed and the app should reload its list.
#[utoipa::path(get, path = "/events", tag = "live updates", params(("access_token" = Option<String>, Query, description = "The token, for EventSource, which can't send headers")), responses((status = 200, description = "Server-Sent Events: `event: shipment` with a Shipment as data; `event: resync` after missed updates", content_type = "text/event-stream", body = String), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json")))]
pub async fn events(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<EventsQuery>,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let header_token = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    let token = header_token
        .or(query.access_token)
        .ok_or_else(|| ApiError::unauthorized("a Bearer token or ?access_token= is required"))?;
    let seller_id = state.keys.verify(token.trim())?;
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
        std::future::ready(event.map(Ok))
    });
    // The first comment tells the client the stream is open, so it never misses an update it waits for.
    let opened =
        futures_util::stream::once(std::future::ready(Ok(Event::default().comment("open"))));
    Ok(Sse::new(opened.chain(stream))
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

//! Sending a cancellation intent, with automatic retries while the server can't be reached.

use std::future::Future;
use std::time::Duration;

use gloo_timers::future::TimeoutFuture;

use crate::api::{Api, ApiError, CancelAnswer};
use crate::cancel::retry::{AUTOMATIC_ATTEMPTS, Intent, backoff};

/// Runs `attempt` until it gets an answer that is not transient, or the automatic attempts run
/// out. The caller makes every attempt carry the same idempotency key, so that the server acts at
/// most once. `on_pause` hears of each pause before a retry.
pub async fn with_retries<T, F, Fut>(attempt: F, on_pause: impl Fn(Duration)) -> Result<T, ApiError>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T, ApiError>>,
{
    let mut tries = 1;
    loop {
        match attempt().await {
            Err(error) if error.is_transient() && tries < AUTOMATIC_ATTEMPTS => {
                let pause = backoff(tries);
                on_pause(pause);
                TimeoutFuture::new(u32::try_from(pause.as_millis()).unwrap_or(u32::MAX)).await;
                tries += 1;
            }
            other => return other,
        }
    }
}

/// Sends one shipment's cancellation intent.
pub async fn send(
    api: &Api,
    intent: &Intent,
    on_pause: impl Fn(Duration),
) -> Result<CancelAnswer, ApiError> {
    with_retries(
        || {
            api.cancel(
                &intent.posting_number,
                intent.version,
                &intent.key,
                &intent.request,
            )
        },
        on_pause,
    )
    .await
}

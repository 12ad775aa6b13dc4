//! Sending one cancellation intent, with automatic retries while the server can't be reached.

use std::time::Duration;

use gloo_timers::future::TimeoutFuture;

use crate::api::{Api, ApiError, CancelAnswer};
use crate::cancel::retry::{AUTOMATIC_ATTEMPTS, Intent, backoff};

/// Sends `intent` until it gets an answer that is not transient, or the automatic attempts run
/// out. Every attempt carries the same idempotency key, so the server cancels at most once.
/// `on_pause` hears of each pause before a retry.
pub async fn send(
    api: &Api,
    intent: &Intent,
    on_pause: impl Fn(Duration),
) -> Result<CancelAnswer, ApiError> {
    let mut attempt = 1;
    loop {
        let answer = api
            .cancel(
                &intent.posting_number,
                intent.version,
                &intent.key,
                &intent.request,
            )
            .await;
        match answer {
            Err(error) if error.is_transient() && attempt < AUTOMATIC_ATTEMPTS => {
                let pause = backoff(attempt);
                on_pause(pause);
                TimeoutFuture::new(u32::try_from(pause.as_millis()).unwrap_or(u32::MAX)).await;
                attempt += 1;
            }
            other => return other,
        }
    }
}

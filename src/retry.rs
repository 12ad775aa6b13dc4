//! Automatic retries while the server can't be reached, with the pause between them, for every
//! request that carries an idempotency key.

use std::future::Future;
use std::time::Duration;

use gloo_timers::future::TimeoutFuture;

use crate::api::ApiError;

/// Automatic attempts before a flow hands the decision to the seller.
pub const AUTOMATIC_ATTEMPTS: u32 = 3;
const FIRST_PAUSE_MS: u64 = 500;
const LONGEST_PAUSE_MS: u64 = 4_000;

/// The pause before retry number `attempt` (1 for the first retry): doubling, capped, so that a
/// server coming back is not flooded.
pub fn backoff(attempt: u32) -> Duration {
    let doubling = 1u64 << attempt.saturating_sub(1).min(16);
    Duration::from_millis(
        FIRST_PAUSE_MS
            .saturating_mul(doubling)
            .min(LONGEST_PAUSE_MS),
    )
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_double_and_stop_growing_at_the_cap() {
        let pauses: Vec<u64> = (1..=6).map(|a| backoff(a).as_millis() as u64).collect();
        assert_eq!(pauses, vec![500, 1_000, 2_000, 4_000, 4_000, 4_000]);
        assert_eq!(backoff(u32::MAX), Duration::from_millis(LONGEST_PAUSE_MS));
    }
}

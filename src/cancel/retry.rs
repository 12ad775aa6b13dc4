//! Idempotency keys and the pause between automatic retries.

use std::time::Duration;

use domain::wire::CancelRequest;

/// Automatic attempts before the dialog hands the decision to the seller.
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

/// One seller intent: this request for this version of this shipment, under one key.
///
/// A retry of the same intent reuses the key, so the server answers with the first outcome instead
/// of cancelling twice; anything that changes the request is a new intent with a new key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Intent {
    pub posting_number: String,
    pub version: u64,
    pub request: CancelRequest,
    pub key: String,
}

impl Intent {
    /// The intent for this request: the previous one when nothing changed, else a fresh key.
    pub fn for_request(
        previous: Option<Intent>,
        posting_number: &str,
        version: u64,
        request: CancelRequest,
        new_key: impl FnOnce() -> String,
    ) -> Intent {
        match previous {
            Some(intent)
                if intent.posting_number == posting_number
                    && intent.version == version
                    && intent.request == request =>
            {
                intent
            }
            _ => Intent {
                posting_number: posting_number.to_owned(),
                version,
                request,
                key: new_key(),
            },
        }
    }
}

/// A random version-4 UUID from the browser's cryptographic generator, which, unlike
/// `crypto.randomUUID`, works outside secure contexts too (a portal served over plain HTTP).
pub fn new_key() -> Result<String, KeyError> {
    let crypto = web_sys::window()
        .ok_or(KeyError::NoWindow)?
        .crypto()
        .map_err(|_| KeyError::NoCrypto)?;
    let mut bytes = [0u8; 16];
    crypto
        .get_random_values_with_u8_array(&mut bytes)
        .map_err(|_| KeyError::NoCrypto)?;
    Ok(uuid_v4(bytes))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("no browser window")]
    NoWindow,
    #[error("the browser offers no cryptographic random numbers")]
    NoCrypto,
}

fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use domain::Reason;

    use super::*;

    #[test]
    fn pauses_double_and_stop_growing_at_the_cap() {
        let pauses: Vec<u64> = (1..=6).map(|a| backoff(a).as_millis() as u64).collect();
        assert_eq!(pauses, vec![500, 1_000, 2_000, 4_000, 4_000, 4_000]);
        assert_eq!(backoff(u32::MAX), Duration::from_millis(LONGEST_PAUSE_MS));
    }

    fn request(reason: Reason) -> CancelRequest {
        CancelRequest {
            reason,
            comment: None,
        }
    }

    #[test]
    fn a_retry_of_the_same_intent_keeps_its_key() {
        let first = Intent::for_request(None, "1-1-1", 3, request(Reason::OutOfStock), || {
            "k1".into()
        });
        let again = Intent::for_request(
            Some(first.clone()),
            "1-1-1",
            3,
            request(Reason::OutOfStock),
            || "k2".into(),
        );
        assert_eq!(again, first);
    }

    #[test]
    fn a_changed_request_or_version_is_a_new_intent() {
        let first = Intent::for_request(None, "1-1-1", 3, request(Reason::OutOfStock), || {
            "k1".into()
        });
        let other_reason = Intent::for_request(
            Some(first.clone()),
            "1-1-1",
            3,
            request(Reason::CustomerRequest),
            || "k2".into(),
        );
        assert_eq!(other_reason.key, "k2");
        let newer =
            Intent::for_request(Some(first), "1-1-1", 4, request(Reason::OutOfStock), || {
                "k3".into()
            });
        assert_eq!(newer.key, "k3");
    }

    #[test]
    fn keys_are_version_4_uuids() {
        let key = uuid_v4([0xff; 16]);
        assert_eq!(key, "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(uuid_v4([0; 16]), "00000000-0000-4000-8000-000000000000");
    }
}

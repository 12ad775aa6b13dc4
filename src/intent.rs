//! One seller intent under one idempotency key, shared by every flow that changes a shipment
//! (cancel, split, bulk): a retry of the same intent reuses the key, so the server answers with
//! the first outcome instead of acting twice; anything that changes the request is a new intent.

/// A request addressed to one version of one shipment, as cancel and split send it (`If-Match`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Versioned<R> {
    pub posting_number: String,
    pub version: u64,
    pub body: R,
}

/// One intent: this request under this key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Intent<R> {
    pub request: R,
    pub key: String,
}

impl<R: PartialEq> Intent<R> {
    /// The intent for `request`: the previous one when nothing changed, else one under a new key.
    pub fn for_request(
        previous: Option<Intent<R>>,
        request: R,
        new_key: impl FnOnce() -> Result<String, KeyError>,
    ) -> Result<Intent<R>, KeyError> {
        match previous {
            Some(intent) if intent.request == request => Ok(intent),
            _ => Ok(Intent {
                request,
                key: new_key()?,
            }),
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

/// Keys for tests: "k1", "k2", … in order, so a test sees which intent got which key.
#[cfg(test)]
pub fn numbered_keys() -> impl FnMut() -> Result<String, KeyError> {
    let mut next = 0;
    move || {
        next += 1;
        Ok(format!("k{next}"))
    }
}

#[cfg(test)]
mod tests {
    use domain::Reason;
    use domain::wire::CancelRequest;

    use super::*;

    fn request(reason: Reason, version: u64) -> Versioned<CancelRequest> {
        Versioned {
            posting_number: "1-1-1".to_owned(),
            version,
            body: CancelRequest {
                reason,
                comment: None,
            },
        }
    }

    #[test]
    fn a_retry_of_the_same_intent_keeps_its_key() {
        let mut keys = numbered_keys();
        let first = Intent::for_request(None, request(Reason::OutOfStock, 3), &mut keys).unwrap();
        let again = Intent::for_request(
            Some(first.clone()),
            request(Reason::OutOfStock, 3),
            &mut keys,
        )
        .unwrap();
        assert_eq!(again, first);
    }

    #[test]
    fn a_changed_request_or_version_is_a_new_intent() {
        let mut keys = numbered_keys();
        let first = Intent::for_request(None, request(Reason::OutOfStock, 3), &mut keys).unwrap();
        let other_reason = Intent::for_request(
            Some(first.clone()),
            request(Reason::CustomerRequest, 3),
            &mut keys,
        )
        .unwrap();
        assert_eq!(other_reason.key, "k2");
        let newer =
            Intent::for_request(Some(first), request(Reason::OutOfStock, 4), &mut keys).unwrap();
        assert_eq!(newer.key, "k3");
    }

    #[test]
    fn no_key_no_intent() {
        let refused = Intent::for_request(None, request(Reason::OutOfStock, 3), || {
            Err(KeyError::NoCrypto)
        });
        assert_eq!(refused, Err(KeyError::NoCrypto));
    }

    #[test]
    fn keys_are_version_4_uuids() {
        let key = uuid_v4([0xff; 16]);
        assert_eq!(key, "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(uuid_v4([0; 16]), "00000000-0000-4000-8000-000000000000");
    }
}

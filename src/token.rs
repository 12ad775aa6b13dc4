//! When to renew the session's token: a little before it runs out, so that calls don't meet a 401.
//!
//! The token's own `iat` and `exp` give its lifetime; the renewal is timed on the browser's clock
//! from when the token arrived, so a skew between the browser's and the server's clocks doesn't
//! matter.

use crate::json;

/// At most this long before the end, a token counts as due for renewal.
const MARGIN_SECS: f64 = 60.0;
/// Short-lived tokens are renewed when this share of their life is left.
const MARGIN_SHARE: f64 = 0.2;
/// `iat` and `exp` are whole seconds, so a token may end up to a second before `iat + lifetime`.
const ROUNDING_SECS: f64 = 1.0;

/// A token and the moment (browser milliseconds) from which it should be renewed.
#[derive(Clone, Debug, PartialEq)]
pub struct Held {
    pub token: String,
    renew_at: Option<f64>,
}

impl Held {
    /// `now` is the browser's clock (`Date.now()`) when the token arrived.
    pub fn new(token: String, now: f64) -> Held {
        let renew_at = lifetime_secs(&token).map(|lifetime| {
            let margin = (lifetime * MARGIN_SHARE).min(MARGIN_SECS) + ROUNDING_SECS;
            now + (lifetime - margin).max(0.0) * 1000.0
        });
        Held { token, renew_at }
    }

    /// True once the token is close to its end. A token whose lifetime can't be read is only
    /// renewed when the server refuses it.
    pub fn is_due(&self, now: f64) -> bool {
        self.renew_at.is_some_and(|renew_at| now >= renew_at)
    }
}

/// `exp - iat` from the token's claims, without checking the signature (the server does).
///
/// The claims are decoded by the browser's `atob` and `JSON.parse`: a base64 crate and a serde
/// type for two numbers cost the first load about 2 KB. `atob` gives one character per byte, which
/// `JSON.parse` reads as it would the UTF-8 text as far as the two numbers go.
fn lifetime_secs(token: &str) -> Option<f64> {
    let claims = token.split('.').nth(1)?;
    let mut base64: String = claims
        .trim_end_matches('=')
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    while !base64.len().is_multiple_of(4) {
        base64.push('=');
    }
    let text = web_sys::window()?.atob(&base64).ok()?;
    let claims = json::parse(&text).ok()?;
    let number = |name: &str| json::field(&claims, name).as_f64();
    let lifetime = number("exp")? - number("iat")?;
    (lifetime.is_finite() && lifetime > 0.0).then_some(lifetime)
}

// Reading the claims takes the browser's JSON, so these run on wasm.
#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::*;

    fn token(claims: &str) -> String {
        format!(
            "eyJhbGciOiJIUzI1NiJ9.{}.c2ln",
            URL_SAFE_NO_PAD.encode(claims)
        )
    }

    #[wasm_bindgen_test]
    fn a_fifteen_minute_token_is_renewed_a_minute_before_its_end() {
        let held = Held::new(token(r#"{"sub":"s-1","iat":1000,"exp":1900}"#), 50_000.0);
        assert!(!held.is_due(50_000.0 + 838_999.0));
        assert!(held.is_due(50_000.0 + 839_000.0));
    }

    #[wasm_bindgen_test]
    fn a_short_token_is_renewed_when_a_fifth_of_it_is_left_and_a_second_before() {
        let held = Held::new(token(r#"{"iat":1000,"exp":1005}"#), 0.0);
        assert!(!held.is_due(2_999.0));
        assert!(held.is_due(3_000.0));
        let brief = Held::new(token(r#"{"iat":1000,"exp":1001}"#), 0.0);
        assert!(brief.is_due(0.0));
    }

    #[wasm_bindgen_test]
    fn the_browser_clock_times_the_renewal_whatever_the_server_clock_says() {
        // Claims from a server clock years away from the browser's.
        let held = Held::new(token(r#"{"iat":10,"exp":910}"#), 1.7e12);
        assert!(!held.is_due(1.7e12 + 1_000.0));
        assert!(held.is_due(1.7e12 + 900_000.0));
    }

    #[wasm_bindgen_test]
    fn claims_of_any_length_and_with_any_subject_are_read() {
        // Subjects whose encodings need padding, or hold the URL-safe `-` and `_`, or are not ASCII.
        let subjects = ["~", "~~", "~~~", "??>", "???", "продавец", "卖家"];
        let encoded: Vec<String> = subjects
            .iter()
            .map(|sub| token(&format!(r#"{{"sub":"{sub}","iat":1000,"exp":1900}}"#)))
            .collect();
        assert!(encoded.iter().any(|t| t.contains('-')) && encoded.iter().any(|t| t.contains('_')));
        for token in encoded {
            let held = Held::new(token.clone(), 0.0);
            assert!(!held.is_due(838_999.0), "{token}");
            assert!(held.is_due(839_000.0), "{token}");
        }
    }

    #[wasm_bindgen_test]
    fn an_unreadable_token_is_never_due() {
        for unreadable in [
            "not a token".to_owned(),
            "a.b.c".to_owned(),
            token(r#"{"iat":1000}"#),
            token(r#"{"iat":1000,"exp":900}"#),
        ] {
            assert!(
                !Held::new(unreadable.clone(), 0.0).is_due(1e15),
                "{unreadable}"
            );
        }
    }
}

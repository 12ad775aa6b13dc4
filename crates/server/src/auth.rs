//! Signed, short-lived tokens that name one seller (HS256 JWTs with `sub`, `aud` and `exp`).
//!
//! The signing key is random for each process unless `SERVER_TOKEN_SECRET` (or
//! `--token-secret-file`) gives one, so a restart invalidates every token; a portal backend that
//! mints its own tokens shares the secret. A previous secret may be given too, for rotation: tokens
//! signed with it are still accepted, new ones are signed with the current one.
//!
//! The policy (API.md, "Security"): `exp` strictly in the future; `iat` required and not in the
//! future; `nbf`, when present, reached; no token lives longer than [`MAX_TOKEN_LIFETIME`]; a clock
//! skew of [`CLOCK_SKEW`] is allowed on `iat` and `nbf` only; `sub` must be a known seller.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::state::AppState;

/// The audience every token names: this API.
pub const AUDIENCE: &str = "shipment-cancellation-api";
/// How long a token lives unless `--token-ttl` says otherwise; the app asks its portal (or the dev
/// session) for a new one before it runs out.
pub const TOKEN_TTL: Duration = Duration::minutes(15);
/// No token is accepted whose `exp - iat` is longer: a day, the longest `--token-ttl`.
pub const MAX_TOKEN_LIFETIME: Duration = Duration::hours(24);
/// How far ahead of ours a minting server's clock may be, for `iat` and `nbf`.
pub const CLOCK_SKEW: Duration = Duration::seconds(60);

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    /// The seller the token belongs to.
    pub sub: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
}

/// What a valid token says.
#[derive(Clone, Debug)]
pub struct Verified {
    pub seller_id: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Clone)]
pub struct TokenKeys {
    encoding: Arc<EncodingKey>,
    decoding: Arc<DecodingKey>,
    /// The previous secret's key, still accepted while rotating.
    previous: Option<Arc<DecodingKey>>,
    validation: Arc<Validation>,
    ttl: Duration,
}

impl TokenKeys {
    pub fn from_secret(secret: &[u8]) -> TokenKeys {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "aud", "sub", "iat"]);
        // Time is checked by `verify` itself, strictly: the library accepts `exp == now`.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.leeway = 0;
        TokenKeys {
            encoding: Arc::new(EncodingKey::from_secret(secret)),
            decoding: Arc::new(DecodingKey::from_secret(secret)),
            previous: None,
            validation: Arc::new(validation),
            ttl: TOKEN_TTL,
        }
    }

    /// Tokens issued from now on live `ttl` (short lifetimes let tests watch a token expire).
    pub fn with_ttl(self, ttl: Duration) -> TokenKeys {
        TokenKeys { ttl, ..self }
    }

    /// Also accepts tokens signed with `secret` (the one being rotated out).
    pub fn with_previous(self, secret: &[u8]) -> TokenKeys {
        TokenKeys {
            previous: Some(Arc::new(DecodingKey::from_secret(secret))),
            ..self
        }
    }

    pub fn random() -> TokenKeys {
        let mut secret = [0u8; 32];
        rand::rng().fill_bytes(&mut secret);
        TokenKeys::from_secret(&secret)
    }

    pub fn issue(
        &self,
        seller_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(String, DateTime<Utc>), ApiError> {
        let expires_at = now + self.ttl;
        let claims = Claims {
            sub: seller_id.to_owned(),
            aud: AUDIENCE.to_owned(),
            iat: now.timestamp(),
            exp: expires_at.timestamp(),
            nbf: None,
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|error| ApiError::internal(&error))?;
        Ok((token, expires_at))
    }

    /// What a token says, or 401. Whether its seller exists is the caller's check ([`Seller`]).
    pub fn verify(&self, token: &str, now: DateTime<Utc>) -> Result<Verified, ApiError> {
        let decoded = match jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
        {
            Err(error)
                if *error.kind() == jsonwebtoken::errors::ErrorKind::InvalidSignature
                    && self.previous.is_some() =>
            {
                let previous = self.previous.as_deref().unwrap_or(&self.decoding);
                jsonwebtoken::decode::<Claims>(token, previous, &self.validation)
            }
            other => other,
        };
        let claims = decoded
            .map_err(|error| {
                use jsonwebtoken::errors::ErrorKind;
                let detail = match error.kind() {
                    ErrorKind::InvalidAudience => "the token is for another audience",
                    ErrorKind::InvalidSignature => "the token's signature is not valid",
                    ErrorKind::MissingRequiredClaim(_) => {
                        "the token lacks a required claim (sub, aud, iat, exp)"
                    }
                    _ => "the token is malformed",
                };
                ApiError::unauthorized(detail)
            })?
            .claims;
        let now_s = now.timestamp();
        let skew = CLOCK_SKEW.num_seconds();
        if claims.exp <= now_s {
            return Err(ApiError::unauthorized("the token has expired"));
        }
        if claims.iat > now_s + skew {
            return Err(ApiError::unauthorized("the token was issued in the future"));
        }
        if claims.nbf.is_some_and(|nbf| nbf > now_s + skew) {
            return Err(ApiError::unauthorized("the token is not valid yet (nbf)"));
        }
        if claims.exp - claims.iat > MAX_TOKEN_LIFETIME.num_seconds() {
            return Err(ApiError::unauthorized(format!(
                "the token lives longer than the {} hours allowed",
                MAX_TOKEN_LIFETIME.num_hours()
            )));
        }
        if claims.sub.is_empty() {
            return Err(ApiError::unauthorized("the token names no seller"));
        }
        let expires_at = DateTime::from_timestamp(claims.exp, 0)
            .ok_or_else(|| ApiError::unauthorized("the token's exp is out of range"))?;
        Ok(Verified {
            seller_id: claims.sub,
            expires_at,
        })
    }
}

/// The bearer token of a request: `Authorization: Bearer <token>`, the scheme in any case
/// (RFC 9110 §11.1).
pub fn bearer(headers: &axum::http::HeaderMap) -> Result<&str, ApiError> {
    let header = headers
        .get(AUTHORIZATION)
        .ok_or_else(|| ApiError::unauthorized("the Authorization header is missing"))?;
    header
        .to_str()
        .ok()
        .and_then(|value| value.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .filter(|token| !token.is_empty())
        .ok_or_else(|| ApiError::unauthorized("the Authorization header is not a Bearer token"))
}

/// Verifies a request's token and that it names a seller this server knows (401 otherwise, so
/// that a valid signature for a seller that does not exist never reaches the database).
pub fn authenticate(
    state: &AppState,
    headers: &axum::http::HeaderMap,
) -> Result<Verified, ApiError> {
    let verified = state.keys.verify(bearer(headers)?, Utc::now())?;
    if !state.sellers.contains(&verified.seller_id) {
        return Err(ApiError::unauthorized("the token names no known seller"));
    }
    Ok(verified)
}

/// The authenticated seller of a request (`Authorization: Bearer <token>`).
#[derive(Clone, Debug)]
pub struct Seller(pub String);

impl FromRequestParts<AppState> for Seller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        authenticate(state, &parts.headers).map(|verified| Seller(verified.seller_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    fn token(secret: &[u8], claims: serde_json::Value) -> String {
        jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(secret),
        )
        .expect("a token")
    }

    fn claims(now: i64, iat: i64, exp: i64) -> serde_json::Value {
        serde_json::json!({"sub": "s-1", "aud": AUDIENCE, "iat": now + iat, "exp": now + exp})
    }

    #[test]
    fn the_time_claims_are_checked_strictly() {
        let keys = TokenKeys::from_secret(SECRET);
        let now = Utc::now();
        let t = now.timestamp();
        assert!(keys.verify(&token(SECRET, claims(t, 0, 60)), now).is_ok());
        // exp == now is already expired.
        assert!(keys.verify(&token(SECRET, claims(t, -60, 0)), now).is_err());
        // iat in the future beyond the skew.
        assert!(
            keys.verify(&token(SECRET, claims(t, 120, 300)), now)
                .is_err()
        );
        // within the skew
        assert!(keys.verify(&token(SECRET, claims(t, 30, 300)), now).is_ok());
        // a lifetime over a day
        assert!(
            keys.verify(&token(SECRET, claims(t, 0, 25 * 3600)), now)
                .is_err()
        );
        // no iat
        let no_iat = serde_json::json!({"sub": "s-1", "aud": AUDIENCE, "exp": t + 60});
        assert!(keys.verify(&token(SECRET, no_iat), now).is_err());
        // nbf not reached
        let mut early = claims(t, 0, 600);
        early["nbf"] = serde_json::json!(t + 300);
        assert!(keys.verify(&token(SECRET, early), now).is_err());
    }

    #[test]
    fn a_previous_secret_is_accepted_while_rotating() {
        let old = b"c1dfd96eea8cc2b62785275bca38ac261256e278e7d2b3c5a9f6b2e0d43e1b7a";
        let now = Utc::now();
        let t = now.timestamp();
        let old_token = token(old, claims(t, 0, 60));
        assert!(
            TokenKeys::from_secret(SECRET)
                .verify(&old_token, now)
                .is_err()
        );
        let rotating = TokenKeys::from_secret(SECRET).with_previous(old);
        assert!(rotating.verify(&old_token, now).is_ok());
        assert!(
            rotating
                .verify(&token(SECRET, claims(t, 0, 60)), now)
                .is_ok()
        );
        // New tokens are signed with the current secret.
        let (issued, _) = rotating.issue("s-1", now).expect("issued");
        assert!(TokenKeys::from_secret(SECRET).verify(&issued, now).is_ok());
    }

    #[test]
    fn the_scheme_is_case_insensitive() {
        for value in ["Bearer abc", "bearer abc", "BEARER abc"] {
            let mut headers = axum::http::HeaderMap::new();
            headers.insert(AUTHORIZATION, value.parse().expect("a header"));
            assert_eq!(bearer(&headers).expect("a bearer token"), "abc");
        }
        let mut headers = axum::http::HeaderMap::new();
        headers.insert(AUTHORIZATION, "Basic abc".parse().expect("a header"));
        assert!(bearer(&headers).is_err());
    }
}

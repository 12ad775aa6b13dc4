//! Signed, short-lived tokens that name one seller (HS256 JWTs with `sub`, `aud` and `exp`).
//!
//! The signing key is random for each process unless `--token-secret` (or `SERVER_TOKEN_SECRET`)
//! gives one, so a restart invalidates every token; a portal backend that mints its own tokens
//! shares the secret.

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};

use crate::app::AppState;
use crate::error::ApiError;

/// The audience every token names: this API.
pub const AUDIENCE: &str = "shipment-cancellation-api";
/// How long a token lives unless `--token-ttl` says otherwise; the app asks its portal (or the dev
/// session) for a new one before it runs out.
pub const TOKEN_TTL: Duration = Duration::minutes(15);

#[derive(Debug, Serialize, Deserialize)]
pub struct Claims {
    /// The seller the token belongs to.
    pub sub: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
}

#[derive(Clone)]
pub struct TokenKeys {
    encoding: Arc<EncodingKey>,
    decoding: Arc<DecodingKey>,
    validation: Arc<Validation>,
    ttl: Duration,
}

impl TokenKeys {
    pub fn from_secret(secret: &[u8]) -> TokenKeys {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "aud", "sub"]);
        validation.leeway = 0;
        TokenKeys {
            encoding: Arc::new(EncodingKey::from_secret(secret)),
            decoding: Arc::new(DecodingKey::from_secret(secret)),
            validation: Arc::new(validation),
            ttl: TOKEN_TTL,
        }
    }

    /// Tokens issued from now on live `ttl` (short lifetimes let tests watch a token expire).
    pub fn with_ttl(self, ttl: Duration) -> TokenKeys {
        TokenKeys { ttl, ..self }
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
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|error| ApiError::internal(&error))?;
        Ok((token, expires_at))
    }

    /// The seller a token names, or 401.
    pub fn verify(&self, token: &str) -> Result<String, ApiError> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|error| {
                use jsonwebtoken::errors::ErrorKind;
                let detail = match error.kind() {
                    ErrorKind::ExpiredSignature => "the token has expired",
                    ErrorKind::InvalidAudience => "the token is for another audience",
                    ErrorKind::InvalidSignature => "the token's signature is not valid",
                    _ => "the token is malformed",
                };
                ApiError::unauthorized(detail)
            })?;
        if data.claims.sub.is_empty() {
            return Err(ApiError::unauthorized("the token names no seller"));
        }
        Ok(data.claims.sub)
    }
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
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .ok_or_else(|| ApiError::unauthorized("the Authorization header is missing"))?;
        let token = header
            .to_str()
            .ok()
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|token| !token.is_empty())
            .ok_or_else(|| {
                ApiError::unauthorized("the Authorization header is not a Bearer token")
            })?;
        state.keys.verify(token).map(Seller)
    }
}

//! The safety of every write that changes shipments: `Idempotency-Key`, `If-Match`, and a single
//! IMMEDIATE transaction that holds the change together with its stored response.

use std::sync::{Arc, Mutex, PoisonError};

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use domain::{ProblemCode, Shipment};
use rusqlite::{Connection, TransactionBehavior};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::app::AppState;
use crate::error::{ApiError, ApiResult, problem_response};
use crate::store::idempotency::{self, StoredOutcome};

pub use domain::limits::MAX_IDEMPOTENCY_KEY_LEN as MAX_KEY_LEN;

/// The `Idempotency-Key` header: required, 1 to 255 visible ASCII characters.
pub fn idempotency_key(headers: &HeaderMap) -> ApiResult<String> {
    let value = headers.get("idempotency-key").ok_or_else(|| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            ProblemCode::IdempotencyKeyRequired,
            "Idempotency-Key required",
        )
        .detail("every intent carries an Idempotency-Key header")
    })?;
    let key = value
        .to_str()
        .ok()
        .filter(|k| domain::limits::is_idempotency_key(k))
        .ok_or_else(|| {
            ApiError::malformed(format!(
                "Idempotency-Key must be 1 to {MAX_KEY_LEN} visible ASCII characters"
            ))
        })?;
    Ok(key.to_owned())
}

/// The `If-Match: "<version>"` header: required (428 without it).
pub fn if_match(headers: &HeaderMap) -> ApiResult<u64> {
    let value = headers.get(header::IF_MATCH).ok_or_else(|| {
        ApiError::new(
            StatusCode::PRECONDITION_REQUIRED,
            ProblemCode::PreconditionRequired,
            "If-Match required",
        )
        .detail("name the shipment version you saw: If-Match: \"<version>\"")
    })?;
    value
        .to_str()
        .ok()
        .and_then(domain::limits::parse_if_match)
        .ok_or_else(|| {
            ApiError::malformed("If-Match must be a quoted shipment version, such as \"3\"")
        })
}

/// The ETag of a shipment: its version, quoted.
pub fn etag(shipment: &Shipment) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{}\"", shipment.version))
        .unwrap_or_else(|_| HeaderValue::from_static("\"0\""))
}

pub fn request_hash(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The response of one intent, as stored and replayed.
pub struct Answer {
    pub status: StatusCode,
    pub body: String,
}

impl Answer {
    pub fn json(status: StatusCode, value: &impl Serialize) -> ApiResult<Answer> {
        Ok(Answer {
            status,
            body: serde_json::to_string(value)?,
        })
    }

    /// A refusal that is part of the intent's outcome (stale version, rule violation), so it is stored too.
    pub fn problem(error: ApiError) -> ApiResult<Answer> {
        let status = error.status();
        Ok(Answer {
            status,
            body: serde_json::to_string(&error.0)?,
        })
    }

    pub fn into_response(self, replayed: bool) -> Response {
        let mut response = if self.status.is_client_error() || self.status.is_server_error() {
            problem_response(self.status, self.body)
        } else {
            (
                self.status,
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                self.body,
            )
                .into_response()
        };
        if replayed {
            response
                .headers_mut()
                .insert("idempotent-replayed", HeaderValue::from_static("true"));
        }
        response
    }
}

/// What the work inside the transaction did, beyond its answer.
#[derive(Default)]
pub struct Effects {
    /// Shipments that changed, for the live-update stream.
    pub changed: Vec<Shipment>,
    /// A provider request was stored: wake the simulation.
    pub scheduled: bool,
}

/// Marks an intent as in flight for as long as it lives.
struct InFlight {
    set: Arc<Mutex<std::collections::HashSet<(String, String)>>>,
    entry: (String, String),
}

impl Drop for InFlight {
    fn drop(&mut self) {
        // A panic elsewhere can't leave the set half-changed, so a poisoned lock is still usable.
        self.set
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&self.entry);
    }
}

/// Runs an intent once: a replay answers the stored response, the same key with another request is
/// a 422, a concurrent one a 409. `work` runs inside an IMMEDIATE transaction; an `Err` from it is
/// answered without being stored (nothing happened), an `Ok` is stored with the change.
pub async fn run<F>(
    state: &AppState,
    seller_id: String,
    key: String,
    hash: String,
    work: F,
) -> ApiResult<Response>
where
    F: FnOnce(&Connection, &str, DateTime<Utc>) -> ApiResult<(Answer, Effects)> + Send + 'static,
{
    let entry = (seller_id.clone(), key.clone());
    let inserted = state
        .in_flight
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(entry.clone());
    if !inserted {
        let mut response = ApiError::new(
            StatusCode::CONFLICT,
            ProblemCode::RequestInFlight,
            "Request in flight",
        )
        .detail("a request with this Idempotency-Key is still being processed; retry shortly")
        .into_response();
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return Ok(response);
    }
    let _guard = InFlight {
        set: state.in_flight.clone(),
        entry,
    };
    let entry_seller = seller_id.clone();
    let (answer, effects, replayed) = state
        .db
        .run(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if let Some(stored) = idempotency::find(&tx, &seller_id, &key)? {
                if stored.request_hash != hash {
                    return Err(ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        ProblemCode::IdempotencyKeyReused,
                        "Idempotency-Key reused",
                    )
                    .detail("this Idempotency-Key was used for a different request"));
                }
                let status =
                    StatusCode::from_u16(stored.status).map_err(|e| ApiError::internal(&e))?;
                return Ok((
                    Answer {
                        status,
                        body: stored.body,
                    },
                    Effects::default(),
                    true,
                ));
            }
            let now = Utc::now();
            let (answer, effects) = work(&tx, &seller_id, now)?;
            let outcome = StoredOutcome {
                request_hash: hash,
                status: answer.status.as_u16(),
                body: answer.body,
            };
            idempotency::save(&tx, &seller_id, &key, &outcome, now)?;
            tx.commit()?;
            let status = answer.status;
            Ok((
                Answer {
                    status,
                    body: outcome.body,
                },
                effects,
                false,
            ))
        })
        .await?;
    if effects.scheduled {
        state.provider_wake.notify_one();
    }
    state.publish(&entry_seller, effects.changed);
    Ok(answer.into_response(replayed))
}

//! The safety of every write that changes shipments: `Idempotency-Key`, `If-Match`, and one
//! transaction (a savepoint of a group commit, `group_commit.rs`) that holds the change together
//! with its stored response.

use std::sync::{Arc, Mutex, PoisonError};

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use domain::{ProblemCode, Shipment};
use futures_util::future::BoxFuture;
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::AnyConnection;

use crate::error::{ApiError, ApiResult, problem_response};
use crate::events::notify::{Notice, SendError, WAKE_CHANNEL, send_in};
use crate::group_commit::Done;
use crate::state::AppState;
use crate::store::dialect::Backend;
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

/// The 409 of a key whose request is still being processed (here, or on another instance).
pub fn in_flight() -> ApiError {
    ApiError::new(
        StatusCode::CONFLICT,
        ProblemCode::RequestInFlight,
        "Request in flight",
    )
    .detail("a request with this Idempotency-Key is still being processed; retry shortly")
}

/// A 409 `request_in_flight` says when to come back, as every "not now" does.
fn in_flight_response(error: ApiError) -> Response {
    let mut response = error.into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
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
/// a 422, a concurrent one a 409. `work` runs inside an IMMEDIATE transaction.
///
/// What is stored, deliberately: only answers that changed something (2xx), together with the
/// change, for the retention. A refusal (412 stale version, 422 rule, or an `Err`) changed nothing,
/// so it is answered and rolled back, not stored: sending the same request again is safe and gets
/// a fresh verdict on the state of that moment, and refusals, which anyone can produce at any
/// rate, cost no storage. A seller may hold at most `idempotency_max_per_seller` records; past it
/// a new intent is answered 429 until older ones expire.
///
/// `work` is an async closure on sqlx (`store/mod.rs`): `move |conn, seller_id, now| { let x =
/// x.clone(); Box::pin(async move { ... }) }`. It is an `Fn`: on PostgreSQL a transaction aborted
/// by a deadlock or a serialization failure is run again from the start (`group_commit.rs`), so
/// the closure clones what its future takes.
///
/// The live-update notice: on PostgreSQL it is sent inside the intent's transaction
/// (`events::notify::send_in`), so PostgreSQL delivers it at the commit and never after a
/// rollback, and an instance that dies between the commit and the answer loses no notice; on
/// SQLite (one process) the changes are published to the local streams after the commit.
pub async fn run<F>(
    state: &AppState,
    seller_id: String,
    key: String,
    hash: String,
    work: F,
) -> ApiResult<Response>
where
    F: for<'c> Fn(
            &'c mut AnyConnection,
            &'c str,
            DateTime<Utc>,
        ) -> BoxFuture<'c, ApiResult<(Answer, Effects)>>
        + Send
        + Sync
        + 'static,
{
    let entry = (seller_id.clone(), key.clone());
    let inserted = state
        .in_flight
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(entry.clone());
    if !inserted {
        return Ok(in_flight_response(in_flight()));
    }
    let _guard = InFlight {
        set: state.in_flight.clone(),
        entry,
    };
    let entry_seller = seller_id.clone();
    let retention_ms =
        i64::try_from(state.settings.idempotency_retention.as_millis()).unwrap_or(i64::MAX);
    let max_per_seller = state.settings.idempotency_max_per_seller;
    // The intent runs in the next group transaction (group_commit.rs): its own savepoint, one
    // commit (one fsync) shared with the intents that arrived with it, answered after the commit.
    let work = Arc::new(work);
    let outcome = state
        .commits
        .run(move |tx| {
            let (seller_id, key, hash, work) =
                (seller_id.clone(), key.clone(), hash.clone(), work.clone());
            Box::pin(async move {
            // First, so that another instance's request with this key is a 409 as one of ours is.
            if !idempotency::claim(tx, &seller_id, &key).await? {
                return Err(in_flight());
            }
            let now = Utc::now();
            let since = crate::db::to_millis(now) - retention_ms;
            if let Some(stored) = idempotency::find(tx, &seller_id, &key, since).await? {
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
                return Ok(Done {
                    value: (
                        Answer {
                            status,
                            body: stored.body,
                        },
                        Effects::default(),
                        true,
                    ),
                    keep: false,
                });
            }
            if idempotency::stored_count(tx, &seller_id).await? >= max_per_seller {
                return Err(ApiError::new(
                    StatusCode::TOO_MANY_REQUESTS,
                    ProblemCode::TooManyRequests,
                    "Too many requests",
                )
                .detail(format!(
                    "this seller has made {max_per_seller} changes within the idempotency retention; \
                     retry after older ones expire"
                )));
            }
            let (answer, effects) = work(tx, &seller_id, now).await?;
            if !answer.status.is_success() {
                // Nothing is kept of a refusal: its savepoint is rolled back.
                return Ok(Done {
                    value: (answer, effects, false),
                    keep: false,
                });
            }
            if Backend::of(tx) == Backend::Postgres {
                notify_in(tx, &seller_id, &effects.changed).await?;
                if effects.scheduled {
                    // The leading instance's wake-up, delivered with the commit too, so that a
                    // request scheduled just before a crash is still seen at once.
                    sqlx::query("SELECT pg_notify($1, '')")
                        .bind(WAKE_CHANNEL)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            let outcome = StoredOutcome {
                request_hash: hash,
                status: answer.status.as_u16(),
                body: answer.body,
            };
            idempotency::save(tx, &seller_id, &key, &outcome, now).await?;
            let status = answer.status;
            Ok(Done {
                value: (
                    Answer {
                        status,
                        body: outcome.body,
                    },
                    effects,
                    false,
                ),
                keep: true,
            })
            })
        })
        .await;
    let (answer, effects, replayed) = match outcome {
        Ok(outcome) => outcome,
        Err(error) if error.0.code == ProblemCode::RequestInFlight => {
            return Ok(in_flight_response(error));
        }
        Err(error) => return Err(error),
    };
    // On PostgreSQL the notice and the wake-up went out with the commit (`notify_in`); every
    // instance's listener, this one's included, hears them and publishes the shipments to its own
    // streams (and wakes its simulation, which runs on the leader only).
    if state.db.backend() == Backend::Sqlite {
        if effects.scheduled {
            state.wake_provider();
        }
        state.publish(&entry_seller, effects.changed);
    }
    Ok(answer.into_response(replayed))
}

/// Names the changed shipments in a `NOTIFY` of the intent's own transaction (PostgreSQL).
async fn notify_in(tx: &mut AnyConnection, seller_id: &str, changed: &[Shipment]) -> ApiResult<()> {
    if changed.is_empty() {
        return Ok(());
    }
    let notice = Notice {
        seller_id: seller_id.to_owned(),
        posting_numbers: changed.iter().map(|s| s.posting_number.clone()).collect(),
    };
    send_in(tx, &notice).await.map_err(|error| match error {
        SendError::Database(error) => ApiError::from(error),
        error => ApiError::internal(&error),
    })
}

/// Deletes intents older than the retention, every `every`, in batches so that no write waits
/// long behind it. Runs for the life of the server.
pub async fn prune_expired(state: AppState, every: std::time::Duration) {
    const BATCH: usize = 5_000;
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let retention_ms =
        i64::try_from(state.settings.idempotency_retention.as_millis()).unwrap_or(i64::MAX);
    loop {
        tick.tick().await;
        loop {
            let cutoff = crate::db::to_millis(Utc::now()).saturating_sub(retention_ms);
            let deleted = match state.db.acquire().await {
                Ok(mut conn) => idempotency::delete_expired(&mut conn, cutoff, BATCH).await,
                Err(error) => Err(error),
            };
            match deleted {
                Ok(n) if n == BATCH as u64 => continue,
                Ok(n) => {
                    if n > 0 {
                        tracing::debug!(deleted = n, "expired intents pruned");
                    }
                    break;
                }
                Err(error) => {
                    tracing::warn!(?error, "expired intents could not be pruned");
                    break;
                }
            }
        }
    }
}

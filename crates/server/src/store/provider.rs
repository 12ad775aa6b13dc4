//! Cancellation requests waiting for the simulated delivery provider, stored so they survive a
//! restart, and the providers of a seller's shipments (the list's filter).

use std::sync::LazyLock;

use chrono::{DateTime, Duration, Utc};
use domain::fixture::{Decision, ProviderDecision};
use domain::wire::ProviderSummary;
use domain::{CancellationState, Status};
use sqlx::{AnyConnection, Connection as _, Row as _};

use super::codes;
use super::dialect::{Backend, begin_write, narrow};
use super::shipments::ported as shipments;
use crate::db::{time, to_millis};
use crate::error::ApiResult;

/// What the provider says when it refuses and the fixture gives no message.
pub const DEFAULT_REJECTION: &str = "The delivery service could not stop the parcel";

/// When the provider answers a request made `now`: `decision.after_ms` later.
pub fn due_at(decision: &ProviderDecision, now: DateTime<Utc>) -> DateTime<Utc> {
    let delay = Duration::milliseconds(i64::try_from(decision.after_ms).unwrap_or(i64::MAX / 2));
    now.checked_add_signed(delay).unwrap_or(now)
}

/// Stores the provider's answer to come for a cancellation request, due `decision.after_ms` from now.
pub async fn schedule(
    conn: &mut AnyConnection,
    cancellation_id: i64,
    decision: &ProviderDecision,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    sqlx::query(
        "INSERT INTO provider_requests (cancellation_id, due_at, decision, message) VALUES ($1, $2, $3, $4)",
    )
    .bind(cancellation_id)
    .bind(to_millis(due_at(decision, now)))
    .bind(decision.decision.code())
    .bind(decision.message.as_deref())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The request the provider answers next, with when it is due.
pub async fn next_due(conn: &mut AnyConnection) -> ApiResult<Option<(i64, DateTime<Utc>)>> {
    let row = sqlx::query(
        "SELECT cancellation_id, due_at FROM provider_requests ORDER BY due_at, cancellation_id LIMIT 1",
    )
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some((
        row.try_get("cancellation_id")?,
        time(row.try_get("due_at")?)?,
    )))
}

/// The shipment a provider's answer changed, and whose it is (for the live events).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decided {
    pub shipment_id: i64,
    pub seller_id: String,
}

/// Applies the provider's answer to one request, atomically, in a transaction of its own.
/// Returns the shipment it changed, or `None` when the request was already answered.
///
/// The request row is deleted first (`DELETE … RETURNING`): on PostgreSQL that locks it, so when
/// two deciders meet (the simulation and the demo's "decide now", or two instances in a handover)
/// the second waits for the first's commit, then deletes nothing and changes nothing. A request is
/// answered exactly once. The shipment is then locked (`FOR UPDATE`) before its status is read, so
/// a cancellation racing on it is ordered before or after, never interleaved.
pub async fn decide(
    conn: &mut AnyConnection,
    cancellation_id: i64,
    now: DateTime<Utc>,
) -> ApiResult<Option<Decided>> {
    static SHIPMENT: LazyLock<[String; 2]> = LazyLock::new(|| {
        [Backend::Sqlite, Backend::Postgres].map(|backend| {
            format!(
                "SELECT c.shipment_id, s.seller_id, s.status, s.cancellation_id \
                 FROM cancellations c JOIN shipments s ON s.id = c.shipment_id \
                 WHERE c.id = $1{}",
                backend.lock_rows("s")
            )
        })
    });
    let backend = Backend::of(conn);
    let mut tx = conn.begin_with(begin_write(backend)).await?;
    let request = sqlx::query(
        "DELETE FROM provider_requests WHERE cancellation_id = $1 RETURNING decision, message",
    )
    .bind(cancellation_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(request) = request else {
        tx.commit().await?;
        return Ok(None);
    };
    let decision: Decision = codes::column(&request, "decision")?;
    let message: Option<String> = request.try_get("message")?;
    let sql = match backend {
        Backend::Sqlite => SHIPMENT[0].as_str(),
        Backend::Postgres => SHIPMENT[1].as_str(),
    };
    let shipment = sqlx::query(sql)
        .bind(cancellation_id)
        .fetch_one(&mut *tx)
        .await?;
    let shipment_id: i64 = shipment.try_get("shipment_id")?;
    let seller_id: String = shipment.try_get("seller_id")?;
    let status: Status = codes::column(&shipment, "status")?;
    let latest: Option<i64> = shipment.try_get("cancellation_id")?;
    // Only the shipment's latest request, on a parcel still travelling, can still be approved.
    let current = latest == Some(cancellation_id) && status == Status::InTransit;
    let (state, message) = match decision {
        Decision::Approve if current => (CancellationState::Cancelled, message),
        Decision::Approve => (
            CancellationState::Rejected,
            Some("The parcel is no longer in transit".to_owned()),
        ),
        Decision::Reject => (
            CancellationState::Rejected,
            Some(message.unwrap_or_else(|| DEFAULT_REJECTION.to_owned())),
        ),
    };
    sqlx::query(
        "UPDATE cancellations SET state = $1, decided_at = $2, provider_message = $3 WHERE id = $4",
    )
    .bind(state.code())
    .bind(to_millis(now))
    .bind(message.as_deref())
    .bind(cancellation_id)
    .execute(&mut *tx)
    .await?;
    if state == CancellationState::Cancelled {
        shipments::set_status(&mut tx, shipment_id, Status::Cancelled).await?;
    } else {
        shipments::bump_version(&mut tx, shipment_id).await?;
    }
    tx.commit().await?;
    Ok(Some(Decided {
        shipment_id,
        seller_id,
    }))
}

/// The shipment's latest cancellation, while it waits for the provider.
pub async fn pending_request(conn: &mut AnyConnection, shipment_id: i64) -> ApiResult<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT r.cancellation_id FROM provider_requests r \
         JOIN shipments s ON s.cancellation_id = r.cancellation_id WHERE s.id = $1",
    )
    .bind(shipment_id)
    .fetch_optional(&mut *conn)
    .await?)
}

/// Replaces what the provider will answer to a waiting request, due now (the demo's "decide now").
pub async fn instruct(
    conn: &mut AnyConnection,
    cancellation_id: i64,
    decision: Decision,
    message: Option<&str>,
    now: DateTime<Utc>,
) -> ApiResult<bool> {
    let changed = sqlx::query(
        "UPDATE provider_requests SET decision = $1, message = $2, due_at = $3 WHERE cancellation_id = $4",
    )
    .bind(decision.code())
    .bind(message)
    .bind(to_millis(now))
    .bind(cancellation_id)
    .execute(&mut *conn)
    .await?;
    Ok(changed.rows_affected() == 1)
}

/// The delivery providers of the seller's shipments, by name, with how many shipments each
/// carries per delivery method.
pub async fn summaries(
    conn: &mut AnyConnection,
    seller_id: &str,
) -> ApiResult<Vec<ProviderSummary>> {
    // A walk from one provider to the next down the provider-led index, then a count of each
    // provider's range: a few index seeks and range counts, never a sort of every shipment (a
    // seller has a handful of providers and may have 100,000 shipments). SQLite's planner is
    // told the index (measured); PostgreSQL's finds it.
    static SQL: LazyLock<[(String, String); 2]> = LazyLock::new(|| {
        [Backend::Sqlite, Backend::Postgres].map(|backend| {
            let index = backend.indexed_by("shipments_by_provider");
            (
                format!(
                    "WITH RECURSIVE walk(name) AS ( \
                         SELECT min(provider) FROM shipments {index} \
                         WHERE seller_id = $1 AND provider IS NOT NULL \
                         UNION ALL \
                         SELECT (SELECT min(provider) FROM shipments {index} \
                                 WHERE seller_id = $1 AND provider > walk.name) \
                         FROM walk WHERE walk.name IS NOT NULL \
                     ) \
                     SELECT name FROM walk WHERE name IS NOT NULL"
                ),
                format!(
                    "SELECT delivery_method, count(*) AS shipments FROM shipments {index} \
                     WHERE seller_id = $1 AND provider = $2 \
                     GROUP BY delivery_method ORDER BY delivery_method"
                ),
            )
        })
    });
    let (walk, per_method) = match Backend::of(conn) {
        Backend::Sqlite => &SQL[0],
        Backend::Postgres => &SQL[1],
    };
    let names: Vec<String> = sqlx::query_scalar(walk.as_str())
        .bind(seller_id)
        .fetch_all(&mut *conn)
        .await?;
    let mut providers = Vec::new();
    for name in names {
        let rows = sqlx::query(per_method.as_str())
            .bind(seller_id)
            .bind(name.as_str())
            .fetch_all(&mut *conn)
            .await?;
        for row in rows {
            providers.push(ProviderSummary {
                name: name.clone(),
                delivery_method: codes::column(&row, "delivery_method")?,
                shipments: narrow(row.try_get("shipments")?, "shipments")?,
            });
        }
    }
    Ok(providers)
}

//! The simulated delivery providers: they answer each stored cancellation request when it falls due.

use std::time::Duration;

use chrono::Utc;

use crate::state::AppState;
use crate::store::provider;
use crate::store::shipments::ported as shipments;

/// Drives the providers whenever this instance is the leader (always, on SQLite): one instance at
/// a time answers, and another takes over when the leader's session ends (leader.rs).
pub async fn run(state: AppState) {
    let mut leader = state.leader.clone();
    loop {
        leader.until_leading().await;
        tokio::select! {
            () = drive(&state) => {}
            () = leader.until_lost() => {
                tracing::warn!("this instance no longer drives the provider simulation");
            }
        }
    }
}

/// Answers requests in due order forever; new requests wake it through `AppState::provider_wake`.
async fn drive(state: &AppState) {
    loop {
        let next = next_due(state).await;
        match next {
            Ok(None) => state.provider_wake.notified().await,
            Ok(Some((cancellation_id, due_at))) => {
                let wait = (due_at - Utc::now()).to_std().unwrap_or(Duration::ZERO);
                if !wait.is_zero() {
                    // A newer request may fall due sooner: wake up for it too.
                    tokio::select! {
                        () = tokio::time::sleep(wait) => {}
                        () = state.provider_wake.notified() => {}
                    }
                    continue;
                }
                if let Err(error) = answer(state, cancellation_id).await {
                    tracing::error!(?error, cancellation_id, "the provider could not answer");
                    // The request stays stored; try again a little later rather than spin.
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
            Err(error) => {
                tracing::error!(?error, "the provider could not read its requests");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

async fn next_due(
    state: &AppState,
) -> Result<Option<(i64, chrono::DateTime<Utc>)>, crate::error::ApiError> {
    let mut conn = state.db.acquire().await?;
    provider::next_due(&mut conn).await
}

async fn answer(state: &AppState, cancellation_id: i64) -> Result<(), crate::error::ApiError> {
    let mut conn = state.db.acquire().await?;
    let Some(decided) = provider::decide(&mut conn, cancellation_id, Utc::now()).await? else {
        // Already answered (the demo's "decide now", or another instance before a handover).
        return Ok(());
    };
    let Some(stored) = shipments::find_by_id(&mut conn, decided.shipment_id).await? else {
        return Ok(());
    };
    drop(conn);
    tracing::info!(posting_number = %stored.shipment.posting_number, "the provider answered");
    state.publish(&decided.seller_id, [stored.shipment]);
    Ok(())
}

//! Which instance drives the provider simulation: exactly one at a time (docs/postgres.md §4.4).
//!
//! On SQLite the one process is always the leader. On PostgreSQL the leader is the instance that
//! holds a session-level advisory lock (`pg_try_advisory_lock`) on a connection of its own, outside
//! the request pool, so the lock is never handed to a request and the connection stays idle: a
//! backend notices its client has gone only between queries, and an idle one notices at once, so
//! when the holder dies (kill -9 included) its session ends and the lock is free. Every instance
//! tries to take it once a second, so a survivor takes over within about a second of the holder's
//! session ending. The holder checks its connection once a second with a trivial query and steps
//! down when that fails (the lock went with the session).
//!
//! Advisory locks live per database, so instances on one database share the lock and nothing else
//! does. A lease row would need renewals, clocks and a fencing check in every decision; the lock
//! gets the same from PostgreSQL's own session handling. A brief double leader (the old holder has
//! not noticed yet) is harmless: a decision deletes its request row in the deciding transaction.

use std::time::Duration;

use sqlx::{Connection, PgConnection};
use tokio::sync::watch;

/// The advisory lock key of the provider simulation (an arbitrary constant, "SIMULATE" in ASCII).
pub const PROVIDER_LOCK_KEY: i64 = 0x5349_4D55_4C41_5445;

/// How often a non-leader tries to take the lock, and the leader checks that it still holds it.
pub const RETRY_EVERY: Duration = Duration::from_secs(1);

/// Whether this instance is the leader right now, and a way to wait for a change.
#[derive(Clone, Debug)]
pub struct Leader {
    leading: watch::Receiver<bool>,
}

impl Leader {
    /// The only instance (SQLite): always the leader.
    pub fn sole() -> Leader {
        let (sender, leading) = watch::channel(true);
        // The sender is dropped: the value never changes, and `changed()` ends at once.
        drop(sender);
        Leader { leading }
    }

    /// Competes for `key` on the PostgreSQL database at `url` in a background task that lives as
    /// long as the runtime; until the lock is taken this instance is not the leader.
    pub fn advisory(url: String, key: i64) -> Leader {
        let (sender, leading) = watch::channel(false);
        tokio::spawn(compete(url, key, sender));
        Leader { leading }
    }

    pub fn is_leader(&self) -> bool {
        *self.leading.borrow()
    }

    /// Returns once this instance is the leader (at once if it already is).
    pub async fn until_leading(&mut self) {
        // An error means the competing task ended (the runtime is shutting down): then wait forever,
        // since no instance should start driving.
        if self.leading.wait_for(|leading| *leading).await.is_err() {
            std::future::pending::<()>().await;
        }
    }

    /// Returns once this instance has lost the lead (never for the sole instance).
    pub async fn until_lost(&mut self) {
        if self.leading.wait_for(|leading| !*leading).await.is_err() {
            // The sole leader's sender is gone: it never loses the lead.
            std::future::pending::<()>().await;
        }
    }
}

async fn compete(url: String, key: i64, leading: watch::Sender<bool>) {
    let mut ticker = tokio::time::interval(RETRY_EVERY);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    // One connection kept across tries (not a new one a second); `holding` once the lock is ours.
    let mut conn: Option<PgConnection> = None;
    let mut holding = false;
    loop {
        ticker.tick().await;
        if leading.is_closed() {
            // Every `Leader` is gone: give the lock back by closing the session.
            if let Some(conn) = conn.take()
                && let Err(error) = conn.close().await
            {
                tracing::warn!(%error, "closing the provider lock's connection");
            }
            return;
        }
        if conn.is_none() {
            match PgConnection::connect(&url).await {
                Ok(new) => conn = Some(new),
                Err(error) => {
                    tracing::warn!(%error, "could not connect for the provider lock; retrying");
                    continue;
                }
            }
        }
        let Some(session) = conn.as_mut() else {
            continue;
        };
        let asked = if holding {
            // Still connected means still holding: the lock ends only with the session.
            sqlx::query("SELECT 1")
                .execute(&mut *session)
                .await
                .map(|_| true)
        } else {
            sqlx::query_scalar::<_, bool>("SELECT pg_try_advisory_lock($1)")
                .bind(key)
                .fetch_one(&mut *session)
                .await
        };
        match asked {
            Ok(true) if !holding => {
                tracing::info!("this instance now drives the provider simulation");
                holding = true;
                leading.send_replace(true);
            }
            Ok(_) => {}
            Err(error) => {
                tracing::warn!(%error, holding, "lost the provider lock's connection");
                conn = None;
                if holding {
                    holding = false;
                    leading.send_replace(false);
                }
            }
        }
    }
}

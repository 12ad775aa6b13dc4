//! Changed shipments, for the live-update streams (`GET /events`), from whichever instance made
//! the change.
//!
//! On SQLite there is one process: a change goes straight into a local `broadcast` channel, which
//! every open stream reads. On PostgreSQL a change is sent as a `NOTIFY` (notify.rs); every
//! instance, the one that made the change included, listens, reads the named shipments back and
//! puts them into its own local channel. So each instance has exactly one path into its streams,
//! and a client hears a change made through any instance. A gap (a lagging stream, a listener
//! that lost its connection) becomes `Change::Resync`, which the stream sends as `event: resync`.

pub mod notify;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use domain::Shipment;
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;
use tokio::sync::{Notify, broadcast, mpsc};

use notify::{Heard, Notice};

/// Updates a stream may fall behind by before it is told to resync.
const LOCAL_CAPACITY: usize = 1_024;

/// One thing an open stream hears.
#[derive(Clone, Debug)]
pub enum Change {
    /// The seller's shipment, as it is now (boxed: a shipment is large, a resync is nothing).
    Shipment {
        seller_id: String,
        shipment: Box<Shipment>,
    },
    /// Changes may have been missed; every stream should tell its client to reload.
    Resync,
}

/// Reads the named shipments of a seller as they are now (those that no longer exist are left out).
pub type Reload = Arc<
    dyn Fn(Notice) -> Pin<Box<dyn Future<Output = Result<Vec<Shipment>, String>> + Send>>
        + Send
        + Sync,
>;

/// The server's reader of notified shipments: each one as the store has it now, read through
/// the sqlx pool (both backends).
pub fn reload_from(db: crate::db::Db) -> Reload {
    Arc::new(move |notice: Notice| {
        let db = db.clone();
        Box::pin(async move {
            let read = async {
                let mut conn = db.acquire().await?;
                let mut found = Vec::new();
                for number in &notice.posting_numbers {
                    if let Some(stored) =
                        crate::store::shipments::ported::find(&mut conn, &notice.seller_id, number)
                            .await?
                    {
                        found.push(stored.shipment);
                    }
                }
                Ok::<_, crate::error::ApiError>(found)
            };
            read.await.map_err(|error| format!("{error:?}"))
        })
    })
}

/// Where changes are published and heard.
#[derive(Clone)]
pub struct Events {
    local: broadcast::Sender<Change>,
    /// PostgreSQL: changes go out as notifications through this pool, and come back to the
    /// listener; None on SQLite.
    notify: Option<PgPool>,
}

impl Events {
    /// One process (SQLite): changes go straight to the local streams.
    pub fn local() -> Events {
        let (local, _) = broadcast::channel(LOCAL_CAPACITY);
        Events {
            local,
            notify: None,
        }
    }

    /// Several instances on the PostgreSQL database at `url`: starts this instance's listener,
    /// which reads every notified shipment back through `reload` and passes provider wake-ups to
    /// `provider_wake`.
    pub async fn postgres(
        url: &str,
        reload: Reload,
        provider_wake: Arc<Notify>,
    ) -> Result<Events, sqlx::Error> {
        let heard = notify::listen(url).await?;
        // Two connections: a notification is one short statement, sent after the change committed.
        let pool = PgPoolOptions::new().max_connections(2).connect(url).await?;
        let (local, _) = broadcast::channel(LOCAL_CAPACITY);
        tokio::spawn(forward(heard, reload, local.clone(), provider_wake));
        Ok(Events {
            local,
            notify: Some(pool),
        })
    }

    /// Wakes the provider simulation of whichever instance leads: `local` here on SQLite, a
    /// notification on PostgreSQL (which comes back to this instance's `local` too).
    pub fn wake_provider(&self, local: &Notify) {
        match &self.notify {
            None => local.notify_one(),
            Some(pool) => {
                let pool = pool.clone();
                tokio::spawn(async move {
                    if let Err(error) = notify::wake(&pool).await {
                        // The leader still finds the request at its next due check or takeover.
                        tracing::error!(%error, "the provider simulation could not be woken");
                    }
                });
            }
        }
    }

    /// A new subscription: every change from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Change> {
        self.local.subscribe()
    }

    /// Tells every stream (of every instance) that these shipments of the seller changed.
    pub fn publish(&self, seller_id: &str, shipments: impl IntoIterator<Item = Shipment>) {
        match &self.notify {
            None => {
                for shipment in shipments {
                    // No subscriber is not an error: nobody is watching.
                    let _ = self.local.send(Change::Shipment {
                        seller_id: seller_id.to_owned(),
                        shipment: Box::new(shipment),
                    });
                }
            }
            Some(pool) => {
                let notice = Notice {
                    seller_id: seller_id.to_owned(),
                    posting_numbers: shipments.into_iter().map(|s| s.posting_number).collect(),
                };
                let pool = pool.clone();
                let local = self.local.clone();
                // Sent after the change committed, off the request's path. A notice that cannot be
                // sent is a gap like any other: this instance's streams resync (the others may
                // miss it; the client's next reload or resync shows it).
                tokio::spawn(async move {
                    if let Err(error) = notify::send(&pool, &notice).await {
                        tracing::error!(%error, "a change could not be notified; streams resync");
                        let _ = local.send(Change::Resync);
                    }
                });
            }
        }
    }
}

/// Reads each notified shipment back, in the order heard (so a later notice is read later and a
/// stream never goes back to an older state), and hands it to the local streams.
async fn forward(
    mut heard: mpsc::Receiver<Heard>,
    reload: Reload,
    local: broadcast::Sender<Change>,
    provider_wake: Arc<Notify>,
) {
    while let Some(item) = heard.recv().await {
        match item {
            Heard::Wake => provider_wake.notify_one(),
            Heard::Gap => {
                let _ = local.send(Change::Resync);
                // A wake-up may have been missed too: let the simulation look (a spare look is cheap).
                provider_wake.notify_one();
            }
            Heard::Notice(notice) => {
                let seller_id = notice.seller_id.clone();
                match reload(notice).await {
                    Ok(shipments) => {
                        for shipment in shipments {
                            let _ = local.send(Change::Shipment {
                                seller_id: seller_id.clone(),
                                shipment: Box::new(shipment),
                            });
                        }
                    }
                    Err(error) => {
                        tracing::error!(%error, "notified shipments could not be read; streams resync");
                        let _ = local.send(Change::Resync);
                    }
                }
            }
        }
    }
}

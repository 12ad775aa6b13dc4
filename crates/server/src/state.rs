//! What every handler can reach: the state the router hands to each request. It lives apart from
//! `app` (which builds the router from the routes) so that the routes depend on it and `app` on
//! the routes, never the other way round.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use domain::Shipment;
use tokio::sync::Notify;

use crate::auth::TokenKeys;
use crate::db::Db;
use crate::web;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub keys: TokenKeys,
    pub settings: Arc<Settings>,
    /// Changed shipments, for the live-update streams, from this instance or any other.
    pub events: crate::events::Events,
    /// Whether this instance drives the provider simulation (always, on SQLite).
    pub leader: crate::leader::Leader,
    /// Wakes the provider simulation when a new request is scheduled.
    pub provider_wake: Arc<Notify>,
    /// Idempotency keys whose request is being processed right now: a second one answers 409.
    pub in_flight: Arc<Mutex<HashSet<(String, String)>>>,
    pub web: Option<Arc<web::WebApp>>,
    /// The sellers this server knows; a token naming another is refused (401). Sellers are created
    /// only by seeding, before the state exists.
    pub sellers: Arc<HashSet<String>>,
    /// The open live-update streams, for their caps.
    pub streams: Arc<crate::streams::Streams>,
    /// The writer that commits intents in groups (one fsync for the intents that arrive together).
    pub commits: crate::group_commit::GroupCommit,
}

#[derive(Debug)]
pub struct Settings {
    pub demo: bool,
    pub demo_seller_id: Option<String>,
    pub portal_origins: Vec<String>,
    pub threshold: f64,
    /// How long the simulated provider takes to approve a request the fixture gave no decision for.
    pub provider_delay: std::time::Duration,
    pub limits: crate::config::Limits,
    /// How long an intent's answer is kept and replayed.
    pub idempotency_retention: std::time::Duration,
    pub idempotency_max_per_seller: u64,
}

impl Settings {
    /// What `GET /config` answers, and what the app's `index.html` carries (crate::web).
    pub fn app_config(&self) -> domain::wire::AppConfig {
        domain::wire::AppConfig {
            demo: self.demo,
            demo_seller_id: self.demo_seller_id.clone(),
            portal_origins: self.portal_origins.clone(),
        }
    }

    /// The provider's answer to a request the fixture gave no decision for.
    pub fn default_decision(&self) -> domain::fixture::ProviderDecision {
        domain::fixture::ProviderDecision {
            after_ms: u64::try_from(self.provider_delay.as_millis()).unwrap_or(u64::MAX),
            ..domain::fixture::ProviderDecision::default()
        }
    }
}

impl AppState {
    /// Wakes the provider simulation of the leading instance (this one or another).
    pub fn wake_provider(&self) {
        self.events.wake_provider(&self.provider_wake);
    }

    pub fn publish(&self, seller_id: &str, shipments: impl IntoIterator<Item = Shipment>) {
        self.events.publish(seller_id, shipments);
    }
}

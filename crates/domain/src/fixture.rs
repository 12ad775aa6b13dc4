//! The seed file that `server --seed FILE.json` loads, and the demo data uses.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::code::codes;

use crate::{Cancellation, Delivery, Destination, Product, ProductLine, Status};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    pub sellers: Vec<FixtureSeller>,
    #[serde(default)]
    pub settings: Settings,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The cancellation-rate threshold as a fraction (0.10 is 10 %).
    pub threshold: f64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            threshold: crate::DEFAULT_THRESHOLD,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixtureSeller {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub products: Vec<Product>,
    #[serde(default)]
    pub shipments: Vec<FixtureShipment>,
}

/// A shipment in the wire shape, without `version` and `eligibility`, which the server owns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixtureShipment {
    pub posting_number: String,
    pub order_number: String,
    pub status: Status,
    pub delivery: Delivery,
    pub destination: Destination,
    pub warehouse_id: String,
    pub products: Vec<ProductLine>,
    #[serde(with = "crate::timestamp")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "crate::timestamp")]
    pub ship_by: DateTime<Utc>,
    #[serde(default)]
    pub cancellation: Option<Cancellation>,
    /// How the simulated provider answers a cancellation request for this shipment.
    #[serde(default)]
    pub provider_decision: Option<ProviderDecision>,
}

codes! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum Decision {
        Approve = "approve",
        Reject = "reject",
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderDecision {
    pub decision: Decision,
    pub after_ms: u64,
    #[serde(default)]
    pub message: Option<String>,
}

impl Default for ProviderDecision {
    /// Without an instruction, the provider approves after a few seconds.
    fn default() -> ProviderDecision {
        ProviderDecision {
            decision: Decision::Approve,
            after_ms: 4_000,
            message: None,
        }
    }
}

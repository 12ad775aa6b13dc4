use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{Cancellation, Delivery, Destination, Eligibility, ProductLine, Status, eligibility};

/// A shipment as the API sends it, with the server-computed eligibility.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Shipment {
    pub posting_number: String,
    pub order_number: String,
    pub status: Status,
    pub delivery: Delivery,
    pub destination: Destination,
    pub warehouse_id: String,
    pub products: Vec<ProductLine>,
    pub created_at: DateTime<Utc>,
    pub ship_by: DateTime<Utc>,
    /// Bumped on every change; a cancellation names the version the seller saw.
    pub version: u64,
    pub cancellation: Option<Cancellation>,
    pub eligibility: Eligibility,
}

impl Shipment {
    /// Runs the rules on this shipment's facts, ignoring the `eligibility` it carries.
    pub fn evaluate(&self) -> Eligibility {
        eligibility(
            self.status,
            self.delivery.method,
            self.cancellation.as_ref(),
            &self.products,
        )
    }

    /// Past its ship-by date and still in the seller's hands.
    pub fn is_overdue(&self, now: DateTime<Utc>) -> bool {
        self.status.is_before_handover() && self.ship_by < now
    }

    /// Total units of all products, for summaries.
    pub fn total_units(&self) -> u64 {
        self.products.iter().map(|p| u64::from(p.quantity)).sum()
    }
}

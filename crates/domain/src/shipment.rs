use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::partial::CancelledItem;
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
    #[serde(with = "crate::timestamp")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "crate::timestamp")]
    pub ship_by: DateTime<Utc>,
    /// Bumped on every change; a cancellation names the version the seller saw.
    pub version: u64,
    pub cancellation: Option<Cancellation>,
    /// The units that partial cancellations took out, oldest first; empty when none.
    #[serde(default)]
    pub cancelled_items: Vec<CancelledItem>,
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

    /// A seller cancellation of this shipment, whole or partial, already took effect: another
    /// one adds nothing to the rate's numerator, where a shipment counts at most once.
    pub fn already_counted(&self) -> bool {
        crate::metric::counted_at(self.cancellation.as_ref(), &self.cancelled_items).is_some()
    }

    /// Total units of all products, for summaries.
    pub fn total_units(&self) -> u64 {
        self.products.iter().map(|p| u64::from(p.quantity)).sum()
    }
}

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::code::codes;

use crate::Reason;

codes! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum CancellationState {
        /// A request went to the delivery provider, which has not answered yet.
        Requested = "requested",
        Cancelled = "cancelled",
        /// The provider refused: the shipment stays in transit and the order is not cancelled.
        Rejected = "rejected",
    }
}

codes! {
    /// Who cancelled. Only seller cancellations count toward the service-quality rate.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum Initiator {
        Seller = "seller",
        /// "Partner delivery service will cancel the order in case of delivery problems."
        Carrier = "carrier",
    }
}

/// The latest cancellation of a shipment, as the wire carries it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Cancellation {
    pub state: CancellationState,
    /// A carrier's cancellation may come without one of the seller's reasons.
    pub reason: Option<Reason>,
    #[serde(default)]
    pub comment: Option<String>,
    pub initiator: Initiator,
    #[serde(with = "crate::timestamp")]
    pub requested_at: DateTime<Utc>,
    #[serde(default, with = "crate::timestamp::option")]
    pub decided_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub provider_message: Option<String>,
}

impl Cancellation {
    pub fn is_pending(&self) -> bool {
        self.state == CancellationState::Requested
    }

    /// A seller cancellation that took effect: the only kind the service-quality rate counts.
    pub fn counts_toward_rate(&self) -> bool {
        self.initiator == Initiator::Seller && self.state == CancellationState::Cancelled
    }
}

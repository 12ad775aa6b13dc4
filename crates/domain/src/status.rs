use serde::{Deserialize, Serialize};

/// A shipment's status, with the marketplace's own English labels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Status {
    AwaitingPackaging,
    AwaitingShipment,
    ReadyForShipment,
    InTransit,
    Delivered,
    Cancelled,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Status::AwaitingPackaging,
        Status::AwaitingShipment,
        Status::ReadyForShipment,
        Status::InTransit,
        Status::Delivered,
        Status::Cancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Status::AwaitingPackaging => "awaiting_packaging",
            Status::AwaitingShipment => "awaiting_shipment",
            Status::ReadyForShipment => "ready_for_shipment",
            Status::InTransit => "in_transit",
            Status::Delivered => "delivered",
            Status::Cancelled => "cancelled",
        }
    }

    pub fn from_code(code: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The label of the marketplace's help text, word for word.
    pub fn label_en(self) -> &'static str {
        match self {
            Status::AwaitingPackaging => "Awaiting packaging",
            Status::AwaitingShipment => "Awaiting shipment",
            Status::ReadyForShipment => "Ready for shipment",
            Status::InTransit => "In transit",
            Status::Delivered => "Delivered",
            Status::Cancelled => "Cancelled",
        }
    }

    /// The three statuses in which the seller still holds the parcel: a cancellation takes effect at once.
    pub fn is_before_handover(self) -> bool {
        matches!(
            self,
            Status::AwaitingPackaging | Status::AwaitingShipment | Status::ReadyForShipment
        )
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

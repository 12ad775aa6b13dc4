use crate::code::codes;

codes! {
    /// A shipment's status, with the marketplace's own English labels.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum Status {
        AwaitingPackaging = "awaiting_packaging",
        AwaitingShipment = "awaiting_shipment",
        ReadyForShipment = "ready_for_shipment",
        InTransit = "in_transit",
        Delivered = "delivered",
        Cancelled = "cancelled",
    }
}

impl Status {
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

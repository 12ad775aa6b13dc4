use crate::code::codes;

codes! {
    /// A cancellation reason, in the order the marketplace lists them.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum Reason {
        OutOfStock = "out_of_stock",
        CustomerRequest = "customer_request",
        LostByCarrier = "lost_by_carrier",
        UndeliverableAddress = "undeliverable_address",
        Other = "other",
    }
}

impl Reason {
    /// The label of the marketplace's help text, word for word.
    pub fn label_en(self) -> &'static str {
        match self {
            Reason::OutOfStock => "The product is out of stock at the seller's warehouse",
            Reason::CustomerRequest => "The customer is asking to cancel the order",
            Reason::LostByCarrier => "The order is lost by the delivery service",
            Reason::UndeliverableAddress => {
                "Delivery service doesn't deliver to the specified address"
            }
            Reason::Other => "Other (seller's fault)",
        }
    }

    /// The marketplace's reason id, where its API publishes one.
    pub fn marketplace_id(self) -> Option<u32> {
        match self {
            Reason::OutOfStock => Some(352),
            Reason::CustomerRequest => None,
            Reason::LostByCarrier => Some(667),
            Reason::UndeliverableAddress => Some(666),
            Reason::Other => Some(402),
        }
    }

    /// `other` is the only reason whose description is required.
    pub fn requires_comment(self) -> bool {
        self == Reason::Other
    }

    /// Cancelling for this reason resets the stock of the shipment's products at its warehouse.
    pub fn resets_stock(self) -> bool {
        self == Reason::OutOfStock
    }

    /// The help text says customer cancellations are already included in the allowed rate; the UI says so too.
    pub fn included_in_allowed_rate(self) -> bool {
        self == Reason::CustomerRequest
    }
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

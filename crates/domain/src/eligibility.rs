use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::code::codes;

use crate::{Cancellation, DeliveryMethod, ProductLine, Reason, Status};

/// The most units of one product a parcel may hold before customs may call it a commercial shipment.
pub const MAX_IDENTICAL_UNITS: u32 = 3;

codes! {
    /// What a cancellation does.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum Mode {
        /// Before handover: the shipment is cancelled at once.
        Immediate = "immediate",
        /// In transit with a partner service: a request goes to the provider, which decides later.
        CarrierRequest = "carrier_request",
    }
}

codes! {
    /// Why a shipment can't be cancelled. The UI turns each into a sentence and a suggestion.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum BlockedCode {
        AlreadyCancelled = "already_cancelled",
        Delivered = "delivered",
        CancellationPending = "cancellation_pending",
        ChinaPostInTransit = "china_post_in_transit",
        InTransitNotPartner = "in_transit_not_partner",
    }
}

codes! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum Warning {
        /// More than three units of one product: customs may treat it as a commercial shipment and cancel it.
        CommercialShipment = "commercial_shipment",
    }
}

/// Whether and how a shipment can be cancelled, and what to tell the seller.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Eligibility {
    pub cancellable: bool,
    pub mode: Option<Mode>,
    pub reasons: Vec<Reason>,
    pub warnings: Vec<Warning>,
    pub blocked: Option<BlockedCode>,
}

impl Eligibility {
    fn blocked(code: BlockedCode) -> Eligibility {
        Eligibility {
            cancellable: false,
            mode: None,
            reasons: Vec::new(),
            warnings: Vec::new(),
            blocked: Some(code),
        }
    }

    pub fn offers(&self, reason: Reason) -> bool {
        self.reasons.contains(&reason)
    }

    /// Checks a chosen reason against this eligibility: the server's guard and the dialog's.
    pub fn check(&self, reason: Reason) -> Result<Mode, RuleViolation> {
        match (self.blocked, self.mode) {
            (Some(code), _) => Err(RuleViolation::Blocked(code)),
            (None, Some(mode)) if self.offers(reason) => Ok(mode),
            _ => Err(RuleViolation::ReasonNotOffered),
        }
    }
}

/// Why a cancellation with a given reason was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RuleViolation {
    #[error("the shipment can't be cancelled: {}", .0.code())]
    Blocked(BlockedCode),
    #[error("this reason is not offered for this shipment")]
    ReasonNotOffered,
}

/// Computes a shipment's eligibility from the facts the rules look at.
///
/// `cancellation` is the shipment's latest cancellation record, if any: a pending provider
/// request blocks another one.
pub fn eligibility(
    status: Status,
    method: DeliveryMethod,
    cancellation: Option<&Cancellation>,
    products: &[ProductLine],
) -> Eligibility {
    let mode = match status {
        Status::Cancelled => return Eligibility::blocked(BlockedCode::AlreadyCancelled),
        Status::Delivered => return Eligibility::blocked(BlockedCode::Delivered),
        Status::InTransit => {
            if cancellation.is_some_and(Cancellation::is_pending) {
                return Eligibility::blocked(BlockedCode::CancellationPending);
            }
            match method {
                DeliveryMethod::ChinaPost => {
                    return Eligibility::blocked(BlockedCode::ChinaPostInTransit);
                }
                DeliveryMethod::Seller => {
                    return Eligibility::blocked(BlockedCode::InTransitNotPartner);
                }
                DeliveryMethod::Partner => Mode::CarrierRequest,
            }
        }
        Status::AwaitingPackaging | Status::AwaitingShipment | Status::ReadyForShipment => {
            Mode::Immediate
        }
    };
    let reasons = Reason::ALL
        .into_iter()
        .filter(|reason| reason_offered(*reason, mode))
        .collect();
    let warnings = if is_commercial(products) {
        vec![Warning::CommercialShipment]
    } else {
        Vec::new()
    };
    Eligibility {
        cancellable: true,
        mode: Some(mode),
        reasons,
        warnings,
        blocked: None,
    }
}

/// The reasons table of RULES.md: which reason fits which kind of cancellation.
fn reason_offered(reason: Reason, mode: Mode) -> bool {
    match reason {
        // Stock and address problems surface before the parcel leaves the warehouse (decision).
        Reason::OutOfStock | Reason::UndeliverableAddress => mode == Mode::Immediate,
        Reason::LostByCarrier => mode == Mode::CarrierRequest,
        Reason::CustomerRequest | Reason::Other => true,
    }
}

/// Units per SKU, summed over the shipment's lines.
pub fn units_per_sku(products: &[ProductLine]) -> BTreeMap<&str, u32> {
    let mut units = BTreeMap::new();
    for line in products {
        let sum = units.entry(line.sku.as_str()).or_insert(0u32);
        *sum = sum.saturating_add(line.quantity);
    }
    units
}

/// More than three identical products, summed over the lines.
pub fn is_commercial(products: &[ProductLine]) -> bool {
    units_per_sku(products)
        .values()
        .any(|units| *units > MAX_IDENTICAL_UNITS)
}

/// Splitting into parcels is offered for a commercial shipment still awaiting packaging (decision).
pub fn split_offered(status: Status, products: &[ProductLine]) -> bool {
    status == Status::AwaitingPackaging && is_commercial(products)
}

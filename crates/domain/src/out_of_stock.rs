//! Out of stock, across shipments (RULES.md, "Cancelling some products of a shipment"): after an
//! `out_of_stock` cancellation, the other shipments before handover that hold the same SKU at the
//! same warehouse lose that product in one step: a partial cancellation where other products
//! remain, a whole cancellation where it is the only product.
//!
//! The server finds those shipments and judges each with [`removal`], for the pre-check and again
//! when the seller confirms; the app shows the answer. The reason is always `out_of_stock`.

use serde::{Deserialize, Serialize};

use crate::code::codes;
use crate::partial::{CancelItem, check_partial};
use crate::wire::{SeenShipment, SkippedCount};
use crate::{Mode, ProblemCode, Reason, Shipment};

/// What removing a product from one shipment does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Removal {
    /// Other products remain: a partial cancellation of every unit of the SKU.
    Partial(CancelItem),
    /// It is the only product: a whole cancellation with `out_of_stock`, in this mode.
    Whole(Mode),
    /// Neither can be done now, for this reason (for example `partial_not_offered` once packed).
    Skip(ProblemCode),
}

/// How [`removal`] judges a shipment that holds `sku`; `None` when it does not hold it.
pub fn removal(shipment: &Shipment, sku: &str) -> Option<Removal> {
    let units: u32 = shipment
        .products
        .iter()
        .filter(|line| line.sku == sku)
        .map(|line| line.quantity)
        .sum();
    if units == 0 {
        return None;
    }
    let eligibility = shipment.evaluate();
    if let Some(code) = eligibility.blocked {
        return Some(Removal::Skip(code.into()));
    }
    let only_product = shipment.products.iter().all(|line| line.sku == sku);
    if only_product {
        return Some(match eligibility.check(Reason::OutOfStock) {
            Ok(mode) => Removal::Whole(mode),
            Err(violation) => Removal::Skip(violation.into()),
        });
    }
    let item = CancelItem {
        sku: sku.to_owned(),
        quantity: units,
    };
    Some(
        match check_partial(
            shipment.status,
            &shipment.products,
            Reason::OutOfStock,
            None,
            std::slice::from_ref(&item),
        ) {
            Ok(_) => Removal::Partial(item),
            Err(error) => Removal::Skip((&error).into()),
        },
    )
}

/// `POST /api/v1/shipments/remove-product/precheck`: what removing `sku` from every other shipment
/// before handover at `warehouse_id` would do. Nothing changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RemovalPrecheckRequest {
    pub sku: String,
    pub warehouse_id: String,
}

/// The answer of a removal pre-check: the seller confirms it, then the app sends `partial` and
/// `whole` together, in batches, to `POST /shipments/remove-product` with their versions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RemovalPrecheck {
    /// Every shipment before handover at the warehouse that holds the SKU.
    pub holding: u64,
    /// Those the pre-check judged: `holding`, or `crate::api::matching::MAX_LIMIT` when more.
    pub considered: u64,
    /// Other products remain: the SKU's units are cancelled.
    pub partial: Vec<SeenShipment>,
    /// The SKU is the only product: the shipment is cancelled.
    pub whole: Vec<SeenShipment>,
    /// Why the rest cannot be, one line per code.
    pub skipped: Vec<SkippedCount>,
}

/// `POST /api/v1/shipments/remove-product`, with an `Idempotency-Key`: remove `sku` from these
/// shipments, each judged again on its current state with [`removal`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RemovalRequest {
    pub sku: String,
    pub warehouse_id: String,
    /// 1 to `crate::api::matching::BATCH` posting numbers.
    pub posting_numbers: Vec<String>,
    /// The version of each shipment the pre-check judged, in the order of `posting_numbers`. A
    /// shipment changed since is `skipped` with `version_mismatch` and its current state.
    #[serde(deserialize_with = "crate::limits::deserialize_version_list")]
    pub versions: Vec<u64>,
}

codes! {
    /// What became of one shipment of a removal.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum RemovalOutcome {
        /// The SKU's units were cancelled; other products remain.
        Reduced = "reduced",
        /// The SKU was the only product: the shipment is cancelled.
        Cancelled = "cancelled",
        /// Not changed, for `code`.
        Skipped = "skipped",
        /// Not changed: the server failed; it may be sent again under the same key.
        Failed = "failed",
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RemovalResult {
    pub posting_number: String,
    pub outcome: RemovalOutcome,
    pub code: Option<ProblemCode>,
    pub shipment: Option<Shipment>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RemovalResponse {
    pub results: Vec<RemovalResult>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Cancellation, CancellationState, Initiator, ProductLine, Status};

    fn line(sku: &str, quantity: u32) -> ProductLine {
        ProductLine {
            sku: sku.to_owned(),
            name: format!("Product {sku}"),
            quantity,
            price: "1.00".to_owned(),
            currency: "USD".to_owned(),
        }
    }

    fn shipment(status: Status, products: Vec<ProductLine>) -> Shipment {
        let json = serde_json::json!({
            "posting_number": "1-1-1", "order_number": "1-1", "status": status,
            "delivery": {"method": "partner", "provider": "Cainiao"},
            "destination": {"country": "RU", "city": "Kazan"}, "warehouse_id": "wh",
            "products": products, "created_at": "2026-11-20T08:00:00Z",
            "ship_by": "2026-11-23T08:00:00Z", "version": 1, "cancellation": null,
            "eligibility": {"cancellable": false, "mode": null, "reasons": [], "warnings": [], "blocked": null}
        });
        serde_json::from_value(json).expect("a shipment")
    }

    #[test]
    fn another_product_remains_so_only_the_sku_goes() {
        let s = shipment(
            Status::AwaitingPackaging,
            vec![line("a", 2), line("b", 1), line("a", 1)],
        );
        assert_eq!(
            removal(&s, "a"),
            Some(Removal::Partial(CancelItem {
                sku: "a".to_owned(),
                quantity: 3
            }))
        );
        assert_eq!(removal(&s, "z"), None);
    }

    #[test]
    fn the_only_product_cancels_the_shipment_in_any_status_before_handover() {
        for status in [
            Status::AwaitingPackaging,
            Status::AwaitingShipment,
            Status::ReadyForShipment,
        ] {
            let s = shipment(status, vec![line("a", 2)]);
            assert_eq!(
                removal(&s, "a"),
                Some(Removal::Whole(Mode::Immediate)),
                "{status:?}"
            );
        }
    }

    #[test]
    fn packed_with_other_products_or_blocked_is_skipped_with_its_code() {
        let packed = shipment(Status::AwaitingShipment, vec![line("a", 1), line("b", 1)]);
        assert_eq!(
            removal(&packed, "a"),
            Some(Removal::Skip(ProblemCode::PartialNotOffered))
        );
        let mut cancelled = shipment(Status::AwaitingPackaging, vec![line("a", 1)]);
        cancelled.status = Status::Cancelled;
        cancelled.cancellation = Some(Cancellation {
            state: CancellationState::Cancelled,
            reason: Some(crate::Reason::OutOfStock),
            comment: None,
            initiator: Initiator::Seller,
            requested_at: "2026-11-21T08:00:00Z".parse().unwrap(),
            decided_at: None,
            provider_message: None,
        });
        assert_eq!(
            removal(&cancelled, "a"),
            Some(Removal::Skip(ProblemCode::AlreadyCancelled))
        );
    }
}

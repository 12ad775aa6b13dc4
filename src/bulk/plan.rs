//! The pre-check of a bulk cancellation: which shipments one reason cancels, and which are skipped
//! and why, by the same rules the server applies to each shipment on its own.

use domain::eligibility::RuleViolation;
use domain::{Mode, Reason, Shipment};

/// The most shipments one request names; larger selections go in several requests, which also
/// lets the progress bar move.
pub const BATCH_SIZE: usize = 20;

#[derive(Clone, Debug, PartialEq)]
pub struct Planned {
    pub shipment: Shipment,
    pub mode: Mode,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Skipped {
    pub shipment: Shipment,
    pub why: RuleViolation,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct BulkPlan {
    pub cancel: Vec<Planned>,
    pub skip: Vec<Skipped>,
}

pub fn plan(shipments: &[Shipment], reason: Reason) -> BulkPlan {
    let mut plan = BulkPlan::default();
    for shipment in shipments {
        match shipment.evaluate().check(reason) {
            Ok(mode) => plan.cancel.push(Planned {
                shipment: shipment.clone(),
                mode,
            }),
            Err(why) => plan.skip.push(Skipped {
                shipment: shipment.clone(),
                why,
            }),
        }
    }
    plan
}

/// The reasons that at least one of the shipments allows, in the marketplace's order.
pub fn offered_reasons(shipments: &[Shipment]) -> Vec<Reason> {
    let eligibilities: Vec<_> = shipments.iter().map(Shipment::evaluate).collect();
    Reason::ALL
        .into_iter()
        .filter(|reason| eligibilities.iter().any(|e| e.offers(*reason)))
        .collect()
}

#[cfg(test)]
mod tests {
    use domain::{BlockedCode, Delivery, DeliveryMethod, Status};

    use super::*;
    use crate::test_shipment;

    fn shipment(posting_number: &str, status: Status, method: DeliveryMethod) -> Shipment {
        let mut shipment = test_shipment::shipment(posting_number);
        shipment.status = status;
        shipment.delivery = Delivery {
            method,
            provider: None,
        };
        test_shipment::rejudged(shipment)
    }

    #[test]
    fn each_shipment_is_judged_on_its_own() {
        let shipments = [
            shipment("a", Status::AwaitingPackaging, DeliveryMethod::Seller),
            shipment("b", Status::InTransit, DeliveryMethod::Partner),
            shipment("c", Status::Delivered, DeliveryMethod::Partner),
        ];
        let plan = plan(&shipments, Reason::OutOfStock);
        let cancelled: Vec<&str> = plan
            .cancel
            .iter()
            .map(|p| p.shipment.posting_number.as_str())
            .collect();
        assert_eq!(cancelled, vec!["a"]);
        let skipped: Vec<(&str, RuleViolation)> = plan
            .skip
            .iter()
            .map(|s| (s.shipment.posting_number.as_str(), s.why))
            .collect();
        assert_eq!(
            skipped,
            vec![
                ("b", RuleViolation::ReasonNotOffered),
                ("c", RuleViolation::Blocked(BlockedCode::Delivered)),
            ]
        );
    }

    #[test]
    fn the_offered_reasons_are_the_union_in_marketplace_order() {
        let shipments = [
            shipment("b", Status::InTransit, DeliveryMethod::Partner),
            shipment("a", Status::AwaitingPackaging, DeliveryMethod::Seller),
        ];
        assert_eq!(offered_reasons(&shipments), Reason::ALL.to_vec());
        let only_delivered = [shipment("c", Status::Delivered, DeliveryMethod::Partner)];
        assert!(offered_reasons(&only_delivered).is_empty());
    }
}

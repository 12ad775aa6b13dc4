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

/// One line of what a run will skip: a shipment the app judged itself, or the server's count of
/// the matching shipments skipped for one code.
#[derive(Clone, Debug, PartialEq)]
pub enum SkipLine {
    One {
        posting_number: String,
        why: RuleViolation,
    },
    Many {
        code: domain::ProblemCode,
        shipments: u64,
    },
}

/// What the seller confirms, however it was judged: the shipments to send with the version seen,
/// and what is skipped.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Prechecked {
    pub cancel: Vec<(String, u64)>,
    pub skip: Vec<SkipLine>,
}

impl Prechecked {
    pub fn skip_count(&self) -> u64 {
        self.skip
            .iter()
            .map(|line| match line {
                SkipLine::One { .. } => 1,
                SkipLine::Many { shipments, .. } => *shipments,
            })
            .sum()
    }
}

impl From<&BulkPlan> for Prechecked {
    fn from(plan: &BulkPlan) -> Prechecked {
        Prechecked {
            cancel: plan
                .cancel
                .iter()
                .map(|p| (p.shipment.posting_number.clone(), p.shipment.version))
                .collect(),
            skip: plan
                .skip
                .iter()
                .map(|s| SkipLine::One {
                    posting_number: s.shipment.posting_number.clone(),
                    why: s.why,
                })
                .collect(),
        }
    }
}

/// The server's pre-check of every matching shipment, as the same plan.
impl From<&domain::wire::MatchingPrecheck> for Prechecked {
    fn from(answer: &domain::wire::MatchingPrecheck) -> Prechecked {
        Prechecked {
            cancel: answer
                .eligible
                .iter()
                .map(|s| (s.posting_number.clone(), s.version))
                .collect(),
            skip: answer
                .skipped
                .iter()
                .map(|s| SkipLine::Many {
                    code: s.code,
                    shipments: s.shipments,
                })
                .collect(),
        }
    }
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
    #[test]
    fn a_local_plan_and_a_server_precheck_give_the_same_kind_of_answer() {
        use domain::ProblemCode;
        use domain::wire::{MatchingPrecheck, SeenShipment, SkippedCount};
        let server = MatchingPrecheck {
            matching: 7,
            considered: 7,
            eligible: vec![SeenShipment {
                posting_number: "a".to_owned(),
                version: 3,
            }],
            skipped: vec![
                SkippedCount {
                    code: ProblemCode::Delivered,
                    shipments: 4,
                },
                SkippedCount {
                    code: ProblemCode::ReasonNotOffered,
                    shipments: 2,
                },
            ],
        };
        let prechecked = Prechecked::from(&server);
        assert_eq!(prechecked.cancel, vec![("a".to_owned(), 3)]);
        assert_eq!(prechecked.skip_count(), 6);
        let local = plan(
            &[
                shipment("b", Status::AwaitingPackaging, DeliveryMethod::Seller),
                shipment("c", Status::Delivered, DeliveryMethod::Partner),
            ],
            Reason::OutOfStock,
        );
        let prechecked = Prechecked::from(&local);
        assert_eq!(prechecked.cancel.len(), 1);
        assert_eq!(prechecked.skip_count(), 1);
    }

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

//! What the follow-ups decide, as plain functions: which shipments "cancel the others to this city"
//! asks the server about, and what its pre-check's answer leads to.

use domain::wire::{MatchFilter, MatchingPrecheck, MatchingPrecheckRequest};
use domain::{Reason, Shipment, Status};

use crate::bulk::dialog::BulkOpen;

/// A product a cancellation took out of a shipment, as the follow-ups name it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CancelledProduct {
    pub sku: String,
    /// The shipment's name for it; its SKU when no line of the shipment names it any more (every
    /// unit of it was cancelled).
    pub name: String,
}

/// What the follow-ups are about: the reason of the shipment's cancellation and the products it
/// took out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowUpOn {
    pub reason: Reason,
    pub products: Vec<CancelledProduct>,
}

/// The follow-ups' subject: a whole cancellation took every product; otherwise the shipment's
/// latest partial cancellation took the products it names (the out-of-stock hook of issue 14).
pub fn follow_up_on(shipment: &Shipment) -> Option<FollowUpOn> {
    if let Some(reason) = shipment.cancellation.as_ref().and_then(|c| c.reason) {
        let products = shipment
            .products
            .iter()
            .map(|line| CancelledProduct {
                sku: line.sku.clone(),
                name: line.name.clone(),
            })
            .collect();
        return Some(FollowUpOn { reason, products });
    }
    let latest = shipment.cancelled_items.iter().map(|item| item.at).max()?;
    let items: Vec<_> = shipment
        .cancelled_items
        .iter()
        .filter(|item| item.at == latest)
        .collect();
    let products = items
        .iter()
        .map(|item| CancelledProduct {
            sku: item.sku.clone(),
            name: shipment
                .products
                .iter()
                .find(|line| line.sku == item.sku)
                .map_or_else(|| item.sku.clone(), |line| line.name.clone()),
        })
        .collect();
    Some(FollowUpOn {
        reason: items.first()?.reason,
        products,
    })
}

/// The pre-check for the seller's other shipments to the city an undeliverable shipment was going
/// to: before handover (where the reason is offered), judged by the server, none downloaded.
pub fn others_to_city(shipment: &Shipment) -> MatchingPrecheckRequest {
    MatchingPrecheckRequest {
        filter: MatchFilter {
            status: Status::ALL
                .into_iter()
                .filter(|status| status.is_before_handover())
                .collect(),
            city: Some(shipment.destination.city.clone()),
            ..MatchFilter::default()
        },
        reason: Reason::UndeliverableAddress,
        comment: None,
        limit: domain::api::matching::MAX_LIMIT,
    }
}

/// What the pre-check's answer leads to.
#[derive(Clone, Debug, PartialEq)]
pub enum Others {
    /// No other shipment there can be cancelled.
    None,
    /// The bulk cancellation of every matching one, with the reason preset.
    Cancel(BulkOpen),
}

pub fn others_found(
    shipment: &Shipment,
    request: &MatchingPrecheckRequest,
    answer: &MatchingPrecheck,
) -> Others {
    let others = answer
        .eligible
        .iter()
        .filter(|seen| seen.posting_number != shipment.posting_number)
        .count();
    if others == 0 {
        Others::None
    } else {
        Others::Cancel(BulkOpen {
            shipments: Vec::new(),
            preset: Some(request.reason),
            matching: Some((request.filter.clone(), answer.matching)),
        })
    }
}

#[cfg(test)]
mod tests {
    use domain::wire::SeenShipment;

    use super::*;
    use crate::test_shipment;

    fn answer(eligible: &[&str], matching: u64) -> MatchingPrecheck {
        MatchingPrecheck {
            matching,
            considered: matching,
            eligible: eligible
                .iter()
                .map(|pn| SeenShipment {
                    posting_number: (*pn).to_owned(),
                    version: 1,
                })
                .collect(),
            skipped: Vec::new(),
        }
    }

    #[test]
    fn the_others_are_the_city_s_shipments_before_handover() {
        let request = others_to_city(&test_shipment::shipment("1-1-1"));
        assert_eq!(request.filter.city.as_deref(), Some("Kazan"));
        assert_eq!(
            request.filter.status,
            vec![
                Status::AwaitingPackaging,
                Status::AwaitingShipment,
                Status::ReadyForShipment
            ]
        );
        assert_eq!(request.reason, Reason::UndeliverableAddress);
    }

    #[test]
    fn a_partial_cancellation_is_followed_up_on_the_products_it_took_out() {
        use domain::partial::CancelledItem;
        let item = |sku: &str, at: &str| CancelledItem {
            sku: sku.to_owned(),
            quantity: 1,
            reason: Reason::OutOfStock,
            comment: None,
            initiator: domain::Initiator::Seller,
            at: at.parse().unwrap(),
        };
        let mut shipment = test_shipment::shipment("1-1-1");
        assert_eq!(follow_up_on(&shipment), None);
        shipment.cancelled_items = vec![
            item("1001", "2026-11-21T08:00:00Z"),
            item("1001", "2026-11-22T08:00:00Z"),
            item("2002", "2026-11-22T08:00:00Z"),
        ];
        assert_eq!(
            follow_up_on(&shipment),
            Some(FollowUpOn {
                reason: Reason::OutOfStock,
                products: vec![
                    CancelledProduct {
                        sku: "1001".to_owned(),
                        name: "Phone case".to_owned()
                    },
                    CancelledProduct {
                        sku: "2002".to_owned(),
                        name: "2002".to_owned()
                    },
                ],
            })
        );
    }

    #[test]
    fn the_cancelled_shipment_itself_is_not_another() {
        let shipment = test_shipment::shipment("1-1-1");
        let request = others_to_city(&shipment);
        assert_eq!(
            others_found(&shipment, &request, &answer(&["1-1-1"], 1)),
            Others::None
        );
        match others_found(&shipment, &request, &answer(&["1-1-1", "2-2-2"], 5)) {
            Others::Cancel(open) => {
                assert_eq!(open.preset, Some(Reason::UndeliverableAddress));
                assert_eq!(open.matching, Some((request.filter, 5)));
                assert!(open.shipments.is_empty(), "none downloaded");
            }
            Others::None => panic!("another shipment was found"),
        }
    }
}

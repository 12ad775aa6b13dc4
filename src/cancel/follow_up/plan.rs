//! What the follow-ups decide, as plain functions: which shipments "cancel the others to this city"
//! asks the server about, and what its pre-check's answer leads to.

use domain::wire::{MatchFilter, MatchingPrecheck, MatchingPrecheckRequest};
use domain::{Reason, Shipment, Status};

use crate::bulk::dialog::BulkOpen;
use crate::cancel::follow_up::sweep::run::OutOfStock;

/// The reason of the seller's latest cancellation of `shipment`, whole or partial, and the
/// products it took: every product of a whole cancellation, the items of a partial one (those
/// cancelled at that moment).
pub fn latest_cancellation(shipment: &Shipment) -> Option<(Reason, Vec<OutOfStock>)> {
    let named = |sku: &str| OutOfStock {
        sku: sku.to_owned(),
        // A line whose every unit went is gone: the SKU is all the shipment still says.
        name: shipment
            .products
            .iter()
            .find(|line| line.sku == sku)
            .map(|line| line.name.clone())
            .unwrap_or_default(),
        warehouse_id: shipment.warehouse_id.clone(),
    };
    let partial_at = shipment.cancelled_items.iter().map(|item| item.at).max();
    let whole = shipment
        .cancellation
        .as_ref()
        .filter(|cancellation| partial_at.is_none_or(|at| cancellation.requested_at >= at));
    if let Some(cancellation) = whole {
        let products = shipment
            .products
            .iter()
            .map(|line| named(&line.sku))
            .collect();
        return Some((cancellation.reason?, products));
    }
    let at = partial_at?;
    let latest: Vec<_> = shipment
        .cancelled_items
        .iter()
        .filter(|item| item.at == at)
        .collect();
    let reason = latest.first()?.reason;
    Some((reason, latest.iter().map(|item| named(&item.sku)).collect()))
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
    use domain::partial::CancelledItem;
    use domain::wire::SeenShipment;
    use domain::{Cancellation, CancellationState, Initiator};

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

    fn cancelled_item(sku: &str, reason: Reason, minute: i64) -> CancelledItem {
        CancelledItem {
            sku: sku.to_owned(),
            quantity: 1,
            reason,
            comment: None,
            initiator: Initiator::Seller,
            at: test_shipment::shipment("x").created_at + chrono::Duration::minutes(minute),
        }
    }

    #[test]
    fn a_partial_cancellation_names_the_products_it_took_then() {
        let mut shipment = test_shipment::shipment("1-1-1");
        shipment.cancelled_items = vec![
            cancelled_item("old", Reason::CustomerRequest, 1),
            cancelled_item("gone", Reason::OutOfStock, 5),
            cancelled_item(&shipment.products[0].sku.clone(), Reason::OutOfStock, 5),
        ];
        let (reason, products) = latest_cancellation(&shipment).expect("a partial one");
        assert_eq!(reason, Reason::OutOfStock);
        let skus: Vec<_> = products.iter().map(|p| p.sku.as_str()).collect();
        assert_eq!(skus, ["gone", shipment.products[0].sku.as_str()]);
        assert_eq!(products[0].name, "", "its line is gone: known by its SKU");
        assert_eq!(products[1].name, shipment.products[0].name);
        assert_eq!(products[1].warehouse_id, shipment.warehouse_id);
    }

    #[test]
    fn a_whole_cancellation_after_a_partial_one_is_the_latest() {
        let mut shipment = test_shipment::shipment("1-1-1");
        shipment.cancelled_items = vec![cancelled_item("gone", Reason::OutOfStock, 1)];
        shipment.cancellation = Some(Cancellation {
            state: CancellationState::Cancelled,
            reason: Some(Reason::CustomerRequest),
            comment: None,
            initiator: Initiator::Seller,
            requested_at: shipment.created_at + chrono::Duration::minutes(9),
            decided_at: None,
            provider_message: None,
        });
        let (reason, products) = latest_cancellation(&shipment).expect("the whole one");
        assert_eq!(reason, Reason::CustomerRequest);
        assert_eq!(products.len(), shipment.products.len());
        assert_eq!(latest_cancellation(&test_shipment::shipment("2-2-2")), None);
    }
}

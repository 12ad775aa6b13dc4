//! What the follow-ups decide, as plain functions: which shipments "cancel the others to this city"
//! asks the server about, and what its pre-check's answer leads to.

use domain::wire::{MatchFilter, MatchingPrecheck, MatchingPrecheckRequest};
use domain::{Reason, Shipment, Status};

use crate::bulk::dialog::BulkOpen;

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

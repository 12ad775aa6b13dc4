//! What changed in a shipment between the version the seller saw and the current one, in words,
//! for the dialog's answer to a 412.

use domain::Shipment;

use crate::i18n::text;

pub fn describe(seen: &Shipment, current: &Shipment) -> Vec<String> {
    let mut changes = Vec::new();
    if seen.status != current.status {
        changes.push(text::status_changed(current.status));
    }
    if seen.cancellation != current.cancellation
        && let Some(cancellation) = &current.cancellation
    {
        changes.push(text::cancellation_state(
            cancellation.state,
            current.delivery.provider.as_deref(),
            cancellation.initiator,
        ));
    }
    if seen.delivery != current.delivery {
        changes.push(text::delivery_changed(current));
    }
    if seen.products != current.products {
        changes.push(text::products_changed().to_owned());
    }
    if changes.is_empty() {
        changes.push(text::details_changed().to_owned());
    }
    changes
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};
    use domain::{Cancellation, CancellationState, Initiator, Status};

    use super::*;
    use crate::test_shipment;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn shipment() -> Shipment {
        let mut shipment = test_shipment::shipment("87654321-0001-1");
        shipment.ship_by = at("2026-11-23T08:00:00Z");
        shipment.version = 3;
        shipment
    }

    #[test]
    fn a_new_status_and_a_pending_request_are_both_named() {
        let seen = shipment();
        let mut current = seen.clone();
        current.version = 5;
        current.status = Status::InTransit;
        current.cancellation = Some(Cancellation {
            state: CancellationState::Requested,
            reason: Some(domain::Reason::CustomerRequest),
            comment: None,
            initiator: Initiator::Seller,
            requested_at: at("2026-11-24T08:00:00Z"),
            decided_at: None,
            provider_message: None,
        });
        assert_eq!(
            describe(&seen, &current),
            vec![
                "The status is now “In transit”.".to_owned(),
                "Cancellation requested from Cainiao".to_owned(),
            ]
        );
    }

    #[test]
    fn a_change_the_rules_do_not_read_is_still_reported() {
        let seen = shipment();
        let mut current = seen.clone();
        current.version = 4;
        current.destination.city = "Moscow".to_owned();
        assert_eq!(
            describe(&seen, &current),
            vec![text::details_changed().to_owned()]
        );
    }
}

//! Cancelling some products of a shipment (issue 14): the flow, its dialog, and what a row shows
//! of the products a partial cancellation took out.

pub mod dialog;
pub mod flow;

use std::collections::BTreeMap;

use domain::Shipment;

/// The units partial cancellations took out of a shipment, summed per product in the order they
/// were first cancelled, each named as the shipment still names it (a product whose every unit
/// went is no longer in the shipment: its SKU is all the row has, `None` here).
pub fn cancelled_summary(shipment: &Shipment) -> Vec<(String, Option<String>, u32)> {
    let mut order: Vec<&str> = Vec::new();
    let mut units: BTreeMap<&str, u32> = BTreeMap::new();
    for item in &shipment.cancelled_items {
        let sum = units.entry(item.sku.as_str()).or_insert_with(|| {
            order.push(item.sku.as_str());
            0
        });
        *sum = sum.saturating_add(item.quantity);
    }
    order
        .into_iter()
        .map(|sku| {
            let name = shipment
                .products
                .iter()
                .find(|line| line.sku == sku)
                .map(|line| line.name.clone());
            (sku.to_owned(), name, units[sku])
        })
        .collect()
}

/// "Cancel some products" is offered on a row: the rules offer a partial cancellation in its
/// status, and it holds more than one unit (with one unit, any cancellation is a whole one).
pub fn offered_on(shipment: &Shipment) -> bool {
    domain::partial::partial_offered(shipment.status) && shipment.total_units() > 1
}

#[cfg(test)]
mod tests {
    use domain::partial::CancelledItem;
    use domain::{Initiator, ProductLine, Reason, Status};

    use super::*;
    use crate::test_shipment;

    fn cancelled(sku: &str, quantity: u32) -> CancelledItem {
        CancelledItem {
            sku: sku.to_owned(),
            quantity,
            reason: Reason::OutOfStock,
            comment: None,
            initiator: Initiator::Seller,
            at: "2026-11-21T08:00:00Z".parse().unwrap(),
        }
    }

    #[test]
    fn cancelled_units_are_summed_per_product_and_named_while_the_shipment_names_them() {
        let mut shipment = test_shipment::shipment("1-1-1");
        shipment.cancelled_items = vec![
            cancelled("1001", 1),
            cancelled("2002", 2),
            cancelled("1001", 2),
        ];
        assert_eq!(
            cancelled_summary(&shipment),
            vec![
                ("1001".to_owned(), Some("Phone case".to_owned()), 3),
                ("2002".to_owned(), None, 2),
            ]
        );
        assert!(cancelled_summary(&test_shipment::shipment("1-1-1")).is_empty());
    }

    #[test]
    fn offered_while_awaiting_packaging_with_more_than_one_unit() {
        let mut shipment = test_shipment::shipment("1-1-1");
        shipment.status = Status::AwaitingPackaging;
        assert!(
            !offered_on(&shipment),
            "one unit: only a whole cancellation"
        );
        shipment.products.push(ProductLine {
            sku: "2002".to_owned(),
            name: "Cable".to_owned(),
            quantity: 1,
            price: "1.00".to_owned(),
            currency: "USD".to_owned(),
        });
        assert!(offered_on(&shipment));
        shipment.status = Status::AwaitingShipment;
        assert!(!offered_on(&shipment), "packed: no longer offered");
    }
}

//! Invariants of a partial cancellation over arbitrary shipments and items.

use std::collections::BTreeMap;

use domain::ProductLine;
use domain::eligibility::units_per_sku;
use domain::partial::{CancelItem, ItemsError, remaining_after};
use proptest::prelude::*;

fn products() -> impl Strategy<Value = Vec<ProductLine>> {
    proptest::collection::vec(
        (proptest::sample::select(vec!["a", "b", "c", "d"]), 1u32..6),
        1..5,
    )
    .prop_map(|lines| {
        lines
            .into_iter()
            .map(|(sku, quantity)| ProductLine {
                sku: sku.to_owned(),
                name: format!("Product {sku}"),
                quantity,
                price: "1.00".to_owned(),
                currency: "USD".to_owned(),
            })
            .collect()
    })
}

fn items() -> impl Strategy<Value = Vec<CancelItem>> {
    proptest::collection::vec(
        (
            proptest::sample::select(vec!["a", "b", "c", "d", "e"]),
            0u32..8,
        ),
        0..5,
    )
    .prop_map(|items| {
        items
            .into_iter()
            .map(|(sku, quantity)| CancelItem {
                sku: sku.to_owned(),
                quantity,
            })
            .collect()
    })
}

fn units(lines: &[ProductLine]) -> BTreeMap<String, u32> {
    units_per_sku(lines)
        .into_iter()
        .map(|(sku, units)| (sku.to_owned(), units))
        .collect()
}

proptest! {
    #[test]
    fn what_remains_plus_what_was_cancelled_is_what_was_there(
        products in products(),
        items in items(),
    ) {
        if let Ok(remaining) = remaining_after(&products, &items) {
            prop_assert!(!remaining.is_empty(), "a partial cancellation never empties a shipment");
            prop_assert!(remaining.iter().all(|line| line.quantity > 0));
            let mut back = units(&remaining);
            for item in &items {
                *back.entry(item.sku.clone()).or_insert(0) += item.quantity;
            }
            prop_assert_eq!(back, units(&products));
        }
    }

    #[test]
    fn valid_items_short_of_every_unit_are_accepted(
        products in products(),
        take in proptest::collection::vec(0u32..6, 4),
    ) {
        let held = units(&products);
        let items: Vec<CancelItem> = held
            .iter()
            .zip(&take)
            .map(|((sku, units), take)| CancelItem { sku: sku.clone(), quantity: (*take).min(*units) })
            .filter(|item| item.quantity > 0)
            .collect();
        let every_unit = items.iter().map(|i| i.quantity).sum::<u32>() == held.values().sum::<u32>();
        let verdict = remaining_after(&products, &items);
        if items.is_empty() {
            prop_assert_eq!(verdict, Err(ItemsError::NoItems));
        } else if every_unit {
            prop_assert_eq!(verdict, Err(ItemsError::WholeShipment));
        } else {
            prop_assert!(verdict.is_ok(), "{:?}", verdict);
        }
    }
}

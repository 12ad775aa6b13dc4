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

mod metric_counts_a_shipment_once {
    use chrono::{DateTime, Duration, TimeZone, Utc};
    use domain::metric::{MetricFacts, counted_at, report};
    use domain::partial::CancelledItem;
    use domain::{Cancellation, CancellationState, Initiator, Reason};
    use proptest::prelude::*;

    fn at(minutes: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, 0, 0, 0).unwrap() + Duration::minutes(minutes)
    }

    fn item(minutes: i64, initiator: Initiator) -> CancelledItem {
        CancelledItem {
            sku: "a".to_owned(),
            quantity: 1,
            reason: Reason::OutOfStock,
            comment: None,
            initiator,
            at: at(minutes),
        }
    }

    fn whole(minutes: i64) -> Cancellation {
        Cancellation {
            state: CancellationState::Cancelled,
            reason: Some(Reason::OutOfStock),
            comment: None,
            initiator: Initiator::Seller,
            requested_at: at(minutes),
            decided_at: Some(at(minutes)),
            provider_message: None,
        }
    }

    #[test]
    fn the_first_seller_cancellation_is_when_it_counts() {
        let items = [item(30, Initiator::Seller), item(10, Initiator::Seller)];
        assert_eq!(counted_at(Some(&whole(60)), &items), Some(at(10)));
        assert_eq!(counted_at(Some(&whole(5)), &items), Some(at(5)));
        assert_eq!(counted_at(None, &[]), None);
        // A carrier's partial cancellation never counts.
        assert_eq!(counted_at(None, &[item(1, Initiator::Carrier)]), None);
    }

    proptest! {
        /// However many partial cancellations a shipment had, with or without a whole one, it adds
        /// at most one to the numerator, and exactly one when any of them counts.
        #[test]
        fn the_rate_never_counts_a_shipment_twice(
            shipments in proptest::collection::vec(
                (proptest::collection::vec(0i64..2000, 0..4), proptest::option::of(0i64..2000)),
                1..20,
            ),
        ) {
            let now = at(3000);
            let data: Vec<(Vec<CancelledItem>, Option<Cancellation>)> = shipments
                .iter()
                .map(|(partials, whole_at)| (
                    partials.iter().map(|m| item(*m, Initiator::Seller)).collect(),
                    whole_at.map(whole),
                ))
                .collect();
            let facts = data.iter().map(|(items, cancellation)| MetricFacts {
                created_at: at(0),
                cancellation: cancellation.as_ref(),
                cancelled_items: items,
            });
            let rate = report(facts, now, 0.1);
            let cancelled = data
                .iter()
                .filter(|(items, cancellation)| !items.is_empty() || cancellation.is_some())
                .count();
            prop_assert_eq!(rate.seller_cancellations as usize, cancelled);
            prop_assert!(rate.seller_cancellations <= rate.shipments);
        }
    }
}

//! The description rules, the cancellation-rate metric and split validation, row by row.

use chrono::{DateTime, Duration, TimeZone, Utc};
use domain::metric::{MetricFacts, report, window_first_day};
use domain::split::ParcelLine;
use domain::{
    Cancellation, CancellationRate, CancellationState, CommentError, Initiator, ProductLine,
    Reason, SplitError, Status, validate_comment, validate_split,
};

#[test]
fn other_requires_a_description() {
    for blank in [None, Some(""), Some("   "), Some("\u{3000}")] {
        assert_eq!(
            validate_comment(Reason::Other, blank),
            Err(CommentError::CommentRequired),
            "{blank:?}"
        );
    }
    assert_eq!(
        validate_comment(Reason::Other, Some("  Supplier failed to deliver  ")),
        Ok(Some("Supplier failed to deliver".to_owned()))
    );
}

#[test]
fn descriptions_are_1_to_500_characters_after_trimming() {
    let max = "界".repeat(500);
    assert_eq!(
        validate_comment(Reason::Other, Some(&max)),
        Ok(Some(max.clone()))
    );
    let padded = format!("  {max}  ");
    assert_eq!(
        validate_comment(Reason::Other, Some(&padded)),
        Ok(Some(max))
    );
    let over = "a".repeat(501);
    assert_eq!(
        validate_comment(Reason::Other, Some(&over)),
        Err(CommentError::CommentTooLong)
    );
    assert_eq!(
        validate_comment(Reason::Other, Some(&"x".repeat(10_000))),
        Err(CommentError::CommentTooLong)
    );
}

#[test]
fn descriptions_refuse_control_characters() {
    for text in [
        "line\nbreak",
        "tab\there",
        "nul\0",
        "bell\u{7}",
        "del\u{7f}",
        "c1\u{85}x",
    ] {
        assert_eq!(
            validate_comment(Reason::Other, Some(text)),
            Err(CommentError::CommentControlCharacters),
            "{text:?}"
        );
    }
}

#[test]
fn other_reasons_take_an_optional_description_under_the_same_limits() {
    assert_eq!(validate_comment(Reason::OutOfStock, None), Ok(None));
    assert_eq!(validate_comment(Reason::OutOfStock, Some("  ")), Ok(None));
    assert_eq!(
        validate_comment(Reason::CustomerRequest, Some("Asked in chat")),
        Ok(Some("Asked in chat".to_owned()))
    );
    assert_eq!(
        validate_comment(Reason::LostByCarrier, Some("a\u{1b}[31m")),
        Err(CommentError::CommentControlCharacters)
    );
}

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
}

fn cancellation(
    state: CancellationState,
    initiator: Initiator,
    decided: Option<DateTime<Utc>>,
) -> Cancellation {
    Cancellation {
        state,
        reason: Some(Reason::OutOfStock),
        comment: None,
        initiator,
        requested_at: decided.unwrap_or(at(20, 0)) - Duration::hours(1),
        decided_at: decided,
        provider_message: None,
    }
}

#[test]
fn the_rate_counts_seller_cancellations_over_shipments_of_the_last_14_days() {
    let now = at(26, 12);
    assert_eq!(window_first_day(now), at(13, 0).date_naive());
    let seller = cancellation(
        CancellationState::Cancelled,
        Initiator::Seller,
        Some(at(25, 9)),
    );
    let approved = cancellation(
        CancellationState::Cancelled,
        Initiator::Seller,
        Some(at(24, 9)),
    );
    let carrier = cancellation(
        CancellationState::Cancelled,
        Initiator::Carrier,
        Some(at(24, 9)),
    );
    let pending = cancellation(CancellationState::Requested, Initiator::Seller, None);
    let rejected = cancellation(
        CancellationState::Rejected,
        Initiator::Seller,
        Some(at(23, 9)),
    );
    let old = cancellation(
        CancellationState::Cancelled,
        Initiator::Seller,
        Some(at(12, 23)),
    );
    let facts = vec![
        MetricFacts {
            cancelled_items: &[],
            created_at: at(20, 8),
            cancellation: Some(&seller),
        },
        MetricFacts {
            cancelled_items: &[],
            created_at: at(13, 0),
            cancellation: Some(&approved),
        },
        MetricFacts {
            cancelled_items: &[],
            created_at: at(21, 8),
            cancellation: Some(&carrier),
        },
        MetricFacts {
            cancelled_items: &[],
            created_at: at(22, 8),
            cancellation: Some(&pending),
        },
        MetricFacts {
            cancelled_items: &[],
            created_at: at(22, 9),
            cancellation: Some(&rejected),
        },
        // Created before the window: not a shipment of the window, and its old cancellation neither.
        MetricFacts {
            cancelled_items: &[],
            created_at: at(12, 23),
            cancellation: Some(&old),
        },
        MetricFacts {
            cancelled_items: &[],
            created_at: at(26, 11),
            cancellation: None,
        },
        // In the future of `now`: ignored.
        MetricFacts {
            cancelled_items: &[],
            created_at: at(26, 13),
            cancellation: None,
        },
    ];
    let report = report(facts, now, 0.10);
    assert_eq!(report.window_days, 14);
    assert_eq!(report.shipments, 6);
    assert_eq!(report.seller_cancellations, 2);
    assert!((report.rate - 2.0 / 6.0).abs() < 1e-12);
    assert_eq!(report.series.len(), 14);
    assert_eq!(report.series[0].date, at(13, 0).date_naive());
    assert_eq!(report.series[13].date, now.date_naive());
    assert_eq!(report.series[0].shipments, 1);
    assert_eq!(report.series[12].seller_cancellations, 1);
    assert_eq!(report.series[11].seller_cancellations, 1);
    let summed: u32 = report.series.iter().map(|d| d.shipments).sum();
    assert_eq!(summed, report.shipments);
}

#[test]
fn the_projection_warns_when_the_threshold_is_crossed() {
    let counts = CancellationRate {
        seller_cancellations: 9,
        shipments: 100,
    };
    let one = counts.project(1, 0.10);
    assert!((one.current - 0.09).abs() < 1e-12);
    assert!((one.projected - 0.10).abs() < 1e-12);
    assert!(
        !one.crosses_threshold,
        "exactly at the threshold is not over it"
    );
    let two = counts.project(2, 0.10);
    assert!(two.crosses_threshold && two.above_threshold);
    let already = CancellationRate {
        seller_cancellations: 20,
        shipments: 100,
    }
    .project(1, 0.10);
    assert!(!already.crosses_threshold && already.above_threshold);
    let empty = CancellationRate::default();
    assert_eq!(empty.rate(), 0.0);
    assert_eq!(empty.project(3, 0.10).projected, 0.0);
}

fn lines(spec: &[(&str, u32)]) -> Vec<ProductLine> {
    spec.iter()
        .map(|(sku, quantity)| ProductLine {
            sku: (*sku).to_owned(),
            name: format!("Product {sku}"),
            quantity: *quantity,
            price: "2.50".to_owned(),
            currency: "USD".to_owned(),
        })
        .collect()
}

fn parcels(spec: &[&[(&str, u32)]]) -> Vec<Vec<ParcelLine>> {
    spec.iter()
        .map(|parcel| {
            parcel
                .iter()
                .map(|(sku, quantity)| ParcelLine {
                    sku: (*sku).to_owned(),
                    quantity: *quantity,
                })
                .collect()
        })
        .collect()
}

#[test]
fn a_split_keeps_every_unit_and_at_most_three_of_a_product_per_parcel() {
    let products = lines(&[("1001", 5), ("2002", 1)]);
    let ok = parcels(&[&[("1001", 3), ("2002", 1)], &[("1001", 2)]]);
    assert_eq!(
        validate_split(Status::AwaitingPackaging, &products, &ok),
        Ok(())
    );

    let cases: [(Vec<Vec<ParcelLine>>, SplitError); 6] = [
        (
            parcels(&[&[("1001", 5), ("2002", 1)]]),
            SplitError::TooFewParcels,
        ),
        (
            parcels(&[&[("1001", 4)], &[("1001", 1), ("2002", 1)]]),
            SplitError::TooManyIdentical {
                parcel: 1,
                sku: "1001".into(),
                units: 4,
            },
        ),
        (
            parcels(&[&[("1001", 2), ("1001", 2)], &[("1001", 1), ("2002", 1)]]),
            SplitError::TooManyIdentical {
                parcel: 1,
                sku: "1001".into(),
                units: 4,
            },
        ),
        (
            parcels(&[&[("1001", 3)], &[("1001", 1), ("2002", 1)]]),
            SplitError::QuantityMismatch {
                sku: "1001".into(),
                expected: 5,
                planned: 4,
            },
        ),
        (
            parcels(&[&[("1001", 3)], &[("1001", 2), ("9999", 1)]]),
            SplitError::UnknownSku { sku: "9999".into() },
        ),
        (
            parcels(&[&[("1001", 3)], &[]]),
            SplitError::EmptyParcel { parcel: 2 },
        ),
    ];
    for (plan, error) in cases {
        assert_eq!(
            validate_split(Status::AwaitingPackaging, &products, &plan),
            Err(error)
        );
    }
    assert_eq!(
        validate_split(Status::AwaitingShipment, &products, &ok),
        Err(SplitError::SplitNotOffered)
    );
    let small = lines(&[("1001", 3)]);
    let plan = parcels(&[&[("1001", 2)], &[("1001", 1)]]);
    assert_eq!(
        validate_split(Status::AwaitingPackaging, &small, &plan),
        Err(SplitError::SplitNotOffered)
    );
}

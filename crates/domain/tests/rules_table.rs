//! RULES.md as a table: one row for every status × delivery method × reason, and the warning cases.
//!
//! The expected column is written out by hand from RULES.md, not computed, so that a change to
//! the rules crate that disagrees with RULES.md fails here.

use chrono::{TimeZone, Utc};
use domain::eligibility::{RuleViolation, is_commercial, split_offered};
use domain::{
    BlockedCode, Cancellation, CancellationState, DeliveryMethod, Initiator, Mode, ProductLine,
    Reason, Status, Warning, eligibility,
};

type Expected = Result<&'static str, &'static str>;

/// (status, delivery method, reason) → Ok(mode) when the reason is accepted, Err(code) when refused.
const TABLE: [(&str, &str, &str, Expected); 90] = [
    (
        "awaiting_packaging",
        "partner",
        "out_of_stock",
        Ok("immediate"),
    ),
    (
        "awaiting_packaging",
        "partner",
        "customer_request",
        Ok("immediate"),
    ),
    (
        "awaiting_packaging",
        "partner",
        "lost_by_carrier",
        Err("reason_not_offered"),
    ),
    (
        "awaiting_packaging",
        "partner",
        "undeliverable_address",
        Ok("immediate"),
    ),
    ("awaiting_packaging", "partner", "other", Ok("immediate")),
    (
        "awaiting_packaging",
        "china_post",
        "out_of_stock",
        Ok("immediate"),
    ),
    (
        "awaiting_packaging",
        "china_post",
        "customer_request",
        Ok("immediate"),
    ),
    (
        "awaiting_packaging",
        "china_post",
        "lost_by_carrier",
        Err("reason_not_offered"),
    ),
    (
        "awaiting_packaging",
        "china_post",
        "undeliverable_address",
        Ok("immediate"),
    ),
    ("awaiting_packaging", "china_post", "other", Ok("immediate")),
    (
        "awaiting_packaging",
        "seller",
        "out_of_stock",
        Ok("immediate"),
    ),
    (
        "awaiting_packaging",
        "seller",
        "customer_request",
        Ok("immediate"),
    ),
    (
        "awaiting_packaging",
        "seller",
        "lost_by_carrier",
        Err("reason_not_offered"),
    ),
    (
        "awaiting_packaging",
        "seller",
        "undeliverable_address",
        Ok("immediate"),
    ),
    ("awaiting_packaging", "seller", "other", Ok("immediate")),
    (
        "awaiting_shipment",
        "partner",
        "out_of_stock",
        Ok("immediate"),
    ),
    (
        "awaiting_shipment",
        "partner",
        "customer_request",
        Ok("immediate"),
    ),
    (
        "awaiting_shipment",
        "partner",
        "lost_by_carrier",
        Err("reason_not_offered"),
    ),
    (
        "awaiting_shipment",
        "partner",
        "undeliverable_address",
        Ok("immediate"),
    ),
    ("awaiting_shipment", "partner", "other", Ok("immediate")),
    (
        "awaiting_shipment",
        "china_post",
        "out_of_stock",
        Ok("immediate"),
    ),
    (
        "awaiting_shipment",
        "china_post",
        "customer_request",
        Ok("immediate"),
    ),
    (
        "awaiting_shipment",
        "china_post",
        "lost_by_carrier",
        Err("reason_not_offered"),
    ),
    (
        "awaiting_shipment",
        "china_post",
        "undeliverable_address",
        Ok("immediate"),
    ),
    ("awaiting_shipment", "china_post", "other", Ok("immediate")),
    (
        "awaiting_shipment",
        "seller",
        "out_of_stock",
        Ok("immediate"),
    ),
    (
        "awaiting_shipment",
        "seller",
        "customer_request",
        Ok("immediate"),
    ),
    (
        "awaiting_shipment",
        "seller",
        "lost_by_carrier",
        Err("reason_not_offered"),
    ),
    (
        "awaiting_shipment",
        "seller",
        "undeliverable_address",
        Ok("immediate"),
    ),
    ("awaiting_shipment", "seller", "other", Ok("immediate")),
    (
        "ready_for_shipment",
        "partner",
        "out_of_stock",
        Ok("immediate"),
    ),
    (
        "ready_for_shipment",
        "partner",
        "customer_request",
        Ok("immediate"),
    ),
    (
        "ready_for_shipment",
        "partner",
        "lost_by_carrier",
        Err("reason_not_offered"),
    ),
    (
        "ready_for_shipment",
        "partner",
        "undeliverable_address",
        Ok("immediate"),
    ),
    ("ready_for_shipment", "partner", "other", Ok("immediate")),
    (
        "ready_for_shipment",
        "china_post",
        "out_of_stock",
        Ok("immediate"),
    ),
    (
        "ready_for_shipment",
        "china_post",
        "customer_request",
        Ok("immediate"),
    ),
    (
        "ready_for_shipment",
        "china_post",
        "lost_by_carrier",
        Err("reason_not_offered"),
    ),
    (
        "ready_for_shipment",
        "china_post",
        "undeliverable_address",
        Ok("immediate"),
    ),
    ("ready_for_shipment", "china_post", "other", Ok("immediate")),
    (
        "ready_for_shipment",
        "seller",
        "out_of_stock",
        Ok("immediate"),
    ),
    (
        "ready_for_shipment",
        "seller",
        "customer_request",
        Ok("immediate"),
    ),
    (
        "ready_for_shipment",
        "seller",
        "lost_by_carrier",
        Err("reason_not_offered"),
    ),
    (
        "ready_for_shipment",
        "seller",
        "undeliverable_address",
        Ok("immediate"),
    ),
    ("ready_for_shipment", "seller", "other", Ok("immediate")),
    (
        "in_transit",
        "partner",
        "out_of_stock",
        Err("reason_not_offered"),
    ),
    (
        "in_transit",
        "partner",
        "customer_request",
        Ok("carrier_request"),
    ),
    (
        "in_transit",
        "partner",
        "lost_by_carrier",
        Ok("carrier_request"),
    ),
    (
        "in_transit",
        "partner",
        "undeliverable_address",
        Err("reason_not_offered"),
    ),
    ("in_transit", "partner", "other", Ok("carrier_request")),
    (
        "in_transit",
        "china_post",
        "out_of_stock",
        Err("china_post_in_transit"),
    ),
    (
        "in_transit",
        "china_post",
        "customer_request",
        Err("china_post_in_transit"),
    ),
    (
        "in_transit",
        "china_post",
        "lost_by_carrier",
        Err("china_post_in_transit"),
    ),
    (
        "in_transit",
        "china_post",
        "undeliverable_address",
        Err("china_post_in_transit"),
    ),
    (
        "in_transit",
        "china_post",
        "other",
        Err("china_post_in_transit"),
    ),
    (
        "in_transit",
        "seller",
        "out_of_stock",
        Err("in_transit_not_partner"),
    ),
    (
        "in_transit",
        "seller",
        "customer_request",
        Err("in_transit_not_partner"),
    ),
    (
        "in_transit",
        "seller",
        "lost_by_carrier",
        Err("in_transit_not_partner"),
    ),
    (
        "in_transit",
        "seller",
        "undeliverable_address",
        Err("in_transit_not_partner"),
    ),
    (
        "in_transit",
        "seller",
        "other",
        Err("in_transit_not_partner"),
    ),
    ("delivered", "partner", "out_of_stock", Err("delivered")),
    ("delivered", "partner", "customer_request", Err("delivered")),
    ("delivered", "partner", "lost_by_carrier", Err("delivered")),
    (
        "delivered",
        "partner",
        "undeliverable_address",
        Err("delivered"),
    ),
    ("delivered", "partner", "other", Err("delivered")),
    ("delivered", "china_post", "out_of_stock", Err("delivered")),
    (
        "delivered",
        "china_post",
        "customer_request",
        Err("delivered"),
    ),
    (
        "delivered",
        "china_post",
        "lost_by_carrier",
        Err("delivered"),
    ),
    (
        "delivered",
        "china_post",
        "undeliverable_address",
        Err("delivered"),
    ),
    ("delivered", "china_post", "other", Err("delivered")),
    ("delivered", "seller", "out_of_stock", Err("delivered")),
    ("delivered", "seller", "customer_request", Err("delivered")),
    ("delivered", "seller", "lost_by_carrier", Err("delivered")),
    (
        "delivered",
        "seller",
        "undeliverable_address",
        Err("delivered"),
    ),
    ("delivered", "seller", "other", Err("delivered")),
    (
        "cancelled",
        "partner",
        "out_of_stock",
        Err("already_cancelled"),
    ),
    (
        "cancelled",
        "partner",
        "customer_request",
        Err("already_cancelled"),
    ),
    (
        "cancelled",
        "partner",
        "lost_by_carrier",
        Err("already_cancelled"),
    ),
    (
        "cancelled",
        "partner",
        "undeliverable_address",
        Err("already_cancelled"),
    ),
    ("cancelled", "partner", "other", Err("already_cancelled")),
    (
        "cancelled",
        "china_post",
        "out_of_stock",
        Err("already_cancelled"),
    ),
    (
        "cancelled",
        "china_post",
        "customer_request",
        Err("already_cancelled"),
    ),
    (
        "cancelled",
        "china_post",
        "lost_by_carrier",
        Err("already_cancelled"),
    ),
    (
        "cancelled",
        "china_post",
        "undeliverable_address",
        Err("already_cancelled"),
    ),
    ("cancelled", "china_post", "other", Err("already_cancelled")),
    (
        "cancelled",
        "seller",
        "out_of_stock",
        Err("already_cancelled"),
    ),
    (
        "cancelled",
        "seller",
        "customer_request",
        Err("already_cancelled"),
    ),
    (
        "cancelled",
        "seller",
        "lost_by_carrier",
        Err("already_cancelled"),
    ),
    (
        "cancelled",
        "seller",
        "undeliverable_address",
        Err("already_cancelled"),
    ),
    ("cancelled", "seller", "other", Err("already_cancelled")),
];

fn line(sku: &str, quantity: u32) -> ProductLine {
    ProductLine {
        sku: sku.to_owned(),
        name: format!("Product {sku}"),
        quantity,
        price: "1.00".to_owned(),
        currency: "USD".to_owned(),
    }
}

fn requested() -> Cancellation {
    Cancellation {
        state: CancellationState::Requested,
        reason: Some(Reason::CustomerRequest),
        comment: None,
        initiator: Initiator::Seller,
        requested_at: Utc.with_ymd_and_hms(2026, 11, 25, 10, 0, 0).unwrap(),
        decided_at: None,
        provider_message: None,
    }
}

fn mode_code(mode: Mode) -> &'static str {
    match mode {
        Mode::Immediate => "immediate",
        Mode::CarrierRequest => "carrier_request",
    }
}

fn violation_code(violation: RuleViolation) -> &'static str {
    match violation {
        RuleViolation::Blocked(code) => code.code(),
        RuleViolation::ReasonNotOffered => "reason_not_offered",
    }
}

#[test]
fn every_status_method_and_reason_follows_rules_md() {
    for (status, method, reason, expected) in TABLE {
        let status = Status::from_code(status).expect("status code");
        let method = DeliveryMethod::from_code(method).expect("method code");
        let reason = Reason::from_code(reason).expect("reason code");
        let verdict = eligibility(status, method, None, &[line("1", 1)]).check(reason);
        let actual = verdict.map(mode_code).map_err(violation_code);
        assert_eq!(actual, expected, "{status} × {method:?} × {reason}");
    }
}

#[test]
fn the_table_covers_every_combination_once() {
    let mut seen = std::collections::BTreeSet::new();
    for (status, method, reason, _) in TABLE {
        assert!(
            seen.insert((status, method, reason)),
            "duplicate row {status} {method} {reason}"
        );
    }
    assert_eq!(
        seen.len(),
        Status::ALL.len() * DeliveryMethod::ALL.len() * Reason::ALL.len()
    );
}

#[test]
fn reasons_are_offered_in_the_marketplace_order() {
    let before = eligibility(Status::AwaitingShipment, DeliveryMethod::Seller, None, &[]);
    assert_eq!(
        before.reasons,
        [
            Reason::OutOfStock,
            Reason::CustomerRequest,
            Reason::UndeliverableAddress,
            Reason::Other
        ]
    );
    let in_transit = eligibility(Status::InTransit, DeliveryMethod::Partner, None, &[]);
    assert_eq!(
        in_transit.reasons,
        [
            Reason::CustomerRequest,
            Reason::LostByCarrier,
            Reason::Other
        ]
    );
    assert_eq!(in_transit.mode, Some(Mode::CarrierRequest));
}

#[test]
fn a_pending_provider_request_blocks_another() {
    let pending = requested();
    let verdict = eligibility(
        Status::InTransit,
        DeliveryMethod::Partner,
        Some(&pending),
        &[],
    );
    assert!(!verdict.cancellable);
    assert_eq!(verdict.blocked, Some(BlockedCode::CancellationPending));
    assert!(verdict.reasons.is_empty());
}

#[test]
fn a_rejected_request_may_be_sent_again() {
    let rejected = Cancellation {
        state: CancellationState::Rejected,
        decided_at: Some(Utc.with_ymd_and_hms(2026, 11, 25, 12, 0, 0).unwrap()),
        provider_message: Some("Parcel already at the sorting centre".to_owned()),
        ..requested()
    };
    let verdict = eligibility(
        Status::InTransit,
        DeliveryMethod::Partner,
        Some(&rejected),
        &[],
    );
    assert!(verdict.cancellable);
    assert_eq!(verdict.mode, Some(Mode::CarrierRequest));
}

#[test]
fn blocked_shipments_offer_nothing_and_have_no_mode() {
    for (status, method, code) in [
        (
            Status::Cancelled,
            DeliveryMethod::Partner,
            BlockedCode::AlreadyCancelled,
        ),
        (
            Status::Delivered,
            DeliveryMethod::Seller,
            BlockedCode::Delivered,
        ),
        (
            Status::InTransit,
            DeliveryMethod::ChinaPost,
            BlockedCode::ChinaPostInTransit,
        ),
        (
            Status::InTransit,
            DeliveryMethod::Seller,
            BlockedCode::InTransitNotPartner,
        ),
    ] {
        let verdict = eligibility(status, method, None, &[line("1", 9)]);
        assert!(!verdict.cancellable, "{status}");
        assert_eq!(verdict.blocked, Some(code));
        assert_eq!(verdict.mode, None);
        assert!(verdict.reasons.is_empty());
        assert!(
            verdict.warnings.is_empty(),
            "no warning while it can't be cancelled"
        );
    }
}

#[test]
fn commercial_shipment_warning_cases() {
    // (lines, warned?) — more than 3 units of one SKU, summed over its lines.
    let cases: [(&[ProductLine], bool); 6] = [
        (&[line("1", 3)], false),
        (&[line("1", 4)], true),
        (&[line("1", 2), line("1", 2)], true),
        (&[line("1", 3), line("2", 3)], false),
        (&[line("1", 1), line("2", 10)], true),
        (&[], false),
    ];
    for (lines, warned) in cases {
        assert_eq!(is_commercial(lines), warned, "{lines:?}");
        for status in [Status::AwaitingPackaging, Status::InTransit] {
            let verdict = eligibility(status, DeliveryMethod::Partner, None, lines);
            let expected: &[Warning] = if warned {
                &[Warning::CommercialShipment]
            } else {
                &[]
            };
            assert_eq!(verdict.warnings, expected, "{status} {lines:?}");
        }
    }
}

#[test]
fn split_is_offered_only_for_commercial_shipments_awaiting_packaging() {
    let commercial = [line("1", 4)];
    let small = [line("1", 3)];
    for status in Status::ALL {
        assert_eq!(
            split_offered(status, &commercial),
            status == Status::AwaitingPackaging,
            "{status}"
        );
        assert!(!split_offered(status, &small));
    }
}

#[test]
fn reason_effects_and_marketplace_ids() {
    assert!(Reason::OutOfStock.resets_stock());
    assert!(Reason::ALL.iter().filter(|r| r.resets_stock()).count() == 1);
    assert!(Reason::CustomerRequest.included_in_allowed_rate());
    assert!(Reason::Other.requires_comment());
    assert_eq!(
        Reason::ALL.iter().filter(|r| r.requires_comment()).count(),
        1
    );
    assert_eq!(Reason::OutOfStock.marketplace_id(), Some(352));
    assert_eq!(Reason::LostByCarrier.marketplace_id(), Some(667));
    assert_eq!(Reason::UndeliverableAddress.marketplace_id(), Some(666));
    assert_eq!(Reason::Other.marketplace_id(), Some(402));
    assert_eq!(Reason::CustomerRequest.marketplace_id(), None);
}

/// The help text is copied into the crate (`tests/data/`), so that a clone builds without `../shared`;
/// when `../shared` is beside the repository, the copy must still equal the source of truth.
#[test]
fn the_copied_help_text_equals_the_source_of_truth() {
    let copy = include_str!("data/cancellation-by-seller.txt");
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/seed/cancellation-by-seller.txt");
    match std::fs::read_to_string(&source) {
        Ok(text) => assert_eq!(
            copy, text,
            "refresh crates/domain/tests/data from ../shared/seed"
        ),
        Err(error) => eprintln!(
            "{} not found ({error}); the copy is used as it is",
            source.display()
        ),
    }
}

#[test]
fn labels_are_the_marketplace_words() {
    let seed = include_str!("data/cancellation-by-seller.txt").replace('’', "'");
    for status in [
        Status::AwaitingPackaging,
        Status::AwaitingShipment,
        Status::ReadyForShipment,
    ] {
        assert!(seed.contains(status.label_en()), "{}", status.label_en());
    }
    assert!(seed.contains("“In transit”"));
    for reason in Reason::ALL {
        assert!(seed.contains(reason.label_en()), "{}", reason.label_en());
    }
}

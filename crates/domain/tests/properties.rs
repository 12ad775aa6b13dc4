//! Invariants of the rules over arbitrary shipments, descriptions and counts.

use chrono::{TimeZone, Utc};
use domain::eligibility::{is_commercial, units_per_sku};
use domain::split::ParcelLine;
use domain::{
    BlockedCode, Cancellation, CancellationRate, CancellationState, CommentError, DeliveryMethod,
    Initiator, MAX_COMMENT_CHARS, Mode, ProductLine, Reason, Status, Warning, eligibility,
    validate_comment, validate_split,
};
use proptest::prelude::*;

fn status() -> impl Strategy<Value = Status> {
    proptest::sample::select(Status::ALL.to_vec())
}

fn method() -> impl Strategy<Value = DeliveryMethod> {
    proptest::sample::select(DeliveryMethod::ALL.to_vec())
}

fn reason() -> impl Strategy<Value = Reason> {
    proptest::sample::select(Reason::ALL.to_vec())
}

fn cancellation() -> impl Strategy<Value = Option<Cancellation>> {
    proptest::option::of(
        (
            proptest::sample::select(vec![
                CancellationState::Requested,
                CancellationState::Cancelled,
                CancellationState::Rejected,
            ]),
            proptest::sample::select(vec![Initiator::Seller, Initiator::Carrier]),
        )
            .prop_map(|(state, initiator)| Cancellation {
                state,
                reason: Some(Reason::CustomerRequest),
                comment: None,
                initiator,
                requested_at: Utc.with_ymd_and_hms(2026, 11, 20, 0, 0, 0).unwrap(),
                decided_at: None,
                provider_message: None,
            }),
    )
}

fn products() -> impl Strategy<Value = Vec<ProductLine>> {
    proptest::collection::vec(("[1-4]", 0u32..8), 0..5).prop_map(|lines| {
        lines
            .into_iter()
            .map(|(sku, quantity)| ProductLine {
                name: format!("Product {sku}"),
                sku,
                quantity,
                price: "1.00".to_owned(),
                currency: "USD".to_owned(),
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn cancellable_iff_a_reason_is_offered_iff_nothing_blocks(
        status in status(), method in method(), cancellation in cancellation(), products in products()
    ) {
        let verdict = eligibility(status, method, cancellation.as_ref(), &products);
        prop_assert_eq!(verdict.cancellable, !verdict.reasons.is_empty());
        prop_assert_eq!(verdict.cancellable, verdict.blocked.is_none());
        prop_assert_eq!(verdict.cancellable, verdict.mode.is_some());
        if verdict.cancellable {
            prop_assert!(verdict.offers(Reason::Other), "other is offered whenever cancellable");
        }
    }

    #[test]
    fn nothing_is_offered_for_china_post_or_own_delivery_in_transit(
        method in proptest::sample::select(vec![DeliveryMethod::ChinaPost, DeliveryMethod::Seller]),
        cancellation in cancellation(), products in products(), reason in reason()
    ) {
        let verdict = eligibility(Status::InTransit, method, cancellation.as_ref(), &products);
        prop_assert!(verdict.reasons.is_empty());
        prop_assert!(verdict.check(reason).is_err());
        let is_pending = cancellation.as_ref().is_some_and(Cancellation::is_pending);
        if !is_pending && method == DeliveryMethod::ChinaPost {
            prop_assert_eq!(verdict.blocked, Some(BlockedCode::ChinaPostInTransit));
        }
    }

    #[test]
    fn the_mode_follows_the_status(
        status in status(), method in method(), cancellation in cancellation(), products in products()
    ) {
        let verdict = eligibility(status, method, cancellation.as_ref(), &products);
        match verdict.mode {
            Some(Mode::Immediate) => prop_assert!(status.is_before_handover()),
            Some(Mode::CarrierRequest) => {
                prop_assert_eq!(status, Status::InTransit);
                prop_assert_eq!(method, DeliveryMethod::Partner);
            }
            None => {}
        }
        if status.is_before_handover() {
            prop_assert_eq!(verdict.mode, Some(Mode::Immediate), "before handover always cancels at once");
        }
    }

    #[test]
    fn the_commercial_warning_appears_exactly_when_cancellable_with_more_than_three_of_a_product(
        status in status(), method in method(), products in products()
    ) {
        let verdict = eligibility(status, method, None, &products);
        let expected = verdict.cancellable && units_per_sku(&products).values().any(|u| *u > 3);
        prop_assert_eq!(verdict.warnings.contains(&Warning::CommercialShipment), expected);
    }

    #[test]
    fn check_accepts_exactly_the_offered_reasons(
        status in status(), method in method(), cancellation in cancellation(), reason in reason()
    ) {
        let verdict = eligibility(status, method, cancellation.as_ref(), &[]);
        prop_assert_eq!(verdict.check(reason).is_ok(), verdict.offers(reason));
    }

    #[test]
    fn comment_rules_hold_for_arbitrary_strings(text in any::<String>(), reason in reason()) {
        let trimmed = text.trim();
        match validate_comment(reason, Some(&text)) {
            Ok(Some(kept)) => {
                prop_assert_eq!(kept.as_str(), trimmed);
                prop_assert!((1..=MAX_COMMENT_CHARS).contains(&kept.chars().count()));
                prop_assert!(!kept.chars().any(char::is_control));
                prop_assert_eq!(domain::check_text(&kept), Ok(()));
            }
            Ok(None) => {
                prop_assert!(trimmed.is_empty());
                prop_assert!(reason != Reason::Other);
            }
            Err(CommentError::CommentRequired) => {
                prop_assert!(trimmed.is_empty());
                prop_assert_eq!(reason, Reason::Other);
            }
            Err(CommentError::CommentControlCharacters) => {
                prop_assert!(trimmed.chars().any(char::is_control));
            }
            Err(CommentError::CommentInvisibleCharacters) => {
                prop_assert!(domain::check_text(trimmed) == Err(domain::TextFault::InvisibleCharacters));
            }
            Err(CommentError::CommentTooLong) => {
                prop_assert!(trimmed.chars().count() > MAX_COMMENT_CHARS);
            }
        }
    }

    #[test]
    fn printable_descriptions_up_to_the_limit_are_kept(text in "[^\\p{Cc}\\p{Cf}]{1,500}") {
        prop_assume!(!text.trim().is_empty());
        // Format characters are refused or allowed by `domain::text`, tested on its own; the
        // few disguising characters outside Cf (Hangul fillers) are left out here too.
        prop_assume!(domain::check_text(&text).is_ok());
        prop_assert_eq!(validate_comment(Reason::Other, Some(&text)), Ok(Some(text.trim().to_owned())));
    }

    #[test]
    fn the_projection_never_lowers_the_rate(cancelled in 0u32..1000, created in 0u32..1000, n in 0u32..100) {
        let counts = CancellationRate { seller_cancellations: cancelled.min(created), shipments: created };
        let projection = counts.project(n, 0.10);
        prop_assert!(projection.projected >= projection.current);
        prop_assert_eq!(projection.crosses_threshold, projection.current <= 0.10 && projection.projected > 0.10);
        if n == 0 {
            prop_assert_eq!(projection.projected, projection.current);
        }
    }

    #[test]
    fn a_valid_split_keeps_every_unit_and_three_at_most_per_product(
        quantity in 4u32..20, other in 0u32..4
    ) {
        let mut products = vec![ProductLine {
            sku: "A".into(), name: "A".into(), quantity, price: "1".into(), currency: "USD".into(),
        }];
        if other > 0 {
            products.push(ProductLine {
                sku: "B".into(), name: "B".into(), quantity: other, price: "1".into(), currency: "USD".into(),
            });
        }
        prop_assert!(is_commercial(&products));
        // Greedy plan: fill parcels of three.
        let mut parcels: Vec<Vec<ParcelLine>> = Vec::new();
        let mut left = quantity;
        while left > 0 {
            let take = left.min(3);
            parcels.push(vec![ParcelLine { sku: "A".into(), quantity: take }]);
            left -= take;
        }
        if other > 0 {
            parcels[0].push(ParcelLine { sku: "B".into(), quantity: other });
        }
        prop_assert_eq!(validate_split(Status::AwaitingPackaging, &products, &parcels), Ok(()));
        // Moving one unit of A onto the first parcel breaks the per-parcel limit or the total.
        parcels[0][0].quantity += 1;
        prop_assert!(validate_split(Status::AwaitingPackaging, &products, &parcels).is_err());
    }
}

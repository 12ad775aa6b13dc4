//! What the seller chose in the dialog, checked by the rules crate before anything is sent.

use domain::eligibility::RuleViolation;
use domain::wire::CancelRequest;
use domain::{CommentError, Eligibility, Mode, Reason, validate_comment};

/// Why the dialog can't send yet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    #[error("no reason is chosen")]
    NoReason,
    #[error(transparent)]
    Rule(#[from] RuleViolation),
    #[error(transparent)]
    Comment(#[from] CommentError),
}

/// The request to send, and what it will do, or why it can't be sent.
///
/// Only `other` carries a description: the dialog asks for one only there.
pub fn cancel_request(
    eligibility: &Eligibility,
    reason: Option<Reason>,
    description: &str,
) -> Result<(Mode, CancelRequest), FormError> {
    let reason = reason.ok_or(FormError::NoReason)?;
    let mode = eligibility.check(reason)?;
    let description = reason.requires_comment().then_some(description);
    let comment = validate_comment(reason, description)?;
    Ok((mode, CancelRequest { reason, comment }))
}

#[cfg(test)]
mod tests {
    use domain::{BlockedCode, DeliveryMethod, ProductLine, Status, eligibility};

    use super::*;

    fn lines(units: u32) -> Vec<ProductLine> {
        vec![ProductLine {
            sku: "1001".to_owned(),
            name: "Phone case".to_owned(),
            quantity: units,
            price: "3.20".to_owned(),
            currency: "USD".to_owned(),
        }]
    }

    fn before_handover() -> Eligibility {
        eligibility(
            Status::AwaitingPackaging,
            DeliveryMethod::Partner,
            None,
            &lines(1),
        )
    }

    #[test]
    fn a_reason_must_be_chosen() {
        assert_eq!(
            cancel_request(&before_handover(), None, ""),
            Err(FormError::NoReason)
        );
    }

    #[test]
    fn other_needs_a_description_and_sends_it_trimmed() {
        let eligibility = before_handover();
        assert_eq!(
            cancel_request(&eligibility, Some(Reason::Other), "   "),
            Err(FormError::Comment(CommentError::CommentRequired))
        );
        let (mode, request) = cancel_request(
            &eligibility,
            Some(Reason::Other),
            "  Packed the wrong colour ",
        )
        .unwrap();
        assert_eq!(mode, Mode::Immediate);
        assert_eq!(request.comment.as_deref(), Some("Packed the wrong colour"));
    }

    #[test]
    fn other_reasons_send_no_description_even_if_one_was_typed_before_switching() {
        let (_, request) =
            cancel_request(&before_handover(), Some(Reason::OutOfStock), "left over").unwrap();
        assert_eq!(
            request,
            CancelRequest {
                reason: Reason::OutOfStock,
                comment: None
            }
        );
    }

    #[test]
    fn a_reason_the_rules_do_not_offer_is_refused() {
        assert_eq!(
            cancel_request(&before_handover(), Some(Reason::LostByCarrier), ""),
            Err(FormError::Rule(RuleViolation::ReasonNotOffered))
        );
        let in_transit = eligibility(Status::InTransit, DeliveryMethod::Partner, None, &lines(1));
        let (mode, _) = cancel_request(&in_transit, Some(Reason::LostByCarrier), "").unwrap();
        assert_eq!(mode, Mode::CarrierRequest);
    }

    #[test]
    fn a_blocked_shipment_is_refused_with_its_code() {
        let delivered = eligibility(Status::Delivered, DeliveryMethod::Partner, None, &lines(1));
        assert_eq!(
            cancel_request(&delivered, Some(Reason::CustomerRequest), ""),
            Err(FormError::Rule(RuleViolation::Blocked(
                BlockedCode::Delivered
            )))
        );
    }
}

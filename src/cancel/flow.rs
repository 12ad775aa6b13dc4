//! Cancelling one shipment, as a plain state type: what the seller chose, whether it can be sent,
//! the intent under its idempotency key, and what the server's answer means.
//!
//! The dialog shows this state and forwards the seller's events to it; every decision (what a
//! stale version or a refusal means, which key a retry reuses) is made here and tested natively.

use std::time::Duration;

use domain::eligibility::split_offered;
use domain::wire::CancelRequest;
use domain::{DeliveryMethod, Eligibility, Mode, ProblemCode, Reason, Shipment, Warning};

use crate::api::{ApiError, CancelAnswer};
use crate::cancel::form::{FormError, cancel_request};
use crate::intent::{Intent, KeyError, Versioned};

/// What one cancellation sends: the reason and description for the version the seller saw.
pub type CancelIntent = Intent<Versioned<CancelRequest>>;

/// Where the request stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Submission {
    Editing,
    Sending,
    /// Paused before an automatic retry.
    Pausing {
        seconds: u64,
    },
    /// The automatic retries ran out; Retry sends the same intent again.
    Unreachable(ApiError),
    /// The server said no, for a reason it named.
    Refused(ApiError),
    /// The browser could not make an idempotency key.
    NoKey(KeyError),
}

impl Submission {
    pub fn busy(&self) -> bool {
        matches!(self, Submission::Sending | Submission::Pausing { .. })
    }
}

/// A submission the server refused or never answered, read by its problem code: the one reading
/// that the whole and the partial cancellation share.
#[derive(Clone, Debug, PartialEq)]
pub struct Refusal {
    /// Whatever the code, a shipment in the answer is the server's current state: the dialog
    /// judges the rules on it again, and its row shows it.
    pub current: Option<Shipment>,
    /// A stale version is not the seller's mistake: the dialog shows what changed and waits for a
    /// new confirmation (a reason the change took away is not an error until the seller confirms
    /// against the new state).
    pub stale: bool,
    pub submission: Submission,
}

impl Refusal {
    pub fn of(error: ApiError) -> Refusal {
        let current = match &error {
            ApiError::Problem(problem) => problem.shipment.as_deref().cloned(),
            _ => None,
        };
        let stale = error.problem_code() == Some(ProblemCode::VersionMismatch);
        let submission = if stale {
            Submission::Editing
        } else if error.is_transient() {
            Submission::Unreachable(error)
        } else {
            Submission::Refused(error)
        };
        Refusal {
            current,
            stale,
            submission,
        }
    }
}

/// A stale version should come with the current shipment; when it does not, the dialog fetches it
/// before settling, so that the seller sees what changed rather than a second 412.
pub fn needs_current_state<T>(answer: &Result<T, ApiError>) -> bool {
    matches!(answer, Err(ApiError::Problem(problem))
        if problem.code == ProblemCode::VersionMismatch && problem.shipment.is_none())
}

/// What a confirmation leads to.
#[derive(Clone, Debug, PartialEq)]
pub enum Confirm {
    /// Send this intent (a retry carries the key of the one before).
    Send(CancelIntent),
    /// The form stops it; the seller is shown this field.
    Invalid(FormError),
    /// Nothing: a request is in flight, or no key could be made (the submission says which).
    Nothing,
}

/// What a settled answer means for the rest of the page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settled {
    /// The server's current state of the shipment, for its row: after a success, a stale version
    /// or a refusal.
    pub row: Option<Shipment>,
    /// The cancellation went through or was requested from the provider: the dialog closes.
    pub done: Option<CancelAnswer>,
}

/// What a commercial shipment is offered instead of a cancellation for its customs risk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Alternatives {
    /// The buyer asked: "customer request" does not count against the seller the same way.
    pub customer_reason: bool,
    /// The shipment may be split into parcels of at most three identical units.
    pub split: bool,
    /// Partner delivery is the marketplace's recommendation.
    pub partner: bool,
}

/// What the seller already entered before arriving here: a partial cancellation of every unit
/// turns into this whole cancellation, and nothing typed is lost on the way.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Preset {
    pub reason: Option<Reason>,
    pub description: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CancelFlow {
    /// The shipment as the server last said it is.
    shipment: Shipment,
    reason: Option<Reason>,
    description: String,
    /// The seller has tried to confirm against this state of the shipment.
    attempted: bool,
    submission: Submission,
    /// The state the seller had seen when the server answered with a newer one.
    changed_from: Option<Shipment>,
    /// The last intent sent, which a retry of the same request reuses.
    intent: Option<CancelIntent>,
}

impl CancelFlow {
    pub fn new(shipment: Shipment) -> CancelFlow {
        CancelFlow {
            shipment,
            reason: None,
            description: String::new(),
            attempted: false,
            submission: Submission::Editing,
            changed_from: None,
            intent: None,
        }
    }

    /// The flow with what the seller entered before; a reason this shipment is not offered is
    /// left unchosen rather than sent.
    pub fn with_preset(shipment: Shipment, preset: Preset) -> CancelFlow {
        let mut flow = CancelFlow::new(shipment);
        flow.reason = preset
            .reason
            .filter(|reason| flow.eligibility().offers(*reason));
        flow.description = preset.description;
        flow
    }

    pub fn shipment(&self) -> &Shipment {
        &self.shipment
    }

    pub fn eligibility(&self) -> Eligibility {
        self.shipment.evaluate()
    }

    pub fn reason(&self) -> Option<Reason> {
        self.reason
    }

    pub fn description(&self) -> &str {
        &self.description
    }

    pub fn attempted(&self) -> bool {
        self.attempted
    }

    pub fn submission(&self) -> &Submission {
        &self.submission
    }

    pub fn busy(&self) -> bool {
        self.submission.busy()
    }

    /// A reason must be chosen, and the seller has already tried to confirm without one.
    pub fn reason_missing(&self) -> bool {
        self.attempted && self.reason.is_none()
    }

    /// The seller's Retry after the automatic retries ran out.
    pub fn can_retry(&self) -> bool {
        matches!(self.submission, Submission::Unreachable(_))
    }

    /// The state seen before and the one the server answered with, when it changed under the seller.
    pub fn changes(&self) -> Option<(&Shipment, &Shipment)> {
        self.changed_from
            .as_ref()
            .map(|seen| (seen, &self.shipment))
    }

    /// What confirming would do, or why it can't yet.
    pub fn form(&self) -> Result<Mode, FormError> {
        cancel_request(&self.eligibility(), self.reason, &self.description).map(|(mode, _)| mode)
    }

    /// The products whose stock is reset to zero by the chosen reason, if it resets any.
    pub fn stock_reset(&self) -> Option<&[domain::ProductLine]> {
        self.reason
            .filter(|reason| reason.resets_stock())
            .map(|_| self.shipment.products.as_slice())
    }

    /// What is offered instead of cancelling a commercial shipment, when the rules warn of one.
    pub fn alternatives(&self) -> Option<Alternatives> {
        let eligibility = self.eligibility();
        eligibility
            .warnings
            .contains(&Warning::CommercialShipment)
            .then(|| Alternatives {
                customer_reason: eligibility.offers(Reason::CustomerRequest),
                split: split_offered(self.shipment.status, &self.shipment.products),
                partner: self.shipment.delivery.method == DeliveryMethod::Partner,
            })
    }

    pub fn choose(&mut self, reason: Reason) {
        if !self.busy() {
            self.reason = Some(reason);
        }
    }

    /// The description as typed; it is kept whatever happens to the request.
    pub fn describe(&mut self, typed: String) {
        self.description = typed;
    }

    /// The seller confirms: the intent to send, with the previous key when nothing changed.
    pub fn confirm(&mut self, new_key: impl FnOnce() -> Result<String, KeyError>) -> Confirm {
        if self.busy() {
            return Confirm::Nothing;
        }
        self.attempted = true;
        let request = match cancel_request(&self.eligibility(), self.reason, &self.description) {
            Ok((_, request)) => request,
            Err(error) => return Confirm::Invalid(error),
        };
        let request = Versioned {
            posting_number: self.shipment.posting_number.clone(),
            version: self.shipment.version,
            body: request,
        };
        match Intent::for_request(self.intent.take(), request, new_key) {
            Ok(intent) => {
                self.intent = Some(intent.clone());
                self.submission = Submission::Sending;
                Confirm::Send(intent)
            }
            Err(error) => {
                self.submission = Submission::NoKey(error);
                Confirm::Nothing
            }
        }
    }

    /// The request waits `pause` before its next automatic attempt.
    pub fn pausing(&mut self, pause: Duration) {
        self.submission = Submission::Pausing {
            seconds: pause.as_secs().max(1),
        };
    }

    /// What the server's answer means, decided by its problem code.
    pub fn settle(&mut self, answer: Result<CancelAnswer, ApiError>) -> Settled {
        let error = match answer {
            Ok(answer) => {
                self.submission = Submission::Editing;
                return Settled {
                    row: Some(answer.shipment().clone()),
                    done: Some(answer),
                };
            }
            Err(error) => error,
        };
        let refusal = Refusal::of(error);
        if let Some(now) = &refusal.current {
            self.adopt(now.clone());
        }
        if refusal.stale {
            // Confirmed against a state that is gone: nothing the seller did wrong is shown yet.
            self.attempted = false;
        }
        self.submission = refusal.submission;
        Settled {
            row: refusal.current,
            done: None,
        }
    }

    /// Takes the server's newer state, keeping the chosen reason only while it is still offered.
    fn adopt(&mut self, now: Shipment) {
        if self
            .reason
            .is_some_and(|reason| !now.evaluate().offers(reason))
        {
            self.reason = None;
        }
        if now != self.shipment {
            let seen = std::mem::replace(&mut self.shipment, now);
            self.changed_from = Some(seen);
        }
    }
}

#[cfg(test)]
mod tests {
    use domain::{BlockedCode, Cancellation, CancellationState, Initiator, Problem, Status};

    use super::*;
    use crate::intent::numbered_keys;
    use crate::test_shipment;

    fn awaiting_packaging() -> Shipment {
        let mut shipment = test_shipment::shipment("1-1-1");
        shipment.status = Status::AwaitingPackaging;
        shipment.version = 3;
        test_shipment::rejudged(shipment)
    }

    fn problem(code: ProblemCode, status: u16, shipment: Option<Shipment>) -> ApiError {
        ApiError::Problem(Box::new(Problem {
            type_uri: "about:blank".to_owned(),
            title: "refused".to_owned(),
            status,
            detail: None,
            code,
            parameter: None,
            shipment: shipment.map(Box::new),
        }))
    }

    fn sent(confirm: Confirm) -> CancelIntent {
        match confirm {
            Confirm::Send(intent) => intent,
            other => panic!("expected a send, got {other:?}"),
        }
    }

    /// The same shipment, moved on by someone else: now in transit, which offers other reasons.
    fn in_transit(seen: &Shipment) -> Shipment {
        let mut now = seen.clone();
        now.status = Status::InTransit;
        now.version = seen.version + 1;
        test_shipment::rejudged(now)
    }

    #[test]
    fn nothing_is_sent_without_a_reason_and_the_seller_is_shown_why() {
        let mut flow = CancelFlow::new(awaiting_packaging());
        assert!(!flow.reason_missing());
        assert_eq!(
            flow.confirm(numbered_keys()),
            Confirm::Invalid(FormError::NoReason)
        );
        assert!(flow.reason_missing());
        assert_eq!(flow.submission(), &Submission::Editing);
    }

    #[test]
    fn other_is_sent_with_its_description_trimmed() {
        let mut flow = CancelFlow::new(awaiting_packaging());
        flow.choose(Reason::Other);
        assert!(matches!(
            flow.confirm(numbered_keys()),
            Confirm::Invalid(FormError::Comment(_))
        ));
        flow.describe("  Packed the wrong colour ".to_owned());
        let intent = sent(flow.confirm(numbered_keys()));
        assert_eq!(
            intent.request.body.comment.as_deref(),
            Some("Packed the wrong colour")
        );
        assert_eq!(intent.request.version, 3);
        assert!(flow.busy());
    }

    #[test]
    fn a_confirmation_while_sending_sends_nothing_more() {
        let mut flow = CancelFlow::new(awaiting_packaging());
        flow.choose(Reason::OutOfStock);
        let mut keys = numbered_keys();
        sent(flow.confirm(&mut keys));
        assert_eq!(flow.confirm(&mut keys), Confirm::Nothing);
        flow.choose(Reason::CustomerRequest);
        assert_eq!(flow.reason(), Some(Reason::OutOfStock));
    }

    #[test]
    fn a_lost_answer_is_sent_again_under_the_same_key() {
        let mut flow = CancelFlow::new(awaiting_packaging());
        flow.choose(Reason::OutOfStock);
        let mut keys = numbered_keys();
        let first = sent(flow.confirm(&mut keys));
        let settled = flow.settle(Err(ApiError::Network("offline".to_owned())));
        assert_eq!(settled, Settled::default());
        assert!(flow.can_retry());
        let again = sent(flow.confirm(&mut keys));
        assert_eq!(again, first);
        assert_eq!(again.key, "k1");
    }

    #[test]
    fn a_server_still_working_on_the_key_is_unreachable_not_refused() {
        let mut flow = CancelFlow::new(awaiting_packaging());
        flow.choose(Reason::OutOfStock);
        sent(flow.confirm(numbered_keys()));
        flow.settle(Err(problem(ProblemCode::RequestInFlight, 409, None)));
        assert!(flow.can_retry());
    }

    #[test]
    fn a_changed_request_is_a_new_intent_with_a_new_key() {
        let mut flow = CancelFlow::new(awaiting_packaging());
        flow.choose(Reason::OutOfStock);
        let mut keys = numbered_keys();
        sent(flow.confirm(&mut keys));
        flow.settle(Err(ApiError::Network("offline".to_owned())));
        flow.choose(Reason::CustomerRequest);
        let changed = sent(flow.confirm(&mut keys));
        assert_eq!(changed.key, "k2");
        assert_eq!(changed.request.body.reason, Reason::CustomerRequest);
    }

    #[test]
    fn a_stale_version_shows_what_changed_and_judges_the_rules_again() {
        let seen = awaiting_packaging();
        let now = in_transit(&seen);
        let mut flow = CancelFlow::new(seen.clone());
        flow.choose(Reason::OutOfStock);
        let mut keys = numbered_keys();
        sent(flow.confirm(&mut keys));
        let settled = flow.settle(Err(problem(
            ProblemCode::VersionMismatch,
            412,
            Some(now.clone()),
        )));
        assert_eq!(settled.row.as_ref(), Some(&now));
        assert_eq!(settled.done, None);
        assert_eq!(flow.submission(), &Submission::Editing);
        assert_eq!(flow.changes(), Some((&seen, &now)));
        // Out of stock is no longer offered in transit: the choice is cleared, but not yet an
        // error, since the seller has not confirmed against the new state.
        assert_eq!(flow.reason(), None);
        assert!(!flow.reason_missing());
        assert!(!flow.eligibility().offers(Reason::OutOfStock));
        // The next confirmation is for the new version, under a new key.
        flow.choose(Reason::CustomerRequest);
        let next = sent(flow.confirm(&mut keys));
        assert_eq!(next.request.version, now.version);
        assert_eq!(next.key, "k2");
    }

    #[test]
    fn a_reason_still_offered_after_a_change_is_kept() {
        let seen = awaiting_packaging();
        let mut now = seen.clone();
        now.version += 1;
        now.destination.city = "Moscow".to_owned();
        let mut flow = CancelFlow::new(seen);
        flow.choose(Reason::OutOfStock);
        sent(flow.confirm(numbered_keys()));
        flow.settle(Err(problem(ProblemCode::VersionMismatch, 412, Some(now))));
        assert_eq!(flow.reason(), Some(Reason::OutOfStock));
    }

    #[test]
    fn a_stale_version_without_the_shipment_asks_for_it_first() {
        // Any answer type: the whole and the partial cancellation ask the same way.
        let stale: Result<Shipment, ApiError> =
            Err(problem(ProblemCode::VersionMismatch, 412, None));
        assert!(needs_current_state(&stale));
        let with_it: Result<CancelAnswer, ApiError> = Err(problem(
            ProblemCode::VersionMismatch,
            412,
            Some(awaiting_packaging()),
        ));
        assert!(!needs_current_state(&with_it));
        let refused: Result<CancelAnswer, ApiError> =
            Err(problem(ProblemCode::Delivered, 422, None));
        assert!(!needs_current_state(&refused));
    }

    #[test]
    fn a_rule_violation_is_refused_with_its_code_on_the_current_state() {
        let seen = awaiting_packaging();
        let mut now = seen.clone();
        now.version += 1;
        now.status = Status::Delivered;
        let now = test_shipment::rejudged(now);
        let mut flow = CancelFlow::new(seen);
        flow.choose(Reason::OutOfStock);
        sent(flow.confirm(numbered_keys()));
        let settled = flow.settle(Err(problem(ProblemCode::Delivered, 422, Some(now.clone()))));
        assert_eq!(settled.row, Some(now));
        match flow.submission() {
            Submission::Refused(error) => {
                assert_eq!(error.problem_code(), Some(ProblemCode::Delivered))
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        assert!(!flow.can_retry());
        assert_eq!(flow.eligibility().blocked, Some(BlockedCode::Delivered));
        // The attempt stands: the seller did confirm against a state the server judged.
        assert!(flow.attempted());
    }

    #[test]
    fn a_success_hands_the_answer_and_the_row_to_the_page() {
        let mut flow = CancelFlow::new(awaiting_packaging());
        flow.choose(Reason::OutOfStock);
        sent(flow.confirm(numbered_keys()));
        let mut cancelled = flow.shipment().clone();
        cancelled.version += 1;
        cancelled.status = Status::Cancelled;
        cancelled.cancellation = Some(Cancellation {
            state: CancellationState::Cancelled,
            reason: Some(Reason::OutOfStock),
            comment: None,
            initiator: Initiator::Seller,
            requested_at: cancelled.created_at,
            decided_at: Some(cancelled.created_at),
            provider_message: None,
        });
        let settled = flow.settle(Ok(CancelAnswer::Cancelled(cancelled.clone())));
        assert_eq!(settled.row, Some(cancelled.clone()));
        assert_eq!(settled.done, Some(CancelAnswer::Cancelled(cancelled)));
        assert!(!flow.busy());
    }

    #[test]
    fn without_a_key_nothing_is_sent_and_the_seller_is_told() {
        let mut flow = CancelFlow::new(awaiting_packaging());
        flow.choose(Reason::OutOfStock);
        assert_eq!(flow.confirm(|| Err(KeyError::NoCrypto)), Confirm::Nothing);
        assert_eq!(flow.submission(), &Submission::NoKey(KeyError::NoCrypto));
        assert!(!flow.busy());
    }

    #[test]
    fn a_pause_is_shown_in_whole_seconds() {
        let mut flow = CancelFlow::new(awaiting_packaging());
        flow.pausing(Duration::from_millis(500));
        assert_eq!(flow.submission(), &Submission::Pausing { seconds: 1 });
        assert!(flow.busy());
    }

    #[test]
    fn a_commercial_shipment_is_offered_its_alternatives() {
        let mut shipment = awaiting_packaging();
        shipment.products[0].quantity = 5;
        let shipment = test_shipment::rejudged(shipment);
        let flow = CancelFlow::new(shipment.clone());
        assert_eq!(
            flow.alternatives(),
            Some(Alternatives {
                customer_reason: true,
                split: true,
                partner: true,
            })
        );
        assert_eq!(CancelFlow::new(awaiting_packaging()).alternatives(), None);
        let mut shipped = shipment;
        shipped.status = Status::AwaitingShipment;
        let shipped = test_shipment::rejudged(shipped);
        assert_eq!(
            CancelFlow::new(shipped).alternatives().map(|a| a.split),
            Some(false)
        );
    }

    #[test]
    fn a_preset_keeps_what_was_typed_and_only_an_offered_reason() {
        let preset = |reason| Preset {
            reason: Some(reason),
            description: "Cracked".to_owned(),
        };
        let flow = CancelFlow::with_preset(awaiting_packaging(), preset(Reason::Other));
        assert_eq!(flow.reason(), Some(Reason::Other));
        assert_eq!(flow.description(), "Cracked");
        assert!(!flow.attempted(), "no error shown before a confirm");
        let flow = CancelFlow::with_preset(awaiting_packaging(), preset(Reason::LostByCarrier));
        assert_eq!(flow.reason(), None);
        assert_eq!(flow.description(), "Cracked");
    }

    #[test]
    fn only_a_reason_that_resets_stock_names_the_products() {
        let mut flow = CancelFlow::new(awaiting_packaging());
        assert_eq!(flow.stock_reset(), None);
        flow.choose(Reason::OutOfStock);
        assert_eq!(flow.stock_reset().map(<[_]>::len), Some(1));
        flow.choose(Reason::CustomerRequest);
        assert_eq!(flow.stock_reset(), None);
    }
}

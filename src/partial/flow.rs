//! Cancelling some products of one shipment, as a plain state type: the units chosen per product,
//! the reason and description, the rules crate's verdict on them (`check_partial`, never judged
//! again here), what would remain, and what the server's answer means.
//!
//! Submission follows the whole cancellation exactly ([`crate::cancel::flow`]): one intent per
//! unchanged request under one key, a stale version re-judged on the server's current state,
//! transient failures left to the seller's Retry with the same key, nothing typed ever dropped.

use std::time::Duration;

use domain::limits::MAX_STOCK;
use domain::partial::{
    CancelItem, CancelItemsRequest, ItemsError, PartialCancellation, PartialError, RequestedItem,
    check_partial, partial_offered, partial_reasons, remaining_after,
};
use domain::{ProductLine, Reason, Shipment, Warning, eligibility};

use crate::api::ApiError;
use crate::cancel::flow::{Refusal, Submission};
use crate::form::quantity::parse_quantity;
use crate::intent::{Intent, KeyError, Versioned};

/// What one partial cancellation sends: these items, reason and description for the version seen.
pub type PartialIntent = Intent<Versioned<CancelItemsRequest>>;

/// One product's stepper: how many of its units to cancel, from 0 to every unit the shipment holds
/// of it. A SKU on several lines is one stepper over their sum, as the rules count it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stepper {
    pub sku: String,
    pub name: String,
    /// Every unit of the SKU in the shipment.
    pub max: u32,
    /// As typed (or stepped), so that the field shows exactly what the seller entered.
    typed: String,
}

impl Stepper {
    pub fn typed(&self) -> &str {
        &self.typed
    }

    /// The units chosen, or `None` when what was typed is not a whole number.
    pub fn units(&self) -> Option<u32> {
        parse_quantity(&self.typed, MAX_STOCK)
    }
}

/// What is wrong with one stepper, shown next to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StepperError {
    /// Not a whole number from 0 up.
    Unreadable { max: u32 },
    /// The rules refuse this product's quantity (more than the shipment holds).
    Items(ItemsError),
}

/// Why the dialog can't send yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FormError {
    /// A stepper holds something that is not a number.
    Unreadable {
        sku: String,
    },
    NoReason,
    /// The rules crate's verdict.
    Rules(PartialError),
}

/// The shipment handed to the whole cancellation, with what the seller already chose: the reason
/// where the whole cancellation offers it too, and the description as typed.
#[derive(Clone, Debug, PartialEq)]
pub struct ToWhole {
    pub shipment: Shipment,
    pub reason: Option<Reason>,
    pub description: String,
}

/// What a confirmation leads to.
#[derive(Clone, Debug, PartialEq)]
pub enum Confirm {
    Send(PartialIntent),
    /// Every unit is chosen: that is the whole cancellation, with its own reasons and effects.
    Whole(Box<ToWhole>),
    /// The form stops it; the seller is shown this field.
    Invalid(FormError),
    /// A request is in flight, or no key could be made (the submission says which).
    Nothing,
}

/// A warning of the shipment, judged again on what would remain.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WarningAfter {
    Clears(Warning),
    Stays(Warning),
}

/// A partial cancellation that went through.
#[derive(Clone, Debug, PartialEq)]
pub struct PartialDone {
    /// The shipment as it now is, with its `cancelled_items`.
    pub shipment: Shipment,
    pub reason: Reason,
    /// Units cancelled, over every product.
    pub units: u32,
}

/// What a settled answer means for the rest of the page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settled {
    /// The server's current state of the shipment, for its row.
    pub row: Option<Shipment>,
    /// The partial cancellation went through: the dialog closes.
    pub done: Option<PartialDone>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PartialFlow {
    shipment: Shipment,
    steppers: Vec<Stepper>,
    reason: Option<Reason>,
    description: String,
    attempted: bool,
    submission: Submission,
    changed_from: Option<Shipment>,
    intent: Option<PartialIntent>,
}

/// One stepper per SKU, in the order the shipment first lists it, each starting at what `typed`
/// kept for it (0 for a new one).
fn steppers(products: &[ProductLine], typed: impl Fn(&str) -> Option<String>) -> Vec<Stepper> {
    let mut steppers: Vec<Stepper> = Vec::new();
    for line in products {
        match steppers.iter_mut().find(|s| s.sku == line.sku) {
            Some(stepper) => stepper.max = stepper.max.saturating_add(line.quantity),
            None => steppers.push(Stepper {
                sku: line.sku.clone(),
                name: line.name.clone(),
                max: line.quantity,
                typed: typed(&line.sku).unwrap_or_else(|| "0".to_owned()),
            }),
        }
    }
    steppers
}

/// The product an items error is about, if it is about one.
pub fn items_sku(error: &ItemsError) -> Option<&str> {
    match error {
        ItemsError::UnknownSku { sku }
        | ItemsError::DuplicateSku { sku }
        | ItemsError::NotWholeUnits { sku }
        | ItemsError::ZeroQuantity { sku }
        | ItemsError::MoreThanHeld { sku, .. } => Some(sku),
        ItemsError::NoItems | ItemsError::WholeShipment => None,
    }
}

impl PartialFlow {
    pub fn new(shipment: Shipment) -> PartialFlow {
        PartialFlow {
            steppers: steppers(&shipment.products, |_| None),
            shipment,
            reason: None,
            description: String::new(),
            attempted: false,
            submission: Submission::Editing,
            changed_from: None,
            intent: None,
        }
    }

    pub fn shipment(&self) -> &Shipment {
        &self.shipment
    }

    pub fn steppers(&self) -> &[Stepper] {
        &self.steppers
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

    pub fn can_retry(&self) -> bool {
        matches!(self.submission, Submission::Unreachable(_))
    }

    /// The reasons a partial cancellation of this shipment may give.
    pub fn reasons(&self) -> &'static [Reason] {
        partial_reasons(self.shipment.status)
    }

    /// The shipment has moved past the status where a partial cancellation is offered.
    pub fn not_offered(&self) -> bool {
        !partial_offered(self.shipment.status)
    }

    pub fn reason_missing(&self) -> bool {
        self.attempted && self.reason.is_none()
    }

    pub fn changes(&self) -> Option<(&Shipment, &Shipment)> {
        self.changed_from
            .as_ref()
            .map(|seen| (seen, &self.shipment))
    }

    /// The products and units chosen, zero quantities left out.
    pub fn items(&self) -> Vec<CancelItem> {
        self.steppers
            .iter()
            .filter_map(|stepper| {
                let quantity = stepper.units()?;
                (quantity > 0).then(|| CancelItem {
                    sku: stepper.sku.clone(),
                    quantity,
                })
            })
            .collect()
    }

    /// Units chosen over every product.
    pub fn chosen_units(&self) -> u32 {
        self.items().iter().map(|item| item.quantity).sum()
    }

    /// What would remain of the shipment, or why the chosen units are refused.
    pub fn remaining(&self) -> Result<Vec<ProductLine>, ItemsError> {
        remaining_after(&self.shipment.products, &self.items())
    }

    /// Every unit is chosen: confirming hands the shipment to the whole cancellation.
    pub fn whole(&self) -> bool {
        self.remaining() == Err(ItemsError::WholeShipment)
            && self.steppers.iter().all(|s| s.units().is_some())
    }

    /// What to show next to stepper `index`. "Nothing chosen" is not any stepper's fault: see
    /// [`PartialFlow::nothing_chosen`].
    pub fn stepper_error(&self, index: usize) -> Option<StepperError> {
        let stepper = self.steppers.get(index)?;
        if stepper.units().is_none() {
            return Some(StepperError::Unreadable { max: stepper.max });
        }
        let error = self.remaining().err()?;
        (items_sku(&error) == Some(stepper.sku.as_str())).then_some(StepperError::Items(error))
    }

    /// The seller confirmed with no unit chosen.
    pub fn nothing_chosen(&self) -> bool {
        self.attempted && self.remaining() == Err(ItemsError::NoItems)
    }

    /// The rules crate's verdict on the whole form.
    pub fn form(&self) -> Result<PartialCancellation, FormError> {
        if let Some(stepper) = self.steppers.iter().find(|s| s.units().is_none()) {
            return Err(FormError::Unreadable {
                sku: stepper.sku.clone(),
            });
        }
        let reason = self.reason.ok_or(FormError::NoReason)?;
        let description = reason
            .requires_comment()
            .then_some(self.description.as_str());
        check_partial(
            self.shipment.status,
            &self.shipment.products,
            reason,
            description,
            &self.items(),
        )
        .map_err(FormError::Rules)
    }

    /// The shipment's warnings, judged again on what would remain: each clears or stays. Nothing
    /// while the chosen units are refused.
    pub fn warnings_after(&self) -> Vec<WarningAfter> {
        let Ok(remaining) = self.remaining() else {
            return Vec::new();
        };
        let shipment = &self.shipment;
        let after = eligibility(
            shipment.status,
            shipment.delivery.method,
            shipment.cancellation.as_ref(),
            &remaining,
        )
        .warnings;
        shipment
            .evaluate()
            .warnings
            .into_iter()
            .map(|warning| {
                if after.contains(&warning) {
                    WarningAfter::Stays(warning)
                } else {
                    WarningAfter::Clears(warning)
                }
            })
            .collect()
    }

    /// The shipment already counts in the rate's numerator: this cancellation adds nothing to it.
    pub fn already_counted(&self) -> bool {
        self.shipment.already_counted()
    }

    /// Seller cancellations this one adds to the rate's numerator: a shipment counts once.
    pub fn rate_count(&self) -> u32 {
        if self.already_counted() { 0 } else { 1 }
    }

    /// The chosen products whose stock the reason resets to zero (only those), if it resets any.
    pub fn stock_reset(&self) -> Option<Vec<Stepper>> {
        self.reason.filter(|reason| reason.resets_stock())?;
        let chosen: Vec<Stepper> = self
            .steppers
            .iter()
            .filter(|stepper| stepper.units().is_some_and(|units| units > 0))
            .cloned()
            .collect();
        (!chosen.is_empty()).then_some(chosen)
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

    /// Stepper `index` as typed.
    pub fn set_units(&mut self, index: usize, typed: String) {
        if self.busy() {
            return;
        }
        if let Some(stepper) = self.steppers.get_mut(index) {
            stepper.typed = typed;
        }
    }

    /// One unit more (`up`) or fewer, kept within 0 and every unit of the product; an unreadable
    /// entry steps from 0.
    pub fn step(&mut self, index: usize, up: bool) {
        if self.busy() {
            return;
        }
        if let Some(stepper) = self.steppers.get_mut(index) {
            let now = stepper.units().unwrap_or(0);
            let next = if up {
                now.saturating_add(1)
            } else {
                now.saturating_sub(1)
            }
            .min(stepper.max);
            stepper.typed = next.to_string();
        }
    }

    /// The seller confirms: the intent to send (the previous key when nothing changed), or the
    /// whole cancellation when every unit is chosen.
    pub fn confirm(&mut self, new_key: impl FnOnce() -> Result<String, KeyError>) -> Confirm {
        if self.busy() {
            return Confirm::Nothing;
        }
        self.attempted = true;
        if self.whole() {
            return Confirm::Whole(Box::new(self.to_whole()));
        }
        let checked = match self.form() {
            Ok(checked) => checked,
            Err(error) => return Confirm::Invalid(error),
        };
        let Some(reason) = self.reason else {
            return Confirm::Invalid(FormError::NoReason);
        };
        let request = Versioned {
            posting_number: self.shipment.posting_number.clone(),
            version: self.shipment.version,
            body: CancelItemsRequest {
                reason,
                comment: checked.comment,
                items: self.items().iter().map(RequestedItem::from).collect(),
            },
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

    /// The shipment for the whole cancellation, keeping the reason where it offers it too and the
    /// description as typed: nothing the seller entered is lost in the switch.
    pub fn to_whole(&self) -> ToWhole {
        let offered = self.shipment.evaluate();
        ToWhole {
            shipment: self.shipment.clone(),
            reason: self.reason.filter(|reason| offered.offers(*reason)),
            description: self.description.clone(),
        }
    }

    pub fn pausing(&mut self, pause: Duration) {
        self.submission = Submission::Pausing {
            seconds: pause.as_secs().max(1),
        };
    }

    /// What the server's answer means, decided by its problem code.
    pub fn settle(&mut self, answer: Result<Shipment, ApiError>) -> Settled {
        let error = match answer {
            Ok(shipment) => {
                self.submission = Submission::Editing;
                let done = self.intent.as_ref().map(|intent| PartialDone {
                    shipment: shipment.clone(),
                    reason: intent.request.body.reason,
                    units: self.chosen_units(),
                });
                return Settled {
                    row: Some(shipment),
                    done,
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

    /// Takes the server's newer state: the steppers follow its products (keeping what was typed
    /// for a product still there), and the reason stays only while a partial cancellation in its
    /// status still offers it.
    fn adopt(&mut self, now: Shipment) {
        if self
            .reason
            .is_some_and(|reason| !partial_reasons(now.status).contains(&reason))
        {
            self.reason = None;
        }
        let kept = std::mem::take(&mut self.steppers);
        self.steppers = steppers(&now.products, |sku| {
            kept.iter()
                .find(|stepper| stepper.sku == sku)
                .map(|stepper| stepper.typed.clone())
        });
        if now != self.shipment {
            let seen = std::mem::replace(&mut self.shipment, now);
            self.changed_from = Some(seen);
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};
    use domain::partial::CancelledItem;
    use domain::{CommentError, Initiator, Problem, ProblemCode, Status};

    use super::*;
    use crate::intent::numbered_keys;
    use crate::test_shipment;

    fn line(sku: &str, name: &str, quantity: u32) -> ProductLine {
        ProductLine {
            sku: sku.to_owned(),
            name: name.to_owned(),
            quantity,
            price: "1.00".to_owned(),
            currency: "USD".to_owned(),
        }
    }

    /// Awaiting packaging: 2 phone cases and 1 cable, version 3.
    fn shipment() -> Shipment {
        let mut shipment = test_shipment::shipment("1-1-1");
        shipment.status = Status::AwaitingPackaging;
        shipment.version = 3;
        shipment.products = vec![line("1001", "Phone case", 2), line("2002", "Cable", 1)];
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

    fn sent(confirm: Confirm) -> PartialIntent {
        match confirm {
            Confirm::Send(intent) => intent,
            other => panic!("expected a send, got {other:?}"),
        }
    }

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    #[test]
    fn one_stepper_per_product_from_zero_to_its_units() {
        let mut shipment = shipment();
        shipment.products.push(line("1001", "Phone case", 3));
        let mut flow = PartialFlow::new(shipment);
        let maxes: Vec<(&str, u32, &str)> = flow
            .steppers()
            .iter()
            .map(|s| (s.sku.as_str(), s.max, s.typed()))
            .collect();
        assert_eq!(maxes, vec![("1001", 5, "0"), ("2002", 1, "0")]);
        flow.step(1, false);
        assert_eq!(flow.steppers()[1].typed(), "0", "never below 0");
        flow.step(1, true);
        flow.step(1, true);
        assert_eq!(flow.steppers()[1].typed(), "1", "never above its units");
        flow.set_units(0, "two".to_owned());
        flow.step(0, true);
        assert_eq!(
            flow.steppers()[0].typed(),
            "1",
            "an unreadable entry steps from 0"
        );
    }

    #[test]
    fn what_remains_follows_the_steppers() {
        let mut flow = PartialFlow::new(shipment());
        assert_eq!(flow.remaining(), Err(ItemsError::NoItems));
        flow.step(0, true);
        assert_eq!(
            flow.remaining(),
            Ok(vec![
                line("1001", "Phone case", 1),
                line("2002", "Cable", 1)
            ])
        );
        flow.step(0, true);
        assert_eq!(flow.remaining(), Ok(vec![line("2002", "Cable", 1)]));
        assert_eq!(flow.chosen_units(), 2);
    }

    #[test]
    fn errors_are_shown_next_to_the_stepper_they_concern() {
        let mut flow = PartialFlow::new(shipment());
        flow.set_units(0, "3".to_owned());
        assert_eq!(
            flow.stepper_error(0),
            Some(StepperError::Items(ItemsError::MoreThanHeld {
                sku: "1001".to_owned(),
                held: 2,
                asked: 3
            }))
        );
        assert_eq!(flow.stepper_error(1), None);
        flow.set_units(0, "1".to_owned());
        flow.set_units(1, "1.5".to_owned());
        assert_eq!(
            flow.stepper_error(1),
            Some(StepperError::Unreadable { max: 1 })
        );
        assert_eq!(flow.stepper_error(0), None);
        flow.choose(Reason::CustomerRequest);
        assert_eq!(
            flow.confirm(numbered_keys()),
            Confirm::Invalid(FormError::Unreadable {
                sku: "2002".to_owned()
            })
        );
    }

    #[test]
    fn nothing_chosen_is_said_only_after_a_confirm_and_nothing_is_sent() {
        let mut flow = PartialFlow::new(shipment());
        flow.choose(Reason::OutOfStock);
        assert!(!flow.nothing_chosen());
        assert_eq!(
            flow.confirm(numbered_keys()),
            Confirm::Invalid(FormError::Rules(PartialError::Items(ItemsError::NoItems)))
        );
        assert!(flow.nothing_chosen());
        assert_eq!(flow.submission(), &Submission::Editing);
    }

    #[test]
    fn the_reasons_are_the_partial_ones_and_other_needs_its_description() {
        let mut flow = PartialFlow::new(shipment());
        assert_eq!(
            flow.reasons(),
            &[Reason::OutOfStock, Reason::CustomerRequest, Reason::Other]
        );
        flow.step(0, true);
        assert_eq!(
            flow.confirm(numbered_keys()),
            Confirm::Invalid(FormError::NoReason)
        );
        assert!(flow.reason_missing());
        flow.choose(Reason::Other);
        assert_eq!(
            flow.confirm(numbered_keys()),
            Confirm::Invalid(FormError::Rules(PartialError::Comment(
                CommentError::CommentRequired
            )))
        );
        flow.describe("  Cracked in the warehouse ".to_owned());
        let intent = sent(flow.confirm(numbered_keys()));
        assert_eq!(
            intent.request,
            Versioned {
                posting_number: "1-1-1".to_owned(),
                version: 3,
                body: CancelItemsRequest {
                    reason: Reason::Other,
                    comment: Some("Cracked in the warehouse".to_owned()),
                    items: vec![RequestedItem {
                        sku: "1001".to_owned(),
                        quantity: 1.0
                    }],
                },
            }
        );
        assert!(flow.busy());
        assert_eq!(flow.confirm(numbered_keys()), Confirm::Nothing);
    }

    #[test]
    fn a_description_typed_before_switching_away_from_other_is_not_sent() {
        let mut flow = PartialFlow::new(shipment());
        flow.step(1, true);
        flow.choose(Reason::Other);
        flow.describe("left over".to_owned());
        flow.choose(Reason::CustomerRequest);
        let intent = sent(flow.confirm(numbered_keys()));
        assert_eq!(intent.request.body.comment, None);
        assert_eq!(flow.description(), "left over", "kept for a switch back");
    }

    #[test]
    fn every_unit_turns_into_the_whole_cancellation_keeping_what_was_entered() {
        let mut flow = PartialFlow::new(shipment());
        flow.step(0, true);
        flow.step(0, true);
        assert!(!flow.whole());
        flow.step(1, true);
        assert!(flow.whole());
        assert_eq!(flow.stepper_error(0), None, "not an error: a switch");
        flow.choose(Reason::Other);
        flow.describe("Cracked".to_owned());
        assert_eq!(
            flow.confirm(numbered_keys()),
            Confirm::Whole(Box::new(ToWhole {
                shipment: shipment(),
                reason: Some(Reason::Other),
                description: "Cracked".to_owned(),
            }))
        );
        assert!(!flow.busy(), "nothing was sent");
    }

    #[test]
    fn the_switch_keeps_only_a_reason_the_whole_cancellation_offers() {
        // Every reason of a partial cancellation is offered for a whole one before handover; a
        // reason the whole cancellation does not offer (here, once the record blocks it) is dropped.
        let mut flow = PartialFlow::new(shipment());
        flow.choose(Reason::OutOfStock);
        assert_eq!(flow.to_whole().reason, Some(Reason::OutOfStock));
        let mut blocked = shipment();
        blocked.status = Status::Cancelled;
        let mut flow = PartialFlow::new(test_shipment::rejudged(blocked));
        flow.choose(Reason::OutOfStock);
        assert_eq!(flow.to_whole().reason, None);
    }

    #[test]
    fn the_commercial_warning_clears_or_stays_on_what_remains() {
        let mut commercial = shipment();
        commercial.products[0].quantity = 5;
        let mut flow = PartialFlow::new(test_shipment::rejudged(commercial));
        assert_eq!(flow.warnings_after(), vec![], "nothing chosen yet");
        flow.step(0, true);
        assert_eq!(
            flow.warnings_after(),
            vec![WarningAfter::Stays(Warning::CommercialShipment)]
        );
        flow.step(0, true);
        assert_eq!(
            flow.warnings_after(),
            vec![WarningAfter::Clears(Warning::CommercialShipment)]
        );
        assert_eq!(PartialFlow::new(shipment()).warnings_after(), vec![]);
    }

    #[test]
    fn a_shipment_already_counted_adds_nothing_to_the_rate() {
        let flow = PartialFlow::new(shipment());
        assert!(!flow.already_counted());
        assert_eq!(flow.rate_count(), 1);
        let mut counted = shipment();
        counted.cancelled_items = vec![CancelledItem {
            sku: "1001".to_owned(),
            quantity: 1,
            reason: Reason::CustomerRequest,
            comment: None,
            initiator: Initiator::Seller,
            at: at("2026-11-21T08:00:00Z"),
        }];
        let flow = PartialFlow::new(counted);
        assert!(flow.already_counted());
        assert_eq!(flow.rate_count(), 0);
    }

    #[test]
    fn out_of_stock_resets_the_chosen_products_only() {
        let mut flow = PartialFlow::new(shipment());
        flow.step(1, true);
        assert_eq!(flow.stock_reset(), None);
        flow.choose(Reason::OutOfStock);
        let reset: Vec<String> = flow
            .stock_reset()
            .unwrap()
            .into_iter()
            .map(|s| s.sku)
            .collect();
        assert_eq!(reset, vec!["2002".to_owned()]);
        flow.choose(Reason::CustomerRequest);
        assert_eq!(flow.stock_reset(), None);
    }

    #[test]
    fn a_network_failure_keeps_everything_and_retry_reuses_the_key() {
        let mut flow = PartialFlow::new(shipment());
        flow.step(0, true);
        flow.choose(Reason::Other);
        flow.describe("Cracked".to_owned());
        let mut keys = numbered_keys();
        let first = sent(flow.confirm(&mut keys));
        let settled = flow.settle(Err(ApiError::Network("offline".to_owned())));
        assert_eq!(settled, Settled::default());
        assert!(flow.can_retry());
        assert_eq!(flow.steppers()[0].typed(), "1");
        assert_eq!(flow.description(), "Cracked");
        assert_eq!(flow.reason(), Some(Reason::Other));
        let again = sent(flow.confirm(&mut keys));
        assert_eq!(again, first);
        // A changed request is a new intent.
        flow.settle(Err(ApiError::Network("offline".to_owned())));
        flow.step(0, true);
        assert_eq!(sent(flow.confirm(&mut keys)).key, "k2");
    }

    #[test]
    fn a_server_still_working_on_the_key_is_unreachable_not_refused() {
        let mut flow = PartialFlow::new(shipment());
        flow.step(0, true);
        flow.choose(Reason::OutOfStock);
        sent(flow.confirm(numbered_keys()));
        flow.settle(Err(problem(ProblemCode::RequestInFlight, 409, None)));
        assert!(flow.can_retry());
    }

    #[test]
    fn a_stale_version_re_judges_the_rules_on_the_current_state() {
        let seen = shipment();
        // Meanwhile a phone case was cancelled elsewhere: one left.
        let mut now = seen.clone();
        now.version = 4;
        now.products[0].quantity = 1;
        let mut flow = PartialFlow::new(seen.clone());
        flow.step(0, true);
        flow.step(0, true);
        flow.choose(Reason::CustomerRequest);
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
        // What was typed stays, and the rules now refuse it next to its stepper.
        assert_eq!(flow.steppers()[0].max, 1);
        assert_eq!(flow.steppers()[0].typed(), "2");
        assert!(matches!(
            flow.stepper_error(0),
            Some(StepperError::Items(ItemsError::MoreThanHeld {
                held: 1,
                ..
            }))
        ));
        assert_eq!(flow.reason(), Some(Reason::CustomerRequest));
        flow.step(0, false);
        let next = sent(flow.confirm(&mut keys));
        assert_eq!(next.request.version, 4);
        assert_eq!(next.key, "k2");
    }

    #[test]
    fn a_shipment_packed_meanwhile_offers_no_partial_cancellation() {
        let seen = shipment();
        let mut now = seen.clone();
        now.version = 4;
        now.status = Status::AwaitingShipment;
        let now = test_shipment::rejudged(now);
        let mut flow = PartialFlow::new(seen);
        flow.step(0, true);
        flow.choose(Reason::OutOfStock);
        sent(flow.confirm(numbered_keys()));
        flow.settle(Err(problem(ProblemCode::VersionMismatch, 412, Some(now))));
        assert!(flow.not_offered());
        assert!(flow.reasons().is_empty());
        assert_eq!(flow.reason(), None, "no longer offered");
        flow.choose(Reason::OutOfStock);
        assert_eq!(flow.form(), Err(FormError::Rules(PartialError::NotOffered)));
    }

    #[test]
    fn a_refusal_is_shown_with_its_code_and_the_current_state() {
        let mut flow = PartialFlow::new(shipment());
        flow.step(0, true);
        flow.choose(Reason::OutOfStock);
        sent(flow.confirm(numbered_keys()));
        let mut now = shipment();
        now.version = 5;
        now.products.remove(1);
        let settled = flow.settle(Err(problem(
            ProblemCode::InvalidItems,
            422,
            Some(now.clone()),
        )));
        assert_eq!(settled.row, Some(now));
        assert!(matches!(flow.submission(), Submission::Refused(e)
            if e.problem_code() == Some(ProblemCode::InvalidItems)));
        assert!(!flow.can_retry());
        assert_eq!(flow.steppers().len(), 1, "the cable is gone");
    }

    #[test]
    fn a_success_hands_the_new_state_and_what_was_done_to_the_page() {
        let mut flow = PartialFlow::new(shipment());
        flow.step(0, true);
        flow.step(1, true);
        flow.choose(Reason::OutOfStock);
        sent(flow.confirm(numbered_keys()));
        let mut after = shipment();
        after.version = 4;
        after.products = vec![line("1001", "Phone case", 1)];
        let settled = flow.settle(Ok(after.clone()));
        assert_eq!(settled.row, Some(after.clone()));
        assert_eq!(
            settled.done,
            Some(PartialDone {
                shipment: after,
                reason: Reason::OutOfStock,
                units: 2,
            })
        );
        assert!(!flow.busy());
    }

    #[test]
    fn without_a_key_nothing_is_sent() {
        let mut flow = PartialFlow::new(shipment());
        flow.step(0, true);
        flow.choose(Reason::OutOfStock);
        assert_eq!(flow.confirm(|| Err(KeyError::NoCrypto)), Confirm::Nothing);
        assert_eq!(flow.submission(), &Submission::NoKey(KeyError::NoCrypto));
    }

    #[test]
    fn nothing_changes_while_sending() {
        let mut flow = PartialFlow::new(shipment());
        flow.step(0, true);
        flow.choose(Reason::OutOfStock);
        sent(flow.confirm(numbered_keys()));
        flow.step(0, true);
        flow.set_units(1, "1".to_owned());
        flow.choose(Reason::Other);
        assert_eq!(flow.chosen_units(), 1);
        assert_eq!(flow.reason(), Some(Reason::OutOfStock));
        flow.pausing(Duration::from_millis(500));
        assert_eq!(flow.submission(), &Submission::Pausing { seconds: 1 });
    }
}

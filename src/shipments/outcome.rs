//! The one path every change takes to the page: a cancellation, a provider's answer, a bulk run, a
//! split, a row refreshed after a refusal. [`report`] decides, as plain data, what each change does
//! to the table, the live region, the in-page toast and the portal (`shipments_changed`, `toast`);
//! [`Outcomes`] carries it out.

use domain::{Reason, Shipment};
use leptos::prelude::*;

use crate::api::CancelAnswer;
use crate::bulk::dialog::summary_words;
use crate::bulk::run::Summary;
use crate::cancel::follow_up::sweep;
use crate::cancel::follow_up::sweep::run::SweepSummary;
use crate::embed::bridge::Bridge;
use crate::embed::protocol::Outbound;
use crate::feedback::Announcer;
use crate::i18n::text;
use crate::partial::flow::PartialDone;
use crate::shipments::list::ShipmentList;
use crate::shipments::overlay::Overlay;

/// A change that reached the page.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// A shipment's current state, as a refusal or a bulk run brought it: its row.
    Row(Shipment),
    /// The server pushed a shipment's new state (a provider's answer, another tab, the portal);
    /// `waited` says whether its row was waiting for a provider's answer.
    Pushed { shipment: Shipment, waited: bool },
    /// The seller's cancellation went through, or was requested from the provider.
    Cancelled(CancelAnswer),
    /// A bulk run ended.
    BulkFinished(Summary),
    /// The out-of-stock sweep ended (its rows came as `Row` outcomes).
    SweepFinished(SweepSummary),
    /// A shipment was split into these parcels, the original first.
    Split {
        original: String,
        parcels: Vec<Shipment>,
    },
    /// Some products of a shipment were cancelled; the rest stays in it.
    PartiallyCancelled(PartialDone),
}

/// How a sentence is said to the portal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Success,
    Error,
}

impl Tone {
    fn kind(self) -> &'static str {
        match self {
            Tone::Success => "success",
            Tone::Error => "error",
        }
    }
}

/// What the page says about an outcome, turned into words in the active locale when it is said.
#[derive(Clone, Debug, PartialEq)]
pub enum Sentence {
    Cancelled(CancelAnswer),
    ProviderAnswered(Shipment),
    BulkFinished(Summary),
    SweepFinished(SweepSummary),
    Split { parcels: usize },
    PartiallyCancelled { posting_number: String, units: u32 },
}

impl Sentence {
    pub fn words(&self) -> String {
        match self {
            Sentence::Cancelled(CancelAnswer::Cancelled(shipment)) => {
                text::cancelled_confirmation(&shipment.posting_number)
            }
            Sentence::Cancelled(CancelAnswer::Requested(shipment)) => text::requested_confirmation(
                &shipment.posting_number,
                shipment.delivery.provider.as_deref(),
            ),
            Sentence::ProviderAnswered(shipment) => provider_answer(shipment).unwrap_or_default(),
            Sentence::BulkFinished(summary) => summary_words(*summary),
            Sentence::SweepFinished(summary) => sweep::summary_words(*summary),
            Sentence::Split { parcels } => text::split_done(*parcels),
            Sentence::PartiallyCancelled {
                posting_number,
                units,
            } => text::partial_done(posting_number, *units),
        }
    }
}

/// What the page does with one outcome.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    /// Rows to replace with the server's state.
    pub rows: Vec<Shipment>,
    /// A row to replace with its parcels: the original's posting number, and the parcels.
    pub split: Option<(String, Vec<Shipment>)>,
    /// What to say in the live region and the portal's toast.
    pub say: Option<(Tone, Sentence)>,
    /// Say it only if a row did change (a pushed state the table already shows is news to no one).
    pub say_only_if_changed: bool,
    /// Whether the sentence also shows in the in-page toast.
    pub confirm: bool,
    /// The cancelled shipment whose follow-ups are offered.
    pub follow_up: Option<Shipment>,
    pub close_overlay: bool,
    pub clear_selection: bool,
    /// The tab counts and the rate follow the change.
    pub refresh_counts: bool,
}

impl Report {
    /// The posting numbers the portal hears of in `shipments_changed`.
    pub fn changed(&self) -> Vec<String> {
        let rows = self.rows.iter();
        let parcels = self.split.iter().flat_map(|(_, parcels)| parcels);
        rows.chain(parcels)
            .map(|s| s.posting_number.clone())
            .collect()
    }
}

pub fn report(outcome: Outcome) -> Report {
    match outcome {
        Outcome::Row(shipment) => Report {
            rows: vec![shipment],
            ..Report::default()
        },
        // Only a row that waited for its provider announces the answer: a change made in another
        // tab is not the provider's news.
        Outcome::Pushed { shipment, waited } => Report {
            say: (waited && is_decided(&shipment))
                .then(|| (Tone::Success, Sentence::ProviderAnswered(shipment.clone()))),
            say_only_if_changed: true,
            rows: vec![shipment],
            refresh_counts: true,
            ..Report::default()
        },
        // The dialog hands the new row to `on_shipment` before it reports the cancellation done,
        // so the row and the portal's `shipments_changed` came with that `Row` outcome.
        Outcome::Cancelled(answer) => {
            let shipment = answer.shipment().clone();
            Report {
                say: Some((Tone::Success, Sentence::Cancelled(answer))),
                confirm: true,
                follow_up: Some(shipment),
                close_overlay: true,
                refresh_counts: true,
                ..Report::default()
            }
        }
        // One sentence per run, not per shipment: the summary the results table opens with. The
        // results stay open for the seller to read.
        Outcome::BulkFinished(summary) => Report {
            say: Some((
                if summary.failed > 0 {
                    Tone::Error
                } else {
                    Tone::Success
                },
                Sentence::BulkFinished(summary),
            )),
            clear_selection: true,
            refresh_counts: true,
            ..Report::default()
        },
        // Said once, as the bulk run's; the follow-up stays open with its results.
        Outcome::SweepFinished(summary) => Report {
            say: Some((
                if summary.failed > 0 {
                    Tone::Error
                } else {
                    Tone::Success
                },
                Sentence::SweepFinished(summary),
            )),
            refresh_counts: true,
            ..Report::default()
        },
        Outcome::Split { original, parcels } => Report {
            say: Some((
                Tone::Success,
                Sentence::Split {
                    parcels: parcels.len(),
                },
            )),
            split: Some((original, parcels)),
            confirm: true,
            close_overlay: true,
            refresh_counts: true,
            ..Report::default()
        },
        // As for a whole cancellation, the row came first with `on_shipment`.
        Outcome::PartiallyCancelled(done) => Report {
            say: Some((
                Tone::Success,
                Sentence::PartiallyCancelled {
                    posting_number: done.shipment.posting_number.clone(),
                    units: done.units,
                },
            )),
            confirm: true,
            follow_up: out_of_stock_follow_up(&done),
            close_overlay: true,
            refresh_counts: true,
            ..Report::default()
        },
    }
}

/// The follow-up hook of a partial cancellation: with `out_of_stock`, the shipment goes to the
/// follow-ups as a whole cancellation's does (see `cancel::follow_up::plan::latest_cancellation`, which
/// reads the cancelled products from its latest partial cancellation); other reasons have none.
fn out_of_stock_follow_up(done: &PartialDone) -> Option<Shipment> {
    (done.reason == Reason::OutOfStock).then(|| done.shipment.clone())
}

/// A cancellation request the provider has answered.
fn is_decided(shipment: &Shipment) -> bool {
    shipment
        .cancellation
        .as_ref()
        .is_some_and(|cancellation| !cancellation.is_pending())
}

/// The words that announce a provider's answer, once the shipment no longer waits for it.
pub fn provider_answer(shipment: &Shipment) -> Option<String> {
    let cancellation = shipment.cancellation.as_ref()?;
    if cancellation.is_pending() {
        return None;
    }
    let state = text::cancellation_state(
        cancellation.state,
        shipment.delivery.provider.as_deref(),
        cancellation.initiator,
    );
    Some(text::provider_answered(
        &shipment.posting_number,
        &state,
        cancellation.provider_message.as_deref(),
    ))
}

/// Where the page's outcomes go.
#[derive(Clone)]
pub struct Outcomes {
    pub list: ShipmentList,
    pub announcer: Option<Announcer>,
    pub portal: Option<Bridge>,
    pub overlay: RwSignal<Overlay>,
    pub confirmation: RwSignal<Option<String>>,
    pub follow_up: RwSignal<Option<Shipment>>,
    pub clear_selection: Callback<()>,
    pub refresh_counts: Callback<()>,
}

impl Outcomes {
    pub fn deliver(&self, outcome: Outcome) {
        let report = report(outcome);
        let changed = report.changed();
        let mut any_changed = false;
        for row in report.rows {
            any_changed |= self.list.replace(row);
        }
        if let Some((original, parcels)) = report.split {
            self.list.split(&original, parcels);
            any_changed = true;
        }
        if !any_changed && report.say_only_if_changed {
            return;
        }
        if let Some(portal) = &self.portal
            && !changed.is_empty()
        {
            portal.tell(&Outbound::ShipmentsChanged {
                posting_numbers: changed,
            });
        }
        if let Some((tone, sentence)) = &report.say {
            let words = sentence.words();
            if let Some(announcer) = self.announcer {
                announcer.status(words.clone());
            }
            if let Some(portal) = &self.portal {
                portal.tell(&Outbound::Toast {
                    kind: tone.kind(),
                    text: words.clone(),
                });
            }
            if report.confirm {
                self.confirmation.set(Some(words));
            }
        }
        if report.close_overlay {
            self.overlay.set(Overlay::Nothing);
        }
        if let Some(shipment) = report.follow_up {
            self.follow_up.set(Some(shipment));
        }
        if report.clear_selection {
            self.clear_selection.run(());
        }
        if report.refresh_counts {
            self.refresh_counts.run(());
        }
    }

    /// A callback that delivers what `wrap` makes of its argument, for a dialog's prop.
    pub fn callback<T: 'static>(&self, wrap: fn(T) -> Outcome) -> Callback<T> {
        let outcomes = self.clone();
        Callback::new(move |value| outcomes.deliver(wrap(value)))
    }
}

#[cfg(test)]
mod tests {
    use domain::{Cancellation, CancellationState, Initiator};

    use super::*;
    use crate::test_shipment;

    fn decided(state: CancellationState) -> Shipment {
        let mut shipment = test_shipment::shipment("1-1-1");
        shipment.cancellation = Some(Cancellation {
            state,
            reason: Some(Reason::CustomerRequest),
            comment: None,
            initiator: Initiator::Seller,
            requested_at: shipment.created_at,
            decided_at: None,
            provider_message: None,
        });
        shipment
    }

    #[test]
    fn a_cancellation_reaches_the_live_region_the_toast_and_the_follow_ups() {
        let shipment = decided(CancellationState::Cancelled);
        let report = report(Outcome::Cancelled(CancelAnswer::Cancelled(
            shipment.clone(),
        )));
        assert!(
            report.changed().is_empty(),
            "the row came first, with on_shipment"
        );
        assert_eq!(
            report.say,
            Some((
                Tone::Success,
                Sentence::Cancelled(CancelAnswer::Cancelled(shipment.clone()))
            ))
        );
        assert!(report.confirm);
        assert_eq!(report.follow_up, Some(shipment));
        assert!(report.close_overlay && report.refresh_counts);
    }

    #[test]
    fn a_split_is_said_like_any_other_change() {
        let parcels = vec![
            test_shipment::shipment("1-1-1"),
            test_shipment::shipment("1-1-2"),
        ];
        let report = report(Outcome::Split {
            original: "1-1-1".to_owned(),
            parcels,
        });
        assert_eq!(
            report.changed(),
            vec!["1-1-1".to_owned(), "1-1-2".to_owned()]
        );
        assert_eq!(
            report.say,
            Some((Tone::Success, Sentence::Split { parcels: 2 }))
        );
        assert!(report.confirm);
        assert!(report.close_overlay && report.refresh_counts);
    }

    #[test]
    fn a_bulk_run_with_failures_is_said_as_an_error_once_and_clears_the_selection() {
        let summary = Summary {
            cancelled: 3,
            requested: 0,
            skipped: 1,
            failed: 2,
        };
        let report = report(Outcome::BulkFinished(summary));
        assert!(matches!(report.say, Some((Tone::Error, _))));
        assert!(report.rows.is_empty(), "the rows came with each batch");
        assert!(report.clear_selection && !report.close_overlay);
        let clean = super::report(Outcome::BulkFinished(Summary {
            failed: 0,
            ..summary
        }));
        assert!(matches!(clean.say, Some((Tone::Success, _))));
    }

    #[test]
    fn a_pushed_answer_is_said_only_once_decided_and_only_if_the_row_changed() {
        let pushed = |state, waited| {
            report(Outcome::Pushed {
                shipment: decided(state),
                waited,
            })
        };
        let waiting = pushed(CancellationState::Requested, true);
        assert_eq!(waiting.say, None);
        let from_another_tab = pushed(CancellationState::Cancelled, false);
        assert_eq!(from_another_tab.say, None);
        assert_eq!(from_another_tab.changed(), vec!["1-1-1".to_owned()]);
        let answered = pushed(CancellationState::Rejected, true);
        assert!(answered.say.is_some());
        assert!(answered.say_only_if_changed);
        assert!(!answered.confirm && !answered.close_overlay);
    }

    #[test]
    fn a_partial_cancellation_is_said_and_out_of_stock_leads_to_the_follow_ups() {
        let shipment = test_shipment::shipment("1-1-1");
        let done = |reason| PartialDone {
            shipment: shipment.clone(),
            reason,
            units: 2,
        };
        let out_of_stock = report(Outcome::PartiallyCancelled(done(Reason::OutOfStock)));
        assert!(out_of_stock.changed().is_empty(), "the row came first");
        assert_eq!(
            out_of_stock.say,
            Some((
                Tone::Success,
                Sentence::PartiallyCancelled {
                    posting_number: "1-1-1".to_owned(),
                    units: 2
                }
            ))
        );
        assert!(out_of_stock.confirm && out_of_stock.close_overlay && out_of_stock.refresh_counts);
        assert_eq!(out_of_stock.follow_up, Some(shipment.clone()));
        let customer = report(Outcome::PartiallyCancelled(done(Reason::CustomerRequest)));
        assert_eq!(customer.follow_up, None);
        assert!(customer.say.is_some());
    }

    #[test]
    fn a_refreshed_row_changes_only_the_row() {
        let report = report(Outcome::Row(test_shipment::shipment("1-1-1")));
        assert_eq!(report.changed(), vec!["1-1-1".to_owned()]);
        assert_eq!(report.say, None);
        assert!(!report.refresh_counts && !report.close_overlay);
    }
}

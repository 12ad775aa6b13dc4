//! A bulk cancellation as a plain state type: the batches it sends, what happened to each
//! shipment, which failures a retry sends again under the old key and which as a new intent, and
//! one summary.

use std::collections::BTreeMap;

use domain::eligibility::RuleViolation;
use domain::wire::{BulkCancelRequest, BulkCancelResponse, BulkOutcome};
use domain::{CommentError, ProblemCode, Reason, Shipment, validate_comment};

use crate::api::ApiError;
use crate::bulk::plan::{BATCH_SIZE, Prechecked, SkipLine};
use crate::intent::{Intent, KeyError};

/// One request of a run. A batch that got no answer is sent again with the same key, so the
/// server never processes it twice.
pub type Batch = Intent<BulkCancelRequest>;

/// Why a shipment ended as it did, for its line in the results.
#[derive(Clone, Debug, PartialEq)]
pub enum Why {
    /// The server's verdict, with its code when it gave one.
    Answered(Option<ProblemCode>),
    /// The pre-check skipped it by the rules, before anything was sent.
    Rule(RuleViolation),
    /// Its batch got no answer, even after the automatic retries.
    Unanswered(ApiError),
}

/// What happened to one shipment.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemResult {
    pub posting_number: String,
    pub outcome: BulkOutcome,
    pub why: Why,
    /// The provider a request went to, for "requested from Cainiao".
    pub provider: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Running { done: usize, total: usize },
    Finished,
}

/// How many shipments ended which way: the one count the results and the page's toast share.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub cancelled: usize,
    pub requested: usize,
    pub skipped: usize,
    pub failed: usize,
}

/// Why a run can't start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StartError {
    #[error("no reason is chosen")]
    NoReason,
    #[error(transparent)]
    Comment(#[from] CommentError),
    #[error("the pre-check found nothing to cancel")]
    NothingToCancel,
    #[error(transparent)]
    NoKey(#[from] KeyError),
}

#[derive(Clone, Debug, PartialEq)]
pub struct BulkRun {
    reason: Reason,
    comment: Option<String>,
    /// The version the seller saw of each shipment sent, for a new intent after a refusal.
    seen: BTreeMap<String, u64>,
    /// The provider of each shipment the app holds (none when every matching one was asked for).
    providers: BTreeMap<String, Option<String>>,
    results: Vec<ItemResult>,
    /// The matching shipments the server skipped, counted but not named.
    skipped_unlisted: u64,
    unanswered: Vec<Batch>,
    phase: Phase,
}

impl BulkRun {
    /// Starts a run of what the pre-check planned: the run, and the batches to send.
    pub fn start(
        plan: &Prechecked,
        shipments: &[Shipment],
        reason: Option<Reason>,
        description: &str,
        mut new_key: impl FnMut() -> Result<String, KeyError>,
    ) -> Result<(BulkRun, Vec<Batch>), StartError> {
        let reason = reason.ok_or(StartError::NoReason)?;
        let comment = validate_comment(reason, reason.requires_comment().then_some(description))?;
        if plan.cancel.is_empty() {
            return Err(StartError::NothingToCancel);
        }
        let mut run = BulkRun {
            reason,
            comment,
            seen: plan.cancel.iter().cloned().collect(),
            providers: shipments
                .iter()
                .map(|s| (s.posting_number.clone(), s.delivery.provider.clone()))
                .collect(),
            results: Vec::new(),
            skipped_unlisted: 0,
            unanswered: Vec::new(),
            phase: Phase::Finished,
        };
        // The skipped shipments are reported from the pre-check, as the server would.
        for line in &plan.skip {
            match line {
                SkipLine::One {
                    posting_number,
                    why,
                } => run.results.push(ItemResult {
                    posting_number: posting_number.clone(),
                    outcome: BulkOutcome::Skipped,
                    why: Why::Rule(*why),
                    provider: None,
                }),
                SkipLine::Many { shipments, .. } => run.skipped_unlisted += shipments,
            }
        }
        let batches = run.batches(&plan.cancel, &mut new_key)?;
        run.begin(&batches);
        Ok((run, batches))
    }

    pub fn phase(&self) -> Phase {
        self.phase
    }

    pub fn running(&self) -> bool {
        matches!(self.phase, Phase::Running { .. })
    }

    pub fn results(&self) -> &[ItemResult] {
        &self.results
    }

    pub fn summary(&self) -> Summary {
        let count =
            |outcome: BulkOutcome| self.results.iter().filter(|r| r.outcome == outcome).count();
        Summary {
            cancelled: count(BulkOutcome::Cancelled),
            requested: count(BulkOutcome::Requested),
            skipped: count(BulkOutcome::Skipped)
                + usize::try_from(self.skipped_unlisted).unwrap_or(usize::MAX),
            failed: count(BulkOutcome::Failed),
        }
    }

    pub fn has_failed(&self) -> bool {
        self.results
            .iter()
            .any(|r| r.outcome == BulkOutcome::Failed)
    }

    /// Takes the answer to one batch; returns the shipments whose rows changed.
    pub fn answered(
        &mut self,
        batch: Batch,
        answer: Result<BulkCancelResponse, ApiError>,
    ) -> Vec<Shipment> {
        let size = batch.request.posting_numbers.len();
        let mut rows = Vec::new();
        match answer {
            Ok(response) => {
                for result in response.results {
                    let provider = result
                        .shipment
                        .as_ref()
                        .and_then(|s| s.delivery.provider.clone())
                        .or_else(|| {
                            self.providers
                                .get(&result.posting_number)
                                .cloned()
                                .flatten()
                        });
                    self.results.push(ItemResult {
                        posting_number: result.posting_number,
                        outcome: result.outcome,
                        why: Why::Answered(result.code),
                        provider,
                    });
                    rows.extend(result.shipment);
                }
            }
            Err(error) => {
                self.results
                    .extend(batch.request.posting_numbers.iter().map(|pn| ItemResult {
                        posting_number: pn.clone(),
                        outcome: BulkOutcome::Failed,
                        why: Why::Unanswered(error.clone()),
                        provider: None,
                    }));
                self.unanswered.push(batch);
            }
        }
        if let Phase::Running { done, total } = &mut self.phase {
            *done = (*done + size).min(*total);
        }
        rows
    }

    /// Every batch has had its answer: the run's one summary.
    pub fn finish(&mut self) -> Summary {
        self.phase = Phase::Finished;
        self.summary()
    }

    /// Sends the failures again. A batch that got no answer goes again as it was, under its key,
    /// so the server answers with what it did if it did receive it. A shipment the server itself
    /// failed is a new intent, judged again, under a new key.
    pub fn retry_failed(
        &mut self,
        mut new_key: impl FnMut() -> Result<String, KeyError>,
    ) -> Result<Vec<Batch>, KeyError> {
        let resent: Vec<&String> = self
            .unanswered
            .iter()
            .flat_map(|batch| &batch.request.posting_numbers)
            .collect();
        let refused: Vec<(String, u64)> = self
            .results
            .iter()
            .filter(|r| r.outcome == BulkOutcome::Failed && !resent.contains(&&r.posting_number))
            .filter_map(|r| {
                let version = self.seen.get(&r.posting_number)?;
                Some((r.posting_number.clone(), *version))
            })
            .collect();
        let mut batches = self.batches(&refused, &mut new_key)?;
        batches.splice(0..0, std::mem::take(&mut self.unanswered));
        self.results.retain(|r| r.outcome != BulkOutcome::Failed);
        self.begin(&batches);
        Ok(batches)
    }

    fn begin(&mut self, batches: &[Batch]) {
        let total = batches
            .iter()
            .map(|b| b.request.posting_numbers.len())
            .sum();
        self.phase = Phase::Running { done: 0, total };
    }

    /// Cuts the shipments into requests of at most [`BATCH_SIZE`], each with its own key, and each
    /// naming the version the seller saw of each of its shipments, so that one that changed since
    /// is judged again rather than cancelled (`BulkCancelRequest::versions`).
    fn batches(
        &self,
        seen: &[(String, u64)],
        new_key: &mut impl FnMut() -> Result<String, KeyError>,
    ) -> Result<Vec<Batch>, KeyError> {
        seen.chunks(BATCH_SIZE)
            .map(|chunk| {
                Ok(Batch {
                    key: new_key()?,
                    request: BulkCancelRequest {
                        posting_numbers: chunk.iter().map(|(pn, _)| pn.clone()).collect(),
                        reason: self.reason,
                        comment: self.comment.clone(),
                        versions: Some(chunk.iter().map(|(_, version)| *version).collect()),
                    },
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use domain::BlockedCode;
    use domain::wire::BulkResult;

    use super::*;
    use crate::intent::numbered_keys;
    use crate::test_shipment;

    fn plan(cancel: usize) -> Prechecked {
        Prechecked {
            cancel: (0..cancel)
                .map(|n| (format!("p{n}"), n as u64 + 1))
                .collect(),
            skip: vec![
                SkipLine::One {
                    posting_number: "gone".to_owned(),
                    why: RuleViolation::Blocked(BlockedCode::Delivered),
                },
                SkipLine::Many {
                    code: ProblemCode::ReasonNotOffered,
                    shipments: 4,
                },
            ],
        }
    }

    fn answer(batch: &Batch, outcome: impl Fn(&str) -> BulkOutcome) -> BulkCancelResponse {
        BulkCancelResponse {
            results: batch
                .request
                .posting_numbers
                .iter()
                .map(|pn| BulkResult {
                    posting_number: pn.clone(),
                    outcome: outcome(pn),
                    code: (outcome(pn) == BulkOutcome::Failed).then_some(ProblemCode::Internal),
                    shipment: None,
                })
                .collect(),
        }
    }

    #[test]
    fn a_run_is_cut_into_batches_with_the_versions_seen() {
        let (run, batches) = BulkRun::start(
            &plan(45),
            &[],
            Some(Reason::OutOfStock),
            "",
            numbered_keys(),
        )
        .unwrap();
        let sizes: Vec<usize> = batches
            .iter()
            .map(|b| b.request.posting_numbers.len())
            .collect();
        assert_eq!(sizes, vec![BATCH_SIZE, BATCH_SIZE, 5]);
        let keys: Vec<&str> = batches.iter().map(|b| b.key.as_str()).collect();
        assert_eq!(keys, vec!["k1", "k2", "k3"]);
        assert_eq!(batches[2].request.versions, Some(vec![41, 42, 43, 44, 45]));
        assert_eq!(run.phase(), Phase::Running { done: 0, total: 45 });
        // The pre-check's skips are in the results (named) and the summary (counted) at once.
        assert_eq!(run.results().len(), 1);
        assert_eq!(run.summary().skipped, 5);
    }

    #[test]
    fn a_run_needs_a_reason_a_valid_description_and_something_to_cancel() {
        let start = |reason, description: &str, cancel| {
            BulkRun::start(&plan(cancel), &[], reason, description, numbered_keys()).map(|_| ())
        };
        assert_eq!(start(None, "", 3), Err(StartError::NoReason));
        assert_eq!(
            start(Some(Reason::Other), " ", 3),
            Err(StartError::Comment(CommentError::CommentRequired))
        );
        assert_eq!(
            start(Some(Reason::OutOfStock), "", 0),
            Err(StartError::NothingToCancel)
        );
        assert_eq!(start(Some(Reason::Other), "Wrong colour", 3), Ok(()));
        let no_key = BulkRun::start(&plan(3), &[], Some(Reason::OutOfStock), "", || {
            Err(KeyError::NoWindow)
        });
        assert_eq!(
            no_key.map(|_| ()),
            Err(StartError::NoKey(KeyError::NoWindow))
        );
    }

    #[test]
    fn only_other_sends_its_description_trimmed() {
        let (_, batches) = BulkRun::start(
            &plan(1),
            &[],
            Some(Reason::Other),
            " Wrong colour ",
            numbered_keys(),
        )
        .unwrap();
        assert_eq!(batches[0].request.comment.as_deref(), Some("Wrong colour"));
        let (_, batches) = BulkRun::start(
            &plan(1),
            &[],
            Some(Reason::OutOfStock),
            "typed",
            numbered_keys(),
        )
        .unwrap();
        assert_eq!(batches[0].request.comment, None);
    }

    #[test]
    fn partial_failures_are_counted_once_and_retried_each_their_own_way() {
        let mut keys = numbered_keys();
        let (mut run, batches) =
            BulkRun::start(&plan(25), &[], Some(Reason::OutOfStock), "", &mut keys).unwrap();
        let (first, second) = (batches[0].clone(), batches[1].clone());
        // The first batch is answered: one shipment failed on the server; the second is lost.
        let answered = answer(&first, |pn| {
            if pn == "p3" {
                BulkOutcome::Failed
            } else {
                BulkOutcome::Cancelled
            }
        });
        run.answered(first, Ok(answered));
        assert_eq!(
            run.phase(),
            Phase::Running {
                done: 20,
                total: 25
            }
        );
        run.answered(second.clone(), Err(ApiError::Network("offline".to_owned())));
        let summary = run.finish();
        assert_eq!(
            summary,
            Summary {
                cancelled: 19,
                requested: 0,
                skipped: 5,
                failed: 6,
            }
        );
        assert!(run.has_failed());
        let retry = run.retry_failed(&mut keys).unwrap();
        // The lost batch goes again as it was, under its key, first; the refused shipment is a
        // new intent under a new key, with the version seen.
        assert_eq!(retry[0], second);
        assert_eq!(retry[1].request.posting_numbers, vec!["p3".to_owned()]);
        assert_eq!(retry[1].request.versions, Some(vec![4]));
        assert_eq!(retry[1].key, "k3");
        assert_eq!(run.phase(), Phase::Running { done: 0, total: 6 });
        assert!(!run.has_failed());
        assert_eq!(run.summary().cancelled, 19);
    }

    #[test]
    fn the_provider_comes_from_the_answer_or_the_shipment_held() {
        let mut held = test_shipment::shipment("p0");
        held.delivery.provider = Some("Cainiao".to_owned());
        let (mut run, batches) = BulkRun::start(
            &plan(1),
            &[held],
            Some(Reason::OutOfStock),
            "",
            numbered_keys(),
        )
        .unwrap();
        let batch = batches[0].clone();
        let rows = run.answered(
            batch.clone(),
            Ok(answer(&batch, |_| BulkOutcome::Requested)),
        );
        assert!(rows.is_empty());
        assert_eq!(run.results()[1].provider.as_deref(), Some("Cainiao"));
        assert_eq!(run.finish().requested, 1);
    }

    #[test]
    fn the_changed_rows_are_handed_to_the_page() {
        let (mut run, batches) =
            BulkRun::start(&plan(1), &[], Some(Reason::OutOfStock), "", numbered_keys()).unwrap();
        let batch = batches[0].clone();
        let mut response = answer(&batch, |_| BulkOutcome::Cancelled);
        let shipment = test_shipment::shipment("p0");
        response.results[0].shipment = Some(shipment.clone());
        assert_eq!(run.answered(batch, Ok(response)), vec![shipment]);
    }
}

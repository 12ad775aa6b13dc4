//! The out-of-stock sweep as a plain state type: what the pre-check found, the batches the seller's
//! confirmation sends, what happened to each shipment, and which batches a retry sends again.

use domain::ProblemCode;
use domain::Shipment;
use domain::out_of_stock::{RemovalOutcome, RemovalPrecheck, RemovalRequest, RemovalResponse};

use crate::api::ApiError;
// The bulk cancellation's batch size: progress moves as often, and no request holds long.
use crate::bulk::plan::BATCH_SIZE;
use crate::intent::{Intent, KeyError};

/// One request of a sweep. A batch that got no answer goes again under its key, so the server
/// never removes a product twice.
pub type Batch = Intent<RemovalRequest>;

/// The product that ran out, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutOfStock {
    pub sku: String,
    pub name: String,
    pub warehouse_id: String,
}

/// What happened to one shipment.
#[derive(Clone, Debug, PartialEq)]
pub struct Removed {
    pub posting_number: String,
    pub outcome: RemovalOutcome,
    /// The server's code for a skipped or failed shipment.
    pub code: Option<ProblemCode>,
    /// Its batch got no answer, even after the automatic retries.
    pub unanswered: Option<ApiError>,
}

/// How many shipments ended which way: the one count the results and the page's toast share.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SweepSummary {
    pub reduced: usize,
    pub cancelled: usize,
    pub skipped: usize,
    pub failed: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Sweep {
    product: OutOfStock,
    results: Vec<Removed>,
    unanswered: Vec<Batch>,
    /// The pre-check's skipped shipments, counted but not named.
    skipped_unlisted: u64,
    running: bool,
    /// Shipments sent in this round, and those still without an answer.
    sent: usize,
    waiting: usize,
}

impl Sweep {
    /// The sweep of what the pre-check found, and its batches; `None` when it found nothing to
    /// change.
    pub fn start(
        product: OutOfStock,
        precheck: &RemovalPrecheck,
        mut new_key: impl FnMut() -> Result<String, KeyError>,
    ) -> Result<Option<(Sweep, Vec<Batch>)>, KeyError> {
        let targets: Vec<_> = precheck.partial.iter().chain(&precheck.whole).collect();
        if targets.is_empty() {
            return Ok(None);
        }
        let batches = targets
            .chunks(BATCH_SIZE)
            .map(|chunk| {
                Ok(Batch {
                    key: new_key()?,
                    request: RemovalRequest {
                        sku: product.sku.clone(),
                        warehouse_id: product.warehouse_id.clone(),
                        posting_numbers: chunk.iter().map(|s| s.posting_number.clone()).collect(),
                        versions: chunk.iter().map(|s| s.version).collect(),
                    },
                })
            })
            .collect::<Result<Vec<_>, KeyError>>()?;
        let sweep = Sweep {
            product,
            results: Vec::new(),
            unanswered: Vec::new(),
            skipped_unlisted: precheck.skipped.iter().map(|line| line.shipments).sum(),
            running: true,
            sent: targets.len(),
            waiting: targets.len(),
        };
        Ok(Some((sweep, batches)))
    }

    pub fn product(&self) -> &OutOfStock {
        &self.product
    }

    pub fn running(&self) -> bool {
        self.running
    }

    /// Shipments answered of those sent, while it runs.
    pub fn progress(&self) -> (usize, usize) {
        (self.sent - self.waiting, self.sent)
    }

    pub fn results(&self) -> &[Removed] {
        &self.results
    }

    pub fn summary(&self) -> SweepSummary {
        let count =
            |outcome: RemovalOutcome| self.results.iter().filter(|r| r.outcome == outcome).count();
        SweepSummary {
            reduced: count(RemovalOutcome::Reduced),
            cancelled: count(RemovalOutcome::Cancelled),
            skipped: count(RemovalOutcome::Skipped)
                + usize::try_from(self.skipped_unlisted).unwrap_or(usize::MAX),
            failed: count(RemovalOutcome::Failed),
        }
    }

    /// Some batch got no answer: Retry sends it again under its key.
    pub fn can_retry(&self) -> bool {
        !self.running && !self.unanswered.is_empty()
    }

    /// Takes the answer to one batch; returns the shipments whose rows changed.
    pub fn answered(
        &mut self,
        batch: Batch,
        answer: Result<RemovalResponse, ApiError>,
    ) -> Vec<Shipment> {
        self.waiting = self
            .waiting
            .saturating_sub(batch.request.posting_numbers.len());
        match answer {
            Ok(response) => response
                .results
                .into_iter()
                .filter_map(|result| {
                    self.results.push(Removed {
                        posting_number: result.posting_number,
                        outcome: result.outcome,
                        code: result.code,
                        unanswered: None,
                    });
                    result.shipment
                })
                .collect(),
            Err(error) => {
                self.results
                    .extend(batch.request.posting_numbers.iter().map(|pn| Removed {
                        posting_number: pn.clone(),
                        outcome: RemovalOutcome::Failed,
                        code: error.problem_code(),
                        unanswered: Some(error.clone()),
                    }));
                self.unanswered.push(batch);
                Vec::new()
            }
        }
    }

    /// Every batch has had its answer.
    pub fn finish(&mut self) -> SweepSummary {
        self.running = false;
        self.summary()
    }

    /// The batches that got no answer, as they were, under their keys: the server answers with
    /// what it did if it did receive them.
    pub fn retry(&mut self) -> Vec<Batch> {
        let batches = std::mem::take(&mut self.unanswered);
        let resent: Vec<&String> = batches
            .iter()
            .flat_map(|b| &b.request.posting_numbers)
            .collect();
        self.results
            .retain(|r| r.unanswered.is_none() || !resent.contains(&&r.posting_number));
        self.running = !batches.is_empty();
        self.sent = resent.len();
        self.waiting = resent.len();
        batches
    }
}

#[cfg(test)]
mod tests {
    use domain::out_of_stock::RemovalResult;
    use domain::wire::{SeenShipment, SkippedCount};

    use super::*;
    use crate::intent::numbered_keys;

    fn product() -> OutOfStock {
        OutOfStock {
            sku: "1001".to_owned(),
            name: "Phone case".to_owned(),
            warehouse_id: "wh-shenzhen".to_owned(),
        }
    }

    fn seen(n: usize) -> SeenShipment {
        SeenShipment {
            posting_number: format!("p{n}"),
            version: n as u64,
        }
    }

    fn precheck(partial: usize, whole: usize) -> RemovalPrecheck {
        RemovalPrecheck {
            holding: (partial + whole + 3) as u64,
            considered: (partial + whole + 3) as u64,
            partial: (0..partial).map(seen).collect(),
            whole: (partial..partial + whole).map(seen).collect(),
            skipped: vec![SkippedCount {
                code: ProblemCode::PartialNotOffered,
                shipments: 3,
            }],
        }
    }

    fn answer(batch: &Batch, outcome: impl Fn(&str) -> RemovalOutcome) -> RemovalResponse {
        RemovalResponse {
            results: batch
                .request
                .posting_numbers
                .iter()
                .map(|pn| RemovalResult {
                    posting_number: pn.clone(),
                    outcome: outcome(pn),
                    code: None,
                    shipment: Some(crate::test_shipment::shipment(pn)),
                })
                .collect(),
        }
    }

    #[test]
    fn nothing_to_change_starts_nothing() {
        assert_eq!(
            Sweep::start(product(), &precheck(0, 0), numbered_keys()),
            Ok(None)
        );
    }

    #[test]
    fn both_kinds_go_in_batches_with_the_versions_judged() {
        let (_, batches) = Sweep::start(product(), &precheck(15, 10), numbered_keys())
            .unwrap()
            .unwrap();
        assert_eq!(batches.len(), 2);
        assert_eq!(batches[0].key, "k1");
        assert_eq!(batches[0].request.posting_numbers.len(), BATCH_SIZE);
        assert_eq!(batches[1].request.posting_numbers.len(), 5);
        assert_eq!(batches[1].request.versions, vec![20, 21, 22, 23, 24]);
        assert_eq!(batches[0].request.sku, "1001");
        assert_eq!(batches[0].request.warehouse_id, "wh-shenzhen");
    }

    #[test]
    fn the_summary_counts_each_outcome_and_the_precheck_skips() {
        let (mut sweep, batches) = Sweep::start(product(), &precheck(2, 1), numbered_keys())
            .unwrap()
            .unwrap();
        let batch = batches.into_iter().next().unwrap();
        let response = answer(&batch, |pn| match pn {
            "p2" => RemovalOutcome::Cancelled,
            "p1" => RemovalOutcome::Skipped,
            _ => RemovalOutcome::Reduced,
        });
        assert_eq!(sweep.progress(), (0, 3));
        let rows = sweep.answered(batch, Ok(response));
        assert_eq!(rows.len(), 3);
        assert_eq!(sweep.progress(), (3, 3));
        assert_eq!(
            sweep.finish(),
            SweepSummary {
                reduced: 1,
                cancelled: 1,
                skipped: 1 + 3,
                failed: 0
            }
        );
        assert!(!sweep.can_retry());
    }

    #[test]
    fn an_unanswered_batch_goes_again_under_its_key() {
        let (mut sweep, batches) = Sweep::start(product(), &precheck(2, 0), numbered_keys())
            .unwrap()
            .unwrap();
        let batch = batches.into_iter().next().unwrap();
        let rows = sweep.answered(batch.clone(), Err(ApiError::Network("offline".to_owned())));
        assert!(rows.is_empty());
        assert_eq!(sweep.finish().failed, 2);
        assert!(sweep.can_retry());
        let again = sweep.retry();
        assert_eq!(again, vec![batch.clone()]);
        assert!(
            sweep.results().is_empty(),
            "the failures make way for the answer"
        );
        assert!(sweep.running());
        sweep.answered(
            batch.clone(),
            Ok(answer(&batch, |_| RemovalOutcome::Reduced)),
        );
        assert_eq!(sweep.finish().reduced, 2);
        assert!(!sweep.can_retry());
    }
}

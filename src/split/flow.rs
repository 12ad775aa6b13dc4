//! Splitting a commercial shipment into parcels, as a plain state type: the grid the seller edits,
//! the rules crate's verdict on it, the intent under its key, and what the answer means.

use domain::limits::{MAX_PARCELS, MAX_STOCK};
use domain::split::{ParcelLine, SplitError};
use domain::wire::SplitResponse;
use domain::{Shipment, validate_split};

use crate::api::ApiError;
use crate::form::quantity::parse_quantity;
use crate::intent::{Intent, KeyError, Versioned};
use crate::split::plan::{SplitProduct, parcels, products, suggest};

/// The fewest parcels a split makes.
pub const MIN_PARCELS: usize = 2;

/// What one split sends: these parcels for the version the seller saw.
pub type SplitIntent = Intent<Versioned<Vec<Vec<ParcelLine>>>>;

/// What a settled answer means for the page.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settled {
    /// Every parcel as a shipment, the original first: the split is done.
    pub parcels: Option<Vec<Shipment>>,
    /// The server's current state of the shipment after a refusal, for its row.
    pub row: Option<Shipment>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SplitFlow {
    shipment: Shipment,
    products: Vec<SplitProduct>,
    /// `grid[parcel][product]`: units of each product per parcel.
    grid: Vec<Vec<u32>>,
    sending: bool,
    problem: Option<ProblemShown>,
    intent: Option<SplitIntent>,
}

/// Why the last submission did not go through.
#[derive(Clone, Debug, PartialEq)]
pub enum ProblemShown {
    Refused(ApiError),
    NoKey(KeyError),
}

impl SplitFlow {
    /// The shipment with a first plan the seller can accept as it is.
    pub fn new(shipment: Shipment) -> SplitFlow {
        let products = products(&shipment.products);
        let grid = suggest(&products);
        SplitFlow {
            shipment,
            products,
            grid,
            sending: false,
            problem: None,
            intent: None,
        }
    }

    pub fn shipment(&self) -> &Shipment {
        &self.shipment
    }

    pub fn products(&self) -> &[SplitProduct] {
        &self.products
    }

    pub fn parcel_count(&self) -> usize {
        self.grid.len()
    }

    pub fn units(&self, parcel: usize, product: usize) -> u32 {
        self.grid
            .get(parcel)
            .and_then(|row| row.get(product))
            .copied()
            .unwrap_or(0)
    }

    pub fn sending(&self) -> bool {
        self.sending
    }

    pub fn problem(&self) -> Option<&ProblemShown> {
        self.problem.as_ref()
    }

    pub fn planned(&self) -> Vec<Vec<ParcelLine>> {
        parcels(&self.products, &self.grid)
    }

    /// The rules crate's verdict on the plan as it stands.
    pub fn verdict(&self) -> Result<(), SplitError> {
        validate_split(
            self.shipment.status,
            &self.shipment.products,
            &self.planned(),
        )
    }

    /// A cell as typed. An unreadable entry counts as none, which the verdict then reports.
    pub fn set_units(&mut self, parcel: usize, product: usize, typed: &str) {
        let units = parse_quantity(typed, MAX_STOCK).unwrap_or(0);
        if let Some(cell) = self
            .grid
            .get_mut(parcel)
            .and_then(|row| row.get_mut(product))
        {
            *cell = units;
        }
    }

    pub fn can_add_parcel(&self) -> bool {
        self.grid.len() < MAX_PARCELS
    }

    pub fn add_parcel(&mut self) {
        if self.can_add_parcel() {
            self.grid.push(vec![0; self.products.len()]);
        }
    }

    pub fn can_remove_parcel(&self) -> bool {
        self.grid.len() > MIN_PARCELS
    }

    pub fn remove_parcel(&mut self) {
        if self.can_remove_parcel() {
            self.grid.pop();
        }
    }

    /// The seller confirms: the intent to send, with the previous key when nothing changed.
    pub fn submit(
        &mut self,
        new_key: impl FnOnce() -> Result<String, KeyError>,
    ) -> Option<SplitIntent> {
        if self.sending || self.verdict().is_err() {
            return None;
        }
        let request = Versioned {
            posting_number: self.shipment.posting_number.clone(),
            version: self.shipment.version,
            body: self.planned(),
        };
        match Intent::for_request(self.intent.take(), request, new_key) {
            Ok(intent) => {
                self.intent = Some(intent.clone());
                self.sending = true;
                self.problem = None;
                Some(intent)
            }
            Err(error) => {
                self.problem = Some(ProblemShown::NoKey(error));
                None
            }
        }
    }

    pub fn settle(&mut self, answer: Result<SplitResponse, ApiError>) -> Settled {
        self.sending = false;
        match answer {
            Ok(response) => Settled {
                parcels: Some(response.shipments),
                row: None,
            },
            Err(error) => {
                let row = match &error {
                    ApiError::Problem(problem) => problem.shipment.as_deref().cloned(),
                    _ => None,
                };
                if let Some(now) = &row {
                    self.shipment = now.clone();
                }
                self.problem = Some(ProblemShown::Refused(error));
                Settled { parcels: None, row }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use domain::{Problem, ProblemCode, Status};

    use super::*;
    use crate::intent::numbered_keys;
    use crate::test_shipment;

    fn commercial() -> Shipment {
        let mut shipment = test_shipment::shipment("1-1-1");
        shipment.status = Status::AwaitingPackaging;
        shipment.products[0].quantity = 5;
        shipment.version = 7;
        test_shipment::rejudged(shipment)
    }

    #[test]
    fn the_first_plan_passes_and_is_sent_for_the_version_seen() {
        let mut flow = SplitFlow::new(commercial());
        assert_eq!(flow.verdict(), Ok(()));
        let intent = flow.submit(numbered_keys()).expect("sent");
        assert_eq!(intent.request.version, 7);
        assert_eq!(intent.request.body.len(), 2);
        assert!(flow.sending());
        assert_eq!(
            flow.submit(numbered_keys()),
            None,
            "nothing more while sending"
        );
    }

    #[test]
    fn a_plan_the_rules_refuse_is_not_sent() {
        let mut flow = SplitFlow::new(commercial());
        flow.set_units(0, 0, "5");
        assert!(matches!(
            flow.verdict(),
            Err(SplitError::TooManyIdentical { .. })
        ));
        assert_eq!(flow.submit(numbered_keys()), None);
        flow.set_units(0, 0, "one");
        assert_eq!(flow.units(0, 0), 0);
        assert!(flow.verdict().is_err());
    }

    #[test]
    fn a_retry_of_the_same_plan_keeps_its_key_and_a_changed_plan_gets_a_new_one() {
        let mut keys = numbered_keys();
        let mut flow = SplitFlow::new(commercial());
        let first = flow.submit(&mut keys).unwrap();
        flow.settle(Err(ApiError::Network("offline".to_owned())));
        assert!(matches!(flow.problem(), Some(ProblemShown::Refused(_))));
        let again = flow.submit(&mut keys).unwrap();
        assert_eq!(again, first);
        flow.settle(Err(ApiError::Network("offline".to_owned())));
        flow.add_parcel();
        flow.set_units(1, 0, "1");
        flow.set_units(2, 0, "1");
        let changed = flow.submit(&mut keys).unwrap();
        assert_eq!(changed.key, "k2");
        assert_eq!(changed.request.body.len(), 3);
    }

    #[test]
    fn a_refusal_with_the_current_state_updates_the_row_and_the_next_key() {
        let mut keys = numbered_keys();
        let mut flow = SplitFlow::new(commercial());
        flow.submit(&mut keys).unwrap();
        let mut now = commercial();
        now.version = 8;
        let settled = flow.settle(Err(ApiError::Problem(Box::new(Problem {
            type_uri: "about:blank".to_owned(),
            title: "stale".to_owned(),
            status: 412,
            detail: None,
            code: ProblemCode::VersionMismatch,
            parameter: None,
            shipment: Some(Box::new(now.clone())),
        }))));
        assert_eq!(settled.row, Some(now));
        let next = flow.submit(&mut keys).unwrap();
        assert_eq!(next.request.version, 8);
        assert_eq!(next.key, "k2");
    }

    #[test]
    fn parcels_stay_between_two_and_the_api_limit() {
        let mut flow = SplitFlow::new(commercial());
        assert!(!flow.can_remove_parcel());
        flow.remove_parcel();
        assert_eq!(flow.parcel_count(), MIN_PARCELS);
        for _ in 0..MAX_PARCELS + 5 {
            flow.add_parcel();
        }
        assert_eq!(flow.parcel_count(), MAX_PARCELS);
    }

    #[test]
    fn a_success_hands_every_parcel_to_the_page() {
        let mut flow = SplitFlow::new(commercial());
        flow.submit(numbered_keys()).unwrap();
        let parcels = vec![commercial(), test_shipment::shipment("1-1-2")];
        let settled = flow.settle(Ok(SplitResponse {
            shipments: parcels.clone(),
        }));
        assert_eq!(settled.parcels, Some(parcels));
        assert!(!flow.sending());
    }
}

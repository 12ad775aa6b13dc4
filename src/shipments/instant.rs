//! What the list can show for a new filter before the server answers: a seller types a search one
//! key at a time, and a round trip per key is slower than a frame.
//!
//! Two sources are exact enough to show. A longer search narrows the rows already shown (the rules
//! crate says when that is sound), and a search seen moments ago, as after Backspace, has its answer
//! remembered. The server's answer follows either way and replaces them.

use domain::wire::ShipmentPage;
use domain::{SearchText, Shipment};

use crate::shipments::lowercase::lowercase;
use crate::shipments::query::ShipmentFilter;

/// How many recent first pages are remembered: a word typed and erased again, with room to spare.
const REMEMBERED: usize = 16;

/// The rows shown and what they answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Shown {
    pub filter: ShipmentFilter,
    /// Whether the rows hold every shipment the filter matches (no further page).
    pub complete: bool,
}

/// Rows to show at once for a filter, until the server's answer replaces them.
#[derive(Clone, Debug, PartialEq)]
pub struct Instant {
    pub rows: Vec<Shipment>,
    /// Known only when the rows are all of the filter's matches, or from a remembered answer.
    pub total: Option<u64>,
    pub next_cursor: Option<String>,
    pub complete: bool,
}

/// The first pages the server gave for recent filters, newest last.
#[derive(Clone, Debug, Default)]
pub struct RecentAnswers {
    pages: Vec<(ShipmentFilter, ShipmentPage)>,
}

impl RecentAnswers {
    pub fn remember(&mut self, filter: ShipmentFilter, page: ShipmentPage) {
        self.pages.retain(|(seen, _)| *seen != filter);
        if self.pages.len() == REMEMBERED {
            self.pages.remove(0);
        }
        self.pages.push((filter, page));
    }

    /// Forgets every answer: a shipment changed, so an old page could show it as it was.
    pub fn forget(&mut self) {
        self.pages.clear();
    }

    fn get(&self, filter: &ShipmentFilter) -> Option<&ShipmentPage> {
        self.pages
            .iter()
            .find(|(seen, _)| seen == filter)
            .map(|(_, page)| page)
    }
}

/// What to show for `filter` right away, given the rows shown now and what they answer; `None` when
/// only the server can tell.
pub fn instant_answer(
    filter: &ShipmentFilter,
    shown: Option<&Shown>,
    rows: &[Shipment],
    recent: &RecentAnswers,
) -> Option<Instant> {
    if let Some(page) = recent.get(filter) {
        return Some(Instant {
            rows: page.items.clone(),
            total: Some(page.total),
            next_cursor: page.next_cursor.clone(),
            complete: page.next_cursor.is_none(),
        });
    }
    let shown = shown?;
    let search = narrowing_search(filter, &shown.filter)?;
    let rows: Vec<Shipment> = rows
        .iter()
        .filter(|row| search.matches_with(row, lowercase))
        .cloned()
        .collect();
    Some(Instant {
        // Without the rest of the broader search's rows, their count says nothing of this one's.
        total: shown.complete.then_some(rows.len() as u64),
        rows,
        next_cursor: None,
        complete: shown.complete,
    })
}

/// The search that picks `filter`'s rows out of `shown`'s, when it differs from `shown` only by a
/// search that narrows `shown`'s. The rows shown are a prefix of `shown`'s matches in the sort
/// order, so those of them that match are a prefix of `filter`'s matches in the same order.
fn narrowing_search(filter: &ShipmentFilter, shown: &ShipmentFilter) -> Option<SearchText> {
    let same_otherwise = ShipmentFilter {
        search: shown.search.clone(),
        ..filter.clone()
    } == *shown;
    let narrower = SearchText::new_with(&filter.search, lowercase)?;
    let broader = SearchText::new_with(&shown.search, lowercase)?;
    (same_otherwise && narrower.narrows(&broader)).then_some(narrower)
}

#[cfg(test)]
mod tests {
    use domain::Status;

    use super::*;
    use crate::test_shipment;

    fn shipment(posting_number: &str, name: &str) -> Shipment {
        let mut shipment = test_shipment::shipment(posting_number);
        shipment.products[0].name = name.to_owned();
        shipment.products[0].sku = format!("SKU-{posting_number}");
        shipment
    }

    fn searching(text: &str) -> ShipmentFilter {
        ShipmentFilter {
            search: text.to_owned(),
            ..ShipmentFilter::default()
        }
    }

    fn rows() -> Vec<Shipment> {
        vec![
            shipment("1", "Bluetooth speaker"),
            shipment("2", "Blush brush"),
            shipment("3", "Blue sleeve"),
        ]
    }

    fn postings(rows: &[Shipment]) -> Vec<&str> {
        rows.iter().map(|r| r.posting_number.as_str()).collect()
    }

    /// "blu"'s rows, all of its matches or not, narrowed to "blue".
    fn narrow_blu_to_blue(complete: bool) -> Instant {
        let shown = Shown {
            filter: searching("blu"),
            complete,
        };
        instant_answer(
            &searching("blue"),
            Some(&shown),
            &rows(),
            &RecentAnswers::default(),
        )
        .expect("narrowed")
    }

    #[test]
    fn a_longer_search_keeps_the_matching_rows_in_their_order() {
        let answer = narrow_blu_to_blue(false);
        assert_eq!(postings(&answer.rows), ["1", "3"]);
        // More matches may follow the rows shown, so neither the count nor a cursor is known.
        assert_eq!(answer.total, None);
        assert_eq!(answer.next_cursor, None);
        assert!(!answer.complete);
    }

    #[test]
    fn narrowing_all_of_the_matches_counts_them() {
        let answer = narrow_blu_to_blue(true);
        assert_eq!(postings(&answer.rows), ["1", "3"]);
        assert_eq!(answer.total, Some(2));
        assert!(answer.complete);
    }

    #[test]
    fn only_the_server_can_answer_a_broader_search_or_another_filter() {
        let shown = Shown {
            filter: searching("blue"),
            complete: true,
        };
        let recent = RecentAnswers::default();
        for filter in [
            searching("blu"),
            searching(""),
            searching("bl"),
            ShipmentFilter {
                status: Some(Status::InTransit),
                ..searching("bluet")
            },
            ShipmentFilter {
                city: "Kazan".to_owned(),
                ..searching("bluet")
            },
        ] {
            assert_eq!(
                instant_answer(&filter, Some(&shown), &rows(), &recent),
                None,
                "{filter:?}"
            );
        }
        assert_eq!(
            instant_answer(&searching("bluet"), None, &rows(), &recent),
            None
        );
    }

    #[test]
    fn a_remembered_answer_comes_back_whole_until_forgotten() {
        let mut recent = RecentAnswers::default();
        let page = ShipmentPage {
            items: rows(),
            next_cursor: Some("c2".to_owned()),
            total: 120,
        };
        recent.remember(searching("blu"), page.clone());
        let answer = instant_answer(&searching("blu"), None, &[], &recent).expect("remembered");
        assert_eq!(answer.rows, page.items);
        assert_eq!(answer.total, Some(120));
        assert_eq!(answer.next_cursor.as_deref(), Some("c2"));
        recent.forget();
        assert_eq!(instant_answer(&searching("blu"), None, &[], &recent), None);
    }

    #[test]
    fn only_the_latest_answers_are_remembered() {
        let mut recent = RecentAnswers::default();
        let page = ShipmentPage {
            items: Vec::new(),
            next_cursor: None,
            total: 0,
        };
        for n in 0..=REMEMBERED {
            recent.remember(searching(&format!("word{n}")), page.clone());
        }
        assert!(recent.get(&searching("word0")).is_none());
        assert!(recent.get(&searching("word1")).is_some());
        assert!(
            recent
                .get(&searching(&format!("word{REMEMBERED}")))
                .is_some()
        );
    }
}

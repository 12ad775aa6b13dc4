//! The history's paging, apart from any view: which page to ask the server for next, and which
//! rows to show. The seller scrolls through the whole history page by page, but the rows held (and
//! so the rows in the DOM) stay under [`MAX_ROWS`]: past that, the pages at the other end are let go,
//! and their cursors kept, so that scrolling back asks for them again.

use std::collections::VecDeque;

use domain::{HistoryEntry, HistoryFilter, HistoryPage, HistoryQuery};

/// Entries per request.
pub const PAGE: u32 = 50;
/// The most pages held at once.
pub const MAX_PAGES: usize = 6;
/// The most rows held, and so shown, at once.
pub const MAX_ROWS: usize = PAGE as usize * MAX_PAGES;

/// A page the view should fetch; hand it back with the answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub page: usize,
    pub query: HistoryQuery,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Pager {
    filter: HistoryFilter,
    /// `cursors[k]` fetches page `k` (page 0 needs none); known once page `k - 1` arrived.
    cursors: Vec<Option<String>>,
    /// The index of the first page held.
    first: usize,
    pages: VecDeque<Vec<HistoryEntry>>,
    total: Option<u64>,
    /// Whether a page follows the last one held.
    more: bool,
    pending: Option<usize>,
}

impl Pager {
    pub fn new(filter: HistoryFilter) -> Pager {
        Pager {
            filter,
            cursors: vec![None],
            first: 0,
            pages: VecDeque::new(),
            total: None,
            more: false,
            pending: None,
        }
    }

    pub fn filter(&self) -> &HistoryFilter {
        &self.filter
    }

    fn request(&mut self, page: usize) -> Option<Request> {
        if self.pending.is_some() {
            return None;
        }
        let cursor = self.cursors.get(page)?.clone();
        if page > 0 && cursor.is_none() {
            return None;
        }
        self.pending = Some(page);
        Some(Request {
            page,
            query: HistoryQuery {
                filter: self.filter.clone(),
                limit: PAGE,
                cursor,
            },
        })
    }

    /// The first page, when nothing is held or waited for yet.
    pub fn start(&mut self) -> Option<Request> {
        if self.pages.is_empty() && self.total.is_none() {
            self.request(0)
        } else {
            None
        }
    }

    /// The page after the last one held, if there is one and nothing is being fetched.
    pub fn older(&mut self) -> Option<Request> {
        if !self.more {
            return None;
        }
        self.request(self.first + self.pages.len())
    }

    /// The page before the first one held, after older pages made the window move on.
    pub fn newer(&mut self) -> Option<Request> {
        if self.first == 0 {
            return None;
        }
        self.request(self.first - 1)
    }

    /// Takes the server's answer to `request`. An answer for another filter or another page than
    /// the one awaited (the seller changed the filters meanwhile) is ignored: `false`.
    pub fn receive(&mut self, request: &Request, page: HistoryPage) -> bool {
        if request.query.filter != self.filter || self.pending != Some(request.page) {
            return false;
        }
        self.pending = None;
        self.total = Some(page.total);
        let index = request.page;
        if self.cursors.len() <= index + 1 {
            self.cursors.resize(index + 2, None);
        }
        self.cursors[index + 1] = page.next_cursor.clone();
        if self.pages.is_empty() {
            self.first = index;
            self.pages.push_back(page.items);
            self.more = page.next_cursor.is_some();
        } else if index == self.first + self.pages.len() {
            self.pages.push_back(page.items);
            self.more = page.next_cursor.is_some();
            while self.pages.len() > MAX_PAGES {
                self.pages.pop_front();
                self.first += 1;
            }
        } else if index + 1 == self.first {
            self.pages.push_front(page.items);
            self.first = index;
            while self.pages.len() > MAX_PAGES {
                self.pages.pop_back();
                self.more = true;
            }
        } else {
            return false;
        }
        true
    }

    /// The fetch of `request` failed: it may be asked again.
    pub fn failed(&mut self, request: &Request) {
        if self.pending == Some(request.page) && request.query.filter == self.filter {
            self.pending = None;
        }
    }

    pub fn rows(&self) -> impl Iterator<Item = &HistoryEntry> {
        self.pages.iter().flatten()
    }

    pub fn row_count(&self) -> usize {
        self.pages.iter().map(Vec::len).sum()
    }

    /// Entries matching the filters, once the server said.
    pub fn total(&self) -> Option<u64> {
        self.total
    }

    /// The position (1-based) of the first row held within the whole history.
    pub fn first_position(&self) -> usize {
        self.first * PAGE as usize + 1
    }

    pub fn has_newer(&self) -> bool {
        self.first > 0
    }

    pub fn has_older(&self) -> bool {
        self.more
    }

    pub fn loading(&self) -> bool {
        self.pending.is_some()
    }

    /// Waiting for the very first page.
    pub fn loading_first(&self) -> bool {
        self.pending.is_some() && self.total.is_none()
    }
}

/// The filter a URL's query asks for: each parameter on its own, so that one bad value (an old or
/// hand-edited link) loses only itself; a range the wrong way round loses its end.
pub fn filter_from_url(get: impl Fn(&str) -> Option<String>) -> HistoryFilter {
    use domain::api::history as names;
    let mut filter = HistoryFilter::default();
    for name in [
        names::KIND,
        names::REASON,
        names::INITIATOR,
        names::FROM,
        names::TO,
    ] {
        let Some(value) = get(name) else { continue };
        let Ok(one) = HistoryQuery::parse([(name, value.as_str())], false) else {
            continue;
        };
        let one = one.filter;
        filter.kind = one.kind.or(filter.kind);
        filter.reason = one.reason.or(filter.reason);
        filter.initiator = one.initiator.or(filter.initiator);
        filter.from = one.from.or(filter.from);
        filter.to = one.to.or(filter.to);
    }
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && from > to
    {
        filter.to = None;
    }
    filter
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};
    use domain::{HistoryKind, Initiator};

    use super::*;

    fn entry(n: usize) -> HistoryEntry {
        HistoryEntry {
            posting_number: format!("p-{n}"),
            order_number: format!("o-{n}"),
            kind: HistoryKind::CancelledBySeller,
            reason: None,
            comment: None,
            initiator: Initiator::Seller,
            provider: None,
            provider_message: None,
            requested_at: DateTime::<Utc>::from_timestamp(1_000_000 - n as i64, 0).expect("a time"),
            decided_at: None,
            items: Vec::new(),
        }
    }

    /// The server's answer to page `k` of a history of `total` entries.
    fn answer(request: &Request, total: usize) -> HistoryPage {
        let start = request.page * PAGE as usize;
        let end = (start + PAGE as usize).min(total);
        HistoryPage {
            items: (start..end).map(entry).collect(),
            next_cursor: (end < total).then(|| format!("c{}", request.page + 1)),
            total: total as u64,
        }
    }

    #[test]
    fn scrolling_down_walks_every_page_and_never_holds_more_than_the_cap() {
        let total = 1_234;
        let mut pager = Pager::new(HistoryFilter::default());
        let mut request = pager.start().expect("the first page");
        assert_eq!(request.query.cursor, None);
        let mut seen = 0;
        loop {
            assert!(pager.older().is_none(), "one request at a time");
            assert!(pager.receive(&request, answer(&request, total)));
            assert!(pager.row_count() <= MAX_ROWS);
            seen = seen.max(pager.first_position() - 1 + pager.row_count());
            match pager.older() {
                Some(next) => {
                    assert_eq!(next.query.cursor, Some(format!("c{}", next.page)));
                    request = next;
                }
                None => break,
            }
        }
        assert_eq!(seen, total);
        assert_eq!(pager.total(), Some(total as u64));
        assert_eq!(pager.row_count(), total - (pager.first_position() - 1));
        assert_eq!(pager.rows().last(), Some(&entry(total - 1)));
        assert!(pager.has_newer());
    }

    #[test]
    fn scrolling_back_up_asks_again_for_the_pages_let_go() {
        let total = 600;
        let mut pager = Pager::new(HistoryFilter::default());
        let mut request = pager.start().expect("the first page");
        while {
            pager.receive(&request, answer(&request, total));
            match pager.older() {
                Some(next) => {
                    request = next;
                    true
                }
                None => false,
            }
        } {}
        assert_eq!(pager.first_position(), 601 - MAX_ROWS);
        while let Some(newer) = pager.newer() {
            assert_eq!(newer.page + 1, (pager.first_position() - 1) / PAGE as usize);
            assert!(pager.receive(&newer, answer(&newer, total)));
            assert!(pager.row_count() <= MAX_ROWS);
        }
        assert_eq!(pager.first_position(), 1);
        assert_eq!(pager.rows().next(), Some(&entry(0)));
        assert!(
            pager.has_older(),
            "the pages let go at the end can come back"
        );
        let older = pager.older().expect("the next page again");
        assert_eq!(older.query.cursor, Some(format!("c{}", older.page)));
    }

    #[test]
    fn the_url_gives_the_filter_and_a_bad_value_loses_only_itself() {
        let url = |pairs: &'static [(&'static str, &'static str)]| {
            filter_from_url(move |key| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| (*v).to_owned())
            })
        };
        let filter = url(&[
            ("kind", "rejected"),
            ("reason", "nonsense"),
            ("initiator", "carrier"),
            ("from", "2026-11-20"),
            ("to", "2026-11-10"),
            ("lang", "ru"),
        ]);
        assert_eq!(filter.kind, Some(HistoryKind::Rejected));
        assert_eq!(filter.reason, None);
        assert_eq!(filter.initiator, Some(Initiator::Carrier));
        assert_eq!(
            filter.from.map(|d| d.to_string()),
            Some("2026-11-20".to_owned())
        );
        assert_eq!(filter.to, None);
        // What the app writes to the URL, it reads back.
        let pairs: Vec<(&'static str, String)> = filter.to_pairs();
        let back = filter_from_url(|key| {
            pairs
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.clone())
        });
        assert_eq!(back, filter);
    }

    #[test]
    fn an_answer_for_an_old_filter_or_page_is_ignored() {
        let mut old = Pager::new(HistoryFilter::default());
        let stale = old.start().expect("the first page");
        let mut pager = Pager::new(HistoryFilter {
            kind: Some(HistoryKind::Rejected),
            ..HistoryFilter::default()
        });
        let request = pager.start().expect("the first page");
        assert!(!pager.receive(&stale, answer(&stale, 10)));
        assert_eq!(pager.total(), None);
        assert!(pager.loading_first());
        pager.failed(&request);
        assert!(!pager.loading());
        let again = pager.start().expect("asked again after a failure");
        assert!(pager.receive(&again, answer(&again, 10)));
        assert_eq!(pager.row_count(), 10);
        assert!(!pager.has_older());
        assert!(pager.start().is_none());
    }
}

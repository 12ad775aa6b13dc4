//! What the list's text search (`q`) matches.
//!
//! The server finds matches through its indexes (`crates/server/src/search.rs`); this module says
//! what a match is, so that the app can narrow the rows it already holds while the server answers,
//! and the server's tests can check its indexes against the definition.
//!
//! Three characters or more match as a case-insensitive substring of the posting number, the order
//! number, a SKU or a product name. One or two characters would match nearly everything, so they
//! match a posting number that starts with them, or another of those fields that is exactly them.

use crate::Shipment;

/// The shortest search that matches as a substring.
pub const SUBSTRING_MIN_CHARS: usize = 3;

/// Unicode's default lower-casing, as `str::to_lowercase` does it: what [`SearchText::new`] and
/// [`SearchText::matches`] use. The app passes the browser's `String.prototype.toLowerCase`, the
/// same mapping (a browser test compares the two over every Unicode scalar value), so that its
/// first load does not carry Rust's case tables (6.8 KB brotli, BENCHMARKS.md, issue 16). Either
/// way ASCII text is lower-cased here, without a call: posting numbers, order numbers and most
/// SKUs are ASCII.
pub type Lowercase = fn(&str) -> String;

fn lower(text: &str, lowercase: Lowercase) -> String {
    if text.is_ascii() {
        text.to_ascii_lowercase()
    } else {
        lowercase(text)
    }
}

/// A search as the server applies it: trimmed and lower-cased, never empty.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchText(String);

impl SearchText {
    /// The search for what the seller typed; `None` when there is nothing to search for.
    pub fn new(typed: &str) -> Option<SearchText> {
        SearchText::new_with(typed, str::to_lowercase)
    }

    /// [`SearchText::new`], with `lowercase` for text that is not ASCII (see [`Lowercase`]).
    pub fn new_with(typed: &str, lowercase: Lowercase) -> Option<SearchText> {
        let text = lower(typed.trim(), lowercase);
        (!text.is_empty()).then_some(SearchText(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether it matches as a substring, rather than by a field's start or whole.
    pub fn is_substring(&self) -> bool {
        self.0.chars().count() >= SUBSTRING_MIN_CHARS
    }

    pub fn matches(&self, shipment: &Shipment) -> bool {
        self.matches_with(shipment, str::to_lowercase)
    }

    /// [`SearchText::matches`], with `lowercase` for fields that are not ASCII.
    pub fn matches_with(&self, shipment: &Shipment, lowercase: Lowercase) -> bool {
        self.matches_fields_with(
            lowercase,
            &shipment.posting_number,
            std::iter::once(shipment.order_number.as_str()).chain(
                shipment
                    .products
                    .iter()
                    .flat_map(|line| [line.sku.as_str(), line.name.as_str()]),
            ),
        )
    }

    /// The same test over bare fields: the posting number, then the order number, SKUs and names.
    pub fn matches_fields<'a>(
        &self,
        posting_number: &str,
        others: impl IntoIterator<Item = &'a str>,
    ) -> bool {
        self.matches_fields_with(str::to_lowercase, posting_number, others)
    }

    fn matches_fields_with<'a>(
        &self,
        lowercase: Lowercase,
        posting_number: &str,
        others: impl IntoIterator<Item = &'a str>,
    ) -> bool {
        let posting_number = lower(posting_number, lowercase);
        let mut others = others.into_iter().map(|field| lower(field, lowercase));
        if self.is_substring() {
            posting_number.contains(&self.0) || others.any(|field| field.contains(&self.0))
        } else {
            posting_number.starts_with(&self.0) || others.any(|field| field == self.0)
        }
    }

    /// Whether every shipment this search matches is also matched by `broader`. Then the rows that
    /// `broader` found, filtered by this search, are this search's rows in the same order.
    pub fn narrows(&self, broader: &SearchText) -> bool {
        // A short search is not monotone: "ab" matches an order number "ab", which "a" does not.
        self.is_substring() && broader.is_substring() && self.0.contains(&broader.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Delivery, DeliveryMethod, Destination, ProductLine, Status, eligibility};
    use chrono::{TimeZone, Utc};
    use proptest::prelude::*;

    fn shipment(posting_number: &str, order_number: &str, lines: &[(&str, &str)]) -> Shipment {
        let at = Utc
            .with_ymd_and_hms(2026, 11, 20, 9, 0, 0)
            .single()
            .expect("a time");
        let products: Vec<ProductLine> = lines
            .iter()
            .map(|(sku, name)| ProductLine {
                sku: (*sku).to_owned(),
                name: (*name).to_owned(),
                quantity: 1,
                price: "1.00".to_owned(),
                currency: "CNY".to_owned(),
            })
            .collect();
        let status = Status::AwaitingPackaging;
        let method = DeliveryMethod::Partner;
        Shipment {
            cancelled_items: Vec::new(),
            posting_number: posting_number.to_owned(),
            order_number: order_number.to_owned(),
            status,
            delivery: Delivery {
                method,
                provider: Some("Cainiao".to_owned()),
            },
            destination: Destination {
                country: "RU".to_owned(),
                city: "Moscow".to_owned(),
            },
            warehouse_id: "wh-1".to_owned(),
            eligibility: eligibility(status, method, None, &products),
            products,
            created_at: at,
            ship_by: at,
            version: 1,
            cancellation: None,
        }
    }

    fn search(typed: &str) -> SearchText {
        SearchText::new(typed).expect("a search")
    }

    #[test]
    fn blank_is_no_search_and_case_and_spaces_do_not_count() {
        assert_eq!(SearchText::new("   "), None);
        assert_eq!(SearchText::new(""), None);
        assert_eq!(search("  Чехол ").as_str(), "чехол");
    }

    #[test]
    fn three_characters_match_anywhere_in_any_field() {
        let s = shipment(
            "87654321-0001-1",
            "ORD-77",
            &[("SKU-500", "Bluetooth speaker")],
        );
        for typed in ["4321-00", "ord-7", "ku-5", "TOOTH", "speaker"] {
            assert!(search(typed).matches(&s), "{typed}");
        }
        assert!(!search("headphones").matches(&s));
        // A field boundary is not a character: nothing spans two fields.
        assert!(!search("77sku").matches(&s));
    }

    #[test]
    fn one_or_two_characters_match_a_posting_number_start_or_a_whole_field() {
        let s = shipment("87654321-0001-1", "Z9", &[("7", "表")]);
        for typed in ["8", "87", "z9", "7", "表"] {
            assert!(search(typed).matches(&s), "{typed}");
        }
        // Inside a field, too short to count.
        for typed in ["65", "9", "-1"] {
            assert!(!search(typed).matches(&s), "{typed}");
        }
    }

    #[test]
    fn only_a_longer_substring_search_narrows() {
        assert!(search("blue").narrows(&search("blu")));
        assert!(search("bluetooth").narrows(&search("tooth")));
        assert!(search("blu").narrows(&search("blu")));
        assert!(!search("blu").narrows(&search("blue")));
        // From two characters to three the meaning changes.
        assert!(!search("blu").narrows(&search("bl")));
        assert!(!search("ab").narrows(&search("a")));
    }

    fn field() -> impl Strategy<Value = String> {
        // A small alphabet, so that searches and fields overlap often.
        proptest::string::string_regex("[abAB1-]{0,6}").expect("a pattern")
    }

    /// What a [`Lowercase`] that is not `str::to_lowercase` is given: only text that is not
    /// ASCII. It marks what it saw, so the test can tell.
    fn marking(text: &str) -> String {
        format!("<{}>", text.to_lowercase())
    }

    #[test]
    fn the_given_lowercase_is_asked_only_for_text_that_is_not_ascii() {
        let row = shipment("8765-0001-1", "ORD-7", &[("SKU-BT", "Колонка Bluetooth")]);
        let cyrillic = SearchText::new_with("  КОЛОНКА ", marking).expect("a search");
        assert_eq!(cyrillic.as_str(), "<колонка>");
        let latin = SearchText::new_with(" Blue ", marking).expect("a search");
        assert_eq!(latin.as_str(), "blue");
        // The name is not ASCII, so it is lower-cased (and marked) by the given function...
        let marked_name = SearchText::new_with("TH>", marking).expect("a search");
        assert!(marked_name.matches_with(&row, marking));
        // ...and the order number is ASCII, so it is not.
        let marked_order = SearchText::new_with("<ORD", marking).expect("a search");
        assert!(!marked_order.matches_with(&row, marking));
        assert!(latin.matches_with(&row, marking));
    }

    proptest! {
        /// The app shows a narrowed search's rows before the server answers: that is only right
        /// if nothing the narrower search matches was missing from the broader one's rows.
        #[test]
        fn a_narrower_search_matches_a_subset(
            posting in field(),
            order in field(),
            sku in field(),
            name in field(),
            broader in "[abAB1-]{1,4}",
            extra_before in "[abAB1-]{0,2}",
            extra_after in "[abAB1-]{0,2}",
        ) {
            let s = shipment(&posting, &order, &[(&sku, &name)]);
            let (Some(broad), Some(narrow)) = (
                SearchText::new(&broader),
                SearchText::new(&format!("{extra_before}{broader}{extra_after}")),
            ) else {
                return Ok(());
            };
            if narrow.narrows(&broad) && narrow.matches(&s) {
                prop_assert!(broad.matches(&s), "{narrow:?} matched {s:?} but {broad:?} did not");
            }
        }

        /// The ASCII shortcut is exact: the text comes out as Unicode's lower-casing has it.
        #[test]
        fn the_ascii_shortcut_lowercases_as_unicode_does(text in any::<String>()) {
            prop_assert_eq!(lower(&text, str::to_lowercase), text.to_lowercase());
        }
    }
}

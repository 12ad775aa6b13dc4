//! The list's text search on PostgreSQL (docs/postgres.md §4.6): the same matches as
//! `domain::search`, found through pg_trgm instead of SQLite's FTS5.
//!
//! The text is lower-cased in Rust (`store::shipments::search_text`, `SearchText::new`), so
//! PostgreSQL never folds case and its locale's rules cannot differ from Rust's. Three characters or
//! more: `search_text LIKE '%needle%'`, with `\`, `%` and `_` in the needle escaped, answered by the
//! trigram GIN index `shipments_text_trigram` with a recheck of every candidate, so the matches are
//! exactly the substring test. Not `ILIKE` (no case folding is wanted) and not full-text search
//! (it stems and splits words: it would find other things). One or two characters: a posting number
//! that starts with the needle (the range of `substr(search_text, 1, 2)` in the `C` collation,
//! index `shipments_by_text_head`), or another field that is exactly the needle (between two
//! field ends).

use super::{FIELD_END, LAST_CHAR, TRIGRAM};

/// The escape character of every `LIKE` here (PostgreSQL's default, spelled out).
const ESCAPE: char = '\\';

/// An SQL condition over the shipment `s` with numbered placeholders, and their text values.
#[derive(Debug, PartialEq, Eq)]
pub struct Condition {
    pub sql: String,
    pub values: Vec<String>,
}

/// The test a row of `s` passes when it matches `needle` (lower-cased and trimmed, not empty);
/// its placeholders are numbered from `$first`.
pub fn condition(needle: &str, first: usize) -> Condition {
    let escaped = like_escaped(needle);
    if needle.chars().count() >= TRIGRAM {
        Condition {
            sql: format!("s.search_text LIKE ${first}"),
            values: vec![format!("%{escaped}%")],
        }
    } else {
        let (low, high, field) = (first, first + 1, first + 2);
        Condition {
            sql: format!(
                "(substr(s.search_text, 1, 2) >= ${low} AND substr(s.search_text, 1, 2) < ${high} \
                 OR s.search_text LIKE ${field})"
            ),
            values: vec![
                needle.to_owned(),
                format!("{needle}{LAST_CHAR}"),
                format!("%{FIELD_END}{escaped}{FIELD_END}%"),
            ],
        }
    }
}

/// `text` with LIKE's wildcards and its escape character taken literally.
pub fn like_escaped(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | ESCAPE) {
            escaped.push(ESCAPE);
        }
        escaped.push(c);
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_in_a_needle_are_literal() {
        assert_eq!(like_escaped("50%"), "50\\%");
        assert_eq!(like_escaped("x_1"), "x\\_1");
        assert_eq!(like_escaped("a\\b"), "a\\\\b");
        assert_eq!(like_escaped("чехол"), "чехол");
    }

    #[test]
    fn a_long_needle_is_a_substring_and_a_short_one_a_head_or_a_field() {
        assert_eq!(
            condition("sku", 2),
            Condition {
                sql: "s.search_text LIKE $2".into(),
                values: vec!["%sku%".into()],
            }
        );
        let short = condition("a_", 4);
        assert!(short.sql.contains("$4") && short.sql.contains("$5") && short.sql.contains("$6"));
        assert_eq!(
            short.values,
            vec![
                "a_".to_owned(),
                "a_\u{10ffff}".to_owned(),
                "%\u{1f}a\\_\u{1f}%".to_owned()
            ]
        );
    }
}

//! The list's text search (`q`): which shipments match, how many, and how a page of them is found.
//! What a match is lives in the rules crate (`domain::search`), which the app also uses to narrow the
//! rows it holds; here is how the indexes find them.
//!
//! Three characters or more match as a case-insensitive substring of the posting number, the order
//! number, a SKU or a product name, through the trigram index `shipment_text`. That index is keyed by
//! seller number × 2³² + shipment id, so one seller's matches are a rowid range: counting them reads
//! the index alone. One or two characters are too short for trigrams; they match shipments whose
//! posting number starts with them (the index `shipments_by_text_head`), or whose order number, a SKU
//! or a product name is exactly them (the separators around each field make that a trigram phrase).

pub mod postgres;

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

/// Ends every field of `shipments.search_text`.
pub const FIELD_END: char = '\u{1f}';
/// The shortest text the trigram index finds as a substring.
pub const TRIGRAM: usize = 3;
// The index can only serve the definition if the two lengths agree.
const _: () = assert!(TRIGRAM == domain::search::SUBSTRING_MIN_CHARS);
/// Up to this many matches, a page is read from the matches themselves (looked up, then sorted);
/// with more, walking the sort index and testing each row reaches a page's worth sooner.
pub const MATCH_DRIVEN_MAX: usize = 2_000;
/// The seller number sits above the shipment id in the search index's rowid.
const SELLER_SHIFT: i64 = 1 << 32;
/// The largest character: every text that starts with `x` sorts below `x` followed by it.
const LAST_CHAR: char = char::MAX;
/// The head the short search compares, as indexed by `shipments_by_text_head`.
const HEAD: &str = "substr(s.search_text, 1, 2)";

/// A search, with the trigram index already asked for its part of the matches.
pub enum Search {
    Substring {
        needle: String,
        /// The seller's shipments whose text contains the needle.
        ids: Vec<i64>,
    },
    Short {
        needle: String,
        /// The needle followed by `LAST_CHAR`: the exclusive end of the posting-number range.
        below: String,
        /// The seller's shipments with an order number, SKU or product name equal to the needle.
        exact_ids: Vec<i64>,
    },
}

/// An SQL condition over the shipment `s`, with its parameters in order.
pub struct Condition {
    pub sql: String,
    pub values: Vec<Value>,
}

impl Search {
    /// `needle` is already lower-cased and trimmed, without control characters. `filter` starts with
    /// the seller; `seller_only` says it holds nothing else.
    pub fn prepare(
        conn: &Connection,
        seller_id: &str,
        needle: &str,
        filter: &Condition,
        seller_only: bool,
    ) -> rusqlite::Result<Search> {
        let number: Option<i64> = conn
            .prepare_cached("SELECT number FROM seller_numbers WHERE seller_id = ?1")?
            .query_row([seller_id], |row| row.get(0))
            .optional()?;
        let trigram_ids = |phrase: String| -> rusqlite::Result<Vec<i64>> {
            // A seller without a number has no shipments either.
            let Some(number) = number else {
                return Ok(Vec::new());
            };
            let low = number * SELLER_SHIFT;
            let mut statement = conn.prepare_cached(
                "SELECT rowid FROM shipment_text WHERE shipment_text MATCH ?1 \
                 AND rowid BETWEEN ?2 AND ?3",
            )?;
            let ids = statement
                .query_map(params![phrase, low, low + SELLER_SHIFT - 1], |row| {
                    Ok(row.get::<_, i64>(0)? - low)
                })?
                .collect::<rusqlite::Result<Vec<i64>>>()?;
            if seller_only {
                Ok(ids)
            } else {
                admitted(conn, ids, filter)
            }
        };
        if needle.chars().count() >= TRIGRAM {
            Ok(Search::Substring {
                needle: needle.to_owned(),
                ids: trigram_ids(phrase(needle))?,
            })
        } else {
            Ok(Search::Short {
                needle: needle.to_owned(),
                below: format!("{needle}{LAST_CHAR}"),
                exact_ids: trigram_ids(phrase(&format!("{FIELD_END}{needle}{FIELD_END}")))?,
            })
        }
    }

    /// How many of the shipments that `filter` admits match.
    pub fn count(&self, conn: &Connection, filter: &Condition) -> rusqlite::Result<u64> {
        match self {
            Search::Substring { ids, .. } => Ok(ids.len() as u64),
            Search::Short {
                needle,
                below,
                exact_ids,
            } => {
                let head = head_range(needle, below);
                let mut values = filter.values.clone();
                values.extend(head.values.iter().cloned());
                let starting: i64 = conn
                    .prepare_cached(&format!(
                        "SELECT count(*) FROM shipments s INDEXED BY shipments_by_text_head \
                         WHERE {} AND {}",
                        filter.sql, head.sql
                    ))?
                    .query_row(params_from_iter(values.iter()), |row| row.get(0))?;
                // Exact fields of shipments whose posting number does not already start with it.
                let others = count_among(conn, exact_ids, filter, Some(&head))?;
                Ok(u64::try_from(starting).unwrap_or(0) + others)
            }
        }
    }

    /// Every matching shipment that `filter` admits, for a page read from the matches.
    pub fn ids(&self, conn: &Connection, filter: &Condition) -> rusqlite::Result<Vec<i64>> {
        match self {
            Search::Substring { ids, .. } => Ok(ids.clone()),
            Search::Short {
                needle,
                below,
                exact_ids,
            } => {
                let head = head_range(needle, below);
                let mut values = filter.values.clone();
                values.extend(head.values);
                let mut ids: Vec<i64> = conn
                    .prepare_cached(&format!(
                        "SELECT s.id FROM shipments s INDEXED BY shipments_by_text_head \
                         WHERE {} AND {}",
                        filter.sql, head.sql
                    ))?
                    .query_map(params_from_iter(values.iter()), |row| row.get(0))?
                    .collect::<rusqlite::Result<_>>()?;
                ids.extend(exact_ids);
                ids.sort_unstable();
                ids.dedup();
                Ok(ids)
            }
        }
    }

    /// The matches as a condition for a count grouped by another column: a substring search's
    /// matches are already known by id; a short one tests the posting-number head from its index.
    pub fn id_condition(&self) -> Condition {
        match self {
            Search::Substring { ids, .. } => Condition {
                sql: "s.id IN (SELECT value FROM json_each(?))".to_owned(),
                values: vec![Value::Text(id_list(ids))],
            },
            Search::Short { .. } => self.row_condition(),
        }
    }

    /// The test a row passes when it matches, for a page found by walking a sort index.
    pub fn row_condition(&self) -> Condition {
        match self {
            Search::Substring { needle, .. } => Condition {
                sql: "instr(s.search_text, ?) > 0".to_owned(),
                values: vec![Value::Text(needle.clone())],
            },
            Search::Short {
                needle,
                below,
                exact_ids,
            } => {
                let head = head_range(needle, below);
                let mut values = head.values;
                values.push(Value::Text(id_list(exact_ids)));
                Condition {
                    sql: format!("({} OR s.id IN (SELECT value FROM json_each(?)))", head.sql),
                    values,
                }
            }
        }
    }
}

/// A quoted phrase of the trigram index matches exactly the substrings `instr` would find.
fn phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

fn head_range(needle: &str, below: &str) -> Condition {
    Condition {
        sql: format!("{HEAD} >= ? AND {HEAD} < ?"),
        values: vec![
            Value::Text(needle.to_owned()),
            Value::Text(below.to_owned()),
        ],
    }
}

/// The ids as a JSON array, which `json_each` turns back into rows.
pub fn id_list(ids: &[i64]) -> String {
    let mut list = String::with_capacity(ids.len() * 8 + 2);
    list.push('[');
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            list.push(',');
        }
        list.push_str(&id.to_string());
    }
    list.push(']');
    list
}

/// The `ids` (ascending) that the filter admits: few are looked up one by one; against many, the
/// filter's own index gives every admitted shipment, which is cheaper than as many table lookups.
fn admitted(
    conn: &Connection,
    mut ids: Vec<i64>,
    filter: &Condition,
) -> rusqlite::Result<Vec<i64>> {
    if ids.is_empty() {
        return Ok(ids);
    }
    if ids.len() <= MATCH_DRIVEN_MAX {
        let mut values = vec![Value::Text(id_list(&ids))];
        values.extend(filter.values.iter().cloned());
        return conn
            .prepare_cached(&format!(
                "SELECT s.id FROM shipments s NOT INDEXED \
                 WHERE s.id IN (SELECT value FROM json_each(?)) AND {} ORDER BY s.id",
                filter.sql
            ))?
            .query_map(params_from_iter(values.iter()), |row| row.get(0))?
            .collect();
    }
    let mut admitted: Vec<i64> = conn
        .prepare_cached(&format!(
            "SELECT s.id FROM shipments s WHERE {}",
            filter.sql
        ))?
        .query_map(params_from_iter(filter.values.iter()), |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    admitted.sort_unstable();
    ids.retain(|id| admitted.binary_search(id).is_ok());
    Ok(ids)
}

/// How many of `ids` the filter admits (and, when given, `except` does not).
fn count_among(
    conn: &Connection,
    ids: &[i64],
    filter: &Condition,
    except: Option<&Condition>,
) -> rusqlite::Result<u64> {
    if ids.is_empty() {
        return Ok(0);
    }
    let mut values = vec![Value::Text(id_list(ids))];
    values.extend(filter.values.iter().cloned());
    let mut sql = format!(
        "SELECT count(*) FROM shipments s NOT INDEXED \
         WHERE s.id IN (SELECT value FROM json_each(?)) AND {}",
        filter.sql
    );
    if let Some(except) = except {
        sql.push_str(&format!(" AND NOT ({})", except.sql));
        values.extend(except.values.iter().cloned());
    }
    let count: i64 = conn
        .prepare_cached(&sql)?
        .query_row(params_from_iter(values.iter()), |row| row.get(0))?;
    Ok(u64::try_from(count).unwrap_or(0))
}

//! The list's text search (`q`): which shipments match, how many, and how a page of them is found.
//! What a match is lives in the rules crate (`domain::search`), which the app also uses to narrow the
//! rows it holds; here is how the indexes find them, on each backend.
//!
//! SQLite: three characters or more match as a case-insensitive substring of the posting number,
//! the order number, a SKU or a product name, through the trigram index `shipment_text` (FTS5). That
//! index is keyed by seller number × 2³² + shipment id, so one seller's matches are a rowid range:
//! counting them reads the index alone. The matches stay inside SQLite (a subquery of the index,
//! [`Trigram`]): reading tens of thousands of ids into Rust and binding them back as a JSON list
//! cost most of a request on sqlx-sqlite, whose per-row cost is several times rusqlite's
//! (BENCHMARKS.md, "The list on sqlx"). One or two characters are too short for trigrams; they match
//! shipments whose posting number starts with them (the index `shipments_by_text_head`), or whose
//! order number, a SKU or a product name is exactly them (the separators around each field make that
//! a trigram phrase).
//!
//! PostgreSQL: the same matches as one row condition (`postgres::condition`, pg_trgm), which its
//! planner combines with the filters and the sort by itself.

pub mod postgres;

use sqlx::AnyConnection;

use crate::error::ApiResult;
use crate::store::binds::Binds;
use crate::store::dialect::Backend;
use crate::store::list::Filter;

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

/// A search, with SQLite's trigram index already asked for its part of the matches.
pub enum Search {
    /// SQLite, three characters or more.
    Substring {
        needle: String,
        /// The seller's shipments whose text contains the needle; `None` for a seller without a
        /// number, who has no shipments.
        trigram: Option<Trigram>,
        /// How many of the seller's shipments match, whatever the other filters.
        matches: u64,
    },
    /// SQLite, one or two characters.
    Short {
        needle: String,
        /// The needle followed by `LAST_CHAR`: the exclusive end of the posting-number range.
        below: String,
        /// The seller's shipments with an order number, SKU or product name equal to the needle.
        exact_ids: Vec<i64>,
    },
    /// PostgreSQL: a row condition its trigram index answers (`postgres::condition`).
    Pattern { needle: String },
}

impl Search {
    /// `needle` is already lower-cased and trimmed, without control characters.
    pub async fn prepare(
        conn: &mut AnyConnection,
        seller_id: &str,
        needle: &str,
        filter: &Filter<'_>,
    ) -> ApiResult<Search> {
        if Backend::of(conn) == Backend::Postgres {
            return Ok(Search::Pattern {
                needle: needle.to_owned(),
            });
        }
        let number: Option<i64> =
            sqlx::query_scalar("SELECT number FROM seller_numbers WHERE seller_id = $1")
                .bind(seller_id)
                .fetch_optional(&mut *conn)
                .await?;
        if needle.chars().count() >= TRIGRAM {
            let trigram = number.map(|number| Trigram::new(number, phrase(needle)));
            let matches = match &trigram {
                Some(trigram) => trigram.count(conn).await?,
                None => 0,
            };
            return Ok(Search::Substring {
                needle: needle.to_owned(),
                trigram,
                matches,
            });
        }
        // A seller without a number has no shipments either.
        let exact_ids = match number {
            None => Vec::new(),
            Some(number) => {
                let trigram =
                    Trigram::new(number, phrase(&format!("{FIELD_END}{needle}{FIELD_END}")));
                let mut binds = Binds::new();
                let sql = format!("SELECT id FROM {} AS m", trigram.ids(&mut binds));
                let ids: Vec<i64> = binds.scalar(sql).fetch_all(&mut *conn).await?;
                if filter.seller_only() {
                    ids
                } else {
                    admitted(conn, ids, filter).await?
                }
            }
        };
        Ok(Search::Short {
            needle: needle.to_owned(),
            below: format!("{needle}{LAST_CHAR}"),
            exact_ids,
        })
    }

    /// How many of the shipments that `filter` admits match.
    pub async fn count(&self, conn: &mut AnyConnection, filter: &Filter<'_>) -> ApiResult<u64> {
        let backend = Backend::of(conn);
        match self {
            Search::Substring {
                trigram, matches, ..
            } => match trigram {
                Some(_) if filter.seller_only() || *matches == 0 => Ok(*matches),
                Some(trigram) => trigram.count_admitted(conn, filter, *matches).await,
                None => Ok(0),
            },
            Search::Short {
                needle,
                below,
                exact_ids,
            } => {
                let mut binds = Binds::new();
                let sql = format!(
                    "SELECT count(*) FROM shipments s {} WHERE {} AND {}",
                    backend.indexed_by("shipments_by_text_head"),
                    filter.sql(&mut binds),
                    head_range(&mut binds, needle, below),
                );
                let starting: i64 = binds.scalar(sql).fetch_one(&mut *conn).await?;
                // Exact fields of shipments whose posting number does not already start with it.
                let others = count_among(conn, exact_ids, filter, needle, below).await?;
                Ok(u64::try_from(starting).unwrap_or(0) + others)
            }
            Search::Pattern { .. } => {
                let mut binds = Binds::new();
                let sql = format!(
                    "SELECT count(*) FROM shipments s WHERE {} AND {}",
                    filter.sql(&mut binds),
                    self.row_condition(&mut binds, backend),
                );
                let n: i64 = binds.scalar(sql).fetch_one(&mut *conn).await?;
                Ok(u64::try_from(n).unwrap_or(0))
            }
        }
    }

    /// The matches that `filter` admits, for a page read from the matches (looked up by id, then
    /// sorted); `None` on PostgreSQL, whose planner chooses between the trigram index and a walk of
    /// the sort index by itself (the page then carries the row condition).
    pub async fn matches(
        &self,
        conn: &mut AnyConnection,
        filter: &Filter<'_>,
    ) -> ApiResult<Option<Matches>> {
        let backend = Backend::of(conn);
        match self {
            // The page's own condition applies the filter to the index's matches.
            Search::Substring { trigram, .. } => Ok(Some(match trigram {
                Some(trigram) => Matches::Trigram(trigram.clone()),
                None => Matches::Ids(Vec::new()),
            })),
            Search::Short {
                needle,
                below,
                exact_ids,
            } => {
                let mut binds = Binds::new();
                let sql = format!(
                    "SELECT s.id FROM shipments s {} WHERE {} AND {}",
                    backend.indexed_by("shipments_by_text_head"),
                    filter.sql(&mut binds),
                    head_range(&mut binds, needle, below),
                );
                let mut ids: Vec<i64> = binds.scalar(sql).fetch_all(&mut *conn).await?;
                ids.extend(exact_ids);
                ids.sort_unstable();
                ids.dedup();
                Ok(Some(Matches::Ids(ids)))
            }
            Search::Pattern { .. } => Ok(None),
        }
    }

    /// Every matching shipment that `filter` admits, ascending, on either backend (what the
    /// agreement test compares with `domain::search`).
    pub async fn matching_ids(
        &self,
        conn: &mut AnyConnection,
        filter: &Filter<'_>,
    ) -> ApiResult<Vec<i64>> {
        let backend = Backend::of(conn);
        let mut binds = Binds::new();
        let condition = match self.matches(conn, filter).await? {
            Some(matches) => matches.condition(&mut binds, backend),
            None => self.row_condition(&mut binds, backend),
        };
        let sql = format!(
            "SELECT s.id FROM shipments s WHERE {} AND {condition} ORDER BY s.id",
            filter.sql(&mut binds),
        );
        Ok(binds.scalar(sql).fetch_all(&mut *conn).await?)
    }

    /// The matches as a condition for a count grouped by another column: a substring search's
    /// matches are the trigram index's; the others test the row.
    pub fn id_condition(&self, binds: &mut Binds, backend: Backend) -> String {
        match self {
            Search::Substring { trigram, .. } => match trigram {
                Some(trigram) => Matches::Trigram(trigram.clone()).condition(binds, backend),
                None => Matches::Ids(Vec::new()).condition(binds, backend),
            },
            Search::Short { .. } | Search::Pattern { .. } => self.row_condition(binds, backend),
        }
    }

    /// The test a row passes when it matches, for a page found by walking a sort index.
    pub fn row_condition(&self, binds: &mut Binds, backend: Backend) -> String {
        match self {
            // `instr`, not LIKE: SQLite's LIKE folds ASCII case and takes wildcards.
            Search::Substring { needle, .. } => {
                format!("instr(s.search_text, {}) > 0", binds.text(needle.as_str()))
            }
            Search::Short {
                needle,
                below,
                exact_ids,
            } => {
                let head = head_range(binds, needle, below);
                format!("({head} OR s.id IN {})", binds.ids(backend, exact_ids))
            }
            Search::Pattern { needle } => {
                let condition = postgres::condition(needle, binds.len() + 1);
                for value in condition.values {
                    binds.text(value);
                }
                condition.sql
            }
        }
    }
}

/// The matches of a page read from them.
pub enum Matches {
    /// Already read (a short search: its posting-number range and its exact fields).
    Ids(Vec<i64>),
    /// Still in the trigram index.
    Trigram(Trigram),
}

impl Matches {
    /// `s.id IN (...)`, its values added to `binds`.
    pub fn condition(&self, binds: &mut Binds, backend: Backend) -> String {
        match self {
            Matches::Ids(ids) => format!("s.id IN {}", binds.ids(backend, ids)),
            Matches::Trigram(trigram) => format!("s.id IN {}", trigram.ids(binds)),
        }
    }
}

/// One seller's matches of a phrase in SQLite's trigram index `shipment_text`.
#[derive(Clone, Debug)]
pub struct Trigram {
    /// The seller's first rowid: seller number × 2³².
    low: i64,
    /// The quoted phrase (`phrase`).
    text: String,
}

impl Trigram {
    fn new(seller_number: i64, text: String) -> Trigram {
        Trigram {
            low: seller_number * SELLER_SHIFT,
            text,
        }
    }

    /// A subquery of the matching shipment ids (column `id`), its values added to `binds`.
    pub fn ids(&self, binds: &mut Binds) -> String {
        let low = binds.int(self.low);
        let text = binds.text(self.text.as_str());
        let start = binds.int(self.low);
        let end = binds.int(self.low + SELLER_SHIFT - 1);
        format!(
            "(SELECT rowid - {low} AS id FROM shipment_text WHERE shipment_text MATCH {text} \
             AND rowid BETWEEN {start} AND {end})"
        )
    }

    /// How many of the seller's shipments match: the index alone answers.
    async fn count(&self, conn: &mut AnyConnection) -> ApiResult<u64> {
        let mut binds = Binds::new();
        let sql = format!("SELECT count(*) FROM {} AS m", self.ids(&mut binds));
        let n: i64 = binds.scalar(sql).fetch_one(&mut *conn).await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// How many of the `matches` the filter admits: few are looked up one by one; against many,
    /// the planner may walk the filter's own index instead, which is cheaper than as many table
    /// lookups.
    async fn count_admitted(
        &self,
        conn: &mut AnyConnection,
        filter: &Filter<'_>,
        matches: u64,
    ) -> ApiResult<u64> {
        let backend = Backend::of(conn);
        let access = if matches <= MATCH_DRIVEN_MAX as u64 {
            backend.not_indexed()
        } else {
            ""
        };
        let mut binds = Binds::new();
        let ids = self.ids(&mut binds);
        let sql = format!(
            "SELECT count(*) FROM shipments s {access} WHERE s.id IN {ids} AND {}",
            filter.sql(&mut binds)
        );
        let n: i64 = binds.scalar(sql).fetch_one(&mut *conn).await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

/// A quoted phrase of the trigram index matches exactly the substrings `instr` would find.
fn phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

fn head_range(binds: &mut Binds, needle: &str, below: &str) -> String {
    let low = binds.text(needle);
    let high = binds.text(below);
    format!("{HEAD} >= {low} AND {HEAD} < {high}")
}

/// The ids as a JSON array, which `json_each` (SQLite) or `jsonb_array_elements_text`
/// (PostgreSQL) turns back into rows (`Backend::id_list`).
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
async fn admitted(
    conn: &mut AnyConnection,
    mut ids: Vec<i64>,
    filter: &Filter<'_>,
) -> ApiResult<Vec<i64>> {
    if ids.is_empty() {
        return Ok(ids);
    }
    let backend = Backend::of(conn);
    if ids.len() <= MATCH_DRIVEN_MAX {
        let mut binds = Binds::new();
        let list = binds.ids(backend, &ids);
        let sql = format!(
            "SELECT s.id FROM shipments s {} WHERE s.id IN {list} AND {} ORDER BY s.id",
            backend.not_indexed(),
            filter.sql(&mut binds)
        );
        return Ok(binds.scalar(sql).fetch_all(&mut *conn).await?);
    }
    let mut binds = Binds::new();
    let sql = format!(
        "SELECT s.id FROM shipments s WHERE {}",
        filter.sql(&mut binds)
    );
    let mut admitted: Vec<i64> = binds.scalar(sql).fetch_all(&mut *conn).await?;
    admitted.sort_unstable();
    ids.retain(|id| admitted.binary_search(id).is_ok());
    Ok(ids)
}

/// How many of `ids` the filter admits whose posting number does not start with the needle.
async fn count_among(
    conn: &mut AnyConnection,
    ids: &[i64],
    filter: &Filter<'_>,
    needle: &str,
    below: &str,
) -> ApiResult<u64> {
    if ids.is_empty() {
        return Ok(0);
    }
    let backend = Backend::of(conn);
    let mut binds = Binds::new();
    let list = binds.ids(backend, ids);
    let sql = format!(
        "SELECT count(*) FROM shipments s {} WHERE s.id IN {list} AND {} AND NOT ({})",
        backend.not_indexed(),
        filter.sql(&mut binds),
        head_range(&mut binds, needle, below),
    );
    let count: i64 = binds.scalar(sql).fetch_one(&mut *conn).await?;
    Ok(u64::try_from(count).unwrap_or(0))
}

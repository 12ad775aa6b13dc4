//! `cargo xtask pg-schema`: the spike of issue 15's riskiest part (docs/postgres.md, section 6).
//!
//! It applies the PostgreSQL translation of the server's schema
//! (crates/server/migrations/postgres/0001_schema.sql) to a throwaway cluster, checks that the
//! tables and indexes are those of the SQLite schema's end state (with the search index swapped),
//! and that the list's three search shapes, written for PostgreSQL, find what `domain::search`
//! defines, through the trigram index, Cyrillic included. The server does not use the file yet.

use std::time::Instant;

use crate::error::Error;
use crate::paths;
use crate::postgres::Cluster;

/// The tables of SQLite's end state, less the search index (`shipment_text`, a contentless FTS5
/// table, and `seller_numbers`, the seller half of its rowid), which pg_trgm makes unnecessary.
const TABLES: &[&str] = &[
    "cancellations",
    "cancelled_items",
    "geography_exclusions",
    "idempotency",
    "idempotency_counts",
    "meta",
    "products",
    "provider_requests",
    "sellers",
    "shipment_lines",
    "shipments",
    "stock",
];

/// SQLite's named indexes at migration 10, plus `shipments_text_trigram` in place of FTS5.
const INDEXES: &[&str] = &[
    "cancellations_by_seller_time",
    "cancellations_by_shipment",
    "cancellations_partial_by_shipment",
    "idempotency_by_age",
    "provider_requests_by_due",
    "shipment_lines_by_sku",
    "shipments_by_city",
    "shipments_by_created",
    "shipments_by_delivery",
    "shipments_by_provider",
    "shipments_by_seller",
    "shipments_by_ship_by",
    "shipments_by_status_created",
    "shipments_by_status_ship_by",
    "shipments_by_text_head",
    "shipments_text_trigram",
];

/// Two sellers' shipments. Search texts are as store::shipments::search_text writes them: fields
/// lower-cased by Rust, each ended by U+001F (written `chr(31)` here).
const FIXTURE: &str = "
INSERT INTO sellers (id, name) VALUES ('s-a', 'A'), ('s-b', 'B');
INSERT INTO shipments (seller_id, posting_number, order_number, status, delivery_method, country,
    city, city_key, warehouse_id, created_at, ship_by, version, search_text)
SELECT seller, posting, 'o-' || posting, 'awaiting_packaging', 'seller', 'RU', 'Kazan', 'kazan',
       'wh', 0, 0, 1, text
FROM (VALUES
    ('s-a', 'ab-100', 'ab-100' || chr(31) || 'o-ab-100' || chr(31) || 'sku-1' || chr(31) || 'чехол для телефона' || chr(31)),
    ('s-a', 'cd-200', 'cd-200' || chr(31) || 'o-cd-200' || chr(31) || 'ab' || chr(31) || 'кабель 50%' || chr(31)),
    ('s-a', 'ef-300', 'ef-300' || chr(31) || 'o-ef-300' || chr(31) || 'x_1' || chr(31) || 'зарядка' || chr(31)),
    ('s-b', 'ab-400', 'ab-400' || chr(31) || 'o-ab-400' || chr(31) || 'sku-1' || chr(31) || 'чехол' || chr(31))
) AS rows (seller, posting, text);
";

/// 100,000 shipments (the benchmark's size, over both sellers) that match none of the cases, so
/// the planner weighs the trigram index against a table worth indexing.
const BULK: &str = "
INSERT INTO shipments (seller_id, posting_number, order_number, status, delivery_method, country,
    city, city_key, warehouse_id, created_at, ship_by, version, search_text)
SELECT CASE WHEN n % 2 = 0 THEN 's-a' ELSE 's-b' END, 'gen-' || n, 'o-gen-' || n, 'delivered', 'seller', 'RU', 'Kazan', 'kazan', 'wh', n, n, 1,
       'gen-' || n || chr(31) || 'o-gen-' || n || chr(31) || 'sku-' || (n % 97) || chr(31) || 'товар ' || n || chr(31)
FROM generate_series(1, 100000) AS n;
ANALYZE shipments;
";

/// A search and the posting numbers of seller s-a that `domain::search` says it matches.
struct Case {
    needle: &'static str,
    expected: &'static str,
}

/// Three characters or more: a substring of any field. One or two: a posting number's start, or a
/// whole other field. `%` and `_` are literal characters of the needle, never LIKE wildcards.
const CASES: &[Case] = &[
    Case {
        needle: "чех",
        expected: "ab-100",
    },
    Case {
        needle: "sku-1",
        expected: "ab-100",
    },
    Case {
        needle: "50%",
        expected: "cd-200",
    },
    Case {
        needle: "x_1",
        expected: "ef-300",
    },
    Case {
        needle: "-",
        expected: "",
    },
    Case {
        needle: "ab",
        expected: "ab-100,cd-200",
    },
    Case {
        needle: "c",
        expected: "cd-200",
    },
    Case {
        needle: "телефон",
        expected: "ab-100",
    },
];

pub fn run() -> Result<(), Error> {
    let started = Instant::now();
    let cluster = Cluster::start("schema", "schema")?;
    println!("xtask: cluster up in {} ms", started.elapsed().as_millis());

    let schema = paths::repo_root().join("crates/server/migrations/postgres/0001_schema.sql");
    let applying = Instant::now();
    cluster.psql_file(&schema)?;
    println!(
        "xtask: applied {} in {} ms",
        schema.display(),
        applying.elapsed().as_millis()
    );

    let tables = cluster.psql(
        "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = 'public'",
    )?;
    expect_same("tables", &tables, &TABLES.join(","))?;
    let indexes = cluster.psql(
        "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes \
         WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey' AND indexname NOT LIKE '%_key'",
    )?;
    expect_same("indexes", &indexes, &INDEXES.join(","))?;
    println!(
        "xtask: {} tables and {} indexes, as SQLite's end state with FTS5 swapped for pg_trgm",
        TABLES.len(),
        INDEXES.len()
    );

    // A C.UTF-8 database classifies Cyrillic letters, so their words have trigrams.
    let trigrams = cluster.psql("SELECT array_length(show_trgm('чехол'), 1)")?;
    expect_same("trigrams of 'чехол'", &trigrams, "6")?;

    cluster.psql(FIXTURE)?;
    // The idempotency counter trigger (a plpgsql function here, inline in SQLite).
    cluster.psql(
        "INSERT INTO idempotency VALUES ('s-a', 'k1', 'h', 201, '{}', 0), ('s-a', 'k2', 'h', 201, '{}', 0);
         DELETE FROM idempotency WHERE key = 'k1'",
    )?;
    let stored = cluster.psql("SELECT stored FROM idempotency_counts WHERE seller_id = 's-a'")?;
    expect_same(
        "idempotency_counts after 2 inserts and 1 delete",
        &stored,
        "1",
    )?;

    for case in CASES {
        let found = cluster.psql(&search_sql("s-a", case.needle))?;
        expect_same(&format!("search {:?}", case.needle), &found, case.expected)?;
    }
    println!(
        "xtask: {} searches found what domain::search defines",
        CASES.len()
    );

    // With 100,000 more shipments (and fresh statistics), the planner answers a rare substring
    // from the trigram index by its own costs, with no planner setting forced.
    cluster.psql(BULK)?;
    let plan = cluster.psql(&format!("EXPLAIN (COSTS OFF) {}", search_sql("s-a", "чех")))?;
    if !plan.contains("shipments_text_trigram") {
        return Err(Error::Project(format!(
            "the substring search does not use the trigram index:\n{plan}"
        )));
    }
    println!("xtask: the substring search is served by shipments_text_trigram");
    cluster.stop()?;
    println!(
        "xtask: pg-schema passed in {} ms",
        started.elapsed().as_millis()
    );
    Ok(())
}

/// The posting numbers of `seller`'s shipments matching `needle` (already trimmed and lower-cased,
/// as domain::search::SearchText holds it), comma-separated in order: the PostgreSQL form of the
/// conditions in crates/server/src/search.rs.
fn search_sql(seller: &str, needle: &str) -> String {
    let condition = if needle.chars().count() >= 3 {
        // A substring of any field: LIKE with its wildcards escaped, answered by the trigram index.
        format!("s.search_text LIKE '%' || {} || '%'", like_literal(needle))
    } else {
        // A posting number's start (the text starts with it; a range in code-point order, hence
        // the column's COLLATE "C"), or a whole other field (between two field ends).
        format!(
            "(substr(s.search_text, 1, 2) >= {lit} AND substr(s.search_text, 1, 2) < {lit} || chr(1114111)) \
             OR s.search_text LIKE '%' || chr(31) || {like} || chr(31) || '%'",
            lit = sql_literal(needle),
            like = like_literal(needle),
        )
    };
    format!(
        "SELECT coalesce(string_agg(s.posting_number, ',' ORDER BY s.posting_number), '') \
         FROM shipments s WHERE s.seller_id = {} AND ({condition})",
        sql_literal(seller)
    )
}

/// A string literal. The real server binds parameters; the spike goes through psql.
fn sql_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A literal that LIKE matches only as itself: `\`, `%` and `_` escaped with LIKE's default `\`.
fn like_literal(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '%' | '_') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    sql_literal(&escaped)
}

fn expect_same(what: &str, found: &str, expected: &str) -> Result<(), Error> {
    if found.trim() == expected {
        Ok(())
    } else {
        Err(Error::Project(format!(
            "{what}: expected {expected:?}, found {:?}",
            found.trim()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_and_quotes_are_escaped() {
        assert_eq!(like_literal("50%"), r"'50\%'");
        assert_eq!(like_literal("x_1"), r"'x\_1'");
        assert_eq!(like_literal(r"a\b"), r"'a\\b'");
        assert_eq!(like_literal("o'neil"), "'o''neil'");
    }

    #[test]
    fn short_needles_use_the_head_index_expression() {
        let sql = search_sql("s", "ab");
        assert!(sql.contains("substr(s.search_text, 1, 2) >= 'ab'"), "{sql}");
        assert!(!search_sql("s", "abc").contains("substr("));
    }
}

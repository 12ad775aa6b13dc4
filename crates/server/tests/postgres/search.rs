//! The list's search on PostgreSQL (pg_trgm, `search::postgres`) finds exactly what the rules
//! crate's `domain::search` defines, and so does SQLite's (FTS5, `search::Search`), for the same
//! shipments and the same needles: random substrings and heads of every field, wildcards of LIKE,
//! upper case, Cyrillic, Chinese and needles that match nothing.

use std::collections::BTreeSet;

use chrono::Utc;
use domain::SearchText;
use domain::fixture::{Fixture, FixtureShipment};
use server::search;
use server::store::list::Filter;
use sqlx::{Connection as _, Row as _};

use crate::{pg, rows};

const SHIPMENTS: usize = 400;

/// The demo generator's shipments, with fields that stress the search's edges.
fn fixture() -> Fixture {
    let mut fixture = server::demo::generate(SHIPMENTS);
    let shipments = &mut fixture.sellers[0].shipments;
    shipments[40].products[0].name = "Чехол для телефона".to_owned();
    shipments[41].products[0].name = "手机壳 透明".to_owned();
    shipments[42].products[0].sku = "7".to_owned();
    shipments[43].order_number = "Z9".to_owned();
    shipments[44].products[0].name = "Скидка 50% на всё".to_owned();
    shipments[45].products[0].sku = "X_1".to_owned();
    shipments[46].products[0].name = "back\\slash".to_owned();
    shipments[47].products[0].name = "İstanbul lamp".to_owned();
    shipments[48].order_number = "ab".to_owned();
    fixture
}

fn fields(s: &FixtureShipment) -> Vec<&str> {
    std::iter::once(s.order_number.as_str())
        .chain(
            s.products
                .iter()
                .flat_map(|p| [p.sku.as_str(), p.name.as_str()]),
        )
        .collect()
}

/// The needles: fixed edge cases, and for every seventh shipment pieces of each field (heads of one
/// and two characters, substrings of three to five at a few offsets, whole fields), some upper-cased.
fn needles(fixture: &Fixture) -> Vec<String> {
    let mut needles: BTreeSet<String> = [
        "чех",
        "ЧЕХОЛ",
        "телефон",
        "手机",
        "表",
        "50%",
        "%",
        "_",
        "x_1",
        "x%1",
        "\\",
        "k\\s",
        "sku-1",
        "-",
        "ab",
        "a",
        "7",
        "z9",
        "c",
        "i̇st",
        "İst",
        "zzzz",
        "87654321",
        "-0001-",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    for (n, shipment) in fixture.sellers[0].shipments.iter().enumerate().step_by(7) {
        for field in std::iter::once(shipment.posting_number.as_str()).chain(fields(shipment)) {
            let chars: Vec<char> = field.chars().collect();
            for len in 1..=5.min(chars.len()) {
                for start in [0, chars.len() / 2, chars.len() - len] {
                    if start + len <= chars.len() {
                        let piece: String = chars[start..start + len].iter().collect();
                        needles.insert(if n % 2 == 0 {
                            piece.to_uppercase()
                        } else {
                            piece
                        });
                    }
                }
            }
            needles.insert(field.to_owned());
        }
    }
    needles
        .into_iter()
        .filter(|n| SearchText::new(n).is_some())
        .collect()
}

/// What `domain::search` says the needle matches, by posting number.
fn expected(fixture: &Fixture, needle: &SearchText) -> BTreeSet<String> {
    fixture.sellers[0]
        .shipments
        .iter()
        .filter(|s| needle.matches_fields(&s.posting_number, fields(s)))
        .map(|s| s.posting_number.clone())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL: cargo xtask test postgres"]
async fn postgres_and_sqlite_find_what_the_rules_define() {
    let fixture = fixture();
    let seller = fixture.sellers[0].id.clone();
    let needles = needles(&fixture);
    assert!(needles.len() > 300, "{} needles", needles.len());

    // PostgreSQL: the fixture's shipments as rows, and an other seller's with the same texts, which
    // no search of the first seller may find.
    let url = pg::fresh_database().await;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&url).await.expect("connects");
    let other = "s-other";
    rows::seller(&mut conn, &seller).await;
    rows::seller(&mut conn, other).await;
    rows::shipments(&mut conn, &seller, "", &fixture.sellers[0].shipments).await;
    rows::shipments(&mut conn, other, "o-", &fixture.sellers[0].shipments).await;
    let ids: Vec<(i64, String)> = sqlx::query("SELECT id, posting_number FROM shipments")
        .fetch_all(&mut conn)
        .await
        .expect("ids")
        .iter()
        .map(|row| (row.get("id"), row.get("posting_number")))
        .collect();
    let pg_number = |id: i64| {
        ids.iter()
            .find(|(i, _)| *i == id)
            .map(|(_, n)| n.clone())
            .expect("a known id")
    };

    // SQLite: the same fixture seeded as the server seeds it.
    let dir = tempfile::tempdir().expect("a directory");
    let db = server::db::open(&dir.path().join("search.sqlite3"))
        .await
        .expect("a database");
    {
        let mut conn = db.acquire().await.expect("a connection");
        server::seed::load(&mut conn, &fixture, "search-test", Utc::now())
            .await
            .expect("seeded");
    }
    let mut sqlx_sqlite = db.acquire().await.expect("an sqlx connection");
    let sqlite_numbers: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, posting_number FROM shipments")
            .fetch_all(&mut *sqlx_sqlite)
            .await
            .expect("ids");
    let mut checked = 0;
    for typed in &needles {
        let needle = SearchText::new(typed).expect("a search");
        let want = expected(&fixture, &needle);

        // The list's own search (`Search`) on each backend.
        let filter = Filter::seller(&seller);
        let prepared = search::Search::prepare(&mut conn, &seller, needle.as_str(), &filter)
            .await
            .expect("a PostgreSQL search");
        let found: BTreeSet<String> = prepared
            .matching_ids(&mut conn, &filter)
            .await
            .expect("a PostgreSQL search")
            .into_iter()
            .map(pg_number)
            .collect();
        assert_eq!(found, want, "PostgreSQL, needle {typed:?}");

        let prepared = search::Search::prepare(&mut sqlx_sqlite, &seller, needle.as_str(), &filter)
            .await
            .expect("a SQLite search");
        let found: BTreeSet<String> = prepared
            .matching_ids(&mut sqlx_sqlite, &filter)
            .await
            .expect("ids")
            .into_iter()
            .map(|id| {
                sqlite_numbers
                    .iter()
                    .find(|(i, _)| *i == id)
                    .map(|(_, n)| n.clone())
                    .expect("a known id")
            })
            .collect();
        assert_eq!(found, want, "SQLite, needle {typed:?}");
        checked += 1;
    }
    println!(
        "{checked} needles agree with domain::search on both backends ({} shipments)",
        fixture.sellers[0].shipments.len()
    );
}

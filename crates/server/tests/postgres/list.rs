//! The list on both backends: the same shipments, stored through the same sqlx `insert`, give the
//! same pages in the same order (walked to the end by the keyset cursor), the same totals and the
//! same tab counts on SQLite and PostgreSQL, for every sort and order, the filters and the search;
//! and each walk holds exactly what the filters admit (`domain::search` for the text).

use std::collections::BTreeSet;

use domain::fixture::{Fixture, FixtureShipment};
use domain::{Scope, SearchText, ShipmentQuery};
use server::store::list::{ListRequest, list_page, status_counts};
use server::store::shipments::{NewShipment, ported};
use sqlx::{AnyConnection, Connection as _};

use crate::{pg, rows};

const SHIPMENTS: usize = 300;
/// Small pages, so that every walk crosses many cursors.
const PAGE: &str = "7";

async fn store(conn: &mut AnyConnection, fixture: &Fixture) {
    let seller = &fixture.sellers[0];
    rows::seller(conn, &seller.id).await;
    for shipment in &seller.shipments {
        ported::insert(conn, &NewShipment::from_fixture(&seller.id, shipment))
            .await
            .expect("a shipment");
    }
}

fn request(pairs: &[(&str, String)], scope: Scope) -> ListRequest {
    let query = ShipmentQuery::parse(pairs.iter().map(|(k, v)| (*k, v.as_str())), scope)
        .expect("a valid query");
    ListRequest::new(query).expect("a request")
}

/// Every page of the list under `pairs`, walked by cursor: the posting numbers in order, and
/// the total each page reported.
async fn walk(
    conn: &mut AnyConnection,
    seller: &str,
    pairs: &[(&str, String)],
) -> (Vec<String>, u64) {
    let mut numbers = Vec::new();
    let mut cursor: Option<String> = None;
    let mut total = None;
    loop {
        let mut query = pairs.to_vec();
        query.push(("limit", PAGE.to_owned()));
        if let Some(cursor) = &cursor {
            query.push(("cursor", cursor.clone()));
        }
        let page = list_page(conn, seller, &request(&query, Scope::List))
            .await
            .expect("a page");
        assert_eq!(*total.get_or_insert(page.total), page.total, "{pairs:?}");
        numbers.extend(page.items.into_iter().map(|s| s.posting_number));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
        assert!(
            numbers.len() <= SHIPMENTS,
            "a walk that does not end: {pairs:?}"
        );
    }
    (numbers, total.unwrap_or(0))
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

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL: cargo xtask test postgres"]
async fn pages_totals_and_counts_agree_on_both_backends() {
    let fixture = server::demo::generate(SHIPMENTS);
    let seller = fixture.sellers[0].id.clone();
    let shipments = &fixture.sellers[0].shipments;

    sqlx::any::install_default_drivers();
    let url = pg::fresh_database().await;
    let mut postgres = AnyConnection::connect(&url).await.expect("connects");
    store(&mut postgres, &fixture).await;
    let dir = tempfile::tempdir().expect("a directory");
    let db = server::db::open(&dir.path().join("list.sqlite3"))
        .await
        .expect("a database");
    let mut sqlite = db.acquire().await.expect("a connection");
    store(&mut sqlite, &fixture).await;

    let first = &shipments[0];
    let second_status = shipments
        .iter()
        .map(|s| s.status)
        .find(|s| *s != first.status)
        .expect("two statuses");
    let provider = shipments
        .iter()
        .find_map(|s| s.delivery.provider.clone())
        .expect("a provider");
    let word = first.products[0]
        .name
        .split_whitespace()
        .next()
        .expect("a word")
        .to_owned();
    // Each filter, with the shipments it admits.
    type Admits = Box<dyn Fn(&FixtureShipment) -> bool>;
    let filters: Vec<(Vec<(&str, String)>, Admits)> = vec![
        (vec![], Box::new(|_| true)),
        (vec![("status", first.status.code().to_owned())], {
            let status = first.status;
            Box::new(move |s| s.status == status)
        }),
        (
            vec![(
                "status",
                format!("{},{}", first.status.code(), second_status.code()),
            )],
            {
                let status = first.status;
                Box::new(move |s| s.status == status || s.status == second_status)
            },
        ),
        (
            vec![("delivery", first.delivery.method.code().to_owned())],
            {
                let method = first.delivery.method;
                Box::new(move |s| s.delivery.method == method)
            },
        ),
        (vec![("provider", provider.clone())], {
            let provider = provider.clone();
            Box::new(move |s| s.delivery.provider.as_deref() == Some(provider.as_str()))
        }),
        // The city is typed, so its case is the user's.
        (vec![("city", first.destination.city.to_uppercase())], {
            let city = first.destination.city.to_lowercase();
            Box::new(move |s| s.destination.city.to_lowercase() == city)
        }),
        (
            vec![
                ("status", first.status.code().to_owned()),
                ("city", first.destination.city.clone()),
            ],
            {
                let (status, city) = (first.status, first.destination.city.clone());
                Box::new(move |s| s.status == status && s.destination.city == city)
            },
        ),
    ];
    let mut searches: Vec<String> = vec![
        word,
        first.posting_number[..2].to_owned(),
        first.order_number.clone(),
        "zzzz".to_owned(),
    ];
    searches.push(first.products[0].sku.clone());

    let mut walks = 0;
    for (pairs, admits) in &filters {
        for q in std::iter::once(None).chain(searches.iter().map(Some)) {
            let mut pairs = pairs.clone();
            let needle = q.map(|q| SearchText::new(q).expect("a search"));
            if let Some(q) = q {
                pairs.push(("q", q.clone()));
            }
            let want: BTreeSet<String> = shipments
                .iter()
                .filter(|s| admits(s))
                .filter(|s| {
                    needle
                        .as_ref()
                        .is_none_or(|n| n.matches_fields(&s.posting_number, fields(s)))
                })
                .map(|s| s.posting_number.clone())
                .collect();
            for (sort, order) in [
                ("ship_by", "asc"),
                ("ship_by", "desc"),
                ("created_at", "asc"),
                ("created_at", "desc"),
            ] {
                let mut pairs = pairs.clone();
                pairs.push(("sort", sort.to_owned()));
                pairs.push(("order", order.to_owned()));
                let (on_sqlite, total) = walk(&mut sqlite, &seller, &pairs).await;
                let (on_postgres, pg_total) = walk(&mut postgres, &seller, &pairs).await;
                assert_eq!(on_postgres, on_sqlite, "{pairs:?}");
                assert_eq!(pg_total, total, "{pairs:?}");
                assert_eq!(total as usize, on_sqlite.len(), "{pairs:?}");
                let seen: BTreeSet<String> = on_sqlite.iter().cloned().collect();
                assert_eq!(seen.len(), on_sqlite.len(), "a shipment twice: {pairs:?}");
                assert_eq!(seen, want, "{pairs:?}");
                walks += 1;
            }
            // The tabs take the narrowing filters only (not the status).
            let narrowing: Vec<(&str, String)> = pairs
                .iter()
                .filter(|(k, _)| *k != "status")
                .cloned()
                .collect();
            let counts = request(&narrowing, Scope::Counts);
            let on_sqlite = status_counts(&mut sqlite, &seller, &counts)
                .await
                .expect("counts");
            let on_postgres = status_counts(&mut postgres, &seller, &counts)
                .await
                .expect("counts");
            assert_eq!(on_postgres, on_sqlite, "{narrowing:?}");
        }
    }
    println!("{walks} walks agree on both backends and with the filters");
    postgres.close().await.expect("closed");
}

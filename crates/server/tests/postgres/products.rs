//! Products and stock on PostgreSQL: the same answers as on SQLite, and a stock update that locks
//! the product's row, so an archive racing it cannot slip between its check and its write.

use std::time::Duration;

use domain::StockLevel;
use server::store::dialect::{Backend, begin_write};
use server::store::products;
use sqlx::{AnyConnection, Connection as _};

use crate::{pg, rows};

async fn product(conn: &mut AnyConnection, seller: &str, sku: &str) {
    sqlx::query("INSERT INTO products (seller_id, sku, name, archived) VALUES ($1, $2, 'Lamp', 0)")
        .bind(seller)
        .bind(sku)
        .execute(conn)
        .await
        .expect("a product");
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL: cargo xtask test postgres"]
async fn stock_and_archive_read_back_and_another_sellers_product_is_none() {
    let url = pg::fresh_database().await;
    sqlx::any::install_default_drivers();
    let mut conn = AnyConnection::connect(&url).await.expect("connects");
    rows::seller(&mut conn, "s-1").await;
    rows::seller(&mut conn, "s-2").await;
    product(&mut conn, "s-1", "SKU-1").await;
    let pg = Backend::Postgres;
    products::set_stock(&mut conn, "s-1", "SKU-1", "wh-2", 5)
        .await
        .expect("set");
    products::set_stock(&mut conn, "s-1", "SKU-1", "wh-1", 3)
        .await
        .expect("set");
    products::set_stock(&mut conn, "s-1", "SKU-1", "wh-2", 0)
        .await
        .expect("set");
    let found = products::find(&mut conn, pg, "s-1", "SKU-1", false)
        .await
        .expect("read")
        .expect("the product");
    assert!(!found.archived);
    assert_eq!(
        found.stock,
        vec![
            StockLevel {
                warehouse_id: "wh-1".into(),
                quantity: 3
            },
            StockLevel {
                warehouse_id: "wh-2".into(),
                quantity: 0
            },
        ]
    );
    assert_eq!(
        products::find(&mut conn, pg, "s-2", "SKU-1", false)
            .await
            .expect("read"),
        None
    );
    assert!(
        products::archive(&mut conn, "s-1", "SKU-1")
            .await
            .expect("archived")
    );
    assert!(
        !products::archive(&mut conn, "s-2", "SKU-1")
            .await
            .expect("not hers")
    );
    let archived = products::find(&mut conn, pg, "s-1", "SKU-1", true)
        .await
        .expect("read")
        .expect("the product");
    assert!(archived.archived);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL: cargo xtask test postgres"]
async fn an_archive_waits_for_a_stock_update_that_read_the_product() {
    let url = pg::fresh_database().await;
    sqlx::any::install_default_drivers();
    let mut setup = AnyConnection::connect(&url).await.expect("connects");
    rows::seller(&mut setup, "s-1").await;
    product(&mut setup, "s-1", "SKU-1").await;

    // The stock update: its transaction has read (and locked) the product, not yet written.
    let mut updater = AnyConnection::connect(&url).await.expect("connects");
    let mut tx = updater
        .begin_with(begin_write(Backend::Postgres))
        .await
        .expect("a transaction");
    let read = products::find(&mut tx, Backend::Postgres, "s-1", "SKU-1", true)
        .await
        .expect("read")
        .expect("the product");
    assert!(!read.archived);

    // An archive through another connection must wait for it.
    let archiving = tokio::spawn({
        let url = url.clone();
        async move {
            let mut conn = AnyConnection::connect(&url).await.expect("connects");
            products::archive(&mut conn, "s-1", "SKU-1")
                .await
                .expect("archived")
        }
    });
    // Until PostgreSQL shows the archive waiting on a lock (a condition polled, not a sleep).
    tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            let waiting: i64 = sqlx::query_scalar(
                "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid \
                 WHERE NOT l.granted AND a.datname = current_database()",
            )
            .fetch_one(&mut setup)
            .await
            .expect("pg_locks");
            if waiting > 0 {
                break;
            }
            assert!(
                !archiving.is_finished(),
                "the archive did not wait for the row lock"
            );
            tokio::task::yield_now().await;
        }
    })
    .await
    .expect("the archive waits for the update's lock");

    products::set_stock(&mut tx, "s-1", "SKU-1", "wh-1", 7)
        .await
        .expect("set");
    tx.commit().await.expect("committed");
    assert!(archiving.await.expect("the archive ends"));
    let after = products::find(&mut setup, Backend::Postgres, "s-1", "SKU-1", false)
        .await
        .expect("read")
        .expect("the product");
    assert!(after.archived);
    assert_eq!(
        after.stock,
        vec![StockLevel {
            warehouse_id: "wh-1".into(),
            quantity: 7
        }]
    );
}

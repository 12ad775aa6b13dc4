//! The sellers read at start-up, on PostgreSQL: "the first seller seeded" comes from the schema's
//! `seeded_order` column, where SQLite reads its implicit rowid.

use std::collections::HashSet;

use server::store::dialect::Backend;
use server::store::sellers;
use sqlx::{AnyConnection, Connection as _};

use crate::{pg, rows};

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs PostgreSQL: cargo xtask test postgres"]
async fn the_preferred_seller_is_the_named_one_else_the_first_seeded() {
    let url = pg::fresh_database().await;
    sqlx::any::install_default_drivers();
    let mut conn = AnyConnection::connect(&url).await.expect("connects");
    assert!(sellers::none(&mut conn).await.expect("read"));
    assert_eq!(
        sellers::preferred(&mut conn, Backend::Postgres, "s-1001")
            .await
            .expect("read"),
        None
    );
    // Seeded in this order; by name, "s-a" would come first.
    for id in ["s-z", "s-a", "s-1001"] {
        rows::seller(&mut conn, id).await;
    }
    assert!(!sellers::none(&mut conn).await.expect("read"));
    let preferred = |id: &'static str| {
        let url = url.clone();
        async move {
            let mut conn = AnyConnection::connect(&url).await.expect("connects");
            sellers::preferred(&mut conn, Backend::Postgres, id)
                .await
                .expect("read")
        }
    };
    assert_eq!(preferred("s-1001").await.as_deref(), Some("s-1001"));
    assert_eq!(preferred("s-unknown").await.as_deref(), Some("s-z"));
    assert_eq!(
        sellers::all(&mut conn).await.expect("read"),
        HashSet::from(["s-z".to_owned(), "s-a".to_owned(), "s-1001".to_owned()])
    );
    assert!(sellers::exists(&mut conn, "s-a").await.expect("read"));
    assert!(!sellers::exists(&mut conn, "s-b").await.expect("read"));
}

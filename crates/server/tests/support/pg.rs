//! A database of its own for each test on the throwaway cluster that `cargo xtask test postgres`
//! starts: copied from the cluster's template (`CREATE DATABASE … TEMPLATE`), tens of milliseconds.

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::{Connection, PgConnection};

/// The cluster's maintenance database, where databases are created (set by xtask).
pub const URL_VAR: &str = "TEST_PG_URL";
/// The template each test's database copies (set by xtask).
pub const TEMPLATE_VAR: &str = "TEST_PG_TEMPLATE";

/// The cluster's URL, when the tests run on PostgreSQL.
pub fn cluster_url() -> Option<String> {
    std::env::var(URL_VAR).ok().filter(|url| !url.is_empty())
}

/// The URL of a new database for one test, or a panic that says how to run it: these tests are
/// `#[ignore]`d without a cluster, so reaching here without one is a mistake worth stopping for.
pub async fn fresh_database() -> String {
    let Some(admin) = cluster_url() else {
        panic!("{URL_VAR} is not set: run these tests with `cargo xtask test postgres`");
    };
    let template = std::env::var(TEMPLATE_VAR).unwrap_or_else(|_| "template1".to_owned());
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let name = format!(
        "t_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let mut conn = PgConnection::connect(&admin)
        .await
        .expect("the test cluster answers");
    // Names made here from digits only; CREATE DATABASE takes no bind parameters.
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""
    )))
    .execute(&mut conn)
    .await
    .expect("a database copied from the template");
    conn.close().await.expect("closed");
    database_url(&admin, &name)
}

/// The same cluster's URL for another database.
pub fn database_url(admin: &str, database: &str) -> String {
    let (base, _) = admin
        .rsplit_once('/')
        .expect("a postgres:// URL ends with its database");
    format!("{base}/{database}")
}

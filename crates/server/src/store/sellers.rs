//! The sellers this server knows (created only by seeding). On sqlx, for both backends; these
//! answer `sqlx::Error` rather than `ApiError` because start-up (app.rs) reads them too.

use std::collections::HashSet;

use sqlx::AnyConnection;

use crate::store::dialect::{Backend, seeded_order};

pub async fn exists(conn: &mut AnyConnection, seller_id: &str) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query("SELECT 1 FROM sellers WHERE id = $1")
        .bind(seller_id)
        .fetch_optional(conn)
        .await?
        .is_some())
}

/// Every seller's id.
pub async fn all(conn: &mut AnyConnection) -> Result<HashSet<String>, sqlx::Error> {
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM sellers")
        .fetch_all(conn)
        .await?;
    Ok(ids.into_iter().collect())
}

/// `seller_id` when it is known, else the first seller seeded; `None` without sellers.
pub async fn preferred(
    conn: &mut AnyConnection,
    backend: Backend,
    seller_id: &str,
) -> Result<Option<String>, sqlx::Error> {
    // Only the dialect's column of the seeding order is formatted in.
    let sql = format!(
        "SELECT id FROM sellers ORDER BY CASE WHEN id = $1 THEN 0 ELSE 1 END, {} LIMIT 1",
        seeded_order(backend)
    );
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(seller_id)
        .fetch_optional(conn)
        .await
}

/// True before the first seeding.
pub async fn none(conn: &mut AnyConnection) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query("SELECT 1 FROM sellers LIMIT 1")
        .fetch_optional(conn)
        .await?
        .is_none())
}

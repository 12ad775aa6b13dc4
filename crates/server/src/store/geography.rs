//! The seller's delivery geography: the cities they stopped delivering to, and where their
//! shipments go. On sqlx (`store/mod.rs`'s convention): one text of each query for SQLite and
//! PostgreSQL.

use chrono::{DateTime, Utc};
use domain::Status;
use domain::wire::{DestinationSummary, GeographyExclusion};
use sqlx::{AnyConnection, Row as _};

use crate::db::to_millis;
use crate::error::ApiResult;

pub async fn exclusions(
    conn: &mut AnyConnection,
    seller_id: &str,
) -> ApiResult<Vec<GeographyExclusion>> {
    let rows = sqlx::query(
        "SELECT country, city FROM geography_exclusions WHERE seller_id = $1 ORDER BY country, city_key",
    )
    .bind(seller_id)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(GeographyExclusion {
                country: row.try_get("country")?,
                city: row.try_get("city")?,
            })
        })
        .collect()
}

/// Each destination city with its shipments, those still before handover, and whether it is
/// excluded; the busiest first.
pub async fn destinations(
    conn: &mut AnyConnection,
    seller_id: &str,
) -> ApiResult<Vec<DestinationSummary>> {
    // The statuses before handover, as the rules crate names them: codes of the rules crate only
    // (never input), formatted in so that the text stays one statement.
    let before_handover: Vec<String> = Status::ALL
        .into_iter()
        .filter(|s| s.is_before_handover())
        .map(|s| format!("'{}'", s.code()))
        .collect();
    // CASE … THEN 1 ELSE 0: a count and a flag as integers on both backends (PostgreSQL's
    // comparisons and EXISTS are booleans, which it neither sums nor reads as i64).
    let sql = format!(
        "SELECT s.country AS country, min(s.city) AS city, count(*) AS shipments,
                sum(CASE WHEN s.status IN ({}) THEN 1 ELSE 0 END) AS before_handover,
                CASE WHEN EXISTS (SELECT 1 FROM geography_exclusions e
                        WHERE e.seller_id = s.seller_id AND e.country = s.country
                          AND e.city_key = s.city_key) THEN 1 ELSE 0 END AS excluded
         FROM shipments s WHERE s.seller_id = $1
         GROUP BY s.seller_id, s.country, s.city_key ORDER BY count(*) DESC, s.country, s.city_key",
        before_handover.join(", ")
    );
    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(seller_id)
        .fetch_all(conn)
        .await?;
    rows.iter()
        .map(|row| {
            Ok(DestinationSummary {
                country: row.try_get("country")?,
                city: row.try_get("city")?,
                shipments: count(row, "shipments")?,
                before_handover: count(row, "before_handover")?,
                excluded: row.try_get::<i64, _>("excluded")? == 1,
            })
        })
        .collect()
}

/// Adds an exclusion; false when the seller already had it.
pub async fn add_exclusion(
    conn: &mut AnyConnection,
    seller_id: &str,
    exclusion: &GeographyExclusion,
    now: DateTime<Utc>,
) -> ApiResult<bool> {
    let added = sqlx::query(
        "INSERT INTO geography_exclusions (seller_id, country, city, city_key, created_at)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    )
    .bind(seller_id)
    .bind(&exclusion.country)
    .bind(&exclusion.city)
    .bind(exclusion.city.to_lowercase())
    .bind(to_millis(now))
    .execute(conn)
    .await?;
    Ok(added.rows_affected() == 1)
}

/// Removes an exclusion, the city compared without case; false when there was none.
pub async fn remove_exclusion(
    conn: &mut AnyConnection,
    seller_id: &str,
    country: &str,
    city: &str,
) -> ApiResult<bool> {
    let removed = sqlx::query(
        "DELETE FROM geography_exclusions WHERE seller_id = $1 AND country = $2 AND city_key = $3",
    )
    .bind(seller_id)
    .bind(country.trim())
    .bind(city.trim().to_lowercase())
    .execute(conn)
    .await?;
    Ok(removed.rows_affected() > 0)
}

/// A count column as the wire's `u64`; a negative one is a corrupt row, not a zero.
fn count(row: &sqlx::any::AnyRow, column: &str) -> Result<u64, sqlx::Error> {
    let n: i64 = row.try_get(column)?;
    u64::try_from(n).map_err(|_| sqlx::Error::Decode(format!("{column} = {n} is negative").into()))
}

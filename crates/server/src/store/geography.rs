//! The seller's delivery geography: the cities they stopped delivering to, and where their
//! shipments go.

use chrono::{DateTime, Utc};
use domain::Status;
use domain::wire::{DestinationSummary, GeographyExclusion};
use rusqlite::{Connection, params};

use crate::db::to_millis;

pub fn exclusions(conn: &Connection, seller_id: &str) -> rusqlite::Result<Vec<GeographyExclusion>> {
    conn.prepare_cached(
        "SELECT country, city FROM geography_exclusions WHERE seller_id = ?1 ORDER BY country, city_key",
    )?
    .query_map([seller_id], |row| {
        Ok(GeographyExclusion {
            country: row.get(0)?,
            city: row.get(1)?,
        })
    })?
    .collect()
}

/// Each destination city with its shipments, those still before handover, and whether it is
/// excluded; the busiest first.
pub fn destinations(
    conn: &Connection,
    seller_id: &str,
) -> rusqlite::Result<Vec<DestinationSummary>> {
    // The statuses before handover, as the rules crate names them (the same text each time, so the
    // statement stays cached).
    let before_handover: Vec<String> = Status::ALL
        .into_iter()
        .filter(|s| s.is_before_handover())
        .map(|s| format!("'{}'", s.code()))
        .collect();
    conn.prepare_cached(&format!(
        "SELECT s.country, min(s.city), count(*),
                sum(s.status IN ({})),
                EXISTS (SELECT 1 FROM geography_exclusions e
                        WHERE e.seller_id = s.seller_id AND e.country = s.country AND e.city_key = s.city_key)
         FROM shipments s WHERE s.seller_id = ?1
         GROUP BY s.country, s.city_key ORDER BY count(*) DESC, s.country, s.city_key",
        before_handover.join(", ")
    ))?
    .query_map([seller_id], |row| {
        Ok(DestinationSummary {
            country: row.get(0)?,
            city: row.get(1)?,
            shipments: row.get(2)?,
            before_handover: row.get(3)?,
            excluded: row.get(4)?,
        })
    })?
    .collect()
}

/// Adds an exclusion; false when the seller already had it.
pub fn add_exclusion(
    conn: &Connection,
    seller_id: &str,
    exclusion: &GeographyExclusion,
    now: DateTime<Utc>,
) -> rusqlite::Result<bool> {
    let added = conn.execute(
        "INSERT OR IGNORE INTO geography_exclusions (seller_id, country, city, city_key, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            seller_id,
            exclusion.country,
            exclusion.city,
            exclusion.city.to_lowercase(),
            to_millis(now)
        ],
    )?;
    Ok(added == 1)
}

/// Removes an exclusion, the city compared without case; false when there was none.
pub fn remove_exclusion(
    conn: &Connection,
    seller_id: &str,
    country: &str,
    city: &str,
) -> rusqlite::Result<bool> {
    let removed = conn.execute(
        "DELETE FROM geography_exclusions WHERE seller_id = ?1 AND country = ?2 AND city_key = ?3",
        params![seller_id, country.trim(), city.trim().to_lowercase()],
    )?;
    Ok(removed > 0)
}

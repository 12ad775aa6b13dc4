//! The sellers this server knows (created only by seeding).

use std::collections::HashSet;

use rusqlite::{Connection, OptionalExtension};

pub fn exists(conn: &Connection, seller_id: &str) -> rusqlite::Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM sellers WHERE id = ?1", [seller_id], |_| {
            Ok(())
        })
        .optional()?
        .is_some())
}

/// Every seller's id.
pub fn all(conn: &Connection) -> rusqlite::Result<HashSet<String>> {
    conn.prepare("SELECT id FROM sellers")?
        .query_map([], |row| row.get::<_, String>(0))?
        .collect()
}

/// `seller_id` when it is known, else the first seller seeded; `None` without sellers.
pub fn preferred(conn: &Connection, seller_id: &str) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT id FROM sellers ORDER BY id = ?1 DESC, rowid LIMIT 1",
        [seller_id],
        |row| row.get(0),
    )
    .optional()
}

/// True before the first seeding.
pub fn none(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row("SELECT NOT EXISTS (SELECT 1 FROM sellers)", [], |row| {
        row.get(0)
    })
}

//! The sellers this server knows (created only by seeding).

use rusqlite::{Connection, OptionalExtension};

pub fn exists(conn: &Connection, seller_id: &str) -> rusqlite::Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM sellers WHERE id = ?1", [seller_id], |_| {
            Ok(())
        })
        .optional()?
        .is_some())
}

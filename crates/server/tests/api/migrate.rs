//! `server migrate`: brings a database's schema up to date and exits, the database named by
//! `--db` or by `DATABASE_URL` (as a deployment migrates once before starting its instances).

use std::process::Command;

#[test]
fn migrate_creates_the_schema_of_the_database_that_database_url_names_and_exits() {
    let dir = tempfile::tempdir().expect("a directory");
    let file = dir.path().join("migrated.sqlite3");
    let output = Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("migrate")
        .env("DATABASE_URL", &file)
        .output()
        .expect("the server runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("the database schema is up to date"));
    let conn = rusqlite::Connection::open(&file).expect("the file");
    let tables: i64 = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('sellers', 'shipments', 'cancellations')",
            [],
            |row| row.get(0),
        )
        .expect("a count");
    assert_eq!(tables, 3);
    // Nothing was seeded: migrating is all it does.
    let sellers: i64 = conn
        .query_row("SELECT count(*) FROM sellers", [], |row| row.get(0))
        .expect("a count");
    assert_eq!(sellers, 0);
}

#[test]
fn migrate_reports_a_database_it_cannot_open() {
    let output = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["--db", "sqlite:x.db?mode=ro", "migrate"])
        .env_remove("DATABASE_URL")
        .output()
        .expect("the server runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("error:"), "{stderr}");
}

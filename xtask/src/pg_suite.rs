//! `cargo xtask test postgres`: the server's tests on a real PostgreSQL cluster of their own.
//!
//! One throwaway cluster per run (named with xtask's pid, so two runs on one machine never share
//! one), stopped when the run ends, also when a test fails or panics (the cluster's `Drop`). Inside
//! it a template database, migrated once by the server itself (`server migrate`, as a deployment
//! does before starting its instances); each API test copies it (`CREATE DATABASE … TEMPLATE`,
//! tens of milliseconds), so its server finds the schema current. The tests
//! find the cluster through `TEST_PG_URL` (the maintenance database, where databases are created)
//! and `TEST_PG_TEMPLATE`; without them the same tests run on SQLite (the `native` suite).
//!
//! The multi-instance pieces (`tests/postgres`: the provider leader's advisory lock, events over
//! LISTEN/NOTIFY) are `#[ignore]`d without a cluster, so `cargo test` reports them as ignored rather
//! than passed, and run here with `--include-ignored`.

use crate::error::Error;
use crate::paths;
use crate::postgres::Cluster;
use crate::process::{self, command};
use crate::suites::cargo_tests;
use crate::tally::Tally;

/// The template every API test's database is copied from.
const TEMPLATE: &str = "api_template";

/// API tests whose code paths do not run on PostgreSQL yet: the store is being ported file by
/// file (docs/postgres.md §4.1), and a test is taken off this list as soon as its paths are.
/// Each entry is a `cargo test` filter (`--skip`), a module or a test name. Skipped tests are
/// named in the output and never counted as passed. Empty means the whole suite runs.
pub const NOT_YET_ON_POSTGRES: &[&str] = &[];

/// API tests about SQLite files themselves, which have no PostgreSQL form (`server migrate` on
/// PostgreSQL is the template's migration above every run).
pub const SQLITE_ONLY: &[&str] = &["migrate::"];

pub fn run() -> Result<Tally, Error> {
    let name = format!("test-{}", std::process::id());
    println!("xtask: starting a throwaway PostgreSQL cluster ({name})");
    let mut cluster = Cluster::start(&name, TEMPLATE)?;
    // Named by this run's pid, so no later run would clear it: its data goes when it stops.
    cluster.discard_when_stopped();
    println!("xtask: cluster up at {}", cluster.url());
    let admin_url = cluster.url_of("postgres");
    // The debug build: the tests below build it anyway (integration tests need the binary).
    process::run_ok(
        command("cargo").args(["build", "-p", "server", "--bin", "server"]),
        "cargo build -p server",
    )?;
    let binary = paths::target_dir()
        .join("debug")
        .join(format!("server{}", std::env::consts::EXE_SUFFIX));
    let mut migrate = command(&binary.to_string_lossy());
    migrate.arg("--db").arg(cluster.url()).arg("migrate");
    process::run_ok(&mut migrate, "migrating the template database")?;

    // Multi-instance pieces first: they need nothing but the cluster.
    let mut tally = cargo_tests(
        command("cargo")
            .args([
                "test",
                "-p",
                "server",
                "--test",
                "postgres",
                "--no-fail-fast",
            ])
            .args(["--", "--include-ignored"])
            .env("TEST_PG_URL", &admin_url)
            .env("TEST_PG_TEMPLATE", TEMPLATE),
    );

    if NOT_YET_ON_POSTGRES.is_empty() {
        println!("xtask: the whole API suite runs on PostgreSQL");
    } else {
        println!(
            "xtask: NOT YET on PostgreSQL (skipped here, not counted; they run on SQLite in `native`): {}",
            NOT_YET_ON_POSTGRES.join(" ")
        );
    }
    let mut api = command("cargo");
    api.args([
        "test",
        "-p",
        "server",
        "--test",
        "api",
        "--no-fail-fast",
        "--",
    ])
    .env("TEST_PG_URL", &admin_url)
    .env("TEST_PG_TEMPLATE", TEMPLATE);
    for filter in NOT_YET_ON_POSTGRES.iter().chain(SQLITE_ONLY) {
        api.args(["--skip", filter]);
    }
    tally += cargo_tests(&mut api);

    // A fast stop that reports its errors; on any early return the drop stops it immediately.
    if let Err(e) = cluster.stop() {
        println!("xtask: {e}");
        tally += Tally::check(false);
    }
    Ok(tally)
}

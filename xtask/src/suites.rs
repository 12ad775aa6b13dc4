//! The test suites of `cargo xtask test`, each turned into a count of passed and failed tests.

use std::time::{Duration, Instant};

use crate::contract;
use crate::disk;
use crate::error::Error;
use crate::paths;
use crate::process::{self, command};
use crate::server::{self, Log, Server};
use crate::tally::{Tally, parse_playwright_report};
use crate::toolchain::{CHROMEDRIVER, Tool, Toolbox, WASM_TARGET};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suite {
    Fmt,
    Clippy,
    Native,
    Postgres,
    Wasm,
    E2e,
    Contract,
}

impl Suite {
    pub const ALL: [Suite; 7] = [
        Suite::Fmt,
        Suite::Clippy,
        Suite::Native,
        Suite::Postgres,
        Suite::Wasm,
        Suite::E2e,
        Suite::Contract,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Suite::Fmt => "fmt",
            Suite::Clippy => "clippy",
            Suite::Native => "native",
            Suite::Postgres => "postgres",
            Suite::Wasm => "wasm",
            Suite::E2e => "e2e",
            Suite::Contract => "contract",
        }
    }

    pub fn from_name(name: &str) -> Option<Suite> {
        Suite::ALL.into_iter().find(|suite| suite.name() == name)
    }

    fn title(self) -> &'static str {
        match self {
            Suite::Fmt => "formatting (cargo fmt --check)",
            Suite::Clippy => "lints (clippy -D warnings, native and wasm)",
            Suite::Native => "native tests (cargo test --workspace)",
            Suite::Postgres => "the server's tests on a throwaway PostgreSQL cluster",
            Suite::Wasm => "wasm tests in headless Chromium",
            Suite::E2e => "browser end-to-end tests (Playwright against the real server)",
            Suite::Contract => "the API against its OpenAPI document (Schemathesis)",
        }
    }

    pub fn tools(self) -> &'static [Tool] {
        match self {
            Suite::Fmt => &[Tool::Rustfmt],
            Suite::Clippy => &[Tool::Clippy, Tool::WasmTarget],
            Suite::Native => &[],
            Suite::Postgres => &[Tool::Postgres],
            Suite::Wasm => &[Tool::WasmTarget, Tool::WasmBindgen, Tool::Chromium],
            Suite::E2e => &[
                Tool::WasmTarget,
                Tool::WasmBindgen,
                Tool::WasmOpt,
                Tool::Esbuild,
                Tool::Chromium,
                Tool::E2ePackages,
            ],
            Suite::Contract => &[Tool::PythonVenv, Tool::Schemathesis],
        }
    }

    fn run(self) -> Tally {
        match self {
            Suite::Fmt => check(
                "cargo fmt",
                command("cargo").args(["fmt", "--all", "--check"]),
            ),
            Suite::Clippy => {
                let mut tally = check(
                    "clippy (native)",
                    command("cargo").args([
                        "clippy",
                        "--workspace",
                        "--all-targets",
                        "--",
                        "-D",
                        "warnings",
                    ]),
                );
                tally += check(
                    "clippy (wasm app)",
                    command("cargo").args([
                        "clippy",
                        "-p",
                        "app",
                        "--target",
                        WASM_TARGET,
                        "--all-targets",
                        "--",
                        "-D",
                        "warnings",
                    ]),
                );
                // The shipped build's code paths: the split points of src/lazy/ (see app_build.rs).
                tally += check(
                    "clippy (wasm app, split build)",
                    command("cargo").args([
                        "clippy",
                        "-p",
                        "app",
                        "--target",
                        WASM_TARGET,
                        "--features",
                        "split",
                        "--",
                        "-D",
                        "warnings",
                    ]),
                );
                tally
            }
            // --no-fail-fast: one failing test binary must not hide the counts of the others.
            Suite::Native => {
                cargo_tests(command("cargo").args(["test", "--workspace", "--no-fail-fast"]))
            }
            Suite::Wasm => cargo_tests(
                command("cargo")
                    .args([
                        "test",
                        "-p",
                        "app",
                        "--target",
                        WASM_TARGET,
                        "--no-fail-fast",
                    ])
                    .env("CHROMEDRIVER", CHROMEDRIVER),
            ),
            Suite::Postgres => crate::pg_suite::run().unwrap_or_else(|e| {
                println!("xtask: postgres: {e}");
                Tally::check(false)
            }),
            Suite::E2e => end_to_end().unwrap_or_else(|e| {
                println!("xtask: e2e: {e}");
                Tally::check(false)
            }),
            Suite::Contract => contract::run().unwrap_or_else(|e| {
                println!("xtask: contract: {e}");
                Tally::check(false)
            }),
        }
    }
}

pub struct Outcome {
    pub suite: Suite,
    pub tally: Tally,
    pub elapsed: Duration,
}

/// Runs every suite, even after one fails, so that the summary covers them all.
pub fn run_all(suites: &[Suite]) -> Vec<Outcome> {
    report_free_space();
    let mut toolbox = Toolbox::default();
    println!(
        "xtask: checking the tools these suites need (a cold machine installs them once, about 10 min)"
    );
    // Each tool once, in the order the suites need them, so a missing one is reported once.
    let mut wanted: Vec<Tool> = Vec::new();
    for &tool in suites.iter().flat_map(|suite| suite.tools()) {
        if !wanted.contains(&tool) {
            wanted.push(tool);
        }
    }
    let missing = toolbox.ensure_all(&wanted);
    for m in &missing {
        println!("xtask: MISSING {m}");
    }

    let mut outcomes = Vec::new();
    for (index, &suite) in suites.iter().enumerate() {
        println!(
            "\n=== [{}/{}] {}: {}",
            index + 1,
            suites.len(),
            suite.name(),
            suite.title()
        );
        let started = Instant::now();
        let missing = toolbox.ensure_all(suite.tools());
        let tally = if missing.is_empty() {
            suite.run()
        } else {
            for m in &missing {
                println!(
                    "xtask: {} cannot run, counted as failed: missing {m}",
                    suite.name()
                );
            }
            Tally::check(false)
        };
        let elapsed = started.elapsed();
        println!(
            "=== {}: {} ({tally}) in {}",
            suite.name(),
            if tally.is_ok() { "ok" } else { "FAILED" },
            human(elapsed)
        );
        outcomes.push(Outcome {
            suite,
            tally,
            elapsed,
        });
    }
    outcomes
}

/// Warns, without stopping, when the target directory's disk is too full for a cold run:
/// a warm one needs far less, and only the run itself can tell.
fn report_free_space() {
    let target = paths::target_dir();
    match disk::free_bytes(&target) {
        Ok(free) if free < disk::COLD_RUN_NEEDS => println!(
            "xtask: WARNING only {} free for {}; a cold run of every suite writes up to {} there, \
             and a full disk fails tests far from the cause (ENOSPC)",
            disk::gigabytes(free),
            target.display(),
            disk::gigabytes(disk::COLD_RUN_NEEDS)
        ),
        Ok(free) => println!(
            "xtask: {} free for {}",
            disk::gigabytes(free),
            target.display()
        ),
        Err(e) => println!(
            "xtask: could not tell the free space for {}: {e}",
            target.display()
        ),
    }
}

/// One command that counts as one check.
fn check(label: &str, cmd: &mut std::process::Command) -> Tally {
    match process::run(cmd) {
        Ok(status) => {
            if !status.success() {
                println!("xtask: {label} failed ({status})");
            }
            Tally::check(status.success())
        }
        Err(e) => {
            println!("xtask: {e}");
            Tally::check(false)
        }
    }
}

/// A cargo test run, counted by its `test result:` lines. A run that fails without a failing test
/// (a compile error, a crashed runner) still counts as one failure. Also the PostgreSQL suite's.
pub(crate) fn cargo_tests(cmd: &mut std::process::Command) -> Tally {
    match process::run_counting_tests(cmd) {
        Ok((status, mut tally)) => {
            if !status.success() && tally.failed == 0 {
                println!(
                    "xtask: the run failed ({status}) before any test could fail; counted as one failure"
                );
                tally.failed = 1;
            }
            tally
        }
        Err(e) => {
            println!("xtask: {e}");
            Tally::check(false)
        }
    }
}

/// Builds the app and the server, starts the server on a free port with a fresh database and the
/// demo seed, and runs Playwright against it.
fn end_to_end() -> Result<Tally, Error> {
    server::build_app()?;
    server::build_server()?;

    let artifacts = paths::e2e_artifacts_dir();
    match std::fs::remove_dir_all(&artifacts) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(Error::io(format!("clearing {}", artifacts.display()), e)),
    }
    std::fs::create_dir_all(&artifacts)
        .map_err(|e| Error::io(format!("creating {}", artifacts.display()), e))?;

    let db = server::fresh_db("e2e")?;
    let server_log = artifacts.join("server.log");
    // The shared server also serves the demo portal, on its own origin, for the embedding tests.
    let portal_port = server::free_port()?;
    let server = Server::start(
        server::free_port()?,
        Some(portal_port),
        &db,
        Log::File(server_log.clone()),
    )?;
    let portal_url = format!("http://127.0.0.1:{portal_port}");
    println!(
        "xtask: server ready at {} with the demo portal at {portal_url} (log: {})",
        server.url,
        server_log.display()
    );
    // Specs that stop, restart or reconfigure a server start their own from these (tests/e2e/servers.js).
    let scratch = paths::xtask_dir().join("e2e-servers");
    std::fs::create_dir_all(&scratch)
        .map_err(|e| Error::io(format!("creating {}", scratch.display()), e))?;

    let e2e = paths::e2e_dir();
    let mut playwright = command(&e2e.join("node_modules/.bin/playwright").to_string_lossy());
    playwright
        .arg("test")
        .current_dir(&e2e)
        .env("E2E_BASE_URL", &server.url)
        .env("E2E_PORTAL_URL", &portal_url)
        .env("E2E_SERVER_BIN", paths::server_binary())
        .env("E2E_DIST_DIR", paths::dist_dir())
        .env("E2E_DEMO_FIXTURE", paths::demo_fixture())
        .env("E2E_SCRATCH_DIR", &scratch)
        .env("E2E_ARTIFACTS_DIR", &artifacts)
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    let status = process::run(&mut playwright);
    drop(server);
    let status = status?;

    let report_path = artifacts.join("report.json");
    let report = std::fs::read_to_string(&report_path).map_err(|e| {
        Error::io(
            format!("reading the Playwright report {}", report_path.display()),
            e,
        )
    })?;
    let mut tally = parse_playwright_report(&report).map_err(Error::Project)?;
    if tally.passed + tally.failed == 0 {
        println!("xtask: Playwright ran no tests; counted as one failure");
        tally.failed = 1;
    } else if !status.success() && tally.failed == 0 {
        println!("xtask: Playwright failed ({status}) outside the tests; counted as one failure");
        tally.failed = 1;
    }
    println!("xtask: screenshots and report in {}", artifacts.display());
    Ok(tally)
}

pub fn human(elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64();
    if secs < 60.0 {
        format!("{secs:.1}s")
    } else {
        format!("{}m {:02}s", elapsed.as_secs() / 60, elapsed.as_secs() % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_suite_is_found_by_its_name() {
        for suite in Suite::ALL {
            assert_eq!(Suite::from_name(suite.name()), Some(suite));
        }
        assert_eq!(Suite::from_name("bench"), None);
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(human(Duration::from_millis(2_340)), "2.3s");
        assert_eq!(human(Duration::from_secs(134)), "2m 14s");
    }
}

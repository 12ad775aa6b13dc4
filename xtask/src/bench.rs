//! `cargo xtask bench [server] [app]`: the benchmarks, whose figures go into BENCHMARKS.md at the root.

use std::process::Command;

use crate::app_bench;
use crate::error::Error;
use crate::paths;
use crate::process::{self, command};

/// Every benchmark there is; `cargo xtask bench` alone runs them all.
const BENCHES: [&str; 2] = ["server", "app"];

/// Runs the named benchmarks (all when none is named). Arguments after `--` go to the driver, such
/// as `cargo xtask bench server -- --requests 500` or `cargo xtask bench app -- --keys 200`; with
/// both benchmarks they go to both, so name one when passing them.
pub fn run(args: &[String]) -> Result<(), Error> {
    let (names, extra) = match args.iter().position(|a| a == "--") {
        Some(split) => (&args[..split], &args[split + 1..]),
        None => (args, &args[args.len()..]),
    };
    if let Some(unknown) = names.iter().find(|n| !BENCHES.contains(&n.as_str())) {
        return Err(Error::Project(format!(
            "unknown benchmark {unknown}; there is: {}",
            BENCHES.join(", ")
        )));
    }
    let chosen: Vec<&str> = if names.is_empty() {
        BENCHES.to_vec()
    } else {
        names.iter().map(String::as_str).collect()
    };
    for name in chosen {
        match name {
            "server" => server(extra)?,
            "app" => app_bench::run(extra)?,
            other => return Err(Error::Project(format!("unknown benchmark {other}"))),
        }
    }
    Ok(())
}

/// The release server and its benchmark driver (the crate crates/server-bench), which starts the
/// server on a fresh database with 100,000 shipments and writes the `## Server` section.
fn server(extra: &[String]) -> Result<(), Error> {
    process::run_ok(
        command("cargo").args([
            "build",
            "--release",
            "-p",
            "server",
            "-p",
            "server-bench",
            "--bins",
        ]),
        "cargo build --release -p server -p server-bench --bins",
    )?;
    let driver = paths::target_dir()
        .join("release")
        .join(format!("server-bench{}", std::env::consts::EXE_SUFFIX));
    let mut bench = Command::new(&driver);
    bench
        .current_dir(paths::repo_root())
        .arg("--server")
        .arg(paths::server_binary())
        .arg("--markdown")
        .arg(paths::repo_root().join("BENCHMARKS.md"))
        .args(extra);
    process::run_ok(&mut bench, "the server benchmark")
}

#[cfg(test)]
mod tests {
    use super::run;

    #[test]
    fn an_unknown_benchmark_is_refused_before_anything_is_built() {
        let error = run(&["client".to_owned()]).expect_err("no such benchmark");
        assert!(
            error.to_string().contains("unknown benchmark client"),
            "{error}"
        );
    }
}

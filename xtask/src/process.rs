//! Running the project's commands: with the project-local tools first on PATH, echoed before they run.

use std::ffi::OsString;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, ExitStatus, Stdio};

use crate::error::Error;
use crate::paths;
use crate::tally::{Tally, parse_test_result_line};

/// Directories searched before the user's PATH: the project's own wasm-opt must shadow Debian's
/// (which breaks the app), and `cargo install` puts its tools in `$CARGO_HOME/bin`, which a cold
/// shell may not have on PATH yet.
pub fn tool_dirs() -> Vec<PathBuf> {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".cargo")));
    let mut dirs = vec![
        paths::tools_dir().join("binaryen/node_modules/.bin"),
        paths::tools_dir().join("esbuild/node_modules/.bin"),
    ];
    dirs.extend(cargo_home.map(|home| home.join("bin")));
    dirs
}

fn search_path() -> OsString {
    let user_path = std::env::var_os("PATH").unwrap_or_default();
    let dirs = tool_dirs()
        .into_iter()
        .chain(std::env::split_paths(&user_path));
    std::env::join_paths(dirs).unwrap_or(user_path)
}

/// A command that runs from the repository root with the project's tool PATH.
pub fn command(program: &str) -> Command {
    let mut cmd = Command::new(program);
    cmd.current_dir(paths::repo_root())
        .env("PATH", search_path());
    cmd
}

pub fn describe(cmd: &Command) -> String {
    let mut text = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

/// The trimmed output of a version query, or None when the program is absent or fails.
pub fn version_of(program: &str, args: &[&str]) -> Option<String> {
    let output = command(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .ok()?;
    if !output.status.success() {
        return None;
    }
    let stdout = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    if stdout.is_empty() {
        Some(String::from_utf8_lossy(&output.stderr).trim().to_owned())
    } else {
        Some(stdout)
    }
}

/// Runs a command with the terminal attached, after echoing it.
pub fn run(cmd: &mut Command) -> Result<ExitStatus, Error> {
    let shown = describe(cmd);
    println!("$ {shown}");
    cmd.status()
        .map_err(|e| Error::io(format!("could not start `{shown}`"), e))
}

/// Runs a command and fails unless it succeeds.
pub fn run_ok(cmd: &mut Command, step: &str) -> Result<(), Error> {
    let status = run(cmd)?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::Failed {
            step: step.to_owned(),
            status,
        })
    }
}

/// Runs a test command, passing its output through, and sums the `test result:` lines it prints.
pub fn run_counting_tests(cmd: &mut Command) -> Result<(ExitStatus, Tally), Error> {
    let shown = describe(cmd);
    println!("$ {shown}");
    let mut child = cmd
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| Error::io(format!("could not start `{shown}`"), e))?;
    let mut tally = Tally::default();
    if let Some(stdout) = child.stdout.take() {
        // Lossy lines: a test that prints invalid UTF-8 must not cut the count short.
        for line in BufReader::new(stdout).split(b'\n') {
            let line =
                line.map_err(|e| Error::io(format!("reading the output of `{shown}`"), e))?;
            let line = String::from_utf8_lossy(&line);
            println!("{line}");
            if let Some(result) = parse_test_result_line(&line) {
                tally += result;
            }
        }
    }
    let status = child
        .wait()
        .map_err(|e| Error::io(format!("waiting for `{shown}`"), e))?;
    Ok((status, tally))
}

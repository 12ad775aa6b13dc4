//! The tools the build and the suites need: how to tell whether each is present at the right
//! version, and how to install it. The facts behind each choice are in ../shared/TOOLCHAIN.md.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::process::Command;

use crate::contract::{self, SCHEMATHESIS_VERSION};
use crate::error::Error;
use crate::paths;
use crate::postgres;
use crate::process::{self, command, version_of};

/// npm's binaryen 132 ships `wasm-opt version_132`, the build the app's build runs.
/// Debian's binaryen (v108) breaks the app silently, so it never counts as present.
pub const BINARYEN_VERSION: &str = "132.0.0";
pub const WASM_OPT_VERSION: &str = "version_132";
/// npm's esbuild, which minifies the JS glue, the split loader, the start-up script and the
/// stylesheet of the app's build (a pinned version: the same input gives the same bytes).
pub const ESBUILD_VERSION: &str = "0.28.2";
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// Debian's fonts-noto-cjk: without a CJK font, the screenshots of the Chinese app (and any
/// Chinese a test renders) show empty boxes, and nobody can look at them as a seller would.
pub const CJK_FONT: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tool {
    Rustfmt,
    Clippy,
    WasmTarget,
    WasmBindgen,
    WasmOpt,
    /// esbuild, project-local from npm: the build's JS and CSS minifier.
    Esbuild,
    Chromium,
    E2ePackages,
    /// Python 3 with its `venv` module (Debian splits it into python3-venv).
    PythonVenv,
    /// Schemathesis, pinned, in a virtual environment under target/ (the contract suite).
    Schemathesis,
    /// Debian's PostgreSQL server programs (/usr/lib/postgresql/<major>/bin) and, for root, the
    /// `postgres` user that runs them: the throwaway clusters of src/postgres.rs.
    Postgres,
}

/// A tool that is still absent after an install attempt, with the way to install it by hand.
#[derive(Debug, Clone)]
pub struct Missing {
    pub what: String,
    pub found: Option<String>,
    pub by_hand: String,
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.what)?;
        if let Some(found) = &self.found {
            write!(f, " (found: {found})")?;
        }
        write!(f, "; install it by hand with: {}", self.by_hand)
    }
}

enum Presence {
    Present,
    /// Absent, or present at another version (shown to the user).
    Absent(Option<String>),
}

/// The wasm-bindgen version that Cargo.lock holds; wasm-bindgen-cli must equal it exactly.
pub fn locked_wasm_bindgen_version() -> Result<String, Error> {
    let lock_path = paths::repo_root().join("Cargo.lock");
    let lock = std::fs::read_to_string(&lock_path)
        .map_err(|e| Error::io(format!("reading {}", lock_path.display()), e))?;
    wasm_bindgen_version_in(&lock).ok_or_else(|| {
        Error::Project(
            "Cargo.lock holds no wasm-bindgen package; run `cargo check -p app` once".into(),
        )
    })
}

fn wasm_bindgen_version_in(lock: &str) -> Option<String> {
    lock.split("[[package]]").find_map(|entry| {
        let mut name = None;
        let mut version = None;
        for line in entry.lines() {
            if let Some(value) = line.strip_prefix("name = ") {
                name = Some(value.trim_matches('"'));
            } else if let Some(value) = line.strip_prefix("version = ") {
                version = Some(value.trim_matches('"'));
            }
        }
        (name == Some("wasm-bindgen")).then(|| version.map(str::to_owned))?
    })
}

fn is_root() -> bool {
    version_of("id", &["-u"]).as_deref() == Some("0")
}

impl Tool {
    fn what(&self) -> String {
        match self {
            Tool::Rustfmt => "rustfmt (cargo fmt)".into(),
            Tool::Clippy => "clippy (cargo clippy)".into(),
            Tool::WasmTarget => format!("the Rust target {WASM_TARGET}"),
            Tool::WasmBindgen => match locked_wasm_bindgen_version() {
                Ok(version) => format!("wasm-bindgen-cli {version} (equal to Cargo.lock)"),
                Err(_) => "wasm-bindgen-cli (equal to Cargo.lock)".into(),
            },
            Tool::WasmOpt => format!(
                "wasm-opt {WASM_OPT_VERSION} (npm binaryen@{BINARYEN_VERSION}, project-local)"
            ),
            Tool::Esbuild => format!("esbuild {ESBUILD_VERSION} (npm, project-local)"),
            Tool::Chromium => {
                format!(
                    "Debian's chromium and chromium-driver ({CHROMIUM}, {CHROMEDRIVER}), with fonts-noto-cjk ({CJK_FONT})"
                )
            }
            Tool::E2ePackages => "the end-to-end test packages (tests/e2e/node_modules)".into(),
            Tool::PythonVenv => "python3 with venv (Debian's python3 and python3-venv)".into(),
            Tool::Schemathesis => format!(
                "schemathesis {SCHEMATHESIS_VERSION} (PyPI, in {})",
                contract::venv_dir().display()
            ),
            Tool::Postgres => "Debian's postgresql (server programs and the postgres user)".into(),
        }
    }

    /// How long an install takes on a 2-core machine, so a cold start does not look hung.
    fn install_time(&self) -> &'static str {
        match self {
            Tool::Rustfmt | Tool::Clippy | Tool::WasmTarget => "seconds",
            Tool::WasmBindgen => "about 4-7 min",
            Tool::WasmOpt | Tool::Esbuild | Tool::E2ePackages => "seconds to a minute",
            Tool::Chromium => "about 90 s",
            Tool::PythonVenv => "about a minute",
            Tool::Schemathesis => "about a minute",
            Tool::Postgres => "about a minute",
        }
    }

    fn presence(&self) -> Result<Presence, Error> {
        Ok(match self {
            Tool::Rustfmt => present_if(version_of("cargo", &["fmt", "--version"]).is_some(), None),
            Tool::Clippy => present_if(
                version_of("cargo", &["clippy", "--version"]).is_some(),
                None,
            ),
            Tool::WasmTarget => {
                // Asking rustc (not rustup) also works where the toolchain was installed without rustup.
                let libdir = version_of(
                    "rustc",
                    &["--print", "target-libdir", "--target", WASM_TARGET],
                );
                let installed = libdir
                    .as_deref()
                    .and_then(|dir| std::fs::read_dir(dir).ok())
                    .is_some_and(|mut entries| entries.next().is_some());
                present_if(installed, None)
            }
            Tool::WasmBindgen => {
                let version = locked_wasm_bindgen_version()?;
                let cli = version_of("wasm-bindgen", &["--version"]);
                let runner = version_of("wasm-bindgen-test-runner", &["--version"]);
                let both = cli == Some(format!("wasm-bindgen {version}"))
                    && runner == Some(format!("wasm-bindgen-test-runner {version}"));
                present_if(both, cli)
            }
            Tool::WasmOpt => {
                let found = version_of("wasm-opt", &["--version"]);
                let right = found.as_deref().is_some_and(is_wasm_opt_132);
                present_if(right, found)
            }
            Tool::Esbuild => {
                let found = version_of("esbuild", &["--version"]);
                present_if(found.as_deref() == Some(ESBUILD_VERSION), found)
            }
            Tool::Chromium => present_if(
                Path::new(CHROMIUM).exists()
                    && Path::new(CHROMEDRIVER).exists()
                    && Path::new(CJK_FONT).exists(),
                None,
            ),
            Tool::E2ePackages => present_if(e2e_packages_current(), None),
            // `ensurepip` is what Debian's python3 lacks without python3-venv.
            Tool::PythonVenv => present_if(
                version_of("python3", &["-c", "import venv, ensurepip; print('ok')"]).as_deref()
                    == Some("ok"),
                version_of("python3", &["--version"]),
            ),
            Tool::Schemathesis => {
                let found = version_of(
                    &contract::schemathesis_binary().to_string_lossy(),
                    &["--version"],
                );
                let wanted = format!("schemathesis, version {SCHEMATHESIS_VERSION}");
                present_if(found.as_deref() == Some(wanted.as_str()), found)
            }
            Tool::Postgres => present_if(postgres::installed(), None),
        })
    }

    /// The install commands, in order; every one must succeed.
    fn install_commands(&self) -> Result<Vec<Command>, Error> {
        let mut commands = Vec::new();
        match self {
            Tool::Rustfmt => {
                commands.push(args(command("rustup"), &["component", "add", "rustfmt"]))
            }
            Tool::Clippy => commands.push(args(command("rustup"), &["component", "add", "clippy"])),
            Tool::WasmTarget => {
                commands.push(args(command("rustup"), &["target", "add", WASM_TARGET]))
            }
            Tool::WasmBindgen => {
                let version = locked_wasm_bindgen_version()?;
                commands.push(args(
                    command("cargo"),
                    &[
                        "install",
                        "--locked",
                        "wasm-bindgen-cli",
                        "--version",
                        &version,
                    ],
                ));
            }
            Tool::WasmOpt => {
                // npm creates the prefix folder itself.
                let prefix = paths::tools_dir().join("binaryen");
                let mut npm = command("npm");
                npm.args(["install", "--no-audit", "--no-fund", "--prefix"])
                    .arg(&prefix)
                    .arg(format!("binaryen@{BINARYEN_VERSION}"));
                commands.push(npm);
            }
            Tool::Esbuild => {
                let prefix = paths::tools_dir().join("esbuild");
                let mut npm = command("npm");
                npm.args(["install", "--no-audit", "--no-fund", "--prefix"])
                    .arg(&prefix)
                    .arg(format!("esbuild@{ESBUILD_VERSION}"));
                commands.push(npm);
            }
            Tool::Chromium => commands.extend(apt_install(&[
                "chromium",
                "chromium-driver",
                "fonts-noto-cjk",
            ])),
            Tool::PythonVenv => commands.extend(apt_install(&["python3", "python3-venv"])),
            // The metapackage pulls the current major (15 on Debian 12) with pg_trgm, and its
            // postgresql-common creates the `postgres` user. Debian's postinst also creates and
            // starts a system cluster on port 5432; the throwaway clusters never use it.
            Tool::Postgres => commands.extend(apt_install(&["postgresql"])),
            Tool::Schemathesis => {
                let venv = contract::venv_dir();
                let mut create = args(command("python3"), &["-m", "venv", "--clear"]);
                create.arg(&venv);
                commands.push(create);
                commands.push(args(
                    command(&venv.join("bin/pip").to_string_lossy()),
                    &[
                        "install",
                        "--disable-pip-version-check",
                        "--quiet",
                        &format!("schemathesis=={SCHEMATHESIS_VERSION}"),
                    ],
                ));
            }
            Tool::E2ePackages => {
                let mut npm = args(command("npm"), &["ci", "--no-audit", "--no-fund"]);
                npm.current_dir(paths::e2e_dir())
                    .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
                commands.push(npm);
            }
        }
        Ok(commands)
    }

    fn by_hand(&self) -> String {
        match self.install_commands() {
            Ok(commands) => {
                let mut text = commands
                    .iter()
                    .map(process::describe)
                    .collect::<Vec<_>>()
                    .join(" && ");
                if let Tool::E2ePackages = self {
                    text = format!("cd tests/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 {text}");
                }
                text
            }
            Err(e) => format!("(xtask could not work out the command: {e})"),
        }
    }
}

/// npm's binaryen prints `wasm-opt version 132 (version_132)`; Debian's prints `wasm-opt version 108`.
fn is_wasm_opt_132(version: &str) -> bool {
    version
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .any(|word| word == WASM_OPT_VERSION)
}

fn present_if(ok: bool, found: Option<String>) -> Presence {
    if ok {
        Presence::Present
    } else {
        Presence::Absent(found)
    }
}

/// `apt-get update`, then `apt-get install -y` of `packages`, through sudo unless already root.
fn apt_install(packages: &[&str]) -> [Command; 2] {
    let sudo: &[&str] = if is_root() { &[] } else { &["sudo"] };
    let apt = |apt_args: &[&str]| {
        let all: Vec<&str> = sudo.iter().chain(apt_args).copied().collect();
        args(command(all[0]), &all[1..])
    };
    let install: Vec<&str> = ["apt-get", "install", "-y"]
        .into_iter()
        .chain(packages.iter().copied())
        .collect();
    [apt(&["apt-get", "update"]), apt(&install)]
}

fn args(mut cmd: Command, list: &[&str]) -> Command {
    cmd.args(list);
    cmd
}

/// npm ci writes node_modules/.package-lock.json; it is current when it is newer than the lock file.
fn e2e_packages_current() -> bool {
    let dir = paths::e2e_dir();
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    match (
        modified(&dir.join("node_modules/.package-lock.json")),
        modified(&dir.join("package-lock.json")),
    ) {
        (Some(installed), Some(locked)) => {
            installed >= locked && dir.join("node_modules/.bin/playwright").exists()
        }
        _ => false,
    }
}

/// Checks and installs tools once per xtask run, remembering the outcome for every suite that asks.
#[derive(Default)]
pub struct Toolbox {
    known: HashMap<Tool, Result<(), Missing>>,
}

impl Toolbox {
    pub fn ensure(&mut self, tool: Tool) -> Result<(), Missing> {
        if let Some(known) = self.known.get(&tool) {
            return known.clone();
        }
        let outcome = ensure_now(tool);
        self.known.insert(tool, outcome.clone());
        outcome
    }

    /// Ensures every tool and returns all that are still missing.
    pub fn ensure_all(&mut self, tools: &[Tool]) -> Vec<Missing> {
        tools
            .iter()
            .filter_map(|&tool| self.ensure(tool).err())
            .collect()
    }
}

fn ensure_now(tool: Tool) -> Result<(), Missing> {
    let missing = |found: Option<String>| Missing {
        what: tool.what(),
        found,
        by_hand: tool.by_hand(),
    };
    let found = match tool.presence() {
        Ok(Presence::Present) => {
            println!("xtask: ok      {}", tool.what());
            return Ok(());
        }
        Ok(Presence::Absent(found)) => found,
        Err(e) => return Err(missing(Some(e.to_string()))),
    };
    if let Some(needs) = npm_needed(tool) {
        return Err(needs);
    }
    match &found {
        Some(other) => println!("xtask: wrong version of {}: found `{other}`", tool.what()),
        None => println!("xtask: missing {}", tool.what()),
    }
    println!(
        "xtask: installing {} (one-time, {})...",
        tool.what(),
        tool.install_time()
    );
    let started = std::time::Instant::now();
    let commands = tool
        .install_commands()
        .map_err(|e| missing(Some(e.to_string())))?;
    for mut cmd in commands {
        match process::run(&mut cmd) {
            Ok(status) if status.success() => {}
            Ok(status) => {
                println!("xtask: install step failed ({status})");
                return Err(missing(found));
            }
            Err(e) => {
                println!("xtask: {e}");
                return Err(missing(found));
            }
        }
    }
    match tool.presence() {
        Ok(Presence::Present) => {
            println!(
                "xtask: installed {} in {:.0?}",
                tool.what(),
                started.elapsed()
            );
            Ok(())
        }
        Ok(Presence::Absent(found)) => Err(missing(found)),
        Err(e) => Err(missing(Some(e.to_string()))),
    }
}

/// The npm-installed tools need Node.js and npm, which xtask does not install itself.
fn npm_needed(tool: Tool) -> Option<Missing> {
    if !matches!(tool, Tool::WasmOpt | Tool::Esbuild | Tool::E2ePackages)
        || version_of("npm", &["--version"]).is_some()
    {
        return None;
    }
    Some(Missing {
        what: format!("Node.js 20+ and npm (needed for {})", tool.what()),
        found: None,
        by_hand: "apt-get install -y nodejs npm   (or from https://nodejs.org)".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_wasm_bindgen_in_a_lock_file() {
        let lock = r#"
[[package]]
name = "wasm-bindgen-backend"
version = "0.2.100"

[[package]]
name = "wasm-bindgen"
version = "0.2.129"
source = "registry+https://github.com/rust-lang/crates.io-index"
"#;
        assert_eq!(wasm_bindgen_version_in(lock).as_deref(), Some("0.2.129"));
    }

    #[test]
    fn only_binaryen_132_counts_as_wasm_opt() {
        assert!(is_wasm_opt_132("wasm-opt version 132 (version_132)"));
        assert!(!is_wasm_opt_132("wasm-opt version 108"));
        assert!(!is_wasm_opt_132("wasm-opt version 132 (version_1320)"));
    }

    #[test]
    fn a_lock_file_without_wasm_bindgen_has_no_version() {
        let lock = "[[package]]\nname = \"serde\"\nversion = \"1.0.0\"\n";
        assert_eq!(wasm_bindgen_version_in(lock), None);
    }

    #[test]
    fn the_workspace_lock_file_holds_a_wasm_bindgen_version() {
        let version =
            locked_wasm_bindgen_version().expect("Cargo.lock is readable and holds wasm-bindgen");
        assert!(version.starts_with("0."), "unexpected version {version}");
    }
}

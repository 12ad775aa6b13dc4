//! Where the repository, the build output and the project-local tools live.

use std::path::{Path, PathBuf};

/// The repository root: xtask's manifest sits one level below it.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives inside the repository")
        .to_path_buf()
}

/// Cargo's target directory, honouring `CARGO_TARGET_DIR` as cargo itself does.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => repo_root().join(dir),
        None => repo_root().join("target"),
    }
}

/// Scratch space for xtask's own files (databases, logs).
pub fn xtask_dir() -> PathBuf {
    target_dir().join("xtask")
}

/// Tools installed for this project only, so they never clash with system packages.
pub fn tools_dir() -> PathBuf {
    target_dir().join("tools")
}

/// Screenshots, the Playwright report and server logs of the end-to-end run.
pub fn e2e_artifacts_dir() -> PathBuf {
    target_dir().join("e2e-artifacts")
}

pub fn e2e_dir() -> PathBuf {
    repo_root().join("tests").join("e2e")
}

pub fn dist_dir() -> PathBuf {
    repo_root().join("dist")
}

pub fn demo_fixture() -> PathBuf {
    repo_root()
        .join("crates")
        .join("server")
        .join("fixtures")
        .join("demo.json")
}

pub fn server_binary() -> PathBuf {
    target_dir()
        .join("release")
        .join(format!("server{}", std::env::consts::EXE_SUFFIX))
}

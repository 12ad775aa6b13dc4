//! Free space where the suites write, reported before they start.
//!
//! A full disk fails the suites far from its cause: a Playwright trace that cannot be written,
//! a server that cannot open its database. One line up front names the cause instead.

use std::path::Path;
use std::process::Command;

use crate::error::Error;

/// What a cold run of every suite leaves in the target directory, measured on a fresh clone
/// (debug, wasm and release builds, the tools, the e2e artifacts), with room to spare.
pub const COLD_RUN_NEEDS: u64 = 10 * GB;

const GB: u64 = 1_000_000_000;

/// Bytes free to this user on the file system that holds `path` (or its nearest existing parent).
pub fn free_bytes(path: &Path) -> Result<u64, Error> {
    let existing = path
        .ancestors()
        .find(|p| p.exists())
        .unwrap_or(Path::new("/"));
    // POSIX `df -P` keeps one line per file system, so the figures never wrap onto a second line.
    let out = Command::new("df")
        .args(["-P", "-k"])
        .arg(existing)
        .output()
        .map_err(|e| Error::io("running df", e))?;
    if !out.status.success() {
        return Err(Error::Project(format!(
            "df -P -k {} failed: {}",
            existing.display(),
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    available_kib(&String::from_utf8_lossy(&out.stdout))
        .map(|kib| kib * 1024)
        .ok_or_else(|| Error::Project("df printed no 'Available' figure".into()))
}

/// The "Available" column of `df -P -k`'s second line.
fn available_kib(df: &str) -> Option<u64> {
    df.lines().nth(1)?.split_whitespace().nth(3)?.parse().ok()
}

pub fn gigabytes(bytes: u64) -> String {
    format!("{}.{} GB", bytes / GB, bytes % GB / (GB / 10))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_available_column() {
        let df = "Filesystem     1024-blocks     Used Available Capacity Mounted on\n\
                  /dev/vda        263174212 35651252  60817536      37% /\n";
        assert_eq!(available_kib(df), Some(60_817_536));
    }

    #[test]
    fn a_missing_figure_is_none_not_zero() {
        assert_eq!(available_kib("Filesystem 1024-blocks Used\n"), None);
        assert_eq!(available_kib(""), None);
    }

    #[test]
    fn gigabytes_keep_one_decimal() {
        assert_eq!(gigabytes(7_250_000_000), "7.2 GB");
        assert_eq!(gigabytes(10 * GB), "10.0 GB");
    }

    #[test]
    fn the_target_directory_has_a_figure() {
        let free = free_bytes(&crate::paths::target_dir()).expect("df answers for the target");
        assert!(free > 0);
    }
}

//! BENCHMARKS.md is written by two drivers: the server's (`server-bench`, `## Server`) and the
//! app's (`cargo xtask bench app`, `## App`). Each replaces only its own section, so a run of one
//! never loses the other's figures.

use std::io;
use std::path::Path;

/// Replaces the section that starts with the line `heading` (up to the next `## ` heading) with
/// `section`, or appends `section` when the file has no such heading; the rest stays as it was.
pub fn write_section(path: &Path, heading: &str, section: &str) -> io::Result<()> {
    let existing = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => "# Benchmarks\n".to_owned(),
        Err(e) => return Err(e),
    };
    std::fs::write(path, replace_section(&existing, heading, section))
}

/// The text of [`write_section`], for a file read already.
pub fn replace_section(existing: &str, heading: &str, section: &str) -> String {
    let lines: Vec<&str> = existing.lines().collect();
    let start = lines.iter().position(|l| l.trim_end() == heading);
    let mut out: Vec<&str> = Vec::new();
    match start {
        Some(start) => {
            let end = lines[start + 1..]
                .iter()
                .position(|l| l.starts_with("## "))
                .map_or(lines.len(), |offset| start + 1 + offset);
            out.extend(&lines[..start]);
            out.push(section.trim_end());
            if end < lines.len() {
                out.push("");
                out.extend(&lines[end..]);
            }
        }
        None => {
            out.extend(&lines);
            while out.last().is_some_and(|l| l.trim().is_empty()) {
                out.pop();
            }
            out.push("");
            out.push(section.trim_end());
        }
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}

/// 10000 as "10,000": the figures are read by people.
pub fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// How a target reads in a table: a missed one stands out.
pub fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "**missed**" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn appends_the_section_when_missing() {
        let out = replace_section(
            "# Benchmarks\n\n## App\n\nsmall\n\n",
            "## Server",
            "## Server\n\nfast\n",
        );
        assert_eq!(
            out,
            "# Benchmarks\n\n## App\n\nsmall\n\n## Server\n\nfast\n"
        );
    }

    #[test]
    fn replaces_only_its_own_section() {
        let before = "# Benchmarks\n\n## Server\n\nold\n| x |\n\n## App\n\nsmall\n";
        let out = replace_section(before, "## Server", "## Server\n\nnew\n");
        assert_eq!(out, "# Benchmarks\n\n## Server\n\nnew\n\n## App\n\nsmall\n");
        let out = replace_section(before, "## App", "## App\n\nsmaller\n");
        assert_eq!(
            out,
            "# Benchmarks\n\n## Server\n\nold\n| x |\n\n## App\n\nsmaller\n"
        );
    }

    #[test]
    fn a_heading_is_matched_whole() {
        let before = "# B\n\n## Server side notes\n\nkeep\n";
        let out = replace_section(before, "## Server", "## Server\n\nnew\n");
        assert_eq!(
            out,
            "# B\n\n## Server side notes\n\nkeep\n\n## Server\n\nnew\n"
        );
    }

    #[test]
    fn writes_a_new_file_with_a_title() {
        let path = std::env::temp_dir().join(format!("benchmarks-md-{}.md", std::process::id()));
        let _ = std::fs::remove_file(&path);
        write_section(&path, "## App", "## App\n\nfirst\n").expect("a new file is written");
        write_section(&path, "## Server", "## Server\n\nsecond\n").expect("a section is added");
        let text = std::fs::read_to_string(&path).expect("the file is there");
        std::fs::remove_file(&path).expect("the scratch file is removed");
        assert_eq!(
            text,
            "# Benchmarks\n\n## App\n\nfirst\n\n## Server\n\nsecond\n"
        );
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1000), "1,000");
        assert_eq!(group(10_000), "10,000");
        assert_eq!(group(1_234_567), "1,234,567");
    }

    #[test]
    fn a_missed_target_stands_out() {
        assert_eq!(verdict(true), "met");
        assert_eq!(verdict(false), "**missed**");
    }
}

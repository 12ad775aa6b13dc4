//! Counting passed and failed tests and checks across suites, from the tools' own reports.

use std::ops::AddAssign;

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Tally {
    pub passed: u64,
    pub failed: u64,
}

impl Tally {
    /// A single check (fmt, one clippy run, a build step) counts as one test.
    pub fn check(ok: bool) -> Self {
        if ok {
            Tally {
                passed: 1,
                failed: 0,
            }
        } else {
            Tally {
                passed: 0,
                failed: 1,
            }
        }
    }

    pub fn is_ok(&self) -> bool {
        self.failed == 0
    }
}

impl AddAssign for Tally {
    fn add_assign(&mut self, other: Tally) {
        self.passed += other.passed;
        self.failed += other.failed;
    }
}

impl std::fmt::Display for Tally {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} passed, {} failed", self.passed, self.failed)
    }
}

/// Reads libtest's (and wasm-bindgen-test-runner's) closing line of one test binary:
/// `test result: ok. 12 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s`.
pub fn parse_test_result_line(line: &str) -> Option<Tally> {
    let rest = line.trim().strip_prefix("test result:")?;
    let words: Vec<&str> = rest
        .split(|c: char| c.is_whitespace() || c == ';' || c == '.')
        .filter(|w| !w.is_empty())
        .collect();
    let count_before = |label: &str| -> Option<u64> {
        let at = words.iter().position(|w| *w == label)?;
        words.get(at.checked_sub(1)?)?.parse().ok()
    };
    Some(Tally {
        passed: count_before("passed")?,
        failed: count_before("failed")?,
    })
}

/// Reads the totals of Playwright's JSON reporter. Flaky tests passed on a retry, so they count as passed.
pub fn parse_playwright_report(json: &str) -> Result<Tally, String> {
    let report: serde_json::Value = serde_json::from_str(json)
        .map_err(|e| format!("the Playwright report is not JSON: {e}"))?;
    let stat = |name: &str| -> Result<u64, String> {
        report["stats"][name]
            .as_u64()
            .ok_or_else(|| format!("the Playwright report has no stats.{name}"))
    };
    Ok(Tally {
        passed: stat("expected")? + stat("flaky")?,
        failed: stat("unexpected")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_passing_libtest_line() {
        let line = "test result: ok. 12 passed; 0 failed; 3 ignored; 0 measured; 0 filtered out; finished in 0.01s";
        assert_eq!(
            parse_test_result_line(line),
            Some(Tally {
                passed: 12,
                failed: 0
            })
        );
    }

    #[test]
    fn reads_a_failing_libtest_line() {
        let line = "test result: FAILED. 7 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out; finished in 1.50s";
        assert_eq!(
            parse_test_result_line(line),
            Some(Tally {
                passed: 7,
                failed: 2
            })
        );
    }

    #[test]
    fn reads_the_wasm_runner_line_without_measured() {
        let line =
            "test result: ok. 4 passed; 0 failed; 1 ignored; 0 filtered out; finished in 0.21s";
        assert_eq!(
            parse_test_result_line(line),
            Some(Tally {
                passed: 4,
                failed: 0
            })
        );
    }

    #[test]
    fn ignores_other_lines() {
        assert_eq!(
            parse_test_result_line("test eligibility::in_transit ... ok"),
            None
        );
        assert_eq!(parse_test_result_line("running 12 tests"), None);
    }

    #[test]
    fn reads_playwright_stats() {
        let json = r#"{"config":{},"suites":[],"stats":{"startTime":"x","duration":1.5,"expected":3,"skipped":1,"unexpected":1,"flaky":1}}"#;
        assert_eq!(
            parse_playwright_report(json),
            Ok(Tally {
                passed: 4,
                failed: 1
            })
        );
    }

    #[test]
    fn a_report_without_stats_is_an_error() {
        assert!(parse_playwright_report(r#"{"suites":[]}"#).is_err());
        assert!(parse_playwright_report("not json").is_err());
    }

    #[test]
    fn tallies_add_up() {
        let mut total = Tally::check(true);
        total += Tally::check(false);
        total += Tally {
            passed: 5,
            failed: 0,
        };
        assert_eq!(total.to_string(), "6 passed, 1 failed");
        assert!(!total.is_ok());
    }
}

//! The `## Server` section of BENCHMARKS.md: the figures, when and where they were measured, the targets.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use benchmarks_md::{group, verdict};

use crate::BenchError;
use crate::cancellations::Throughput;
use crate::latency::Latencies;
use crate::stats::millis;

const HEADING: &str = "## Server";
const LIST_P99_TARGET: Duration = Duration::from_millis(20);
const CANCELLATIONS_TARGET: f64 = 500.0;

/// Replaces the `## Server` section of BENCHMARKS.md, or appends it; the `## App` section stays.
pub fn write_section(path: &Path, section: &str) -> Result<(), BenchError> {
    benchmarks_md::write_section(path, HEADING, section)
        .map_err(BenchError::io(format!("writing {}", path.display())))
}

pub struct Figures {
    pub shipments: usize,
    pub load: Duration,
    /// What the server ran on, as the report says it ("a fresh SQLite file").
    pub database: String,
    pub latencies: Latencies,
    pub cancellations: Throughput,
    pub command: String,
}

impl Figures {
    pub fn section(&self) -> String {
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) -> std::fmt::Result {
        writeln!(out, "{HEADING}")?;
        writeln!(out)?;
        writeln!(
            out,
            "Measured {} on {}. Release build of `server`, {} shipments for one seller \
             (`server gen-fixture --shipments {}`), {} (loaded in {:.1} s), \
             loopback HTTP/1.1 with keep-alive; times are client-side, up to the last byte of the body.",
            chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
            machine(),
            group(self.shipments as u64),
            self.shipments,
            self.database,
            self.load.as_secs_f64(),
        )?;
        writeln!(out)?;
        writeln!(out, "Reproduce with `{}`.", self.command)?;
        writeln!(out)?;
        let all = self.latencies.all;
        let list_met = all.is_some_and(|s| s.p99 < LIST_P99_TARGET)
            && self.latencies.kinds.iter().all(|k| k.failures.is_empty());
        let over: Vec<&str> = self
            .latencies
            .kinds
            .iter()
            .filter(|k| k.summary.is_some_and(|s| s.p99 >= LIST_P99_TARGET))
            .map(|k| k.kind.describe())
            .collect();
        let kinds_note = if over.is_empty() {
            "every kind apart is under it too".to_owned()
        } else {
            format!("over it on their own: {}", over.join("; "))
        };
        writeln!(
            out,
            "**List pages**: one client, one request at a time, default page size (50), the kinds in \
             turn after a warm-up. Target: p99 under {} ms over all pages: {} ({kinds_note}).",
            LIST_P99_TARGET.as_millis(),
            verdict(list_met)
        )?;
        writeln!(out)?;
        writeln!(
            out,
            "| kind | requests | p50 ms | p95 ms | p99 ms | max ms | other than 200 |"
        )?;
        writeln!(out, "|---|---:|---:|---:|---:|---:|---|")?;
        for kind in &self.latencies.kinds {
            row(out, kind.kind.describe(), kind.summary, &kind.failures)?;
        }
        let failures: Vec<u16> = self
            .latencies
            .kinds
            .iter()
            .flat_map(|k| k.failures.iter().copied())
            .collect();
        row(out, "**all**", all, &failures)?;
        writeln!(out)?;

        let c = &self.cancellations;
        let rate = c.per_second();
        writeln!(
            out,
            "**Cancellations**: {} concurrent clients, each on its own distinct cancellable shipments \
             (newest first), each request with its own `Idempotency-Key` and the shipment's `If-Match` \
             version; only 200 and 202 count. Target: at least {} per second: {}.",
            c.clients,
            CANCELLATIONS_TARGET,
            verdict(rate >= CANCELLATIONS_TARGET && c.succeeded == c.attempted)
        )?;
        writeln!(out)?;
        writeln!(
            out,
            "| clients | sent | 200/202 | answers by status | seconds | per second | p50 ms | p99 ms |"
        )?;
        writeln!(out, "|---:|---:|---:|---|---:|---:|---:|---:|")?;
        let statuses = c
            .statuses
            .iter()
            .map(|(status, n)| format!("{status}: {n}"))
            .collect::<Vec<_>>()
            .join(", ");
        writeln!(
            out,
            "| {} | {} | {} | {} | {:.2} | {:.0} | {} | {} |",
            c.clients,
            c.attempted,
            c.succeeded,
            statuses,
            c.elapsed.as_secs_f64(),
            rate,
            c.latency.map(|s| millis(s.p50)).unwrap_or_default(),
            c.latency.map(|s| millis(s.p99)).unwrap_or_default(),
        )?;
        Ok(())
    }
}

fn row(
    out: &mut String,
    name: &str,
    summary: Option<crate::stats::Summary>,
    failures: &[u16],
) -> std::fmt::Result {
    let failures = if failures.is_empty() {
        "none".to_owned()
    } else {
        format!("{} ({:?})", failures.len(), failures)
    };
    match summary {
        Some(s) => writeln!(
            out,
            "| {name} | {} | {} | {} | {} | {} | {failures} |",
            s.count,
            millis(s.p50),
            millis(s.p95),
            millis(s.p99),
            millis(s.max)
        ),
        None => writeln!(out, "| {name} | 0 | | | | | {failures} |"),
    }
}

/// "2 cores (AMD EPYC …)", from what the system says.
pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_owned())
        });
    match model {
        Some(model) => format!("{cores} cores ({model}, {})", std::env::consts::OS),
        None => format!("{cores} cores ({})", std::env::consts::OS),
    }
}

//! The views that scale with the seller (issue 12), on the same 100,000-shipment server: the
//! history's first page, the CSV export (rows per second and the server's memory while it streams),
//! the tab counts, and a bulk cancellation of every matching shipment (pre-check, then batches).
//! Written to its own section of BENCHMARKS.md, `## Server: history, export, all matching`.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use benchmarks_md::{group, verdict};
use domain::api::matching;
use domain::wire::{
    BulkCancelRequest, BulkCancelResponse, MatchFilter, MatchingPrecheck, MatchingPrecheckRequest,
};
use domain::{HistoryPage, Reason, Status};

use crate::BenchError;
use crate::stats::{Summary, millis, summarize};

pub const HEADING: &str = "## Server: history, export, all matching";
const HISTORY_P99_TARGET: Duration = Duration::from_millis(20);
const WARM_UP: usize = 20;

/// The history pages measured, in turn.
const HISTORY_QUERIES: [&str; 5] = [
    "",
    "kind=cancelled_by_seller",
    "reason=customer_request",
    "initiator=carrier",
    "from=2026-11-01&to=2026-11-20",
];

pub struct Export {
    pub query: &'static str,
    pub rows: u64,
    pub bytes: u64,
    pub elapsed: Duration,
    /// The server's resident memory before the export and the most seen while it ran, in KiB.
    pub rss_before: u64,
    pub rss_peak: u64,
}

pub struct Bulk {
    pub matching: u64,
    pub eligible: usize,
    pub precheck: Duration,
    pub cancelled: usize,
    pub other: usize,
    pub batches: usize,
    pub elapsed: Duration,
}

pub struct ScaleFigures {
    pub shipments: usize,
    pub history_first: Option<Summary>,
    pub history_failures: usize,
    pub counts: Option<Summary>,
    pub exports: Vec<Export>,
    pub bulk: Bulk,
    pub command: String,
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmRSS:"))
                .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

async fn timed_gets(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    queries: &[&str],
    requests: usize,
) -> Result<(Option<Summary>, usize), BenchError> {
    let mut samples = Vec::new();
    let mut failures = 0;
    for i in 0..WARM_UP + requests {
        let query = queries[i % queries.len()];
        let started = Instant::now();
        let response = client
            .get(format!("{url}?{query}"))
            .bearer_auth(token)
            .send()
            .await?;
        let ok = response.status().is_success();
        response.bytes().await?;
        if i >= WARM_UP {
            if ok {
                samples.push(started.elapsed());
            } else {
                failures += 1;
            }
        }
    }
    Ok((summarize(&samples), failures))
}

async fn export(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    pid: u32,
    query: &'static str,
) -> Result<Export, BenchError> {
    let rss_before = rss_kib(pid);
    let started = Instant::now();
    let response = client
        .get(format!("{base}/api/v1/history/export.csv?{query}"))
        .bearer_auth(token)
        .send()
        .await?;
    if !response.status().is_success() {
        return Err(BenchError::Status {
            what: format!("the export ?{query}"),
            status: response.status().as_u16(),
        });
    }
    let mut response = response;
    let (mut bytes, mut rows, mut rss_peak) = (0u64, 0u64, rss_before);
    let mut sampled = Instant::now();
    while let Some(chunk) = response.chunk().await? {
        bytes += chunk.len() as u64;
        rows += chunk.iter().filter(|b| **b == b'\n').count() as u64;
        if sampled.elapsed() >= Duration::from_millis(5) {
            rss_peak = rss_peak.max(rss_kib(pid));
            sampled = Instant::now();
        }
    }
    let elapsed = started.elapsed();
    rss_peak = rss_peak.max(rss_kib(pid));
    Ok(Export {
        query,
        rows: rows.saturating_sub(1),
        bytes,
        elapsed,
        rss_before,
        rss_peak,
    })
}

async fn bulk(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    wanted: u32,
) -> Result<Bulk, BenchError> {
    let request = MatchingPrecheckRequest {
        filter: MatchFilter {
            status: vec![
                Status::AwaitingPackaging,
                Status::AwaitingShipment,
                Status::ReadyForShipment,
            ],
            ..MatchFilter::default()
        },
        reason: Reason::CustomerRequest,
        comment: None,
        limit: wanted,
    };
    let started = Instant::now();
    let response = client
        .post(format!("{base}/api/v1/shipments/cancel/precheck"))
        .bearer_auth(token)
        .json(&request)
        .send()
        .await?;
    if !response.status().is_success() {
        return Err(BenchError::Status {
            what: "the pre-check".into(),
            status: response.status().as_u16(),
        });
    }
    let precheck: MatchingPrecheck = response.json().await?;
    let precheck_took = started.elapsed();
    let started = Instant::now();
    let (mut cancelled, mut other, mut batches) = (0, 0, 0);
    for (i, batch) in precheck.eligible.chunks(matching::BATCH).enumerate() {
        let body = BulkCancelRequest {
            posting_numbers: batch.iter().map(|s| s.posting_number.clone()).collect(),
            versions: Some(batch.iter().map(|s| s.version).collect()),
            reason: Reason::CustomerRequest,
            comment: None,
        };
        let response = client
            .post(format!("{base}/api/v1/shipments/cancel"))
            .bearer_auth(token)
            .header("Idempotency-Key", format!("bench-all-matching-{i}"))
            .json(&body)
            .send()
            .await?;
        if !response.status().is_success() {
            return Err(BenchError::Status {
                what: format!("bulk batch {i}"),
                status: response.status().as_u16(),
            });
        }
        let answer: BulkCancelResponse = response.json().await?;
        batches += 1;
        for result in answer.results {
            if matches!(
                result.outcome,
                domain::wire::BulkOutcome::Cancelled | domain::wire::BulkOutcome::Requested
            ) {
                cancelled += 1;
            } else {
                other += 1;
            }
        }
    }
    Ok(Bulk {
        matching: precheck.matching,
        eligible: precheck.eligible.len(),
        precheck: precheck_took,
        cancelled,
        other,
        batches,
        elapsed: started.elapsed(),
    })
}

/// Runs every measurement of this section against a running server.
pub async fn measure(
    base: &str,
    pid: u32,
    shipments: usize,
    requests: usize,
    command: String,
) -> Result<ScaleFigures, BenchError> {
    let client = reqwest::Client::new();
    let token = crate::spawn::dev_token(&client, base).await?;
    let history_url = format!("{base}/api/v1/history");
    let first: HistoryPage = client
        .get(&history_url)
        .bearer_auth(&token)
        .send()
        .await?
        .json()
        .await?;
    eprintln!(
        "history: {} entries; measuring {requests} first pages",
        first.total
    );
    let (history_first, history_failures) =
        timed_gets(&client, &history_url, &token, &HISTORY_QUERIES, requests).await?;
    eprintln!("measuring {requests} tab counts");
    let (counts, _) = timed_gets(
        &client,
        &format!("{base}/api/v1/shipments/counts"),
        &token,
        &["", "delivery=partner", "q=phone"],
        requests / 4,
    )
    .await?;
    let mut exports = Vec::new();
    eprintln!("exporting the carrier's part of the history");
    exports.push(export(&client, base, &token, pid, "initiator=carrier").await?);
    eprintln!("cancelling every matching shipment before handover (up to 5,000)");
    let bulk = bulk(&client, base, &token, 5_000).await?;
    eprintln!("exporting the whole history");
    exports.push(export(&client, base, &token, pid, "").await?);
    Ok(ScaleFigures {
        shipments,
        history_first,
        history_failures,
        counts,
        exports,
        bulk,
        command,
    })
}

impl ScaleFigures {
    pub fn section(&self) -> String {
        let mut out = String::new();
        let _ = self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) -> std::fmt::Result {
        writeln!(out, "{HEADING}")?;
        writeln!(out)?;
        writeln!(
            out,
            "Measured {} on {}, release build, {} shipments for one seller (`server gen-fixture \
             --shipments {}`), loopback HTTP/1.1; times are client-side up to the last byte, so \
             they bound the server's own time from above. Reproduce with `{}`.",
            chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
            crate::report::machine(),
            group(self.shipments as u64),
            self.shipments,
            self.command
        )?;
        writeln!(out)?;
        let met = self
            .history_first
            .is_some_and(|s| s.p99 < HISTORY_P99_TARGET)
            && self.history_failures == 0;
        writeln!(
            out,
            "**History, first page** (`GET /history`, 50 entries, with its total; no filter, a kind, a \
             reason, the initiator, a date range in turn). Target: p99 under {} ms: {}.",
            HISTORY_P99_TARGET.as_millis(),
            verdict(met)
        )?;
        writeln!(out)?;
        writeln!(
            out,
            "| requests | p50 ms | p95 ms | p99 ms | max ms | failed |"
        )?;
        writeln!(out, "|---:|---:|---:|---:|---:|---:|")?;
        summary_row(out, self.history_first, self.history_failures)?;
        writeln!(out)?;
        writeln!(
            out,
            "**Tab counts in one request** (`GET /shipments/counts`, no filter, a delivery method, a \
             search), replacing seven `limit=1` list requests:"
        )?;
        writeln!(out)?;
        writeln!(
            out,
            "| requests | p50 ms | p95 ms | p99 ms | max ms | failed |"
        )?;
        writeln!(out, "|---:|---:|---:|---:|---:|---:|")?;
        summary_row(out, self.counts, 0)?;
        writeln!(out)?;
        writeln!(
            out,
            "**CSV export** (`GET /history/export.csv`), streamed in batches of 1,000 rows. The \
             server's resident memory is sampled every 5 ms while the body arrives: it must not grow \
             with the number of rows."
        )?;
        writeln!(out)?;
        writeln!(
            out,
            "| filter | rows | bytes | seconds | rows per second | server RSS before, MiB | peak during, MiB | growth, MiB |"
        )?;
        writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---:|")?;
        for e in &self.exports {
            let secs = e.elapsed.as_secs_f64().max(f64::EPSILON);
            writeln!(
                out,
                "| {} | {} | {} | {:.2} | {} | {:.1} | {:.1} | {:.1} |",
                if e.query.is_empty() {
                    "none (the whole history)"
                } else {
                    e.query
                },
                group(e.rows),
                group(e.bytes),
                secs,
                group((e.rows as f64 / secs) as u64),
                e.rss_before as f64 / 1024.0,
                e.rss_peak as f64 / 1024.0,
                e.rss_peak.saturating_sub(e.rss_before) as f64 / 1024.0,
            )?;
        }
        writeln!(out)?;
        let b = &self.bulk;
        let secs = b.elapsed.as_secs_f64().max(f64::EPSILON);
        writeln!(
            out,
            "**Bulk cancellation of every matching shipment** (`customer_request`, the statuses \
             before handover, limit 5,000): one pre-check (`POST /shipments/cancel/precheck`), then \
             the eligible shipments in batches of {} to `POST /shipments/cancel` with their versions, \
             one after another, as the app sends them.",
            matching::BATCH
        )?;
        writeln!(out)?;
        writeln!(
            out,
            "| matching | eligible | pre-check ms | batches | cancelled | other outcomes | seconds | cancellations per second |"
        )?;
        writeln!(out, "|---:|---:|---:|---:|---:|---:|---:|---:|")?;
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {:.2} | {:.0} |",
            group(b.matching),
            group(b.eligible as u64),
            millis(b.precheck),
            b.batches,
            group(b.cancelled as u64),
            b.other,
            secs,
            b.cancelled as f64 / secs
        )?;
        writeln!(out)?;
        Ok(())
    }
}

fn summary_row(out: &mut String, summary: Option<Summary>, failed: usize) -> std::fmt::Result {
    match summary {
        Some(s) => writeln!(
            out,
            "| {} | {} | {} | {} | {} | {failed} |",
            s.count,
            millis(s.p50),
            millis(s.p95),
            millis(s.p99),
            millis(s.max)
        ),
        None => writeln!(out, "| 0 | – | – | – | – | {failed} |"),
    }
}

//! `cargo xtask bench app`: the app's first-load transfer and, with 10,000 shipments in the server,
//! the time to the first rows and from a keystroke in search to its painted result, written into the
//! `## App` section of BENCHMARKS.md. The browser half is tests/e2e/bench/app.mjs; it only measures,
//! and the statistics and the report are made here.

use std::fmt::Write as _;

use benchmarks_md::{group, verdict};
use serde_json::Value;

use crate::error::Error;
use crate::paths;
use crate::process::{self, command};
use crate::server::{self, Log, Server};
use crate::toolchain::{Tool, Toolbox};

const TOOLS: [Tool; 5] = [
    Tool::WasmTarget,
    Tool::WasmBindgen,
    Tool::WasmOpt,
    Tool::Chromium,
    Tool::E2ePackages,
];

/// The shipments in the server while the browser measures, unless `--shipments N` says otherwise
/// (the views whose work grows with the seller are measured at 100,000 too).
const SHIPMENTS: u32 = 10_000;

/// Takes `--shipments N` out of the driver's arguments: it sizes the server, not the browser.
fn shipments_arg(extra: &[String]) -> Result<(u32, Vec<String>), Error> {
    let mut rest = Vec::new();
    let mut shipments = SHIPMENTS;
    let mut args = extra.iter();
    while let Some(arg) = args.next() {
        if arg == "--shipments" {
            let value = args
                .next()
                .ok_or_else(|| Error::Project("--shipments needs a number".into()))?;
            shipments =
                value.parse().ok().filter(|&n: &u32| n > 0).ok_or_else(|| {
                    Error::Project(format!("--shipments {value:?} is not a count"))
                })?;
        } else {
            rest.push(arg.clone());
        }
    }
    Ok((shipments, rest))
}
/// The issue's targets.
const TRANSFER_TARGET_KB: f64 = 160.0;
const KEYSTROKE_TARGET_MS: f64 = 16.0;
/// The most API requests the list or the history makes at boot (issue 12).
const BOOT_REQUESTS_TARGET: u32 = 6;
const HEADING: &str = "## App";

pub fn run(extra: &[String]) -> Result<(), Error> {
    let (shipments, extra) = shipments_arg(extra)?;
    let extra = extra.as_slice();
    let missing = Toolbox::default().ensure_all(&TOOLS);
    if !missing.is_empty() {
        return Err(Error::Missing(missing));
    }
    // Read before the build starts, so the figure says how busy the machine was, not the build;
    // only Linux has the file, and elsewhere the report just leaves the load out.
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|text| text.split_whitespace().next().map(str::to_owned));
    server::build_app()?;
    server::build_server()?;

    let dir = paths::xtask_dir();
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    let fixture = dir.join(format!("bench-app-{shipments}.json"));
    process::run_ok(
        command(&paths::server_binary().to_string_lossy())
            .arg("gen-fixture")
            .arg("--shipments")
            .arg(shipments.to_string())
            .arg("--out")
            .arg(&fixture),
        "server gen-fixture",
    )?;
    let db = server::fresh_db("bench-app")?;
    let log = dir.join("bench-app-server.log");
    let server = Server::start_seeded(
        &fixture,
        server::free_port()?,
        None,
        &db,
        Log::File(log.clone()),
    )?;
    println!(
        "xtask: server with {shipments} shipments at {} (log: {})",
        server.url,
        log.display()
    );

    let samples_path = dir.join("bench-app.json");
    let e2e = paths::e2e_dir();
    let mut driver = command("node");
    driver
        .current_dir(&e2e)
        .arg(e2e.join("bench").join("app.mjs"))
        .arg("--url")
        .arg(&server.url)
        .arg("--dist")
        .arg(paths::dist_dir())
        .arg("--out")
        .arg(&samples_path)
        .args(extra);
    let status = process::run_ok(&mut driver, "the app benchmark (tests/e2e/bench/app.mjs)");
    drop(server);
    status?;

    let text = std::fs::read_to_string(&samples_path)
        .map_err(|e| Error::io(format!("reading {}", samples_path.display()), e))?;
    let samples = Samples::parse(&text).map_err(Error::Project)?;
    let section = section(&samples, &Context::now(load, shipments)?)?;
    println!("{section}");
    let markdown = paths::repo_root().join("BENCHMARKS.md");
    benchmarks_md::write_section(&markdown, HEADING, &section)
        .map_err(|e| Error::io(format!("writing {}", markdown.display()), e))?;
    println!(
        "xtask: updated the {HEADING} section of {}",
        markdown.display()
    );
    Ok(())
}

/// One file of the first load.
#[derive(Debug, Clone, PartialEq)]
pub struct Asset {
    pub name: String,
    pub kind: String,
    pub raw: u64,
    /// Brotli at quality 11: the size of a precompressed `.br` beside the file.
    pub brotli: u64,
    /// The bytes the server sent to a browser accepting brotli, and their encoding.
    pub served: u64,
    pub served_encoding: String,
}

/// One keystroke in the search box, in milliseconds from the key event.
#[derive(Debug, Clone, PartialEq)]
pub struct Keystroke {
    /// The paint from which the rows shown were the result, as the server's answer confirmed.
    pub painted: f64,
    /// The paint of the server's answer.
    pub confirmed: f64,
    /// When the list request went out, and when its answer was in; absent when the browser did not
    /// report the request.
    pub request: Option<(f64, f64)>,
}

/// What the browser driver measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Samples {
    pub browser: String,
    pub assets: Vec<Asset>,
    pub first_rows: Vec<f64>,
    /// API requests the list page made at boot, per load.
    pub list_requests: Vec<f64>,
    /// The history page's time to its first rows, and its API requests at boot, per load.
    pub history_first_rows: Vec<f64>,
    pub history_requests: Vec<f64>,
    pub keystrokes: Vec<Keystroke>,
}

impl Samples {
    pub fn parse(text: &str) -> Result<Samples, String> {
        let json: Value = serde_json::from_str(text)
            .map_err(|e| format!("the app benchmark's samples are not JSON: {e}"))?;
        let field = |value: &Value, name: &str| -> Result<Value, String> {
            value
                .get(name)
                .cloned()
                .ok_or_else(|| format!("the app benchmark's samples lack `{name}`"))
        };
        let number = |value: &Value, name: &str| -> Result<f64, String> {
            field(value, name)?
                .as_f64()
                .ok_or_else(|| format!("`{name}` in the app benchmark's samples is not a number"))
        };
        let text = |value: &Value, name: &str| -> Result<String, String> {
            field(value, name)?
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("`{name}` in the app benchmark's samples is not a string"))
        };
        let list = |value: &Value, name: &str| -> Result<Vec<Value>, String> {
            field(value, name)?
                .as_array()
                .cloned()
                .ok_or_else(|| format!("`{name}` in the app benchmark's samples is not a list"))
        };
        let assets = list(&json, "assets")?
            .iter()
            .map(|asset| {
                Ok(Asset {
                    name: text(asset, "name")?,
                    kind: text(asset, "kind")?,
                    raw: number(asset, "raw")? as u64,
                    brotli: number(asset, "brotli")? as u64,
                    served: number(asset, "served")? as u64,
                    served_encoding: text(asset, "served_encoding")?,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        let first_rows = list(&json, "first_rows_ms")?
            .iter()
            .map(|ms| {
                ms.as_f64()
                    .ok_or_else(|| "a time to the first rows is not a number".to_owned())
            })
            .collect::<Result<Vec<_>, String>>()?;
        // Older samples lack the boot figures: they read as none.
        let numbers = |name: &str| -> Result<Vec<f64>, String> {
            match json.get(name) {
                None => Ok(Vec::new()),
                Some(_) => list(&json, name)?
                    .iter()
                    .map(|n| {
                        n.as_f64()
                            .ok_or_else(|| format!("a value of `{name}` is not a number"))
                    })
                    .collect(),
            }
        };
        let list_requests = numbers("list_requests")?;
        let history_first_rows = numbers("history_first_rows_ms")?;
        let history_requests = numbers("history_requests")?;
        let keystrokes = list(&json, "keystrokes")?
            .iter()
            .map(|key| {
                let request = match key.get("request") {
                    None | Some(Value::Null) => None,
                    Some(_) => {
                        let request = field(key, "request")?;
                        Some((number(&request, "sent")?, number(&request, "answered")?))
                    }
                };
                Ok(Keystroke {
                    painted: number(key, "ms")?,
                    confirmed: number(key, "confirmed")?,
                    request,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        if first_rows.is_empty() || keystrokes.is_empty() || assets.is_empty() {
            return Err(
                "the app benchmark measured nothing (no loads, keystrokes or files)".into(),
            );
        }
        Ok(Samples {
            browser: text(&json, "browser")?,
            assets,
            first_rows,
            list_requests,
            history_first_rows,
            history_requests,
            keystrokes,
        })
    }
}

/// The nearest-rank percentile `p` (0–100] of `samples`; `None` for none.
pub fn percentile(samples: &[f64], p: f64) -> Option<f64> {
    let mut sorted = samples.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.clamp(1, sorted.len().max(1)) - 1).copied()
}

/// Median, p95 and the extremes of a set of times.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub count: usize,
    pub median: f64,
    pub p95: f64,
    pub min: f64,
    pub max: f64,
}

impl Summary {
    pub fn of(samples: &[f64]) -> Option<Summary> {
        Some(Summary {
            count: samples.len(),
            median: percentile(samples, 50.0)?,
            p95: percentile(samples, 95.0)?,
            min: percentile(samples, 0.0)?,
            max: percentile(samples, 100.0)?,
        })
    }
}

/// When and where the figures were measured.
pub struct Context {
    pub when: String,
    pub cores: usize,
    pub load: Option<String>,
    /// The shipments in the server.
    pub shipments: u32,
}

impl Context {
    fn now(load: Option<String>, shipments: u32) -> Result<Context, Error> {
        let when = process::version_of("date", &["-u", "+%Y-%m-%d %H:%M UTC"])
            .ok_or_else(|| Error::Project("`date -u` did not answer".into()))?;
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Ok(Context {
            when,
            cores,
            load,
            shipments,
        })
    }
}

fn kb(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / 1000.0)
}

/// The `## App` section: the figures with what each one measures and the command behind it.
pub fn section(samples: &Samples, context: &Context) -> Result<String, Error> {
    let mut out = String::new();
    write_section_text(&mut out, samples, context)
        .map_err(|e| Error::Project(format!("writing the {HEADING} section: {e}")))?;
    Ok(out)
}

fn write_section_text(out: &mut String, samples: &Samples, context: &Context) -> std::fmt::Result {
    writeln!(out, "{HEADING}\n")?;
    write!(
        out,
        "Measured {} on {} cores ({}",
        context.when,
        context.cores,
        std::env::consts::OS
    )?;
    if let Some(load) = &context.load {
        write!(out, ", load average {load} at the start")?;
    }
    writeln!(
        out,
        "), {}, headless. The app is the release Trunk build (`trunk build --release`: profile \
         `wasm-release`, wasm-opt as index.html says); the server is the release build with {} \
         generated shipments for the demo seller (`server gen-fixture --shipments {}`) on a \
         fresh SQLite file, over loopback.\n",
        samples.browser,
        group(u64::from(context.shipments)),
        context.shipments,
    )?;
    let command = if context.shipments == SHIPMENTS {
        "cargo xtask bench app".to_owned()
    } else {
        format!("cargo xtask bench app -- --shipments {}", context.shipments)
    };
    writeln!(
        out,
        "Reproduce with `{command}` (driver: `tests/e2e/bench/app.mjs`; `--loads 10 --keys 100` are \
         the defaults, `--shipments {SHIPMENTS}` the server's).\n"
    )?;

    let total = |pick: fn(&Asset) -> u64| samples.assets.iter().map(pick).sum::<u64>();
    let brotli_total = total(|a| a.brotli);
    writeln!(
        out,
        "**First-load transfer**: the files index.html loads, in KB of 1,000 bytes. *brotli* is quality 11, \
         the size of the precompressed `.br` file that xtask's build writes beside each JS, wasm and CSS \
         file and the server sends in its place (`ServeDir::precompressed_br`; without it the server \
         compresses on the fly at quality 4); *served* is what it sent in this run to a client accepting \
         brotli. Target: at most {TRANSFER_TARGET_KB:.0} KB brotli in all: {}.\n",
        verdict(brotli_total as f64 / 1000.0 <= TRANSFER_TARGET_KB)
    )?;
    writeln!(out, "| file | raw KB | brotli KB | served KB |")?;
    writeln!(out, "|---|---:|---:|---:|")?;
    for asset in &samples.assets {
        writeln!(
            out,
            "| {} (`{}`) | {} | {} | {} ({}) |",
            kind_label(&asset.kind),
            asset.name,
            kb(asset.raw),
            kb(asset.brotli),
            kb(asset.served),
            asset.served_encoding
        )?;
    }
    writeln!(
        out,
        "| **total** | {} | **{}** | {} |\n",
        kb(total(|a| a.raw)),
        kb(brotli_total),
        kb(total(|a| a.served))
    )?;

    writeln!(
        out,
        "**Time to the first rows**: from navigation start to the paint of the frame that first shows shipment \
         rows, each load in a fresh browser context (an empty cache, as on a first visit). It includes \
         fetching and compiling the wasm, the sign-in, and the first page of 50 shipments.\n"
    )?;
    writeln!(out, "| loads | median ms | p95 ms | min ms | max ms |")?;
    writeln!(out, "|---:|---:|---:|---:|---:|")?;
    if let Some(s) = Summary::of(&samples.first_rows) {
        writeln!(
            out,
            "| {} | {:.0} | {:.0} | {:.0} | {:.0} |\n",
            s.count, s.median, s.p95, s.min, s.max
        )?;
    }

    if let (Some(list), Some(history)) = (
        Summary::of(&samples.first_rows),
        Summary::of(&samples.history_first_rows),
    ) {
        let most = |requests: &[f64]| requests.iter().copied().fold(0.0, f64::max);
        let (list_most, history_most) = (
            most(&samples.list_requests),
            most(&samples.history_requests),
        );
        writeln!(
            out,
            "**The history beside the list** (issue 12): the same loads open `/history` too, \
             whose first rows are a page of 50 cancellations from `GET /history` (the server holds \
             the seller's whole history; the app asks for one page). *Requests at boot* are the \
             API requests a page makes until it shows its rows and its counts and none is in \
             flight (the event stream counted once). Targets: the history's first rows within 1.5 \
             × the list's (median), at most {BOOT_REQUESTS_TARGET} requests at boot for each page: \
             {}.\n",
            verdict(
                history.median <= 1.5 * list.median
                    && list_most <= BOOT_REQUESTS_TARGET as f64
                    && history_most <= BOOT_REQUESTS_TARGET as f64
            )
        )?;
        writeln!(
            out,
            "| page | loads | first rows, median ms | p95 ms | requests at boot (most) |"
        )?;
        writeln!(out, "|---|---:|---:|---:|---:|")?;
        writeln!(
            out,
            "| list `/` | {} | {:.0} | {:.0} | {list_most:.0} |",
            list.count, list.median, list.p95
        )?;
        writeln!(
            out,
            "| history `/history` | {} | {:.0} | {:.0} | {history_most:.0} |\n",
            history.count, history.median, history.p95
        )?;
    }

    let painted: Vec<f64> = samples.keystrokes.iter().map(|k| k.painted).collect();
    let Some(keys) = Summary::of(&painted) else {
        return Ok(());
    };
    let at_once = samples
        .keystrokes
        .iter()
        .filter(|k| k.request.is_some_and(|(_, answered)| k.painted < answered))
        .count();
    writeln!(
        out,
        "**Keystroke in search to the painted result**: from the key event's own timestamp to the paint of \
         the first frame from which the table shows the result for the new text: rows that the server's \
         answer then confirms, in its order, at least a screenful of them (all, when fewer match), with no \
         later frame showing anything else. The app shows a longer search's rows at once by narrowing the \
         rows it has, and an earlier search's (after Backspace) from its answer a moment ago; every \
         keystroke still asks the server, and a frame counts only if the server's answer agrees with it. \
         Each word of a product name gets its first 3 letters at once (shorter searches match almost \
         nothing), then one key at a time to its end and Backspace back to 3 letters; each key is pressed \
         once the previous answer is in, so this is the latency of one keystroke, not of a burst. Target: \
         a median under {KEYSTROKE_TARGET_MS:.0} ms: {}.\n",
        verdict(keys.median < KEYSTROKE_TARGET_MS)
    )?;
    writeln!(out, "| keystrokes | median ms | p95 ms | min ms | max ms |")?;
    writeln!(out, "|---:|---:|---:|---:|---:|")?;
    writeln!(
        out,
        "| {} | {:.1} | {:.1} | {:.1} | {:.1} |\n",
        keys.count, keys.median, keys.p95, keys.min, keys.max
    )?;
    writeln!(
        out,
        "{at_once} of the {} keystrokes had their result painted before the server's answer was in.\n",
        keys.count
    )?;

    // The server's side of each keystroke, which the result no longer waits for when it is shown at once.
    let confirmed: Vec<f64> = samples.keystrokes.iter().map(|k| k.confirmed).collect();
    let timed: Vec<[f64; 2]> = samples
        .keystrokes
        .iter()
        .filter_map(|k| k.request.map(|(sent, answered)| [sent, answered - sent]))
        .collect();
    writeln!(out, "| part | median ms | p95 ms |")?;
    writeln!(out, "|---|---:|---:|")?;
    let parts: [(&str, Vec<f64>); 3] = [
        (
            "key event to the list request sent (after the paint, when the rows were shown at once)",
            timed.iter().map(|t| t[0]).collect(),
        ),
        (
            "the request: loopback, the server's search, the answer's bytes",
            timed.iter().map(|t| t[1]).collect(),
        ),
        ("key event to the painted server's answer", confirmed),
    ];
    for (label, part) in parts {
        if let Some(s) = Summary::of(&part) {
            writeln!(out, "| {label} | {:.1} | {:.1} |", s.median, s.p95)?;
        }
    }
    Ok(())
}

fn kind_label(kind: &str) -> &str {
    match kind {
        "html" => "HTML",
        "js" => "JS",
        "wasm" => "wasm",
        "css" => "CSS",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_nearest_rank() {
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(percentile(&ten, 50.0), Some(5.0));
        assert_eq!(percentile(&ten, 95.0), Some(10.0));
        assert_eq!(percentile(&ten, 0.0), Some(1.0));
        assert_eq!(percentile(&ten, 100.0), Some(10.0));
        let hundred: Vec<f64> = (1..=100).rev().map(f64::from).collect();
        assert_eq!(percentile(&hundred, 50.0), Some(50.0));
        assert_eq!(percentile(&hundred, 95.0), Some(95.0));
        assert_eq!(percentile(&[7.5], 95.0), Some(7.5));
        assert_eq!(percentile(&[], 50.0), None);
    }

    #[test]
    fn a_summary_of_unsorted_times() {
        let s = Summary::of(&[30.0, 10.0, 20.0]).expect("three samples");
        assert_eq!(
            (s.count, s.median, s.p95, s.min, s.max),
            (3, 20.0, 30.0, 10.0, 30.0)
        );
        assert_eq!(Summary::of(&[]), None);
    }

    const SAMPLES: &str = r#"{
        "browser": "Chromium 156",
        "assets": [
            {"name": "index.html", "kind": "html", "raw": 1065, "brotli": 522, "served": 631, "served_encoding": "br"},
            {"name": "app_bg.wasm", "kind": "wasm", "raw": 870640, "brotli": 150000, "served": 323527, "served_encoding": "br"}
        ],
        "first_rows_ms": [500.5, 700.25, 600],
        "keystrokes": [
            {"key": "e", "ms": 4, "confirmed": 9, "rows": 50, "request": {"sent": 2, "answered": 6}},
            {"key": "t", "ms": 20, "confirmed": 20, "rows": 50, "request": null}
        ]
    }"#;

    #[test]
    fn reads_the_drivers_samples() {
        let samples = Samples::parse(SAMPLES).expect("valid samples");
        assert_eq!(samples.browser, "Chromium 156");
        assert_eq!(samples.assets.len(), 2);
        assert_eq!(samples.assets[1].served, 323_527);
        assert_eq!(samples.first_rows, vec![500.5, 700.25, 600.0]);
        assert_eq!(
            samples.keystrokes,
            vec![
                Keystroke {
                    painted: 4.0,
                    confirmed: 9.0,
                    request: Some((2.0, 6.0))
                },
                Keystroke {
                    painted: 20.0,
                    confirmed: 20.0,
                    request: None
                },
            ]
        );
    }

    #[test]
    fn refuses_samples_that_measured_nothing_or_lack_a_field() {
        let empty = SAMPLES.replace("[500.5, 700.25, 600]", "[]");
        assert!(
            Samples::parse(&empty)
                .unwrap_err()
                .contains("measured nothing")
        );
        let no_browser = SAMPLES.replace("\"browser\"", "\"engine\"");
        assert!(
            Samples::parse(&no_browser)
                .unwrap_err()
                .contains("`browser`")
        );
        assert!(Samples::parse("not json").is_err());
    }

    #[test]
    fn the_section_has_the_totals_the_verdicts_and_the_command() {
        let samples = Samples::parse(SAMPLES).expect("valid samples");
        let context = Context {
            when: "2026-11-26 10:00 UTC".into(),
            cores: 2,
            load: Some("1.50".into()),
            shipments: SHIPMENTS,
        };
        let text = section(&samples, &context).expect("a String takes any text");
        assert!(text.starts_with("## App\n"), "{text}");
        assert!(text.contains("load average 1.50"), "{text}");
        assert!(text.contains("`cargo xtask bench app`"), "{text}");
        // 522 + 150,000 bytes brotli is under 160 KB; 871.7 KB raw.
        assert!(
            text.contains("| **total** | 871.7 | **150.5** | 324.2 |"),
            "{text}"
        );
        assert!(text.contains("in all: met"), "{text}");
        assert!(text.contains("| 3 | 600 | 700 | 500 | 700 |"), "{text}");
        // Median 4 ms (nearest rank of two) is under 16 ms.
        assert!(text.contains("| 2 | 4.0 | 20.0 | 4.0 | 20.0 |"), "{text}");
        assert!(text.contains("median under 16 ms: met"), "{text}");
        // The first was painted at 4 ms, before its answer came in at 6 ms; the second had no timing.
        assert!(
            text.contains("1 of the 2 keystrokes had their result painted before"),
            "{text}"
        );
        assert!(text.contains("at once) | 2.0 | 2.0 |"), "{text}");
        assert!(text.contains("bytes | 4.0 | 4.0 |"), "{text}");
        assert!(text.contains("server's answer | 9.0 | 20.0 |"), "{text}");
    }

    #[test]
    fn a_missed_target_says_so() {
        let slow = SAMPLES
            .replace("\"ms\": 4", "\"ms\": 50")
            .replace("\"brotli\": 150000", "\"brotli\": 260000");
        let text = section(
            &Samples::parse(&slow).expect("valid samples"),
            &Context {
                when: "now".into(),
                cores: 2,
                load: None,
                shipments: 100_000,
            },
        )
        .expect("a String takes any text");
        assert!(text.contains("in all: **missed**"), "{text}");
        assert!(
            text.contains("`cargo xtask bench app -- --shipments 100000`"),
            "{text}"
        );
        assert!(text.contains("median under 16 ms: **missed**"), "{text}");
    }

    #[test]
    fn the_shipments_size_the_server_and_the_rest_goes_to_the_driver() {
        let args = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let (n, rest) =
            shipments_arg(&args(&["--loads", "3", "--shipments", "100000"])).expect("parsed");
        assert_eq!((n, rest), (100_000, args(&["--loads", "3"])));
        assert_eq!(shipments_arg(&[]).expect("parsed").0, SHIPMENTS);
        assert!(shipments_arg(&args(&["--shipments"])).is_err());
        assert!(shipments_arg(&args(&["--shipments", "many"])).is_err());
    }
}

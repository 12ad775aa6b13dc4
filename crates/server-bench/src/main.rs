//! `server-bench`: the reference measurement of the backend (`cargo xtask bench server`).
//!
//! It writes the 100,000-shipment fixture, starts the release `server` on a free loopback port with a
//! fresh database, then measures list-page latency (one client, each kind of page apart) and
//! cancellations per second (several concurrent clients), stops the server, and writes the figures
//! into the `## Server` section of BENCHMARKS.md.

mod cancellations;
mod latency;
mod report;
mod scale;
mod spawn;
mod stats;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;

/// Measures list latency and cancellation throughput of the reference backend.
#[derive(Parser)]
#[command(name = "server-bench")]
struct Cli {
    /// Shipments of the benchmark seller.
    #[arg(long, default_value_t = 100_000)]
    shipments: usize,
    /// Measured list requests (after a short warm-up).
    #[arg(long, default_value_t = 2_000)]
    requests: usize,
    /// Cancellations to send, spread over the clients.
    #[arg(long, default_value_t = 4_000)]
    cancellations: usize,
    /// Concurrent cancellation clients.
    #[arg(long, default_value_t = 8)]
    clients: usize,
    /// The server binary; by default the `server` next to this program.
    #[arg(long)]
    server: Option<PathBuf>,
    /// An empty PostgreSQL database (`postgres://…`) for the server, in place of a fresh SQLite
    /// file: the same measurement on the other backend. Its figures are printed; `--markdown` is
    /// refused with it, so that they never replace the SQLite figures of `## Server`.
    #[arg(long, conflicts_with = "markdown")]
    db: Option<String>,
    /// Server instances on the one `--db` database (PostgreSQL only): cancellation clients are
    /// spread over them; list latency is measured through the first.
    #[arg(long, default_value_t = 1, requires = "db")]
    instances: usize,
    /// The Markdown file whose `## Server` section gets the figures; printed only when absent.
    #[arg(long)]
    markdown: Option<PathBuf>,
    /// The command that reproduces the figures, written into the section.
    #[arg(long, default_value = "cargo xtask bench server")]
    command: String,
    /// Only the history, export, tab-count and all-matching figures (their own section), not the
    /// list pages and single cancellations of `## Server`.
    #[arg(long)]
    only_scale: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error("{0}")]
    Setup(String),
    #[error("HTTP: {0}")]
    Http(#[from] reqwest::Error),
    #[error("{what}: {source}")]
    Io {
        what: String,
        source: std::io::Error,
    },
    #[error("the server answered {status} to {what}")]
    Status { what: String, status: u16 },
}

impl BenchError {
    pub fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> BenchError {
        let what = what.into();
        move |source| BenchError::Io { what, source }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("server-bench: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), BenchError> {
    let server_binary = match cli.server {
        Some(path) => path,
        None => std::env::current_exe()
            .map_err(BenchError::io("locating this program"))?
            .with_file_name(format!("server{}", std::env::consts::EXE_SUFFIX)),
    };
    let dir = tempfile::tempdir().map_err(BenchError::io("creating a temporary directory"))?;
    eprintln!("writing the {}-shipment fixture", cli.shipments);
    let fixture = spawn::write_fixture(&server_binary, dir.path(), cli.shipments).await?;
    eprintln!("starting {} (loading the fixture)", server_binary.display());
    let started = Instant::now();
    let database = match &cli.db {
        Some(url) => spawn::Database::Postgres(url.clone()),
        None => spawn::Database::Sqlite(dir.path().join("bench.sqlite3")),
    };
    let mut server = spawn::Server::start(&server_binary, &database, &fixture).await?;
    // More instances on the same database: each finds the fixture loaded and serves at once.
    let mut others = Vec::new();
    for _ in 1..cli.instances.max(1) {
        others.push(spawn::Server::start(&server_binary, &database, &fixture).await?);
    }
    let bases: Vec<String> = std::iter::once(server.base.clone())
        .chain(others.iter().map(|other| other.base.clone()))
        .collect();
    let load = started.elapsed();
    eprintln!(
        "listening on {} after {:.1} s",
        server.base,
        load.as_secs_f64()
    );

    if !cli.only_scale {
        let outcome = measure(&bases, cli.requests, cli.cancellations, cli.clients).await;
        let (latencies, cancellations) = match outcome {
            Ok(figures) => figures,
            Err(error) => {
                server.stop().await?;
                return Err(error);
            }
        };
        let figures = report::Figures {
            shipments: cli.shipments,
            load,
            database: database.describe(),
            latencies,
            cancellations,
            command: cli.command.clone(),
        };
        let section = figures.section();
        println!("{section}");
        if let Some(path) = &cli.markdown {
            report::write_section(path, &section)?;
            eprintln!("updated the ## Server section of {}", path.display());
        }
    }
    let scale = scale::measure(
        &server.base,
        server.pid(),
        cli.shipments,
        cli.requests / 2,
        cli.command,
    )
    .await;
    server.stop().await?;
    let section = scale?.section();
    println!("{section}");
    if let Some(path) = &cli.markdown {
        benchmarks_md::write_section(path, scale::HEADING, &section)
            .map_err(BenchError::io(format!("writing {}", path.display())))?;
        eprintln!(
            "updated the {} section of {}",
            scale::HEADING,
            path.display()
        );
    }
    Ok(())
}

async fn measure(
    bases: &[String],
    requests: usize,
    cancellations: usize,
    clients: usize,
) -> Result<(latency::Latencies, cancellations::Throughput), BenchError> {
    let client = reqwest::Client::new();
    let base = &bases[0];
    let token = spawn::dev_token(&client, base).await?;
    eprintln!("measuring {requests} list requests");
    let latencies = latency::measure(&client, base, &token, requests).await?;
    eprintln!("measuring {cancellations} cancellations with {clients} clients");
    let throughput =
        cancellations::measure(&client, bases, &token, cancellations, clients.max(1)).await?;
    Ok((latencies, throughput))
}

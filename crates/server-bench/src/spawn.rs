//! The server under test: the fixture it loads, its process, and a token for the benchmark seller.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use domain::wire::{DevSessionRequest, Session};
use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout, Command};

use crate::BenchError;

/// The seller that `gen-fixture --shipments N` gives N shipments.
pub const SELLER: &str = "s-1001";
/// Loading 100,000 shipments takes seconds; this only catches a hang.
const START_TIMEOUT: Duration = Duration::from_secs(600);
const LISTENING: &str = "listening on ";

/// `server gen-fixture --shipments N --out DIR/bench.json`.
pub async fn write_fixture(
    server: &Path,
    dir: &Path,
    shipments: usize,
) -> Result<PathBuf, BenchError> {
    let out = dir.join("bench.json");
    let status = Command::new(server)
        .args([
            "gen-fixture",
            "--shipments",
            &shipments.to_string(),
            "--out",
        ])
        .arg(&out)
        .status()
        .await
        .map_err(BenchError::io(format!("running {}", server.display())))?;
    if !status.success() {
        return Err(BenchError::Setup(format!(
            "{} gen-fixture failed: {status}",
            server.display()
        )));
    }
    Ok(out)
}

/// The token secret of the servers under test (loopback only, never a deployment's).
const BENCH_SECRET: &str = "server-bench-secret-8d41f0c27a9e4b6d93e5";

/// The database the server under test runs on.
pub enum Database {
    /// A fresh file (the default backend).
    Sqlite(std::path::PathBuf),
    /// An empty PostgreSQL database, by URL.
    Postgres(String),
}

impl Database {
    fn arg(&self) -> std::ffi::OsString {
        match self {
            Database::Sqlite(path) => path.clone().into_os_string(),
            Database::Postgres(url) => url.into(),
        }
    }

    /// How the report names it.
    pub fn describe(&self) -> String {
        match self {
            Database::Sqlite(_) => "a fresh SQLite file".to_owned(),
            Database::Postgres(_) => "an empty PostgreSQL database on the same machine".to_owned(),
        }
    }
}

pub struct Server {
    child: Child,
    pub base: String,
    /// Kept open (and drained) so the server never blocks on a full pipe.
    _stdout: tokio::task::JoinHandle<()>,
}

impl Server {
    /// Starts the server on a free loopback port with a fresh database, and waits for its
    /// `listening on` line.
    pub async fn start(
        server: &Path,
        database: &Database,
        fixture: &Path,
    ) -> Result<Server, BenchError> {
        let mut child = Command::new(server)
            .args(["--addr", "127.0.0.1:0", "--demo", "--db"])
            .arg(database.arg())
            // One secret for every instance, so that the benchmark's token is good on each.
            .env("SERVER_TOKEN_SECRET", BENCH_SECRET)
            .arg("--seed")
            .arg(fixture)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .map_err(BenchError::io(format!("starting {}", server.display())))?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| BenchError::Setup("the server's standard output is missing".into()))?;
        let mut lines = BufReader::new(stdout).lines();
        let base = tokio::time::timeout(START_TIMEOUT, listening_line(&mut lines))
            .await
            .map_err(|_| {
                BenchError::Setup(format!(
                    "the server did not print `listening on` within {} s",
                    START_TIMEOUT.as_secs()
                ))
            })??;
        let drain = tokio::spawn(async move {
            // Whatever else the server prints is not part of the measurement.
            while let Ok(Some(_)) = lines.next_line().await {}
        });
        Ok(Server {
            child,
            base,
            _stdout: drain,
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id().unwrap_or(0)
    }

    pub async fn stop(&mut self) -> Result<(), BenchError> {
        self.child
            .kill()
            .await
            .map_err(BenchError::io("stopping the server"))
    }
}

async fn listening_line(lines: &mut Lines<BufReader<ChildStdout>>) -> Result<String, BenchError> {
    while let Some(line) = lines
        .next_line()
        .await
        .map_err(BenchError::io("reading the server's output"))?
    {
        if let Some(base) = line.strip_prefix(LISTENING) {
            return Ok(base.trim().to_owned());
        }
    }
    Err(BenchError::Setup(
        "the server exited before it printed `listening on`".into(),
    ))
}

/// A token for the benchmark seller from the demo session endpoint.
pub async fn dev_token(client: &reqwest::Client, base: &str) -> Result<String, BenchError> {
    let response = client
        .post(format!("{base}/api/v1/dev/session"))
        .json(&DevSessionRequest {
            seller_id: SELLER.to_owned(),
        })
        .send()
        .await?;
    if !response.status().is_success() {
        return Err(BenchError::Status {
            what: "POST /api/v1/dev/session".into(),
            status: response.status().as_u16(),
        });
    }
    Ok(response.json::<Session>().await?.token)
}

//! Building the app and the server, and running the server with the demo data until it is ready.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::error::Error;
use crate::paths;
use crate::process::{self, command};

/// A cold server with a fresh database is ready in well under a second; this only catches a hang.
const READY_TIMEOUT: Duration = Duration::from_secs(60);
const READY_MARKER: &str = "listening on http://";

/// The app's build into dist/ (xtask/src/app_build.rs), the one that ships.
pub fn build_app() -> Result<(), Error> {
    crate::app_build::build()
}

pub fn build_server() -> Result<(), Error> {
    process::run_ok(
        command("cargo").args(["build", "--release", "-p", "server"]),
        "cargo build --release -p server",
    )
}

/// An empty SQLite path under target/, so every run starts from the demo seed alone.
pub fn fresh_db(name: &str) -> Result<PathBuf, Error> {
    let dir = paths::xtask_dir();
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::io(format!("creating {}", dir.display()), e))?;
    let db = dir.join(format!("{name}.db"));
    for suffix in ["", "-wal", "-shm"] {
        let file = PathBuf::from(format!("{}{suffix}", db.display()));
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(format!("removing {}", file.display()), e)),
        }
    }
    Ok(db)
}

/// A port that was free a moment ago. The server binds it right after, so a clash is unlikely
/// and shows up as a clear start-up failure rather than a wrong result.
pub fn free_port() -> Result<u16, Error> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| Error::io("finding a free port", e))?;
    listener
        .local_addr()
        .map(|addr| addr.port())
        .map_err(|e| Error::io("finding a free port", e))
}

/// Where the server's own output goes.
pub enum Log {
    Terminal,
    File(PathBuf),
}

/// The server process; it is stopped when this is dropped.
pub struct Server {
    child: Child,
    pub url: String,
}

impl Server {
    /// Starts `server --demo` with the demo seed and waits for its `listening on http://ADDR` line.
    /// With `portal_port`, the server also serves the demo seller portal there, on its own origin.
    pub fn start(
        port: u16,
        portal_port: Option<u16>,
        db: &Path,
        log: Log,
    ) -> Result<Server, Error> {
        Server::start_seeded(&paths::demo_fixture(), port, portal_port, db, log)
    }

    /// As `start`, with another fixture as the seed (such as the benchmark's generated one); `db`
    /// must be fresh, since the server refuses a second, different seed.
    pub fn start_seeded(
        seed: &Path,
        port: u16,
        portal_port: Option<u16>,
        db: &Path,
        log: Log,
    ) -> Result<Server, Error> {
        Server::start_serving(seed, &paths::dist_dir(), port, portal_port, db, log)
    }

    /// As `start_seeded`, serving the files of `dist` (the app benchmark serves a copy of the
    /// build with its reference page beside it).
    pub fn start_serving(
        seed: &Path,
        dist: &Path,
        port: u16,
        portal_port: Option<u16>,
        db: &Path,
        log: Log,
    ) -> Result<Server, Error> {
        Server::spawn(seed, dist, port, portal_port, db, log, &[])
    }

    /// As `start_seeded`, with environment variables for the server (such as the token secret that
    /// several instances must share).
    pub fn start_with_env(
        seed: &Path,
        port: u16,
        portal_port: Option<u16>,
        db: &Path,
        log: Log,
        env: &[(&str, &str)],
    ) -> Result<Server, Error> {
        Server::spawn(seed, &paths::dist_dir(), port, portal_port, db, log, env)
    }

    fn spawn(
        seed: &Path,
        dist: &Path,
        port: u16,
        portal_port: Option<u16>,
        db: &Path,
        log: Log,
        env: &[(&str, &str)],
    ) -> Result<Server, Error> {
        // Opened before the spawn, so a failure here leaves no server behind.
        let sink: Arc<Mutex<Box<dyn Write + Send>>> = Arc::new(Mutex::new(match &log {
            Log::Terminal => Box::new(std::io::stdout()),
            Log::File(path) => Box::new(
                File::create(path)
                    .map_err(|e| Error::io(format!("creating {}", path.display()), e))?,
            ),
        }));
        let binary = paths::server_binary();
        let mut cmd = command(&binary.to_string_lossy());
        cmd.arg("--demo")
            .arg("--seed")
            .arg(seed)
            .arg("--db")
            .arg(db)
            .arg("--dist")
            .arg(dist)
            .arg("--addr")
            .arg(format!("127.0.0.1:{port}"));
        cmd.envs(env.iter().copied());
        if let Some(portal_port) = portal_port {
            cmd.arg("--portal-addr")
                .arg(format!("127.0.0.1:{portal_port}"));
        }
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let shown = process::describe(&cmd);
        println!("$ {shown}");
        let mut child = cmd
            .spawn()
            .map_err(|e| Error::io(format!("could not start `{shown}`"), e))?;

        let (lines_tx, lines_rx) = mpsc::channel();
        if let Some(stdout) = child.stdout.take() {
            forward(stdout, Arc::clone(&sink), lines_tx.clone());
        }
        if let Some(stderr) = child.stderr.take() {
            forward(stderr, sink, lines_tx);
        }

        let mut server = Server {
            child,
            url: String::new(),
        };
        server.url = server.wait_until_listening(&lines_rx)?;
        Ok(server)
    }

    fn wait_until_listening(&mut self, lines: &mpsc::Receiver<String>) -> Result<String, Error> {
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match lines.recv_timeout(left) {
                Ok(line) => {
                    if let Some(url) = listening_url(&line) {
                        return Ok(url);
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    return Err(Error::ServerNotReady(format!(
                        "no `{READY_MARKER}ADDR` line within {READY_TIMEOUT:?}"
                    )));
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let status = self
                        .child
                        .wait()
                        .map_err(|e| Error::io("waiting for the server", e))?;
                    return Err(Error::ServerNotReady(format!("it exited ({status})")));
                }
            }
        }
    }

    /// Waits for the server to end by itself (for `run`, that is Ctrl-C).
    pub fn wait(mut self) -> Result<std::process::ExitStatus, Error> {
        self.child
            .wait()
            .map_err(|e| Error::io("waiting for the server", e))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Already exited is fine: kill then only reports that, and wait reaps it either way.
        let _already_exited = self.child.kill();
        let _status = self.child.wait();
    }
}

/// Copies the server's output to the log and hands each line to the start-up watcher.
fn forward(
    stream: impl Read + Send + 'static,
    sink: Arc<Mutex<Box<dyn Write + Send>>>,
    lines: mpsc::Sender<String>,
) {
    std::thread::spawn(move || {
        // Lossy lines, so a stray non-UTF-8 byte never stops the draining and blocks the server.
        for line in BufReader::new(stream).split(b'\n') {
            let Ok(line) = line else { break };
            let line = String::from_utf8_lossy(&line).into_owned();
            if let Ok(mut out) = sink.lock() {
                // A full disk or closed terminal must not stop the server from draining its pipe.
                let _ignored = writeln!(out, "{line}").and_then(|()| out.flush());
            }
            // After start-up nobody listens any more; the log copy above is what matters then.
            let _ignored = lines.send(line);
        }
    });
}

/// The URL in the server's `listening on http://ADDR` line, with any terminal colour codes removed.
fn listening_url(line: &str) -> Option<String> {
    let at = line.find(READY_MARKER)?;
    let url: String = line[at + "listening on ".len()..]
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '\u{1b}')
        .collect();
    Some(url.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_url_of_a_plain_line() {
        assert_eq!(
            listening_url("listening on http://127.0.0.1:8080").as_deref(),
            Some("http://127.0.0.1:8080")
        );
    }

    #[test]
    fn reads_the_url_inside_a_tracing_line() {
        let line = "\u{1b}[2m2026-11-26T07:00:00Z\u{1b}[0m \u{1b}[32m INFO\u{1b}[0m server: listening on http://127.0.0.1:40123\u{1b}[0m";
        assert_eq!(
            listening_url(line).as_deref(),
            Some("http://127.0.0.1:40123")
        );
    }

    #[test]
    fn other_lines_are_not_readiness() {
        assert_eq!(listening_url("loaded 42 shipments from demo.json"), None);
    }

    #[test]
    fn a_fresh_db_path_has_no_leftover_file() {
        let db = fresh_db("xtask-selftest").expect("target/ is writable");
        std::fs::write(&db, b"old").expect("write");
        let again = fresh_db("xtask-selftest").expect("target/ is writable");
        assert_eq!(db, again);
        assert!(!again.exists());
    }
}

//! A throwaway PostgreSQL cluster under `target/xtask/pg/<name>`, for the tests and `run --postgres`.
//!
//! Debian's `postgresql` package puts its programs in `/usr/lib/postgresql/<major>/bin`, off PATH.
//! `initdb` and `postgres` refuse to run as root, so as root every server-side program runs as the
//! `postgres` system user (created by Debian's postgresql-common, so it exists wherever the package
//! does) through util-linux's `runuser -u`, which needs no password and no PAM session. The cluster
//! listens on 127.0.0.1 at a free port with its Unix socket inside its own data directory, so it
//! never touches a system cluster in /var/run/postgresql. docs/postgres.md has the facts behind this.
//!
//! The server is xtask's child (`postgres -D DIR`), not started by `pg_ctl start`: pg_ctl puts the
//! postmaster in a session of its own (setsid), where a Ctrl-C at the terminal never reaches it,
//! while a child (also through runuser, which forks without a new session) stays in the terminal's
//! process group, and SIGINT is PostgreSQL's fast shutdown. A kill -9 of xtask still leaves it
//! running: the next start of the same name stops it first (`remove_leftover`).

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::error::Error;
use crate::paths;
use crate::server::free_port;

/// Debian installs every major version side by side here.
const DEBIAN_PG_ROOT: &str = "/usr/lib/postgresql";
/// The system user Debian's package creates; initdb refuses root, so root runs the cluster as it.
pub const PG_USER: &str = "postgres";
/// The superuser role inside the throwaway cluster (initdb's `-U`).
const SUPERUSER: &str = "postgres";
/// A cold start is well under a second; this only catches a hang.
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// How often readiness is asked for while the server starts.
const READY_POLL: Duration = Duration::from_millis(50);

/// Settings for a cluster whose data may be lost at any time: durability off, so the tests measure
/// the server's logic rather than the disk. Never use them for data that matters.
const THROWAWAY_SETTINGS: &[(&str, &str)] = &[
    ("fsync", "off"),
    ("synchronous_commit", "off"),
    ("full_page_writes", "off"),
    ("listen_addresses", "'127.0.0.1'"),
    // Two server instances with their pools, plus psql and the tests' own connections.
    ("max_connections", "200"),
    // The tests race keys over two instances; a deadlock must be reported quickly, not after 1 s.
    ("deadlock_timeout", "'100ms'"),
    ("log_min_messages", "warning"),
];

/// The newest Debian PostgreSQL `bin` directory, or None when the package is not installed.
pub fn bin_dir() -> Option<PathBuf> {
    newest_major(std::fs::read_dir(DEBIAN_PG_ROOT).ok()?.filter_map(|entry| {
        let entry = entry.ok()?;
        let major: u32 = entry.file_name().to_str()?.parse().ok()?;
        let bin = entry.path().join("bin");
        (bin.join("initdb").exists() && bin.join("pg_ctl").exists()).then_some((major, bin))
    }))
}

fn newest_major(found: impl Iterator<Item = (u32, PathBuf)>) -> Option<PathBuf> {
    found.max_by_key(|(major, _)| *major).map(|(_, bin)| bin)
}

pub fn is_root() -> bool {
    // `id -u` rather than libc: xtask stays on std (see Cargo.toml). If `id` cannot run, xtask
    // proceeds as non-root, and initdb then says plainly that it refuses root.
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

/// Whether the system user exists; an `id` that cannot run counts as no (reported by the caller).
pub fn pg_user_exists() -> bool {
    Command::new("id")
        .arg("-u")
        .arg(PG_USER)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// What xtask needs to run a cluster: the programs, and when root, the unprivileged user.
pub fn installed() -> bool {
    bin_dir().is_some() && (!is_root() || pg_user_exists())
}

/// A running throwaway cluster with one database; stopped (immediately, data discarded) on drop.
pub struct Cluster {
    bin: PathBuf,
    data_dir: PathBuf,
    port: u16,
    as_root: bool,
    database: String,
    /// The postmaster (as root: runuser, whose child it is); None once stopped.
    server: Option<Child>,
    /// Remove the data directory once stopped (`discard_when_stopped`).
    discard: bool,
}

impl Cluster {
    /// Creates a fresh cluster named `name` (any previous one of that name is stopped and removed),
    /// starts it on a free port and creates the database `database` in it.
    pub fn start(name: &str, database: &str) -> Result<Cluster, Error> {
        let bin = bin_dir().ok_or_else(|| {
            Error::Project(format!(
                "no PostgreSQL under {DEBIAN_PG_ROOT}/<version>/bin; install Debian's `postgresql` \
                 (xtask does so through Tool::Postgres)"
            ))
        })?;
        let as_root = is_root();
        if as_root && !pg_user_exists() {
            return Err(Error::Project(format!(
                "running as root, and the `{PG_USER}` user that initdb must run as does not exist; \
                 reinstall Debian's postgresql-common, which creates it"
            )));
        }
        let data_dir = paths::xtask_dir().join("pg").join(name);
        let mut cluster = Cluster {
            bin,
            data_dir,
            port: 0,
            as_root,
            database: database.to_owned(),
            server: None,
            discard: false,
        };
        cluster.remove_leftover()?;
        cluster.init()?;
        cluster.port = free_port()?;
        cluster.configure()?;
        cluster.spawn_server()?;
        // From here on, an error drops `cluster`, which stops the server again.
        cluster.wait_until_ready()?;
        cluster.psql_as_superuser("postgres", &format!("CREATE DATABASE \"{database}\""))?;
        Ok(cluster)
    }

    /// `postgres://` URL of the database, over TCP (the server and sqlx-style clients take this).
    pub fn url(&self) -> String {
        self.url_of(&self.database)
    }

    /// `postgres://` URL of another database of the cluster (`postgres`, where databases are made).
    pub fn url_of(&self, database: &str) -> String {
        format!("postgres://{SUPERUSER}@127.0.0.1:{}/{database}", self.port)
    }

    /// Runs `sql` in the cluster's database with psql (stop at the first error) and returns stdout.
    pub fn psql(&self, sql: &str) -> Result<String, Error> {
        self.psql_as_superuser(&self.database, sql)
    }

    /// Runs a SQL file in the cluster's database, in one transaction, stopping at the first error.
    pub fn psql_file(&self, file: &Path) -> Result<String, Error> {
        let mut cmd = self.psql_command(&self.database);
        cmd.arg("--single-transaction").arg("-f").arg(file);
        output_ok(cmd, &format!("psql -f {}", file.display()))
    }

    fn psql_as_superuser(&self, database: &str, sql: &str) -> Result<String, Error> {
        let mut cmd = self.psql_command(database);
        cmd.arg("-c").arg(sql);
        output_ok(cmd, &format!("psql -c {sql:?}"))
    }

    /// psql over TCP as the cluster's superuser: a client, so it may run as root (trust auth).
    fn psql_command(&self, database: &str) -> Command {
        let mut cmd = Command::new(self.bin.join("psql"));
        cmd.args([
            "-X",
            "-q",
            "-A",
            "-t",
            "-v",
            "ON_ERROR_STOP=1",
            "-h",
            "127.0.0.1",
        ])
        .arg("-p")
        .arg(self.port.to_string())
        .args(["-U", SUPERUSER, "-d", database])
        .env_remove("PGPASSWORD")
        .env_remove("PGSERVICE");
        cmd
    }

    /// Removes the data directory when the cluster stops (by `stop` or on drop): for clusters
    /// named per run (`test-<pid>`), which no later start of the same name would clear.
    pub fn discard_when_stopped(&mut self) {
        self.discard = true;
    }

    /// Stops the server (fast shutdown) and reports whether that worked; drop does the same quietly.
    pub fn stop(mut self) -> Result<(), Error> {
        let stopped = self.pg_ctl_stop("fast");
        if let Some(mut server) = self.server.take() {
            server
                .wait()
                .map_err(|e| Error::io("waiting for the PostgreSQL server to exit", e))?;
        }
        stopped
    }

    /// A cluster left running by an interrupted run (kill -9 of xtask, a crashed test) still holds
    /// its port and shared memory: stop it before its directory is removed.
    fn remove_leftover(&self) -> Result<(), Error> {
        if self.data_dir.join("postmaster.pid").exists() {
            println!(
                "xtask: stopping a PostgreSQL cluster left running in {}",
                self.data_dir.display()
            );
            // It may have died already, leaving a stale pid file: then pg_ctl fails, which is fine
            // since the directory is removed next anyway.
            if let Err(e) = self.pg_ctl_stop("immediate") {
                println!("xtask: (it was not running: {e})");
            }
        }
        match std::fs::remove_dir_all(&self.data_dir) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::io(
                format!("removing {}", self.data_dir.display()),
                e,
            )),
        }
    }

    fn init(&self) -> Result<(), Error> {
        std::fs::create_dir_all(&self.data_dir)
            .map_err(|e| Error::io(format!("creating {}", self.data_dir.display()), e))?;
        if self.as_root {
            // Only the data directory changes owner; its parents stay root's but must be searchable
            // (mode o+x) by the postgres user, which the check below reports in plain words.
            let mut chown = Command::new("chown");
            chown
                .arg(format!("{PG_USER}:{PG_USER}"))
                .arg(&self.data_dir);
            output_ok(chown, "chown of the data directory")?;
            let mut probe = self.server_side("test");
            probe.arg("-w").arg(&self.data_dir);
            let writable = probe
                .status()
                .map_err(|e| Error::io("could not run runuser to check the data directory", e))?;
            if !writable.success() {
                return Err(Error::Project(format!(
                    "the `{PG_USER}` user cannot write {}: every parent directory must be \
                     searchable by others (chmod o+x)",
                    self.data_dir.display()
                )));
            }
        }
        let mut initdb = self.server_side(&self.bin.join("initdb").to_string_lossy());
        initdb
            .arg("-D")
            .arg(&self.data_dir)
            // trust: a throwaway cluster on 127.0.0.1 and a private socket directory.
            .args(["-A", "trust", "-U", SUPERUSER, "-E", "UTF8"])
            // C.UTF-8 is in every Debian 12 glibc; it sorts bytewise (like SQLite's BINARY) and still
            // lower-cases non-ASCII letters, which the list's search relies on.
            .args(["--locale", "C.UTF-8", "--no-sync"]);
        output_ok(initdb, "initdb")?;
        Ok(())
    }

    /// Appends the throwaway settings, the port and the socket directory to postgresql.conf, so
    /// every later pg_ctl (including a stop by hand) finds the same cluster.
    fn configure(&self) -> Result<(), Error> {
        let conf = self.data_dir.join("postgresql.conf");
        let mut file = OpenOptions::new()
            .append(true)
            .open(&conf)
            .map_err(|e| Error::io(format!("opening {}", conf.display()), e))?;
        let mut text =
            String::from("\n# Added by xtask (src/postgres.rs): a throwaway test cluster.\n");
        for (key, value) in THROWAWAY_SETTINGS {
            text.push_str(&format!("{key} = {value}\n"));
        }
        text.push_str(&format!("port = {}\n", self.port));
        // A single-quoted conf string: a quote in the path is doubled.
        let socket_dir = self.data_dir.to_string_lossy().replace('\'', "''");
        text.push_str(&format!("unix_socket_directories = '{socket_dir}'\n"));
        file.write_all(text.as_bytes())
            .map_err(|e| Error::io(format!("writing {}", conf.display()), e))
    }

    /// Starts the postmaster as a child, its output in server.log inside the data directory.
    fn spawn_server(&mut self) -> Result<(), Error> {
        let log_path = self.data_dir.join("server.log");
        let log = File::create(&log_path)
            .map_err(|e| Error::io(format!("creating {}", log_path.display()), e))?;
        let log_err = log
            .try_clone()
            .map_err(|e| Error::io(format!("opening {}", log_path.display()), e))?;
        let mut postgres = self.server_side(&self.bin.join("postgres").to_string_lossy());
        postgres
            .arg("-D")
            .arg(&self.data_dir)
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_err);
        let child = postgres
            .spawn()
            .map_err(|e| Error::io("could not start postgres", e))?;
        self.server = Some(child);
        Ok(())
    }

    /// Waits until the server accepts connections on its port (pg_isready), or fails with its log.
    fn wait_until_ready(&mut self) -> Result<(), Error> {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let mut ready = Command::new(self.bin.join("pg_isready"));
            ready
                .args(["-q", "-h", "127.0.0.1", "-p", &self.port.to_string()])
                .args(["-U", SUPERUSER, "-d", "postgres"])
                .stdin(Stdio::null());
            // pg_isready failing to start is not fatal here: the loop's deadline and the
            // server's exit status below report a cluster that never came up, with its log.
            if ready.status().is_ok_and(|s| s.success()) {
                return Ok(());
            }
            let exited = match self.server.as_mut().map(Child::try_wait) {
                Some(Ok(Some(status))) => Some(status.to_string()),
                Some(Ok(None)) => None,
                Some(Err(e)) => return Err(Error::io("watching the PostgreSQL server", e)),
                None => Some("it was never started".to_owned()),
            };
            if exited.is_some() || Instant::now() > deadline {
                let why = exited.map_or_else(
                    || format!("not ready within {START_TIMEOUT:?}"),
                    |status| format!("it exited ({status})"),
                );
                return Err(Error::Project(format!(
                    "PostgreSQL did not start: {why}\nserver.log:\n{}",
                    self.log()
                )));
            }
            std::thread::sleep(READY_POLL);
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.data_dir.join("server.log"))
            .unwrap_or_else(|e| format!("(no server.log: {e})"))
    }

    fn pg_ctl_stop(&self, mode: &str) -> Result<(), Error> {
        let mut pg_ctl = self.server_side(&self.bin.join("pg_ctl").to_string_lossy());
        pg_ctl
            .arg("-D")
            .arg(&self.data_dir)
            .args(["-m", mode, "-w", "stop"]);
        output_ok(pg_ctl, &format!("pg_ctl stop -m {mode}")).map(drop)
    }

    /// A server-side program (initdb, pg_ctl), run as the postgres user when xtask is root.
    fn server_side(&self, program: &str) -> Command {
        if self.as_root {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", PG_USER, "--", program]);
            cmd
        } else {
            Command::new(program)
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop_quietly();
        if self.discard
            && let Err(e) = std::fs::remove_dir_all(&self.data_dir)
            && e.kind() != std::io::ErrorKind::NotFound
        {
            eprintln!(
                "xtask: could not remove the PostgreSQL data in {}: {e}",
                self.data_dir.display()
            );
        }
    }
}

impl Cluster {
    fn stop_quietly(&mut self) {
        let Some(mut server) = self.server.take() else {
            return;
        };
        // Immediate: the data is thrown away, so there is nothing to flush. pg_ctl signals the
        // postmaster by its pid file; killing the child would only kill runuser when root.
        if let Err(e) = self.pg_ctl_stop("immediate") {
            eprintln!(
                "xtask: could not stop the PostgreSQL cluster in {}: {e}; killing it",
                self.data_dir.display()
            );
            if let Err(e) = server.kill() {
                eprintln!("xtask: could not kill it either: {e}");
            }
        }
        // Reaps the child (runuser or postgres), which has exited or is about to.
        if let Err(e) = server.wait() {
            eprintln!("xtask: waiting for the PostgreSQL server: {e}");
        }
    }
}

/// Runs `cmd` with captured output; fails with its stderr unless it succeeds.
fn output_ok(mut cmd: Command, step: &str) -> Result<String, Error> {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Error::io(format!("could not start {step}"), e))?;
    if status.success() {
        Ok(String::from_utf8_lossy(&stdout).into_owned())
    } else {
        Err(Error::Project(format!(
            "{step} failed ({status}): {}",
            String::from_utf8_lossy(&stderr).trim()
        )))
    }
}

/// `cargo xtask pg-smoke`: start a cluster, `SELECT 1` through psql, stop it, with the timings.
/// With `hold`, it keeps the cluster until Enter (or Ctrl-C, which also stops the cluster).
pub fn smoke(hold: bool) -> Result<(), Error> {
    let started = Instant::now();
    let cluster = Cluster::start("smoke", "smoke")?;
    let up = started.elapsed();
    println!("xtask: cluster up at {} in {}", cluster.url(), ms(up));
    let query = Instant::now();
    let one = cluster.psql("SELECT 1")?;
    if one.trim() != "1" {
        return Err(Error::Project(format!("SELECT 1 answered {one:?}")));
    }
    let version = cluster.psql("SHOW server_version")?;
    println!(
        "xtask: SELECT 1 answered 1 in {} (server {})",
        ms(query.elapsed()),
        version.trim()
    );
    if hold {
        println!(
            "xtask: holding the cluster; try `psql {}`. Press Enter (or Ctrl-C) to stop it.",
            cluster.url()
        );
        let mut line = String::new();
        std::io::stdin()
            .read_line(&mut line)
            .map_err(|e| Error::io("reading the terminal", e))?;
    }
    let stopping = Instant::now();
    cluster.stop()?;
    println!(
        "xtask: stopped in {}; total {}",
        ms(stopping.elapsed()),
        ms(started.elapsed())
    );
    Ok(())
}

fn ms(d: Duration) -> String {
    format!("{} ms", d.as_millis())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_major_version_wins() {
        let found = [
            (13, PathBuf::from("/usr/lib/postgresql/13/bin")),
            (15, PathBuf::from("/usr/lib/postgresql/15/bin")),
            (9, PathBuf::from("/usr/lib/postgresql/9/bin")),
        ];
        assert_eq!(
            newest_major(found.into_iter()),
            Some(PathBuf::from("/usr/lib/postgresql/15/bin"))
        );
        assert_eq!(newest_major(std::iter::empty()), None);
    }
}

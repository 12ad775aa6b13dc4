//! `cargo xtask run --postgres`: the demo on PostgreSQL, as a deployment of several instances runs
//! it: a throwaway cluster (xtask/src/postgres.rs), the schema migrated once (`server migrate`),
//! then two server instances on one database, on two ports, sharing one token secret (a token
//! issued by one must be accepted by the other, as behind a load balancer). Both URLs are printed;
//! Ctrl-C stops the instances and the cluster.

use std::io::Read;
use std::path::PathBuf;

use crate::error::Error;
use crate::paths;
use crate::postgres::Cluster;
use crate::process::{self, command};
use crate::server::{Log, Server};
use crate::toolchain::Tool;

pub fn run(port: u16) -> Result<(), Error> {
    // The same tools and builds as `cargo xtask run`, plus PostgreSQL.
    crate::run::prepare(&[Tool::Postgres])?;

    // A fixed name: a cluster left by a run that was killed is stopped and replaced here.
    let cluster = Cluster::start("run", "shipments")?;
    let url = cluster.url();
    let mut migrate = command(&paths::server_binary().to_string_lossy());
    migrate.arg("--db").arg(&url).arg("migrate");
    process::run_ok(&mut migrate, "migrating the database")?;

    let second_port = port.checked_add(1).ok_or_else(|| {
        Error::ServerNotReady(format!(
            "port {port} leaves no next port for the second instance"
        ))
    })?;
    let portal_port = port.checked_add(2).ok_or_else(|| {
        Error::ServerNotReady(format!("port {port} leaves no port for the demo portal"))
    })?;
    let secret = random_secret()?;
    let env = [("SERVER_TOKEN_SECRET", secret.as_str())];
    let db = PathBuf::from(&url);
    // One after the other: the first loads the demo seed, the second finds it loaded.
    let first = Server::start_with_env(
        &paths::demo_fixture(),
        port,
        Some(portal_port),
        &db,
        Log::Terminal,
        &env,
    )?;
    let second = Server::start_with_env(
        &paths::demo_fixture(),
        second_port,
        None,
        &db,
        Log::Terminal,
        &env,
    )?;
    println!();
    println!("  instance 1:   {}/", first.url);
    println!(
        "  instance 2:   {}/  (same database; a token from either works on both)",
        second.url
    );
    println!("  demo portal:  http://127.0.0.1:{portal_port}/  (framing instance 1)");
    println!("  database:     {url}  (a throwaway cluster under target/xtask/pg/run)");
    println!();
    println!("Press Ctrl-C to stop both instances and the cluster.");
    let status = first.wait()?;
    drop(second);
    cluster.stop()?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::Failed {
            step: "the first instance".into(),
            status,
        })
    }
}

/// 32 random bytes as hex, from the kernel (xtask stays on std).
fn random_secret() -> Result<String, Error> {
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut random| random.read_exact(&mut bytes))
        .map_err(|e| Error::io("reading /dev/urandom for the token secret", e))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

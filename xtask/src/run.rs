//! `cargo xtask run`: install what is missing, build the app and the server, and serve the demo.

use crate::error::Error;
use crate::server::{self, Log, Server};
use crate::toolchain::{Tool, Toolbox};

const TOOLS: [Tool; 4] = [
    Tool::WasmTarget,
    Tool::WasmBindgen,
    Tool::WasmOpt,
    Tool::Esbuild,
];

/// `cargo xtask build`: the app alone, into dist/, exactly as `run`, `test` and `bench` build it.
pub fn build() -> Result<(), Error> {
    let missing = Toolbox::default().ensure_all(&TOOLS);
    if !missing.is_empty() {
        return Err(Error::Missing(missing));
    }
    server::build_app()
}

/// What `run` and `run --postgres` do before starting anything: the tools (the app's, and
/// `extra` ones such as PostgreSQL), then the app and the release server.
pub(crate) fn prepare(extra: &[Tool]) -> Result<(), Error> {
    println!("xtask: checking tools (a cold machine installs them once, about 10 min)");
    let tools: Vec<Tool> = TOOLS.iter().chain(extra).copied().collect();
    let missing = Toolbox::default().ensure_all(&tools);
    if !missing.is_empty() {
        return Err(Error::Missing(missing));
    }
    println!("xtask: building the app (about 2 min cold, seconds when warm)");
    server::build_app()?;
    println!("xtask: building the server (a few minutes cold, seconds when warm)");
    server::build_server()
}

pub fn run(port: u16) -> Result<(), Error> {
    prepare(&[])?;

    let db = server::fresh_db("run")?;
    // The demo portal takes the next port: another origin, so the iframe's cross-origin rules are real.
    let portal_port = port.checked_add(1).ok_or_else(|| {
        Error::ServerNotReady(format!(
            "port {port} leaves no next port for the demo portal"
        ))
    })?;
    let server = Server::start(port, Some(portal_port), &db, Log::Terminal).map_err(|e| match e {
        Error::ServerNotReady(why) => Error::ServerNotReady(format!(
            "{why}; if port {port} or {portal_port} is taken, try `cargo xtask run --port <other>`"
        )),
        other => other,
    })?;
    println!();
    println!("  app and API:  {}/", server.url);
    println!(
        "  demo portal:  http://127.0.0.1:{portal_port}/  (the app inside the seller portal's iframe)"
    );
    println!(
        "  demo data:    seller s-1001, fresh database {}",
        db.display()
    );
    println!();
    println!("Press Ctrl-C to stop.");
    let status = server.wait()?;
    if status.success() {
        Ok(())
    } else {
        Err(Error::Failed {
            step: "the server".into(),
            status,
        })
    }
}

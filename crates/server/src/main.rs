use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use server::config::{DEFAULT_PROVIDER_DELAY, parse_origin, parse_provider_delay, parse_threshold};
use server::{Config, demo};

/// The reference backend: the cancellation API over SQLite, simulated providers, and the built app.
///
/// Seeding: `--seed FILE.json` loads a fixture into an empty database. Given again with the same file,
/// it keeps the data (and every change since); a different file is refused, so use a fresh `--db`.
/// With `--demo` and an empty database, the embedded demo data is loaded.
///
/// Tokens are signed with the secret in SERVER_TOKEN_SECRET (or the file --token-secret-file), else
/// with a random key per process: a restart then invalidates every token. Never on the command line,
/// where `ps` shows it. For rotation, SERVER_TOKEN_SECRET_PREVIOUS (or --token-secret-previous-file)
/// is still accepted for verification.
#[derive(Parser)]
#[command(name = "server", version, about, long_about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// The database: a SQLite file (created when missing; also `sqlite:PATH`) or a PostgreSQL
    /// database (`postgres://USER@HOST:PORT/DB`), whose schema is migrated at start. Several
    /// instances may share one PostgreSQL database (README, "Several instances").
    #[arg(long, env = "DATABASE_URL", default_value = "server.sqlite3")]
    db: PathBuf,
    /// A fixture (JSON, the format of DESIGN.md) to load into an empty database.
    #[arg(long, value_name = "FILE.json")]
    seed: Option<PathBuf>,
    /// Demo mode: enables POST /api/v1/dev/session (anyone may sign in as any seller) and the dev
    /// endpoints, and loads the demo data into an empty database. Listens on loopback only.
    #[arg(long)]
    demo: bool,
    /// Allows --demo on an address other than loopback: say it only when the database holds nothing
    /// but demo data, since anyone who reaches the server can then read and change all of it.
    #[arg(long, requires = "demo")]
    demo_data_is_public: bool,
    /// A portal origin allowed to frame the app (scheme://host[:port]); repeatable.
    #[arg(long = "portal-origin", value_name = "ORIGIN", value_parser = parse_origin)]
    portal_origins: Vec<String>,
    /// The built app (`cargo xtask build`'s dist directory) to serve.
    #[arg(long, value_name = "DIR")]
    dist: Option<PathBuf>,
    /// Also serve the demo seller portal on this address (another origin, framing the app); needs --demo.
    #[arg(long, value_name = "ADDR")]
    portal_addr: Option<SocketAddr>,
    /// The cancellation-rate threshold as a fraction (0.10 is 10 %); overrides the fixture's.
    #[arg(long, value_name = "FRACTION", value_parser = parse_threshold)]
    threshold: Option<f64>,
    /// Refused: a secret on the command line is visible to every user in `ps`.
    #[arg(long, hide = true)]
    token_secret: Option<String>,
    /// A file holding the secret that signs tokens (at least 32 random bytes; surrounding
    /// whitespace ignored). SERVER_TOKEN_SECRET gives it directly.
    #[arg(long, value_name = "FILE", conflicts_with = "token_secret")]
    token_secret_file: Option<PathBuf>,
    /// A file holding the previous secret, still accepted while tokens signed with it live
    /// (rotation). SERVER_TOKEN_SECRET_PREVIOUS gives it directly.
    #[arg(long, value_name = "FILE")]
    token_secret_previous_file: Option<PathBuf>,
    /// How long an intent's answer is kept and replayed under its Idempotency-Key, in hours
    /// (default 24).
    #[arg(long, value_name = "HOURS", value_parser = clap::value_parser!(u64).range(1..=720))]
    idempotency_retention_hours: Option<u64>,
    /// Seconds the simulated provider takes to approve a cancellation request the fixture gave no
    /// decision for (default 4). Tests set it high and decide through the demo endpoint instead.
    #[arg(long, value_name = "SECS", value_parser = parse_provider_delay)]
    provider_delay: Option<std::time::Duration>,
    /// How long issued tokens live, in seconds (1 to 86400; default 900). Tests shorten it to watch
    /// the app renew a token mid-session.
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=86_400))]
    token_ttl: Option<u64>,
}

#[derive(Subcommand)]
enum Command {
    /// Brings the database's schema up to date and exits: run it once before starting several
    /// instances of a new version on one PostgreSQL database (each would also migrate at start).
    Migrate,
    /// Writes the generated demo fixture (the source of fixtures/demo.json), or a larger data set.
    GenFixture {
        /// Shipments for the demo seller s-1001; 100000 makes the benchmark's data set.
        #[arg(long, default_value_t = demo::DEMO_SHIPMENTS)]
        shipments: usize,
        /// Where to write it; standard output when absent.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    if let Some(Command::GenFixture { shipments, out }) = cli.command {
        let text = demo::render(&demo::generate(shipments)).map_err(|e| e.to_string())?;
        return match out {
            Some(path) => std::fs::write(&path, text)
                .map_err(|e| format!("could not write {}: {e}", path.display())),
            None => {
                print!("{text}");
                Ok(())
            }
        };
    }
    if let Some(Command::Migrate) = cli.command {
        // The location is not echoed: a PostgreSQL URL may hold a password.
        server::db::open(&cli.db).await.map_err(|e| e.to_string())?;
        eprintln!("the database schema is up to date");
        return Ok(());
    }
    if cli.token_secret.is_some() {
        return Err(
            "--token-secret would show the secret to every user in `ps`: give it in \
             SERVER_TOKEN_SECRET or in a file with --token-secret-file"
                .to_owned(),
        );
    }
    let token_secret = secret("SERVER_TOKEN_SECRET", cli.token_secret_file.as_deref())?;
    let token_secret_previous = secret(
        "SERVER_TOKEN_SECRET_PREVIOUS",
        cli.token_secret_previous_file.as_deref(),
    )?;
    let config = Config {
        addr: cli.addr,
        db: cli.db,
        seed: cli.seed,
        demo: cli.demo,
        portal_origins: cli.portal_origins,
        dist: cli.dist,
        portal_addr: cli.portal_addr,
        threshold: cli.threshold,
        token_secret,
        provider_delay: cli.provider_delay.unwrap_or(DEFAULT_PROVIDER_DELAY),
        token_ttl: cli.token_ttl.map(std::time::Duration::from_secs),
        token_secret_previous,
        demo_public: cli.demo_data_is_public,
        idempotency_retention: cli
            .idempotency_retention_hours
            .map_or(server::config::DEFAULT_IDEMPOTENCY_RETENTION, |hours| {
                std::time::Duration::from_secs(hours * 3600)
            }),
        ..Config::new(PathBuf::new())
    };
    let running = server::start(config).await.map_err(|e| e.to_string())?;
    // The portal line comes first: whoever waits for "listening on" finds it already printed.
    if let Some(portal) = running.portal_addr {
        println!("portal on http://{portal}");
    }
    println!("listening on http://{}", running.addr);
    tokio::select! {
        result = running.task => match result {
            Ok(Ok(())) => Ok(()),
            Ok(Err(error)) => Err(format!("the server stopped: {error}")),
            Err(error) => Err(format!("the server stopped: {error}")),
        },
        _ = tokio::signal::ctrl_c() => Ok(()),
    }
}

/// A secret from its file, else from its environment variable, trimmed; `None` when neither is set.
fn secret(variable: &str, file: Option<&std::path::Path>) -> Result<Option<Vec<u8>>, String> {
    let text = match file {
        Some(path) => std::fs::read_to_string(path)
            .map_err(|e| format!("could not read the secret in {}: {e}", path.display()))?,
        None => match std::env::var(variable) {
            Ok(value) => value,
            Err(std::env::VarError::NotPresent) => return Ok(None),
            Err(std::env::VarError::NotUnicode(_)) => {
                return Err(format!("{variable} is not valid UTF-8"));
            }
        },
    };
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(format!("the secret in {variable} (or its file) is empty"));
    }
    Ok(Some(trimmed.as_bytes().to_vec()))
}

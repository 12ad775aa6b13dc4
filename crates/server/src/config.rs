//! What the server runs with: the command line's settings, checked.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Everything `server` needs to start; the command line fills it, and tests build it directly.
#[derive(Clone, Debug)]
pub struct Config {
    pub addr: SocketAddr,
    pub db: PathBuf,
    pub seed: Option<PathBuf>,
    pub demo: bool,
    pub portal_origins: Vec<String>,
    pub dist: Option<PathBuf>,
    /// Serves the demo portal on this address (demo mode only); its origin joins `portal_origins`.
    pub portal_addr: Option<SocketAddr>,
    /// Overrides the fixture's threshold when given.
    pub threshold: Option<f64>,
    /// The token signing secret; a random one per process when absent.
    pub token_secret: Option<Vec<u8>>,
    /// How long the simulated provider takes to approve a request without a fixture decision.
    pub provider_delay: Duration,
    /// How long issued tokens live; `auth::TOKEN_TTL` when absent.
    pub token_ttl: Option<Duration>,
}

/// The provider's default delay: long enough to see the request, short enough for a demo.
pub const DEFAULT_PROVIDER_DELAY: Duration = Duration::from_secs(4);

impl Config {
    pub fn new(db: PathBuf) -> Config {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            db,
            seed: None,
            demo: false,
            portal_origins: Vec::new(),
            dist: None,
            portal_addr: None,
            threshold: None,
            token_secret: None,
            provider_delay: DEFAULT_PROVIDER_DELAY,
            token_ttl: None,
        }
    }
}

/// Checks a portal origin: it goes into a `Content-Security-Policy` header and is compared exactly
/// with `MessageEvent.origin`, so it must be a bare `scheme://host[:port]`.
pub fn parse_origin(origin: &str) -> Result<String, String> {
    let rest = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .ok_or_else(|| {
            format!("{origin:?} is not an origin: it must start with http:// or https://")
        })?;
    let valid_host = !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if !valid_host {
        return Err(format!(
            "{origin:?} is not an origin: it must be scheme://host[:port], without a path or a trailing slash"
        ));
    }
    Ok(origin.to_owned())
}

pub fn parse_threshold(value: &str) -> Result<f64, String> {
    let threshold: f64 = value
        .parse()
        .map_err(|_| format!("{value:?} is not a number"))?;
    if (0.0..=1.0).contains(&threshold) {
        Ok(threshold)
    } else {
        Err(format!(
            "{value} is not a fraction between 0 and 1 (0.10 is 10 %)"
        ))
    }
}

pub fn parse_provider_delay(value: &str) -> Result<Duration, String> {
    let seconds: f64 = value
        .parse()
        .map_err(|_| format!("{value:?} is not a number of seconds"))?;
    if seconds.is_finite() && (0.0..=31_536_000.0).contains(&seconds) {
        Ok(Duration::from_secs_f64(seconds))
    } else {
        Err(format!(
            "{value} is not a number of seconds from 0 to one year"
        ))
    }
}

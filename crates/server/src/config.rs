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
    /// The previous signing secret, still accepted for verification while tokens signed with it
    /// live out their lifetime (key rotation).
    pub token_secret_previous: Option<Vec<u8>>,
    /// `--demo-data-is-public`: demo mode on an address other than loopback. Without it, `--demo`
    /// refuses to start unless every address it listens on is loopback, because demo mode lets
    /// anyone sign in as any seller.
    pub demo_public: bool,
    /// What one server, one connection and one seller may hold at once.
    pub limits: Limits,
    /// How long an intent's stored answer is kept (and replayed) after it was made.
    pub idempotency_retention: Duration,
    /// How often expired intents are deleted.
    pub idempotency_prune_every: Duration,
    /// The most intents one seller may have stored within the retention; past it, 429.
    pub idempotency_max_per_seller: u64,
}

/// The server's resource bounds. The defaults suit one 2-core instance; API.md's "Security"
/// section lists them.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Open connections at once; one past it is answered 503 and closed.
    pub max_connections: usize,
    /// Requests being handled at once (not counting open event streams); past it, 503 at once
    /// with `Retry-After` instead of queueing.
    pub max_in_flight: usize,
    /// The whole request head must arrive within this time; it is also how long an idle
    /// keep-alive connection is kept.
    pub header_read_timeout: Duration,
    /// A request's body must arrive, and its answer be ready, within this time (408 or 503).
    pub request_timeout: Duration,
    /// The request line and headers together, in bytes; past it, 431.
    pub max_header_bytes: usize,
    /// Open event streams of one seller; one more is answered 429.
    pub max_streams_per_seller: usize,
    /// Open event streams in all; one more is answered 503.
    pub max_streams: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_connections: 2048,
            max_in_flight: 256,
            header_read_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_header_bytes: 16 * 1024,
            max_streams_per_seller: 16,
            max_streams: 1024,
        }
    }
}

/// Intents are kept a day, as Stripe keeps its idempotency keys.
pub const DEFAULT_IDEMPOTENCY_RETENTION: Duration = Duration::from_secs(24 * 60 * 60);
/// A seller who cancels every shipment of a 100,000-shipment warehouse in a day stays under it.
pub const DEFAULT_IDEMPOTENCY_MAX_PER_SELLER: u64 = 100_000;

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
            token_secret_previous: None,
            demo_public: false,
            limits: Limits::default(),
            idempotency_retention: DEFAULT_IDEMPOTENCY_RETENTION,
            idempotency_prune_every: Duration::from_secs(60),
            idempotency_max_per_seller: DEFAULT_IDEMPOTENCY_MAX_PER_SELLER,
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

/// The shortest signing secret accepted, in bytes: HS256's own key size.
pub const MIN_SECRET_BYTES: usize = 32;
/// The least Shannon entropy per byte a secret must show: random hex has about 4 bits, base64
/// about 6; a word repeated or a keyboard run has less than 3.
pub const MIN_SECRET_BITS_PER_BYTE: f64 = 3.0;

/// Refuses a signing secret that is short or visibly not random, with the reason.
pub fn check_secret(secret: &[u8]) -> Result<(), String> {
    if secret.len() < MIN_SECRET_BYTES {
        return Err(format!(
            "the token secret is {} bytes long; it must be at least {MIN_SECRET_BYTES} \
             (for example `openssl rand -hex 32`)",
            secret.len()
        ));
    }
    let mut counts = [0usize; 256];
    for &byte in secret {
        counts[usize::from(byte)] += 1;
    }
    let len = secret.len() as f64;
    let bits: f64 = counts
        .iter()
        .filter(|&&n| n > 0)
        .map(|&n| {
            let p = n as f64 / len;
            -p * p.log2()
        })
        .sum();
    if bits < MIN_SECRET_BITS_PER_BYTE {
        return Err(format!(
            "the token secret is too predictable ({bits:.1} bits of entropy per byte, at least \
             {MIN_SECRET_BITS_PER_BYTE} needed): use a random one, for example `openssl rand -hex 32`"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_secret;

    #[test]
    fn random_secrets_pass_and_weak_ones_are_refused() {
        assert!(
            check_secret(b"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
                .is_ok()
        );
        assert!(check_secret(b"q3JtZ0pYb2Vtc1V4R0xxN0ZkS2p3RGhUcE5hQmNWeXo=").is_ok());
        assert!(check_secret(b"short but random 8Jk2").is_err());
        assert!(check_secret(&[b'a'; 64]).is_err());
        assert!(check_secret(b"passwordpasswordpasswordpassword").is_err());
        assert!(check_secret(b"abcabcabcabcabcabcabcabcabcabcabcabc").is_err());
    }
}

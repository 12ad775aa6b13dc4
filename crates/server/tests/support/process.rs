//! The server binary as a child process of a test (`CARGO_BIN_EXE_server`), so that a SIGKILL ends
//! it as a crash would: used by the crash tests on SQLite and the two-instance tests on PostgreSQL.

use std::ffi::OsStr;
use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// Starts the binary on a free port with `args` and `secret` as its token secret (instances given
/// the same secret accept each other's tokens, as behind a load balancer), and waits up to
/// `within` for its `listening on http://ADDR` line. Returns the child (killed on drop) and
/// `http://ADDR`.
pub async fn spawn_server<I, S>(args: I, secret: &str, within: Duration) -> (Child, String)
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["--addr", "127.0.0.1:0"])
        .args(args)
        .env("SERVER_TOKEN_SECRET", secret)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let line = tokio::time::timeout(within, lines.next_line())
        .await
        .unwrap_or_else(|_| panic!("it starts within {within:?}"))
        .expect("stdout is readable")
        .expect("a line");
    let base = line
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("the listening line, not {line:?}"))
        .to_owned();
    (child, base)
}

/// A demo token for `seller_id` from the spawned server at `base` (`POST /api/v1/dev/session`);
/// a sign-in that hangs fails the test after 30 s instead of stalling it.
pub async fn dev_token(client: &reqwest::Client, base: &str, seller_id: &str) -> String {
    let body: serde_json::Value = client
        .post(format!("{base}/api/v1/dev/session"))
        .json(&serde_json::json!({"seller_id": seller_id}))
        .timeout(Duration::from_secs(30))
        .send()
        .await
        .expect("an answer")
        .json()
        .await
        .expect("JSON");
    body["token"].as_str().expect("a token").to_owned()
}

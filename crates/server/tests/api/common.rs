//! A real server on a real SQLite file in a temporary directory, reached over real HTTP.

use reqwest::{Method, StatusCode};
use serde_json::Value;
use server::{Config, RunningServer};
use tempfile::TempDir;

pub const SECRET: &[u8] = b"a test secret of enough length";
pub const DEMO_SELLER: &str = "s-1001";
pub const OTHER_SELLER: &str = "s-2002";
pub const EXAMPLE: &str = "87654321-0001-1";

pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    /// Kept so the server and its database directory live as long as the test.
    pub _running: RunningServer,
    pub _dir: TempDir,
}

/// A fresh temporary directory and a config whose database lives in it.
pub fn config_in(dir: &TempDir) -> Config {
    let mut config = Config::new(dir.path().join("test.sqlite3"));
    config.token_secret = Some(SECRET.to_vec());
    config
}

impl TestServer {
    /// The demo server: `--demo`, which loads the embedded demo fixture into the empty database.
    pub async fn demo() -> TestServer {
        TestServer::start_with(|config| config.demo = true).await
    }

    pub async fn start_with(adjust: impl FnOnce(&mut Config)) -> TestServer {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mut config = config_in(&dir);
        adjust(&mut config);
        TestServer::start_in(dir, config).await
    }

    pub async fn start_in(dir: TempDir, config: Config) -> TestServer {
        let running = server::start(config).await.expect("the server starts");
        TestServer {
            base: format!("http://{}", running.addr),
            client: reqwest::Client::new(),
            _running: running,
            _dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A token for a seller, through the dev session (demo mode).
    pub async fn token(&self, seller_id: &str) -> String {
        let (status, body) = self
            .send(
                Method::POST,
                "/api/v1/dev/session",
                None,
                Some(serde_json::json!({ "seller_id": seller_id })),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["token"].as_str().expect("a token").to_owned()
    }

    pub async fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self.client.request(method, self.url(path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("the server answers");
        read(response).await
    }

    pub async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        self.send(Method::GET, path, Some(token), None).await
    }
}

/// Reads a JSON answer; problems must carry the problem+json content type.
pub async fn read(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let text = response.text().await.expect("a body");
    let body: Value =
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("JSON, got {status} {text:?}"));
    if !status.is_success() {
        assert_eq!(content_type, "application/problem+json", "{status} {text}");
        assert_eq!(
            body["status"].as_u64(),
            Some(u64::from(status.as_u16())),
            "{text}"
        );
    } else {
        assert!(
            content_type.starts_with("application/json"),
            "{content_type}"
        );
    }
    (status, body)
}

/// The problem `code` of an answer.
pub fn code(body: &Value) -> &str {
    body["code"].as_str().unwrap_or("<no code>")
}

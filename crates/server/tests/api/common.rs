//! A real server on a real database, reached over real HTTP: a SQLite file in a temporary directory,
//! or, when `cargo xtask test postgres` set `TEST_PG_URL`, a PostgreSQL database of the test's own
//! copied from the throwaway cluster's template (`crate::pg`).

use reqwest::{Method, StatusCode};
use serde_json::Value;
use server::{Config, RunningServer};
use tempfile::TempDir;

pub const SECRET: &[u8] = b"api-test-secret-7c3e9a1f52b84d6e90a7c2f1";
pub const DEMO_SELLER: &str = "s-1001";
pub const OTHER_SELLER: &str = "s-2002";
pub const EXAMPLE: &str = "87654321-0001-1";

pub struct TestServer {
    pub base: String,
    pub client: reqwest::Client,
    /// The server's database as a URL (`sqlite://…` or `postgres://…`), for `count`.
    pub db_url: String,
    /// Kept so the server and its database directory live as long as the test.
    pub _running: RunningServer,
    pub _dir: TempDir,
}

/// The SQLite file of a test's directory; on PostgreSQL, `start_in` puts a database of its own in
/// its place.
const SQLITE_FILE: &str = "test.sqlite3";

/// A fresh temporary directory and a config whose database lives in it.
pub fn config_in(dir: &TempDir) -> Config {
    let mut config = Config::new(dir.path().join(SQLITE_FILE));
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

    /// Starts the server on `config`. With `TEST_PG_URL` set, a config whose database is the
    /// directory's SQLite file gets a fresh PostgreSQL database instead; one that names another
    /// file (a test about SQLite files) keeps it.
    pub async fn start_in(dir: TempDir, mut config: Config) -> TestServer {
        if crate::pg::cluster_url().is_some() && config.db == dir.path().join(SQLITE_FILE) {
            config.db = crate::pg::fresh_database().await.into();
        }
        let db_url = match config.db.to_str() {
            Some(url) if url.starts_with("postgres") => url.to_owned(),
            _ => format!("sqlite://{}", config.db.display()),
        };
        let running = server::start(config).await.expect("the server starts");
        TestServer {
            base: format!("http://{}", running.addr),
            client: reqwest::Client::new(),
            db_url,
            _running: running,
            _dir: dir,
        }
    }

    /// A connection to the server's database, on either backend.
    async fn connect(&self) -> sqlx::AnyConnection {
        use sqlx::Connection as _;
        sqlx::any::install_default_drivers();
        sqlx::AnyConnection::connect(&self.db_url)
            .await
            .expect("the server's database")
    }

    /// Runs one statement without parameters (a test's own change to stored rows, such as aging
    /// a record) on either backend; the number of rows it changed.
    pub async fn execute(&self, sql: &'static str) -> u64 {
        use sqlx::Connection as _;
        let mut conn = self.connect().await;
        let done = sqlx::query(sql)
            .execute(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        conn.close().await.expect("closed");
        done.rows_affected()
    }

    /// The rows `sql` selects with `param` as `$1`, on either backend (read by column name).
    pub async fn rows(&self, sql: &'static str, param: &str) -> Vec<sqlx::any::AnyRow> {
        use sqlx::Connection as _;
        let mut conn = self.connect().await;
        let rows = sqlx::query(sql)
            .bind(param)
            .fetch_all(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        conn.close().await.expect("closed");
        rows
    }

    /// One integer that `sql` (without parameters) selects, on either backend.
    pub async fn count_all(&self, sql: &'static str) -> i64 {
        use sqlx::Connection as _;
        let mut conn = self.connect().await;
        let value: i64 = sqlx::query_scalar(sql)
            .fetch_one(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        conn.close().await.expect("closed");
        value
    }

    /// One integer that `sql` selects with `param` as `$1`, read from the server's database on
    /// either backend (one query text for both, as the store writes them).
    pub async fn count(&self, sql: &'static str, param: &str) -> i64 {
        use sqlx::Connection as _;
        let mut conn = self.connect().await;
        let value: i64 = sqlx::query_scalar(sql)
            .bind(param)
            .fetch_one(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        conn.close().await.expect("closed");
        value
    }

    /// An intent: a POST with `Idempotency-Key`, and `If-Match` when a version is given.
    pub async fn intent(
        &self,
        path: &str,
        token: &str,
        key: &str,
        version: Option<u64>,
        body: Value,
    ) -> (StatusCode, Value, reqwest::header::HeaderMap) {
        let mut request = self
            .client
            .post(self.url(path))
            .bearer_auth(token)
            .header("idempotency-key", key)
            .json(&body);
        if let Some(version) = version {
            request = request.header("if-match", format!("\"{version}\""));
        }
        let response = request.send().await.expect("the server answers");
        let headers = response.headers().clone();
        let (status, body) = read(response).await;
        (status, body, headers)
    }

    /// The current version of a shipment.
    pub async fn version(&self, token: &str, posting_number: &str) -> u64 {
        let (status, body) = self
            .get(&format!("/api/v1/shipments/{posting_number}"), token)
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        body["version"].as_u64().expect("a version")
    }

    /// Opens the live-update stream; returns once the server has subscribed it.
    pub async fn events(&self, token: &str) -> EventStream {
        let response = self
            .client
            .get(self.url("/api/v1/events"))
            .bearer_auth(token)
            .send()
            .await
            .expect("the stream opens");
        EventStream::from_response(response).await
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

pub use crate::sse::EventStream;

/// Starts a demo-like server seeded from the demo fixture after `change` edits it.
pub async fn with_fixture(change: impl FnOnce(&mut domain::fixture::Fixture)) -> TestServer {
    let (mut fixture, _) = server::demo::embedded().expect("the demo fixture");
    change(&mut fixture);
    TestServer::start_with(move |config| {
        let path = config.db.with_file_name("fixture.json");
        std::fs::write(&path, serde_json::to_vec(&fixture).expect("JSON")).expect("written");
        config.seed = Some(path);
        config.demo = true;
    })
    .await
}

/// A product's stock at a warehouse, as `GET /products/{sku}` tells it.
pub async fn stock(server: &TestServer, token: &str, sku: &str, warehouse: &str) -> u64 {
    let (status, body) = server.get(&format!("/api/v1/products/{sku}"), token).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["stock"]
        .as_array()
        .expect("stock levels")
        .iter()
        .find(|level| level["warehouse_id"] == warehouse)
        .and_then(|level| level["quantity"].as_u64())
        .expect("a stock level")
}

/// The demo posting number of showcase shipment `n` (1-based, see `server::demo`).
pub fn showcase(n: usize) -> String {
    format!("87654321-{n:04}-1")
}

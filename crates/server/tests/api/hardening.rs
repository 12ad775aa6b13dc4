//! The server's bounds and policies (API.md, "Security"): demo mode on loopback only, connection and
//! request limits, event-stream caps and expiry, idempotency retention, the token policy, text
//! hygiene and durable writes. Each test fails against the server before its fix.

use std::time::{Duration, Instant};

use jsonwebtoken::{EncodingKey, Header};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::common::{DEMO_SELLER, OTHER_SELLER, SECRET, TestServer, code, config_in, showcase};

fn cancel_path(pn: &str) -> String {
    format!("/api/v1/shipments/{pn}/cancel")
}

fn mint(secret: &[u8], claims: Value) -> String {
    jsonwebtoken::encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(secret),
    )
    .expect("a token")
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// Reads from a raw connection until the server closes it; the bytes it sent, or `None` when it
/// kept the connection open past `within`.
async fn read_until_closed(stream: &mut TcpStream, within: Duration) -> Option<String> {
    let mut seen = Vec::new();
    let outcome = tokio::time::timeout(within, async {
        let mut buffer = [0u8; 4096];
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => seen.extend_from_slice(&buffer[..n]),
            }
        }
    })
    .await;
    outcome
        .ok()
        .map(|()| String::from_utf8_lossy(&seen).into_owned())
}

#[tokio::test]
async fn demo_mode_refuses_a_public_address_unless_told_the_data_is_public() {
    let dir = tempfile::tempdir().expect("a directory");
    let mut config = config_in(&dir);
    config.demo = true;
    config.addr = "0.0.0.0:0".parse().expect("an address");
    let refused = server::start(config.clone()).await;
    let error = refused.err().expect("demo mode on 0.0.0.0 is refused");
    assert!(
        error.to_string().contains("--demo-data-is-public"),
        "{error}"
    );
    config.demo_public = true;
    let running = server::start(config).await.expect("it starts when told");
    running.task.abort();
}

#[tokio::test]
async fn the_dev_status_endpoint_moves_shipments_forward_only() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    let pn = showcase(8); // ready for shipment, partner
    let path = format!("/api/v1/dev/shipments/{pn}/status");
    let (status, body) = server
        .send(
            Method::POST,
            &path,
            Some(&token),
            Some(json!({"status": "awaiting_packaging"})),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "status_change_not_allowed"
        ),
        "{body}"
    );
    let before = server.version(&token, &pn).await;
    let (status, body) = server
        .send(
            Method::POST,
            &path,
            Some(&token),
            Some(json!({"status": "ready_for_shipment"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["version"].as_u64(),
        Some(before),
        "the same status changes nothing"
    );
    let (status, body) = server
        .send(
            Method::POST,
            &path,
            Some(&token),
            Some(json!({"status": "in_transit"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "in_transit");
}

#[tokio::test]
async fn a_slow_loris_and_an_idle_connection_are_closed_by_the_header_deadline() {
    let server = TestServer::start_with(|config| {
        config.demo = true;
        config.limits.header_read_timeout = Duration::from_millis(300);
    })
    .await;
    let addr = server.base.trim_start_matches("http://").to_owned();
    let mut slow = TcpStream::connect(&addr).await.expect("a connection");
    slow.write_all(b"GET /api/v1/config HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("half a head");
    let started = Instant::now();
    assert!(
        read_until_closed(&mut slow, Duration::from_secs(5))
            .await
            .is_some(),
        "a head that never ends is cut off"
    );
    assert!(started.elapsed() < Duration::from_secs(3));

    let mut idle = TcpStream::connect(&addr).await.expect("a connection");
    idle.write_all(b"GET /api/v1/config HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("a request");
    let answered = read_until_closed(&mut idle, Duration::from_secs(5))
        .await
        .expect("an idle keep-alive connection is closed too");
    assert!(answered.starts_with("HTTP/1.1 200"), "{answered}");
}

#[tokio::test]
async fn a_head_larger_than_the_limit_gets_431() {
    let server = TestServer::demo().await;
    let response = server
        .client
        .get(server.url("/api/v1/config"))
        .header("x-padding", "a".repeat(100 * 1024))
        .send()
        .await
        .expect("an answer");
    assert_eq!(
        response.status(),
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE
    );
}

#[tokio::test]
async fn a_connection_past_the_cap_is_answered_503_with_retry_after() {
    let server = TestServer::start_with(|config| {
        config.demo = true;
        config.limits.max_connections = 3;
    })
    .await;
    let addr = server.base.trim_start_matches("http://").to_owned();
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(TcpStream::connect(&addr).await.expect("a connection"));
    }
    let mut extra = TcpStream::connect(&addr).await.expect("a connection");
    extra
        .write_all(b"GET /api/v1/config HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("a request");
    let answer = read_until_closed(&mut extra, Duration::from_secs(5))
        .await
        .expect("answered and closed");
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("retry-after: 1"),
        "{answer}"
    );
    assert!(answer.contains("\"overloaded\""), "{answer}");
    drop(held);
}

/// A POST whose body never comes holds a request slot (its handler waits for the body).
async fn stuck_request(addr: &str) -> TcpStream {
    let mut stream = TcpStream::connect(addr).await.expect("a connection");
    stream
        .write_all(
            b"POST /api/v1/dev/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
        )
        .await
        .expect("a head and a byte");
    stream
}

#[tokio::test]
async fn requests_past_capacity_are_shed_with_503_and_retry_after_never_500() {
    let server = TestServer::start_with(|config| {
        config.demo = true;
        config.limits.max_in_flight = 2;
    })
    .await;
    let addr = server.base.trim_start_matches("http://").to_owned();
    let stuck = [stuck_request(&addr).await, stuck_request(&addr).await];
    // The two stuck requests reach their handlers in their own time: ask until the third is shed.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let response = server
            .client
            .get(server.url("/api/v1/config"))
            .send()
            .await
            .expect("an answer");
        if response.status() == StatusCode::SERVICE_UNAVAILABLE {
            assert_eq!(response.headers()["retry-after"], "1");
            let (_, body) = crate::common::read(response).await;
            assert_eq!(code(&body), "overloaded");
            break;
        }
        assert_eq!(response.status(), StatusCode::OK);
        assert!(Instant::now() < deadline, "nothing was shed");
    }
    drop(stuck);

    // A burst: every answer is a 200 or a 503 with Retry-After, none a 500.
    let token = server.token(DEMO_SELLER).await;
    let mut burst = tokio::task::JoinSet::new();
    for _ in 0..200 {
        let client = server.client.clone();
        let url = server.url("/api/v1/shipments?limit=50");
        let token = token.clone();
        burst.spawn(async move {
            let response = client
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .expect("an answer");
            let retry_after = response.headers().contains_key("retry-after");
            (response.status(), retry_after)
        });
    }
    let mut shed = 0;
    while let Some(outcome) = burst.join_next().await {
        let (status, retry_after) = outcome.expect("the request task");
        match status {
            StatusCode::OK => {}
            StatusCode::SERVICE_UNAVAILABLE => {
                assert!(retry_after);
                shed += 1;
            }
            other => panic!("a burst got {other}"),
        }
    }
    assert!(shed < 200, "some of the burst was served");
}

#[tokio::test]
async fn a_request_whose_body_never_arrives_times_out_with_503() {
    let server = TestServer::start_with(|config| {
        config.demo = true;
        config.limits.request_timeout = Duration::from_millis(500);
    })
    .await;
    let addr = server.base.trim_start_matches("http://").to_owned();
    let mut stuck = stuck_request(&addr).await;
    let answer = read_until_closed(&mut stuck, Duration::from_secs(5)).await;
    let answer = answer.unwrap_or_else(|| {
        panic!("the server answers and closes a request whose body never comes")
    });
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
}

#[tokio::test]
async fn event_streams_are_capped_per_seller_and_in_all() {
    let server = TestServer::start_with(|config| {
        config.demo = true;
        config.limits.max_streams_per_seller = 2;
        config.limits.max_streams = 3;
    })
    .await;
    let mine = server.token(DEMO_SELLER).await;
    let theirs = server.token(OTHER_SELLER).await;
    let _a = server.events(&mine).await;
    let _b = server.events(&mine).await;
    let refused = server
        .client
        .get(server.url("/api/v1/events"))
        .bearer_auth(&mine)
        .send()
        .await
        .expect("an answer");
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.headers().contains_key("retry-after"));
    let (_, body) = crate::common::read(refused).await;
    assert_eq!(code(&body), "too_many_requests");
    let _c = server.events(&theirs).await;
    let refused = server
        .client
        .get(server.url("/api/v1/events"))
        .bearer_auth(&theirs)
        .send()
        .await
        .expect("an answer");
    assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(refused.headers().contains_key("retry-after"));
}

#[tokio::test]
async fn an_event_stream_ends_when_its_token_expires() {
    let server = TestServer::start_with(|config| {
        config.demo = true;
        config.token_ttl = Some(Duration::from_secs(2));
    })
    .await;
    let token = server.token(DEMO_SELLER).await;
    let mut stream = server.events(&token).await;
    let (kind, _) = tokio::time::timeout(Duration::from_secs(6), stream.next_block())
        .await
        .expect("an event before the keep-alive would come");
    assert_eq!(kind, "expired");
    let end = tokio::time::timeout(Duration::from_secs(5), stream.chunk())
        .await
        .expect("the stream ends");
    assert!(end.is_none(), "nothing follows `expired`");
}

#[tokio::test]
async fn intents_are_kept_for_the_retention_then_forgotten_and_pruned() {
    let server = TestServer::start_with(|config| {
        config.demo = true;
        config.idempotency_prune_every = Duration::from_millis(50);
    })
    .await;
    let token = server.token(DEMO_SELLER).await;
    let pn = showcase(2);
    let version = server.version(&token, &pn).await;
    let body = json!({"reason": "customer_request"});
    let (status, _, _) = server
        .intent(
            &cancel_path(&pn),
            &token,
            "kept",
            Some(version),
            body.clone(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, headers) = server
        .intent(
            &cancel_path(&pn),
            &token,
            "kept",
            Some(version),
            body.clone(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers["idempotent-replayed"], "true",
        "replayed within the retention"
    );

    // A day and an hour later (the record's clock moved back, not ours forward).
    let aged = server
        .execute(
            "UPDATE idempotency SET created_at = created_at - 25 * 3600 * 1000 WHERE key = 'kept'",
        )
        .await;
    assert_eq!(aged, 1);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = server
            .count_all("SELECT COUNT(*) FROM idempotency WHERE key = 'kept'")
            .await;
        if left == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the expired intent was never pruned"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Forgotten: the same key is a new intent, judged on today's state.
    let (status, problem, headers) = server
        .intent(&cancel_path(&pn), &token, "kept", Some(version), body)
        .await;
    assert!(headers.get("idempotent-replayed").is_none());
    assert_eq!(status, StatusCode::PRECONDITION_FAILED, "{problem}");
}

#[tokio::test]
async fn an_expired_record_is_not_replayed_even_before_the_pruner_runs() {
    let server = TestServer::start_with(|config| {
        config.demo = true;
        config.idempotency_prune_every = Duration::from_secs(3600);
    })
    .await;
    let token = server.token(DEMO_SELLER).await;
    let pn = showcase(3);
    let version = server.version(&token, &pn).await;
    let body = json!({"reason": "customer_request"});
    let (status, _, _) = server
        .intent(&cancel_path(&pn), &token, "old", Some(version), body)
        .await;
    assert_eq!(status, StatusCode::OK);
    let aged = server
        .execute(
            "UPDATE idempotency SET created_at = created_at - 25 * 3600 * 1000 WHERE key = 'old'",
        )
        .await;
    assert_eq!(aged, 1);
    let other = json!({"reason": "out_of_stock"});
    let (status, problem, _) = server
        .intent(&cancel_path(&pn), &token, "old", Some(version), other)
        .await;
    assert_ne!(code(&problem), "idempotency_key_reused", "{problem}");
    assert_eq!(status, StatusCode::PRECONDITION_FAILED, "{problem}");
}

#[tokio::test]
async fn refusals_are_not_stored_and_a_seller_can_store_only_so_many() {
    let server = TestServer::start_with(|config| {
        config.demo = true;
        config.idempotency_max_per_seller = 2;
    })
    .await;
    let token = server.token(DEMO_SELLER).await;
    let body = json!({"reason": "customer_request"});
    let pn = showcase(2);
    let (status, _, _) = server
        .intent(&cancel_path(&pn), &token, "stale", Some(999), body.clone())
        .await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    let stored = server.count_all("SELECT COUNT(*) FROM idempotency").await;
    assert_eq!(stored, 0, "a refusal changed nothing and is not kept");

    for (i, pn) in [showcase(2), showcase(3)].iter().enumerate() {
        let version = server.version(&token, pn).await;
        let (status, _, _) = server
            .intent(
                &cancel_path(pn),
                &token,
                &format!("k{i}"),
                Some(version),
                body.clone(),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
    }
    let pn = showcase(4);
    let version = server.version(&token, &pn).await;
    let (status, problem, headers) = server
        .intent(&cancel_path(&pn), &token, "k3", Some(version), body)
        .await;
    assert_eq!(
        (status, code(&problem)),
        (StatusCode::TOO_MANY_REQUESTS, "too_many_requests")
    );
    assert!(headers.contains_key("retry-after"));
    assert_eq!(
        server.version(&token, &pn).await,
        version,
        "nothing changed"
    );
}

#[tokio::test]
async fn the_token_policy_is_enforced_over_http() {
    let server = TestServer::demo().await;
    let path = format!("/api/v1/shipments/{}", showcase(1));
    let t = now();
    let base = |iat: i64, exp: i64| json!({"sub": DEMO_SELLER, "aud": server::auth::AUDIENCE, "iat": t + iat, "exp": t + exp});
    let (status, _) = server.get(&path, &mint(SECRET, base(0, 60))).await;
    assert_eq!(status, StatusCode::OK);
    let mut not_yet = base(0, 600);
    not_yet["nbf"] = json!(t + 300);
    let mut no_iat = base(0, 60);
    no_iat.as_object_mut().expect("an object").remove("iat");
    let unknown = json!({"sub": "s-9999", "aud": server::auth::AUDIENCE, "iat": t, "exp": t + 60});
    for (what, claims) in [
        ("exp == now", base(-30, 0)),
        ("iat in the future", base(300, 600)),
        ("a lifetime over a day", base(0, 2 * 24 * 3600)),
        ("nbf not reached", not_yet),
        ("no iat", no_iat),
        ("a seller that does not exist", unknown.clone()),
    ] {
        let (status, body) = server.get(&path, &mint(SECRET, claims)).await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::UNAUTHORIZED, "unauthorized"),
            "{what}: {body}"
        );
    }
    // Once a 500 (a foreign key): a write by a seller that does not exist.
    let (status, body) = server
        .send(
            Method::POST,
            "/api/v1/delivery-geography/exclusions",
            Some(&mint(SECRET, unknown)),
            Some(json!({"country": "RU", "city": "Kazan"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");

    // The scheme in any case.
    let token = mint(SECRET, base(0, 60));
    for scheme in ["bearer", "BEARER", "Bearer"] {
        let response = server
            .client
            .get(server.url(&path))
            .header("authorization", format!("{scheme} {token}"))
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status(), StatusCode::OK, "{scheme}");
    }
}

#[tokio::test]
async fn a_weak_secret_is_refused_and_a_previous_one_still_verifies() {
    let dir = tempfile::tempdir().expect("a directory");
    let mut config = config_in(&dir);
    config.token_secret = Some(b"passwordpasswordpasswordpassword".to_vec());
    let error = server::start(config).await.err().expect("refused");
    assert!(error.to_string().contains("predictable"), "{error}");
    let mut config = config_in(&dir);
    config.token_secret = Some(b"short".to_vec());
    assert!(server::start(config).await.is_err());

    let previous: &[u8] = b"previous-secret-0d4c7e2a9b13f8650e7d1c2b";
    let server = TestServer::start_with(|config| {
        config.demo = true;
        config.token_secret_previous = Some(previous.to_vec());
    })
    .await;
    let t = now();
    let claims =
        json!({"sub": DEMO_SELLER, "aud": server::auth::AUDIENCE, "iat": t, "exp": t + 60});
    let path = format!("/api/v1/shipments/{}", showcase(1));
    let (status, _) = server.get(&path, &mint(previous, claims.clone())).await;
    assert_eq!(status, StatusCode::OK, "a token of the previous secret");
    let (status, _) = server
        .get(&path, &mint(b"another-secret-5e1f9c3a7d20b84c6e9a", claims))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_secret_is_never_taken_from_the_command_line() {
    let dir = tempfile::tempdir().expect("a directory");
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["--addr", "127.0.0.1:0", "--token-secret"])
        .arg("cli-secret-4b8e2f0a6c1d93e7b5a0")
        .arg("--db")
        .arg(dir.path().join("x.db"))
        .output()
        .await
        .expect("the binary runs");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("SERVER_TOKEN_SECRET"), "{stderr}");
}

#[tokio::test]
async fn invisible_characters_are_refused_in_every_free_text_and_real_text_passes() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    let pn = showcase(2);
    let version = server.version(&token, &pn).await;
    for (i, comment) in [
        "refund \u{202E}gnp.exe",
        "zero\u{200B}width",
        "\u{2066}isolated\u{2069}",
        "bom\u{FEFF}",
    ]
    .iter()
    .enumerate()
    {
        let (status, problem, _) = server
            .intent(
                &cancel_path(&pn),
                &token,
                &format!("bidi-{i}"),
                Some(version),
                json!({"reason": "other", "comment": comment}),
            )
            .await;
        assert_eq!(
            (status, code(&problem)),
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                "comment_invisible_characters"
            ),
            "{comment:?}"
        );
    }
    for (i, (pn, comment)) in [
        (showcase(2), "买家要求取消，商品缺货 📦"),
        (showcase(3), "Покупатель попросил отменить заказ"),
        (
            showcase(4),
            "Buyer asked to cancel 👨\u{200D}👩\u{200D}👧 café",
        ),
    ]
    .iter()
    .enumerate()
    {
        let version = server.version(&token, pn).await;
        let (status, body, _) = server
            .intent(
                &cancel_path(pn),
                &token,
                &format!("text-{i}"),
                Some(version),
                json!({"reason": "other", "comment": comment}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{comment:?}: {body}");
    }
    let (status, body) = server
        .send(
            Method::POST,
            "/api/v1/delivery-geography/exclusions",
            Some(&token),
            Some(json!({"country": "RU", "city": "Kaz\u{200B}an"})),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            "text_invisible_characters"
        ),
        "{body}"
    );
}

#[tokio::test]
async fn split_numbering_needs_orders_that_belong_to_one_seller() {
    let (mut fixture, _) = server::demo::embedded().expect("the demo fixture");
    let shared = fixture.sellers[0].shipments[0].order_number.clone();
    fixture.sellers[1].shipments[0].order_number = shared;
    let error = server::seed::validate(&fixture).expect_err("a shared order number is refused");
    assert!(error.to_string().contains("two sellers"), "{error}");

    let (mut fixture, _) = server::demo::embedded().expect("the demo fixture");
    let order = fixture.sellers[0].shipments[0].order_number.clone();
    fixture.sellers[1].shipments[0].posting_number = format!("{order}-77");
    let error =
        server::seed::validate(&fixture).expect_err("a posting numbered after another's order");
    assert!(
        error.to_string().contains("numbered after order"),
        "{error}"
    );
}

#[tokio::test]
async fn writes_are_durable_synchronous_full() {
    let dir = tempfile::tempdir().expect("a directory");
    let db = server::db::open(&dir.path().join("d.sqlite3"))
        .await
        .expect("a database");
    // Every connection of the pool has these settings (db.rs, `after_connect`).
    let mut conn = db.acquire().await.expect("an sqlx connection");
    for (pragma, expected) in [
        ("PRAGMA synchronous", "2"),
        ("PRAGMA foreign_keys", "1"),
        ("PRAGMA busy_timeout", "10000"),
        ("PRAGMA journal_mode", "wal"),
    ] {
        let row = sqlx::query(pragma)
            .fetch_one(&mut *conn)
            .await
            .expect("the pragma");
        // The Any driver reads SQLite's integer pragmas as integers and journal_mode as text.
        let value = sqlx::Row::try_get::<i64, _>(&row, 0)
            .map(|n| n.to_string())
            .or_else(|_| sqlx::Row::try_get::<String, _>(&row, 0))
            .expect("a value");
        assert_eq!(value, expected, "{pragma}");
    }
}

#[tokio::test]
async fn without_demo_the_dev_endpoints_and_the_portal_do_not_exist() {
    let server = TestServer::start_with(|config| {
        config.seed =
            Some(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo.json"));
    })
    .await;
    let t = now();
    let token = mint(
        SECRET,
        json!({"sub": DEMO_SELLER, "aud": server::auth::AUDIENCE, "iat": t, "exp": t + 60}),
    );
    let pn = showcase(20);
    for (path, body) in [
        (
            format!("/api/v1/dev/shipments/{pn}/status"),
            json!({"status": "delivered"}),
        ),
        (
            format!("/api/v1/dev/shipments/{pn}/provider-decision"),
            json!({"decision": "approve"}),
        ),
    ] {
        let (status, problem) = server
            .send(Method::POST, &path, Some(&token), Some(body))
            .await;
        assert_eq!(
            (status, code(&problem)),
            (StatusCode::NOT_FOUND, "not_found"),
            "{path}"
        );
    }
    let dir = tempfile::tempdir().expect("a directory");
    let mut config = config_in(&dir);
    config.portal_addr = Some("127.0.0.1:0".parse().expect("an address"));
    assert!(
        server::start(config).await.is_err(),
        "the demo portal, which mints tokens for anyone, needs --demo"
    );
}

#[tokio::test]
async fn a_status_repeated_in_the_filter_counts_once() {
    let server = TestServer::demo().await;
    let token = server.token(DEMO_SELLER).await;
    let (status, once) = server
        .get("/api/v1/shipments?status=in_transit,delivered", &token)
        .await;
    assert_eq!(status, StatusCode::OK);
    let repeated = vec!["in_transit,delivered"; 500].join(",");
    let (status, many) = server
        .get(&format!("/api/v1/shipments?status={repeated}"), &token)
        .await;
    assert_eq!(status, StatusCode::OK, "{many}");
    assert_eq!(many["total"], once["total"]);
    assert_eq!(many["items"], once["items"]);
}

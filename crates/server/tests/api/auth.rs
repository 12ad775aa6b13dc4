//! Tokens, the dev session and the app's configuration.

use chrono::Utc;
use jsonwebtoken::{EncodingKey, Header};
use reqwest::{Method, StatusCode};
use serde_json::json;
use server::auth::{AUDIENCE, Claims};

use crate::common::{DEMO_SELLER, EXAMPLE, SECRET, TestServer, code};

fn token_with(aud: &str, exp_offset_secs: i64, secret: &[u8]) -> String {
    let now = Utc::now().timestamp();
    let claims = Claims {
        sub: DEMO_SELLER.to_owned(),
        aud: aud.to_owned(),
        iat: now,
        exp: now + exp_offset_secs,
        nbf: None,
    };
    jsonwebtoken::encode(
        &Header::default(),
        &claims,
        &EncodingKey::from_secret(secret),
    )
    .expect("a token")
}

#[tokio::test]
async fn config_describes_demo_mode_and_portal_origins() {
    let server = TestServer::start_with(|config| {
        config.demo = true;
        config.portal_origins = vec![
            "https://portal.example".to_owned(),
            "http://localhost:9000".to_owned(),
        ];
    })
    .await;
    let (status, body) = server.send(Method::GET, "/api/v1/config", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({"demo": true, "demo_seller_id": "s-1001",
               "portal_origins": ["https://portal.example", "http://localhost:9000"]})
    );

    let plain = TestServer::start_with(|config| config.seed = Some(server_fixture())).await;
    let (status, body) = plain.send(Method::GET, "/api/v1/config", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({"demo": false, "demo_seller_id": null, "portal_origins": []})
    );
}

#[tokio::test]
async fn token_ttl_sets_the_lifetime_of_issued_tokens_and_they_stop_working_after_it() {
    let server = TestServer::start_with(|config| {
        config.demo = true;
        config.token_ttl = Some(std::time::Duration::from_secs(1));
    })
    .await;
    let (status, body) = server
        .send(
            Method::POST,
            "/api/v1/dev/session",
            None,
            Some(json!({"seller_id": DEMO_SELLER})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let expires_at: chrono::DateTime<Utc> =
        serde_json::from_value(body["expires_at"].clone()).expect("a date");
    assert!(
        expires_at - Utc::now() <= chrono::Duration::seconds(1),
        "{expires_at}"
    );
    let token = body["token"].as_str().expect("a token");
    let path = format!("/api/v1/shipments/{EXAMPLE}");
    // The seconds of `exp` are whole: the token ends within two seconds of its issue.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let (status, body) = server.get(&path, token).await;
        if status == StatusCode::UNAUTHORIZED {
            assert_eq!(code(&body), "unauthorized");
            break;
        }
        assert_eq!(status, StatusCode::OK);
        assert!(
            std::time::Instant::now() < deadline,
            "the token never expired"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

fn server_fixture() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/demo.json")
}

#[tokio::test]
async fn dev_session_gives_a_working_token_for_a_known_seller_in_demo_mode_only() {
    let server = TestServer::demo().await;
    let (status, body) = server
        .send(
            Method::POST,
            "/api/v1/dev/session",
            None,
            Some(json!({"seller_id": DEMO_SELLER})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let expires_at: chrono::DateTime<Utc> =
        serde_json::from_value(body["expires_at"].clone()).expect("a date");
    let lifetime = expires_at - Utc::now();
    assert!(
        lifetime > chrono::Duration::minutes(14) && lifetime <= chrono::Duration::minutes(15),
        "{lifetime}"
    );
    let token = body["token"].as_str().expect("a token");
    let (status, _) = server
        .get(&format!("/api/v1/shipments/{EXAMPLE}"), token)
        .await;
    assert_eq!(status, StatusCode::OK);

    let (status, body) = server
        .send(
            Method::POST,
            "/api/v1/dev/session",
            None,
            Some(json!({"seller_id": "s-9999"})),
        )
        .await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "not_found"));
    let (status, body) = server
        .send(
            Method::POST,
            "/api/v1/dev/session",
            None,
            Some(json!({"seller": DEMO_SELLER})),
        )
        .await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::BAD_REQUEST, "malformed_request")
    );

    let plain = TestServer::start_with(|config| config.seed = Some(server_fixture())).await;
    let (status, body) = plain
        .send(
            Method::POST,
            "/api/v1/dev/session",
            None,
            Some(json!({"seller_id": DEMO_SELLER})),
        )
        .await;
    assert_eq!((status, code(&body)), (StatusCode::NOT_FOUND, "not_found"));
}

#[tokio::test]
async fn missing_malformed_expired_forged_and_foreign_tokens_answer_401() {
    let server = TestServer::demo().await;
    let path = format!("/api/v1/shipments/{EXAMPLE}");
    let good = token_with(AUDIENCE, 600, SECRET);
    let (status, _) = server.get(&path, &good).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a hand-made token with the right secret works"
    );

    let (status, body) = server.send(Method::GET, &path, None, None).await;
    assert_eq!(
        (status, code(&body)),
        (StatusCode::UNAUTHORIZED, "unauthorized")
    );
    let bad_tokens = [
        ("malformed", "not-a-token".to_owned()),
        ("expired", token_with(AUDIENCE, -30, SECRET)),
        ("wrong audience", token_with("another-api", 600, SECRET)),
        (
            "forged",
            token_with(AUDIENCE, 600, b"somebody else's secret key"),
        ),
    ];
    for (what, token) in bad_tokens {
        let (status, body) = server.get(&path, &token).await;
        assert_eq!(
            (status, code(&body)),
            (StatusCode::UNAUTHORIZED, "unauthorized"),
            "{what}"
        );
    }
    let response = server
        .client
        .get(server.url(&path))
        .header("authorization", format!("Basic {good}"))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

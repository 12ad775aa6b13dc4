//! Serving the built app: index.html with its policy, hashed files cached, precompressed files.

use reqwest::StatusCode;
use reqwest::header::{CACHE_CONTROL, CONTENT_ENCODING, CONTENT_SECURITY_POLICY, CONTENT_TYPE};

use crate::common::TestServer;

const INDEX: &str = r#"<!DOCTYPE html><html><head><link rel="icon" href="data:,"></head><body><script type="module">import init from '/app-0123456789abcdef.js'; await init();</script></body></html>"#;

fn dist() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a directory");
    std::fs::write(dir.path().join("index.html"), INDEX).expect("written");
    std::fs::write(
        dir.path().join("app-0123456789abcdef.js"),
        "export default async function init() {}",
    )
    .expect("written");
    std::fs::write(
        dir.path().join("app-0123456789abcdef.js.br"),
        b"brotli bytes",
    )
    .expect("written");
    std::fs::write(dir.path().join("robots.txt"), "User-agent: *").expect("written");
    dir
}

#[tokio::test]
async fn the_app_html_carries_the_frame_policy_and_security_headers() {
    let files = dist();
    let path = files.path().to_owned();
    let server = TestServer::start_with(move |config| {
        config.dist = Some(path);
        config.portal_origins = vec!["https://portal.example".to_owned()];
    })
    .await;
    for page in ["/", "/shipments/87654321-0001-1", "/index.html"] {
        let response = server
            .client
            .get(server.url(page))
            .send()
            .await
            .expect("an answer");
        assert_eq!(response.status(), StatusCode::OK, "{page}");
        let headers = response.headers().clone();
        assert_eq!(headers[CONTENT_TYPE], "text/html; charset=utf-8");
        assert_eq!(headers[CACHE_CONTROL], "no-cache");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["referrer-policy"], "no-referrer");
        let csp = headers[CONTENT_SECURITY_POLICY].to_str().expect("text");
        assert!(
            csp.contains("frame-ancestors 'self' https://portal.example"),
            "{csp}"
        );
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval' 'sha256-"),
            "{csp}"
        );
        assert!(csp.contains("default-src 'self'"), "{csp}");
        // The page as built, with the server's answer to `/config` written into its head.
        let config = server
            .client
            .get(server.url("/api/v1/config"))
            .send()
            .await
            .expect("an answer")
            .text()
            .await
            .expect("a body");
        let written =
            format!(r#"<head><script type="application/json" id="app-config">{config}</script>"#);
        assert_eq!(
            response.text().await.expect("a body"),
            INDEX.replacen("<head>", &written, 1)
        );
    }

    let asset = server
        .client
        .get(server.url("/app-0123456789abcdef.js"))
        .send()
        .await
        .expect("an answer");
    assert_eq!(asset.status(), StatusCode::OK);
    assert_eq!(
        asset.headers()[CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert!(asset.headers().get(CONTENT_SECURITY_POLICY).is_none());

    let compressed = server
        .client
        .get(server.url("/app-0123456789abcdef.js"))
        .header("accept-encoding", "br")
        .send()
        .await
        .expect("an answer");
    assert_eq!(compressed.headers()[CONTENT_ENCODING], "br");
    assert_eq!(
        compressed.bytes().await.expect("bytes").as_ref(),
        b"brotli bytes"
    );

    let plain = server
        .client
        .get(server.url("/robots.txt"))
        .send()
        .await
        .expect("an answer");
    assert_eq!(plain.headers()[CACHE_CONTROL], "no-cache");
    let missing = server
        .client
        .get(server.url("/missing.js"))
        .send()
        .await
        .expect("an answer");
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let api = server
        .client
        .get(server.url("/api/v1/nothing-here"))
        .send()
        .await
        .expect("an answer");
    assert_eq!(
        api.status(),
        StatusCode::NOT_FOUND,
        "unknown API paths never fall back to the app"
    );
    assert_eq!(api.headers()[CONTENT_TYPE], "application/problem+json");
}

#[tokio::test]
async fn without_a_built_app_the_api_works_and_the_root_explains() {
    let empty = tempfile::tempdir().expect("a directory");
    let path = empty.path().to_owned();
    let server = TestServer::start_with(move |config| {
        config.demo = true;
        config.dist = Some(path);
    })
    .await;
    let response = server
        .client
        .get(server.url("/"))
        .send()
        .await
        .expect("an answer");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(response.headers()[CONTENT_TYPE], "application/problem+json");
    let body = response.text().await.expect("a body");
    assert!(body.contains("--dist"), "{body}");
    let config = server
        .client
        .get(server.url("/api/v1/config"))
        .send()
        .await
        .expect("an answer");
    assert_eq!(config.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_demo_portal_frames_the_app_from_its_own_origin_and_mints_tokens() {
    let files = dist();
    let path = files.path().to_owned();
    let server = TestServer::start_with(move |config| {
        config.demo = true;
        config.dist = Some(path);
        config.portal_addr = Some(std::net::SocketAddr::from(([127, 0, 0, 1], 0)));
    })
    .await;
    let portal = format!("http://{}", server._running.portal_addr.expect("a portal"));
    assert_ne!(portal, server.base, "the portal has its own origin");

    let (_, config) = server
        .send(reqwest::Method::GET, "/api/v1/config", None, None)
        .await;
    assert_eq!(config["portal_origins"], serde_json::json!([portal]));
    let app = server
        .client
        .get(server.url("/"))
        .send()
        .await
        .expect("an answer");
    let csp = app.headers()[CONTENT_SECURITY_POLICY]
        .to_str()
        .expect("text")
        .to_owned();
    assert!(
        csp.ends_with(&format!("frame-ancestors 'self' {portal}")),
        "{csp}"
    );

    let page = server
        .client
        .get(format!("{portal}/"))
        .send()
        .await
        .expect("an answer");
    assert_eq!(page.status(), StatusCode::OK);
    let portal_csp = page.headers()[CONTENT_SECURITY_POLICY]
        .to_str()
        .expect("text")
        .to_owned();
    assert!(
        portal_csp.contains(&format!("frame-src {}", server.base)),
        "{portal_csp}"
    );
    let html = page.text().await.expect("a body");
    assert!(
        html.contains(&format!(
            "<iframe id=\"app\" title=\"Orders from my warehouse\" src=\"{}/\">",
            server.base
        )),
        "{html}"
    );
    let script = server
        .client
        .get(format!("{portal}/portal.js"))
        .send()
        .await
        .expect("an answer");
    assert!(
        script
            .text()
            .await
            .expect("a body")
            .contains("event.origin !== APP_ORIGIN")
    );

    let session: serde_json::Value = server
        .client
        .post(format!("{portal}/token"))
        .send()
        .await
        .expect("an answer")
        .json()
        .await
        .expect("JSON");
    let token = session["token"].as_str().expect("a token");
    let (status, _) = server.get("/api/v1/shipments/87654321-0001-1", token).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the portal's token works on the API"
    );
}

#[tokio::test]
async fn the_portal_needs_demo_mode() {
    let dir = tempfile::tempdir().expect("a directory");
    let mut config = crate::common::config_in(&dir);
    config.portal_addr = Some(std::net::SocketAddr::from(([127, 0, 0, 1], 0)));
    let error = server::start(config).await.err().expect("refused");
    assert!(
        error.to_string().contains("--portal-addr needs --demo"),
        "{error}"
    );
}

//! Serving the built app from `--dist`: its files, and `index.html` with its security headers.

use std::path::Path;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use domain::ProblemCode;
use domain::api::CONFIG_ELEMENT_ID;
use domain::wire::AppConfig;
use sha2::{Digest, Sha256};
use tower::ServiceExt;
use tower_http::services::ServeDir;

use crate::error::ApiError;
use crate::state::AppState;

/// The build's content-hashed files (`cargo xtask build`) never change under their name, so browsers may keep them for a year.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Everything else (index.html first) is revalidated, so a new build shows up at once.
const REVALIDATE: &str = "no-cache";

pub struct WebApp {
    index: Vec<u8>,
    csp: HeaderValue,
    files: ServeDir,
}

impl WebApp {
    /// Reads `dir/index.html` and writes `config` into it ([`with_config`]); `None` when it is
    /// missing, so the API still runs without the app.
    pub fn load(dir: &Path, config: &AppConfig) -> std::io::Result<Option<WebApp>> {
        let index = match std::fs::read_to_string(dir.join("index.html")) {
            Ok(index) => with_config(&index, config)?.into_bytes(),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                tracing::warn!(dir = %dir.display(), "--dist has no index.html: only the API is served");
                return Ok(None);
            }
            Err(error) => return Err(error),
        };
        let csp = content_security_policy(&String::from_utf8_lossy(&index), &config.portal_origins);
        let csp = HeaderValue::from_str(&csp).map_err(std::io::Error::other)?;
        let files = ServeDir::new(dir).precompressed_br().precompressed_gzip();
        Ok(Some(WebApp { index, csp, files }))
    }

    fn index_response(&self) -> Response {
        (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static(REVALIDATE)),
                (header::CONTENT_SECURITY_POLICY, self.csp.clone()),
            ],
            self.index.clone(),
        )
            .into_response()
    }
}

/// `index_html` with `config` (what `GET /config` answers) in a `<script type="application/json">`
/// at the start of its head, where `boot.js` reads it: the app starts without that round trip (on
/// loopback the sign-in and the first page wait for it; under a 150 ms round trip it is 150 ms of
/// the first rows). A data block is never run, so the policy needs no hash for it. Its `<` are
/// escaped, so that no origin can close the element.
pub fn with_config(index_html: &str, config: &AppConfig) -> std::io::Result<String> {
    let json = serde_json::to_string(config)
        .map_err(std::io::Error::other)?
        .replace('<', "\\u003c");
    let element =
        format!(r#"<script type="application/json" id="{CONFIG_ELEMENT_ID}">{json}</script>"#);
    let at = match index_html.find("<head>") {
        Some(head) => head + "<head>".len(),
        None => 0,
    };
    Ok(format!(
        "{}{element}{}",
        &index_html[..at],
        &index_html[at..]
    ))
}

/// The policy of the app's HTML: only its own files, its inline start-up script by hash, and
/// framing by the configured portal origins.
pub fn content_security_policy(index_html: &str, portal_origins: &[String]) -> String {
    let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
    for script in inline_scripts(index_html) {
        script_src.push_str(&format!(
            " 'sha256-{}'",
            STANDARD.encode(Sha256::digest(script.as_bytes()))
        ));
    }
    let mut frame_ancestors = String::from("'self'");
    for origin in portal_origins {
        frame_ancestors.push(' ');
        frame_ancestors.push_str(origin);
    }
    format!(
        "default-src 'self'; script-src {script_src}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
         font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; \
         frame-ancestors {frame_ancestors}"
    )
}

/// The bodies of `<script>` elements without `src` (the build inlines `boot.js`, which starts the
/// wasm), except data blocks (`type="application/json"`), which the browser never runs.
fn inline_scripts(html: &str) -> Vec<&str> {
    let mut scripts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let tag = &after[..tag_end];
        let body_start = tag_end + 1;
        let Some(close) = after[body_start..].find("</script>") else {
            break;
        };
        if !tag.contains("src=") && !tag.contains(r#"type="application/json""#) {
            scripts.push(&after[body_start..body_start + close]);
        }
        rest = &after[body_start + close..];
    }
    scripts
}

/// A content-hashed name as the build writes it, such as `app-1f2e3d4c5b6a7980_bg.wasm`: a dash, then
/// the hash in hex digits (16 from xtask's build; at least 10 are accepted).
pub fn is_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let Some((_, tail)) = name.rsplit_once('-') else {
        return false;
    };
    let hash: String = tail.chars().take_while(char::is_ascii_hexdigit).collect();
    hash.len() >= 10 && matches!(tail[hash.len()..].chars().next(), Some('.' | '_'))
}

/// Everything outside `/api`: the app's files, and `index.html` for the app's own routes.
pub async fn serve(State(state): State<AppState>, request: Request) -> Response {
    let Some(web) = state.web.as_deref() else {
        return ApiError::new(
            StatusCode::NOT_FOUND,
            ProblemCode::NotFound,
            "The app is not served",
        )
        .detail("start the server with --dist pointing to the built app (cargo xtask build)")
        .into_response();
    };
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            ProblemCode::MethodNotAllowed,
            "Method not allowed",
        )
        .into_response();
    }
    let path = request.uri().path().to_owned();
    if path == "/" || path == "/index.html" {
        return web.index_response();
    }
    let response = match web.files.clone().oneshot(request).await {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    };
    if response.status() == StatusCode::NOT_FOUND {
        let last = path.rsplit('/').next().unwrap_or_default();
        // A path without a file extension is one of the app's routes: the app renders it.
        if !last.contains('.') {
            return web.index_response();
        }
        return ApiError::not_found("the file").into_response();
    }
    let mut response = response;
    let cache = if is_hashed(&path) {
        IMMUTABLE
    } else {
        REVALIDATE
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_names_are_hashed_and_others_are_not() {
        assert!(is_hashed("/app-1f2e3d4c5b6a7980_bg.wasm"));
        assert!(is_hashed("/app-1f2e3d4c5b6a7980.js"));
        assert!(is_hashed("/app-6ab751a11281b39_bg.wasm"));
        assert!(is_hashed("/style-0123456789abcdef.css"));
        assert!(!is_hashed("/favicon.ico"));
        assert!(!is_hashed("/my-file.js"));
        assert!(!is_hashed("/index.html"));
    }

    #[test]
    fn the_config_is_written_into_the_head_and_cannot_close_its_element() {
        let config = AppConfig {
            demo: true,
            demo_seller_id: Some("s-1001".to_owned()),
            portal_origins: vec!["https://portal.example/</script><script>alert(1)".to_owned()],
        };
        let html = with_config("<html><head><title>x</title></head></html>", &config).unwrap();
        let start =
            format!(r#"<html><head><script type="application/json" id="{CONFIG_ELEMENT_ID}">{{"#);
        assert!(html.starts_with(&start), "{html}");
        assert_eq!(html.matches("</script>").count(), 1, "{html}");
        let body = &html[start.len() - 1..html.find("</script>").unwrap()];
        let read: AppConfig = serde_json::from_str(body).unwrap();
        assert_eq!(read, config);
        // A data block is not run: the policy has no hash for it.
        assert_eq!(
            content_security_policy(&html, &[])
                .matches("'sha256-")
                .count(),
            0
        );
    }

    #[test]
    fn the_policy_allows_the_inline_start_script_by_hash_only() {
        let html =
            r#"<html><script src="/a.js"></script><script type="module">start()</script></html>"#;
        let csp = content_security_policy(html, &["https://portal.example".to_owned()]);
        let hash = STANDARD.encode(Sha256::digest(b"start()"));
        assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
        assert_eq!(csp.matches("'sha256-").count(), 1, "{csp}");
        assert!(
            csp.ends_with("frame-ancestors 'self' https://portal.example"),
            "{csp}"
        );
    }
}

//! Accepting connections within bounds: a cap on open connections, a deadline for each request
//! head (which also closes idle keep-alive connections and slow-loris clients), and a cap on the
//! size of a request head.
//!
//! `axum::serve` offers none of these, so connections are served by hyper directly, as axum's own
//! "serve with hyper" example does. What happens inside a request (load shedding, timeouts) is
//! tower middleware in `app::router`.

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderValue, Request, Response, StatusCode, header};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;

use crate::config::Limits;

/// Connections past the cap that are being told so at once; more than this are simply closed.
const MAX_REFUSING: usize = 256;

/// Serves `app` on `listener` until the listener fails.
pub async fn serve(listener: TcpListener, app: Router, limits: Limits) -> std::io::Result<()> {
    let connections = Arc::new(Semaphore::new(limits.max_connections));
    let refusing = Arc::new(Semaphore::new(MAX_REFUSING));
    let limits = Arc::new(limits);
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _peer)) => stream,
            // A connection that failed before we took it (reset, aborted) is the client's
            // business; running out of file descriptors passes once connections close.
            Err(error) if is_transient(&error) => {
                tracing::warn!(%error, "a connection could not be accepted");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                continue;
            }
            Err(error) => return Err(error),
        };
        match connections.clone().try_acquire_owned() {
            Ok(permit) => {
                let service = TowerToHyperService::new(app.clone());
                let limits = limits.clone();
                tokio::spawn(async move {
                    let connection =
                        builder(&limits).serve_connection(TokioIo::new(stream), service);
                    if let Err(error) = connection.await {
                        tracing::debug!(%error, "a connection ended with an error");
                    }
                    drop(permit);
                });
            }
            Err(_) => match refusing.clone().try_acquire_owned() {
                Ok(permit) => {
                    let limits = limits.clone();
                    tokio::spawn(async move {
                        refuse(stream, &limits).await;
                        drop(permit);
                    });
                }
                Err(_) => drop(stream),
            },
        }
    }
}

fn builder(limits: &Limits) -> http1::Builder {
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_header_size(limits.max_header_bytes)
        .keep_alive(true);
    builder
}

/// Answers one request on a connection past the cap with 503 and `Retry-After`, then closes it,
/// so that a client learns why instead of waiting in the kernel's queue.
async fn refuse(stream: TcpStream, limits: &Limits) {
    let service = hyper::service::service_fn(|_request: Request<Incoming>| async {
        let body = serde_json::json!({
            "type": "about:blank",
            "title": "Too many connections",
            "status": 503,
            "detail": "the server holds as many connections as it allows; retry shortly",
            "code": domain::ProblemCode::Overloaded,
        });
        let mut response = Response::new(Body::from(body.to_string()));
        *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        headers.insert(header::CONNECTION, HeaderValue::from_static("close"));
        Ok::<_, Infallible>(response)
    });
    let mut builder = builder(limits);
    builder.keep_alive(false);
    if let Err(error) = builder
        .serve_connection(TokioIo::new(stream), service)
        .await
    {
        tracing::debug!(%error, "a refused connection ended with an error");
    }
}

fn is_transient(error: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    matches!(
        error.kind(),
        ErrorKind::ConnectionRefused
            | ErrorKind::ConnectionAborted
            | ErrorKind::ConnectionReset
            | ErrorKind::Interrupted
    ) || error.raw_os_error().is_some_and(|code| {
        // EMFILE, ENFILE, ENOBUFS, ENOMEM: out of descriptors or buffers for now.
        matches!(code, 23 | 24 | 105 | 12)
    })
}

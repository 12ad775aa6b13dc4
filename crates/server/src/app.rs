//! The server's shared state, its router and its start-up.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use chrono::Utc;
use domain::ProblemCode;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tower::limit::GlobalConcurrencyLimitLayer;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::TokenKeys;
// Where the handlers' shared state is declared; re-exported for the callers that name it here.
use crate::config::Config;
use crate::db::{self, meta_get};
use crate::error::ApiError;
use crate::seed::{self, SeedError, SeedOutcome};
pub use crate::state::{AppState, Settings};
use crate::store::sellers;
use crate::{demo, simulation, web};

/// The largest request body the API reads: a bulk cancellation of 200 shipments fits easily.
pub const BODY_LIMIT: usize = 64 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Open(#[from] db::OpenError),
    #[error(transparent)]
    Seed(#[from] SeedError),
    #[error("could not listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("could not read the app in --dist: {0}")]
    Dist(std::io::Error),
    #[error("the database holds a threshold that is not a number: {0:?}")]
    Threshold(String),
    #[error("--portal-addr needs --demo: the demo portal signs in as the demo seller")]
    PortalNeedsDemo,
    #[error("the app's origin can't go into the portal's policy: {0}")]
    PortalOrigin(axum::http::header::InvalidHeaderValue),
    #[error("a token lifetime of {0} s is out of range")]
    TokenTtl(u64),
    #[error(
        "--demo lets anyone sign in as any seller, so it listens only on loopback (127.0.0.1 or ::1); \
         {0} is not. If this server holds nothing but demo data, add --demo-data-is-public"
    )]
    DemoNotLoopback(SocketAddr),
    #[error("{0}")]
    WeakSecret(String),
}

/// A server accepting connections in the background.
pub struct RunningServer {
    pub addr: SocketAddr,
    /// Where the demo portal listens, with `--portal-addr`.
    pub portal_addr: Option<SocketAddr>,
    pub state: AppState,
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// Opens and seeds the database, binds the address and serves in the background.
pub async fn start(mut config: Config) -> Result<RunningServer, StartError> {
    let bind = |addr: SocketAddr| async move {
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| StartError::Bind { addr, source })?;
        let local = listener
            .local_addr()
            .map_err(|source| StartError::Bind { addr, source })?;
        Ok::<_, StartError>((listener, local))
    };
    if config.demo && !config.demo_public {
        for addr in std::iter::once(config.addr).chain(config.portal_addr) {
            if !addr.ip().is_loopback() {
                return Err(StartError::DemoNotLoopback(addr));
            }
        }
    }
    for secret in [&config.token_secret, &config.token_secret_previous]
        .into_iter()
        .flatten()
    {
        crate::config::check_secret(secret).map_err(StartError::WeakSecret)?;
    }
    let (listener, addr) = bind(config.addr).await?;
    // The portal is bound first so that its origin (its real port) is allowed to frame the app.
    let portal = match config.portal_addr {
        Some(_) if !config.demo => return Err(StartError::PortalNeedsDemo),
        Some(portal_addr) => {
            let (listener, local) = bind(portal_addr).await?;
            config.portal_origins.push(format!("http://{local}"));
            Some((listener, local))
        }
        None => None,
    };
    let state = prepare(&config).await?;
    tokio::spawn(simulation::run(state.clone()));
    tokio::spawn(crate::intent::prune_expired(
        state.clone(),
        config.idempotency_prune_every,
    ));
    let limits = config.limits.clone();
    let portal_addr = match portal {
        Some((listener, local)) => {
            let app = crate::portal::router(state.clone(), &format!("http://{addr}"))
                .map_err(StartError::PortalOrigin)?;
            let limits = limits.clone();
            tokio::spawn(async move {
                if let Err(error) = crate::serve::serve(listener, app, limits).await {
                    tracing::error!(%error, "the demo portal stopped");
                }
            });
            Some(local)
        }
        None => None,
    };
    let app = router(state.clone());
    let task = tokio::spawn(crate::serve::serve(listener, app, limits));
    Ok(RunningServer {
        addr,
        portal_addr,
        state,
        task,
    })
}

async fn prepare(config: &Config) -> Result<AppState, StartError> {
    let db = db::open(&config.db).await?;
    let now = Utc::now();
    // The sellers are read through the sqlx pool (both backends); a failure there is the
    // database's, reported as one opening it.
    let mut any = db.pool().acquire().await.map_err(db::OpenError::from)?;
    let empty = sellers::none(&mut any).await.map_err(db::OpenError::from)?;
    let outcome = match &config.seed {
        Some(path) => {
            let (fixture, hash) = seed::read_fixture(path)?;
            Some(seed::load(&mut any, &fixture, &hash, now).await?)
        }
        None if config.demo && empty => {
            let (fixture, hash) = demo::embedded()?;
            Some(seed::load(&mut any, &fixture, &hash, now).await?)
        }
        None => None,
    };
    match outcome {
        Some(SeedOutcome::Loaded { shipments }) => {
            tracing::info!(shipments, "loaded the fixture")
        }
        Some(SeedOutcome::AlreadyLoaded) => {
            tracing::info!("the database already holds this fixture")
        }
        None => {}
    }
    let threshold = match config.threshold {
        Some(threshold) => threshold,
        None => match meta_get(&mut any, "threshold")
            .await
            .map_err(db::OpenError::from)?
        {
            Some(stored) => stored.parse().map_err(|_| StartError::Threshold(stored))?,
            None => domain::DEFAULT_THRESHOLD,
        },
    };
    // The demo signs in as s-1001, or as the first seller of a fixture without it.
    let demo_seller_id = if config.demo {
        sellers::preferred(&mut any, db.backend(), demo::DEMO_SELLER)
            .await
            .map_err(db::OpenError::from)?
    } else {
        None
    };
    let sellers = sellers::all(&mut any).await.map_err(db::OpenError::from)?;
    drop(any);
    let settings = Arc::new(Settings {
        demo: config.demo,
        demo_seller_id,
        portal_origins: config.portal_origins.clone(),
        threshold,
        provider_delay: config.provider_delay,
        limits: config.limits.clone(),
        idempotency_retention: config.idempotency_retention,
        idempotency_max_per_seller: config.idempotency_max_per_seller,
    });
    let web = match &config.dist {
        Some(dir) => web::WebApp::load(dir, &settings.app_config())
            .map_err(StartError::Dist)?
            .map(Arc::new),
        None => None,
    };
    let keys = match &config.token_secret {
        Some(secret) => TokenKeys::from_secret(secret),
        None => TokenKeys::random(),
    };
    let keys = match &config.token_secret_previous {
        Some(previous) => keys.with_previous(previous),
        None => keys,
    };
    let keys = match config.token_ttl {
        Some(ttl) => keys.with_ttl(
            chrono::Duration::from_std(ttl).map_err(|_| StartError::TokenTtl(ttl.as_secs()))?,
        ),
        None => keys,
    };
    // One instance drives the provider simulation: the only one on SQLite, the holder of the
    // advisory lock among those sharing a PostgreSQL database (leader.rs). Changes reach the
    // streams of this process (SQLite) or of every instance, through NOTIFY (events/).
    let provider_wake = Arc::new(Notify::new());
    let (leader, events) = match db::Location::parse(&config.db)? {
        db::Location::Postgres(url) => {
            let events = crate::events::Events::postgres(
                &url,
                crate::events::reload_from(db.clone()),
                provider_wake.clone(),
            )
            .await
            .map_err(db::OpenError::from)?;
            let leader = crate::leader::Leader::advisory(url, crate::leader::PROVIDER_LOCK_KEY);
            (leader, events)
        }
        db::Location::Sqlite(_) => (
            crate::leader::Leader::sole(),
            crate::events::Events::local(),
        ),
    };
    let commits = crate::group_commit::GroupCommit::start(db.pool().clone(), db.backend());
    Ok(AppState {
        db,
        keys,
        settings,
        events,
        leader,
        provider_wake,
        in_flight: Arc::default(),
        web,
        sellers: Arc::new(sellers),
        streams: Arc::default(),
        commits,
    })
}

/// The API's routes, documented: every route is added through `routes!`, which also records it in
/// the OpenAPI document.
pub fn api_routes() -> OpenApiRouter<AppState> {
    use crate::routes::{
        cancel, dev, events, geography, history, metric, out_of_stock, partial, products,
        providers, session, shipments, split,
    };
    OpenApiRouter::with_openapi(crate::openapi::ApiDoc::openapi())
        .routes(routes!(session::config))
        .routes(routes!(session::dev_session))
        .routes(routes!(dev::change_status))
        .routes(routes!(dev::decide_request))
        .routes(routes!(events::events))
        .routes(routes!(shipments::list))
        .routes(routes!(shipments::counts))
        .routes(routes!(history::history))
        .routes(routes!(history::export_csv))
        .routes(routes!(cancel::precheck_matching))
        .routes(routes!(providers::list_providers))
        .routes(routes!(cancel::cancel_bulk))
        .routes(routes!(out_of_stock::precheck_removal))
        .routes(routes!(out_of_stock::remove_product))
        .routes(routes!(shipments::get_one))
        .routes(routes!(cancel::cancel_one))
        .routes(routes!(split::split))
        .routes(routes!(partial::cancel_items))
        .routes(routes!(products::get_product))
        .routes(routes!(products::set_stock))
        .routes(routes!(products::archive))
        .routes(routes!(geography::get_geography))
        .routes(routes!(geography::add_exclusion))
        .routes(routes!(geography::remove_exclusion))
        .routes(routes!(metric::cancellation_rate))
}

/// The OpenAPI document of the API, as served at `/api/openapi.json`.
pub fn openapi() -> serde_json::Value {
    crate::openapi::contract::finish(
        &OpenApiRouter::<AppState>::new()
            .nest("/api/v1", api_routes())
            .into_openapi(),
    )
}

/// Sheds load instead of queueing it: past `max_in_flight` requests at once, or past the request
/// timeout, the answer is 503 with `Retry-After` (problem+json, code `overloaded`).
async fn overloaded(error: tower::BoxError) -> Response {
    let detail = if error.is::<tower::timeout::error::Elapsed>() {
        "the request took longer than the server allows; retry it (an intent's Idempotency-Key makes that safe)"
    } else {
        "the server is handling as many requests as it allows; retry shortly"
    };
    let mut response = ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        ProblemCode::Overloaded,
        "Service unavailable",
    )
    .detail(detail)
    .into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    response
}

pub fn router(state: AppState) -> Router {
    let limits = state.settings.limits.clone();
    let (api, document) = OpenApiRouter::new()
        .nest("/api/v1", api_routes())
        .split_for_parts();
    let document = crate::openapi::contract::finish(&document);
    let document = Arc::new(
        serde_json::to_string_pretty(&document).unwrap_or_else(|error| {
            tracing::error!(%error, "the OpenAPI document could not be serialized");
            String::from("{}")
        }),
    );
    let api = api.method_not_allowed_fallback(method_not_allowed).layer(
        SetResponseHeaderLayer::overriding(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ),
    );
    Router::new()
        .merge(api)
        .route(
            "/api/openapi.json",
            get(move || {
                let document = document.clone();
                async move {
                    (
                        [(header::CONTENT_TYPE, "application/json")],
                        document.as_str().to_owned(),
                    )
                }
            }),
        )
        .route("/api", any(api_not_found))
        .route("/api/{*rest}", any(api_not_found))
        .fallback(web::serve)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        // One semaphore for the whole server (a per-route limit would multiply it), and a
        // deadline for each request's body and answer; an event stream holds a permit only until
        // its headers are sent.
        .layer(
            tower::ServiceBuilder::new()
                .layer(HandleErrorLayer::new(overloaded))
                .load_shed()
                .layer(GlobalConcurrencyLimitLayer::new(limits.max_in_flight))
                .timeout(limits.request_timeout),
        )
        // JSON pages shrink well; the event stream and precompressed files are left alone.
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        .layer(CatchPanicLayer::custom(|_panic| {
            tracing::error!("a handler panicked");
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                ProblemCode::Internal,
                "Internal error",
            )
            .into_response()
        }))
        .with_state(state)
}

async fn api_not_found() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, ProblemCode::NotFound, "Not found")
        .detail("no such API endpoint")
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        ProblemCode::MethodNotAllowed,
        "Method not allowed",
    )
}

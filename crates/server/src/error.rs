//! Every failure of the API as an RFC 9457 `application/problem+json` body with a stable `code`.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::{Problem, ProblemCode, Shipment};
use serde::de::DeserializeOwned;

/// A problem the API answers with; built by handlers, turned into a response by axum. The second
/// field says whether the failure was a write conflict that a new attempt of the whole transaction
/// may get past (`is_write_conflict`); it never reaches the client.
#[derive(Clone, Debug)]
pub struct ApiError(pub Problem, Conflict);

/// Whether an [`ApiError`] came from a transaction that PostgreSQL aborted because of concurrent
/// transactions (SQLSTATE 40001 serialization failure, 40P01 deadlock victim): nothing of it was
/// applied, and running it again may succeed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Conflict {
    #[default]
    No,
    Write,
}

/// The SQLSTATEs after which PostgreSQL has rolled the transaction back and invites a retry:
/// `serialization_failure` and `deadlock_detected`.
const RETRYABLE_SQLSTATES: [&str; 2] = ["40001", "40P01"];

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(status: StatusCode, code: ProblemCode, title: impl Into<String>) -> ApiError {
        ApiError(Problem::new(status.as_u16(), code, title), Conflict::No)
    }

    /// A transaction aborted by a conflict with concurrent ones (a deadlock or a serialization
    /// failure): a 503 that says nothing was applied and to come back, should the writer's own
    /// retries (`group_commit.rs`) not get past it.
    pub fn write_conflict(cause: &dyn std::fmt::Display) -> ApiError {
        tracing::warn!(%cause, "a transaction conflicted with concurrent ones");
        let mut error = ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ProblemCode::Overloaded,
            "Service unavailable",
        )
        .detail("the change conflicted with concurrent changes and was not applied; retry shortly");
        error.1 = Conflict::Write;
        error
    }

    /// Whether running the whole transaction again may succeed (see [`ApiError::write_conflict`]).
    pub fn is_write_conflict(&self) -> bool {
        self.1 == Conflict::Write
    }

    pub fn detail(mut self, detail: impl Into<String>) -> ApiError {
        self.0.detail = Some(detail.into());
        self
    }

    pub fn shipment(mut self, shipment: Shipment) -> ApiError {
        self.0 = self.0.with_shipment(shipment);
        self
    }

    pub fn malformed(detail: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            ProblemCode::MalformedRequest,
            "Malformed request",
        )
        .detail(detail)
    }

    /// A bad query parameter or field: a 400 that names it.
    pub fn parameter(error: domain::ParamError) -> ApiError {
        let mut problem = ApiError::malformed(error.to_string());
        problem.0.parameter = Some(error.parameter);
        problem
    }

    pub fn not_found(what: &str) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, ProblemCode::NotFound, "Not found")
            .detail(format!("{what} does not exist"))
    }

    pub fn unauthorized(detail: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            ProblemCode::Unauthorized,
            "Unauthorized",
        )
        .detail(detail)
    }

    /// A rule of RULES.md refused the request.
    pub fn rule(code: ProblemCode, detail: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
            "The rules refuse this request",
        )
        .detail(detail)
    }

    /// A failure of ours; the cause goes to the log, never to the client.
    pub fn internal(cause: &dyn std::fmt::Display) -> ApiError {
        tracing::error!(%cause, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ProblemCode::Internal,
            "Internal error",
        )
    }

    pub fn status(&self) -> StatusCode {
        StatusCode::from_u16(self.0.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

pub fn problem_response(status: StatusCode, body: String) -> Response {
    let mut response = (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        )],
        body,
    )
        .into_response();
    // Every "not now" says when to come back (RFC 9110 §10.2.3); a handler may say otherwise.
    if matches!(
        status,
        StatusCode::SERVICE_UNAVAILABLE | StatusCode::TOO_MANY_REQUESTS
    ) {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    }
    response
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match serde_json::to_string(&self.0) {
            Ok(body) => problem_response(self.status(), body),
            Err(error) => {
                tracing::error!(%error, "a problem could not be serialized");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    }
}

/// A free-text field checked by the one text rule of the rules crate (`domain::check_text`):
/// control characters and invisible, disguising ones are a 422 that names the field.
pub fn check_text_field(field: &str, text: &str) -> ApiResult<()> {
    domain::check_text(text)
        .map_err(|fault| ApiError::rule(fault.into(), format!("{field}: {fault}")))
}

impl ApiError {
    /// No database connection was free within `db::POOL_WAIT`: the server is overloaded, not
    /// broken, so the client is told to come back (503 with `Retry-After`).
    fn overloaded(cause: &dyn std::fmt::Display) -> ApiError {
        tracing::warn!(%cause, "no database connection was free");
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            ProblemCode::Overloaded,
            "Service unavailable",
        )
        .detail("the server is busy; retry shortly")
    }
}

/// sqlx's failures: a pool that gave no connection within `db::POOL_WAIT` is a 503 (the
/// server is busy); a deadlock or serialization failure is a write conflict (retried by the writer, then a
/// 503); anything else is ours (500, the cause logged). Failures a caller can answer otherwise (a
/// unique-key violation that means "replay", `store::dialect::is_unique_violation`) are matched
/// before this conversion.
impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> ApiError {
        let retryable = error
            .as_database_error()
            .and_then(|database| database.code())
            .is_some_and(|code| RETRYABLE_SQLSTATES.contains(&code.as_ref()));
        match error {
            sqlx::Error::PoolTimedOut => ApiError::overloaded(&error),
            error if retryable => ApiError::write_conflict(&error),
            error => ApiError::internal(&error),
        }
    }
}

impl From<serde_json::Error> for ApiError {
    fn from(error: serde_json::Error) -> ApiError {
        ApiError::internal(&error)
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> ApiError {
        let status = rejection.status();
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            return ApiError::new(status, ProblemCode::PayloadTooLarge, "Payload too large")
                .detail(rejection.body_text());
        }
        // 415 (no JSON content type) keeps its status; everything else is a 400.
        let status = if status == StatusCode::UNSUPPORTED_MEDIA_TYPE {
            status
        } else {
            StatusCode::BAD_REQUEST
        };
        ApiError::new(status, ProblemCode::MalformedRequest, "Malformed request")
            .detail(rejection.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> ApiError {
        ApiError::malformed(rejection.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(rejection: PathRejection) -> ApiError {
        ApiError::malformed(rejection.body_text())
    }
}

/// A JSON body whose rejections are problems.
pub struct Body<T>(pub T);

impl<S, T> FromRequest<S> for Body<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Json(value) = axum::Json::<T>::from_request(req, state).await?;
        Ok(Body(value))
    }
}

/// A query string whose rejections are problems.
pub struct Query<T>(pub T);

impl<S, T> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Query(value) =
            axum::extract::Query::<T>::from_request_parts(parts, state).await?;
        Ok(Query(value))
    }
}

/// Path parameters whose rejections are problems.
pub struct Path<T>(pub T);

impl<S, T> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(value) =
            axum::extract::Path::<T>::from_request_parts(parts, state).await?;
        Ok(Path(value))
    }
}

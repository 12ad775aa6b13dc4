//! The client of the backend's `/api/v1`, with typed errors.
//!
//! The token lives in this value only, in memory: never in storage, the URL or a cookie, so that a
//! shared link or another tab never carries the seller's session.

use std::sync::{Arc, Mutex};

use domain::api::path;
use domain::metric::RateReport;
use domain::out_of_stock::{
    RemovalPrecheck, RemovalPrecheckRequest, RemovalRequest, RemovalResponse,
};
use domain::partial::CancelItemsRequest;
use domain::wire::{
    AppConfig, BulkCancelRequest, BulkCancelResponse, CancelRequest, DevSessionRequest,
    GeographyExclusion, MatchingPrecheck, MatchingPrecheckRequest, ProviderList, Session,
    ShipmentPage, SplitRequest, SplitResponse, StatusCounts, StockUpdate,
};
use domain::{
    HistoryFilter, HistoryPage, HistoryQuery, Problem, ProblemCode, Product, Shipment,
    ShipmentQuery,
};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;

use crate::embed::bridge::Bridge;
use crate::i18n::text;
use crate::json;
use crate::token::Held;

const BASE: &str = domain::api::BASE;

/// Why a call failed.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// The request never got an answer: offline, server down, CORS, aborted.
    #[error("network error: {0}")]
    Network(String),
    /// The server answered with an `application/problem+json` body.
    #[error("{} ({})", .0.title, .0.status)]
    Problem(Box<Problem>),
    /// The server answered with an error status and no problem body.
    #[error("unexpected HTTP status {0}")]
    Status(u16),
    /// The server answered 2xx with a body that is not what the API promises.
    #[error("the answer could not be decoded: {0}")]
    Decode(String),
}

impl ApiError {
    /// The seller-facing sentence for this error.
    pub fn message(&self) -> String {
        match self {
            ApiError::Network(_) => text::network_error().to_owned(),
            ApiError::Problem(problem) => text::problem(problem.code).to_owned(),
            ApiError::Status(status) => text::http_status(*status),
            ApiError::Decode(_) => text::decode_error().to_owned(),
        }
    }

    pub fn problem_code(&self) -> Option<ProblemCode> {
        match self {
            ApiError::Problem(problem) => Some(problem.code),
            _ => None,
        }
    }

    /// Worth sending again unchanged: the request may not have reached the server, or the server
    /// was still working on the same key.
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Network(_) => true,
            ApiError::Status(status) => *status >= 500,
            ApiError::Problem(problem) => {
                problem.code == ProblemCode::RequestInFlight || problem.status >= 500
            }
            ApiError::Decode(_) => false,
        }
    }
}

fn network(error: gloo_net::Error) -> ApiError {
    ApiError::Network(error.to_string())
}

/// Turns a response into the promised body, or the server's problem.
async fn read<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    decode(&read_text(response).await?)
}

/// A successful response's body as text, or the server's problem. Not generic, so that each
/// answer's type adds only its own decoding to the wasm.
async fn read_text(response: Response) -> Result<String, ApiError> {
    let body = response.text().await.map_err(network)?;
    answer_text(response.status(), response.ok(), body)
}

/// The body of an answer already read: the text when successful, or the server's problem.
fn answer_text(status: u16, ok: bool, body: String) -> Result<String, ApiError> {
    if ok {
        Ok(body)
    } else {
        match json::from_str::<Problem>(&body) {
            Ok(problem) => Err(ApiError::Problem(Box::new(problem))),
            Err(_) => Err(ApiError::Status(status)),
        }
    }
}

/// An answer the start-up script read, as the app reads its own.
fn read_handed<T: DeserializeOwned>(handed: crate::boot::Answer) -> Result<T, ApiError> {
    decode(&answer_text(handed.status, handed.ok, handed.body)?)
}

/// A GET of `BASE` + `path` with these query pairs, with the `Authorization` header when given.
fn get_request<'q>(
    path: &str,
    query: &'q [(&str, String)],
) -> impl Fn(Option<&str>) -> Result<Request, ApiError> + 'q {
    let url = format!("{BASE}{path}");
    move |auth| {
        let builder =
            Request::get(&url).query(query.iter().map(|(key, value)| (*key, value.as_str())));
        match auth {
            Some(auth) => builder.header("Authorization", auth),
            None => builder,
        }
        .build()
        .map_err(network)
    }
}

/// An answer's body read as `T`.
pub fn decode<T: DeserializeOwned>(body: &str) -> Result<T, ApiError> {
    json::from_str(body).map_err(|error| ApiError::Decode(error.to_string()))
}

async fn send<T: DeserializeOwned>(request: Request) -> Result<T, ApiError> {
    let response = request.send().await.map_err(network)?;
    read(response).await
}

/// `GET /api/v1/config`, before any sign-in; the start-up script's answer when it has one.
pub async fn config() -> Result<AppConfig, ApiError> {
    if let Some(handed) = crate::boot::config().await {
        match read_handed(handed) {
            Ok(config) => return Ok(config),
            Err(error) => {
                leptos::logging::warn!("the start-up configuration failed, asking again: {error}")
            }
        }
    }
    send(
        Request::get(&format!("{BASE}{}", path::CONFIG))
            .build()
            .map_err(network)?,
    )
    .await
}

/// `POST /api/v1/dev/session`: the standalone demo's sign-in.
pub async fn dev_session(seller_id: &str) -> Result<Session, ApiError> {
    if let Some(handed) = crate::boot::session(seller_id).await {
        match read_handed(handed) {
            Ok(session) => return Ok(session),
            Err(error) => {
                leptos::logging::warn!("the start-up sign-in failed, signing in again: {error}")
            }
        }
    }
    let body = DevSessionRequest {
        seller_id: seller_id.to_owned(),
    };
    send(encoded(
        Request::post(&format!("{BASE}{}", path::DEV_SESSION)),
        &body,
    )?)
    .await
}

/// What a successful cancel call did.
#[derive(Clone, Debug, PartialEq)]
pub enum CancelAnswer {
    /// 200: the shipment is cancelled.
    Cancelled(Shipment),
    /// 202: a request went to the delivery provider.
    Requested(Shipment),
}

impl CancelAnswer {
    pub fn shipment(&self) -> &Shipment {
        match self {
            CancelAnswer::Cancelled(shipment) | CancelAnswer::Requested(shipment) => shipment,
        }
    }
}

/// The signed-in seller's client.
#[derive(Clone, Debug)]
pub struct Api {
    token: Arc<Mutex<Held>>,
    /// Where a new token comes from when the server stops accepting the current one (it expired,
    /// or the server restarted with a new signing key).
    renewal: Renewal,
}

#[derive(Clone, Debug)]
enum Renewal {
    Never,
    /// The standalone demo signs in again as this seller.
    Demo(Arc<str>),
    /// The portal is asked with `token_request`.
    Portal(Bridge),
}

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

fn encoded<T: serde::Serialize>(builder: RequestBuilder, body: &T) -> Result<Request, ApiError> {
    let text = json::to_string(body).map_err(|error| ApiError::Decode(error.to_string()))?;
    builder
        .header("Content-Type", "application/json")
        .body(text)
        .map_err(|error| ApiError::Decode(error.to_string()))
}

impl Api {
    pub fn new(token: &str) -> Api {
        Api {
            token: Arc::new(Mutex::new(Held::new(token.to_owned(), js_sys::Date::now()))),
            renewal: Renewal::Never,
        }
    }

    /// A standalone demo session, renewed through the dev endpoint when needed.
    pub fn demo(token: &str, seller_id: &str) -> Api {
        Api {
            renewal: Renewal::Demo(Arc::from(seller_id)),
            ..Api::new(token)
        }
    }

    /// A session the portal handed over, renewed by asking the portal.
    pub fn portal(token: &str, bridge: Bridge) -> Api {
        Api {
            renewal: Renewal::Portal(bridge),
            ..Api::new(token)
        }
    }

    /// A new token, or `None` when this session can't be renewed.
    async fn renewed_token(&self) -> Result<Option<String>, ApiError> {
        match &self.renewal {
            Renewal::Never => Ok(None),
            Renewal::Demo(seller_id) => Ok(Some(dev_session(seller_id).await?.token)),
            // Without the portal's answer, the server's 401 stands.
            Renewal::Portal(bridge) => Ok(bridge.renew_token().await.ok()),
        }
    }

    fn held(&self) -> Held {
        match self.token.lock() {
            Ok(held) => held.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    fn token(&self) -> String {
        self.held().token
    }

    fn set_token(&self, token: String) {
        let held = Held::new(token, js_sys::Date::now());
        match self.token.lock() {
            Ok(mut current) => *current = held,
            Err(poisoned) => *poisoned.into_inner() = held,
        }
    }

    /// Renews the token, keeping the current one when no new one comes.
    async fn renew(&self) -> Result<(), ApiError> {
        if let Some(token) = self.renewed_token().await? {
            self.set_token(token);
        }
        Ok(())
    }

    /// Sends the request that `build` makes with the current token, renewing the token first when
    /// it is about to run out, so that the request is sent once, after the renewal. When the server
    /// still refuses the token, the request is sent again once: with the token another call renewed
    /// meanwhile, or after a renewal of its own if it made none yet. It keeps its idempotency key,
    /// so nothing the seller asked for is done twice. One renewal at most per request.
    ///
    /// `build` is a `dyn` so that the wasm holds this state machine (with the renewals it awaits)
    /// once, not once per request.
    async fn exchange(
        &self,
        build: &dyn Fn(&str) -> Result<Request, ApiError>,
    ) -> Result<Response, ApiError> {
        let renewed_first = self.held().is_due(js_sys::Date::now());
        if renewed_first {
            self.renew().await?;
        }
        let sent_with = self.token();
        let response = build(&bearer(&sent_with))?.send().await.map_err(network)?;
        if response.status() != 401 {
            return Ok(response);
        }
        if self.token() == sent_with {
            if renewed_first {
                return Ok(response);
            }
            match self.renewed_token().await? {
                Some(token) => self.set_token(token),
                None => return Ok(response),
            }
        }
        build(&bearer(&self.token()))?.send().await.map_err(network)
    }

    async fn get<T: DeserializeOwned>(&self, url: &str) -> Result<T, ApiError> {
        read(self.get_response(url).await?).await
    }

    async fn get_response(&self, url: &str) -> Result<Response, ApiError> {
        self.exchange(&|auth| {
            Request::get(url)
                .header("Authorization", auth)
                .build()
                .map_err(network)
        })
        .await
    }

    /// A GET of `path` (below `/api/v1`) with these query pairs.
    async fn get_with(&self, path: &str, query: &[(&str, String)]) -> Result<Response, ApiError> {
        let build = get_request(path, query);
        self.exchange(&|auth| build(Some(auth))).await
    }

    /// The body of a successful GET of `path` with these query pairs, or the server's problem.
    /// The start-up script's answer to the same GET is taken instead while it has one.
    async fn get_text(&self, path: &str, query: &[(&str, String)]) -> Result<String, ApiError> {
        let build = get_request(path, query);
        if crate::boot::has_prefetched()
            && let Some(body) = crate::boot::prefetched(&build(None)?.url()).await
        {
            return Ok(body);
        }
        read_text(self.exchange(&|auth| build(Some(auth))).await?).await
    }

    /// `GET /api/v1/shipments`: one page of the list.
    pub async fn shipments(&self, query: &ShipmentQuery) -> Result<ShipmentPage, ApiError> {
        decode(&self.get_text(path::SHIPMENTS, &query.to_pairs()).await?)
    }

    /// `GET /api/v1/shipments/counts`: every tab's number under the other filters, in one answer.
    pub async fn status_counts(&self, query: &ShipmentQuery) -> Result<StatusCounts, ApiError> {
        decode(
            &self
                .get_text(path::SHIPMENT_COUNTS, &query.to_pairs())
                .await?,
        )
    }

    /// `GET /api/v1/history`: one page of the cancellation history.
    pub async fn history(&self, query: &HistoryQuery) -> Result<HistoryPage, ApiError> {
        decode(&self.get_text(path::HISTORY, &query.to_pairs()).await?)
    }

    /// `GET /api/v1/history/export.csv`: the filtered history as the server writes it.
    pub async fn history_csv(&self, filter: &HistoryFilter) -> Result<Vec<u8>, ApiError> {
        let response = self.get_with(path::HISTORY_CSV, &filter.to_pairs()).await?;
        if !response.ok() {
            return Err(read::<serde::de::IgnoredAny>(response)
                .await
                .err()
                .unwrap_or(ApiError::Status(500)));
        }
        response.binary().await.map_err(network)
    }

    /// `POST /api/v1/shipments/cancel/precheck`: what cancelling every matching shipment would do.
    pub async fn precheck_matching(
        &self,
        body: &MatchingPrecheckRequest,
    ) -> Result<MatchingPrecheck, ApiError> {
        self.post_json(&format!("{BASE}{}", path::CANCEL_MATCHING_PRECHECK), body)
            .await
    }

    pub async fn shipment(&self, posting_number: &str) -> Result<Shipment, ApiError> {
        self.get(&path_url(path::SHIPMENT, posting_number)).await
    }

    /// `POST /api/v1/shipments/{posting_number}/cancel`, naming the version the seller saw.
    pub async fn cancel(
        &self,
        posting_number: &str,
        version: u64,
        idempotency_key: &str,
        body: &CancelRequest,
    ) -> Result<CancelAnswer, ApiError> {
        let url = path_url(path::CANCEL, posting_number);
        let response = self
            .post_intent(&url, Some(version), idempotency_key, body)
            .await?;
        let accepted = response.status() == 202;
        let shipment: Shipment = read(response).await?;
        Ok(if accepted {
            CancelAnswer::Requested(shipment)
        } else {
            CancelAnswer::Cancelled(shipment)
        })
    }

    /// `POST /api/v1/shipments/{posting_number}/cancel-items`: a partial cancellation, naming the
    /// version the seller saw; 200 with the shipment as it now is.
    pub async fn cancel_items(
        &self,
        posting_number: &str,
        version: u64,
        idempotency_key: &str,
        body: &CancelItemsRequest,
    ) -> Result<Shipment, ApiError> {
        let url = path_url(path::CANCEL_ITEMS, posting_number);
        let response = self
            .post_intent(&url, Some(version), idempotency_key, body)
            .await?;
        read(response).await
    }

    /// `POST /api/v1/shipments/{posting_number}/split`, naming the version the seller saw.
    pub async fn split(
        &self,
        posting_number: &str,
        version: u64,
        idempotency_key: &str,
        body: &SplitRequest,
    ) -> Result<SplitResponse, ApiError> {
        let url = path_url(path::SPLIT, posting_number);
        let response = self
            .post_intent(&url, Some(version), idempotency_key, body)
            .await?;
        read(response).await
    }

    /// A POST that changes shipments: it carries the intent's key, so a resend never acts twice,
    /// and, for one shipment, the version the seller saw, so a stale view is refused rather than
    /// acted on (a batch names its versions in its body).
    async fn post_intent(
        &self,
        url: &str,
        version: Option<u64>,
        idempotency_key: &str,
        body: &impl serde::Serialize,
    ) -> Result<Response, ApiError> {
        self.exchange(&|auth| {
            let builder = Request::post(url)
                .header("Authorization", auth)
                .header("Idempotency-Key", idempotency_key);
            let builder = match version {
                Some(version) => builder.header("If-Match", &format!("\"{version}\"")),
                None => builder,
            };
            encoded(builder, body)
        })
        .await
    }

    /// A POST that changes nothing, or nothing an intent guards (a pre-check, an exclusion).
    async fn post_json<T: DeserializeOwned>(
        &self,
        url: &str,
        body: &impl serde::Serialize,
    ) -> Result<T, ApiError> {
        let response = self
            .exchange(&|auth| encoded(Request::post(url).header("Authorization", auth), body))
            .await?;
        read(response).await
    }

    /// `POST /api/v1/shipments/cancel`: one reason for many shipments, each judged on its own.
    pub async fn cancel_many(
        &self,
        idempotency_key: &str,
        body: &BulkCancelRequest,
    ) -> Result<BulkCancelResponse, ApiError> {
        let url = format!("{BASE}{}", path::CANCEL_MANY);
        let response = self.post_intent(&url, None, idempotency_key, body).await?;
        read(response).await
    }

    /// `POST /api/v1/shipments/remove-product/precheck`: what removing an out-of-stock product
    /// from the other shipments at its warehouse would do; nothing changes.
    pub async fn precheck_removal(
        &self,
        body: &RemovalPrecheckRequest,
    ) -> Result<RemovalPrecheck, ApiError> {
        self.post_json(&format!("{BASE}{}", path::REMOVE_PRODUCT_PRECHECK), body)
            .await
    }

    /// `POST /api/v1/shipments/remove-product`: one batch of the out-of-stock sweep.
    pub async fn remove_product(
        &self,
        idempotency_key: &str,
        body: &RemovalRequest,
    ) -> Result<RemovalResponse, ApiError> {
        let url = format!("{BASE}{}", path::REMOVE_PRODUCT);
        let response = self.post_intent(&url, None, idempotency_key, body).await?;
        read(response).await
    }

    /// `PUT /api/v1/products/{sku}/stock`.
    pub async fn set_stock(&self, sku: &str, update: &StockUpdate) -> Result<Product, ApiError> {
        let url = path_url(path::PRODUCT_STOCK, sku);
        let response = self
            .exchange(&|auth| encoded(Request::put(&url).header("Authorization", auth), update))
            .await?;
        read(response).await
    }

    /// `POST /api/v1/products/{sku}/archive`.
    pub async fn archive(&self, sku: &str) -> Result<Product, ApiError> {
        let url = path_url(path::PRODUCT_ARCHIVE, sku);
        let response = self
            .exchange(&|auth| {
                Request::post(&url)
                    .header("Authorization", auth)
                    .build()
                    .map_err(network)
            })
            .await?;
        read(response).await
    }

    /// `POST /api/v1/delivery-geography/exclusions`: stop delivering to a city.
    pub async fn exclude_city(
        &self,
        exclusion: &GeographyExclusion,
    ) -> Result<GeographyExclusion, ApiError> {
        self.post_json(&format!("{BASE}{}", path::GEOGRAPHY_EXCLUSIONS), exclusion)
            .await
    }

    /// `GET /api/v1/providers`: the seller's delivery providers, for the list's filter.
    pub async fn providers(&self) -> Result<ProviderList, ApiError> {
        self.get(&format!("{BASE}{}", path::PROVIDERS)).await
    }

    /// `GET /api/v1/events`: the live-update stream, with the token in the `Authorization`
    /// header (never in the URL, which logs and histories keep), renewed as for any call. The
    /// answer is returned whatever its status: the caller reads the stream or the refusal.
    /// `signal` aborts the request and its body when the page goes away.
    pub async fn events(&self, signal: &web_sys::AbortSignal) -> Result<Response, ApiError> {
        let url = format!("{BASE}{}", path::EVENTS);
        self.exchange(&|auth| {
            Request::get(&url)
                .header("Authorization", auth)
                .header("Accept", "text/event-stream")
                .cache(web_sys::RequestCache::NoStore)
                .abort_signal(Some(signal))
                .build()
                .map_err(network)
        })
        .await
    }

    /// Asks for a new token now (the live stream ended because its token expired).
    pub async fn renew_token(&self) -> Result<(), ApiError> {
        self.renew().await
    }

    /// `GET /api/v1/metrics/cancellation-rate`.
    pub async fn cancellation_rate(&self) -> Result<RateReport, ApiError> {
        decode(&self.cancellation_rate_text().await?)
    }

    /// `GET /api/v1/metrics/cancellation-rate`, its body not yet read as a [`RateReport`]: the
    /// list asks for it in the first load and reads it in the module that shows it
    /// (crate::metric::widget), which keeps the report's decoding out of the first load.
    pub async fn cancellation_rate_text(&self) -> Result<String, ApiError> {
        read_text(
            self.get_response(&format!("{BASE}{}", path::CANCELLATION_RATE))
                .await?,
        )
        .await
    }
}

/// The URL of a path template of the rules crate with its parameter filled in.
fn path_url(template: &str, segment: &str) -> String {
    format!("{BASE}{}", path::fill(template, &encode(segment)))
}

/// Posting numbers are digits and dashes today; encoding keeps a path segment a path segment anyway.
fn encode(segment: &str) -> String {
    String::from(js_sys::encode_uri_component(segment))
}

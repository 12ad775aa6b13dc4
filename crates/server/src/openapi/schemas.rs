//! The wire types' shapes for the OpenAPI document.
//!
//! The rules crate stays free of web dependencies, so its types carry no `ToSchema`; these mirrors
//! describe them, and `tests/api/openapi.rs` checks every mirror against real answers of the
//! server, so a drift fails the build.
#![allow(dead_code)]

use utoipa::ToSchema;

#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum Status {
    AwaitingPackaging,
    AwaitingShipment,
    ReadyForShipment,
    InTransit,
    Delivered,
    Cancelled,
}

#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum DeliveryMethod {
    Partner,
    ChinaPost,
    Seller,
}

#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum Reason {
    OutOfStock,
    CustomerRequest,
    LostByCarrier,
    UndeliverableAddress,
    Other,
}

#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum CancellationState {
    Requested,
    Cancelled,
    Rejected,
}

#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum Initiator {
    Seller,
    Carrier,
}

#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum Mode {
    Immediate,
    CarrierRequest,
}

#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum BlockedCode {
    AlreadyCancelled,
    Delivered,
    CancellationPending,
    ChinaPostInTransit,
    InTransitNotPartner,
}

#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum Warning {
    CommercialShipment,
}

#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum ProblemCode {
    MalformedRequest,
    PayloadTooLarge,
    Unauthorized,
    NotFound,
    MethodNotAllowed,
    IdempotencyKeyRequired,
    IdempotencyKeyReused,
    RequestInFlight,
    PreconditionRequired,
    VersionMismatch,
    Internal,
    AlreadyCancelled,
    Delivered,
    CancellationPending,
    ChinaPostInTransit,
    InTransitNotPartner,
    ReasonNotOffered,
    CommentRequired,
    CommentTooLong,
    CommentControlCharacters,
    SplitNotOffered,
    InvalidSplit,
    InvalidQuantity,
    ProductArchived,
}

#[derive(ToSchema)]
pub struct Delivery {
    pub method: DeliveryMethod,
    pub provider: Option<String>,
}

#[derive(ToSchema)]
pub struct Destination {
    /// ISO 3166-1 alpha-2 code.
    pub country: String,
    pub city: String,
}

#[derive(ToSchema)]
pub struct ProductLine {
    pub sku: String,
    pub name: String,
    pub quantity: u32,
    /// A decimal string, such as "3.20".
    pub price: String,
    pub currency: String,
}

#[derive(ToSchema)]
pub struct Cancellation {
    pub state: CancellationState,
    pub reason: Option<Reason>,
    pub comment: Option<String>,
    pub initiator: Initiator,
    pub requested_at: chrono::DateTime<chrono::Utc>,
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
    pub provider_message: Option<String>,
}

#[derive(ToSchema)]
pub struct Eligibility {
    pub cancellable: bool,
    pub mode: Option<Mode>,
    pub reasons: Vec<Reason>,
    pub warnings: Vec<Warning>,
    pub blocked: Option<BlockedCode>,
}

/// A shipment with the eligibility the server computed with the shared rules.
#[derive(ToSchema)]
pub struct Shipment {
    pub posting_number: String,
    pub order_number: String,
    pub status: Status,
    pub delivery: Delivery,
    pub destination: Destination,
    pub warehouse_id: String,
    pub products: Vec<ProductLine>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub ship_by: chrono::DateTime<chrono::Utc>,
    /// Bumped on every change; send it back in `If-Match`.
    pub version: u64,
    pub cancellation: Option<Cancellation>,
    pub eligibility: Eligibility,
}

/// RFC 9457 problem details with a stable `code`.
#[derive(ToSchema)]
pub struct Problem {
    #[schema(rename = "type")]
    pub type_uri: String,
    pub title: String,
    pub status: u16,
    pub detail: Option<String>,
    pub code: ProblemCode,
    /// The current shipment, with 412 and with rule violations (422).
    pub shipment: Option<Shipment>,
}

#[derive(ToSchema)]
pub struct ShipmentPage {
    pub items: Vec<Shipment>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
    /// Shipments matching the filters, over all pages.
    pub total: u64,
}

#[derive(ToSchema)]
pub struct CancelRequest {
    pub reason: Reason,
    /// Required for `other`: 1 to 500 characters after trimming, no control characters.
    pub comment: Option<String>,
}

#[derive(ToSchema)]
pub struct BulkCancelRequest {
    /// 1 to 200 posting numbers.
    pub posting_numbers: Vec<String>,
    pub reason: Reason,
    pub comment: Option<String>,
}

#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum BulkOutcome {
    Cancelled,
    Requested,
    Skipped,
    Failed,
}

#[derive(ToSchema)]
pub struct BulkResult {
    pub posting_number: String,
    pub outcome: BulkOutcome,
    pub code: Option<ProblemCode>,
    pub shipment: Option<Shipment>,
}

#[derive(ToSchema)]
pub struct BulkCancelResponse {
    pub results: Vec<BulkResult>,
}

#[derive(ToSchema)]
pub struct ParcelLine {
    pub sku: String,
    pub quantity: u32,
}

#[derive(ToSchema)]
pub struct SplitRequest {
    pub parcels: Vec<Vec<ParcelLine>>,
}

#[derive(ToSchema)]
pub struct SplitResponse {
    /// The original shipment first (it holds the first parcel), then one new shipment per parcel.
    pub shipments: Vec<Shipment>,
}

#[derive(ToSchema)]
pub struct StockLevel {
    pub warehouse_id: String,
    pub quantity: u32,
}

#[derive(ToSchema)]
pub struct Product {
    pub sku: String,
    pub name: String,
    pub archived: bool,
    pub stock: Vec<StockLevel>,
}

#[derive(ToSchema)]
pub struct StockUpdate {
    pub warehouse_id: String,
    /// 0 to 1,000,000.
    pub quantity: u32,
}

#[derive(ToSchema)]
pub struct GeographyExclusion {
    /// ISO 3166-1 alpha-2 code, upper case.
    pub country: String,
    pub city: String,
}

#[derive(ToSchema)]
pub struct DestinationSummary {
    pub country: String,
    pub city: String,
    pub shipments: u64,
    pub before_handover: u64,
    pub excluded: bool,
}

#[derive(ToSchema)]
pub struct DeliveryGeography {
    pub exclusions: Vec<GeographyExclusion>,
    pub destinations: Vec<DestinationSummary>,
}

#[derive(ToSchema)]
pub struct DailyCount {
    pub date: chrono::NaiveDate,
    pub seller_cancellations: u32,
    pub shipments: u32,
}

/// Seller cancellations over shipments created, trailing 14 UTC days.
#[derive(ToSchema)]
pub struct RateReport {
    pub window_days: u32,
    pub seller_cancellations: u32,
    pub shipments: u32,
    pub rate: f64,
    pub threshold: f64,
    /// One entry per day of the window, oldest first.
    pub series: Vec<DailyCount>,
}

#[derive(ToSchema)]
pub struct AppConfig {
    pub demo: bool,
    pub demo_seller_id: Option<String>,
    pub portal_origins: Vec<String>,
}

#[derive(ToSchema)]
pub struct DevSessionRequest {
    pub seller_id: String,
}

#[derive(ToSchema)]
pub struct Session {
    pub token: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
}

#[derive(ToSchema)]
pub struct StatusChange {
    pub status: Status,
}

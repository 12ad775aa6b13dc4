//! The wire types' shapes for the OpenAPI document.
//!
//! They are the rules crate's own types, which derive their schemas under its `openapi` feature, so
//! the document can't drift from what the server sends; `tests/api/openapi.rs` still checks real
//! answers against it.

pub use domain::fixture::Decision;
pub use domain::history::{HistoryEntry, HistoryKind, HistoryPage};
pub use domain::metric::{DailyCount, RateReport};
pub use domain::out_of_stock::{
    RemovalOutcome, RemovalPrecheck, RemovalPrecheckRequest, RemovalRequest, RemovalResponse,
    RemovalResult,
};
pub use domain::partial::{CancelItemsRequest, CancelledItem, RequestedItem};
pub use domain::split::ParcelLine;
pub use domain::wire::{
    AppConfig, BulkCancelRequest, BulkCancelResponse, BulkOutcome, BulkResult, CancelRequest,
    DeliveryGeography, DestinationSummary, DevSessionRequest, GeographyExclusion, MatchFilter,
    MatchingPrecheck, MatchingPrecheckRequest, ProviderDecisionRequest, ProviderList,
    ProviderSummary, SeenShipment, Session, ShipmentPage, SkippedCount, SplitRequest,
    SplitResponse, StatusCount, StatusCounts, StockUpdate,
};
pub use domain::{
    BlockedCode, Cancellation, CancellationState, Delivery, DeliveryMethod, Destination,
    Eligibility, Initiator, Mode, Problem, ProblemCode, Product, ProductLine, Reason, Shipment,
    Status, StockLevel, Warning,
};

/// The body of the demo's status change.
pub use crate::routes::dev::StatusChange;

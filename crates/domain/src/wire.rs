//! Request and response bodies of the API (`../shared/DESIGN.md`), other than the Shipment itself.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::code::codes;

use crate::split::ParcelLine;
use crate::{ProblemCode, Reason, Shipment};

/// `GET /api/v1/shipments`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ShipmentPage {
    pub items: Vec<Shipment>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
    /// Shipments matching the filters, over all pages.
    pub total: u64,
}

/// `POST /api/v1/shipments/{posting_number}/cancel`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CancelRequest {
    pub reason: Reason,
    /// Required for `other`: 1 to 500 characters after trimming, no control characters.
    #[serde(default)]
    pub comment: Option<String>,
}

/// `POST /api/v1/shipments/cancel`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BulkCancelRequest {
    /// 1 to 200 posting numbers.
    pub posting_numbers: Vec<String>,
    pub reason: Reason,
    #[serde(default)]
    pub comment: Option<String>,
    /// The version of each shipment the seller saw, in the order of `posting_numbers` (as a
    /// pre-check gives them). A shipment whose version has changed since is not cancelled: it is
    /// `skipped` with `version_mismatch` and its current state, for the seller to look at again.
    /// Without it, each shipment is judged as it is now.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::limits::deserialize_versions"
    )]
    pub versions: Option<Vec<u64>>,
}

/// `GET /api/v1/shipments/counts`: the list's shipments per status under the other filters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusCounts {
    /// Every status, in the marketplace's order, with 0 where none match.
    pub statuses: Vec<StatusCount>,
    /// All of them together: the "All" tab.
    pub total: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusCount {
    pub status: crate::Status,
    pub shipments: u64,
}

/// The list's filters as a typed value, for the requests that act on every matching shipment. The
/// fields mean what the list's query parameters of the same names mean (`crate::api::list`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MatchFilter {
    /// Any of these statuses; empty is every status.
    #[serde(default)]
    pub status: Vec<crate::Status>,
    #[serde(default)]
    pub delivery: Option<crate::DeliveryMethod>,
    #[serde(default)]
    pub provider: Option<String>,
    #[serde(default)]
    pub city: Option<String>,
    #[serde(default)]
    pub q: Option<String>,
}

/// `POST /api/v1/shipments/cancel/precheck`: what cancelling every shipment that `filter` matches
/// (the first `limit`, in the list's default order) with this reason would do. Nothing changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MatchingPrecheckRequest {
    pub filter: MatchFilter,
    pub reason: Reason,
    #[serde(default)]
    pub comment: Option<String>,
    /// 1 to `crate::api::matching::MAX_LIMIT`; `29.0` reads as 29, as JSON Schema's `integer` says.
    #[serde(deserialize_with = "crate::limits::deserialize_count")]
    pub limit: u32,
}

/// The answer of a pre-check: the seller confirms it, then the app sends `eligible` in batches to
/// `POST /shipments/cancel` with their `versions`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MatchingPrecheck {
    /// Every shipment the filter matches.
    pub matching: u64,
    /// Those the pre-check judged: `matching`, or `limit` when fewer.
    pub considered: u64,
    /// The ones this reason can cancel now, with the version judged.
    pub eligible: Vec<SeenShipment>,
    /// Why the rest cannot be, one line per code.
    pub skipped: Vec<SkippedCount>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeenShipment {
    pub posting_number: String,
    pub version: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SkippedCount {
    /// A blocked code, or `reason_not_offered`.
    pub code: ProblemCode,
    pub shipments: u64,
}

codes! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum BulkOutcome {
        Cancelled = "cancelled",
        Requested = "requested",
        Skipped = "skipped",
        Failed = "failed",
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkResult {
    pub posting_number: String,
    pub outcome: BulkOutcome,
    pub code: Option<ProblemCode>,
    pub shipment: Option<Shipment>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BulkCancelResponse {
    pub results: Vec<BulkResult>,
}

/// `POST /api/v1/shipments/{posting_number}/split`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SplitRequest {
    pub parcels: Vec<Vec<ParcelLine>>,
}

/// `PUT /api/v1/products/{sku}/stock`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StockUpdate {
    pub warehouse_id: String,
    #[serde(deserialize_with = "crate::limits::deserialize_count")]
    pub quantity: u32,
}

/// `POST /api/v1/delivery-geography/exclusions`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct GeographyExclusion {
    pub country: String,
    pub city: String,
}

/// `POST /api/v1/dev/session`, demo mode only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DevSessionRequest {
    pub seller_id: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    pub token: String,
    #[serde(with = "crate::timestamp")]
    pub expires_at: DateTime<Utc>,
}

/// `GET /api/v1/config`: what the server tells the app at start, so the app never guesses it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AppConfig {
    /// The server runs with demo data: the standalone app may sign in through the dev session.
    pub demo: bool,
    /// The seller the standalone demo signs in as.
    pub demo_seller_id: Option<String>,
    /// The portal origins allowed to frame the app and talk to it, compared exactly.
    pub portal_origins: Vec<String>,
}

/// `POST /api/v1/shipments/{posting_number}/split`: every parcel as a shipment, the original first
/// (it keeps its posting number and holds the first parcel).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SplitResponse {
    pub shipments: Vec<Shipment>,
}

/// `GET /api/v1/delivery-geography`: where the seller stops delivering, and where its shipments go.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveryGeography {
    pub exclusions: Vec<GeographyExclusion>,
    pub destinations: Vec<DestinationSummary>,
}

/// One destination city of the seller's shipments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DestinationSummary {
    pub country: String,
    pub city: String,
    /// All of the seller's shipments to this city.
    pub shipments: u64,
    /// Those still before handover, which a bulk cancellation could stop.
    pub before_handover: u64,
    pub excluded: bool,
}

/// `GET /api/v1/providers`: the delivery providers of the seller's shipments, for the list's filter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProviderList {
    /// By name; shipments without a provider (own delivery) are not counted.
    pub providers: Vec<ProviderSummary>,
}

/// One delivery provider of the seller's shipments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProviderSummary {
    /// The name the list's `provider` filter takes.
    pub name: String,
    pub delivery_method: crate::DeliveryMethod,
    /// The seller's shipments with this provider.
    pub shipments: u64,
}

/// `POST /api/v1/dev/shipments/{posting_number}/provider-decision` (demo only): the provider answers
/// the shipment's pending cancellation request now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProviderDecisionRequest {
    pub decision: crate::fixture::Decision,
    /// The provider's words with a rejection; a default message when absent.
    #[serde(default)]
    pub message: Option<String>,
}

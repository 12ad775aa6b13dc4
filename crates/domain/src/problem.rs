//! RFC 9457 problem details, with the stable `code` that the app turns into words.

use serde::{Deserialize, Serialize};

use crate::code::codes;
use crate::eligibility::RuleViolation;
use crate::partial::{ItemsError, PartialError};
use crate::text::TextFault;
use crate::{BlockedCode, CommentError, Shipment};

codes! {
    /// Every code the API may answer with. The app has a sentence for each, in each locale.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum ProblemCode {
        // Requests
        MalformedRequest = "malformed_request",
        PayloadTooLarge = "payload_too_large",
        Unauthorized = "unauthorized",
        NotFound = "not_found",
        MethodNotAllowed = "method_not_allowed",
        IdempotencyKeyRequired = "idempotency_key_required",
        IdempotencyKeyReused = "idempotency_key_reused",
        RequestInFlight = "request_in_flight",
        PreconditionRequired = "precondition_required",
        VersionMismatch = "version_mismatch",
        /// A bulk cancellation's `versions` do not pair one to one with its posting numbers (422).
        InvalidVersions = "invalid_versions",
        Internal = "internal",
        /// The server is at capacity (503, with `Retry-After`).
        Overloaded = "overloaded",
        /// Too many requests of one kind from one seller (429, with `Retry-After`): live-update
        /// streams, or intents stored within the idempotency retention.
        TooManyRequests = "too_many_requests",
        // Rules: the blocked codes
        AlreadyCancelled = "already_cancelled",
        Delivered = "delivered",
        CancellationPending = "cancellation_pending",
        ChinaPostInTransit = "china_post_in_transit",
        InTransitNotPartner = "in_transit_not_partner",
        // Rules: reasons and descriptions
        ReasonNotOffered = "reason_not_offered",
        CommentRequired = "comment_required",
        CommentTooLong = "comment_too_long",
        CommentControlCharacters = "comment_control_characters",
        CommentInvisibleCharacters = "comment_invisible_characters",
        // Free text other than the description (a city, a warehouse, a provider's message)
        TextControlCharacters = "text_control_characters",
        TextInvisibleCharacters = "text_invisible_characters",
        // Demo mode: a status change the marketplace could not make (backwards, or to cancelled)
        StatusChangeNotAllowed = "status_change_not_allowed",
        // Splits, products and geography
        SplitNotOffered = "split_not_offered",
        InvalidSplit = "invalid_split",
        InvalidQuantity = "invalid_quantity",
        ProductArchived = "product_archived",
        // Partial cancellations (RULES.md, "Cancelling some products of a shipment")
        /// Offered only while the shipment awaits packaging.
        PartialNotOffered = "partial_not_offered",
        /// An item names an unknown or repeated SKU, or a quantity of 0 or more than the shipment holds.
        InvalidItems = "invalid_items",
        /// Every unit is named: that is a whole cancellation, with its own reasons and effects.
        WholeShipment = "whole_shipment",
    }
}

impl From<BlockedCode> for ProblemCode {
    fn from(code: BlockedCode) -> ProblemCode {
        match code {
            BlockedCode::AlreadyCancelled => ProblemCode::AlreadyCancelled,
            BlockedCode::Delivered => ProblemCode::Delivered,
            BlockedCode::CancellationPending => ProblemCode::CancellationPending,
            BlockedCode::ChinaPostInTransit => ProblemCode::ChinaPostInTransit,
            BlockedCode::InTransitNotPartner => ProblemCode::InTransitNotPartner,
        }
    }
}

impl From<CommentError> for ProblemCode {
    fn from(error: CommentError) -> ProblemCode {
        match error {
            CommentError::CommentRequired => ProblemCode::CommentRequired,
            CommentError::CommentTooLong => ProblemCode::CommentTooLong,
            CommentError::CommentControlCharacters => ProblemCode::CommentControlCharacters,
            CommentError::CommentInvisibleCharacters => ProblemCode::CommentInvisibleCharacters,
        }
    }
}

impl From<TextFault> for ProblemCode {
    fn from(fault: TextFault) -> ProblemCode {
        match fault {
            TextFault::ControlCharacters => ProblemCode::TextControlCharacters,
            TextFault::InvisibleCharacters => ProblemCode::TextInvisibleCharacters,
        }
    }
}

impl From<RuleViolation> for ProblemCode {
    fn from(violation: RuleViolation) -> ProblemCode {
        match violation {
            RuleViolation::Blocked(code) => code.into(),
            RuleViolation::ReasonNotOffered => ProblemCode::ReasonNotOffered,
        }
    }
}

impl From<&ItemsError> for ProblemCode {
    fn from(error: &ItemsError) -> ProblemCode {
        match error {
            ItemsError::WholeShipment => ProblemCode::WholeShipment,
            ItemsError::NoItems
            | ItemsError::UnknownSku { .. }
            | ItemsError::DuplicateSku { .. }
            | ItemsError::ZeroQuantity { .. }
            | ItemsError::NotWholeUnits { .. }
            | ItemsError::MoreThanHeld { .. } => ProblemCode::InvalidItems,
        }
    }
}

impl From<&PartialError> for ProblemCode {
    fn from(error: &PartialError) -> ProblemCode {
        match error {
            PartialError::NotOffered => ProblemCode::PartialNotOffered,
            PartialError::ReasonNotOffered => ProblemCode::ReasonNotOffered,
            PartialError::Comment(error) => (*error).into(),
            PartialError::Items(error) => error.into(),
        }
    }
}

/// An `application/problem+json` body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: String,
    pub status: u16,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    pub code: ProblemCode,
    /// The query parameter or body field a 400 is about, exactly as the request spelt it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    /// The current state, for a stale version (412) or a rule violation (422).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shipment: Option<Box<Shipment>>,
}

impl Problem {
    pub fn new(status: u16, code: ProblemCode, title: impl Into<String>) -> Problem {
        Problem {
            type_uri: "about:blank".to_owned(),
            title: title.into(),
            status,
            detail: None,
            code,
            parameter: None,
            shipment: None,
        }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Problem {
        self.detail = Some(detail.into());
        self
    }

    pub fn with_shipment(mut self, shipment: Shipment) -> Problem {
        self.shipment = Some(Box::new(shipment));
        self
    }
}

//! Every English sentence the seller reads, keyed by the domain's codes.
//!
//! They live in one module so that the later move to translated catalogues (zh-CN, ru) replaces one
//! file. Status names, reason labels and "Cancel shipment" are the marketplace's own words, taken
//! from the seed help page, so the domain crate's labels are used as they are.

use domain::{
    BlockedCode, CancellationState, CommentError, DeliveryMethod, Initiator, ProblemCode, Reason,
    Status, Warning,
};

pub const PAGE_TITLE: &str = "Orders from my warehouse";
pub const TABLE_NAME: &str = "Shipments";
pub const CANCEL_SHIPMENT: &str = "Cancel shipment";
pub const KEEP_SHIPMENT: &str = "Keep shipment";
pub const KEEP_SHIPMENTS: &str = "Keep shipments";
pub const LOADING_APP: &str = "Starting…";
pub const LOADING_SHIPMENTS: &str = "Loading shipments…";
pub const LOADING_MORE: &str = "Loading more shipments…";
pub const LOAD_MORE: &str = "Show more shipments";
pub const OPEN_FROM_PORTAL: &str = "Open this page from the seller portal.";
pub const OPEN_FROM_PORTAL_DETAIL: &str = "This app works inside the seller portal, which signs you in. Go to Logistics → Orders from my warehouse there.";
pub const NO_SHIPMENTS: &str = "No shipments here.";
pub const NO_SHIPMENTS_FILTERED: &str =
    "No shipment matches these filters. Clear the filters or choose another tab.";
pub const TRY_AGAIN: &str = "Try again";
pub const CLEAR_FILTERS: &str = "Clear filters";
pub const COULD_NOT_START: &str = "The app could not start.";
pub const COULD_NOT_LOAD: &str = "The shipments could not be loaded.";
pub const OVERDUE: &str = "Overdue";
pub const NO_CANCELLATION: &str = "—";

// Column headers.
pub const COL_SHIPMENT: &str = "Shipment";
pub const COL_PRODUCTS: &str = "Products";
pub const COL_DESTINATION: &str = "Destination";
pub const COL_DELIVERY: &str = "Delivery";
pub const COL_SHIP_BY: &str = "Ship by";
pub const COL_STATUS: &str = "Status";
pub const COL_CANCELLATION: &str = "Cancellation";
pub const COL_ACTIONS: &str = "Actions";

pub const ORDER_PREFIX: &str = "Order";

// Tabs and filters.
pub const TAB_ALL: &str = "All";
pub const TABS_NAME: &str = "Shipment status";
pub const FILTERS_NAME: &str = "Filters";
pub const FILTER_DELIVERY: &str = "Delivery method";
pub const FILTER_DELIVERY_ANY: &str = "Any delivery";
pub const FILTER_CITY: &str = "Destination city";
pub const FILTER_SEARCH: &str = "Search";
pub const FILTER_SEARCH_HINT: &str = "Posting or order number, product name or SKU";
pub const FILTER_SORT: &str = "Sort by";
pub const SORT_CREATED_DESC: &str = "Creation date, newest first";
pub const SORT_CREATED_ASC: &str = "Creation date, oldest first";
pub const SORT_SHIP_BY_ASC: &str = "Ship-by date, earliest first";
pub const SORT_SHIP_BY_DESC: &str = "Ship-by date, latest first";

pub fn shown_of_total(shown: usize, total: u64) -> String {
    format!("Showing {shown} of {total} shipments")
}

/// The marketplace's status names.
pub fn status(status: Status) -> &'static str {
    status.label_en()
}

/// The marketplace's reason labels.
pub fn reason(reason: Reason) -> &'static str {
    reason.label_en()
}

/// The delivery column: the method, and the provider where it adds something.
pub fn delivery(method: DeliveryMethod, provider: Option<&str>) -> String {
    let method_words = delivery_method(method);
    match provider {
        Some(provider) if provider != method_words => format!("{method_words} · {provider}"),
        _ => method_words.to_owned(),
    }
}

pub fn delivery_method(method: DeliveryMethod) -> &'static str {
    match method {
        DeliveryMethod::Partner => "Partner delivery service",
        DeliveryMethod::ChinaPost => "China Post",
        DeliveryMethod::Seller => "Own or non-integrated delivery",
    }
}

/// Why the button is disabled, as a sentence.
pub fn blocked(code: BlockedCode) -> &'static str {
    match code {
        BlockedCode::AlreadyCancelled => "This shipment is already cancelled.",
        BlockedCode::Delivered => "This shipment has been delivered, so it can't be cancelled.",
        BlockedCode::CancellationPending => {
            "A cancellation request was sent to the delivery provider and is waiting for an answer."
        }
        BlockedCode::ChinaPostInTransit => {
            "If you deliver via China Post, you can't cancel the order in the “In transit” status."
        }
        BlockedCode::InTransitNotPartner => {
            "Only orders delivered via a partner service can be cancelled in the “In transit” status."
        }
    }
}

/// What the seller can do instead, for each reason the button is disabled.
pub fn blocked_advice(code: BlockedCode) -> &'static str {
    match code {
        BlockedCode::AlreadyCancelled => "Nothing more is needed.",
        BlockedCode::Delivered => {
            "If the customer doesn't want the order, they can return it through the marketplace."
        }
        BlockedCode::CancellationPending => {
            "Wait for the provider's answer: this row changes when it arrives. If the provider rejects the request, you can send a new one."
        }
        BlockedCode::ChinaPostInTransit => {
            "Contact China Post about the parcel, or let it be delivered and handle a return."
        }
        BlockedCode::InTransitNotPartner => {
            "Contact your delivery service about the parcel, or let it be delivered and handle a return."
        }
    }
}

pub fn warning(warning: Warning) -> &'static str {
    match warning {
        Warning::CommercialShipment => {
            "More than 3 identical products: customs may consider this order a commercial shipment and cancel it."
        }
    }
}

pub fn cancellation_state(
    state: CancellationState,
    provider: Option<&str>,
    initiator: Initiator,
) -> String {
    let provider = provider.unwrap_or("the delivery provider");
    match (state, initiator) {
        (CancellationState::Requested, _) => format!("Cancellation requested from {provider}"),
        (CancellationState::Rejected, _) => format!("Rejected by {provider}"),
        (CancellationState::Cancelled, Initiator::Seller) => "Cancelled by you".to_owned(),
        (CancellationState::Cancelled, Initiator::Carrier) => {
            format!("Cancelled by {provider}")
        }
    }
}

pub fn reason_line(reason: Reason) -> String {
    format!("Reason: {}", self::reason(reason))
}

pub fn comment_error(error: CommentError) -> &'static str {
    match error {
        CommentError::CommentRequired => "Describe the reason: a description is required.",
        CommentError::CommentTooLong => "The description is too long.",
        CommentError::CommentControlCharacters => {
            "The description contains characters that can't be sent, such as tabs or line breaks."
        }
    }
}

/// The server's refusals, in words.
pub fn problem(code: ProblemCode) -> &'static str {
    match code {
        ProblemCode::MalformedRequest => {
            "The request was not understood. Reload the page and try again."
        }
        ProblemCode::PayloadTooLarge => "The request is too large.",
        ProblemCode::Unauthorized => {
            "Your session has ended. Open this page from the seller portal again."
        }
        ProblemCode::NotFound => "This shipment was not found.",
        ProblemCode::MethodNotAllowed => "This action is not available.",
        ProblemCode::IdempotencyKeyRequired | ProblemCode::IdempotencyKeyReused => {
            "The request could not be matched to your action. Close the dialog and try again."
        }
        ProblemCode::RequestInFlight => {
            "The same request is still being processed. Wait a moment and try again."
        }
        ProblemCode::PreconditionRequired | ProblemCode::VersionMismatch => {
            "The shipment changed since you opened it."
        }
        ProblemCode::Internal => "Something went wrong on our side. Try again later.",
        ProblemCode::AlreadyCancelled => blocked(BlockedCode::AlreadyCancelled),
        ProblemCode::Delivered => blocked(BlockedCode::Delivered),
        ProblemCode::CancellationPending => blocked(BlockedCode::CancellationPending),
        ProblemCode::ChinaPostInTransit => blocked(BlockedCode::ChinaPostInTransit),
        ProblemCode::InTransitNotPartner => blocked(BlockedCode::InTransitNotPartner),
        ProblemCode::ReasonNotOffered => "This reason can't be used for this shipment.",
        ProblemCode::CommentRequired => comment_error(CommentError::CommentRequired),
        ProblemCode::CommentTooLong => comment_error(CommentError::CommentTooLong),
        ProblemCode::CommentControlCharacters => {
            comment_error(CommentError::CommentControlCharacters)
        }
        ProblemCode::SplitNotOffered => "This shipment can't be split into parcels.",
        ProblemCode::InvalidSplit => "The parcels don't match the shipment.",
        ProblemCode::InvalidQuantity => "Enter a whole number of 0 or more.",
        ProblemCode::ProductArchived => "This product is archived.",
    }
}

pub const NETWORK_ERROR: &str =
    "The server could not be reached. Check your connection and try again.";
pub const DECODE_ERROR: &str = "The server's answer could not be read.";

pub fn http_status(status: u16) -> String {
    format!("The server answered with an unexpected error ({status}).")
}

// The cancellation dialog.
pub const DIALOG_TITLE: &str = "Cancel shipment";
pub const CLOSE: &str = "Close";
pub const REASON_LEGEND: &str = "Cancellation reason";
pub const DESCRIPTION_LABEL: &str = "Describe the reason";
pub const CHOOSE_REASON: &str = "Choose a cancellation reason.";
pub const OUTCOME_HEADING: &str = "What happens";
pub const OUTCOME_NOW: &str = "The shipment is cancelled now.";
pub const SENDING: &str = "Cancelling…";
pub const RETRY: &str = "Retry";
pub const RATE_LOADING: &str = "Loading your cancellation rate…";
pub const RATE_UNAVAILABLE: &str = "Your cancellation rate could not be loaded.";
pub const RATE_ALREADY_INCLUDED: &str =
    "Such cancellations are already included in the allowed cancellation rate.";
pub const ALL_CANCELLATIONS_COUNT: &str =
    "All cancellations by the seller affect service quality metrics.";
pub const COMMERCIAL_ALTERNATIVES: &str = "Instead of cancelling for another reason, you can:";
pub const USE_CUSTOMER_REASON: &str = "Cancel due to “The customer is asking to cancel the order”";
pub const SPLIT_SUGGESTION: &str =
    "Send it in different parcels, with at most 3 identical products in each.";
pub const PARTNER_RECOMMENDATION: &str =
    "You deliver via a partner service: the recommended option is to cancel the order.";
pub const CHANGED_HEADING: &str = "This shipment changed since you opened it:";
pub const CHANGED_STILL_CANCELLABLE: &str =
    "Check the details and the reasons below, then confirm again.";
pub const PRODUCTS_CHANGED: &str = "Its products changed.";
pub const DETAILS_CHANGED: &str = "Its details changed.";

pub const COL_ORDER: &str = "Order";

pub fn outcome_request(provider: Option<&str>) -> String {
    let provider = provider.unwrap_or("the delivery provider");
    format!(
        "A cancellation request is sent to {provider}. If the shipment can't be canceled, the order won't be canceled."
    )
}

pub fn stock_reset(products: &str, warehouse: &str) -> String {
    format!(
        "The product quantity in your warehouse will automatically reset to zero: {products} at {warehouse}. After that, you can bring the product to the warehouse and specify its quantity, or archive the product."
    )
}

pub fn rate_preview(current: &str, projected: &str, threshold: &str) -> String {
    format!("Cancellation rate over 14 days: {current} → {projected} (threshold {threshold}).")
}

pub const RATE_CROSSES: &str =
    "This cancellation takes your rate over the threshold, which affects service quality.";
pub const RATE_ABOVE: &str = "Your rate stays over the threshold.";

pub fn description_counter(length: usize) -> String {
    format!("{length} / {}", domain::MAX_COMMENT_CHARS)
}

pub fn status_changed(status: Status) -> String {
    format!("The status is now “{}”.", self::status(status))
}

pub fn delivery_changed(shipment: &domain::Shipment) -> String {
    match &shipment.delivery.provider {
        Some(provider) => format!(
            "It is now delivered by {} ({provider}).",
            delivery_method(shipment.delivery.method)
        ),
        None => format!(
            "It is now delivered by {}.",
            delivery_method(shipment.delivery.method)
        ),
    }
}

pub fn cancelled_confirmation(posting_number: &str) -> String {
    format!("Shipment {posting_number} is cancelled.")
}

pub fn requested_confirmation(posting_number: &str, provider: Option<&str>) -> String {
    let provider = provider.unwrap_or("the delivery provider");
    format!(
        "Cancellation of shipment {posting_number} requested from {provider}. This row changes when {provider} answers."
    )
}

pub fn retrying(seconds: u64) -> String {
    format!("The server could not be reached. Trying again in {seconds} s…")
}

pub const DISMISS: &str = "Dismiss";
pub const NO_KEY: &str =
    "Your browser could not prepare the request safely. Reload the page and try again.";

// Several shipments at once.
pub const SELECT_SHIPMENT: &str = "Select shipment";
pub const SELECT_ALL_SHOWN: &str = "Select all shown shipments";
pub const CANCEL_SELECTED: &str = "Cancel selected shipments";
pub const CLEAR_SELECTION: &str = "Clear selection";
pub const SELECTING_ALL: &str = "Selecting…";
pub const BULK_TITLE: &str = "Cancel several shipments";
pub const BULK_NOTHING_TO_CANCEL: &str =
    "None of the selected shipments can be cancelled for this reason.";
pub const BULK_PROGRESS: &str = "Cancelling shipments";
pub const BULK_RESULTS: &str = "Results";
pub const RETRY_FAILED: &str = "Retry the failed ones";
pub const OUTCOME_CANCELLED: &str = "Cancelled";
pub const CLOSE_RESULTS: &str = "Done";

pub fn selected_count(count: usize) -> String {
    match count {
        1 => "1 shipment selected".to_owned(),
        n => format!("{n} shipments selected"),
    }
}

pub fn select_all_matching(total: u64) -> String {
    format!("Select all {total} matching shipments")
}

pub fn bulk_will_cancel(count: usize) -> String {
    match count {
        1 => "1 shipment will be cancelled.".to_owned(),
        n => format!("{n} shipments will be cancelled."),
    }
}

pub fn bulk_will_skip(count: usize) -> String {
    match count {
        1 => "1 shipment will be skipped:".to_owned(),
        n => format!("{n} shipments will be skipped:"),
    }
}

pub fn bulk_confirm(count: usize) -> String {
    match count {
        1 => "Cancel 1 shipment".to_owned(),
        n => format!("Cancel {n} shipments"),
    }
}

pub fn bulk_progress(done: usize, total: usize) -> String {
    format!("{done} of {total} processed")
}

pub fn outcome_requested(provider: Option<&str>) -> String {
    format!(
        "Cancellation requested from {}",
        provider.unwrap_or("the delivery provider")
    )
}

pub fn outcome_skipped(why: &str) -> String {
    format!("Skipped: {why}")
}

pub fn outcome_failed(why: &str) -> String {
    format!("Failed: {why}")
}

pub fn bulk_summary(cancelled: usize, requested: usize, skipped: usize, failed: usize) -> String {
    format!(
        "{cancelled} cancelled, {requested} requested from providers, {skipped} skipped, {failed} failed."
    )
}

/// A rule violation found before sending, in words.
pub fn rule_violation(violation: domain::eligibility::RuleViolation) -> &'static str {
    match violation {
        domain::eligibility::RuleViolation::Blocked(code) => blocked(code),
        domain::eligibility::RuleViolation::ReasonNotOffered => {
            problem(ProblemCode::ReasonNotOffered)
        }
    }
}

// Follow-ups after a cancellation.
pub const NEXT_STEPS: &str = "What you can do next";
pub const SAVE_QUANTITY: &str = "Save quantity";
pub const SAVING: &str = "Saving…";
pub const QUANTITY_INVALID: &str = "Enter a whole number of 0 or more.";
pub const ARCHIVE_CONFIRM_YES: &str = "Archive";
pub const ARCHIVE_CONFIRM_NO: &str = "Keep product";
pub const LOOKING_UP: &str = "Looking for shipments…";

pub fn new_quantity_label(product: &str, warehouse: &str) -> String {
    format!("New quantity of {product} at {warehouse}")
}

pub fn quantity_saved(product: &str, quantity: u32) -> String {
    format!("Saved: {product} now has quantity {quantity}.")
}

pub fn archive_product(product: &str) -> String {
    format!("Archive {product}")
}

pub fn archive_question(product: &str) -> String {
    format!("Archive {product}? You won't sell it until you restore it.")
}

pub fn archived(product: &str) -> String {
    format!("{product} is archived.")
}

pub fn exclude_city(city: &str, country: &str) -> String {
    format!("Stop delivering to {city}, {country}")
}

pub fn city_excluded(city: &str) -> String {
    format!("{city} is removed from your delivery geography.")
}

pub fn cancel_others_to(city: &str) -> String {
    format!("Cancel my other shipments to {city}")
}

pub fn none_other_to(city: &str) -> String {
    format!("No other shipment to {city} can be cancelled.")
}

// Splitting into parcels.
pub const SPLIT_TITLE: &str = "Send in different parcels";
pub const SPLIT_OPEN: &str = "Split into parcels";
pub const SPLIT_INTRO: &str =
    "Each parcel becomes its own shipment, with at most 3 identical products.";
pub const ADD_PARCEL: &str = "Add a parcel";
pub const REMOVE_PARCEL: &str = "Remove the last parcel";
pub const SPLIT_CONFIRM: &str = "Split shipment";
pub const SPLITTING: &str = "Splitting…";
pub const COL_PRODUCT: &str = "Product";

pub fn parcel_heading(number: usize) -> String {
    format!("Parcel {number}")
}

pub fn parcel_cell_label(product: &str, parcel: usize) -> String {
    format!("{product} in parcel {parcel}")
}

pub fn split_done(count: usize) -> String {
    format!("The shipment is split into {count} shipments.")
}

pub fn split_error(error: &domain::SplitError) -> String {
    use domain::SplitError;
    match error {
        SplitError::SplitNotOffered => problem(ProblemCode::SplitNotOffered).to_owned(),
        SplitError::TooFewParcels => "Use at least two parcels.".to_owned(),
        SplitError::EmptyParcel { parcel } => format!("Parcel {parcel} is empty."),
        SplitError::ZeroQuantity { parcel } => {
            format!("Parcel {parcel} has a product with quantity 0.")
        }
        SplitError::TooManyIdentical { parcel, units, .. } => {
            format!("Parcel {parcel} has {units} identical products; at most 3 are allowed.")
        }
        SplitError::UnknownSku { sku } => format!("Product {sku} is not in this shipment."),
        SplitError::QuantityMismatch {
            sku,
            expected,
            planned,
        } => format!(
            "The parcels hold {planned} units of product {sku}; the shipment has {expected}."
        ),
    }
}

// Sections.
pub const SECTIONS: &str = "Sections";
pub const HISTORY_TITLE: &str = "Cancellation history";
pub const HISTORY_TABLE: &str = "Cancellations";
pub const LOADING_HISTORY: &str = "Loading the cancellation history…";
pub const COULD_NOT_LOAD_HISTORY: &str = "The cancellation history could not be loaded.";
pub const NO_HISTORY: &str = "No cancellations yet.";
pub const EXPORT_CSV: &str = "Export to CSV";
pub const COULD_NOT_EXPORT: &str = "The file could not be prepared.";
pub const KIND_ALL: &str = "All";
pub const KINDS_NAME: &str = "Kind of cancellation";
pub const COL_REASON: &str = "Reason";
pub const COL_COMMENT: &str = "Comment";
pub const COL_INITIATOR: &str = "Who cancelled";
pub const COL_REQUESTED: &str = "Requested";
pub const COL_DECIDED: &str = "Decided";
pub const COL_STATE: &str = "State";
pub const COL_PROVIDER_MESSAGE: &str = "Provider's message";

pub fn history_kind(kind: crate::history::entries::Kind) -> &'static str {
    use crate::history::entries::Kind;
    match kind {
        Kind::Requested => "Requested from the provider",
        Kind::Rejected => "Rejected by the provider",
        Kind::CancelledBySeller => "Cancelled by you",
        Kind::CancelledByCarrier => "Cancelled by the delivery service",
    }
}

pub fn initiator(initiator: Initiator) -> &'static str {
    match initiator {
        Initiator::Seller => "You",
        Initiator::Carrier => "Delivery service",
    }
}

pub fn rate_summary(rate: &str, threshold: &str, days: u32) -> String {
    format!("Cancellation rate over {days} days: {rate} (threshold {threshold})")
}

pub fn rate_day(date: &str, cancellations: u32, shipments: u32) -> String {
    format!("{date}: {cancellations} cancelled by you of {shipments} shipments")
}

pub const PORTAL_SILENT: &str =
    "The seller portal did not sign you in. Reload the portal page and try again.";

// --- added on main during the i18n move ---

/// Spoken when a provider answers a cancellation request: the row's new state and, on a rejection,
/// the provider's words.
pub fn provider_answered(posting_number: &str, state: &str, message: Option<&str>) -> String {
    match message {
        Some(message) => format!("Shipment {posting_number}: {state}: “{message}”"),
        None => format!("Shipment {posting_number}: {state}."),
    }
}

pub const FILTER_PROVIDER: &str = "Delivery provider";
pub const FILTER_PROVIDER_ANY: &str = "Any provider";

/// Beside the rate in the widget when it is over the threshold, so that colour is not the only sign.
pub const RATE_OVER_THRESHOLD: &str = "Above the threshold";
pub const QUANTITY_RANGE: &str = "Enter a whole number from 0 to 1,000,000.";

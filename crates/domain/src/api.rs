//! Every name of the API that the app and the server both spell: paths, query parameters, limits.
//! Each is written here once; the server parses with these names and the app builds its requests
//! with them, so the two cannot drift apart.

/// The base of every API path.
pub const BASE: &str = "/api/v1";

/// The id of the element in which the server writes its answer to `GET /config` into the app's
/// `index.html` (a `<script type="application/json">`), so that the app starts without asking for
/// it; `boot.js` reads it, and asks when it is absent.
pub const CONFIG_ELEMENT_ID: &str = "app-config";

/// Paths below [`BASE`].
pub mod path {
    /// `GET`: one page of the seller's shipments (`crate::shipment_query`).
    pub const SHIPMENTS: &str = "/shipments";
    /// `GET`: one page of the seller's cancellation history (`crate::history`).
    pub const HISTORY: &str = "/history";
    /// `GET`: the whole filtered history as a streamed CSV file.
    pub const HISTORY_CSV: &str = "/history/export.csv";
    /// `GET`: the list's shipments per status under the other filters, in one answer.
    pub const SHIPMENT_COUNTS: &str = "/shipments/counts";
    /// `POST`: what a bulk cancellation of every shipment matching a filter would do.
    pub const CANCEL_MATCHING_PRECHECK: &str = "/shipments/cancel/precheck";
    /// `POST`: what removing an out-of-stock product from every shipment before handover at its
    /// warehouse would do (`crate::out_of_stock`).
    pub const REMOVE_PRODUCT_PRECHECK: &str = "/shipments/remove-product/precheck";
    /// `POST`: remove an out-of-stock product from these shipments, in one batch.
    pub const REMOVE_PRODUCT: &str = "/shipments/remove-product";
    /// `POST`, below `/shipments/{posting_number}`: a partial cancellation (`crate::partial`).
    pub const CANCEL_ITEMS: &str = "cancel-items";
    /// `GET`: the seller's cancellation rate over the trailing window, with its daily series
    /// (`crate::metric`).
    pub const CANCELLATION_RATE: &str = "/metrics/cancellation-rate";
}

/// The query parameters of the shipment list (`GET /shipments`), which the counts endpoint shares
/// (except the status, paging and sort ones).
pub mod list {
    pub const STATUS: &str = "status";
    pub const DELIVERY: &str = "delivery";
    pub const PROVIDER: &str = "provider";
    pub const CITY: &str = "city";
    pub const Q: &str = "q";
    pub const SORT: &str = "sort";
    pub const ORDER: &str = "order";
    pub const LIMIT: &str = "limit";
    pub const CURSOR: &str = "cursor";
    /// Every parameter of the list; anything else is refused.
    pub const ALL: [&str; 9] = [
        STATUS, DELIVERY, PROVIDER, CITY, Q, SORT, ORDER, LIMIT, CURSOR,
    ];
    // The limits themselves live in `crate::limits`, beside every other limit the API enforces.
    pub const DEFAULT_LIMIT: u32 = crate::limits::DEFAULT_PAGE_LIMIT;
    pub const MAX_LIMIT: u32 = crate::limits::MAX_PAGE_LIMIT;
    /// The longest `provider`, `city` or `q`, in characters.
    pub const MAX_TEXT_CHARS: usize = crate::limits::MAX_LIST_TEXT_CHARS;
}

/// The query parameters of the history and its CSV export.
pub mod history {
    /// A kind of entry (`crate::history::HistoryKind`), one code.
    pub const KIND: &str = "kind";
    /// A reason code.
    pub const REASON: &str = "reason";
    /// `seller` or `carrier`.
    pub const INITIATOR: &str = "initiator";
    /// The first day (UTC, `YYYY-MM-DD`) whose requests are included.
    pub const FROM: &str = "from";
    /// The last day (UTC, `YYYY-MM-DD`) whose requests are included.
    pub const TO: &str = "to";
    /// Entries per page (not for the export).
    pub const LIMIT: &str = "limit";
    /// `next_cursor` of the previous page (not for the export).
    pub const CURSOR: &str = "cursor";
    pub const DEFAULT_LIMIT: u32 = crate::limits::DEFAULT_PAGE_LIMIT;
    pub const MAX_LIMIT: u32 = crate::limits::MAX_PAGE_LIMIT;
    /// The export's file name, suggested in `Content-Disposition`.
    pub const CSV_FILE_NAME: &str = "cancellations.csv";
    /// The export's columns, in order: codes, not words, so that any locale can read it.
    pub const CSV_COLUMNS: [&str; 11] = [
        "posting_number",
        "order_number",
        "kind",
        "reason",
        "comment",
        "initiator",
        "provider",
        "provider_message",
        "requested_at",
        "decided_at",
        // A partial cancellation's products (`crate::history::items_text`); empty for a whole one.
        "items",
    ];
}

/// The bulk cancellation of every shipment matching a filter.
pub mod matching {
    /// The most shipments one pre-check considers (its `limit`).
    pub const MAX_LIMIT: u32 = 10_000;
    /// The most posting numbers one bulk request carries: the app sends the pre-check's eligible
    /// shipments in batches of this many.
    pub const BATCH: usize = crate::limits::MAX_BULK_SHIPMENTS;
}

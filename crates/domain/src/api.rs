//! Every name of the API that the app and the server both spell: paths, query parameters, limits.
//! Each is written here once; the server parses with these names and the app builds its requests
//! with them, so the two cannot drift apart.

/// The base of every API path.
pub const BASE: &str = "/api/v1";

/// The id of the element in which the server writes its answer to `GET /config` into the app's
/// `index.html` (a `<script type="application/json">`), so that the app starts without asking for
/// it; `boot.js` reads it, and asks when it is absent.
pub const CONFIG_ELEMENT_ID: &str = "app-config";

/// Paths below [`BASE`], spelt as the server's OpenAPI document spells them: a path with a
/// parameter is a template (`{posting_number}`, `{sku}`) that [`path::fill`] completes. The
/// server's tests check that each one is a path it serves (`crates/server/src/openapi/contract.rs`).
pub mod path {
    /// `GET`: what the app needs before it signs in (also written into `index.html`).
    pub const CONFIG: &str = "/config";
    /// `POST`: the demo seller's sign-in (demo mode only).
    pub const DEV_SESSION: &str = "/dev/session";
    /// `GET`: one page of the seller's shipments (`crate::shipment_query`).
    pub const SHIPMENTS: &str = "/shipments";
    /// `GET`: one shipment; its ETag is its version.
    pub const SHIPMENT: &str = "/shipments/{posting_number}";
    /// `POST`: cancel one shipment, naming the version the seller saw.
    pub const CANCEL: &str = "/shipments/{posting_number}/cancel";
    /// `POST`: a partial cancellation (`crate::partial`).
    pub const CANCEL_ITEMS: &str = "/shipments/{posting_number}/cancel-items";
    /// `POST`: split a shipment so that part of it can go.
    pub const SPLIT: &str = "/shipments/{posting_number}/split";
    /// `POST`: one reason for many shipments, each judged on its own.
    pub const CANCEL_MANY: &str = "/shipments/cancel";
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
    /// `PUT`: a product's stock.
    pub const PRODUCT_STOCK: &str = "/products/{sku}/stock";
    /// `POST`: archive a product.
    pub const PRODUCT_ARCHIVE: &str = "/products/{sku}/archive";
    /// `POST`: stop delivering to a city.
    pub const GEOGRAPHY_EXCLUSIONS: &str = "/delivery-geography/exclusions";
    /// `GET`: the delivery providers of the seller's shipments.
    pub const PROVIDERS: &str = "/providers";
    /// `GET`: the live-update stream (Server-Sent Events).
    pub const EVENTS: &str = "/events";
    /// `GET`: the seller's cancellation rate over the trailing window, with its daily series
    /// (`crate::metric`).
    pub const CANCELLATION_RATE: &str = "/metrics/cancellation-rate";

    /// Every path above, for the server's check that it serves each one.
    pub const ALL: [&str; 20] = [
        CONFIG,
        DEV_SESSION,
        SHIPMENTS,
        SHIPMENT,
        CANCEL,
        CANCEL_ITEMS,
        SPLIT,
        CANCEL_MANY,
        HISTORY,
        HISTORY_CSV,
        SHIPMENT_COUNTS,
        CANCEL_MATCHING_PRECHECK,
        REMOVE_PRODUCT_PRECHECK,
        REMOVE_PRODUCT,
        PRODUCT_STOCK,
        PRODUCT_ARCHIVE,
        GEOGRAPHY_EXCLUSIONS,
        PROVIDERS,
        EVENTS,
        CANCELLATION_RATE,
    ];

    /// `template` with its parameter (the one `{…}` in it) replaced by `segment`, which the caller
    /// has already encoded as a path segment. A path without a parameter comes back as it is.
    pub fn fill(template: &str, segment: &str) -> String {
        match (template.find('{'), template.find('}')) {
            (Some(open), Some(close)) if open < close => {
                format!("{}{segment}{}", &template[..open], &template[close + 1..])
            }
            _ => template.to_owned(),
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn a_template_takes_its_one_segment_where_its_parameter_is() {
            assert_eq!(fill(CANCEL, "123-4"), "/shipments/123-4/cancel");
            assert_eq!(fill(SHIPMENT, "123-4"), "/shipments/123-4");
            assert_eq!(fill(PRODUCT_STOCK, "SKU%2F1"), "/products/SKU%2F1/stock");
            assert_eq!(fill(SHIPMENTS, "ignored"), "/shipments");
        }

        #[test]
        fn every_path_is_below_the_base_and_has_at_most_one_parameter() {
            for path in ALL {
                assert!(path.starts_with('/') && !path.ends_with('/'), "{path}");
                assert!(path.matches('{').count() <= 1, "{path}");
                assert_eq!(
                    path.matches('{').count(),
                    path.matches('}').count(),
                    "{path}"
                );
            }
            let mut unique = ALL.to_vec();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), ALL.len(), "a path is listed twice");
        }
    }
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

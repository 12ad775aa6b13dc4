//! The seller's shipment-cancellation app: a Leptos CSR single-page app on the shared rules crate.

pub mod api;
pub mod app;
pub mod boot;
pub mod bulk;
pub mod cancel;
pub mod embed;
pub mod feedback;
pub mod form;
pub mod format;
pub mod history;
pub mod html;
pub mod i18n;
pub mod intent;
pub mod json;
pub mod lazy;
pub mod live;
pub mod metric;
pub mod modal;
pub mod paint;
pub mod partial;
pub mod retry;
pub mod shipments;
pub mod split;
pub mod start;
pub mod token;
pub mod url;

#[cfg(test)]
mod test_shipment;

//! Lower-casing for the list's instant search ([`crate::shipments::instant`]): the browser's
//! `String.prototype.toLowerCase` for text that is not ASCII (the rules crate lower-cases ASCII
//! itself, see [`domain::Lowercase`]).
//!
//! Rust's `str::to_lowercase` would bring its Unicode case tables into the first load: 6.8 KB
//! brotli of the main module (BENCHMARKS.md, issue 16). The browser already has them, and applies
//! the same mapping, Unicode's default lower-casing with the final sigma: `tests/lowercase.rs`
//! compares the two in Chromium over every Unicode scalar value.

/// Unicode's default lower-casing of `text`, by the browser.
#[cfg(target_arch = "wasm32")]
pub fn lowercase(text: &str) -> String {
    String::from(js_sys::JsString::from(text).to_lower_case())
}

/// Unicode's default lower-casing of `text`: outside a browser (the native tests), Rust's.
#[cfg(not(target_arch = "wasm32"))]
pub fn lowercase(text: &str) -> String {
    text.to_lowercase()
}

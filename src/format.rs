//! Dates, numbers and product lines as the seller reads them, in the active locale, as the
//! browser's Intl writes them (see `i18n::intl`).

use chrono::{DateTime, Utc};
use domain::ProductLine;

use crate::i18n::{current, intl};

/// A ship-by or decision time, to the minute, in UTC.
pub fn date_time(at: DateTime<Utc>) -> String {
    intl::date_time(current(), at)
}

/// A day of the metric's series, e.g. `23 Nov`.
pub fn day_month(date: chrono::NaiveDate) -> String {
    intl::day_month(current(), date)
}

/// A rate as a percentage with one decimal, e.g. `7.5%`.
pub fn percent(rate: f64) -> String {
    intl::percent(current(), rate)
}

/// `Phone case × 4`: the name is the seller's data and the count needs no words.
pub fn product_line(line: &ProductLine) -> String {
    format!("{} × {}", line.name, line.quantity)
}

/// An SVG coordinate or a CSS length to a tenth, without float formatting: the app must not
/// format an `f64` with `Display` anywhere, which alone links core's float printing (measured:
/// 15.9 KB of wasm, 6.5 KB brotli).
pub fn tenths(value: f64) -> String {
    let tenths = (value * 10.0).round() as i64;
    let sign = if tenths < 0 { "-" } else { "" };
    let tenths = tenths.unsigned_abs();
    format!("{sign}{}.{}", tenths / 10, tenths % 10)
}

/// The browser's clock.
pub fn now() -> DateTime<Utc> {
    intl::now()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_lines_show_name_and_quantity() {
        let line = ProductLine {
            sku: "1001".to_owned(),
            name: "Phone case".to_owned(),
            quantity: 4,
            price: "3.20".to_owned(),
            currency: "USD".to_owned(),
        };
        assert_eq!(product_line(&line), "Phone case × 4");
    }

    #[test]
    fn chart_numbers_keep_a_tenth() {
        assert_eq!(tenths(12.34), "12.3");
        assert_eq!(tenths(0.0), "0.0");
        assert_eq!(tenths(-1.25), "-1.3");
    }
}

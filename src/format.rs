//! Dates and product lines as the seller reads them.
//!
//! English and UTC for now; locale-aware formatting arrives with the translated catalogues.

use chrono::{DateTime, Utc};
use domain::ProductLine;

/// A ship-by or decision time, to the minute.
pub fn date_time(at: DateTime<Utc>) -> String {
    at.format("%d %b %Y, %H:%M UTC").to_string()
}

/// `Phone case × 4`.
pub fn product_line(line: &ProductLine) -> String {
    format!("{} × {}", line.name, line.quantity)
}

/// A rate as a percentage with one decimal, e.g. `7.5 %`.
pub fn percent(rate: f64) -> String {
    format!("{:.1} %", rate * 100.0)
}

/// The browser's clock. `chrono::Utc::now` has no clock on wasm32-unknown-unknown without an
/// extra feature, and the page needs only the millisecond time that JavaScript already has.
pub fn now() -> DateTime<Utc> {
    let millis = js_sys::Date::now() as i64;
    DateTime::from_timestamp_millis(millis).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_day_month_year_and_time() {
        let at: DateTime<Utc> = "2026-11-23T08:05:00Z".parse().unwrap();
        assert_eq!(date_time(at), "23 Nov 2026, 08:05 UTC");
    }

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
    fn percentages_keep_one_decimal() {
        assert_eq!(percent(0.075), "7.5 %");
        assert_eq!(percent(0.1), "10.0 %");
    }
}

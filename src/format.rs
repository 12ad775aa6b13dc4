//! Dates and product lines as the seller reads them.
//!
//! English and UTC for now; locale-aware formatting arrives with the translated catalogues.

use chrono::{DateTime, Datelike, Timelike, Utc};
use domain::ProductLine;

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A ship-by or decision time, to the minute. Built from the fields rather than with chrono's
/// `format`, whose pattern interpreter would add tens of kilobytes to the download.
pub fn date_time(at: DateTime<Utc>) -> String {
    let month = MONTHS[at.month0() as usize % MONTHS.len()];
    format!(
        "{:02} {month} {}, {:02}:{:02} UTC",
        at.day(),
        at.year(),
        at.hour(),
        at.minute()
    )
}

/// `Phone case × 4`.
pub fn product_line(line: &ProductLine) -> String {
    format!("{} × {}", line.name, line.quantity)
}

/// A day of the metric's series, e.g. `23 Nov`.
pub fn day_month(date: chrono::NaiveDate) -> String {
    let month = MONTHS[date.month0() as usize % MONTHS.len()];
    format!("{:02} {month}", date.day())
}

/// An SVG coordinate to a tenth, without float formatting.
pub fn svg_number(value: f64) -> String {
    let tenths = (value * 10.0).round() as i64;
    let sign = if tenths < 0 { "-" } else { "" };
    let tenths = tenths.unsigned_abs();
    format!("{sign}{}.{}", tenths / 10, tenths % 10)
}

/// A rate as a percentage with one decimal, e.g. `7.5 %`. Rounded in integers, because float
/// formatting would add its own kilobytes to the download for this one number.
pub fn percent(rate: f64) -> String {
    let tenths = (rate * 1000.0).round() as i64;
    let sign = if tenths < 0 { "-" } else { "" };
    let tenths = tenths.unsigned_abs();
    format!("{sign}{}.{} %", tenths / 10, tenths % 10)
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
        let at: DateTime<Utc> = "2027-01-02T23:59:59Z".parse().unwrap();
        assert_eq!(date_time(at), "02 Jan 2027, 23:59 UTC");
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
    fn chart_numbers_and_days() {
        assert_eq!(svg_number(12.34), "12.3");
        assert_eq!(svg_number(0.0), "0.0");
        assert_eq!(svg_number(-1.25), "-1.3");
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 3).unwrap();
        assert_eq!(day_month(day), "03 Nov");
    }

    #[test]
    fn percentages_keep_one_decimal() {
        assert_eq!(percent(0.075), "7.5 %");
        assert_eq!(percent(0.1), "10.0 %");
        assert_eq!(percent(0.0), "0.0 %");
        assert_eq!(percent(0.12345), "12.3 %");
        assert_eq!(percent(1.0), "100.0 %");
        assert_eq!(percent(-0.015), "-1.5 %");
    }
}

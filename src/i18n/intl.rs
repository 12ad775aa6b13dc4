//! Dates, numbers, percentages and plural categories from the browser's `Intl`, for the active
//! locale. The browser already carries this data, so the app ships none of its own (ICU4X data
//! would cost tens of kilobytes of wasm).

use chrono::{DateTime, NaiveDate, Utc};
use js_sys::{Array, Date, Intl, Object, Reflect};
use wasm_bindgen::JsValue;

use super::Locale;
use leptos_i18n::Locale as _;

/// The plural categories of CLDR that our catalogues spell out (`zero` and `two` occur in none of
/// our languages).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plural {
    One,
    Few,
    Many,
    Other,
}

fn locales(locale: Locale) -> Array {
    Array::of1(&JsValue::from_str(locale.as_str()))
}

/// An options object. `Reflect::set` fails only on a frozen or exotic target, never on a fresh
/// plain object, so its result carries no information here.
fn options(pairs: &[(&str, &str)]) -> Object {
    let object = Object::new();
    for (name, value) in pairs {
        let _ = Reflect::set(&object, &JsValue::from_str(name), &JsValue::from_str(value));
    }
    object
}

fn js_date(millis: i64) -> Date {
    Date::new(&JsValue::from_f64(millis as f64))
}

fn format_date(locale: Locale, millis: i64, pairs: &[(&str, &str)]) -> String {
    let format = Intl::DateTimeFormat::new(&locales(locale), &options(pairs));
    let formatted = format.format().call1(&JsValue::UNDEFINED, &js_date(millis));
    formatted
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_default()
}

/// A ship-by or decision time, to the minute, in UTC (the marketplace's deadlines are UTC), e.g.
/// `23 Nov 2026, 08:05 UTC` or `2026年11月23日 08:05 UTC`.
pub fn date_time(locale: Locale, at: DateTime<Utc>) -> String {
    format_date(
        locale,
        at.timestamp_millis(),
        &[
            ("year", "numeric"),
            ("month", "short"),
            ("day", "2-digit"),
            ("hour", "2-digit"),
            ("minute", "2-digit"),
            ("hourCycle", "h23"),
            ("timeZone", "UTC"),
            ("timeZoneName", "short"),
        ],
    )
}

/// A day of the metric's series, e.g. `23 Nov`, `11月23日`, `23 нояб.`.
pub fn day_month(locale: Locale, date: NaiveDate) -> String {
    let millis = date
        .and_hms_opt(12, 0, 0)
        .map(|noon| noon.and_utc().timestamp_millis())
        .unwrap_or_default();
    format_date(
        locale,
        millis,
        &[("month", "short"), ("day", "numeric"), ("timeZone", "UTC")],
    )
}

fn format_number(locale: Locale, value: f64, pairs: &[(&str, &str)]) -> String {
    let format = Intl::NumberFormat::new(&locales(locale), &options(pairs));
    let formatted = format
        .format()
        .call1(&JsValue::UNDEFINED, &JsValue::from_f64(value));
    formatted
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_default()
}

/// A rate as a percentage with one decimal: `7.5%`, `7,5 %`.
pub fn percent(locale: Locale, rate: f64) -> String {
    format_number(
        locale,
        rate,
        &[
            ("style", "percent"),
            ("minimumFractionDigits", "1"),
            ("maximumFractionDigits", "1"),
        ],
    )
}

/// A whole count with the locale's grouping: `1,234`, `1 234`.
pub fn count(locale: Locale, value: u64) -> String {
    format_number(locale, value as f64, &[])
}

/// A price in its currency, e.g. `$3.20`, `3,20 $`. An unknown currency code falls back to the
/// number and the code, because Intl throws on it.
pub fn money(locale: Locale, amount: f64, currency: &str) -> String {
    let valid = currency.len() == 3 && currency.bytes().all(|byte| byte.is_ascii_uppercase());
    if !valid {
        return format!("{} {currency}", format_number(locale, amount, &[]));
    }
    format_number(
        locale,
        amount,
        &[("style", "currency"), ("currency", currency)],
    )
}

/// The plural category of `count` in `locale`, from `Intl.PluralRules`.
pub fn plural(locale: Locale, count: u64) -> Plural {
    let rules = Intl::PluralRules::new(&locales(locale), &Object::new());
    match String::from(rules.select(count as f64)).as_str() {
        "one" => Plural::One,
        "few" => Plural::Few,
        "many" => Plural::Many,
        _ => Plural::Other,
    }
}

/// The browser's clock. `chrono::Utc::now` has no clock on wasm32-unknown-unknown without an
/// extra feature, and the page needs only the millisecond time that JavaScript already has.
pub fn now() -> DateTime<Utc> {
    let millis = Date::now() as i64;
    DateTime::from_timestamp_millis(millis).unwrap_or_default()
}

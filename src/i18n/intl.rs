//! Dates, numbers, percentages and plural categories for the active locale, as the browser's
//! `Intl` writes them. Percentages and prices are `Intl`'s own: the browser already carries that
//! data and ICU's rounding, so the app ships none of its own (ICU4X data would cost tens of
//! kilobytes of wasm). Dates, counts and plural categories, which every first row shows, are
//! written out in `cldr` and compared with `Intl` in the wasm tests: a page's first `Intl` object
//! costs tens of milliseconds (see there).

use std::cell::RefCell;

use chrono::{DateTime, NaiveDate, Utc};
use js_sys::{Array, Date, Function, Intl, Object, Reflect};
use wasm_bindgen::JsValue;

use super::{Locale, cldr};

/// The plural categories of CLDR that our catalogues spell out (`zero` and `two` occur in none of
/// our languages).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Plural {
    One,
    Few,
    Many,
    Other,
}

pub(super) fn locales(locale: Locale) -> Array {
    Array::of1(&JsValue::from_str(locale.as_str()))
}

/// An options object. `Reflect::set` fails only on a frozen or exotic target, never on a fresh
/// plain object, so its result carries no information here.
pub(super) fn options(pairs: &[(&str, &str)]) -> Object {
    let object = Object::new();
    for (name, value) in pairs {
        let _ = Reflect::set(&object, &JsValue::from_str(name), &JsValue::from_str(value));
    }
    object
}

/// Which formatter: one per kind of value, and per currency for money.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Kind {
    Percent,
    Count,
    Money(String),
}

thread_local! {
    /// Making an `Intl` formatter costs far more than using one, so each is made once per locale
    /// and kind; a handful of them, so a list is enough.
    static FORMATTERS: RefCell<Vec<((Locale, Kind), Function)>> = const { RefCell::new(Vec::new()) };
}

/// The `format` function of the formatter for `locale` and `kind`, made by `make` the first time.
/// A clone of a handle to a JavaScript object is the same object.
fn formatter(locale: Locale, kind: Kind, make: impl FnOnce() -> Function) -> Function {
    let key = (locale, kind);
    FORMATTERS.with_borrow_mut(|made| {
        if let Some((_, format)) = made.iter().find(|(seen, _)| *seen == key) {
            return format.clone();
        }
        let format = make();
        made.push((key, format.clone()));
        format
    })
}

fn call_format(format: &Function, value: &JsValue) -> String {
    format
        .call1(&JsValue::UNDEFINED, value)
        .ok()
        .and_then(|text| text.as_string())
        .unwrap_or_default()
}

/// A ship-by or decision time, to the minute, in UTC (the marketplace's deadlines are UTC), e.g.
/// `23 Nov 2026, 08:05 UTC`: written out in `cldr`.
pub fn date_time(locale: Locale, at: DateTime<Utc>) -> String {
    cldr::date_time(locale, at)
}

/// A day of the metric's series, e.g. `Nov 23`, `11月23日`, `23 нояб.`: written out in `cldr`.
pub fn day_month(locale: Locale, date: NaiveDate) -> String {
    cldr::day_month(locale, date)
}

fn format_number(locale: Locale, kind: Kind, value: f64, pairs: &[(&str, &str)]) -> String {
    let format = formatter(locale, kind, || {
        Intl::NumberFormat::new(&locales(locale), &options(pairs)).format()
    });
    call_format(&format, &JsValue::from_f64(value))
}

/// A rate as a percentage with one decimal: `7.5%`, `7,5 %`.
pub fn percent(locale: Locale, rate: f64) -> String {
    format_number(
        locale,
        Kind::Percent,
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
    cldr::count(locale, value)
}

/// A price in its currency, e.g. `$3.20`, `3,20 $`. An unknown currency code falls back to the
/// number and the code, because Intl throws on it.
pub fn money(locale: Locale, amount: f64, currency: &str) -> String {
    let valid = currency.len() == 3 && currency.bytes().all(|byte| byte.is_ascii_uppercase());
    if !valid {
        return format!(
            "{} {currency}",
            format_number(locale, Kind::Count, amount, &[])
        );
    }
    format_number(
        locale,
        Kind::Money(currency.to_owned()),
        amount,
        &[("style", "currency"), ("currency", currency)],
    )
}

/// The plural category of a whole `count` in `locale`, as `Intl.PluralRules` tells it.
pub fn plural(locale: Locale, count: u64) -> Plural {
    cldr::plural(locale, count)
}

/// The browser's clock. `chrono::Utc::now` has no clock on wasm32-unknown-unknown without an
/// extra feature, and the page needs only the millisecond time that JavaScript already has.
pub fn now() -> DateTime<Utc> {
    let millis = Date::now() as i64;
    DateTime::from_timestamp_millis(millis).unwrap_or_default()
}

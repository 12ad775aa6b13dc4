//! Dates, counts and plural categories as the browser's `Intl` writes them in our three locales
//! (CLDR's forms), written out here.
//!
//! Why not `Intl` itself: a page's first `Intl` object costs 30–48 ms on this machine's Chromium,
//! whichever locale or kind (the browser sets up its locale data once per page), and every first
//! row has a date. That time fell on the main thread between the wasm's arrival and the first
//! rows, the part of the boot that waits on nothing else (BENCHMARKS.md, issue 16 part 10).
//! Percentages, which come after the first rows and need rounding as ICU rounds, still ask
//! `Intl` (`intl.rs`).
//!
//! These forms hold no data but twelve month names per locale. The wasm tests compare them with
//! `Intl`'s own for every month, each day and hour, years of three to five digits, the chart's
//! days, counts and plural categories: a browser that writes them differently fails those tests.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};

use super::Locale;
use super::intl::Plural;

const EN_MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Russian's short months in the genitive, as a date says them ("29 мая").
const RU_MONTHS: [&str; 12] = [
    "янв.",
    "февр.",
    "мар.",
    "апр.",
    "мая",
    "июн.",
    "июл.",
    "авг.",
    "сент.",
    "окт.",
    "нояб.",
    "дек.",
];

/// A time to the minute in UTC: `Nov 29, 2026, 05:27 UTC`, `2026年11月29日 UTC 05:27`,
/// `29 нояб. 2026 г., 05:27 UTC`. A year before 1, which no shipment has, is written as a
/// number where `Intl` would name an era.
pub fn date_time(locale: Locale, at: DateTime<Utc>) -> String {
    let year = at.year();
    let month = at.month0() as usize;
    let (day, hour, minute) = (at.day(), at.hour(), at.minute());
    match locale {
        Locale::en => format!(
            "{} {day:02}, {year}, {hour:02}:{minute:02} UTC",
            EN_MONTHS[month]
        ),
        Locale::zh_CN => format!(
            "{year}年{}月{day:02}日 UTC {hour:02}:{minute:02}",
            month + 1
        ),
        Locale::ru => format!(
            "{day:02} {} {year} г., {hour:02}:{minute:02} UTC",
            RU_MONTHS[month]
        ),
    }
}

/// A day of the metric's series: `Nov 23`, `11月23日`, `23 нояб.`.
pub fn day_month(locale: Locale, date: NaiveDate) -> String {
    let month = date.month0() as usize;
    let day = date.day();
    match locale {
        Locale::en => format!("{} {day}", EN_MONTHS[month]),
        Locale::zh_CN => format!("{}月{day}日", month + 1),
        Locale::ru => format!("{day} {}", RU_MONTHS[month]),
    }
}

/// A whole count with the locale's grouping: `1,234`, `1 234` (a no-break space in Russian).
pub fn count(locale: Locale, value: u64) -> String {
    let separator = match locale {
        Locale::en | Locale::zh_CN => ',',
        Locale::ru => '\u{a0}',
    };
    let digits = value.to_string();
    let mut grouped = String::with_capacity(digits.len() * 2);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(separator);
        }
        grouped.push(digit);
    }
    grouped
}

/// The plural category of a whole `count`: CLDR's rules for integers.
pub fn plural(locale: Locale, count: u64) -> Plural {
    match locale {
        Locale::en if count == 1 => Plural::One,
        Locale::en | Locale::zh_CN => Plural::Other,
        Locale::ru => match (count % 10, count % 100) {
            (1, tens) if tens != 11 => Plural::One,
            (2..=4, tens) if !(12..=14).contains(&tens) => Plural::Few,
            _ => Plural::Many,
        },
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    /// What Chromium 156's `Intl` wrote for these, copied from the browser.
    #[test]
    fn dates_read_as_the_browser_wrote_them() {
        let at = |y, m, d, h, min| Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap();
        assert_eq!(
            date_time(Locale::en, at(2026, 2, 5, 1, 7)),
            "Feb 05, 2026, 01:07 UTC"
        );
        assert_eq!(
            date_time(Locale::zh_CN, at(2026, 11, 29, 10, 7)),
            "2026年11月29日 UTC 10:07"
        );
        assert_eq!(
            date_time(Locale::ru, at(2026, 5, 29, 4, 7)),
            "29 мая 2026 г., 04:07 UTC"
        );
        assert_eq!(
            date_time(Locale::en, at(999, 1, 1, 0, 0)),
            "Jan 01, 999, 00:00 UTC"
        );
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        assert_eq!(day_month(Locale::en, day(5, 3)), "May 3");
        assert_eq!(day_month(Locale::zh_CN, day(12, 23)), "12月23日");
        assert_eq!(day_month(Locale::ru, day(9, 23)), "23 сент.");
    }

    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(count(Locale::en, 0), "0");
        assert_eq!(count(Locale::en, 999), "999");
        assert_eq!(count(Locale::en, 1000), "1,000");
        assert_eq!(count(Locale::zh_CN, 1_234_567), "1,234,567");
        assert_eq!(count(Locale::ru, 12_345), "12\u{a0}345");
        assert_eq!(count(Locale::en, u64::MAX), "18,446,744,073,709,551,615");
    }

    #[test]
    fn plural_categories_follow_cldr() {
        let ru: Vec<Plural> = [0, 1, 2, 5, 11, 12, 14, 21, 22, 25, 101, 111, 112]
            .into_iter()
            .map(|count| plural(Locale::ru, count))
            .collect();
        use Plural::*;
        assert_eq!(
            ru,
            [
                Many, One, Few, Many, Many, Many, Many, One, Few, Many, One, Many, Many
            ]
        );
        assert_eq!(plural(Locale::en, 1), One);
        assert_eq!(plural(Locale::en, 0), Other);
        assert_eq!(plural(Locale::zh_CN, 1), Other);
    }
}

/// The browser is the judge: each form against `Intl`'s.
#[cfg(all(test, target_arch = "wasm32"))]
mod browser_tests {
    use chrono::TimeZone;
    use js_sys::{Date, Intl, Object};
    use wasm_bindgen::JsValue;
    use wasm_bindgen_test::wasm_bindgen_test;

    use super::super::intl::{locales, options};
    use super::*;

    #[wasm_bindgen_test]
    fn dates_are_intl_s() {
        for locale in Locale::ALL {
            let format = Intl::DateTimeFormat::new(
                &locales(locale),
                &options(&[
                    ("year", "numeric"),
                    ("month", "short"),
                    ("day", "2-digit"),
                    ("hour", "2-digit"),
                    ("minute", "2-digit"),
                    ("hourCycle", "h23"),
                    ("timeZone", "UTC"),
                    ("timeZoneName", "short"),
                ]),
            )
            .format();
            let mut times = Vec::new();
            for month in 1..=12 {
                for day in [1, 9, 10, 28] {
                    times.push(Utc.with_ymd_and_hms(2026, month, day, month * 2 - 1, 59, 0));
                }
            }
            for hour in 0..24 {
                times.push(Utc.with_ymd_and_hms(2027, 2, 28, hour, hour * 2, 0));
            }
            for year in [100, 999, 1000, 9999, 10_000, 99_999] {
                times.push(Utc.with_ymd_and_hms(year, 12, 31, 23, 0, 0));
            }
            for at in times {
                let at = at.unwrap();
                let date = Date::new(&JsValue::from_f64(at.timestamp_millis() as f64));
                let intl = format.call1(&JsValue::UNDEFINED, &date).unwrap();
                assert_eq!(
                    Some(date_time(locale, at)),
                    intl.as_string(),
                    "{} {at}",
                    locale.as_str()
                );
            }
        }
    }

    #[wasm_bindgen_test]
    fn chart_days_are_intl_s() {
        for locale in Locale::ALL {
            let format = Intl::DateTimeFormat::new(
                &locales(locale),
                &options(&[("month", "short"), ("day", "numeric"), ("timeZone", "UTC")]),
            )
            .format();
            for month in 1..=12 {
                for day in [1, 9, 10, 28] {
                    let date = NaiveDate::from_ymd_opt(2026, month, day).unwrap();
                    let noon = date.and_hms_opt(12, 0, 0).unwrap().and_utc();
                    let js = Date::new(&JsValue::from_f64(noon.timestamp_millis() as f64));
                    let intl = format.call1(&JsValue::UNDEFINED, &js).unwrap();
                    assert_eq!(
                        Some(day_month(locale, date)),
                        intl.as_string(),
                        "{} {date}",
                        locale.as_str()
                    );
                }
            }
        }
    }

    #[wasm_bindgen_test]
    fn counts_and_plurals_are_intl_s() {
        for locale in Locale::ALL {
            let format = Intl::NumberFormat::new(&locales(locale), &Object::new()).format();
            let rules = Intl::PluralRules::new(&locales(locale), &Object::new());
            let mut values: Vec<u64> = (0..=1200).collect();
            values.extend([
                9_999,
                10_000,
                12_345,
                99_999,
                100_000,
                1_000_001,
                9_007_199_254_740_991,
            ]);
            for value in values {
                let intl = format
                    .call1(&JsValue::UNDEFINED, &JsValue::from_f64(value as f64))
                    .unwrap();
                assert_eq!(
                    Some(count(locale, value)),
                    intl.as_string(),
                    "{} {value}",
                    locale.as_str()
                );
                let category = String::from(rules.select(value as f64));
                let expected = match category.as_str() {
                    "one" => Plural::One,
                    "few" => Plural::Few,
                    "many" => Plural::Many,
                    _ => Plural::Other,
                };
                assert_eq!(
                    plural(locale, value),
                    expected,
                    "{} {value}",
                    locale.as_str()
                );
            }
        }
    }
}

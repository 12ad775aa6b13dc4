//! The API's instants and days as text: RFC 3339 date-times (`2026-11-23T08:05:00Z`) and days
//! (`2026-11-23`), read and written here instead of by chrono's parser and formatter.
//!
//! Why not chrono's own: its `Deserialize` goes through its general parser (format items, RFC 2822,
//! a relaxed RFC 3339 with spaces and signed years), about 17 KB of the app's wasm for the one
//! form the server writes. This module reads exactly what `DateTime::parse_from_rfc3339` reads
//! and writes byte for byte what chrono's `Serialize` and `to_rfc3339` write (the tests compare
//! both with chrono), building the values from chrono's cheap constructors, so the wire format
//! does not change. The wire types use it with `#[serde(with = "crate::timestamp")]` (and its
//! `option` and `day` modules).

use std::fmt::Write as _;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveTime, Timelike, Utc};
use serde::{Deserializer, Serializer, de};

/// A text that is not the instant or day asked for.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TimeTextError {
    #[error("{0:?} is not an RFC 3339 date and time such as 2026-11-23T08:05:00Z")]
    DateTime(String),
    #[error("{0:?} is not a date (YYYY-MM-DD)")]
    Day(String),
}

/// Reads an RFC 3339 date-time, any offset, into UTC: what `DateTime::parse_from_rfc3339`
/// accepts (`T`, `t` or a space between date and time, any number of fractional digits, of
/// which the first nine count, `Z`, `z` or `±hh:mm`, a leap second as `:60`).
pub fn parse(text: &str) -> Result<DateTime<Utc>, TimeTextError> {
    read_date_time(text.as_bytes()).ok_or_else(|| TimeTextError::DateTime(text.to_owned()))
}

/// Reads a day written `YYYY-MM-DD`.
pub fn parse_day(text: &str) -> Result<NaiveDate, TimeTextError> {
    let bytes = text.as_bytes();
    (bytes.len() == 10)
        .then(|| read_day(bytes))
        .flatten()
        .ok_or_else(|| TimeTextError::Day(text.to_owned()))
}

/// The wire's form, as chrono's `Serialize` writes it: `2026-11-23T08:05:00Z`, with `.mmm`,
/// `.mmmmmm` or `.nnnnnnnnn` when the fraction of a second needs them.
pub fn write(at: &DateTime<Utc>) -> String {
    write_with(at, "Z")
}

/// As chrono's `to_rfc3339` writes it: the same with `+00:00` for `Z`.
pub fn write_with_offset(at: &DateTime<Utc>) -> String {
    write_with(at, "+00:00")
}

/// `2026-11-23`, as chrono's `Serialize` (and `%Y-%m-%d`) writes a day.
pub fn write_day(day: NaiveDate) -> String {
    let mut text = String::with_capacity(10);
    push_day(&mut text, day);
    text
}

fn write_with(at: &DateTime<Utc>, zone: &str) -> String {
    let mut text = String::with_capacity(32);
    let naive = at.naive_utc();
    push_day(&mut text, naive.date());
    text.push('T');
    let time = naive.time();
    // chrono keeps a leap second as a nanosecond count of a billion or more within second 59.
    let (second, nano) = match time.nanosecond() {
        nano if nano >= 1_000_000_000 => (time.second() + 1, nano - 1_000_000_000),
        nano => (time.second(), nano),
    };
    push_two(&mut text, time.hour());
    text.push(':');
    push_two(&mut text, time.minute());
    text.push(':');
    push_two(&mut text, second);
    // Writing integers into a String cannot fail.
    let _ = if nano == 0 {
        Ok(())
    } else if nano % 1_000_000 == 0 {
        write!(text, ".{:03}", nano / 1_000_000)
    } else if nano % 1_000 == 0 {
        write!(text, ".{:06}", nano / 1_000)
    } else {
        write!(text, ".{nano:09}")
    };
    text.push_str(zone);
    text
}

fn push_day(text: &mut String, day: NaiveDate) {
    let year = day.year();
    if (0..=9999).contains(&year) {
        push_two(text, (year / 100) as u32);
        push_two(text, (year % 100) as u32);
    } else {
        // ISO 8601's explicit sign for years outside 0..=9999, as chrono writes them.
        let _ = write!(text, "{year:+05}");
    }
    text.push('-');
    push_two(text, day.month());
    text.push('-');
    push_two(text, day.day());
}

fn push_two(text: &mut String, value: u32) {
    text.push(char::from(b'0' + (value / 10 % 10) as u8));
    text.push(char::from(b'0' + (value % 10) as u8));
}

fn digit(bytes: &[u8], at: usize) -> Option<u32> {
    bytes
        .get(at)
        .filter(|byte| byte.is_ascii_digit())
        .map(|byte| u32::from(byte - b'0'))
}

fn two_digits(bytes: &[u8], at: usize) -> Option<u32> {
    Some(digit(bytes, at)? * 10 + digit(bytes, at + 1)?)
}

fn expect(bytes: &[u8], at: usize, byte: u8) -> Option<()> {
    (bytes.get(at) == Some(&byte)).then_some(())
}

/// `YYYY-MM-DD` at the start of `bytes`.
fn read_day(bytes: &[u8]) -> Option<NaiveDate> {
    let year = two_digits(bytes, 0)? * 100 + two_digits(bytes, 2)?;
    expect(bytes, 4, b'-')?;
    let month = two_digits(bytes, 5)?;
    expect(bytes, 7, b'-')?;
    let day = two_digits(bytes, 8)?;
    NaiveDate::from_ymd_opt(year as i32, month, day)
}

fn read_date_time(bytes: &[u8]) -> Option<DateTime<Utc>> {
    let date = read_day(bytes)?;
    if !matches!(bytes.get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let hour = two_digits(bytes, 11)?;
    expect(bytes, 13, b':')?;
    let minute = two_digits(bytes, 14)?;
    expect(bytes, 16, b':')?;
    let second = two_digits(bytes, 17)?;
    let mut rest = &bytes[19..];
    let mut nano = 0;
    if let [b'.', fraction @ ..] = rest {
        let digits = fraction
            .iter()
            .take_while(|byte| byte.is_ascii_digit())
            .count();
        if digits == 0 {
            return None;
        }
        // Digits past the ninth (below a nanosecond) are read and dropped, as chrono does.
        let mut scale = 100_000_000;
        for byte in &fraction[..digits.min(9)] {
            nano += u32::from(byte - b'0') * scale;
            scale /= 10;
        }
        rest = &fraction[digits..];
    }
    let (second, nano) = match second {
        60 => (59, nano + 1_000_000_000),
        second => (second, nano),
    };
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nano)?;
    let offset = FixedOffset::east_opt(read_offset(rest)?)?;
    let local = date.and_time(time).and_local_timezone(offset).single()?;
    Some(local.with_timezone(&Utc))
}

/// `Z`, `z` or `±hh:mm` (the minus also as U+2212), and nothing after it: seconds east of UTC.
fn read_offset(bytes: &[u8]) -> Option<i32> {
    let (sign, rest) = match bytes {
        [b'Z' | b'z'] => return Some(0),
        [b'+', rest @ ..] => (1, rest),
        [b'-', rest @ ..] => (-1, rest),
        [0xE2, 0x88, 0x92, rest @ ..] => (-1, rest),
        _ => return None,
    };
    if rest.len() != 5 || rest[2] != b':' || rest[3] > b'5' {
        return None;
    }
    let hours = two_digits(rest, 0)? as i32;
    let minutes = two_digits(rest, 3)? as i32;
    Some(sign * (hours * 3600 + minutes * 60))
}

/// For `#[serde(with = "crate::timestamp")]` on a `DateTime<Utc>`.
pub fn serialize<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&write(at))
}

/// For `#[serde(with = "crate::timestamp")]` on a `DateTime<Utc>`.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<DateTime<Utc>, D::Error> {
    deserializer.deserialize_str(TextVisitor {
        expecting: "an RFC 3339 date and time",
        read: parse,
    })
}

/// Reads a string with `read`, its error as the deserializer's.
struct TextVisitor<T> {
    expecting: &'static str,
    read: fn(&str) -> Result<T, TimeTextError>,
}

impl<T> de::Visitor<'_> for TextVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str(self.expecting)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        (self.read)(text).map_err(E::custom)
    }
}

/// For `#[serde(default, with = "crate::timestamp::option")]` on an `Option<DateTime<Utc>>`:
/// `null` (or, with `default`, no field) is `None`.
pub mod option {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        at: &Option<DateTime<Utc>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match at {
            Some(at) => super::serialize(at, serializer),
            None => serializer.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<DateTime<Utc>>, D::Error> {
        Option::<Text>::deserialize(deserializer).map(|at| at.map(|Text(at)| at))
    }

    /// The instant inside the `Option`, read by the module above.
    struct Text(DateTime<Utc>);

    impl<'de> Deserialize<'de> for Text {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Text, D::Error> {
            super::deserialize(deserializer).map(Text)
        }
    }
}

/// For `#[serde(with = "crate::timestamp::day")]` on a `NaiveDate`: `2026-11-23`.
pub mod day {
    use chrono::NaiveDate;
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(day: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&super::write_day(*day))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
        deserializer.deserialize_str(super::TextVisitor {
            expecting: "a date (YYYY-MM-DD)",
            read: super::parse_day,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    /// What chrono's `Serialize` writes, without the JSON quotes.
    fn chrono_wire<T: serde::Serialize>(value: &T) -> String {
        serde_json::to_value(value)
            .unwrap()
            .as_str()
            .unwrap()
            .to_owned()
    }

    fn chrono_parse(text: &str) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|at| at.with_timezone(&Utc))
    }

    #[test]
    fn the_servers_form_reads_and_writes() {
        let at = Utc.with_ymd_and_hms(2026, 11, 23, 8, 5, 0).unwrap();
        assert_eq!(parse("2026-11-23T08:05:00Z"), Ok(at));
        assert_eq!(write(&at), "2026-11-23T08:05:00Z");
        assert_eq!(write_with_offset(&at), "2026-11-23T08:05:00+00:00");
        let later = at + chrono::Duration::milliseconds(120);
        assert_eq!(write(&later), "2026-11-23T08:05:00.120Z");
        assert_eq!(parse("2026-11-23T08:05:00.12Z"), Ok(later));
        assert_eq!(parse("2026-11-23t10:05:00+02:00"), Ok(at));
        assert_eq!(parse("2026-11-23 03:35:00\u{2212}04:30"), Ok(at));
    }

    #[test]
    fn bad_text_says_what_was_expected() {
        for bad in [
            "",
            "2026-11-23",
            "2026-11-23T08:05Z",
            "2026-11-23T08:05:00",
            "2026-11-23T08:05:00+0200",
            "2026-11-23T08:05:00Z ",
            "2026-02-30T08:05:00Z",
            "2026-11-23T24:00:00Z",
            "2026-11-23T08:05:00.Z",
            "+2026-11-23T08:05:00Z",
        ] {
            let error = parse(bad).unwrap_err();
            assert_eq!(error, TimeTextError::DateTime(bad.to_owned()));
            assert!(
                error
                    .to_string()
                    .contains("is not an RFC 3339 date and time")
            );
            assert_eq!(chrono_parse(bad), None, "chrono reads {bad:?}");
        }
        assert_eq!(
            parse_day("2026-1-5").unwrap_err().to_string(),
            "\"2026-1-5\" is not a date (YYYY-MM-DD)"
        );
        assert!(parse_day("2026-11-23x").is_err());
        assert!(parse_day("2026-13-01").is_err());
    }

    #[test]
    fn the_serde_adapters_read_what_they_write() {
        #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
        struct Sample {
            #[serde(with = "crate::timestamp")]
            at: DateTime<Utc>,
            #[serde(default, with = "crate::timestamp::option")]
            decided: Option<DateTime<Utc>>,
            #[serde(with = "crate::timestamp::day")]
            day: NaiveDate,
        }
        let sample = Sample {
            at: Utc.with_ymd_and_hms(2026, 11, 23, 8, 5, 0).unwrap(),
            decided: None,
            day: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
        };
        let text = serde_json::to_string(&sample).unwrap();
        assert_eq!(
            text,
            r#"{"at":"2026-11-23T08:05:00Z","decided":null,"day":"2026-11-23"}"#
        );
        assert_eq!(serde_json::from_str::<Sample>(&text).unwrap(), sample);
        let missing: Sample =
            serde_json::from_str(r#"{"at":"2026-11-23T08:05:00Z","day":"2026-11-23"}"#).unwrap();
        assert_eq!(missing, sample);
        let error = serde_json::from_str::<Sample>(r#"{"at":"yesterday","day":"2026-11-23"}"#)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("\"yesterday\" is not an RFC 3339 date and time"),
            "{error}"
        );
        let error = serde_json::from_str::<Sample>(r#"{"at":3,"day":"2026-11-23"}"#)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("expected an RFC 3339 date and time"),
            "{error}"
        );
    }

    /// An instant from `min` to `max` seconds since 1970, to the second, millisecond,
    /// microsecond or nanosecond, and now and then a leap second.
    fn instant_between(min: i64, max: i64) -> impl Strategy<Value = DateTime<Utc>> {
        let unit = prop_oneof![Just(1_000_000_000), Just(1_000_000), Just(1_000), Just(1)];
        (
            min..=max,
            0u32..1_000_000_000,
            unit,
            proptest::bool::weighted(0.05),
        )
            .prop_filter_map("a valid instant", |(secs, nano, unit, leap)| {
                let nano = nano / unit * unit;
                if leap {
                    DateTime::from_timestamp(secs - secs.rem_euclid(60) + 59, nano + 1_000_000_000)
                } else {
                    DateTime::from_timestamp(secs, nano)
                }
            })
    }

    /// Texts in the RFC 3339 form (some of them impossible dates or times), and texts near it,
    /// wrong in one of many small ways.
    fn near_rfc3339() -> impl Strategy<Value = String> {
        let form = "[0-9]{4}-[01][0-9]-[0-3][0-9][Tt ][0-2][0-9]:[0-5][0-9]:[0-6][0-9]\
                    (\\.[0-9]{1,12})?([Zz]|[-+\u{2212}][0-2][0-9]:[0-5][0-9])";
        let near = "[0-9+]{1,5}-[0-9]{1,2}-[0-3][0-9][Tt x][0-2][0-9]:[0-6][0-9]:?[0-6][0-9]\
                    (\\.[0-9]{0,12})?([Zzx]|[-+\u{2212}][0-2][0-9]:?[0-9]{1,2})?";
        prop_oneof![
            proptest::string::string_regex(form).unwrap(),
            proptest::string::string_regex(near).unwrap(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn writes_what_chrono_writes(at in instant_between(
            DateTime::<Utc>::MIN_UTC.timestamp(),
            DateTime::<Utc>::MAX_UTC.timestamp(),
        )) {
            prop_assert_eq!(write(&at), chrono_wire(&at));
            prop_assert_eq!(write_with_offset(&at), at.to_rfc3339());
            prop_assert_eq!(write_day(at.date_naive()), chrono_wire(&at.date_naive()));
        }

        #[test]
        fn reads_what_it_writes(at in instant_between(
            // The years RFC 3339 can write: 0000 to 9999.
            -62_167_219_200,
            253_402_300_799,
        )) {
            prop_assert_eq!(parse(&write(&at)), Ok(at));
            prop_assert_eq!(parse(&write_with_offset(&at)), Ok(at));
            prop_assert_eq!(parse_day(&write_day(at.date_naive())), Ok(at.date_naive()));
        }

        #[test]
        fn reads_what_chrono_reads(text in near_rfc3339()) {
            prop_assert_eq!(parse(&text).ok(), chrono_parse(&text));
        }

        #[test]
        fn reads_days_as_chrono_reads_them(text in "[0-9]{4}-[0-1][0-9]-[0-3][0-9]") {
            prop_assert_eq!(
                parse_day(&text).ok(),
                NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok()
            );
        }
    }
}

//! Every limit the API enforces, once: the server validates with these constants and its OpenAPI
//! document states them from the same constants (the schemas below, under the `openapi` feature), so
//! the two cannot drift. The contract suite (`cargo xtask test contract`) checks the server against
//! the document.
//!
//! Free text is trimmed by the server with Rust's notion of white space (`char::is_whitespace`) and
//! never holds control characters (`char::is_control`, Unicode category Cc) nor the invisible
//! characters that can disguise text (`text::DISGUISING`); the patterns spell out exactly those
//! sets, so that a JSON Schema validator in any language agrees with the server.

/// `Idempotency-Key`: 1 to this many visible ASCII characters (`!` to `~`).
pub const MAX_IDEMPOTENCY_KEY_LEN: usize = 255;
/// The most shipments one bulk cancellation may name.
pub const MAX_BULK_SHIPMENTS: usize = 200;
/// A list page's `limit`: 1 to this many, [`DEFAULT_PAGE_LIMIT`] when absent.
pub const MAX_PAGE_LIMIT: u32 = 200;
pub const DEFAULT_PAGE_LIMIT: u32 = 50;
/// The list's text parameters (`q`, `city`, `provider`), counted after trimming.
pub const MAX_LIST_TEXT_CHARS: usize = 200;
/// The largest stock a seller may declare at one warehouse; more is surely a typing slip (422).
pub const MAX_STOCK: u32 = 1_000_000;
/// More parcels than this is a mistake, not a plan.
pub const MAX_PARCELS: usize = 50;
/// The most items one partial cancellation names (each SKU once): more than a shipment holds
/// products is a malformed request (400), not a rule's refusal.
pub const MAX_CANCEL_ITEMS: usize = 200;
/// A warehouse id in a stock update, counted as sent.
pub const MAX_WAREHOUSE_ID_CHARS: usize = 64;
/// The longest SKU a request may name (the out-of-stock sweep's).
pub const MAX_SKU_CHARS: usize = 200;
/// A city of a delivery-geography exclusion, counted as sent.
pub const MAX_CITY_CHARS: usize = 100;
/// A provider's message in the demo's provider decision, counted as sent.
pub const MAX_PROVIDER_MESSAGE_CHARS: usize = 500;
/// `If-Match: "<version>"`: a shipment version of 1 to this many decimal digits.
pub const MAX_VERSION_DIGITS: usize = 19;

/// What `char::is_whitespace` counts as white space (Unicode White_Space), as a regex class body.
pub const WHITE_SPACE_CLASS: &str = "\\t\\n\\x0b\\x0c\\r \\x85\\xa0\u{1680}\u{2000}-\u{200a}\u{2028}\u{2029}\u{202f}\u{205f}\u{3000}";
/// What `char::is_control` counts as a control character (Unicode Cc), as a regex class body.
pub const CONTROL_CLASS: &str = "\\x00-\\x1f\\x7f-\\x9f";

/// What free text may not hold, as a regex class body: the control characters, and the invisible
/// characters that can disguise text (`text::DISGUISING`, and the tag characters, which the server
/// allows only inside an emoji flag; the document, unable to say "only after a flag", refuses them).
pub fn refused_class() -> String {
    let mut class = CONTROL_CLASS.to_owned();
    for &(low, high) in crate::text::DISGUISING
        .iter()
        .chain(std::iter::once(&crate::text::TAGS))
    {
        if low == high {
            class.push(low);
        } else {
            class.push(low);
            class.push('-');
            class.push(high);
        }
    }
    class
}

/// A visible ASCII string, the shape of an `Idempotency-Key`.
pub fn is_idempotency_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= MAX_IDEMPOTENCY_KEY_LEN
        && key.bytes().all(|b| b.is_ascii_graphic())
}

/// The version in an `If-Match` value: `"<1 to 19 digits>"`, surrounding white space ignored.
pub fn parse_if_match(value: &str) -> Option<u64> {
    let digits = value.trim().strip_prefix('"')?.strip_suffix('"')?;
    if digits.is_empty()
        || digits.len() > MAX_VERSION_DIGITS
        || !digits.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    digits.parse().ok()
}

/// A list page's `limit` as sent in the query: an integer from 1 to [`MAX_PAGE_LIMIT`] in plain
/// decimal (no sign, no leading zero, no white space), as the document's `integer` says.
pub fn parse_page_limit(value: &str) -> Option<u32> {
    if !value.starts_with(|c: char| ('1'..='9').contains(&c))
        || !value.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    value
        .parse()
        .ok()
        .filter(|limit| (1..=MAX_PAGE_LIMIT).contains(limit))
}

/// Text of at most `max` characters as sent, not blank, without control characters.
pub fn is_short_text(text: &str, max: usize) -> bool {
    !text.trim().is_empty() && text.chars().count() <= max && !text.chars().any(char::is_control)
}

/// An ISO 3166-1 alpha-2 country code, upper case, exactly as sent.
pub fn is_country_code(code: &str) -> bool {
    code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase())
}

pub const COUNTRY_PATTERN: &str = "^[A-Z]{2}$";

/// Patterns of the document, built from the constants above.
pub mod pattern {
    use super::{MAX_IDEMPOTENCY_KEY_LEN, MAX_VERSION_DIGITS, WHITE_SPACE_CLASS, refused_class};

    /// `Idempotency-Key`.
    pub fn idempotency_key() -> String {
        format!("^[!-~]{{1,{MAX_IDEMPOTENCY_KEY_LEN}}}$")
    }

    /// `If-Match`.
    pub fn if_match() -> String {
        format!("^\"[0-9]{{1,{MAX_VERSION_DIGITS}}}\"$")
    }

    /// Text that is at most `max` characters once trimmed, without control characters once
    /// trimmed; at least one character once trimmed when `required`.
    pub fn trimmed_text(max: usize, required: bool) -> String {
        let ws = WHITE_SPACE_CLASS;
        let ctl = refused_class();
        if required {
            // The trimmed text starts and ends with a visible character.
            let inner = max.saturating_sub(2);
            format!("^[{ws}]*[^{ctl}{ws}](?:[^{ctl}]{{0,{inner}}}[^{ctl}{ws}])?[{ws}]*$")
        } else {
            format!("^[{ws}]*[^{ctl}]{{0,{max}}}[{ws}]*$")
        }
    }

    /// Text with at least one character that is not white space, and no control characters (its
    /// length is a `maxLength`).
    pub fn visible_text() -> String {
        let ws = WHITE_SPACE_CLASS;
        let ctl = refused_class();
        format!("^[^{ctl}]*[^{ctl}{ws}][^{ctl}]*$")
    }

    /// A comma-separated list of codes, white space around each ignored; empty means absent.
    pub fn code_list(codes: &[&str]) -> String {
        let ws = WHITE_SPACE_CLASS;
        let one = codes.join("|");
        format!("^[{ws}]*(?:(?:{one})[{ws}]*(?:,[{ws}]*(?:{one})[{ws}]*)*)?$")
    }

    /// One code, white space around it ignored; empty means absent.
    pub fn optional_code(codes: &[&str]) -> String {
        let ws = WHITE_SPACE_CLASS;
        format!("^[{ws}]*(?:{})?[{ws}]*$", codes.join("|"))
    }
}

/// Reads a count (a quantity) from JSON as JSON Schema counts an integer: `3` and `3.0` alike, as
/// long as it fits a `u32`. Anything else (a fraction, a negative or too large number, a string)
/// is refused.
pub fn deserialize_count<'de, D>(deserializer: D) -> Result<u32, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct Count;

    impl serde::de::Visitor<'_> for Count {
        type Value = u32;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            write!(f, "an integer from 0 to {}", u32::MAX)
        }

        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<u32, E> {
            u32::try_from(v)
                .map_err(|_| E::invalid_value(serde::de::Unexpected::Unsigned(v), &self))
        }

        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<u32, E> {
            u32::try_from(v).map_err(|_| E::invalid_value(serde::de::Unexpected::Signed(v), &self))
        }

        fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<u32, E> {
            if v.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&v) {
                // Exact: an integral value within range.
                Ok(v as u32)
            } else {
                Err(E::invalid_value(serde::de::Unexpected::Float(v), &self))
            }
        }
    }

    deserializer.deserialize_any(Count)
}

/// A shipment version as JSON Schema counts an integer (`3` and `3.0` alike).
struct Version(u64);

impl<'de> serde::Deserialize<'de> for Version {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Version, D::Error> {
        struct Visit;

        impl serde::de::Visitor<'_> for Visit {
            type Value = u64;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                write!(f, "a whole version number")
            }

            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<u64, E> {
                Ok(v)
            }

            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<u64, E> {
                u64::try_from(v)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Signed(v), &self))
            }

            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<u64, E> {
                // Exact only up to 2^53: beyond it a float no longer names one integer.
                if v.fract() == 0.0 && (0.0..=9_007_199_254_740_992.0).contains(&v) {
                    Ok(v as u64)
                } else {
                    Err(E::invalid_value(serde::de::Unexpected::Float(v), &self))
                }
            }
        }

        deserializer.deserialize_any(Visit).map(Version)
    }
}

/// Reads a bulk cancellation's optional `versions` as [`deserialize_count`] reads a count.
pub fn deserialize_versions<'de, D>(deserializer: D) -> Result<Option<Vec<u64>>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let versions: Option<Vec<Version>> = serde::Deserialize::deserialize(deserializer)?;
    Ok(versions.map(|list| list.into_iter().map(|v| v.0).collect()))
}

/// Reads a required list of versions as [`deserialize_count`] reads a count.
pub fn deserialize_version_list<'de, D>(deserializer: D) -> Result<Vec<u64>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let versions: Vec<Version> = serde::Deserialize::deserialize(deserializer)?;
    Ok(versions.into_iter().map(|v| v.0).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_takes_a_quoted_version_of_digits_only() {
        assert_eq!(parse_if_match("\"3\""), Some(3));
        assert_eq!(parse_if_match(" \"007\" "), Some(7));
        for bad in [
            "",
            "3",
            "\"\"",
            "\"+3\"",
            "\"-3\"",
            "W/\"3\"",
            "\"3 \"",
            "\"12345678901234567890\"",
        ] {
            assert_eq!(parse_if_match(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn a_page_limit_is_a_plain_integer_in_range() {
        assert_eq!(parse_page_limit("1"), Some(1));
        assert_eq!(parse_page_limit("200"), Some(200));
        for bad in ["", " 5", "5 ", "+5", "05", "0", "201", "5.0", "99999999999"] {
            assert_eq!(parse_page_limit(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn short_text_counts_as_sent() {
        assert!(is_short_text(" Kazan ", 7));
        assert!(!is_short_text(" Kazan ", 6));
        assert!(!is_short_text("   ", 10));
        assert!(!is_short_text("Ka\u{7}zan", 10));
    }

    #[test]
    fn counts_take_integral_numbers() {
        let read = |json: &str| deserialize_count(&mut serde_json::Deserializer::from_str(json));
        assert_eq!(read("1471").ok(), Some(1471));
        assert_eq!(read("1471.0").ok(), Some(1471));
        assert!(read("1471.5").is_err());
        assert!(read("-1").is_err());
        assert!(read("4294967296").is_err());
        assert!(read("\"3\"").is_err());
    }

    #[test]
    fn versions_read_integral_numbers_only() {
        #[derive(serde::Deserialize)]
        struct Body {
            #[serde(default, deserialize_with = "deserialize_versions")]
            versions: Option<Vec<u64>>,
        }
        let read = |json: &str| serde_json::from_str::<Body>(json).map(|b| b.versions);
        assert_eq!(
            read(r#"{"versions": [3, 4.0]}"#).ok(),
            Some(Some(vec![3, 4]))
        );
        assert_eq!(read(r#"{"versions": null}"#).ok(), Some(None));
        assert_eq!(read("{}").ok(), Some(None));
        assert!(read(r#"{"versions": [1.5]}"#).is_err());
        assert!(read(r#"{"versions": [-1]}"#).is_err());
    }
}

//! A URL's query, read and written in plain Rust so that both directions have native tests.
//!
//! Reading follows the browser's `URLSearchParams` (`application/x-www-form-urlencoded`): `+` is a
//! space, `%XX` a byte, anything malformed stays as it is. Writing follows `encodeURIComponent`, so
//! the links the app writes are the ones it wrote with leptos_router before (`?q=a%20b`).

/// The pairs of a query, in their order. A name may come more than once; the first one counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query(Vec<(String, String)>);

impl Query {
    /// Reads `location.search` (with or without its leading `?`).
    pub fn parse(search: &str) -> Query {
        let search = search.strip_prefix('?').unwrap_or(search);
        Query(
            search
                .split('&')
                .filter(|pair| !pair.is_empty())
                .map(|pair| {
                    let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                    (decode(name), decode(value))
                })
                .collect(),
        )
    }

    /// The value of the first pair named `name`.
    pub fn get(&self, name: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
    }
}

/// The search part of a link: `""` without pairs, else `?name=value&…`, each part encoded.
pub fn to_search<'a>(pairs: impl IntoIterator<Item = (&'a str, String)>) -> String {
    let mut search = String::new();
    for (name, value) in pairs {
        search.push(if search.is_empty() { '?' } else { '&' });
        encode_into(&mut search, name);
        search.push('=');
        encode_into(&mut search, &value);
    }
    search
}

/// `encodeURIComponent`: every byte but the unreserved marks and ASCII letters and digits as `%XX`.
fn encode_into(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xF)]));
        }
    }
}

/// One name or value of a form-encoded query. Bytes that are not UTF-8 become U+FFFD, as in the
/// browser, so a hand-edited link still opens the list (with a search that finds nothing).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'+' => out.push(b' '),
            b'%' => {
                let high = bytes.get(at + 1).and_then(|&b| hex_value(b));
                let low = bytes.get(at + 2).and_then(|&b| hex_value(b));
                if let (Some(high), Some(low)) = (high, low) {
                    out.push(high << 4 | low);
                    at += 3;
                    continue;
                }
                // Not an escape: the `%` is kept as it stands.
                out.push(b'%');
            }
            byte => out.push(byte),
        }
        at += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(byte: u8) -> Option<u8> {
    char::from(byte)
        .to_digit(16)
        .and_then(|digit| u8::try_from(digit).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(query: &Query) -> Vec<(&str, &str)> {
        query
            .0
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_str()))
            .collect()
    }

    #[test]
    fn an_empty_search_has_no_pairs() {
        assert_eq!(Query::parse(""), Query::default());
        assert_eq!(Query::parse("?"), Query::default());
        assert_eq!(Query::parse("?&&"), Query::default());
    }

    #[test]
    fn pairs_keep_their_order_and_the_first_of_a_name_counts() {
        let query = Query::parse("?status=in_transit&provider=Cainiao&status=delivered");
        assert_eq!(
            pairs(&query),
            [
                ("status", "in_transit"),
                ("provider", "Cainiao"),
                ("status", "delivered")
            ]
        );
        assert_eq!(query.get("status").as_deref(), Some("in_transit"));
        assert_eq!(query.get("city"), None);
    }

    #[test]
    fn a_name_without_a_value_has_an_empty_value() {
        let query = Query::parse("q&city=");
        assert_eq!(query.get("q").as_deref(), Some(""));
        assert_eq!(query.get("city").as_deref(), Some(""));
    }

    #[test]
    fn reading_decodes_escapes_and_plus_as_in_url_search_params() {
        let query = Query::parse("?q=a+b%20c%2Bd&city=%E5%B9%BF%E5%B7%9E&x%3D=1%3D2");
        assert_eq!(query.get("q").as_deref(), Some("a b c+d"));
        assert_eq!(query.get("city").as_deref(), Some("广州"));
        assert_eq!(query.get("x=").as_deref(), Some("1=2"));
    }

    #[test]
    fn malformed_escapes_stay_as_they_are_and_bad_utf8_is_replaced() {
        let query = Query::parse("a=100%&b=%zz1&c=%4&d=%FF");
        assert_eq!(query.get("a").as_deref(), Some("100%"));
        assert_eq!(query.get("b").as_deref(), Some("%zz1"));
        assert_eq!(query.get("c").as_deref(), Some("%4"));
        assert_eq!(query.get("d").as_deref(), Some("\u{FFFD}"));
    }

    #[test]
    fn no_pairs_write_no_search() {
        assert_eq!(to_search([]), "");
    }

    #[test]
    fn writing_encodes_as_encode_uri_component() {
        let search = to_search([
            ("status", "in_transit".to_owned()),
            ("q", "a b+c&d=e/f?".to_owned()),
            ("city", "广州".to_owned()),
            ("keep", "-_.!~*'()".to_owned()),
        ]);
        assert_eq!(
            search,
            "?status=in_transit&q=a%20b%2Bc%26d%3De%2Ff%3F&city=%E5%B9%BF%E5%B7%9E&keep=-_.!~*'()"
        );
    }

    #[test]
    fn what_is_written_reads_back_the_same() {
        let written = [
            ("q", "  50% off + more  ".to_owned()),
            ("from", "2026-11-01".to_owned()),
            ("city", "São Paulo / 广州".to_owned()),
            ("empty", String::new()),
        ];
        let query = Query::parse(&to_search(written.clone()));
        let read: Vec<(&str, String)> = written
            .iter()
            .map(|(name, _)| (*name, query.get(name).expect("every name reads back")))
            .collect();
        assert_eq!(read, written);
    }
}

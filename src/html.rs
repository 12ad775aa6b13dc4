//! Text written into HTML markup that the app builds as a string (the row's word-only cells, the
//! filter bar's placeholder): every value from the server or the catalogue goes through here.

/// `text` with the five characters that HTML gives a meaning escaped, fit for an element's text
/// and for a double-quoted attribute's value.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_escaped(&mut out, text);
    out
}

/// Appends `text` to `out`, escaped as [`escape`] does.
pub fn push_escaped(out: &mut String, text: &str) {
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a browser shows for escaped text: the five entities read back.
    #[cfg(not(target_arch = "wasm32"))]
    fn unescape(html: &str) -> String {
        html.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    }

    #[test]
    fn words_are_escaped_as_html_text() {
        assert_eq!(escape(r#"a<b> & "c""#), "a&lt;b&gt; &amp; &quot;c&quot;");
        assert_eq!(escape("Поиск"), "Поиск");
    }

    #[test]
    fn markup_in_a_value_is_shown_as_text() {
        assert_eq!(
            escape(r#"<img src=x onerror="alert('1')"> & co"#),
            "&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt; &amp; co"
        );
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        /// Whatever the text, the escaped form holds no markup character, and reads back as the
        /// text itself.
        #[test]
        fn escaped_text_has_no_markup_and_reads_back(text in proptest::prelude::any::<String>()) {
            let escaped = escape(&text);
            proptest::prop_assert!(!escaped.contains(['<', '>', '"', '\'']));
            proptest::prop_assert_eq!(unescape(&escaped), text);
        }
    }
}

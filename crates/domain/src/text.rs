//! What free text the seller types may hold: the one rule used wherever text comes in (the
//! description of a cancellation, a city, a warehouse, a provider's message).
//!
//! Control characters (tabs, line breaks, NUL…) are refused, as before. So are the invisible
//! format characters that can make text read differently from what it is: the bidirectional
//! overrides, embeddings and isolates (the "Trojan Source" family, CVE-2021-42574), zero-width
//! spaces and joiners used to split or hide words, the byte-order mark, soft hyphens, invisible
//! operators, interlinear annotations, Hangul fillers and Unicode tag characters outside an emoji
//! flag. Everything a seller or buyer writes in Chinese, Russian or any other script passes, and so
//! do emoji (including their zero-width-joiner sequences, variation selectors and subdivision
//! flags) and combining marks.
//!
//! The list is written out rather than taken from a Unicode table crate because it is a deliberate
//! choice of *which* format characters to refuse (ZWJ and ZWNJ are format characters too, and
//! needed), and it must be identical in the app and the server.

use serde::{Deserialize, Serialize};

/// Why a text was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextFault {
    #[error("the text contains control characters")]
    ControlCharacters,
    #[error("the text contains invisible formatting characters")]
    InvisibleCharacters,
}

/// U+1F3F4 WAVING BLACK FLAG: the only character a run of tag characters may follow.
const BLACK_FLAG: char = '\u{1F3F4}';
/// U+E007F CANCEL TAG: ends an emoji flag's tag sequence.
const CANCEL_TAG: char = '\u{E007F}';

/// The invisible characters that can disguise text (see the module's comment), as inclusive
/// ranges. Tag characters are judged by [`check_text`], which knows what precedes them. The
/// OpenAPI document's text patterns exclude the same ranges (`limits::pattern`).
pub const DISGUISING: &[(char, char)] = &[
    ('\u{00AD}', '\u{00AD}'),   // soft hyphen
    ('\u{061C}', '\u{061C}'),   // Arabic letter mark
    ('\u{115F}', '\u{1160}'),   // Hangul choseong and jungseong fillers
    ('\u{180E}', '\u{180E}'),   // Mongolian vowel separator
    ('\u{200B}', '\u{200B}'),   // zero-width space
    ('\u{200E}', '\u{200F}'),   // left-to-right and right-to-left marks
    ('\u{202A}', '\u{202E}'),   // bidirectional embeddings and overrides
    ('\u{2060}', '\u{2064}'),   // word joiner, invisible operators
    ('\u{2066}', '\u{206F}'),   // bidirectional isolates, deprecated format characters
    ('\u{3164}', '\u{3164}'),   // Hangul filler
    ('\u{FEFF}', '\u{FEFF}'),   // zero-width no-break space (byte-order mark)
    ('\u{FFA0}', '\u{FFA0}'),   // halfwidth Hangul filler
    ('\u{FFF9}', '\u{FFFB}'),   // interlinear annotation
    ('\u{1BCA0}', '\u{1BCA3}'), // shorthand format controls
    ('\u{1D173}', '\u{1D17A}'), // musical symbol format controls
    ('\u{E0001}', '\u{E0001}'), // language tag
];

/// The tag characters, allowed only inside an emoji flag's tag sequence.
pub const TAGS: (char, char) = ('\u{E0020}', CANCEL_TAG);

/// An invisible character that can disguise text, wherever it stands.
pub fn is_disguising(c: char) -> bool {
    DISGUISING
        .iter()
        .any(|&(low, high)| (low..=high).contains(&c))
}

fn is_tag(c: char) -> bool {
    (TAGS.0..=TAGS.1).contains(&c)
}

/// Checks a free text; `Ok` when it holds neither control characters nor disguising ones.
pub fn check_text(text: &str) -> Result<(), TextFault> {
    if text.chars().any(char::is_control) {
        return Err(TextFault::ControlCharacters);
    }
    // Tag characters are allowed only as an emoji flag's tag sequence: the black flag, then tags,
    // ending with CANCEL TAG (🏴󠁧󠁢󠁳󠁣󠁴󠁿, Scotland).
    let mut in_flag = false;
    let mut previous = None;
    for c in text.chars() {
        if is_disguising(c) {
            return Err(TextFault::InvisibleCharacters);
        }
        if is_tag(c) {
            if !(in_flag || previous == Some(BLACK_FLAG)) {
                return Err(TextFault::InvisibleCharacters);
            }
            in_flag = c != CANCEL_TAG;
        } else if in_flag {
            // A flag's tags must end with CANCEL TAG before anything else follows.
            return Err(TextFault::InvisibleCharacters);
        }
        previous = Some(c);
    }
    if in_flag {
        return Err(TextFault::InvisibleCharacters);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_text_in_every_locale_passes() {
        for text in [
            "Buyer asked to cancel",
            "买家要求取消订单，货物已损坏。",
            "Покупатель попросил отменить заказ, товар повреждён.",
            "Cliente pidió cancelar: ñandú, café",
            "e\u{0301}te\u{0301} (combining acute accents)",
            "Thumbs up 👍🏽 and a family 👨\u{200D}👩\u{200D}👧",
            "A variation selector ❤\u{FE0F}",
            "Scotland 🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F} flag",
            "می\u{200C}خواهم (a zero-width non-joiner, needed in Persian)",
            "עברית ועربية",
        ] {
            assert_eq!(check_text(text), Ok(()), "{text:?}");
        }
    }

    #[test]
    fn bidirectional_and_invisible_characters_are_refused() {
        for c in [
            '\u{202E}',
            '\u{202A}',
            '\u{202D}',
            '\u{2066}',
            '\u{2067}',
            '\u{2068}',
            '\u{2069}',
            '\u{200E}',
            '\u{200F}',
            '\u{061C}',
            '\u{200B}',
            '\u{2060}',
            '\u{FEFF}',
            '\u{00AD}',
            '\u{3164}',
            '\u{115F}',
            '\u{2062}',
            '\u{FFF9}',
            '\u{E0001}',
        ] {
            for text in [format!("{c}abc"), format!("ab{c}c"), format!("abc{c}")] {
                assert_eq!(
                    check_text(&text),
                    Err(TextFault::InvisibleCharacters),
                    "U+{:04X} in {text:?}",
                    c as u32
                );
            }
        }
    }

    #[test]
    fn tag_characters_pass_only_as_a_flag() {
        // Hidden ASCII smuggled as tags after ordinary text.
        assert_eq!(
            check_text("ok\u{E0068}\u{E0069}"),
            Err(TextFault::InvisibleCharacters)
        );
        // A flag's tags that never end.
        assert_eq!(
            check_text("🏴\u{E0067}\u{E0062}"),
            Err(TextFault::InvisibleCharacters)
        );
        // A flag's tags interrupted by a letter.
        assert_eq!(
            check_text("🏴\u{E0067}x\u{E007F}"),
            Err(TextFault::InvisibleCharacters)
        );
    }

    #[test]
    fn control_characters_are_refused_first() {
        assert_eq!(check_text("a\tb"), Err(TextFault::ControlCharacters));
        assert_eq!(
            check_text("a\u{202E}\nb"),
            Err(TextFault::ControlCharacters)
        );
    }
}

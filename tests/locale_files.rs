//! The catalogues in `locales/` agree: every locale has exactly English's keys, each sentence
//! keeps English's placeholders, and no Chinese or Russian sentence is left in English.
//! (leptos_i18n only warns about a missing key and falls back to English, so this test is the gate.)
#![cfg(not(target_arch = "wasm32"))]

#[path = "support/locale_json.rs"]
mod locale_json;

use std::collections::BTreeSet;

use locale_json::catalogue;

const LOCALES: [&str; 3] = ["en", "zh-CN", "ru"];

/// Sentences that are the same in every language: they hold only placeholders or punctuation.
const LANGUAGE_FREE: [&str; 4] = [
    "list.no_cancellation",
    "list.delivery_with_provider",
    "dialog.counter",
    // A product no longer in the shipment, named by its SKU: Chinese keeps the Latin "SKU", as
    // `dialog.product_sku` does there.
    // The row's cancelled line and the out-of-stock follow-ups both say it (`text::sku_product`).
    "partial.sku_only",
];

/// The names inside `{{ … }}`.
fn placeholders(sentence: &str) -> BTreeSet<String> {
    sentence
        .split("{{")
        .skip(1)
        .filter_map(|rest| rest.split_once("}}"))
        .map(|(name, _)| name.trim().to_owned())
        .collect()
}

#[test]
fn every_locale_has_exactly_the_english_keys() {
    let english: BTreeSet<String> = catalogue("en").into_keys().collect();
    for locale in &LOCALES[1..] {
        let keys: BTreeSet<String> = catalogue(locale).into_keys().collect();
        let missing: Vec<_> = english.difference(&keys).collect();
        let extra: Vec<_> = keys.difference(&english).collect();
        assert!(missing.is_empty(), "{locale} lacks {missing:?}");
        assert!(
            extra.is_empty(),
            "{locale} has keys English lacks: {extra:?}"
        );
    }
}

#[test]
fn every_sentence_keeps_the_english_placeholders() {
    let english = catalogue("en");
    for locale in &LOCALES[1..] {
        for (key, sentence) in catalogue(locale) {
            let Some(original) = english.get(&key) else {
                continue;
            };
            assert_eq!(
                placeholders(&sentence),
                placeholders(original),
                "{locale} {key}: {sentence:?} vs {original:?}"
            );
        }
    }
}

#[test]
fn plural_sentences_spell_out_every_category() {
    for locale in LOCALES {
        let sentences = catalogue(locale);
        let groups: BTreeSet<&str> = sentences
            .keys()
            .filter_map(|key| key.rsplit_once('.'))
            // `reason.other` is a reason, not a plural form: a plural group is one with a `one`.
            .filter(|(_, last)| *last == "one")
            .map(|(group, _)| group)
            .collect();
        assert!(!groups.is_empty());
        for group in groups {
            for category in ["one", "few", "many", "other"] {
                let key = format!("{group}.{category}");
                let sentence = sentences
                    .get(&key)
                    .unwrap_or_else(|| panic!("{locale} lacks {key}"));
                assert!(sentence.contains("{{ count }}"), "{locale} {key}");
            }
        }
    }
}

#[test]
fn no_chinese_or_russian_sentence_is_left_in_english() {
    let english = catalogue("en");
    for locale in &LOCALES[1..] {
        for (key, sentence) in catalogue(locale) {
            if LANGUAGE_FREE.contains(&key.as_str()) {
                continue;
            }
            assert_ne!(
                english.get(&key),
                Some(&sentence),
                "{locale} {key} is still English"
            );
            // Placeholders are names, not words the seller reads (`{{ posting_number }}`).
            let words_only = without_placeholders(&sentence);
            let latin_words = words_only
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|word| word.len() > 3)
                .filter(|word| !["SKU", "CSV"].contains(word))
                .count();
            assert_eq!(
                latin_words, 0,
                "{locale} {key}: {sentence:?} has English words"
            );
        }
    }
}

#[test]
fn the_placeholder_reader_finds_names() {
    assert_eq!(
        placeholders("{{ a }} and {{b}}"),
        BTreeSet::from(["a".to_owned(), "b".to_owned()])
    );
}

fn without_placeholders(sentence: &str) -> String {
    let mut rest = sentence;
    let mut words = String::new();
    while let Some(start) = rest.find("{{") {
        words.push_str(&rest[..start]);
        match rest[start..].find("}}") {
            Some(end) => rest = &rest[start + end + 2..],
            None => {
                rest = &rest[start..];
                break;
            }
        }
    }
    words.push_str(rest);
    words
}

#[test]
fn placeholders_are_not_counted_as_words() {
    assert_eq!(
        without_placeholders("货件 {{ posting_number }}：{{ state }}。"),
        "货件 ：".to_owned() + "。"
    );
    assert_eq!(without_placeholders("a {{ b"), "a {{ b");
}

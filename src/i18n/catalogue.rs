//! The catalogues: `locales/*.json`, compiled by `build.rs` into one array of sentences per locale
//! and a typed key per sentence, and which of them the page holds.
//!
//! English is in the main module: it is the default, and what shows until another locale's
//! catalogue is there. Chinese and Russian are each cut into a module of their own in the shipped
//! build (`split_catalogue_zh_cn.wasm`, `split_catalogue_ru.wasm`), fetched only when the seller's
//! locale is theirs ([`load`]); an unsplit build (the tests) holds all three.

use std::cell::Cell;
use std::fmt::Display;

use crate::lazy::Part;
use crate::split_part;

mod generated {
    include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));
}

pub use generated::{COUNT, Catalogue, Locale, keys};

/// One sentence of the catalogues: where it is, and the names of its `{{ name }}` placeholders.
#[derive(Clone, Copy, Debug)]
pub struct Key {
    index: usize,
    placeholders: &'static [&'static str],
}

impl Key {
    pub const fn new(index: usize, placeholders: &'static [&'static str]) -> Key {
        Key {
            index,
            placeholders,
        }
    }

    /// Whether `names` are exactly this sentence's placeholders, in any order: [`td_string!`]
    /// asserts it at compile time, so a value the sentence lacks, or one it needs and is not
    /// given, fails the build.
    pub const fn takes(self, names: &[&str]) -> bool {
        if names.len() != self.placeholders.len() {
            return false;
        }
        let mut i = 0;
        while i < names.len() {
            let mut found = false;
            let mut j = 0;
            while j < self.placeholders.len() {
                if str_eq(names[i], self.placeholders[j]) {
                    found = true;
                }
                j += 1;
            }
            if !found {
                return false;
            }
            i += 1;
        }
        true
    }
}

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

split_part! {
    /// The Chinese sentences: the only code of their module, so that the data goes with it.
    fn catalogue_zh_cn() -> &'static Catalogue, in catalogue_zh_cn, preload preload_catalogue_zh_cn {
        &generated::ZH_CN
    }
}

split_part! {
    /// The Russian sentences.
    fn catalogue_ru() -> &'static Catalogue, in catalogue_ru, preload preload_catalogue_ru {
        &generated::RU
    }
}

pub static ZH_CN: Part = Part::new("catalogue_zh_cn", || Box::pin(preload_catalogue_zh_cn()));
pub static RU: Part = Part::new("catalogue_ru", || Box::pin(preload_catalogue_ru()));

thread_local! {
    /// The catalogues the page holds, by `Locale::ALL`'s order; English always.
    static HELD: Cell<[Option<&'static Catalogue>; 3]> =
        const { Cell::new([Some(&generated::EN), None, None]) };
}

fn slot(locale: Locale) -> usize {
    match locale {
        Locale::en => 0,
        Locale::zh_CN => 1,
        Locale::ru => 2,
    }
}

/// The module that holds a locale's catalogue, unless it is in the main module.
pub fn part(locale: Locale) -> Option<&'static Part> {
    match locale {
        Locale::en => None,
        Locale::zh_CN => Some(&ZH_CN),
        Locale::ru => Some(&RU),
    }
}

/// The locale's catalogue, when the page holds it.
fn held(locale: Locale) -> Option<&'static Catalogue> {
    let held = HELD.with(|held| held.get()[slot(locale)]);
    if held.is_some() {
        return held;
    }
    // Its module is loaded: read the catalogue out of it once (a split function is ready at once
    // when its module is there).
    let part = part(locale)?;
    if !part.is_loaded() {
        return None;
    }
    let catalogue = match locale {
        Locale::en => Some(&generated::EN),
        Locale::zh_CN => crate::lazy::state::now(catalogue_zh_cn()).and_then(Result::ok),
        Locale::ru => crate::lazy::state::now(catalogue_ru()).and_then(Result::ok),
    }?;
    HELD.with(|held| {
        let mut all = held.get();
        all[slot(locale)] = Some(catalogue);
        held.set(all);
    });
    Some(catalogue)
}

/// Whether the locale's sentences are there to be shown.
pub fn is_held(locale: Locale) -> bool {
    held(locale).is_some()
}

/// Fetches the locale's catalogue unless the page holds it; resolves once that is settled, true
/// when the catalogue is there (after the module's automatic retries, false when it could not be
/// fetched, and the page stays in the language it shows).
pub async fn load(locale: Locale) -> bool {
    if let Some(part) = part(locale) {
        part.ensure().await;
    }
    is_held(locale)
}

/// The sentence in `locale`, or in English while that catalogue is not there.
pub fn get(locale: Locale, key: Key) -> &'static str {
    held(locale).unwrap_or(&generated::EN)[key.index]
}

/// The sentence with each `{{ name }}` replaced by its value.
pub fn fill(sentence: &str, values: &[(&str, &dyn Display)]) -> String {
    let mut filled = String::with_capacity(sentence.len() + 16);
    let mut rest = sentence;
    while let Some(start) = rest.find("{{") {
        filled.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else {
            // build.rs refuses an unclosed placeholder; kept as written if one ever slipped by.
            filled.push_str(&rest[start..]);
            return filled;
        };
        let name = after[..end].trim();
        match values.iter().find(|(wanted, _)| *wanted == name) {
            Some((_, value)) => {
                use std::fmt::Write as _;
                let _ = write!(filled, "{value}");
            }
            None => filled.push_str(&rest[start..start + 2 + end + 2]),
        }
        rest = &after[end + 2..];
    }
    filled.push_str(rest);
    filled
}

/// A sentence of the active catalogue, by its path in `locales/*.json`:
/// `td_string!(locale, list.table_name)` is a `&'static str`; with values for its placeholders,
/// `td_string!(locale, list.order, number)` or `td_string!(locale, list.order, number = n)`, a
/// `String`. The placeholders given must be exactly the sentence's, or the build fails.
#[macro_export]
macro_rules! td_string {
    ($locale:expr, $($key:ident).+) => {{
        const KEY: $crate::i18n::catalogue::Key = $crate::i18n::catalogue::keys::$($key)::+;
        const _: () = assert!(KEY.takes(&[]), "this sentence has placeholders: give their values");
        $crate::i18n::catalogue::get($locale, KEY)
    }};
    ($locale:expr, $($key:ident).+, $($args:tt)+) => {{
        const KEY: $crate::i18n::catalogue::Key = $crate::i18n::catalogue::keys::$($key)::+;
        const _: () = assert!(
            KEY.takes(&$crate::td_names!([] $($args)+)),
            "the values given are not this sentence's placeholders"
        );
        $crate::i18n::catalogue::fill(
            $crate::i18n::catalogue::get($locale, KEY),
            &$crate::td_values!([] $($args)+),
        )
    }};
}

/// The placeholder names of [`td_string!`]'s arguments, as an array of `&str`.
#[doc(hidden)]
#[macro_export]
macro_rules! td_names {
    ([$($done:expr,)*]) => { [$($done),*] };
    ([$($done:expr,)*] $name:ident = $value:expr, $($rest:tt)+) => { $crate::td_names!([$($done,)* stringify!($name),] $($rest)+) };
    ([$($done:expr,)*] $name:ident = $value:expr) => { $crate::td_names!([$($done,)* stringify!($name),]) };
    ([$($done:expr,)*] $name:ident, $($rest:tt)+) => { $crate::td_names!([$($done,)* stringify!($name),] $($rest)+) };
    ([$($done:expr,)*] $name:ident) => { $crate::td_names!([$($done,)* stringify!($name),]) };
}

/// The values of [`td_string!`]'s arguments, as `(name, &dyn Display)` pairs.
#[doc(hidden)]
#[macro_export]
macro_rules! td_values {
    ([$($done:expr,)*]) => { [$($done),*] };
    ([$($done:expr,)*] $name:ident = $value:expr, $($rest:tt)+) => {
        $crate::td_values!([$($done,)* (stringify!($name), &$value as &dyn ::std::fmt::Display),] $($rest)+)
    };
    ([$($done:expr,)*] $name:ident = $value:expr) => {
        $crate::td_values!([$($done,)* (stringify!($name), &$value as &dyn ::std::fmt::Display),])
    };
    ([$($done:expr,)*] $name:ident, $($rest:tt)+) => {
        $crate::td_values!([$($done,)* (stringify!($name), &$name as &dyn ::std::fmt::Display),] $($rest)+)
    };
    ([$($done:expr,)*] $name:ident) => {
        $crate::td_values!([$($done,)* (stringify!($name), &$name as &dyn ::std::fmt::Display),])
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_by_name_and_unknown_ones_stay() {
        let count = 3;
        assert_eq!(
            fill(
                "{{ count }} of {{total}}",
                &[("count", &count), ("total", &"7")]
            ),
            "3 of 7"
        );
        assert_eq!(fill("no {{ such }} value", &[]), "no {{ such }} value");
        assert_eq!(fill("plain", &[]), "plain");
        assert_eq!(fill("broken {{ end", &[]), "broken {{ end");
    }

    #[test]
    fn a_key_takes_exactly_its_placeholders() {
        let key = Key::new(0, &["count", "max"]);
        assert!(key.takes(&["max", "count"]));
        assert!(!key.takes(&["count"]));
        assert!(!key.takes(&["count", "other"]));
        assert!(Key::new(1, &[]).takes(&[]));
    }

    #[test]
    fn every_locale_is_held_in_an_unsplit_build() {
        for locale in Locale::ALL {
            assert!(is_held(locale), "{}", locale.as_str());
        }
        assert_eq!(get(Locale::ru, keys::app::close), "Закрыть");
        assert_eq!(get(Locale::en, keys::app::close), "Close");
    }

    #[test]
    fn the_macro_reads_the_sentence_and_fills_it() {
        let number = "87654321-0001";
        assert_eq!(
            crate::td_string!(Locale::en, list.order, number),
            format!("Order {number}")
        );
        assert_eq!(crate::td_string!(Locale::en, app.close), "Close");
    }
}

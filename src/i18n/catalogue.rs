//! The catalogues: `locales/*.json`, compiled by `build.rs` into one array of sentences per locale
//! and a typed key per sentence, and which of them the page holds.
//!
//! English is the default, and what shows until another locale's catalogue is there. Its first-load
//! half is in the main module; the sentences only the dialogs read, and those only the history page
//! reads, are in those modules (build.rs, `LAZY_HALVES`), held from the moment any code of theirs
//! runs ([`hold_english`]). Chinese and Russian are each cut into a module of their own in the shipped build
//! (`split_catalogue_zh_cn.wasm`, `split_catalogue_ru.wasm`), fetched only when the seller's locale
//! is theirs ([`load`]); an unsplit build (the tests) holds everything.

use std::cell::Cell;
use std::fmt::Display;

use crate::lazy::Part;
use crate::split_part;

mod generated {
    include!(concat!(env!("OUT_DIR"), "/catalogue.rs"));
}

pub use generated::{COUNT, Half, Locale, half_of, keys};
#[cfg(test)]
pub(crate) use generated::{FIRST_LOAD_TOO, PATHS};

/// One sentence of the catalogues: where it is, the names of its `{{ name }}` placeholders and,
/// for a sentence of a lazily loaded half of English, its path (empty for the first load's).
#[derive(Clone, Copy, Debug)]
pub struct Key {
    index: usize,
    placeholders: &'static [&'static str],
    lazy_path: &'static str,
}

impl Key {
    pub const fn new(
        index: usize,
        placeholders: &'static [&'static str],
        lazy_path: &'static str,
    ) -> Key {
        Key {
            index,
            placeholders,
            lazy_path,
        }
    }

    /// The half of English the sentence is in.
    pub const fn half(self) -> Half {
        half_of(self.index).0
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

/// A catalogue, or a half of English: its sentences written one after the other, and where each
/// ends. One string rather than one per sentence: the linker merges equal strings, and a sentence
/// equal in two split modules (the Chinese and the Russian `{{ length }} / {{ max }}`) would be
/// shared by them, which the split then cuts into a chunk of its own, one request more for each;
/// and an end takes 2 bytes where a `&str` takes 8.
pub struct Sentences {
    text: &'static str,
    ends: &'static [u16],
}

impl Sentences {
    /// build.rs writes the ends at the sentences' boundaries, in order, and refuses a text longer
    /// than a `u16` can index.
    pub const fn new(text: &'static str, ends: &'static [u16]) -> Sentences {
        Sentences { text, ends }
    }

    /// The sentence at `index` in this half (empty for an index it lacks, which the keys never
    /// give: a lookup never panics).
    pub fn get(&self, index: usize) -> &'static str {
        let start = match index.checked_sub(1) {
            Some(before) => self.ends.get(before).copied().unwrap_or(0),
            None => 0,
        };
        let end = self.ends.get(index).copied().unwrap_or(start);
        self.text
            .get(usize::from(start)..usize::from(end))
            .unwrap_or_default()
    }
}

split_part! {
    /// The Chinese sentences: the only code of their module, so that the data goes with it.
    fn catalogue_zh_cn() -> &'static Sentences, in catalogue_zh_cn, preload preload_catalogue_zh_cn {
        &generated::ZH_CN
    }
}

split_part! {
    /// The Russian sentences.
    fn catalogue_ru() -> &'static Sentences, in catalogue_ru, preload preload_catalogue_ru {
        &generated::RU
    }
}

pub static ZH_CN: Part = Part::new("catalogue_zh_cn", || Box::pin(preload_catalogue_zh_cn()));
pub static RU: Part = Part::new("catalogue_ru", || Box::pin(preload_catalogue_ru()));

thread_local! {
    /// The translated catalogues the page holds: Chinese, Russian.
    static HELD: Cell<[Option<&'static Sentences>; 2]> = const { Cell::new([None, None]) };

    /// The lazy halves of English the page holds: the dialogs', the history's. All of them in an
    /// unsplit build, which has nothing to load.
    static ENGLISH: Cell<[Option<&'static Sentences>; 2]> = const {
        #[cfg(feature = "split")]
        let halves = [None, None];
        #[cfg(not(feature = "split"))]
        let halves: [Option<&'static Sentences>; 2] =
            [Some(&generated::EN_DIALOGS), Some(&generated::EN_HISTORY)];
        Cell::new(halves)
    };
}

fn slot(locale: Locale) -> Option<usize> {
    match locale {
        Locale::en => None,
        Locale::zh_CN => Some(0),
        Locale::ru => Some(1),
    }
}

fn english_slot(half: Half) -> Option<usize> {
    match half {
        Half::FirstLoad => None,
        Half::Dialogs => Some(0),
        Half::History => Some(1),
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

/// The translated locale's whole catalogue, when the page holds it (never for English, whose
/// halves are looked up one by one).
fn translated(locale: Locale) -> Option<&'static Sentences> {
    let slot = slot(locale)?;
    let held = HELD.with(|held| held.get()[slot]);
    if held.is_some() {
        return held;
    }
    // Its module is loaded: read the catalogue out of it once (a split function is ready at once
    // when its module is there).
    if !part(locale)?.is_loaded() {
        return None;
    }
    let catalogue = match locale {
        Locale::en => None,
        Locale::zh_CN => crate::lazy::state::now(catalogue_zh_cn()).and_then(Result::ok),
        Locale::ru => crate::lazy::state::now(catalogue_ru()).and_then(Result::ok),
    }?;
    HELD.with(|held| {
        let mut all = held.get();
        all[slot] = Some(catalogue);
        held.set(all);
    });
    Some(catalogue)
}

/// Whether the locale's sentences are there to be shown: English's first-load half always is (its
/// other halves come with the modules that read them).
pub fn is_held(locale: Locale) -> bool {
    locale == Locale::en || translated(locale).is_some()
}

/// Whether a lazy half of English is held (the first load's always is).
pub fn english_is_held(half: Half) -> bool {
    english_slot(half).is_none_or(|slot| ENGLISH.with(|english| english.get()[slot]).is_some())
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

/// Marks a lazy half of English as held. Each split function of the module that holds the half
/// calls it first (`crate::lazy::parts`): all code of a lazily loaded module runs from one of its
/// split functions, so every sentence it reads is there by then, and the half's array, reached only
/// from there, is cut into that module with it. Inlined, so that the call names one array.
#[inline(always)]
pub fn hold_english(half: Half) {
    let sentences: &'static Sentences = match half {
        Half::FirstLoad => return,
        Half::Dialogs => &generated::EN_DIALOGS,
        Half::History => &generated::EN_HISTORY,
    };
    let Some(slot) = english_slot(half) else {
        return;
    };
    ENGLISH.with(|english| {
        let mut all = english.get();
        all[slot] = Some(sentences);
        english.set(all);
    });
}

/// An English sentence of a lazy half was read before its module was in: a bug in the order of
/// things (a lazy module's code runs only from its split functions, which hold its half first, see
/// [`hold_english`]), reported and shown as the sentence's key rather than a panic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotHeld {
    pub half: Half,
    pub key: &'static str,
}

impl Display for NotHeld {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the English sentence {} ({:?} half) was read before its module was loaded",
            self.key, self.half
        )
    }
}

impl std::error::Error for NotHeld {}

/// The English sentence, when its half is held.
pub fn english(key: Key) -> Result<&'static str, NotHeld> {
    let (half, index) = half_of(key.index);
    if half == Half::FirstLoad {
        return Ok(generated::EN_FIRST_LOAD.get(index));
    }
    let held = english_slot(half).and_then(|slot| ENGLISH.with(|english| english.get()[slot]));
    match held {
        Some(sentences) => Ok(sentences.get(index)),
        None => Err(NotHeld {
            half,
            key: key.lazy_path,
        }),
    }
}

/// The sentence in `locale`, or in English while that catalogue is not there. An English sentence
/// whose half is not held (see [`NotHeld`]) is logged as an error and shown as its key.
///
/// Always inlined, so that with the key a constant (as [`td_string!`] has it) a first-load key's
/// call passes only its index, and only a lazy key's call reaches the path and the error.
#[inline(always)]
pub fn get(locale: Locale, key: Key) -> &'static str {
    if key.lazy_path.is_empty() {
        first_load(locale, key.index)
    } else {
        lazy(locale, key)
    }
}

/// A sentence of the first-load half (held in every locale).
fn first_load(locale: Locale, index: usize) -> &'static str {
    match translated(locale) {
        Some(catalogue) => catalogue.get(index),
        None => generated::EN_FIRST_LOAD.get(index),
    }
}

/// A sentence of a lazy half: read only by the code of the module that brings it.
#[inline(never)]
fn lazy(locale: Locale, key: Key) -> &'static str {
    if let Some(catalogue) = translated(locale) {
        return catalogue.get(key.index);
    }
    match english(key) {
        Ok(sentence) => sentence,
        Err(not_held) => {
            leptos::logging::error!("{not_held}");
            not_held.key
        }
    }
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
#[path = "../../tests/support/locale_json.rs"]
mod locale_json;

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
    fn a_half_reads_each_sentence_between_its_ends() {
        let half = Sentences::new("OneTwoТри", &[3, 6, 12]);
        assert_eq!(half.get(0), "One");
        assert_eq!(half.get(1), "Two");
        assert_eq!(half.get(2), "Три");
        assert_eq!(
            half.get(3),
            "",
            "an index past the end is empty, not a panic"
        );
        let broken = Sentences::new("Три", &[1]);
        assert_eq!(
            broken.get(0),
            "",
            "an end inside a character is empty, not a panic"
        );
    }

    #[test]
    fn a_key_takes_exactly_its_placeholders() {
        let key = Key::new(0, &["count", "max"], "");
        assert!(key.takes(&["max", "count"]));
        assert!(!key.takes(&["count"]));
        assert!(!key.takes(&["count", "other"]));
        assert!(Key::new(1, &[], "").takes(&[]));
    }

    #[test]
    fn every_locale_is_held_in_an_unsplit_build() {
        for locale in Locale::ALL {
            assert!(is_held(locale), "{}", locale.as_str());
        }
        assert_eq!(get(Locale::ru, keys::app::close), "Закрыть");
        assert_eq!(get(Locale::en, keys::app::close), "Close");
        for half in [Half::FirstLoad, Half::Dialogs, Half::History] {
            assert!(english_is_held(half), "{half:?}");
        }
        assert_eq!(get(Locale::en, keys::dialog::title), "Cancel shipment");
        assert_eq!(
            get(Locale::en, keys::history::empty),
            "No cancellations yet."
        );
    }

    /// Every sentence, through the halves and the reordered keys, is the one its path names in
    /// `locales/*.json`, in every locale.
    #[test]
    fn every_key_reads_its_own_sentence_in_every_locale() {
        for locale in Locale::ALL {
            let sentences = super::locale_json::catalogue(locale.as_str());
            assert_eq!(sentences.len(), COUNT);
            for (key, sentence) in sentences {
                let index = PATHS
                    .iter()
                    .position(|path| *path == key)
                    .unwrap_or_else(|| panic!("{key} has no index"));
                let lazy_path = if half_of(index).0 == Half::FirstLoad {
                    ""
                } else {
                    PATHS[index]
                };
                let read = get(locale, Key::new(index, &[], lazy_path));
                assert_eq!(read, sentence, "{} {key}", locale.as_str());
            }
        }
    }

    /// A lazy half read before its module is in: a typed error naming the key, shown as the key,
    /// never a panic; the first-load half and the translated catalogues are unaffected, and holding
    /// the half brings it back.
    #[test]
    fn a_lazy_sentence_read_before_its_half_is_an_error_shown_as_its_key() {
        // Each test runs on its own thread, so this changes only this test's page.
        ENGLISH.with(|english| english.set([None, None]));
        assert!(!english_is_held(Half::Dialogs));
        assert!(english_is_held(Half::FirstLoad));
        assert_eq!(
            english(keys::dialog::title),
            Err(NotHeld {
                half: Half::Dialogs,
                key: "dialog.title"
            })
        );
        assert_eq!(get(Locale::en, keys::dialog::title), "dialog.title");
        assert_eq!(
            get(Locale::en, keys::history::empty),
            "history.empty",
            "the history's half is not held either"
        );
        assert_eq!(get(Locale::en, keys::app::close), "Close");
        assert_eq!(get(Locale::ru, keys::dialog::title), "Отмена отправления");

        hold_english(Half::Dialogs);
        assert!(english_is_held(Half::Dialogs));
        assert!(!english_is_held(Half::History));
        assert_eq!(get(Locale::en, keys::dialog::title), "Cancel shipment");
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

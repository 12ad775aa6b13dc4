//! Generates the catalogue module from `locales/*.json`: the `Locale` enum, one typed key per
//! sentence (with the placeholders it takes), and each locale's sentences as an array in key
//! order. A missing key, an extra key or a mismatched placeholder fails the build instead of
//! showing up in front of a seller.
//!
//! Each locale is its own array so that the shipped build can load only the active one: English is
//! in the main module, Chinese and Russian each in a module of their own (src/i18n/catalogue.rs).
//! English itself is cut in halves by the catalogue's top-level namespaces ([`LAZY_HALVES`]): the
//! sentences only a lazily loaded module reads (the dialogs', the history page's) are arrays of their
//! own, which that module brings with it, so the first load carries only the first-load half.
//! Keys are numbered half by half (the first-load half first), and every locale's array follows that
//! order.

use std::collections::{BTreeMap, BTreeSet};
use std::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The locales, English first (the default and the source of the keys): file name, Rust variant.
const LOCALES: [(&str, &str); 3] = [("en", "en"), ("zh-CN", "zh_CN"), ("ru", "ru")];

/// The English sentences that leave the first load, by lazily loaded module: the top-level
/// namespaces of en.json that only that module's code reads. The variant names the half in the
/// generated `Half` enum; src/i18n/catalogue.rs loads each half with its module's parts.
const LAZY_HALVES: [(&str, &[&str]); 2] = [
    (
        "Dialogs",
        &["dialog", "bulk", "follow_up", "split", "partial"],
    ),
    ("History", &["history"]),
];

/// Keys (or key prefixes, for plural forms) of those namespaces that code in the main module reads
/// as well, so they stay in the first load. `src/i18n/halves.rs` checks this list against the
/// sources both ways: every sentence main-module code reads is in the first-load half, and every
/// entry here is read by main-module code.
const FIRST_LOAD_TOO: [&str; 14] = [
    // The history page's link in the app's sections, and its waiting state (src/app.rs).
    "history.title",
    "history.loading",
    // The rate widget's own states, in the main module (src/metric/widget.rs).
    "dialog.rate_loading",
    "dialog.rate_unavailable",
    // The bulk bar's count, in the list's extras (src/shipments/bulk_bar.rs).
    "bulk.selected",
    // A row's partial cancellation: its button and what was taken out (src/shipments/row.rs).
    "partial.open",
    "partial.cancelled_line",
    "partial.sku_only",
    // The list's outcome line after a dialog is done (src/shipments/outcome.rs), with the bulk
    // cancellation's and the sweep's summaries (their `summary_words`, which it calls).
    "dialog.cancelled_confirmation",
    "dialog.requested_confirmation",
    "split.done",
    "partial.done",
    "bulk.summary",
    "follow_up.sweep_summary",
];

/// Which half a key is in: 0 for the first load, else 1 + its index in [`LAZY_HALVES`].
fn half_of(key: &str) -> usize {
    if FIRST_LOAD_TOO.iter().any(|kept| names(kept, key)) {
        return 0;
    }
    let namespace = key.split('.').next().unwrap_or(key);
    LAZY_HALVES
        .iter()
        .position(|(_, namespaces)| namespaces.contains(&namespace))
        .map_or(0, |half| half + 1)
}

/// Whether `entry` is the key or a prefix of it (`bulk.selected` names `bulk.selected.one`).
fn names(entry: &str, key: &str) -> bool {
    key == entry
        || key
            .strip_prefix(entry)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// Every entry of [`FIRST_LOAD_TOO`] names a key of a lazy half's namespace: a typo there would keep
/// nothing in the first load.
fn check_first_load_too(english: &BTreeMap<String, String>) -> Result<(), String> {
    for entry in FIRST_LOAD_TOO {
        let namespace = entry.split('.').next().unwrap_or(entry);
        let lazy = LAZY_HALVES
            .iter()
            .any(|(_, namespaces)| namespaces.contains(&namespace));
        if !lazy || !english.keys().any(|key| names(entry, key)) {
            return Err(format!(
                "build.rs: FIRST_LOAD_TOO names {entry}, which is no key of a lazy half in en.json"
            ));
        }
    }
    Ok(())
}

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    let mut catalogues = Vec::new();
    for (file, _) in LOCALES {
        let path = dir.join(format!("{file}.json"));
        println!("cargo::rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("reading {}: {e}", path.display()))?;
        let value: Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut flat = BTreeMap::new();
        flatten("", &value, &mut flat).map_err(|e| format!("{}: {e}", path.display()))?;
        catalogues.push((file, flat));
    }
    let (_, english) = &catalogues[0];
    for (file, catalogue) in &catalogues[1..] {
        check_same_keys(english, catalogue, file)?;
    }
    check_first_load_too(english)?;

    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("cargo did not set OUT_DIR")?);
    std::fs::write(out.join("catalogue.rs"), generate(&catalogues)?)?;
    Ok(())
}

fn flatten(prefix: &str, value: &Value, into: &mut BTreeMap<String, String>) -> Result<(), String> {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                if !key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
                {
                    return Err(format!("the key {prefix}.{key} is not a Rust identifier"));
                }
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                flatten(&path, value, into)?;
            }
            Ok(())
        }
        Value::String(text) => {
            into.insert(prefix.to_owned(), text.clone());
            Ok(())
        }
        other => Err(format!(
            "{prefix}: only strings and objects belong in a catalogue, found {other}"
        )),
    }
}

/// The names of a sentence's `{{ name }}` placeholders.
fn placeholders(sentence: &str) -> Result<BTreeSet<String>, String> {
    let mut names = BTreeSet::new();
    let mut rest = sentence;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let end = after
            .find("}}")
            .ok_or_else(|| format!("an unclosed placeholder in {sentence:?}"))?;
        let name = after[..end].trim();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("a placeholder that is not a name in {sentence:?}"));
        }
        names.insert(name.to_owned());
        rest = &after[end + 2..];
    }
    Ok(names)
}

fn check_same_keys(
    english: &BTreeMap<String, String>,
    other: &BTreeMap<String, String>,
    file: &str,
) -> Result<(), String> {
    let missing: Vec<_> = english.keys().filter(|k| !other.contains_key(*k)).collect();
    let extra: Vec<_> = other.keys().filter(|k| !english.contains_key(*k)).collect();
    if !missing.is_empty() || !extra.is_empty() {
        return Err(format!(
            "locales/{file}.json differs from en.json: missing {missing:?}, extra {extra:?}"
        ));
    }
    for (key, sentence) in english {
        let theirs = &other[key];
        if placeholders(sentence)? != placeholders(theirs)? {
            return Err(format!(
                "locales/{file}.json: {key} has other placeholders than in en.json: {theirs:?} against {sentence:?}"
            ));
        }
    }
    Ok(())
}

/// One key as the generated code names it: its index in the key order, its placeholders, and its
/// path when it is in a lazy half (shown, and logged, should it ever be read before its half is in).
struct Entry {
    index: usize,
    placeholders: BTreeSet<String>,
    lazy_path: Option<String>,
}

/// The sentences written one after the other, and the end of each (a byte offset that fits a `u16`,
/// as `Sentences` in src/i18n/catalogue.rs reads it).
fn joined<'a>(sentences: impl Iterator<Item = &'a str>) -> Result<(String, String), String> {
    let mut text = String::new();
    let mut ends = Vec::new();
    for sentence in sentences {
        text.push_str(sentence);
        let end = u16::try_from(text.len())
            .map_err(|_| "longer than 65,535 bytes: cut it in two".to_owned())?;
        ends.push(end.to_string());
    }
    Ok((text, ends.join(", ")))
}

/// One module per level of the key's path, holding the keys of that level.
#[derive(Default)]
struct Tree {
    keys: BTreeMap<String, Entry>,
    children: BTreeMap<String, Tree>,
}

fn write_tree(tree: &Tree, depth: usize, code: &mut String) {
    let indent = "    ".repeat(depth);
    for (name, entry) in &tree.keys {
        let list: Vec<String> = entry
            .placeholders
            .iter()
            .map(|n| format!("{n:?}"))
            .collect();
        // Only a lazy key carries its path: a first-load key's would be data in the main module.
        let path = entry.lazy_path.as_deref().unwrap_or("");
        let _ = writeln!(
            code,
            "{indent}pub const {name}: crate::i18n::catalogue::Key = crate::i18n::catalogue::Key::new({}, &[{}], {path:?});",
            entry.index,
            list.join(", ")
        );
    }
    for (name, child) in &tree.children {
        let _ = writeln!(code, "{indent}pub mod {name} {{");
        write_tree(child, depth + 1, code);
        let _ = writeln!(code, "{indent}}}");
    }
}

fn generate(catalogues: &[(&str, BTreeMap<String, String>)]) -> Result<String, String> {
    let (_, english) = &catalogues[0];
    // The key order: the first-load half, then each lazy half, by key within a half.
    let mut order: Vec<(usize, &String)> = english.keys().map(|key| (half_of(key), key)).collect();
    order.sort();
    let mut code = String::from("// Generated by build.rs from locales/*.json.\n\n");
    code.push_str(
        "/// The app's languages.\n\
         #[allow(non_camel_case_types)]\n\
         #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]\n\
         pub enum Locale {\n    #[default]\n",
    );
    for (_, variant) in &LOCALES[..1] {
        let _ = writeln!(code, "    {variant},");
    }
    for (_, variant) in &LOCALES[1..] {
        let _ = writeln!(code, "    {variant},");
    }
    code.push_str("}\n\nimpl Locale {\n    pub const ALL: [Locale; ");
    let _ = write!(code, "{}] = [", LOCALES.len());
    for (_, variant) in LOCALES {
        let _ = write!(code, "Locale::{variant}, ");
    }
    code.push_str("];\n\n    /// The BCP 47 tag, as in `locales/<tag>.json`.\n    pub fn as_str(self) -> &'static str {\n        match self {\n");
    for (file, variant) in LOCALES {
        let _ = writeln!(code, "            Locale::{variant} => {file:?},");
    }
    code.push_str("        }\n    }\n}\n\n");
    let _ = writeln!(
        code,
        "/// How many sentences a catalogue holds.\npub const COUNT: usize = {};\n\n\
         ",
        english.len()
    );

    // The halves of English: where each starts in the key order, and its array's type.
    let counts: Vec<usize> = (0..=LAZY_HALVES.len())
        .map(|half| order.iter().filter(|(h, _)| *h == half).count())
        .collect();
    code.push_str(
        "/// The halves of the English catalogue: the first load's, and each lazily loaded module's\n\
         /// (build.rs, `LAZY_HALVES`).\n\
         #[derive(Clone, Copy, Debug, PartialEq, Eq)]\npub enum Half {\n    FirstLoad,\n",
    );
    for (name, namespaces) in LAZY_HALVES {
        let _ = writeln!(code, "    /// The namespaces {namespaces:?}.\n    {name},");
    }
    code.push_str("}\n\n");
    let mut start = 0;
    let mut starts = Vec::new();
    for (half, count) in counts.iter().enumerate() {
        let name = if half == 0 {
            "FIRST_LOAD".to_owned()
        } else {
            LAZY_HALVES[half - 1].0.to_ascii_uppercase()
        };
        let _ = writeln!(
            code,
            "/// Where this half starts in the key order (its keys: {start}..{}).\npub const {name}_START: usize = {start};",
            start + count
        );
        starts.push((name, start));
        start += count;
    }
    code.push_str(
        "\n/// The half a key index is in, and the index within that half's array.\n\
         pub const fn half_of(index: usize) -> (Half, usize) {\n",
    );
    for (half, (name, start)) in starts.iter().enumerate().rev() {
        let variant = if half == 0 {
            "FirstLoad"
        } else {
            LAZY_HALVES[half - 1].0
        };
        if half == 0 {
            let _ = writeln!(code, "    (Half::{variant}, index - {name}_START)");
        } else {
            let _ = writeln!(
                code,
                "    if index >= {start} {{\n        return (Half::{variant}, index - {name}_START);\n    }}"
            );
        }
    }
    code.push_str("}\n\n");

    let mut tree = Tree::default();
    for (index, (half, key)) in order.iter().enumerate() {
        let mut node = &mut tree;
        let parts: Vec<&str> = key.split('.').collect();
        for part in &parts[..parts.len() - 1] {
            node = node.children.entry((*part).to_owned()).or_default();
        }
        let placeholders = placeholders(&english[*key]).unwrap_or_default();
        node.keys.insert(
            parts[parts.len() - 1].to_owned(),
            Entry {
                index,
                placeholders,
                lazy_path: (*half != 0).then(|| (*key).clone()),
            },
        );
    }
    code.push_str("/// The typed keys, one module per level of the catalogue's nesting.\n#[allow(non_upper_case_globals, dead_code)]\npub mod keys {\n");
    write_tree(&tree, 1, &mut code);
    code.push_str("}\n\n");

    // Every key's path by index, for the tests that check which half a sentence is in.
    code.push_str("/// Every key's path, by index (tests only).\n#[cfg(test)]\npub static PATHS: [&str; COUNT] = [\n");
    for (_, key) in &order {
        let _ = writeln!(code, "    {key:?},");
    }
    code.push_str("];\n\n");
    let _ = writeln!(
        code,
        "/// build.rs's `FIRST_LOAD_TOO` (tests only).\n#[cfg(test)]\npub static FIRST_LOAD_TOO: [&str; {}] = {FIRST_LOAD_TOO:?};\n",
        FIRST_LOAD_TOO.len()
    );

    for (file, catalogue) in catalogues {
        let name = file.replace('-', "_").to_ascii_uppercase();
        if *file == LOCALES[0].0 {
            // English, half by half: each its own string of sentences with their ends, so that
            // each can be in its own module (src/i18n/catalogue.rs, `Sentences`).
            for (half, (array, _)) in starts.iter().enumerate() {
                let (text, ends) = joined(
                    order
                        .iter()
                        .filter(|(h, _)| *h == half)
                        .map(|(_, key)| catalogue[*key].as_str()),
                )
                .map_err(|e| format!("the English {array} half: {e}"))?;
                let _ = writeln!(
                    code,
                    "/// The sentences of locales/{file}.json in this half.\n\
                     pub static {name}_{array}: crate::i18n::catalogue::Sentences = crate::i18n::catalogue::Sentences::new(\n    {text:?},\n    &[{ends}],\n);\n"
                );
            }
            continue;
        }
        // A translated catalogue is one string of sentences with their ends too: as separate
        // strings, its sentences equal to the other translation's were merged by the linker into a
        // chunk both modules then loaded.
        let (text, ends) = joined(order.iter().map(|(_, key)| catalogue[*key].as_str()))
            .map_err(|e| format!("locales/{file}.json: {e}"))?;
        let _ = writeln!(
            code,
            "/// The sentences of locales/{file}.json.\n\
             pub static {name}: crate::i18n::catalogue::Sentences = crate::i18n::catalogue::Sentences::new(\n    {text:?},\n    &[{ends}],\n);\n"
        );
    }
    Ok(code)
}

//! Checks, from the sources, that every English sentence is read only where its half of the
//! catalogue is there (build.rs, `LAZY_HALVES` and `FIRST_LOAD_TOO`):
//!
//! - code of the main module (and of the list's extras, which bring no half of their own) reads
//!   only first-load sentences: it can run before any lazy module is in;
//! - the dialogs' code reads first-load sentences and the dialogs' half, the history page's code
//!   the first load's and the history's half: each split function of their modules holds its half
//!   before anything else (`crate::i18n::catalogue::hold_english`, checked here in
//!   `src/lazy/parts.rs`);
//! - a function of the dialogs' or the history's files that main-module code calls by name is
//!   main-module code too (the split leaves it in the main module): it reads only first-load
//!   sentences;
//! - every key `FIRST_LOAD_TOO` keeps in the first load is read by main-module code, so the list
//!   holds nothing that could leave.
//!
//! What each `text::*` function reads comes from `src/i18n/text.rs` (its `sentences!` lines, and the
//! `td_string!`, `plural!` and `plural_with!` calls and the other text functions each function
//! calls); which code is in which module comes from [`DIALOGS_CODE`] and [`HISTORY_CODE`]: the
//! files only the dialogs' and the history's parts reach (`src/lazy/parts.rs`). When this was
//! written, the split main module held, of those files' functions, only the two `summary_words`
//! that the list's outcome line calls (which the check counts as main-module code) and a few tiny
//! closures folded with identical code elsewhere, which read no sentence (`twiggy top` on
//! `target/xtask/app-build/split/main.wasm`); a file moved into the main module belongs out of
//! these lists.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::catalogue::{FIRST_LOAD_TOO, Half, PATHS, half_of};

/// The source files only the dialogs' module reaches.
const DIALOGS_CODE: [&str; 6] = [
    "src/cancel/",
    "src/partial/",
    "src/split/",
    "src/bulk/",
    "src/form/",
    "src/metric/preview.rs",
];

/// The source files only the history page's module reaches.
const HISTORY_CODE: [&str; 1] = ["src/history/"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn rust_files(dir: &Path, into: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, into);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            into.push(path);
        }
    }
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The key path right after the first argument of a macro call that starts at `call` (`…!(`): the
/// locale (or the count) has no comma in it, so the key follows the first comma.
fn key_after_first_argument(call: &str) -> Option<String> {
    let after = &call[call.find(',')? + 1..];
    let key: String = after
        .trim_start()
        .chars()
        .take_while(|&c| is_ident(c) || c == '.')
        .collect();
    (!key.is_empty()).then_some(key)
}

/// The keys named in `code` by `td_string!`, and the plural families (`plural!`, `plural_with!`:
/// the key's forms are `.one`, `.few`, … under it), as key paths or prefixes.
fn keys_named(code: &str) -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    for marker in ["td_string!(", "plural!(", "plural_with!("] {
        for (at, _) in code.match_indices(marker) {
            if let Some(key) = key_after_first_argument(&code[at + marker.len()..]) {
                keys.insert(key);
            }
        }
    }
    keys
}

/// Every identifier that follows `prefix` in `code` (`text::` gives the text functions called).
fn idents_after(code: &str, prefix: &str) -> BTreeSet<String> {
    code.match_indices(prefix)
        .filter(|(at, _)| {
            // A whole path segment: `text::` but not `context::`.
            !code[..*at].ends_with(is_ident)
        })
        .map(|(at, _)| {
            code[at + prefix.len()..]
                .chars()
                .take_while(|&c| is_ident(c))
                .collect::<String>()
        })
        .filter(|name| !name.is_empty())
        .collect()
}

/// What each text function reads: its own keys, and the text functions it calls.
struct TextFunctions {
    keys: BTreeMap<String, BTreeSet<String>>,
    calls: BTreeMap<String, BTreeSet<String>>,
}

impl TextFunctions {
    fn read() -> TextFunctions {
        let text = std::fs::read_to_string(root().join("src/i18n/text.rs")).expect("text.rs");
        let mut keys: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut bodies = BTreeMap::new();
        // `name => key.path;` in `sentences!`.
        for line in text.lines() {
            let line = line.trim();
            if let Some((name, key)) = line.split_once(" => ")
                && let Some(key) = key.strip_suffix(';')
                && name.chars().all(is_ident)
                && key.chars().all(|c| is_ident(c) || c == '.')
            {
                keys.entry(name.to_owned())
                    .or_default()
                    .insert(key.to_owned());
            }
        }
        // Each `fn name(…) … }` at the top level.
        for (name, body, _) in functions_of(&text) {
            bodies.insert(name, body.to_owned());
        }
        let names: BTreeSet<String> = keys.keys().chain(bodies.keys()).cloned().collect();
        let mut calls = BTreeMap::new();
        for (name, body) in &bodies {
            keys.entry(name.clone())
                .or_default()
                .extend(keys_named(body));
            let called: BTreeSet<String> = names
                .iter()
                .filter(|other| *other != name)
                .filter(|other| {
                    body.match_indices(&format!("{other}(")).any(|(at, _)| {
                        !body[..at].ends_with(|c: char| is_ident(c) || c == '.' || c == ':')
                            || body[..at].ends_with("self::")
                    })
                })
                .cloned()
                .collect();
            calls.insert(name.clone(), called);
        }
        TextFunctions { keys, calls }
    }

    /// Every key (or plural family) the function reads, through the functions it calls.
    fn reads(&self, name: &str) -> Option<BTreeSet<String>> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![name.to_owned()];
        let mut keys = BTreeSet::new();
        while let Some(name) = todo.pop() {
            if !seen.insert(name.clone()) {
                continue;
            }
            keys.extend(self.keys.get(&name)?.iter().cloned());
            todo.extend(self.calls.get(&name).into_iter().flatten().cloned());
        }
        Some(keys)
    }
}

/// The indices of the keys a key path or plural family names.
fn indices(key: &str) -> Vec<usize> {
    let found: Vec<usize> = PATHS
        .iter()
        .enumerate()
        .filter(|(_, path)| {
            **path == key
                || path
                    .strip_prefix(key)
                    .is_some_and(|rest| rest.starts_with('.'))
        })
        .map(|(index, _)| index)
        .collect();
    assert!(!found.is_empty(), "{key} is no key of en.json");
    found
}

/// The halves a piece of code may read, by its file.
fn readable(file: &str) -> &'static [Half] {
    if DIALOGS_CODE.iter().any(|code| file.starts_with(code)) {
        &[Half::FirstLoad, Half::Dialogs]
    } else if HISTORY_CODE.iter().any(|code| file.starts_with(code)) {
        &[Half::FirstLoad, Half::History]
    } else {
        &[Half::FirstLoad]
    }
}

/// Each top-level `fn` of `code` with its body (up to the `}` that closes it at the line's start),
/// and whether it is `pub` (only those can be called from another file).
fn functions_of(code: &str) -> Vec<(String, &str, bool)> {
    let mut found = Vec::new();
    for (at, _) in code
        .match_indices("\nfn ")
        .chain(code.match_indices("\npub fn "))
        .chain(code.match_indices("\npub(crate) fn "))
    {
        let rest = &code[at + 1..];
        let public = rest.starts_with("pub");
        let rest = rest
            .strip_prefix("pub(crate) ")
            .or_else(|| rest.strip_prefix("pub "))
            .unwrap_or(rest);
        let rest = &rest["fn ".len()..];
        let name: String = rest.chars().take_while(|&c| is_ident(c)).collect();
        let end = rest.find("\n}\n").unwrap_or(rest.len());
        found.push((name, &rest[..end], public));
    }
    found
}

/// The code without its `//` comment lines (doc examples name components they do not call).
fn without_comments(code: &str) -> String {
    code.lines()
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether `code` names `name` as a whole word.
fn names_word(code: &str, name: &str) -> bool {
    code.match_indices(name).any(|(at, _)| {
        !code[..at].ends_with(is_ident) && !code[at + name.len()..].starts_with(is_ident)
    })
}

/// The keys a piece of code reads: through the text functions it calls, and `td_string!` itself.
fn keys_read_by(code: &str, functions: &TextFunctions, file: &str) -> BTreeSet<(String, String)> {
    let mut keys = BTreeSet::new();
    for name in idents_after(code, "text::") {
        let reads = functions
            .reads(&name)
            .unwrap_or_else(|| panic!("{file}: text::{name} is not a function of text.rs"));
        keys.extend(reads.into_iter().map(|key| (format!("text::{name}"), key)));
    }
    keys.extend(
        keys_named(code)
            .into_iter()
            .map(|key| ("td_string!".to_owned(), key)),
    );
    keys
}

/// Every file outside src/i18n with the keys it reads, through the text functions it calls. A
/// main-module file also reads what the functions of lazy files it names read: the split leaves a
/// function the main module calls in the main module.
fn keys_read_by_file(functions: &TextFunctions) -> BTreeMap<String, BTreeSet<(String, String)>> {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    let mut sources = BTreeMap::new();
    for path in files {
        let file = path
            .strip_prefix(root())
            .expect("under the crate")
            .to_string_lossy()
            .replace('\\', "/");
        if file.starts_with("src/i18n/") {
            continue;
        }
        let code = std::fs::read_to_string(&path).expect("a source file");
        sources.insert(file, code);
    }
    // The functions of the lazy modules' files that read sentences.
    let mut lazy_functions = Vec::new();
    for (file, code) in &sources {
        if readable(file) == [Half::FirstLoad] {
            continue;
        }
        for (name, body, public) in functions_of(code) {
            let keys = keys_read_by(body, functions, file);
            if public && !keys.is_empty() {
                lazy_functions.push((file.clone(), name, keys));
            }
        }
    }
    let mut read = BTreeMap::new();
    for (file, code) in &sources {
        let mut keys = keys_read_by(code, functions, file);
        // parts.rs names the lazy modules' components in the bodies of their split functions,
        // which hold their half first (`every_split_function_of_a_lazy_half_holds_it_first`).
        if readable(file) == [Half::FirstLoad] && file != "src/lazy/parts.rs" {
            let code = without_comments(code);
            for (lazy_file, name, reads) in &lazy_functions {
                if names_word(&code, name) {
                    keys.extend(
                        reads.iter().map(|(via, key)| {
                            (format!("{lazy_file}'s {name}, {via}"), key.clone())
                        }),
                    );
                }
            }
        }
        read.insert(file.clone(), keys);
    }
    read
}

#[test]
fn every_sentence_is_read_only_where_its_half_is_there() {
    let functions = TextFunctions::read();
    // The parse found the text functions (a parse that found nothing would check nothing).
    assert!(functions.keys.len() > 150, "{}", functions.keys.len());
    assert!(
        functions
            .reads("dialog_title")
            .is_some_and(|keys| keys.contains("dialog.title"))
    );
    assert!(
        functions
            .reads("sweep_found")
            .is_some_and(|keys| keys.contains("bulk.shipments"))
    );
    let read = keys_read_by_file(&functions);
    assert!(read["src/shipments/row.rs"].len() > 10);
    let mut wrong = Vec::new();
    for (file, keys) in &read {
        let allowed = readable(file);
        for (via, key) in keys {
            for index in indices(key) {
                let half = half_of(index).0;
                if !allowed.contains(&half) {
                    wrong.push(format!(
                        "{file} reads {} ({half:?} half) through {via}",
                        PATHS[index]
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "sentences read where their half may not be there (keep them in the first load: build.rs, \
         FIRST_LOAD_TOO):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn every_sentence_kept_in_the_first_load_is_read_by_the_main_module() {
    let functions = TextFunctions::read();
    let read = keys_read_by_file(&functions);
    let main_reads: BTreeSet<usize> = read
        .iter()
        .filter(|(file, _)| readable(file) == [Half::FirstLoad])
        .flat_map(|(_, keys)| keys.iter().flat_map(|(_, key)| indices(key)))
        .collect();
    for entry in FIRST_LOAD_TOO {
        let kept = indices(entry);
        assert!(
            kept.iter()
                .all(|index| half_of(*index).0 == Half::FirstLoad),
            "{entry} is not in the first load"
        );
        assert!(
            kept.iter().any(|index| main_reads.contains(index)),
            "build.rs keeps {entry} in the first load, but no main-module code reads it"
        );
    }
}

#[test]
fn a_lazy_half_holds_sentences() {
    // The dialogs' half is most of the catalogue's words: the point of the cut.
    let halves: Vec<Half> = (0..PATHS.len()).map(|index| half_of(index).0).collect();
    let count = |half| halves.iter().filter(|h| **h == half).count();
    assert!(count(Half::Dialogs) > 100, "{}", count(Half::Dialogs));
    assert!(count(Half::History) > 20, "{}", count(Half::History));
    assert!(
        PATHS
            .iter()
            .zip(&halves)
            .all(|(path, half)| *half == Half::FirstLoad || !path.starts_with("app."))
    );
}

/// Every split function of the dialogs' and the history's modules holds its half of English
/// before anything else, so that any code of theirs finds it.
#[test]
fn every_split_function_of_a_lazy_half_holds_it_first() {
    let parts = std::fs::read_to_string(root().join("src/lazy/parts.rs")).expect("parts.rs");
    let mut checked = 0;
    for block in parts.split("split_part! {").skip(1) {
        let header_end = block.find('{').expect("a split function's body");
        let header = &block[..header_end];
        let body = block[header_end + 1..].trim_start();
        let half = if header.contains(" in dialogs,") {
            "Half::Dialogs"
        } else if header.contains(" in history_page,") {
            "Half::History"
        } else {
            continue;
        };
        assert!(
            body.starts_with(&format!("hold_english({half});")),
            "this split function does not hold {half} first:{header}"
        );
        checked += 1;
    }
    assert_eq!(checked, 6, "the five dialogs' functions and the history's");
}

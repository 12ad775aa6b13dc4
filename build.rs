//! Generates the catalogue module from `locales/*.json`: the `Locale` enum, one typed key per
//! sentence (with the placeholders it takes), and each locale's sentences as an array in key
//! order. A missing key, an extra key or a mismatched placeholder fails the build instead of
//! showing up in front of a seller.
//!
//! Each locale is its own array so that the shipped build can load only the active one: English is
//! in the main module, Chinese and Russian each in a module of their own (src/i18n/catalogue.rs).

use std::collections::{BTreeMap, BTreeSet};
use std::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The locales, English first (the default and the source of the keys): file name, Rust variant.
const LOCALES: [(&str, &str); 3] = [("en", "en"), ("zh-CN", "zh_CN"), ("ru", "ru")];

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

    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("cargo did not set OUT_DIR")?);
    std::fs::write(out.join("catalogue.rs"), generate(&catalogues))?;
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

/// One module per level of the key's path, holding the keys of that level.
#[derive(Default)]
struct Tree {
    keys: BTreeMap<String, (usize, BTreeSet<String>)>,
    children: BTreeMap<String, Tree>,
}

fn write_tree(tree: &Tree, depth: usize, code: &mut String) {
    let indent = "    ".repeat(depth);
    for (name, (index, names)) in &tree.keys {
        let list: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
        let _ = writeln!(
            code,
            "{indent}pub const {name}: crate::i18n::catalogue::Key = crate::i18n::catalogue::Key::new({index}, &[{}]);",
            list.join(", ")
        );
    }
    for (name, child) in &tree.children {
        let _ = writeln!(code, "{indent}pub mod {name} {{");
        write_tree(child, depth + 1, code);
        let _ = writeln!(code, "{indent}}}");
    }
}

fn generate(catalogues: &[(&str, BTreeMap<String, String>)]) -> String {
    let (_, english) = &catalogues[0];
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
         /// One locale's sentences, by key index.\npub type Catalogue = [&'static str; COUNT];\n",
        english.len()
    );

    let mut tree = Tree::default();
    for (index, (key, sentence)) in english.iter().enumerate() {
        let mut node = &mut tree;
        let parts: Vec<&str> = key.split('.').collect();
        for part in &parts[..parts.len() - 1] {
            node = node.children.entry((*part).to_owned()).or_default();
        }
        let names = placeholders(sentence).unwrap_or_default();
        node.keys
            .insert(parts[parts.len() - 1].to_owned(), (index, names));
    }
    code.push_str("/// The typed keys, one module per level of the catalogue's nesting.\n#[allow(non_upper_case_globals, dead_code)]\npub mod keys {\n");
    write_tree(&tree, 1, &mut code);
    code.push_str("}\n\n");

    for (file, catalogue) in catalogues {
        let name = file.replace('-', "_").to_ascii_uppercase();
        let _ = writeln!(code, "/// The sentences of locales/{file}.json.");
        let _ = writeln!(code, "pub static {name}: Catalogue = [");
        for sentence in catalogue.values() {
            let _ = writeln!(code, "    {sentence:?},");
        }
        code.push_str("];\n\n");
    }
    code
}

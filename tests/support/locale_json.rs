//! The catalogues in `locales/*.json` as the tests read them: one map per locale from a sentence's
//! dotted path (`dialog.title`) to the sentence. Shared by `tests/locale_files.rs` and the
//! catalogue's own tests (src/i18n/catalogue.rs), so that both read the files the same way.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

fn flatten(prefix: &str, value: &Value, into: &mut BTreeMap<String, String>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                let path = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                flatten(&path, value, into);
            }
        }
        Value::String(text) => {
            into.insert(prefix.to_owned(), text.clone());
        }
        other => panic!("{prefix}: only strings and objects belong in a catalogue, found {other}"),
    }
}

/// `locales/<locale>.json`, flattened; a file that is missing or not JSON fails the test.
pub fn catalogue(locale: &str) -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("locales")
        .join(format!("{locale}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let value: Value =
        serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let mut sentences = BTreeMap::new();
    flatten("", &value, &mut sentences);
    sentences
}

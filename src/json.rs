//! JSON through the browser's own `JSON.parse` and `JSON.stringify`, with serde-wasm-bindgen
//! between JavaScript values and Rust types, instead of serde_json: the wasm then carries no JSON
//! parser or printer of its own (measured: 42.8 KB less wasm, 11.0 KB brotli less to load).
//!
//! It runs only in a browser (or another JavaScript host), so its callers are tested on wasm.

use js_sys::{JSON, Object, Reflect};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

/// Why a text did not become the value asked for, or a value did not become JSON.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum JsonError {
    #[error("the text is not JSON")]
    Syntax,
    #[error("the JSON does not have the expected shape: {0}")]
    Shape(String),
    #[error("the value cannot be written as JSON: {0}")]
    Write(String),
}

/// `JSON.parse`.
pub fn parse(text: &str) -> Result<JsValue, JsonError> {
    JSON::parse(text).map_err(|_| JsonError::Syntax)
}

/// Parses `text` into `T`.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    serde_wasm_bindgen::from_value(parse(text)?)
        .map_err(|error| JsonError::Shape(error.to_string()))
}

/// Writes `value` as JSON, as serde_json would: maps as objects, `None` as `null`.
pub fn to_string<T: Serialize>(value: &T) -> Result<String, JsonError> {
    let value = value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|error| JsonError::Write(error.to_string()))?;
    stringify(&value)
}

/// `JSON.stringify`.
pub fn stringify(value: &JsValue) -> Result<String, JsonError> {
    JSON::stringify(value)
        .map(String::from)
        .map_err(|error| JsonError::Write(format!("{error:?}")))
}

/// `object[key]`, or `undefined` when `object` is not an object (a string, a number, `null`).
pub fn field(object: &JsValue, key: &str) -> JsValue {
    if !object.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// A plain object with these fields.
pub fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in fields {
        // Defining a property on a fresh plain object cannot fail.
        let _defined = Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object.into()
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use serde::Deserialize;
    use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

    // For the whole library's unit tests on wasm (this one, the protocol's and the token's).
    wasm_bindgen_test_configure!(run_in_browser);

    #[derive(Debug, Deserialize, PartialEq, Serialize)]
    struct Sample {
        name: String,
        count: u32,
        note: Option<String>,
    }

    #[wasm_bindgen_test]
    fn text_becomes_a_typed_value_and_back() {
        let sample: Sample = from_str(r#"{"name":"a","count":3,"extra":true}"#).unwrap();
        assert_eq!(
            sample,
            Sample {
                name: "a".into(),
                count: 3,
                note: None
            }
        );
        assert_eq!(
            to_string(&sample).unwrap(),
            r#"{"name":"a","count":3,"note":null}"#
        );
    }

    #[wasm_bindgen_test]
    fn bad_text_and_wrong_shapes_are_told_apart() {
        assert_eq!(from_str::<Sample>("{"), Err(JsonError::Syntax));
        assert!(matches!(
            from_str::<Sample>(r#"{"name":"a","count":"3"}"#),
            Err(JsonError::Shape(_))
        ));
    }

    #[wasm_bindgen_test]
    fn a_field_of_a_non_object_is_undefined() {
        assert!(field(&JsValue::from_str("a.b.c"), "token").is_undefined());
        assert!(field(&JsValue::NULL, "token").is_undefined());
        let message = object(&[("v", 1.into())]);
        assert_eq!(field(&message, "v").as_f64(), Some(1.0));
    }
}

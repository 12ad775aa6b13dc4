//! JSON without serde_json: text is parsed by the browser's own `JSON.parse` and read into Rust
//! types by our own [`reader`]; Rust values are written as JSON text by our own [`writer`]. The
//! wasm then carries no JSON parser of its own (measured: 42.8 KB less wasm, 11.0 KB brotli less
//! to load than serde_json). Both replaced serde-wasm-bindgen: its errors linked core's float
//! printing (see `reader`), and writing through it cost 0.8 KB brotli more of the first load.
//!
//! It runs only in a browser (or another JavaScript host), so its callers are tested on wasm.

use js_sys::{JSON, Object, Reflect};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

mod reader;
mod writer;

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
    reader::from_value(parse(text)?).map_err(|error| JsonError::Shape(error.to_string()))
}

/// Writes `value` as JSON, as serde_json would: maps as objects, `None` as `null`.
pub fn to_string<T: Serialize>(value: &T) -> Result<String, JsonError> {
    writer::to_string(value).map_err(|error| JsonError::Write(error.to_string()))
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

    #[derive(Debug, Deserialize, PartialEq)]
    enum Shape {
        #[serde(rename = "dot")]
        Dot,
        #[serde(rename = "line")]
        Line { length: u32 },
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Nested {
        items: Vec<Sample>,
        shapes: Vec<Shape>,
        by_name: std::collections::BTreeMap<String, i32>,
        ratio: f64,
        pair: (bool, Option<u8>),
        #[serde(default)]
        absent: Vec<String>,
    }

    #[wasm_bindgen_test]
    fn every_shape_the_api_uses_reads() {
        let nested: Nested = from_str(
            r#"{"items":[{"name":"a","count":1,"note":"n"},{"name":"b","count":2,"note":null}],
                "shapes":["dot",{"line":{"length":3}}],"by_name":{"x":-1,"y":2},
                "ratio":0.075,"pair":[true,null]}"#,
        )
        .unwrap();
        assert_eq!(
            nested,
            Nested {
                items: vec![
                    Sample {
                        name: "a".into(),
                        count: 1,
                        note: Some("n".into())
                    },
                    Sample {
                        name: "b".into(),
                        count: 2,
                        note: None
                    },
                ],
                shapes: vec![Shape::Dot, Shape::Line { length: 3 }],
                by_name: [("x".to_owned(), -1), ("y".to_owned(), 2)].into(),
                ratio: 0.075,
                pair: (true, None),
                absent: Vec::new(),
            }
        );
    }

    /// Each wrong shape is told in words, and a number without its digits (printing a float
    /// would link core's float formatting into the wasm: `reader`).
    #[wasm_bindgen_test]
    fn wrong_shapes_say_what_was_found() {
        let shape = |text: &str| match from_str::<Sample>(text) {
            Err(JsonError::Shape(message)) => message,
            other => panic!("{text}: {other:?}"),
        };
        assert_eq!(
            shape(r#"{"name":"a","count":1.5}"#),
            "invalid type: a number with a fraction or out of the safe range, expected u32"
        );
        assert_eq!(
            shape(r#"{"name":"a","count":-1}"#),
            "invalid type: integer `-1`, expected u32"
        );
        assert_eq!(
            shape(r#"{"name":"a","count":4294967296}"#),
            "invalid value: integer `4294967296`, expected u32"
        );
        assert_eq!(
            shape(r#"{"name":7,"count":1}"#),
            "invalid type: integer `7`, expected a string"
        );
        assert_eq!(shape(r#"{"count":1}"#), "missing field `name`");
        assert_eq!(
            shape(r#"[1]"#),
            "invalid type: an array, expected struct Sample"
        );
        assert_eq!(
            shape(r#"{"name":"a","count":1,"note":true}"#),
            "invalid type: boolean `true`, expected a string"
        );
        assert!(matches!(
            from_str::<Shape>(r#""circle""#),
            Err(JsonError::Shape(message)) if message.starts_with("unknown variant `circle`")
        ));
    }

    #[derive(Serialize)]
    enum Kind {
        Unit,
        Newtype(u8),
        Tuple(u8, i64),
        Struct { a: Option<f64> },
    }

    #[derive(Serialize)]
    struct Everything {
        text: String,
        character: char,
        flags: (bool, bool),
        numbers: (u64, i32, f64, f64, f32),
        kinds: Vec<Kind>,
        by_number: std::collections::BTreeMap<u32, String>,
        by_name: std::collections::BTreeMap<String, ()>,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
        empty: Vec<u8>,
    }

    /// The writer writes what serde_json writes (and what the server reads).
    #[wasm_bindgen_test]
    fn text_is_written_as_serde_json_writes_it() {
        let everything = Everything {
            text: "quote \" back \\ slash / tab\t line\n\r \u{8}\u{c}\u{1} \u{7f} é 中 😀".into(),
            character: '"',
            flags: (true, false),
            numbers: (u64::from(u32::MAX) * 4, -7, 0.075, 1234.5, 2.5),
            kinds: vec![
                Kind::Unit,
                Kind::Newtype(1),
                Kind::Tuple(2, -3),
                Kind::Struct { a: None },
                Kind::Struct { a: Some(-0.5) },
            ],
            by_number: [(1, "one".to_owned()), (20, "twenty".to_owned())].into(),
            by_name: [("a".to_owned(), ())].into(),
            skipped: None,
            empty: Vec::new(),
        };
        assert_eq!(
            to_string(&everything).unwrap(),
            serde_json::to_string(&everything).unwrap()
        );
        let page = domain::wire::ShipmentPage {
            items: vec![crate::test_shipment::shipment("P-1")],
            next_cursor: None,
            total: 1,
        };
        assert_eq!(
            to_string(&page).unwrap(),
            serde_json::to_string(&page).unwrap()
        );
        let back: domain::wire::ShipmentPage = from_str(&to_string(&page).unwrap()).unwrap();
        assert_eq!(back, page);
    }

    #[wasm_bindgen_test]
    fn a_float_is_written_by_javascript() {
        assert_eq!(to_string(&0.1_f64).unwrap(), "0.1");
        assert_eq!(to_string(&f64::NAN).unwrap(), "null");
        assert_eq!(to_string(&f64::INFINITY).unwrap(), "null");
    }

    #[wasm_bindgen_test]
    fn a_map_key_must_be_a_string() {
        let map: std::collections::BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into();
        assert!(
            matches!(to_string(&map), Err(JsonError::Write(message)) if message.contains("map key"))
        );
    }

    /// A page as the server writes it (serde_json, dates as RFC 3339 text) reads back whole, and
    /// is written as the server writes it.
    #[wasm_bindgen_test]
    fn a_page_of_shipments_reads_back() {
        let page = domain::wire::ShipmentPage {
            items: vec![crate::test_shipment::shipment("P-1")],
            next_cursor: None,
            total: 1,
        };
        let text = serde_json::to_string(&page).unwrap();
        assert!(
            text.contains(r#""created_at":"2026-11-20T08:00:00Z""#),
            "{text}"
        );
        assert_eq!(
            from_str::<domain::wire::ShipmentPage>(&text),
            Ok(page.clone())
        );
        assert_eq!(to_string(&page).unwrap(), text);
    }

    #[wasm_bindgen_test]
    fn a_field_of_a_non_object_is_undefined() {
        assert!(field(&JsValue::from_str("a.b.c"), "token").is_undefined());
        assert!(field(&JsValue::NULL, "token").is_undefined());
        let message = object(&[("v", 1.into())]);
        assert_eq!(field(&message, "v").as_f64(), Some(1.0));
    }
}

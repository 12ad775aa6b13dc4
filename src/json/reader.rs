//! A serde `Deserializer` over a JavaScript value (what `JSON.parse` gives), in place of
//! serde-wasm-bindgen's.
//!
//! Why our own: serde-wasm-bindgen's error type keeps serde's default `invalid_type` and
//! `invalid_value`, which write the unexpected value with `Display`, and for a number that is
//! core's float printing (Grisu and Dragon4, about 12 KB of wasm) linked into the first load only
//! to word an error. [`ReadError`] words those errors without the number. The rest follows
//! serde-wasm-bindgen 0.6 for the JSON shapes the API uses (objects, arrays, strings, numbers,
//! booleans, `null`), without its `Map`, `BigInt`, byte-array and iterator cases, which
//! `JSON.parse` never makes.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

use js_sys::{Array, Number, Object};
use serde::de::{self, IntoDeserializer, Unexpected};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

#[wasm_bindgen]
extern "C" {
    /// A plain object read by key, without `Reflect.get`'s exception handling: a getter cannot
    /// throw on what `JSON.parse` makes.
    type Plain;

    #[wasm_bindgen(method, indexing_getter)]
    fn get(this: &Plain, key: &JsValue) -> JsValue;
}

thread_local! {
    /// Each struct's field names as JavaScript strings, made once per struct type (keyed by the
    /// address of serde's static list): a 50-row page reads about a thousand fields, and making
    /// each name anew copies it into JavaScript every time (measured in a debug build in
    /// Chromium: 3.2 ms a page without this, 1.2 ms with it). An `Rc`, since cloning a `JsValue`
    /// is a call into JavaScript.
    static FIELD_NAMES: RefCell<Vec<(usize, Rc<[JsValue]>)>> = const { RefCell::new(Vec::new()) };
}

/// The JavaScript strings of `fields`.
fn field_names(fields: &'static [&'static str]) -> Rc<[JsValue]> {
    let key = fields.as_ptr() as usize;
    FIELD_NAMES.with_borrow_mut(|made| {
        if let Some((_, names)) = made.iter().find(|(seen, _)| *seen == key) {
            return Rc::clone(names);
        }
        let names: Rc<[JsValue]> = fields
            .iter()
            .map(|field| JsValue::from_str(field))
            .collect();
        made.push((key, Rc::clone(&names)));
        names
    })
}

/// Why a value did not become the type asked for.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadError(String);

impl fmt::Display for ReadError {
    fn fmt(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

impl std::error::Error for ReadError {}

/// What was found, in JSON's words. Not serde's `Display` for `Unexpected`: one arm of it prints
/// a float, and calling it for any value links that printing.
fn unexpected(what: Unexpected) -> String {
    match what {
        Unexpected::Bool(flag) => format!("boolean `{flag}`"),
        Unexpected::Unsigned(number) => format!("integer `{number}`"),
        Unexpected::Signed(number) => format!("integer `{number}`"),
        Unexpected::Float(_) => "a number with a fraction or out of the safe range".to_owned(),
        Unexpected::Char(character) => format!("character {character:?}"),
        Unexpected::Str(text) => format!("string {text:?}"),
        Unexpected::Bytes(_) => "bytes".to_owned(),
        Unexpected::Unit | Unexpected::Option => "null".to_owned(),
        Unexpected::Seq => "an array".to_owned(),
        Unexpected::Map => "an object".to_owned(),
        Unexpected::NewtypeStruct => "a newtype struct".to_owned(),
        Unexpected::Enum => "an enum".to_owned(),
        Unexpected::UnitVariant => "a unit variant".to_owned(),
        Unexpected::NewtypeVariant => "a newtype variant".to_owned(),
        Unexpected::TupleVariant => "a tuple variant".to_owned(),
        Unexpected::StructVariant => "a struct variant".to_owned(),
        Unexpected::Other(other) => other.to_owned(),
    }
}

impl de::Error for ReadError {
    fn custom<T: fmt::Display>(message: T) -> ReadError {
        ReadError(message.to_string())
    }

    fn invalid_type(what: Unexpected, expected: &dyn de::Expected) -> ReadError {
        ReadError(format!(
            "invalid type: {}, expected {expected}",
            unexpected(what)
        ))
    }

    fn invalid_value(what: Unexpected, expected: &dyn de::Expected) -> ReadError {
        ReadError(format!(
            "invalid value: {}, expected {expected}",
            unexpected(what)
        ))
    }
}

/// Reads `value` as a `T`.
pub fn from_value<T: de::DeserializeOwned>(value: JsValue) -> Result<T, ReadError> {
    T::deserialize(Reader(value))
}

/// One JavaScript value being read.
struct Reader(JsValue);

impl Reader {
    fn is_nullish(&self) -> bool {
        self.0.is_null() || self.0.is_undefined()
    }

    /// The error for a value of the wrong kind, named by its kind.
    #[cold]
    fn wrong_kind(&self, expected: &dyn de::Expected) -> ReadError {
        let text;
        let what = if self.is_nullish() {
            Unexpected::Unit
        } else if let Some(flag) = self.0.as_bool() {
            Unexpected::Bool(flag)
        } else if let Some(integer) = self.safe_integer() {
            Unexpected::Signed(integer)
        } else if let Some(number) = self.0.as_f64() {
            Unexpected::Float(number)
        } else if let Some(string) = self.0.as_string() {
            text = string;
            Unexpected::Str(&text)
        } else if Array::is_array(&self.0) {
            Unexpected::Seq
        } else {
            Unexpected::Map
        };
        de::Error::invalid_type(what, expected)
    }

    fn fail<'de, V: de::Visitor<'de>>(&self, visitor: V) -> Result<V::Value, ReadError> {
        Err(self.wrong_kind(&visitor))
    }

    /// A number that is an integer JavaScript holds exactly.
    fn safe_integer(&self) -> Option<i64> {
        Number::is_safe_integer(&self.0).then(|| self.0.unchecked_into_f64() as i64)
    }

    fn visit_map<'de, V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        if !self.0.is_object() || Array::is_array(&self.0) {
            return self.fail(visitor);
        }
        visitor.visit_map(Entries {
            entries: Items::of(Object::entries(self.0.unchecked_ref())),
            value: None,
        })
    }
}

impl<'de> IntoDeserializer<'de, ReadError> for Reader {
    type Deserializer = Reader;

    fn into_deserializer(self) -> Reader {
        self
    }
}

impl<'de> de::Deserializer<'de> for Reader {
    type Error = ReadError;

    fn deserialize_any<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        if self.is_nullish() {
            visitor.visit_unit()
        } else if let Some(flag) = self.0.as_bool() {
            visitor.visit_bool(flag)
        } else if let Some(number) = self.0.as_f64() {
            match self.safe_integer() {
                Some(integer) => visitor.visit_i64(integer),
                None => visitor.visit_f64(number),
            }
        } else if let Some(text) = self.0.as_string() {
            visitor.visit_string(text)
        } else if Array::is_array(&self.0) {
            self.deserialize_seq(visitor)
        } else {
            self.visit_map(visitor)
        }
    }

    fn deserialize_bool<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.0.as_bool() {
            Some(flag) => visitor.visit_bool(flag),
            None => self.fail(visitor),
        }
    }

    fn deserialize_i64<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.safe_integer() {
            Some(integer) => visitor.visit_i64(integer),
            None => self.fail(visitor),
        }
    }

    // serde narrows a 64-bit integer to the type asked for, with checks, so every integer goes
    // through the 64-bit methods (less code than one method per width).
    fn deserialize_i8<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i16<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_i32<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.deserialize_i64(visitor)
    }

    fn deserialize_u64<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.safe_integer() {
            Some(integer) if integer >= 0 => visitor.visit_u64(integer as u64),
            _ => self.fail(visitor),
        }
    }

    fn deserialize_u8<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u16<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_u32<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.deserialize_u64(visitor)
    }

    fn deserialize_f64<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.0.as_f64() {
            Some(number) => visitor.visit_f64(number),
            None => self.fail(visitor),
        }
    }

    fn deserialize_f32<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_char<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_str<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_string<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.0.as_string() {
            Some(text) => visitor.visit_string(text),
            None => self.fail(visitor),
        }
    }

    fn deserialize_identifier<V: de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        self.deserialize_string(visitor)
    }

    fn deserialize_bytes<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_byte_buf<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.deserialize_seq(visitor)
    }

    /// `null` (and `undefined`, a missing field) is `None`.
    fn deserialize_option<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        if self.is_nullish() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        if self.is_nullish() {
            visitor.visit_unit()
        } else {
            self.fail(visitor)
        }
    }

    fn deserialize_unit_struct<V: de::Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: de::Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        match self.0.dyn_ref::<Array>() {
            Some(array) => visitor.visit_seq(Items::of(array.clone())),
            None => self.fail(visitor),
        }
    }

    fn deserialize_tuple<V: de::Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: de::Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, ReadError> {
        self.visit_map(visitor)
    }

    /// A struct reads only its own fields, by name, as serde-wasm-bindgen does: a field the
    /// type does not know is never looked at.
    fn deserialize_struct<V: de::Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        if !self.0.is_object() || Array::is_array(&self.0) {
            return self.fail(visitor);
        }
        visitor.visit_map(Fields {
            object: self.0.unchecked_into(),
            names: field_names(fields),
            fields,
            next: 0,
            value: None,
        })
    }

    /// `"variant"` for a unit variant, `{"variant": content}` for the others, as serde_json.
    fn deserialize_enum<V: de::Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        if self.0.is_string() {
            return visitor.visit_enum(Variant {
                tag: self.0,
                content: JsValue::UNDEFINED,
            });
        }
        if !self.0.is_object() || Array::is_array(&self.0) {
            return self.fail(visitor);
        }
        let entries = Object::entries(self.0.unchecked_ref());
        if entries.length() != 1 {
            return Err(de::Error::invalid_length(
                entries.length() as usize,
                &"an object with one field",
            ));
        }
        let pair: Array = entries.get(0).unchecked_into();
        visitor.visit_enum(Variant {
            tag: pair.get(0),
            content: pair.get(1),
        })
    }

    fn deserialize_ignored_any<V: de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        visitor.visit_unit()
    }
}

/// An array's items.
struct Items {
    array: Array,
    next: u32,
}

impl Items {
    fn of(array: Array) -> Items {
        Items { array, next: 0 }
    }
}

impl Iterator for Items {
    type Item = JsValue;

    fn next(&mut self) -> Option<JsValue> {
        (self.next < self.array.length()).then(|| {
            self.next += 1;
            self.array.get(self.next - 1)
        })
    }
}

impl<'de> de::SeqAccess<'de> for Items {
    type Error = ReadError;

    fn next_element_seed<T: de::DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, ReadError> {
        self.next()
            .map(|item| seed.deserialize(Reader(item)))
            .transpose()
    }
}

/// An object's `[key, value]` pairs, for maps.
struct Entries {
    entries: Items,
    value: Option<JsValue>,
}

impl<'de> de::MapAccess<'de> for Entries {
    type Error = ReadError;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ReadError> {
        let Some(pair) = self.entries.next() else {
            return Ok(None);
        };
        let pair: Array = pair.unchecked_into();
        self.value = Some(pair.get(1));
        seed.deserialize(Reader(pair.get(0))).map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, ReadError> {
        let value = self.value.take().unwrap_or(JsValue::UNDEFINED);
        seed.deserialize(Reader(value))
    }
}

/// A struct's fields, each looked up by name; a field the object lacks is left out, so that
/// serde applies its default or reports it missing.
struct Fields {
    object: Plain,
    fields: &'static [&'static str],
    names: Rc<[JsValue]>,
    next: usize,
    value: Option<JsValue>,
}

impl<'de> de::MapAccess<'de> for Fields {
    type Error = ReadError;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ReadError> {
        while let (Some(field), Some(name)) =
            (self.fields.get(self.next), self.names.get(self.next))
        {
            self.next += 1;
            let value = self.object.get(name);
            if !value.is_undefined() {
                self.value = Some(value);
                return seed.deserialize(field.into_deserializer()).map(Some);
            }
        }
        Ok(None)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, ReadError> {
        let value = self.value.take().unwrap_or(JsValue::UNDEFINED);
        seed.deserialize(Reader(value))
    }
}

/// An enum's variant name and its content.
struct Variant {
    tag: JsValue,
    content: JsValue,
}

impl<'de> de::EnumAccess<'de> for Variant {
    type Error = ReadError;
    type Variant = Reader;

    fn variant_seed<V: de::DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Reader), ReadError> {
        Ok((seed.deserialize(Reader(self.tag))?, Reader(self.content)))
    }
}

impl<'de> de::VariantAccess<'de> for Reader {
    type Error = ReadError;

    fn unit_variant(self) -> Result<(), ReadError> {
        if self.is_nullish() {
            Ok(())
        } else {
            Err(self.wrong_kind(&"a unit variant"))
        }
    }

    fn newtype_variant_seed<T: de::DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, ReadError> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: de::Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        de::Deserializer::deserialize_tuple(self, len, visitor)
    }

    fn struct_variant<V: de::Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, ReadError> {
        de::Deserializer::deserialize_struct(self, "", fields, visitor)
    }
}

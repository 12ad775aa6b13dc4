//! The postMessage protocol between the app and the seller portal that frames it
//! (`{"v":1,"type","payload"}`, DESIGN.md), as plain data so that its checks are testable.

use wasm_bindgen::JsValue;

use crate::json::{field, object};

pub const VERSION: u64 = 1;

/// A message from the portal that the app acts on.
#[derive(Clone, Debug, PartialEq)]
pub enum Inbound {
    Init {
        token: String,
        locale: Option<String>,
        theme: Option<String>,
    },
    Token {
        token: String,
    },
    Locale {
        locale: String,
    },
    Theme {
        theme: String,
    },
    /// The band of the frame that the seller can see, in CSS pixels from the frame's top edge.
    Viewport {
        top: f64,
        height: f64,
    },
}

/// The themes the style sheet defines.
pub const THEMES: [&str; 2] = ["light", "dark"];

/// Why a message was ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Rejected {
    #[error("the sender's origin is not a configured portal origin")]
    Origin,
    #[error("the message is not a protocol envelope")]
    NotEnvelope,
    #[error("the payload is malformed: {0}")]
    Malformed(&'static str),
    #[error("the protocol version is not {VERSION}")]
    Version,
    #[error("the message type is unknown")]
    UnknownType,
}

/// Checks a message's origin against the configured portal origins, exactly, and reads it: `data`
/// is the value the portal posted, read where it is (anything but an envelope object is refused).
pub fn accept(
    origin: &str,
    portal_origins: &[String],
    data: &JsValue,
) -> Result<Inbound, Rejected> {
    if !portal_origins.iter().any(|allowed| allowed == origin) {
        return Err(Rejected::Origin);
    }
    let version = field(data, "v").as_f64().ok_or(Rejected::NotEnvelope)?;
    let kind = field(data, "type")
        .as_string()
        .ok_or(Rejected::NotEnvelope)?;
    if version != VERSION as f64 {
        return Err(Rejected::Version);
    }
    let payload = Payload(field(data, "payload"));
    match kind.as_str() {
        "init" => Ok(Inbound::Init {
            token: payload.token()?,
            locale: payload.optional("locale", "locale", is_language_tag)?,
            theme: payload.optional("theme", "theme", is_theme)?,
        }),
        "token" => Ok(Inbound::Token {
            token: payload.token()?,
        }),
        "locale" => Ok(Inbound::Locale {
            locale: payload.required("locale", "locale", is_language_tag)?,
        }),
        "theme" => Ok(Inbound::Theme {
            theme: payload.required("theme", "theme", is_theme)?,
        }),
        "viewport" => Ok(Inbound::Viewport {
            top: payload.pixels("top")?,
            height: payload.pixels("height")?,
        }),
        _ => Err(Rejected::UnknownType),
    }
}

/// The envelope's `payload`: an object, or anything else, whose fields then all count as missing.
struct Payload(JsValue);

impl Payload {
    /// A string field that must pass `valid`; `what` names it in the console's warning.
    fn optional(
        &self,
        key: &str,
        what: &'static str,
        valid: fn(&str) -> bool,
    ) -> Result<Option<String>, Rejected> {
        let value = field(&self.0, key);
        if value.is_undefined() || value.is_null() {
            return Ok(None);
        }
        match value.as_string() {
            Some(value) if valid(&value) => Ok(Some(value)),
            _ => Err(Rejected::Malformed(what)),
        }
    }

    fn required(
        &self,
        key: &str,
        what: &'static str,
        valid: fn(&str) -> bool,
    ) -> Result<String, Rejected> {
        self.optional(key, what, valid)?
            .ok_or(Rejected::Malformed(what))
    }

    fn token(&self) -> Result<String, Rejected> {
        self.required("token", "token", is_jwt_shaped)
    }

    /// A finite, non-negative number of CSS pixels.
    fn pixels(&self, key: &'static str) -> Result<f64, Rejected> {
        field(&self.0, key)
            .as_f64()
            .filter(|value| value.is_finite() && *value >= 0.0)
            .ok_or(Rejected::Malformed(key))
    }
}

fn is_theme(value: &str) -> bool {
    THEMES.contains(&value)
}

/// A BCP 47 shape (`en`, `zh-CN`, `ru`): it becomes `<html lang>`, so nothing else gets through.
fn is_language_tag(value: &str) -> bool {
    let mut parts = value.split('-');
    let primary_ok = parts
        .next()
        .is_some_and(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
    primary_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Three base64url parts, as a JWT has; the server checks the rest.
fn is_jwt_shaped(value: &str) -> bool {
    let parts: Vec<&str> = value.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|part| {
            !part.is_empty()
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
}

/// A message from the app to the portal.
#[derive(Clone, Debug, PartialEq)]
pub enum Outbound {
    Ready,
    Resize { height: u32 },
    Toast { kind: &'static str, text: String },
    ShipmentsChanged { posting_numbers: Vec<String> },
    TokenRequest,
}

impl Outbound {
    /// The message as the value that `postMessage` sends.
    pub fn to_js(&self) -> JsValue {
        let (kind, payload) = match self {
            Outbound::Ready => ("ready", object(&[])),
            Outbound::Resize { height } => ("resize", object(&[("height", (*height).into())])),
            Outbound::Toast { kind, text } => (
                "toast",
                object(&[("kind", (*kind).into()), ("text", text.into())]),
            ),
            Outbound::ShipmentsChanged { posting_numbers } => {
                let numbers: js_sys::Array = posting_numbers
                    .iter()
                    .map(|number| JsValue::from_str(number))
                    .collect();
                (
                    "shipments_changed",
                    object(&[("posting_numbers", numbers.into())]),
                )
            }
            Outbound::TokenRequest => ("token_request", object(&[])),
        };
        object(&[
            ("v", (VERSION as f64).into()),
            ("type", kind.into()),
            ("payload", payload),
        ])
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod tests {
    use super::*;
    use crate::json;
    use serde_json::{Value, json};
    use wasm_bindgen_test::wasm_bindgen_test;

    fn origins() -> Vec<String> {
        vec!["http://127.0.0.1:8092".to_owned()]
    }

    /// A message as a portal posts it: the JSON's value, or, for text that is not JSON, the string.
    fn posted(text: &str) -> JsValue {
        json::parse(text).unwrap_or_else(|_| JsValue::from_str(text))
    }

    #[wasm_bindgen_test]
    fn init_from_the_portal_origin_is_read() {
        let data =
            r#"{"v":1,"type":"init","payload":{"token":"t.k.n","locale":"ru","theme":"dark"}}"#;
        assert_eq!(
            accept("http://127.0.0.1:8092", &origins(), &posted(data)),
            Ok(Inbound::Init {
                token: "t.k.n".to_owned(),
                locale: Some("ru".to_owned()),
                theme: Some("dark".to_owned()),
            })
        );
    }

    #[wasm_bindgen_test]
    fn origins_compare_exactly() {
        let data = r#"{"v":1,"type":"token","payload":{"token":"a.b.c"}}"#;
        for origin in [
            "http://127.0.0.1:8093",
            "http://127.0.0.1:8092/",
            "https://127.0.0.1:8092",
            "http://127.0.0.1:80920",
            "null",
        ] {
            assert_eq!(
                accept(origin, &origins(), &posted(data)),
                Err(Rejected::Origin),
                "{origin}"
            );
        }
    }

    fn from_portal(data: &str) -> Result<Inbound, Rejected> {
        accept("http://127.0.0.1:8092", &origins(), &posted(data))
    }

    #[wasm_bindgen_test]
    fn other_versions_types_and_shapes_are_ignored() {
        assert_eq!(
            from_portal(r#"{"v":2,"type":"token","payload":{"token":"a.b.c"}}"#),
            Err(Rejected::Version)
        );
        assert_eq!(
            from_portal(r#"{"type":"token","payload":{"token":"a.b.c"}}"#),
            Err(Rejected::NotEnvelope)
        );
        assert_eq!(
            from_portal(r#"{"v":1,"type":"steal","payload":{}}"#),
            Err(Rejected::UnknownType)
        );
        assert_eq!(from_portal("hello"), Err(Rejected::NotEnvelope));
        assert_eq!(from_portal(r#""hello""#), Err(Rejected::NotEnvelope));
        for (data, field) in [
            (r#"{"v":1,"type":"token","payload":{"token":""}}"#, "token"),
            (r#"{"v":1,"type":"token","payload":{"token":"x"}}"#, "token"),
            (
                r#"{"v":1,"type":"token","payload":{"token":"a.b.c d"}}"#,
                "token",
            ),
            (r#"{"v":1,"type":"token"}"#, "token"),
            (r#"{"v":1,"type":"token","payload":"a.b.c"}"#, "token"),
            (r#"{"v":1,"type":"theme","payload":{"theme":42}}"#, "theme"),
            (
                r#"{"v":1,"type":"theme","payload":{"theme":"sepia"}}"#,
                "theme",
            ),
            (
                r#"{"v":1,"type":"locale","payload":{"locale":"en\" onload"}}"#,
                "locale",
            ),
            (r#"{"v":1,"type":"locale","payload":{}}"#, "locale"),
            (
                r#"{"v":1,"type":"init","payload":{"token":"a.b.c","theme":"blue"}}"#,
                "theme",
            ),
            (
                r#"{"v":1,"type":"init","payload":{"token":"a.b.c","locale":7}}"#,
                "locale",
            ),
            (
                r#"{"v":1,"type":"viewport","payload":{"top":-1,"height":500}}"#,
                "top",
            ),
            (
                r#"{"v":1,"type":"viewport","payload":{"top":"0","height":500}}"#,
                "top",
            ),
            (r#"{"v":1,"type":"viewport","payload":{"top":0}}"#, "height"),
        ] {
            assert_eq!(from_portal(data), Err(Rejected::Malformed(field)), "{data}");
        }
    }

    #[wasm_bindgen_test]
    fn optional_init_fields_may_be_left_out() {
        assert_eq!(
            from_portal(r#"{"v":1,"type":"init","payload":{"token":"a.b.c","locale":null}}"#),
            Ok(Inbound::Init {
                token: "a.b.c".to_owned(),
                locale: None,
                theme: None,
            })
        );
    }

    #[wasm_bindgen_test]
    fn locale_theme_and_viewport_are_read() {
        assert_eq!(
            from_portal(r#"{"v":1,"type":"locale","payload":{"locale":"zh-CN"}}"#),
            Ok(Inbound::Locale {
                locale: "zh-CN".to_owned()
            })
        );
        assert_eq!(
            from_portal(r#"{"v":1,"type":"theme","payload":{"theme":"dark"}}"#),
            Ok(Inbound::Theme {
                theme: "dark".to_owned()
            })
        );
        assert_eq!(
            from_portal(r#"{"v":1,"type":"viewport","payload":{"top":2400.5,"height":720}}"#),
            Ok(Inbound::Viewport {
                top: 2400.5,
                height: 720.0
            })
        );
    }

    fn sent(message: Outbound) -> Value {
        serde_json::from_str(&json::stringify(&message.to_js()).unwrap()).unwrap()
    }

    #[wasm_bindgen_test]
    fn outbound_messages_use_the_envelope() {
        assert_eq!(
            sent(Outbound::ShipmentsChanged {
                posting_numbers: vec!["1-1-1".to_owned()],
            }),
            json!({"v":1,"type":"shipments_changed","payload":{"posting_numbers":["1-1-1"]}})
        );
        assert_eq!(
            sent(Outbound::Toast {
                kind: "error",
                text: "Не удалось".to_owned(),
            }),
            json!({"v":1,"type":"toast","payload":{"kind":"error","text":"Не удалось"}})
        );
        assert_eq!(
            sent(Outbound::Resize { height: 640 }),
            json!({"v":1,"type":"resize","payload":{"height":640}})
        );
        assert_eq!(
            sent(Outbound::Ready),
            json!({"v":1,"type":"ready","payload":{}})
        );
    }
}

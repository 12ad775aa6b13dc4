//! The postMessage protocol between the app and the seller portal that frames it
//! (`{"v":1,"type","payload"}`, DESIGN.md), as plain data so that its checks are testable.

use serde::Deserialize;
use serde_json::{Value, json};

pub const VERSION: u64 = 1;

#[derive(Deserialize)]
struct Envelope {
    v: u64,
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    payload: Value,
}

/// A message from the portal that the app acts on.
#[derive(Clone, Debug, PartialEq, Eq)]
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
}

/// Why a message was ignored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Rejected {
    #[error("the sender's origin is not a configured portal origin")]
    Origin,
    #[error("the message is not a protocol envelope")]
    Malformed,
    #[error("the protocol version is not {VERSION}")]
    Version,
    #[error("the message type is unknown")]
    UnknownType,
}

/// Checks a message's origin against the configured portal origins, exactly, and reads it.
pub fn accept(origin: &str, portal_origins: &[String], data: &str) -> Result<Inbound, Rejected> {
    if !portal_origins.iter().any(|allowed| allowed == origin) {
        return Err(Rejected::Origin);
    }
    let envelope: Envelope = serde_json::from_str(data).map_err(|_| Rejected::Malformed)?;
    if envelope.v != VERSION {
        return Err(Rejected::Version);
    }
    let text = |key: &str| {
        envelope
            .payload
            .get(key)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let required = |key: &str| {
        text(key)
            .filter(|value| !value.is_empty())
            .ok_or(Rejected::Malformed)
    };
    match envelope.kind.as_str() {
        "init" => Ok(Inbound::Init {
            token: required("token")?,
            locale: text("locale"),
            theme: text("theme"),
        }),
        "token" => Ok(Inbound::Token {
            token: required("token")?,
        }),
        "locale" => Ok(Inbound::Locale {
            locale: required("locale")?,
        }),
        "theme" => Ok(Inbound::Theme {
            theme: required("theme")?,
        }),
        _ => Err(Rejected::UnknownType),
    }
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
    pub fn to_json(&self) -> String {
        let (kind, payload) = match self {
            Outbound::Ready => ("ready", json!({})),
            Outbound::Resize { height } => ("resize", json!({ "height": height })),
            Outbound::Toast { kind, text } => ("toast", json!({ "kind": kind, "text": text })),
            Outbound::ShipmentsChanged { posting_numbers } => (
                "shipments_changed",
                json!({ "posting_numbers": posting_numbers }),
            ),
            Outbound::TokenRequest => ("token_request", json!({})),
        };
        json!({ "v": VERSION, "type": kind, "payload": payload }).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origins() -> Vec<String> {
        vec!["http://127.0.0.1:8092".to_owned()]
    }

    #[test]
    fn init_from_the_portal_origin_is_read() {
        let data =
            r#"{"v":1,"type":"init","payload":{"token":"t.k.n","locale":"ru","theme":"dark"}}"#;
        assert_eq!(
            accept("http://127.0.0.1:8092", &origins(), data),
            Ok(Inbound::Init {
                token: "t.k.n".to_owned(),
                locale: Some("ru".to_owned()),
                theme: Some("dark".to_owned()),
            })
        );
    }

    #[test]
    fn origins_compare_exactly() {
        let data = r#"{"v":1,"type":"token","payload":{"token":"x"}}"#;
        for origin in [
            "http://127.0.0.1:8093",
            "http://127.0.0.1:8092/",
            "https://127.0.0.1:8092",
            "http://127.0.0.1:80920",
            "null",
        ] {
            assert_eq!(
                accept(origin, &origins(), data),
                Err(Rejected::Origin),
                "{origin}"
            );
        }
    }

    #[test]
    fn other_versions_types_and_shapes_are_ignored() {
        let origin = "http://127.0.0.1:8092";
        assert_eq!(
            accept(
                origin,
                &origins(),
                r#"{"v":2,"type":"token","payload":{"token":"x"}}"#
            ),
            Err(Rejected::Version)
        );
        assert_eq!(
            accept(origin, &origins(), r#"{"v":1,"type":"steal","payload":{}}"#),
            Err(Rejected::UnknownType)
        );
        assert_eq!(
            accept(
                origin,
                &origins(),
                r#"{"v":1,"type":"token","payload":{"token":""}}"#
            ),
            Err(Rejected::Malformed)
        );
        assert_eq!(
            accept(origin, &origins(), "hello"),
            Err(Rejected::Malformed)
        );
    }

    #[test]
    fn outbound_messages_use_the_envelope() {
        let sent: Value = serde_json::from_str(
            &Outbound::ShipmentsChanged {
                posting_numbers: vec!["1-1-1".to_owned()],
            }
            .to_json(),
        )
        .unwrap();
        assert_eq!(
            sent,
            json!({"v":1,"type":"shipments_changed","payload":{"posting_numbers":["1-1-1"]}})
        );
        let ready: Value = serde_json::from_str(&Outbound::Ready.to_json()).unwrap();
        assert_eq!(ready, json!({"v":1,"type":"ready","payload":{}}));
    }
}

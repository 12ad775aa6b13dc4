//! Enums whose variants travel as text codes (in JSON, in query strings and in the database).
//!
//! `codes!` declares such an enum with each code written once, beside its variant,
//! and generates from that one spelling both the serde names (`#[serde(rename = ...)]`, which the
//! OpenAPI schemas read too) and [`Code::code`]/[`Code::from_code`]/`ALL`, so that the wire, the
//! query strings and the database cannot disagree on a code.

/// An enum with one text code per variant, declared with [`codes!`].
pub trait Code: Copy + Sized + 'static {
    /// What the codes name, for error messages ("Status").
    const KIND: &'static str;
    /// Every variant, in declaration order.
    const VARIANTS: &'static [Self];

    fn code(self) -> &'static str;

    fn from_code(code: &str) -> Option<Self> {
        Self::VARIANTS.iter().copied().find(|v| v.code() == code)
    }

    /// Reads a code, or says which kind of code it is not.
    fn parse_code(code: &str) -> Result<Self, UnknownCode> {
        Self::from_code(code).ok_or_else(|| UnknownCode {
            kind: Self::KIND,
            code: code.to_owned(),
        })
    }
}

/// A text that is no code of an enum.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{code:?} is not a {kind} code")]
pub struct UnknownCode {
    pub kind: &'static str,
    pub code: String,
}

/// Declares a fieldless enum whose variants are written `Variant = "code"`. The macro adds
/// `Serialize` (each variant renamed to its code) and `Deserialize` (from the code), inherent `ALL`, `code()` and
/// `from_code()`, the [`Code`] trait and `FromStr` (with [`UnknownCode`]). Attributes (derives,
/// docs, `#[error]`) pass through to the enum and its variants. No `Display`: error enums take
/// theirs from `thiserror`.
// `$code` is taken as a token tree, not a `literal` fragment: a captured fragment reaches the
// derives wrapped in an invisible group, and utoipa's schema derive then ignores the rename.
macro_rules! codes {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $(
                $(#[$vmeta:meta])*
                $variant:ident = $code:tt
            ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(::serde::Serialize)]
        $vis enum $name {
            $(
                $(#[$vmeta])*
                #[serde(rename = $code)]
                $variant,
            )+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: [$name; [$($code),+].len()] = [$($name::$variant),+];

            /// The variant's code, as the wire, the query strings and the database spell it.
            pub const fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)+
                }
            }

            pub fn from_code(code: &str) -> ::core::option::Option<$name> {
                match code {
                    $($code => ::core::option::Option::Some($name::$variant),)+
                    _ => ::core::option::Option::None,
                }
            }
        }

        impl $crate::code::Code for $name {
            const KIND: &'static str = stringify!($name);
            const VARIANTS: &'static [$name] = &$name::ALL;

            fn code(self) -> &'static str {
                $name::code(self)
            }

            fn from_code(code: &str) -> ::core::option::Option<$name> {
                $name::from_code(code)
            }
        }

        // By hand rather than derived: the derive's visitor matches every code twice (as text
        // and as bytes) and once more by index, and each enum's copy is in the app's wasm; this
        // one reads text with `from_code`. Its error is the derive's ("unknown variant ...").
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<$name, D::Error> {
                struct Visitor;
                impl ::serde::de::Visitor<'_> for Visitor {
                    type Value = $name;

                    fn expecting(
                        &self,
                        formatter: &mut ::core::fmt::Formatter<'_>,
                    ) -> ::core::fmt::Result {
                        formatter.write_str(concat!("a ", stringify!($name), " code"))
                    }

                    fn visit_str<E: ::serde::de::Error>(
                        self,
                        code: &str,
                    ) -> ::core::result::Result<$name, E> {
                        $name::from_code(code)
                            .ok_or_else(|| E::unknown_variant(code, &[$($code),+]))
                    }
                }
                deserializer.deserialize_str(Visitor)
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = $crate::code::UnknownCode;

            fn from_str(code: &str) -> ::core::result::Result<$name, $crate::code::UnknownCode> {
                <$name as $crate::code::Code>::parse_code(code)
            }
        }
    };
}

pub(crate) use codes;

#[cfg(test)]
mod tests {
    use super::{Code, UnknownCode};
    use crate::fixture::Decision;
    use crate::history::HistoryKind;
    use crate::shipment_query::{SortKey, SortOrder};
    use crate::wire::BulkOutcome;
    use crate::{
        BlockedCode, CancellationState, CommentError, DeliveryMethod, Initiator, Mode, Reason,
        Status, Warning,
    };

    /// Every code parses back to its variant, serde writes and reads exactly the code, and no two
    /// variants share one.
    fn agrees<T>()
    where
        T: Code + PartialEq + std::fmt::Debug + serde::Serialize + serde::de::DeserializeOwned,
    {
        let mut seen = std::collections::HashSet::new();
        for &variant in T::VARIANTS {
            let code = variant.code();
            assert!(seen.insert(code), "{} code {code:?} twice", T::KIND);
            assert_eq!(T::from_code(code), Some(variant));
            assert_eq!(T::parse_code(code), Ok(variant));
            let json = serde_json::to_string(&variant).expect("serialises");
            assert_eq!(json, format!("\"{code}\""));
            assert_eq!(serde_json::from_str::<T>(&json).ok(), Some(variant));
        }
        let unknown = serde_json::from_str::<T>("\"no_such_code\"")
            .expect_err("an unknown code is refused")
            .to_string();
        assert!(
            unknown.starts_with("unknown variant `no_such_code`, expected "),
            "{unknown}"
        );
        assert!(serde_json::from_str::<T>("0").is_err());
        assert_eq!(
            T::parse_code("no_such_code"),
            Err(UnknownCode {
                kind: T::KIND,
                code: "no_such_code".to_owned()
            })
        );
    }

    #[test]
    fn serde_and_codes_agree_for_every_coded_enum() {
        agrees::<Status>();
        agrees::<DeliveryMethod>();
        agrees::<Reason>();
        agrees::<BlockedCode>();
        agrees::<Mode>();
        agrees::<Warning>();
        agrees::<CancellationState>();
        agrees::<Initiator>();
        agrees::<HistoryKind>();
        agrees::<Decision>();
        agrees::<BulkOutcome>();
        agrees::<CommentError>();
        agrees::<SortKey>();
        agrees::<SortOrder>();
        agrees::<crate::ProblemCode>();
    }

    /// A rule's refusal reaches the wire under the rule's own code.
    #[test]
    fn problem_codes_of_rules_are_the_rules_codes() {
        use crate::ProblemCode;
        for code in BlockedCode::ALL {
            assert_eq!(ProblemCode::from(code).code(), code.code());
        }
        for error in CommentError::ALL {
            assert_eq!(ProblemCode::from(error).code(), error.code());
        }
    }

    #[test]
    fn display_and_from_str_use_the_code() {
        assert_eq!(Status::InTransit.to_string(), "in_transit");
        assert_eq!(
            "china_post".parse::<DeliveryMethod>(),
            Ok(DeliveryMethod::ChinaPost)
        );
        assert!("China_Post".parse::<DeliveryMethod>().is_err());
    }
}

use serde::{Deserialize, Serialize};

/// How a shipment travels, which decides whether it can still be cancelled in transit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DeliveryMethod {
    /// A partner delivery service integrated with the marketplace (Cainiao, YunExpress, …).
    Partner,
    ChinaPost,
    /// The seller's own or another non-integrated delivery.
    Seller,
}

impl DeliveryMethod {
    pub const ALL: [DeliveryMethod; 3] = [
        DeliveryMethod::Partner,
        DeliveryMethod::ChinaPost,
        DeliveryMethod::Seller,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DeliveryMethod::Partner => "partner",
            DeliveryMethod::ChinaPost => "china_post",
            DeliveryMethod::Seller => "seller",
        }
    }

    pub fn from_code(code: &str) -> Option<DeliveryMethod> {
        DeliveryMethod::ALL.into_iter().find(|m| m.code() == code)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Delivery {
    pub method: DeliveryMethod,
    #[serde(default)]
    pub provider: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Destination {
    /// ISO 3166-1 alpha-2 code.
    pub country: String,
    pub city: String,
}

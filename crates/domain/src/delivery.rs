use serde::{Deserialize, Serialize};

use crate::code::codes;

codes! {
    /// How a shipment travels, which decides whether it can still be cancelled in transit.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum DeliveryMethod {
        /// A partner delivery service integrated with the marketplace (Cainiao, YunExpress, …).
        Partner = "partner",
        ChinaPost = "china_post",
        /// The seller's own or another non-integrated delivery.
        Seller = "seller",
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

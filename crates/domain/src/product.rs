use serde::{Deserialize, Serialize};

/// One line of a shipment: a product and how many units of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ProductLine {
    pub sku: String,
    pub name: String,
    pub quantity: u32,
    /// A decimal string, so that money never goes through a float.
    pub price: String,
    pub currency: String,
}

/// A product of the seller's catalogue, with its stock at each warehouse.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Product {
    pub sku: String,
    pub name: String,
    #[serde(default)]
    pub archived: bool,
    #[serde(default)]
    pub stock: Vec<StockLevel>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StockLevel {
    pub warehouse_id: String,
    pub quantity: u32,
}

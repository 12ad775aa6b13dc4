use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::eligibility::{MAX_IDENTICAL_UNITS, split_offered, units_per_sku};
use crate::{ProductLine, Status};

/// One line of a parcel in a split request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ParcelLine {
    pub sku: String,
    #[serde(deserialize_with = "crate::limits::deserialize_count")]
    pub quantity: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    #[error("splitting is offered only for a commercial shipment awaiting packaging")]
    SplitNotOffered,
    #[error("a split needs at least two parcels")]
    TooFewParcels,
    #[error("parcel {parcel} is empty")]
    EmptyParcel { parcel: usize },
    #[error("parcel {parcel} has a line with quantity 0")]
    ZeroQuantity { parcel: usize },
    #[error(
        "parcel {parcel} has {units} units of {sku}; at most {MAX_IDENTICAL_UNITS} are allowed"
    )]
    TooManyIdentical {
        parcel: usize,
        sku: String,
        units: u32,
    },
    #[error("product {sku} is not in the shipment")]
    UnknownSku { sku: String },
    #[error("the parcels hold {planned} units of {sku}, the shipment has {expected}")]
    QuantityMismatch {
        sku: String,
        expected: u32,
        planned: u32,
    },
}

impl SplitError {
    pub fn code(&self) -> &'static str {
        match self {
            SplitError::SplitNotOffered => "split_not_offered",
            SplitError::TooFewParcels => "split_too_few_parcels",
            SplitError::EmptyParcel { .. } => "split_empty_parcel",
            SplitError::ZeroQuantity { .. } => "split_zero_quantity",
            SplitError::TooManyIdentical { .. } => "split_too_many_identical",
            SplitError::UnknownSku { .. } => "split_unknown_sku",
            SplitError::QuantityMismatch { .. } => "split_quantity_mismatch",
        }
    }
}

/// Checks a plan to split a commercial shipment into parcels.
///
/// Every parcel holds at most three units of each product, and together the parcels hold exactly
/// the shipment's products, so that nothing is lost or invented by a split.
pub fn validate_split(
    status: Status,
    products: &[ProductLine],
    parcels: &[Vec<ParcelLine>],
) -> Result<(), SplitError> {
    if !split_offered(status, products) {
        return Err(SplitError::SplitNotOffered);
    }
    if parcels.len() < 2 {
        return Err(SplitError::TooFewParcels);
    }
    let expected = units_per_sku(products);
    let mut planned: BTreeMap<&str, u32> = BTreeMap::new();
    for (index, parcel) in parcels.iter().enumerate() {
        let parcel_number = index + 1;
        if parcel.is_empty() {
            return Err(SplitError::EmptyParcel {
                parcel: parcel_number,
            });
        }
        let mut in_parcel: BTreeMap<&str, u32> = BTreeMap::new();
        for line in parcel {
            if line.quantity == 0 {
                return Err(SplitError::ZeroQuantity {
                    parcel: parcel_number,
                });
            }
            if !expected.contains_key(line.sku.as_str()) {
                return Err(SplitError::UnknownSku {
                    sku: line.sku.clone(),
                });
            }
            let units = in_parcel.entry(line.sku.as_str()).or_insert(0);
            *units = units.saturating_add(line.quantity);
            let total = planned.entry(line.sku.as_str()).or_insert(0);
            *total = total.saturating_add(line.quantity);
        }
        if let Some((sku, units)) = in_parcel.iter().find(|(_, u)| **u > MAX_IDENTICAL_UNITS) {
            return Err(SplitError::TooManyIdentical {
                parcel: parcel_number,
                sku: (*sku).to_owned(),
                units: *units,
            });
        }
    }
    for (sku, expected_units) in &expected {
        let planned_units = planned.get(sku).copied().unwrap_or(0);
        if planned_units != *expected_units {
            return Err(SplitError::QuantityMismatch {
                sku: (*sku).to_owned(),
                expected: *expected_units,
                planned: planned_units,
            });
        }
    }
    Ok(())
}

//! Cancelling some products of a shipment (RULES.md, "Cancelling some products of a shipment"):
//! when it is offered, with which reasons, which items are valid, and what remains.
//!
//! The seed is silent here; these are our decisions, written down in RULES.md. The API endpoint
//! and the app's dialog build on this module (issue 14).

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::eligibility::units_per_sku;
use crate::{CommentError, Initiator, ProductLine, Reason, Status, validate_comment};

/// The reasons a partial cancellation may give. `undeliverable_address` and `lost_by_carrier`
/// concern the whole parcel, so they are a whole cancellation's.
pub const PARTIAL_REASONS: [Reason; 3] =
    [Reason::OutOfStock, Reason::CustomerRequest, Reason::Other];

/// Units of one product to cancel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CancelItem {
    pub sku: String,
    pub quantity: u32,
}

/// `POST /api/v1/shipments/{posting_number}/cancel-items`, with `If-Match` and `Idempotency-Key` as
/// for a whole cancellation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CancelItemsRequest {
    /// One of [`PARTIAL_REASONS`].
    pub reason: Reason,
    /// Required for `other`, with the same rules as a whole cancellation's description.
    #[serde(default)]
    pub comment: Option<String>,
    /// Each SKU once, 1 to its units in the shipment; at least one unit must stay.
    pub items: Vec<RequestedItem>,
}

/// An item as a request names it. The quantity is read as any JSON number so that 0, a negative
/// or a fractional quantity is refused by the rules (422 `invalid_items`, next to the field), not
/// as a malformed body; `2.0` reads as 2, as JSON Schema's `integer` says.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RequestedItem {
    pub sku: String,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub quantity: f64,
}

impl From<&CancelItem> for RequestedItem {
    fn from(item: &CancelItem) -> RequestedItem {
        RequestedItem {
            sku: item.sku.clone(),
            quantity: f64::from(item.quantity),
        }
    }
}

/// The requested items as whole units, or the first that is not a whole number of units.
pub fn whole_units(items: &[RequestedItem]) -> Result<Vec<CancelItem>, ItemsError> {
    items
        .iter()
        .map(|item| {
            let quantity = item.quantity;
            if quantity.fract() != 0.0 || quantity < 0.0 || !quantity.is_finite() {
                return Err(ItemsError::NotWholeUnits {
                    sku: item.sku.clone(),
                });
            }
            Ok(CancelItem {
                sku: item.sku.clone(),
                // Saturates: a quantity past u32 is more than any line holds, refused as such.
                quantity: quantity.min(f64::from(u32::MAX)) as u32,
            })
        })
        .collect()
}

/// Units of one product that a partial cancellation took out of a shipment, as a Shipment's
/// `cancelled_items` carries them (oldest first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CancelledItem {
    pub sku: String,
    pub quantity: u32,
    pub reason: Reason,
    #[serde(default)]
    pub comment: Option<String>,
    pub initiator: Initiator,
    #[serde(with = "crate::timestamp")]
    pub at: DateTime<Utc>,
}

/// Offered while the shipment awaits packaging only: the parcel is not packed yet, as for a split.
pub fn partial_offered(status: Status) -> bool {
    status == Status::AwaitingPackaging
}

/// The reasons a partial cancellation of a shipment in `status` may give: none when it is not
/// offered.
pub fn partial_reasons(status: Status) -> &'static [Reason] {
    if partial_offered(status) {
        &PARTIAL_REASONS
    } else {
        &[]
    }
}

/// Why the items of a partial cancellation are refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ItemsError {
    #[error("no item is named")]
    NoItems,
    #[error("SKU {sku} is not in the shipment")]
    UnknownSku { sku: String },
    #[error("SKU {sku} is named more than once")]
    DuplicateSku { sku: String },
    #[error("SKU {sku}: a quantity is a whole number of units, 1 or more")]
    NotWholeUnits { sku: String },
    #[error("SKU {sku}: a quantity of 0 cancels nothing")]
    ZeroQuantity { sku: String },
    #[error("SKU {sku}: {asked} units asked, the shipment holds {held}")]
    MoreThanHeld { sku: String, held: u32, asked: u32 },
    /// Every unit would go: that is a whole cancellation, with its own reasons and effects.
    #[error("every unit of the shipment is named; cancel the whole shipment instead")]
    WholeShipment,
}

/// Why a partial cancellation is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PartialError {
    #[error("a partial cancellation is offered only while the shipment awaits packaging")]
    NotOffered,
    #[error("this reason is not offered for a partial cancellation")]
    ReasonNotOffered,
    #[error(transparent)]
    Comment(#[from] CommentError),
    #[error(transparent)]
    Items(#[from] ItemsError),
}

/// What a valid partial cancellation does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartialCancellation {
    /// The shipment's lines afterwards; a line left with no units is gone.
    pub remaining: Vec<ProductLine>,
    /// The description to record, trimmed (for `other` only).
    pub comment: Option<String>,
}

/// Checks a partial cancellation of a shipment in `status` holding `products`.
pub fn check_partial(
    status: Status,
    products: &[ProductLine],
    reason: Reason,
    comment: Option<&str>,
    items: &[CancelItem],
) -> Result<PartialCancellation, PartialError> {
    if !partial_offered(status) {
        return Err(PartialError::NotOffered);
    }
    if !PARTIAL_REASONS.contains(&reason) {
        return Err(PartialError::ReasonNotOffered);
    }
    let comment = validate_comment(reason, comment)?;
    let remaining = remaining_after(products, items)?;
    Ok(PartialCancellation { remaining, comment })
}

/// [`check_partial`] for the items as a request names them ([`RequestedItem`]): the same checks in
/// the same order (offered, reason, description, then items), so that a fractional or negative
/// quantity is refused as `invalid_items` only once the shipment, the reason and the description
/// pass. Returns the items as whole units beside what the cancellation does.
pub fn check_requested(
    status: Status,
    products: &[ProductLine],
    reason: Reason,
    comment: Option<&str>,
    items: &[RequestedItem],
) -> Result<(PartialCancellation, Vec<CancelItem>), PartialError> {
    match whole_units(items) {
        Ok(items) => {
            check_partial(status, products, reason, comment, &items).map(|done| (done, items))
        }
        // The checks before the items still come first; past them, the items' own fault.
        Err(fault) => match check_partial(status, products, reason, comment, &[]) {
            Err(PartialError::Items(_)) | Ok(_) => Err(PartialError::Items(fault)),
            Err(earlier) => Err(earlier),
        },
    }
}

/// The lines left once `items` are taken out, or why the items are refused. At least one unit must
/// stay: cancelling every unit is a whole cancellation.
pub fn remaining_after(
    products: &[ProductLine],
    items: &[CancelItem],
) -> Result<Vec<ProductLine>, ItemsError> {
    if items.is_empty() {
        return Err(ItemsError::NoItems);
    }
    let held = units_per_sku(products);
    let mut named = BTreeSet::new();
    for item in items {
        let Some(units) = held.get(item.sku.as_str()) else {
            return Err(ItemsError::UnknownSku {
                sku: item.sku.clone(),
            });
        };
        if !named.insert(item.sku.as_str()) {
            return Err(ItemsError::DuplicateSku {
                sku: item.sku.clone(),
            });
        }
        if item.quantity == 0 {
            return Err(ItemsError::ZeroQuantity {
                sku: item.sku.clone(),
            });
        }
        if item.quantity > *units {
            return Err(ItemsError::MoreThanHeld {
                sku: item.sku.clone(),
                held: *units,
                asked: item.quantity,
            });
        }
    }
    let mut remaining = products.to_vec();
    for item in items {
        // A SKU may stand on several lines; its units are taken from the first lines on.
        let mut left = item.quantity;
        for line in remaining.iter_mut().filter(|line| line.sku == item.sku) {
            let taken = left.min(line.quantity);
            line.quantity -= taken;
            left -= taken;
        }
    }
    remaining.retain(|line| line.quantity > 0);
    if remaining.is_empty() {
        return Err(ItemsError::WholeShipment);
    }
    Ok(remaining)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(sku: &str, quantity: u32) -> ProductLine {
        ProductLine {
            sku: sku.to_owned(),
            name: format!("Product {sku}"),
            quantity,
            price: "1.00".to_owned(),
            currency: "USD".to_owned(),
        }
    }

    fn item(sku: &str, quantity: u32) -> CancelItem {
        CancelItem {
            sku: sku.to_owned(),
            quantity,
        }
    }

    #[test]
    fn offered_while_awaiting_packaging_only() {
        for status in Status::ALL {
            assert_eq!(
                partial_offered(status),
                status == Status::AwaitingPackaging,
                "{status:?}"
            );
        }
        assert_eq!(partial_reasons(Status::AwaitingPackaging), &PARTIAL_REASONS);
        assert!(partial_reasons(Status::InTransit).is_empty());
    }

    #[test]
    fn units_are_taken_and_an_emptied_line_disappears() {
        let products = [line("a", 2), line("b", 3)];
        assert_eq!(
            remaining_after(&products, &[item("a", 2), item("b", 1)]),
            Ok(vec![line("b", 2)])
        );
    }

    #[test]
    fn a_sku_on_several_lines_is_taken_from_the_first_lines_on() {
        let products = [line("a", 1), line("b", 1), line("a", 2)];
        assert_eq!(
            remaining_after(&products, &[item("a", 2)]),
            Ok(vec![line("b", 1), line("a", 1)])
        );
    }

    #[test]
    fn every_bad_item_is_refused_with_its_reason() {
        let products = [line("a", 2), line("b", 1)];
        let refused = |items: &[CancelItem]| remaining_after(&products, items).unwrap_err();
        assert_eq!(refused(&[]), ItemsError::NoItems);
        assert_eq!(
            refused(&[item("zz", 1)]),
            ItemsError::UnknownSku { sku: "zz".into() }
        );
        assert_eq!(
            refused(&[item("a", 1), item("a", 1)]),
            ItemsError::DuplicateSku { sku: "a".into() }
        );
        assert_eq!(
            refused(&[item("a", 0)]),
            ItemsError::ZeroQuantity { sku: "a".into() }
        );
        assert_eq!(
            refused(&[item("a", 3)]),
            ItemsError::MoreThanHeld {
                sku: "a".into(),
                held: 2,
                asked: 3
            }
        );
        assert_eq!(
            refused(&[item("a", 2), item("b", 1)]),
            ItemsError::WholeShipment
        );
    }

    #[test]
    fn the_reason_and_description_follow_the_partial_rules() {
        let products = [line("a", 2)];
        let check = |status, reason, comment| {
            check_partial(status, &products, reason, comment, &[item("a", 1)])
        };
        assert_eq!(
            check(Status::AwaitingShipment, Reason::OutOfStock, None),
            Err(PartialError::NotOffered)
        );
        assert_eq!(
            check(
                Status::AwaitingPackaging,
                Reason::UndeliverableAddress,
                None
            ),
            Err(PartialError::ReasonNotOffered)
        );
        assert_eq!(
            check(Status::AwaitingPackaging, Reason::Other, Some("  ")),
            Err(PartialError::Comment(CommentError::CommentRequired))
        );
        assert_eq!(
            check(
                Status::AwaitingPackaging,
                Reason::Other,
                Some(" Wrong colour ")
            ),
            Ok(PartialCancellation {
                remaining: vec![line("a", 1)],
                comment: Some("Wrong colour".to_owned()),
            })
        );
    }

    #[test]
    fn quantities_must_be_whole_units() {
        let asked = |quantity: f64| RequestedItem {
            sku: "a".to_owned(),
            quantity,
        };
        assert_eq!(whole_units(&[asked(2.0)]), Ok(vec![item("a", 2)]));
        for bad in [-1.0, 0.5, f64::NAN, f64::INFINITY] {
            assert_eq!(
                whole_units(&[asked(bad)]),
                Err(ItemsError::NotWholeUnits {
                    sku: "a".to_owned()
                }),
                "{bad}"
            );
        }
        // Past u32: more than any line holds, which the rules then refuse as such.
        assert_eq!(whole_units(&[asked(1e12)]), Ok(vec![item("a", u32::MAX)]));
    }

    #[test]
    fn requested_items_are_judged_after_the_status_reason_and_description() {
        let products = [line("a", 2), line("b", 1)];
        let asked = |quantity: f64| {
            vec![RequestedItem {
                sku: "a".to_owned(),
                quantity,
            }]
        };
        let check = |status, reason, items: &[RequestedItem]| {
            check_requested(status, &products, reason, None, items)
        };
        assert_eq!(
            check(Status::AwaitingShipment, Reason::OutOfStock, &asked(2.5)),
            Err(PartialError::NotOffered)
        );
        assert_eq!(
            check(
                Status::AwaitingPackaging,
                Reason::LostByCarrier,
                &asked(2.5)
            ),
            Err(PartialError::ReasonNotOffered)
        );
        assert_eq!(
            check(Status::AwaitingPackaging, Reason::OutOfStock, &asked(2.5)),
            Err(PartialError::Items(ItemsError::NotWholeUnits {
                sku: "a".into()
            }))
        );
        assert_eq!(
            check(Status::AwaitingPackaging, Reason::OutOfStock, &asked(2.0)),
            Ok((
                PartialCancellation {
                    remaining: vec![line("b", 1)],
                    comment: None
                },
                vec![item("a", 2)]
            ))
        );
    }

    #[test]
    fn each_refusal_has_its_problem_code() {
        use crate::ProblemCode;
        let code = |error: PartialError| ProblemCode::from(&error);
        assert_eq!(
            code(PartialError::NotOffered),
            ProblemCode::PartialNotOffered
        );
        assert_eq!(
            code(PartialError::ReasonNotOffered),
            ProblemCode::ReasonNotOffered
        );
        assert_eq!(
            code(ItemsError::WholeShipment.into()),
            ProblemCode::WholeShipment
        );
        assert_eq!(code(ItemsError::NoItems.into()), ProblemCode::InvalidItems);
        assert_eq!(
            code(CommentError::CommentRequired.into()),
            ProblemCode::CommentRequired
        );
    }
}

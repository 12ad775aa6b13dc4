//! The split form's grid: units of each product per parcel, turned into the request's parcels.

use domain::ProductLine;
use domain::eligibility::{MAX_IDENTICAL_UNITS, units_per_sku};
use domain::split::ParcelLine;

/// One product of the shipment, with all its units summed over the lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SplitProduct {
    pub sku: String,
    pub name: String,
    pub units: u32,
}

pub fn products(lines: &[ProductLine]) -> Vec<SplitProduct> {
    units_per_sku(lines)
        .into_iter()
        .map(|(sku, units)| SplitProduct {
            sku: sku.to_owned(),
            name: lines
                .iter()
                .find(|line| line.sku == sku)
                .map(|line| line.name.clone())
                .unwrap_or_default(),
            units,
        })
        .collect()
}

/// A first plan the seller can accept as it is: as few parcels as the limit allows (at least two),
/// each product dealt out three at a time. `grid[parcel][product]`.
pub fn suggest(products: &[SplitProduct]) -> Vec<Vec<u32>> {
    let needed = products
        .iter()
        .map(|p| p.units.div_ceil(MAX_IDENTICAL_UNITS))
        .max()
        .unwrap_or(0)
        .max(2) as usize;
    let mut grid = vec![vec![0; products.len()]; needed];
    for (column, product) in products.iter().enumerate() {
        let mut left = product.units;
        for parcel in grid.iter_mut() {
            let here = left.min(MAX_IDENTICAL_UNITS);
            parcel[column] = here;
            left -= here;
        }
    }
    grid
}

/// The request's parcels: one per grid row, without the products it holds none of.
pub fn parcels(products: &[SplitProduct], grid: &[Vec<u32>]) -> Vec<Vec<ParcelLine>> {
    grid.iter()
        .map(|row| {
            products
                .iter()
                .zip(row)
                .filter(|(_, quantity)| **quantity > 0)
                .map(|(product, quantity)| ParcelLine {
                    sku: product.sku.clone(),
                    quantity: *quantity,
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use domain::{Status, validate_split};

    use super::*;

    fn line(sku: &str, name: &str, quantity: u32) -> ProductLine {
        ProductLine {
            sku: sku.to_owned(),
            name: name.to_owned(),
            quantity,
            price: "1.00".to_owned(),
            currency: "USD".to_owned(),
        }
    }

    #[test]
    fn lines_of_one_sku_are_summed() {
        let lines = [
            line("1001", "Phone case", 2),
            line("1002", "Cable", 1),
            line("1001", "Phone case", 3),
        ];
        assert_eq!(
            products(&lines),
            vec![
                SplitProduct {
                    sku: "1001".into(),
                    name: "Phone case".into(),
                    units: 5
                },
                SplitProduct {
                    sku: "1002".into(),
                    name: "Cable".into(),
                    units: 1
                },
            ]
        );
    }

    #[test]
    fn the_suggestion_passes_the_rules() {
        for lines in [
            vec![line("1001", "Phone case", 4)],
            vec![line("1001", "Phone case", 7), line("1002", "Cable", 2)],
            vec![line("1001", "Phone case", 12)],
        ] {
            let products = products(&lines);
            let grid = suggest(&products);
            let parcels = parcels(&products, &grid);
            assert_eq!(
                validate_split(Status::AwaitingPackaging, &lines, &parcels),
                Ok(()),
                "{lines:?}"
            );
        }
    }

    #[test]
    fn four_units_go_three_and_one() {
        let products = products(&[line("1001", "Phone case", 4)]);
        assert_eq!(suggest(&products), vec![vec![3], vec![1]]);
    }

    #[test]
    fn empty_cells_leave_no_line() {
        let products = products(&[line("1", "A", 2), line("2", "B", 4)]);
        let parcels = parcels(&products, &[vec![2, 3], vec![0, 1]]);
        assert_eq!(
            parcels[1],
            vec![ParcelLine {
                sku: "2".into(),
                quantity: 1
            }]
        );
    }
}

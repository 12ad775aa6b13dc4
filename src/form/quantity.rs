//! A whole number of units as the seller types it: stock in the follow-up, units per parcel in
//! the split.

/// A whole number from zero to `max`, or nothing: no sign, no fraction, no exponent.
pub fn parse_quantity(typed: &str, max: u32) -> Option<u32> {
    let typed = typed.trim();
    if typed.is_empty() || !typed.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    typed.parse().ok().filter(|quantity| *quantity <= max)
}

#[cfg(test)]
mod tests {
    use domain::limits::MAX_STOCK;

    use super::parse_quantity;

    #[test]
    fn a_quantity_is_a_whole_number_of_zero_or_more() {
        assert_eq!(parse_quantity(" 12 ", MAX_STOCK), Some(12));
        assert_eq!(parse_quantity("0", MAX_STOCK), Some(0));
        assert_eq!(parse_quantity("1000000", MAX_STOCK), Some(MAX_STOCK));
        for bad in [
            "",
            " ",
            "-1",
            "1.5",
            "1e3",
            "+4",
            "twelve",
            "1000001",
            "99999999999",
        ] {
            assert_eq!(parse_quantity(bad, MAX_STOCK), None, "{bad:?}");
        }
    }

    #[test]
    fn the_cap_is_the_callers() {
        assert_eq!(parse_quantity("3", 3), Some(3));
        assert_eq!(parse_quantity("4", 3), None);
    }
}

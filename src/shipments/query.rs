//! The list's tab, filters and sort, and their round trip through the URL's query.
//!
//! The URL is the one source of this state, so that Back and Forward work and a link can be
//! shared; the same pairs go to `GET /api/v1/shipments`.

use domain::api::list as names;
use domain::wire::MatchFilter;
use domain::{DeliveryMethod, ShipmentQuery, Sort, SortKey, SortOrder, Status};

/// Newest first, like the marketplace's own order lists: the "All" tab then opens on current work
/// rather than on last month's deliveries. (The server's own default, for a query without a sort,
/// is `Sort::API_DEFAULT`; the app always names its sort.)
pub const DEFAULT_SORT: Sort = Sort {
    key: SortKey::CreatedAt,
    order: SortOrder::Desc,
};

/// What the seller asked to see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShipmentFilter {
    /// `None` is the "All" tab.
    pub status: Option<Status>,
    pub delivery: Option<DeliveryMethod>,
    /// A delivery provider as the server names it (`GET /providers`); empty for any.
    pub provider: String,
    pub city: String,
    pub search: String,
    pub sort: Sort,
}

impl Default for ShipmentFilter {
    fn default() -> ShipmentFilter {
        ShipmentFilter {
            status: None,
            delivery: None,
            provider: String::new(),
            city: String::new(),
            search: String::new(),
            sort: DEFAULT_SORT,
        }
    }
}

impl ShipmentFilter {
    /// Reads the filter from query parameters. Unknown values fall back to the default, so that a
    /// hand-edited or outdated link still opens a list rather than an error.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> ShipmentFilter {
        let text = |key: &str| {
            get(key)
                .map(|value| value.trim().to_owned())
                .unwrap_or_default()
        };
        ShipmentFilter {
            status: get(names::STATUS).as_deref().and_then(Status::from_code),
            delivery: get(names::DELIVERY)
                .as_deref()
                .and_then(DeliveryMethod::from_code),
            provider: text(names::PROVIDER),
            city: text(names::CITY),
            search: text(names::Q),
            sort: Sort {
                key: get(names::SORT)
                    .as_deref()
                    .and_then(SortKey::from_code)
                    .unwrap_or(DEFAULT_SORT.key),
                order: get(names::ORDER)
                    .as_deref()
                    .and_then(SortOrder::from_code)
                    .unwrap_or(DEFAULT_SORT.order),
            },
        }
    }

    /// The non-default parts as query pairs, in a stable order, for the URL: the rules crate's
    /// one encoding of the list's query, the sort left out when it is the app's default.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let sort = (self.sort != DEFAULT_SORT).then_some(self.sort);
        ShipmentQuery {
            filter: self.to_match_filter(),
            sort: sort.map(|s| s.key),
            order: sort.map(|s| s.order),
            ..ShipmentQuery::default()
        }
        .to_pairs()
    }

    /// The query of one page of `GET /api/v1/shipments`, with the sort always spelled out, so that
    /// the list never depends on the server's default order.
    pub fn to_page_query(&self, limit: u32, cursor: Option<String>) -> ShipmentQuery {
        ShipmentQuery {
            filter: self.to_match_filter(),
            sort: Some(self.sort.key),
            order: Some(self.sort.order),
            limit: Some(limit),
            cursor,
        }
    }

    /// The query of `GET /api/v1/shipments/counts`: the narrowing filters, without tab or sort.
    pub fn to_counts_query(&self) -> ShipmentQuery {
        ShipmentQuery {
            filter: MatchFilter {
                status: Vec::new(),
                ..self.to_match_filter()
            },
            ..ShipmentQuery::default()
        }
    }

    /// The typed filter of the requests that act on every matching shipment.
    pub fn to_match_filter(&self) -> MatchFilter {
        let text = |value: &str| Some(value.trim().to_owned()).filter(|v| !v.is_empty());
        MatchFilter {
            status: self.status.into_iter().collect(),
            delivery: self.delivery,
            provider: text(&self.provider),
            city: text(&self.city),
            q: text(&self.search),
        }
    }

    /// The same filter on another tab.
    pub fn with_status(&self, status: Option<Status>) -> ShipmentFilter {
        ShipmentFilter {
            status,
            ..self.clone()
        }
    }

    /// True when something other than the tab and the sort narrows the list.
    pub fn narrows(&self) -> bool {
        self.delivery.is_some()
            || !self.provider.trim().is_empty()
            || !self.city.trim().is_empty()
            || !self.search.trim().is_empty()
    }

    /// The tab and sort kept, every narrowing filter dropped.
    pub fn cleared(&self) -> ShipmentFilter {
        ShipmentFilter {
            status: self.status,
            sort: self.sort,
            ..ShipmentFilter::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> ShipmentFilter {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        ShipmentFilter::from_query(|key| map.get(key).cloned())
    }

    #[test]
    fn an_empty_query_is_the_all_tab_newest_first() {
        let filter = parse(&[]);
        assert_eq!(filter, ShipmentFilter::default());
        assert!(filter.to_query().is_empty());
        let api: Vec<(&str, String)> = filter.to_page_query(50, None).to_pairs();
        assert_eq!(
            api,
            vec![
                ("sort", "created_at".to_owned()),
                ("order", "desc".to_owned()),
                ("limit", "50".to_owned()),
            ]
        );
    }

    #[test]
    fn every_field_survives_the_round_trip() {
        let filter = ShipmentFilter {
            status: Some(Status::InTransit),
            delivery: Some(DeliveryMethod::Partner),
            provider: "China Post".to_owned(),
            city: "Kazan".to_owned(),
            search: "Phone case".to_owned(),
            sort: Sort {
                key: SortKey::ShipBy,
                order: SortOrder::Asc,
            },
        };
        let pairs = filter.to_query();
        let as_str: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(
            as_str,
            vec![
                ("status", "in_transit"),
                ("delivery", "partner"),
                ("provider", "China Post"),
                ("city", "Kazan"),
                ("q", "Phone case"),
                ("sort", "ship_by"),
                ("order", "asc"),
            ]
        );
        assert_eq!(parse(&as_str), filter);
    }

    #[test]
    fn unknown_values_fall_back_to_defaults_and_blank_text_is_dropped() {
        let filter = parse(&[
            ("status", "lost"),
            ("delivery", "pigeon"),
            ("sort", "price"),
            ("order", "sideways"),
            ("q", "   "),
        ]);
        assert_eq!(filter, ShipmentFilter::default());
        assert!(!filter.narrows());
    }

    #[test]
    fn clearing_keeps_the_tab_and_the_sort() {
        let filter = parse(&[
            ("status", "delivered"),
            ("city", "Kazan"),
            ("sort", "created_at"),
        ]);
        assert!(filter.narrows());
        let cleared = filter.cleared();
        assert_eq!(cleared.status, Some(Status::Delivered));
        assert_eq!(cleared.sort.key, SortKey::CreatedAt);
        assert!(!cleared.narrows());
    }

    #[test]
    fn a_provider_alone_narrows_the_list_and_reaches_the_api_as_given() {
        let filter = parse(&[("provider", " Cainiao "), ("status", "in_transit")]);
        assert_eq!(filter.provider, "Cainiao");
        assert!(filter.narrows());
        assert!(
            filter
                .to_page_query(50, None)
                .to_pairs()
                .contains(&("provider", "Cainiao".to_owned()))
        );
        // Each tab counts under the same provider.
        assert_eq!(filter.with_status(None).provider, "Cainiao");
        assert_eq!(filter.cleared().provider, "");
        assert!(
            parse(&[("provider", "  ")])
                .to_query()
                .iter()
                .all(|(key, _)| *key != "provider")
        );
    }

    #[test]
    fn the_counts_drop_the_tab_and_the_sort() {
        let filter = parse(&[
            ("status", "delivered"),
            ("city", "Kazan"),
            ("sort", "ship_by"),
        ]);
        assert_eq!(
            filter.to_counts_query().to_pairs(),
            vec![("city", "Kazan".to_owned())]
        );
    }
}

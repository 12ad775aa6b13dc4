//! The query of the shipment list (`GET /shipments`) and of its tab counts
//! (`GET /shipments/counts`, which takes the list's filters but the status): one typed value, one
//! encoding into query pairs ([`ShipmentQuery::to_pairs`]) and one parser of them
//! ([`ShipmentQuery::parse`]). The app builds its requests and its own URL with the first, the
//! server reads requests with the second, so the two cannot drift apart. The names are
//! `crate::api::list`'s, the limits `crate::limits`'.

use crate::api::list as names;
use crate::code::codes;
use crate::limits::{DEFAULT_PAGE_LIMIT, MAX_LIST_TEXT_CHARS, MAX_PAGE_LIMIT, parse_page_limit};
use crate::param::ParamError;
use crate::wire::MatchFilter;
use crate::{DeliveryMethod, Status};

codes! {
    /// What the list is sorted by.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum SortKey {
        ShipBy = "ship_by",
        CreatedAt = "created_at",
    }
}

codes! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum SortOrder {
        Asc = "asc",
        Desc = "desc",
    }
}

/// A sort key with its direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Sort {
    pub key: SortKey,
    pub order: SortOrder,
}

impl Sort {
    /// What the server sorts by when a query names no sort or no order.
    pub const API_DEFAULT: Sort = Sort {
        key: SortKey::ShipBy,
        order: SortOrder::Asc,
    };

    /// The orders a seller can choose, in the picker's order.
    pub const CHOICES: [Sort; 4] = [
        Sort {
            key: SortKey::CreatedAt,
            order: SortOrder::Desc,
        },
        Sort {
            key: SortKey::CreatedAt,
            order: SortOrder::Asc,
        },
        Sort {
            key: SortKey::ShipBy,
            order: SortOrder::Asc,
        },
        Sort {
            key: SortKey::ShipBy,
            order: SortOrder::Desc,
        },
    ];

    /// A single token (`ship_by:asc`), for a form control that holds one value.
    pub fn token(self) -> String {
        format!("{}:{}", self.key.code(), self.order.code())
    }

    pub fn from_token(token: &str) -> Option<Sort> {
        let (key, order) = token.split_once(':')?;
        Some(Sort {
            key: SortKey::from_code(key)?,
            order: SortOrder::from_code(order)?,
        })
    }
}

/// Which endpoint a query string is for: the counts take only the narrowing filters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// `GET /shipments`: every parameter.
    List,
    /// `GET /shipments/counts`: `delivery`, `provider`, `city` and `q`.
    Counts,
}

impl Scope {
    /// Whether a query for this endpoint may hold the parameter `name`.
    pub fn takes(self, name: &str) -> bool {
        match self {
            Scope::List => true,
            Scope::Counts => matches!(
                name,
                names::DELIVERY | names::PROVIDER | names::CITY | names::Q
            ),
        }
    }
}

/// One request of the shipment list: what it shows, in which order, and which page.
///
/// Absent parts stay `None` so that a query reads back exactly as written; [`ShipmentQuery::sort`]
/// and [`ShipmentQuery::limit`] say what the server does without them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ShipmentQuery {
    /// The narrowing filters, the same typed filter the bulk requests carry. Text is trimmed and
    /// blank text absent; statuses are distinct.
    pub filter: MatchFilter,
    pub sort: Option<SortKey>,
    pub order: Option<SortOrder>,
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page; opaque here, the server reads it.
    pub cursor: Option<String>,
}

impl ShipmentQuery {
    /// The sort in effect, the server's default filling what is absent.
    pub fn sort(&self) -> Sort {
        Sort {
            key: self.sort.unwrap_or(Sort::API_DEFAULT.key),
            order: self.order.unwrap_or(Sort::API_DEFAULT.order),
        }
    }

    /// The page size in effect.
    pub fn limit(&self) -> u32 {
        self.limit.unwrap_or(DEFAULT_PAGE_LIMIT)
    }

    /// The query as pairs, absent parts left out, in a fixed order: statuses comma-separated.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        let filter = &self.filter;
        if !filter.status.is_empty() {
            let codes: Vec<&str> = filter.status.iter().map(|s| s.code()).collect();
            pairs.push((names::STATUS, codes.join(",")));
        }
        if let Some(method) = filter.delivery {
            pairs.push((names::DELIVERY, method.code().to_owned()));
        }
        let texts = [
            (names::PROVIDER, &filter.provider),
            (names::CITY, &filter.city),
            (names::Q, &filter.q),
        ];
        for (name, value) in texts {
            if let Some(value) = value {
                pairs.push((name, value.clone()));
            }
        }
        if let Some(sort) = self.sort {
            pairs.push((names::SORT, sort.code().to_owned()));
        }
        if let Some(order) = self.order {
            pairs.push((names::ORDER, order.code().to_owned()));
        }
        if let Some(limit) = self.limit {
            pairs.push((names::LIMIT, limit.to_string()));
        }
        if let Some(cursor) = &self.cursor {
            pairs.push((names::CURSOR, cursor.clone()));
        }
        pairs
    }

    /// Reads a query string's pairs for `scope`. Empty values count as absent (a form sends all
    /// its fields), except `limit`, which when given is a plain integer as the document says.
    /// Unknown and repeated parameters and bad values are refused, naming the parameter.
    pub fn parse<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
        scope: Scope,
    ) -> Result<ShipmentQuery, ParamError> {
        let mut query = ShipmentQuery::default();
        let mut seen: Vec<&str> = Vec::new();
        for (name, raw) in pairs {
            if !scope.takes(name) || !names::ALL.contains(&name) {
                return Err(ParamError::new(name, "is not a parameter of this endpoint"));
            }
            if seen.contains(&name) {
                return Err(ParamError::new(name, "is given more than once"));
            }
            seen.push(name);
            if name == names::LIMIT {
                query.limit = Some(parse_page_limit(raw).ok_or_else(|| {
                    ParamError::new(
                        name,
                        format!("{raw:?} is not a number from 1 to {MAX_PAGE_LIMIT}"),
                    )
                })?);
                continue;
            }
            let value = raw.trim();
            if value.is_empty() {
                continue;
            }
            match name {
                names::STATUS => query.filter.status = statuses(value)?,
                names::DELIVERY => {
                    query.filter.delivery =
                        Some(DeliveryMethod::from_code(value).ok_or_else(|| {
                            ParamError::new(
                                name,
                                format!("{value:?} is not a delivery method code"),
                            )
                        })?);
                }
                names::PROVIDER => query.filter.provider = checked_text(name, Some(value))?,
                names::CITY => query.filter.city = checked_text(name, Some(value))?,
                names::Q => query.filter.q = checked_text(name, Some(value))?,
                names::SORT => {
                    query.sort = Some(SortKey::from_code(value).ok_or_else(|| {
                        ParamError::new(name, format!("{value:?} is not {}", one_of(&SortKey::ALL)))
                    })?);
                }
                names::ORDER => {
                    query.order = Some(SortOrder::from_code(value).ok_or_else(|| {
                        ParamError::new(
                            name,
                            format!("{value:?} is not {}", one_of(&SortOrder::ALL)),
                        )
                    })?);
                }
                names::CURSOR => query.cursor = Some(value.to_owned()),
                _ => return Err(ParamError::new(name, "is not a parameter of this endpoint")),
            }
        }
        Ok(query)
    }

    /// The list of every shipment a typed filter matches (the bulk requests'), its text checked
    /// and normalised as [`ShipmentQuery::parse`] would.
    pub fn matching(filter: &MatchFilter) -> Result<ShipmentQuery, ParamError> {
        let mut status: Vec<Status> = Vec::new();
        for &s in &filter.status {
            if !status.contains(&s) {
                status.push(s);
            }
        }
        Ok(ShipmentQuery {
            filter: MatchFilter {
                status,
                delivery: filter.delivery,
                provider: checked_text(names::PROVIDER, filter.provider.as_deref())?,
                city: checked_text(names::CITY, filter.city.as_deref())?,
                q: checked_text(names::Q, filter.q.as_deref())?,
            },
            ..ShipmentQuery::default()
        })
    }
}

/// `a or b` over a code table, for the messages.
fn one_of<T: crate::code::Code>(all: &[T]) -> String {
    let codes: Vec<&str> = all.iter().map(|c| c.code()).collect();
    codes.join(" or ")
}

/// Comma-separated status codes, each once: a list of repeats reads as its distinct statuses (at
/// most six), however long it is.
fn statuses(list: &str) -> Result<Vec<Status>, ParamError> {
    let mut statuses: Vec<Status> = Vec::new();
    for code in list.split(',') {
        let status = Status::from_code(code.trim()).ok_or_else(|| {
            ParamError::new(names::STATUS, format!("{code:?} is not a status code"))
        })?;
        if !statuses.contains(&status) {
            statuses.push(status);
        }
    }
    Ok(statuses)
}

/// A text filter trimmed, blank as absent, refused when too long or holding control characters.
fn checked_text(name: &str, value: Option<&str>) -> Result<Option<String>, ParamError> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if value.chars().count() > MAX_LIST_TEXT_CHARS {
        return Err(ParamError::new(
            name,
            format!("is longer than {MAX_LIST_TEXT_CHARS} characters"),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(ParamError::new(name, "contains control characters"));
    }
    Ok(Some(value.to_owned()))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn parse(pairs: &[(&str, &str)], scope: Scope) -> Result<ShipmentQuery, ParamError> {
        ShipmentQuery::parse(pairs.iter().copied(), scope)
    }

    fn round_trip(query: &ShipmentQuery) -> Result<ShipmentQuery, ParamError> {
        let pairs = query.to_pairs();
        ShipmentQuery::parse(pairs.iter().map(|(k, v)| (*k, v.as_str())), Scope::List)
    }

    #[test]
    fn every_part_survives_the_round_trip() {
        let query = ShipmentQuery {
            filter: MatchFilter {
                status: vec![Status::InTransit, Status::Delivered],
                delivery: Some(DeliveryMethod::Partner),
                provider: Some("China Post".to_owned()),
                city: Some("Kazan".to_owned()),
                q: Some("Phone case".to_owned()),
            },
            sort: Some(SortKey::CreatedAt),
            order: Some(SortOrder::Desc),
            limit: Some(20),
            cursor: Some("abc".to_owned()),
        };
        let pairs = query.to_pairs();
        let names: Vec<&str> = pairs.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            names,
            [
                "status", "delivery", "provider", "city", "q", "sort", "order", "limit", "cursor"
            ]
        );
        assert_eq!(pairs[0].1, "in_transit,delivered");
        assert_eq!(round_trip(&query), Ok(query));
    }

    #[test]
    fn absent_parts_take_the_servers_defaults() {
        let query = parse(&[], Scope::List).expect("accepted");
        assert_eq!(query, ShipmentQuery::default());
        assert!(query.to_pairs().is_empty());
        assert_eq!(query.sort(), Sort::API_DEFAULT);
        assert_eq!(query.limit(), DEFAULT_PAGE_LIMIT);
        let blank = parse(&[("q", "  "), ("status", ""), ("sort", " ")], Scope::List);
        assert_eq!(blank, Ok(ShipmentQuery::default()));
    }

    #[test]
    fn bad_values_name_their_parameter() {
        let long = "x".repeat(MAX_LIST_TEXT_CHARS + 1);
        for (pairs, parameter) in [
            (vec![("status", "lost")], "status"),
            (vec![("status", "in_transit,bogus")], "status"),
            (vec![("delivery", "pigeon")], "delivery"),
            (vec![("sort", "price")], "sort"),
            (vec![("order", "sideways")], "order"),
            (vec![("limit", "0")], "limit"),
            (vec![("limit", "201")], "limit"),
            (vec![("limit", "")], "limit"),
            (vec![("limit", "ten")], "limit"),
            (vec![("page", "2")], "page"),
            (vec![("q", long.as_str())], "q"),
            (vec![("city", "Ka\u{7}zan")], "city"),
            (vec![("city", "a"), ("city", "b")], "city"),
        ] {
            let error = parse(&pairs, Scope::List).expect_err("refused");
            assert_eq!(error.parameter, parameter, "{pairs:?}");
        }
    }

    #[test]
    fn the_counts_take_only_the_narrowing_filters() {
        for name in ["status", "sort", "order", "limit", "cursor"] {
            let error = parse(&[(name, "x")], Scope::Counts).expect_err("refused");
            assert_eq!(error.parameter, name);
        }
        let query = parse(
            &[("delivery", "seller"), ("city", " Kazan ")],
            Scope::Counts,
        );
        assert_eq!(query.map(|q| q.filter.city), Ok(Some("Kazan".to_owned())));
    }

    #[test]
    fn repeated_statuses_read_once_and_a_typed_filter_is_checked_alike() {
        let query = parse(
            &[("status", "delivered, delivered,in_transit")],
            Scope::List,
        );
        assert_eq!(
            query.map(|q| q.filter.status),
            Ok(vec![Status::Delivered, Status::InTransit])
        );
        let typed = MatchFilter {
            status: vec![Status::Delivered, Status::Delivered],
            q: Some("  ".to_owned()),
            city: Some(" Kazan ".to_owned()),
            ..MatchFilter::default()
        };
        let query = ShipmentQuery::matching(&typed).expect("accepted");
        assert_eq!(query.filter.status, vec![Status::Delivered]);
        assert_eq!(query.filter.q, None);
        assert_eq!(query.filter.city.as_deref(), Some("Kazan"));
        let bad = MatchFilter {
            provider: Some("x".repeat(MAX_LIST_TEXT_CHARS + 1)),
            ..MatchFilter::default()
        };
        assert_eq!(
            ShipmentQuery::matching(&bad).map_err(|e| e.parameter),
            Err("provider".to_owned())
        );
    }

    #[test]
    fn sort_tokens_name_each_choice_once() {
        for sort in Sort::CHOICES {
            assert_eq!(Sort::from_token(&sort.token()), Some(sort));
        }
        assert_eq!(Sort::from_token("ship_by"), None);
        assert_eq!(Sort::from_token("ship_by:sideways"), None);
    }

    /// Text as the parser leaves it: trimmed, not blank, no control characters, within the limit.
    fn text() -> impl Strategy<Value = Option<String>> {
        proptest::option::of(
            "[a-zA-Z0-9,:&=%+ äöéЖ漢-]{1,40}"
                .prop_map(|s| s.trim().to_owned())
                .prop_filter("not blank", |s| !s.is_empty()),
        )
    }

    fn query() -> impl Strategy<Value = ShipmentQuery> {
        (
            proptest::sample::subsequence(Status::ALL.to_vec(), 0..=Status::ALL.len()),
            proptest::option::of(proptest::sample::select(DeliveryMethod::ALL.to_vec())),
            (text(), text(), text()),
            proptest::option::of(proptest::sample::select(SortKey::ALL.to_vec())),
            proptest::option::of(proptest::sample::select(SortOrder::ALL.to_vec())),
            proptest::option::of(1..=MAX_PAGE_LIMIT),
            proptest::option::of("[A-Za-z0-9_-]{1,30}"),
        )
            .prop_map(
                |(status, delivery, (provider, city, q), sort, order, limit, cursor)| {
                    ShipmentQuery {
                        filter: MatchFilter {
                            status,
                            delivery,
                            provider,
                            city,
                            q,
                        },
                        sort,
                        order,
                        limit,
                        cursor,
                    }
                },
            )
    }

    proptest! {
        #[test]
        fn encoding_then_parsing_gives_the_query_back(query in query()) {
            prop_assert_eq!(round_trip(&query), Ok(query));
        }

        #[test]
        fn a_typed_filter_reads_as_its_encoding(query in query()) {
            let typed = ShipmentQuery::matching(&query.filter);
            let filter_only = ShipmentQuery { filter: query.filter.clone(), ..ShipmentQuery::default() };
            prop_assert_eq!(typed, Ok(filter_only));
        }
    }
}

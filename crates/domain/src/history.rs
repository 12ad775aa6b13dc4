//! The cancellation history (`GET /api/v1/history`): its entries, its filters and how a filter is
//! read from and written to a query string. The server parses with [`HistoryQuery::parse`], the app
//! builds its requests and its own URL with [`HistoryFilter::to_pairs`]: one spelling of each name
//! (`crate::api::history`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::code::codes;

use crate::api::history as names;
use crate::param::ParamError;
use crate::partial::CancelItem;
use crate::timestamp;
use crate::{CancellationState, Initiator, Reason};

codes! {
    /// What an entry of the history is.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub enum HistoryKind {
        /// A request to the provider, not answered yet.
        Requested = "requested",
        /// The provider refused the request.
        Rejected = "rejected",
        CancelledBySeller = "cancelled_by_seller",
        CancelledByCarrier = "cancelled_by_carrier",
        /// Some products of the shipment were cancelled by the seller (`crate::partial`); the
        /// shipment goes on with the rest.
        PartiallyCancelled = "partially_cancelled",
    }
}

impl HistoryKind {
    /// The kind of a cancellation in this state, started by this party; `partial` when it
    /// cancelled some products only.
    pub fn of(state: CancellationState, initiator: Initiator, partial: bool) -> HistoryKind {
        if partial {
            return HistoryKind::PartiallyCancelled;
        }
        match (state, initiator) {
            (CancellationState::Requested, _) => HistoryKind::Requested,
            (CancellationState::Rejected, _) => HistoryKind::Rejected,
            (CancellationState::Cancelled, Initiator::Seller) => HistoryKind::CancelledBySeller,
            (CancellationState::Cancelled, Initiator::Carrier) => HistoryKind::CancelledByCarrier,
        }
    }

    /// Whether an entry of this kind cancelled some products only.
    pub fn partial(self) -> bool {
        self == HistoryKind::PartiallyCancelled
    }

    /// The state and initiator an entry of this kind has; `None` is any initiator. A partial
    /// cancellation is the seller's and takes effect at once.
    pub fn state(self) -> (CancellationState, Option<Initiator>) {
        match self {
            HistoryKind::PartiallyCancelled => {
                (CancellationState::Cancelled, Some(Initiator::Seller))
            }
            HistoryKind::Requested => (CancellationState::Requested, None),
            HistoryKind::Rejected => (CancellationState::Rejected, None),
            HistoryKind::CancelledBySeller => {
                (CancellationState::Cancelled, Some(Initiator::Seller))
            }
            HistoryKind::CancelledByCarrier => {
                (CancellationState::Cancelled, Some(Initiator::Carrier))
            }
        }
    }
}

/// One cancellation of one shipment; a shipment whose request was rejected and sent again has two.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryEntry {
    pub posting_number: String,
    pub order_number: String,
    pub kind: HistoryKind,
    pub reason: Option<Reason>,
    pub comment: Option<String>,
    pub initiator: Initiator,
    pub provider: Option<String>,
    pub provider_message: Option<String>,
    #[serde(with = "crate::timestamp")]
    pub requested_at: DateTime<Utc>,
    // Always sent, `null` until decided: no `default`, which would make it optional in the
    // OpenAPI document (and a doc comment here would become its description there).
    #[serde(with = "crate::timestamp::option")]
    pub decided_at: Option<DateTime<Utc>>,
    /// The products a partial cancellation took out, in the order it named them; empty for a
    /// whole cancellation.
    #[serde(default)]
    pub items: Vec<CancelItem>,
}

/// The items of an entry as the CSV export writes them: `SKUxQUANTITY`, separated by spaces
/// (`1001x2 1002x1`), codes rather than words so that any locale reads them.
pub fn items_text(items: &[CancelItem]) -> String {
    items
        .iter()
        .map(|item| format!("{}x{}", item.sku, item.quantity))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `GET /api/v1/history`: newest request first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HistoryPage {
    pub items: Vec<HistoryEntry>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
    /// Entries matching the filters, over all pages.
    pub total: u64,
}

/// What the history shows: every filter is optional, and they combine with "and".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HistoryFilter {
    pub kind: Option<HistoryKind>,
    pub reason: Option<Reason>,
    pub initiator: Option<Initiator>,
    /// The first day (UTC) whose requests are shown.
    pub from: Option<NaiveDate>,
    /// The last day (UTC) whose requests are shown.
    pub to: Option<NaiveDate>,
}

impl HistoryFilter {
    /// The filter as query pairs, the absent ones left out, in a fixed order.
    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        if let Some(kind) = self.kind {
            pairs.push((names::KIND, kind.code().to_owned()));
        }
        if let Some(reason) = self.reason {
            pairs.push((names::REASON, reason.code().to_owned()));
        }
        if let Some(initiator) = self.initiator {
            pairs.push((names::INITIATOR, initiator.code().to_owned()));
        }
        if let Some(from) = self.from {
            pairs.push((names::FROM, timestamp::write_day(from)));
        }
        if let Some(to) = self.to {
            pairs.push((names::TO, timestamp::write_day(to)));
        }
        pairs
    }

    /// The first instant shown, inclusive.
    pub fn from_instant(&self) -> Option<DateTime<Utc>> {
        self.from
            .and_then(|day| day.and_hms_opt(0, 0, 0))
            .map(|at| at.and_utc())
    }

    /// The first instant no longer shown (the midnight after `to`), exclusive.
    pub fn until_instant(&self) -> Option<DateTime<Utc>> {
        self.to
            .and_then(|day| day.succ_opt())
            .and_then(|day| day.and_hms_opt(0, 0, 0))
            .map(|at| at.and_utc())
    }

    /// Reads one filter parameter into `self`; `Ok(false)` when `name` is not a filter's.
    fn read(&mut self, name: &str, value: &str) -> Result<bool, ParamError> {
        let date = |value: &str| {
            timestamp::parse_day(value).map_err(|error| ParamError::new(name, error.to_string()))
        };
        match name {
            names::KIND => {
                self.kind = Some(HistoryKind::from_code(value).ok_or_else(|| {
                    ParamError::new(name, format!("{value:?} is not a kind of cancellation"))
                })?);
            }
            names::REASON => {
                self.reason = Some(Reason::from_code(value).ok_or_else(|| {
                    ParamError::new(name, format!("{value:?} is not a reason code"))
                })?);
            }
            names::INITIATOR => {
                self.initiator = Some(Initiator::from_code(value).ok_or_else(|| {
                    ParamError::new(name, format!("{value:?} is not seller or carrier"))
                })?);
            }
            names::FROM => self.from = Some(date(value)?),
            names::TO => self.to = Some(date(value)?),
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// A range the wrong way round is refused.
    fn check(&self) -> Result<(), ParamError> {
        match (self.from, self.to) {
            (Some(from), Some(to)) if from > to => Err(ParamError::new(
                names::TO,
                format!(
                    "{} is before {} {}",
                    timestamp::write_day(to),
                    names::FROM,
                    timestamp::write_day(from)
                ),
            )),
            _ => Ok(()),
        }
    }
}

/// A request for one page of the history (or, without paging, its export).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryQuery {
    pub filter: HistoryFilter,
    pub limit: u32,
    /// Opaque; the server checks it.
    pub cursor: Option<String>,
}

impl HistoryQuery {
    /// Reads a query string's pairs. Empty values count as absent; unknown or repeated parameters
    /// and bad values are refused, naming the parameter. `paged` is false for the export, which
    /// takes no `limit` or `cursor`.
    pub fn parse<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
        paged: bool,
    ) -> Result<HistoryQuery, ParamError> {
        let mut query = HistoryQuery {
            filter: HistoryFilter::default(),
            limit: names::DEFAULT_LIMIT,
            cursor: None,
        };
        let mut seen: Vec<&str> = Vec::new();
        for (name, value) in pairs {
            if seen.contains(&name) {
                return Err(ParamError::new(name, "is given more than once"));
            }
            seen.push(name);
            if paged && name == names::LIMIT {
                // As the list's: when given, a plain integer (the document's `integer`).
                query.limit = crate::limits::parse_page_limit(value).ok_or_else(|| {
                    ParamError::new(
                        name,
                        format!("{value:?} is not a number from 1 to {}", names::MAX_LIMIT),
                    )
                })?;
                continue;
            }
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            if query.filter.read(name, value)? {
                continue;
            }
            match name {
                names::CURSOR if paged => query.cursor = Some(value.to_owned()),
                _ => return Err(ParamError::new(name, "is not a parameter of this endpoint")),
            }
        }
        query.filter.check()?;
        Ok(query)
    }

    pub fn to_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = self.filter.to_pairs();
        pairs.push((names::LIMIT, self.limit.to_string()));
        if let Some(cursor) = &self.cursor {
            pairs.push((names::CURSOR, cursor.clone()));
        }
        pairs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> Result<HistoryQuery, ParamError> {
        HistoryQuery::parse(pairs.iter().copied(), true)
    }

    #[test]
    fn a_filter_round_trips_through_its_pairs() {
        let query = HistoryQuery {
            filter: HistoryFilter {
                kind: Some(HistoryKind::Rejected),
                reason: Some(Reason::Other),
                initiator: Some(Initiator::Carrier),
                from: NaiveDate::from_ymd_opt(2026, 11, 1),
                to: NaiveDate::from_ymd_opt(2026, 11, 30),
            },
            limit: 20,
            cursor: Some("abc".to_owned()),
        };
        let pairs = query.to_pairs();
        let back = parse(
            &pairs
                .iter()
                .map(|(k, v)| (*k, v.as_str()))
                .collect::<Vec<_>>(),
        );
        assert_eq!(back, Ok(query));
    }

    #[test]
    fn bad_values_name_their_parameter() {
        for (pairs, parameter) in [
            (vec![("kind", "lost")], "kind"),
            (vec![("reason", "bored")], "reason"),
            (vec![("initiator", "buyer")], "initiator"),
            (vec![("from", "2026-13-01")], "from"),
            (vec![("to", "yesterday")], "to"),
            (vec![("from", "2026-11-20"), ("to", "2026-11-19")], "to"),
            (vec![("limit", "0")], "limit"),
            (vec![("limit", "201")], "limit"),
            (vec![("limit", "")], "limit"),
            (vec![("limit", "+5")], "limit"),
            (vec![("sort", "x")], "sort"),
            (vec![("kind", "rejected"), ("kind", "requested")], "kind"),
        ] {
            let error = parse(&pairs).expect_err("refused");
            assert_eq!(error.parameter, parameter, "{pairs:?}");
        }
    }

    #[test]
    fn the_export_takes_no_paging_and_empty_values_are_absent() {
        let error = HistoryQuery::parse([("cursor", "x")], false).expect_err("refused");
        assert_eq!(error.parameter, "cursor");
        let query = parse(&[("kind", ""), ("from", " ")]).expect("accepted");
        assert_eq!(query.filter, HistoryFilter::default());
        assert_eq!(query.limit, names::DEFAULT_LIMIT);
    }

    #[test]
    fn the_range_includes_both_days() {
        let filter = HistoryFilter {
            from: NaiveDate::from_ymd_opt(2026, 11, 20),
            to: NaiveDate::from_ymd_opt(2026, 11, 20),
            ..HistoryFilter::default()
        };
        assert_eq!(
            filter.from_instant().map(|at| at.to_rfc3339()),
            Some("2026-11-20T00:00:00+00:00".to_owned())
        );
        assert_eq!(
            filter.until_instant().map(|at| at.to_rfc3339()),
            Some("2026-11-21T00:00:00+00:00".to_owned())
        );
    }

    #[test]
    fn kinds_round_trip_and_follow_state_and_initiator() {
        for kind in HistoryKind::ALL {
            assert_eq!(HistoryKind::from_code(kind.code()), Some(kind));
            let (state, initiator) = kind.state();
            assert_eq!(
                HistoryKind::of(
                    state,
                    initiator.unwrap_or(Initiator::Seller),
                    kind.partial()
                ),
                kind
            );
        }
    }

    #[test]
    fn items_are_written_as_codes() {
        let item = |sku: &str, quantity| CancelItem {
            sku: sku.to_owned(),
            quantity,
        };
        assert_eq!(
            items_text(&[item("1001", 2), item("1002", 1)]),
            "1001x2 1002x1"
        );
        assert_eq!(items_text(&[]), "");
    }

    fn day() -> impl proptest::strategy::Strategy<Value = Option<NaiveDate>> {
        use proptest::prelude::*;
        proptest::option::of((2000i32..2100, 1u32..=12, 1u32..=28))
            .prop_map(|d| d.and_then(|(y, m, day)| NaiveDate::from_ymd_opt(y, m, day)))
    }

    proptest::proptest! {
        #[test]
        fn any_query_round_trips_through_its_pairs(
            kind in proptest::option::of(proptest::sample::select(HistoryKind::ALL.to_vec())),
            reason in proptest::option::of(proptest::sample::select(Reason::ALL.to_vec())),
            initiator in proptest::option::of(proptest::sample::select(Initiator::ALL.to_vec())),
            days in (day(), day()),
            limit in 1..=names::MAX_LIMIT,
            cursor in proptest::option::of("[A-Za-z0-9_-]{1,30}"),
        ) {
            // A range the wrong way round is refused, so the generated one is put in order.
            let (from, to) = match days {
                (Some(a), Some(b)) if a > b => (Some(b), Some(a)),
                other => other,
            };
            let query = HistoryQuery {
                filter: HistoryFilter { kind, reason, initiator, from, to },
                limit,
                cursor,
            };
            let pairs = query.to_pairs();
            let back = HistoryQuery::parse(pairs.iter().map(|(k, v)| (*k, v.as_str())), true);
            proptest::prop_assert_eq!(back, Ok(query));
        }
    }
}

//! The shipment list's planner: which index a page walks or which matches it looks up, the SQL
//! of a page and of the tab counts. The routes hand it a [`ListRequest`], read from the typed
//! `domain::ShipmentQuery`.

use domain::wire::{MatchFilter, ShipmentPage, StatusCount, StatusCounts};
use domain::{DeliveryMethod, SearchText, ShipmentQuery, SortKey, SortOrder, Status};
use rusqlite::params_from_iter;
use rusqlite::types::Value;

use crate::cursor::Cursor;
use crate::db::to_millis;
use crate::error::{ApiError, ApiResult};
use crate::search::{self, Condition, MATCH_DRIVEN_MAX, Search};
use crate::store::shipments::{self, SHIPMENT_COLUMNS};

/// A list request as the planner uses it: defaults filled in, the city folded to lower case, the
/// search prepared and the cursor read.
#[derive(Debug)]
pub struct ListRequest {
    statuses: Vec<Status>,
    delivery: Option<DeliveryMethod>,
    /// Exactly as `GET /providers` names it.
    provider: Option<String>,
    city: Option<String>,
    q: Option<SearchText>,
    sort: SortKey,
    order: SortOrder,
    limit: u32,
    cursor: Option<Cursor>,
}

impl ListRequest {
    /// The request of a parsed query; a cursor from another sort or order, or not from this
    /// server, is a 400.
    pub fn new(query: ShipmentQuery) -> ApiResult<ListRequest> {
        let sort = query.sort();
        let limit = query.limit();
        let cursor = query
            .cursor
            .as_deref()
            .map(|c| Cursor::decode(c, sort.key, sort.order))
            .transpose()?;
        let filter = query.filter;
        Ok(ListRequest {
            statuses: filter.status,
            delivery: filter.delivery,
            // Providers are names the server gave (GET /providers), compared exactly; the city and
            // the search are typed, so they ignore case.
            provider: filter.provider,
            city: filter.city.map(|c| c.to_lowercase()),
            q: filter.q.and_then(|q| SearchText::new(&q)),
            sort: sort.key,
            order: sort.order,
            limit,
            cursor,
        })
    }

    /// Every shipment a typed filter matches, the first `limit` in the list's default order (a
    /// limit past the list's own maximum is the caller's to bound).
    pub fn matching(filter: &MatchFilter, limit: u32) -> ApiResult<ListRequest> {
        // The filter is a body's `filter` field, so the problem names the field under it.
        let query = ShipmentQuery::matching(filter).map_err(|error| {
            ApiError::parameter(domain::ParamError {
                parameter: format!("filter.{}", error.parameter),
                ..error
            })
        })?;
        let mut request = ListRequest::new(query)?;
        request.limit = limit;
        Ok(request)
    }
}

/// The tabs' numbers: one grouped count over the index that the other filters lead (each also
/// holds the status), or over the search's matches.
pub fn status_counts(
    conn: &rusqlite::Connection,
    seller_id: &str,
    request: &ListRequest,
) -> ApiResult<StatusCounts> {
    let (mut filter, seller_only) = filter_condition(seller_id, request);
    if let Some(q) = &request.q {
        let search = Search::prepare(conn, seller_id, q.as_str(), &filter, seller_only)?;
        let matches = search.id_condition();
        filter.sql.push_str(&format!(" AND {}", matches.sql));
        filter.values.extend(matches.values);
    }
    let mut statement = conn.prepare_cached(&format!(
        "SELECT s.status, count(*) FROM shipments s WHERE {} GROUP BY s.status",
        filter.sql
    ))?;
    let rows = statement
        .query_map(params_from_iter(filter.values.iter()), |row| {
            Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let statuses: Vec<StatusCount> = Status::ALL
        .into_iter()
        .map(|status| StatusCount {
            status,
            shipments: rows
                .iter()
                .find(|(code, _)| code == status.code())
                .map_or(0, |(_, n)| u64::try_from(*n).unwrap_or(0)),
        })
        .collect();
    let total = statuses.iter().map(|c| c.shipments).sum();
    Ok(StatusCounts { statuses, total })
}

/// The seller's shipments that the list's filters (other than the search) admit, and whether that
/// is the seller alone.
fn filter_condition(seller_id: &str, request: &ListRequest) -> (Condition, bool) {
    let mut filter = Condition {
        sql: String::from("s.seller_id = ?"),
        values: vec![Value::Text(seller_id.to_owned())],
    };
    if !request.statuses.is_empty() {
        filter.sql.push_str(&format!(
            " AND s.status IN ({})",
            vec!["?"; request.statuses.len()].join(",")
        ));
        filter.values.extend(
            request
                .statuses
                .iter()
                .map(|s| Value::Text(s.code().to_owned())),
        );
    }
    if let Some(method) = request.delivery {
        filter.sql.push_str(" AND s.delivery_method = ?");
        filter.values.push(Value::Text(method.code().to_owned()));
    }
    if let Some(provider) = &request.provider {
        filter.sql.push_str(" AND s.provider = ?");
        filter.values.push(Value::Text(provider.clone()));
    }
    if let Some(city) = &request.city {
        filter.sql.push_str(" AND s.city_key = ?");
        filter.values.push(Value::Text(city.clone()));
    }
    let seller_only = filter.values.len() == 1;
    (filter, seller_only)
}

/// One page of the list, with the total and the cursor of the next.
pub fn list_page(
    conn: &rusqlite::Connection,
    seller_id: &str,
    request: &ListRequest,
) -> ApiResult<ShipmentPage> {
    let (filter, seller_only) = filter_condition(seller_id, request);

    // Without a search, the page walks its sort index, which also holds the filter columns. With one,
    // few matches are looked up and sorted, and many are met soon enough by walking the sort index.
    let (total, source) = match &request.q {
        None => {
            let total: i64 = conn
                .prepare_cached(&format!(
                    "SELECT count(*) FROM shipments s WHERE {}",
                    filter.sql
                ))?
                .query_row(params_from_iter(filter.values.iter()), |row| row.get(0))?;
            // Nothing to find: a walk would read the whole sort index to learn it.
            let source = if total == 0 {
                Source::Nothing
            } else {
                Source::Walk(None)
            };
            (u64::try_from(total).unwrap_or(0), source)
        }
        Some(q) => {
            let search = Search::prepare(conn, seller_id, q.as_str(), &filter, seller_only)?;
            let total = search.count(conn, &filter)?;
            let source = if total == 0 {
                Source::Nothing
            } else if total <= MATCH_DRIVEN_MAX as u64 {
                Source::Matches(search.ids(conn, &filter)?)
            } else {
                Source::Walk(Some(search.row_condition()))
            };
            (total, source)
        }
    };
    let items = match source {
        Source::Nothing => Vec::new(),
        source => page_rows(conn, request, filter, source)?,
    };
    let more = items.len() > request.limit as usize;
    let mut rows = items;
    rows.truncate(request.limit as usize);
    let next_cursor = match rows.last() {
        Some(last) if more => {
            let key = match request.sort {
                SortKey::ShipBy => to_millis(last.shipment.ship_by),
                SortKey::CreatedAt => to_millis(last.shipment.created_at),
            };
            Some(
                Cursor {
                    sort: request.sort,
                    order: request.order,
                    key,
                    id: last.id,
                }
                .encode(),
            )
        }
        _ => None,
    };
    Ok(ShipmentPage {
        items: rows.into_iter().map(|s| s.shipment).collect(),
        next_cursor,
        total,
    })
}

/// Where a page's rows come from.
enum Source {
    Nothing,
    /// Walk the sort index, testing each row (and the search, when there is one).
    Walk(Option<Condition>),
    /// Look up these shipments and sort them.
    Matches(Vec<i64>),
}

/// Up to `limit + 1` rows after the cursor, in the requested order.
fn page_rows(
    conn: &rusqlite::Connection,
    request: &ListRequest,
    filter: Condition,
    source: Source,
) -> ApiResult<Vec<shipments::StoredShipment>> {
    // Some statuses: their own entries in sort order; otherwise every shipment in sort order. Both
    // indexes hold the filter columns; a search's test reads the row anyway.
    let by_status = !request.statuses.is_empty() && matches!(source, Source::Walk(None));
    let (column, index) = match (request.sort, by_status) {
        (SortKey::ShipBy, false) => ("s.ship_by", "shipments_by_ship_by"),
        (SortKey::CreatedAt, false) => ("s.created_at", "shipments_by_created"),
        (SortKey::ShipBy, true) => ("s.ship_by", "shipments_by_status_ship_by"),
        (SortKey::CreatedAt, true) => ("s.created_at", "shipments_by_status_created"),
    };
    let (comparison, direction) = match request.order {
        SortOrder::Asc => (">", "ASC"),
        SortOrder::Desc => ("<", "DESC"),
    };
    let mut values = Vec::new();
    let mut conditions = Vec::new();
    let (access, search) = match source {
        Source::Matches(ids) => {
            conditions.push("s.id IN (SELECT value FROM json_each(?))".to_owned());
            values.push(Value::Text(search::id_list(&ids)));
            // Only the rowid lookups of the matches, never a walk of a whole index.
            ("NOT INDEXED".to_owned(), None)
        }
        Source::Walk(search) => (format!("INDEXED BY {index}"), search),
        Source::Nothing => (format!("INDEXED BY {index}"), None),
    };
    conditions.push(filter.sql);
    values.extend(filter.values);
    if let Some(search) = search {
        conditions.push(search.sql);
        values.extend(search.values);
    }
    if let Some(cursor) = request.cursor {
        conditions.push(format!("({column}, s.id) {comparison} (?, ?)"));
        values.push(Value::Integer(cursor.key));
        values.push(Value::Integer(cursor.id));
    }
    values.push(Value::Integer(i64::from(request.limit) + 1));
    let order = format!("ORDER BY {column} {direction}, s.id {direction}");
    let sql = if by_status {
        // The page's ids first, from the index alone: SQLite merges the statuses' ranges with a sorter
        // that stops early only when it carries nothing but index columns.
        format!(
            "SELECT {SHIPMENT_COLUMNS} FROM shipments s \
             LEFT JOIN cancellations c ON c.id = s.cancellation_id WHERE s.id IN \
             (SELECT s.id FROM shipments s {access} WHERE {} {order} LIMIT ?) {order}",
            conditions.join(" AND ")
        )
    } else {
        format!(
            "SELECT {SHIPMENT_COLUMNS} FROM shipments s {access} \
             LEFT JOIN cancellations c ON c.id = s.cancellation_id WHERE {} {order} LIMIT ?",
            conditions.join(" AND ")
        )
    };
    Ok(shipments::query_shipments(
        conn,
        &sql,
        params_from_iter(values.iter()),
    )?)
}

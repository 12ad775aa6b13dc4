//! The shipment list's planner: which index a page walks or which matches it looks up, the SQL
//! of a page and of the tab counts, one text for SQLite and PostgreSQL (`store/mod.rs`). The routes
//! hand it a [`ListRequest`], read from the typed `domain::ShipmentQuery`.

use domain::wire::{MatchFilter, ShipmentPage, StatusCount, StatusCounts};
use domain::{DeliveryMethod, SearchText, ShipmentQuery, SortKey, SortOrder, Status};
use sqlx::AnyConnection;

use crate::cursor::Cursor;
use crate::db::to_millis;
use crate::error::{ApiError, ApiResult};
use crate::search::{MATCH_DRIVEN_MAX, Matches, Search};
use crate::store::binds::Binds;
use crate::store::dialect::Backend;
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
pub async fn status_counts(
    conn: &mut AnyConnection,
    seller_id: &str,
    request: &ListRequest,
) -> ApiResult<StatusCounts> {
    let backend = Backend::of(conn);
    let filter = Filter::of(seller_id, request);
    let search = match &request.q {
        Some(q) => Some(Search::prepare(conn, seller_id, q.as_str(), &filter).await?),
        None => None,
    };
    let mut binds = Binds::new();
    let mut condition = filter.sql(&mut binds);
    if let Some(search) = &search {
        condition.push_str(" AND ");
        condition.push_str(&search.id_condition(&mut binds, backend));
    }
    let sql = format!(
        "SELECT s.status, count(*) AS n FROM shipments s WHERE {condition} GROUP BY s.status"
    );
    let rows: Vec<(String, i64)> = binds.query_as(sql).fetch_all(&mut *conn).await?;
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

/// The list's filters other than the search: the seller's shipments they admit.
pub struct Filter<'a> {
    seller_id: &'a str,
    statuses: &'a [Status],
    delivery: Option<DeliveryMethod>,
    provider: Option<&'a str>,
    city: Option<&'a str>,
}

impl<'a> Filter<'a> {
    pub fn of(seller_id: &'a str, request: &'a ListRequest) -> Filter<'a> {
        Filter {
            seller_id,
            statuses: &request.statuses,
            delivery: request.delivery,
            provider: request.provider.as_deref(),
            city: request.city.as_deref(),
        }
    }

    /// Every shipment of the seller.
    pub fn seller(seller_id: &'a str) -> Filter<'a> {
        Filter {
            seller_id,
            statuses: &[],
            delivery: None,
            provider: None,
            city: None,
        }
    }

    /// Whether it admits every shipment of the seller.
    pub fn seller_only(&self) -> bool {
        self.statuses.is_empty()
            && self.delivery.is_none()
            && self.provider.is_none()
            && self.city.is_none()
    }

    /// The condition over the shipment `s`, its values added to `binds`.
    pub fn sql(&self, binds: &mut Binds) -> String {
        let mut sql = format!("s.seller_id = {}", binds.text(self.seller_id));
        if !self.statuses.is_empty() {
            let list: Vec<String> = self.statuses.iter().map(|s| binds.text(s.code())).collect();
            sql.push_str(&format!(" AND s.status IN ({})", list.join(",")));
        }
        if let Some(method) = self.delivery {
            sql.push_str(&format!(
                " AND s.delivery_method = {}",
                binds.text(method.code())
            ));
        }
        if let Some(provider) = self.provider {
            sql.push_str(&format!(" AND s.provider = {}", binds.text(provider)));
        }
        if let Some(city) = self.city {
            sql.push_str(&format!(" AND s.city_key = {}", binds.text(city)));
        }
        sql
    }
}

/// One page of the list, with the total and the cursor of the next.
pub async fn list_page(
    conn: &mut AnyConnection,
    seller_id: &str,
    request: &ListRequest,
) -> ApiResult<ShipmentPage> {
    let filter = Filter::of(seller_id, request);

    // Without a search, the page walks its sort index, which also holds the filter columns. With one,
    // few matches are looked up and sorted, and many are met soon enough by walking the sort index.
    let (total, source) = match &request.q {
        None => {
            let mut binds = Binds::new();
            let sql = format!(
                "SELECT count(*) FROM shipments s WHERE {}",
                filter.sql(&mut binds)
            );
            let total: i64 = binds.scalar(sql).fetch_one(&mut *conn).await?;
            // Nothing to find: a walk would read the whole sort index to learn it.
            let source = if total == 0 {
                Source::Nothing
            } else {
                Source::Walk(None)
            };
            (u64::try_from(total).unwrap_or(0), source)
        }
        Some(q) => {
            let search = Search::prepare(conn, seller_id, q.as_str(), &filter).await?;
            let total = search.count(conn, &filter).await?;
            let source = if total == 0 {
                Source::Nothing
            } else if total <= MATCH_DRIVEN_MAX as u64 {
                match search.matches(conn, &filter).await? {
                    Some(matches) => Source::Matches(matches),
                    None => Source::Walk(Some(search)),
                }
            } else {
                Source::Walk(Some(search))
            };
            (total, source)
        }
    };
    let items = match source {
        Source::Nothing => Vec::new(),
        source => page_rows(conn, request, &filter, source).await?,
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
    Walk(Option<Search>),
    /// Look up these shipments and sort them.
    Matches(Matches),
}

/// Up to `limit + 1` rows after the cursor, in the requested order.
async fn page_rows(
    conn: &mut AnyConnection,
    request: &ListRequest,
    filter: &Filter<'_>,
    source: Source,
) -> ApiResult<Vec<shipments::StoredShipment>> {
    let backend = Backend::of(conn);
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
    let mut binds = Binds::new();
    let mut conditions = Vec::new();
    let (access, search) = match source {
        Source::Matches(matches) => {
            conditions.push(matches.condition(&mut binds, backend));
            // Only the rowid lookups of the matches, never a walk of a whole index.
            (backend.not_indexed().to_owned(), None)
        }
        Source::Walk(search) => (backend.indexed_by(index), search),
        Source::Nothing => (backend.indexed_by(index), None),
    };
    conditions.push(filter.sql(&mut binds));
    if let Some(search) = search {
        conditions.push(search.row_condition(&mut binds, backend));
    }
    if let Some(cursor) = request.cursor {
        let key = binds.int(cursor.key);
        let id = binds.int(cursor.id);
        conditions.push(format!("({column}, s.id) {comparison} ({key}, {id})"));
    }
    let limit = binds.int(i64::from(request.limit) + 1);
    let order = format!("ORDER BY {column} {direction}, s.id {direction}");
    let sql = if by_status {
        // The page's ids first, from the index alone: SQLite merges the statuses' ranges with a sorter
        // that stops early only when it carries nothing but index columns.
        format!(
            "SELECT {SHIPMENT_COLUMNS} FROM shipments s \
             LEFT JOIN cancellations c ON c.id = s.cancellation_id WHERE s.id IN \
             (SELECT s.id FROM shipments s {access} WHERE {} {order} LIMIT {limit}) {order}",
            conditions.join(" AND ")
        )
    } else {
        format!(
            "SELECT {SHIPMENT_COLUMNS} FROM shipments s {access} \
             LEFT JOIN cancellations c ON c.id = s.cancellation_id WHERE {} {order} LIMIT {limit}",
            conditions.join(" AND ")
        )
    };
    shipments::ported::query_shipments(conn, binds.query(sql)).await
}

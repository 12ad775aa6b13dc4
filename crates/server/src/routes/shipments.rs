//! `GET /api/v1/shipments` and `GET /api/v1/shipments/{posting_number}`.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use domain::wire::{MatchFilter, ShipmentPage, StatusCount, StatusCounts};
use domain::{DeliveryMethod, SearchText, Shipment, Status};
use rusqlite::params_from_iter;
use rusqlite::types::Value;
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::Seller;
use crate::cursor::{Cursor, Order, SortKey};
use crate::db::to_millis;
use crate::error::{ApiError, ApiResult, Path, Query};
use crate::intent::etag;
use crate::search::{self, Condition, MATCH_DRIVEN_MAX, Search};
use crate::store::shipments::{self, SHIPMENT_COLUMNS};

pub use domain::limits::{
    DEFAULT_PAGE_LIMIT as DEFAULT_LIMIT, MAX_LIST_TEXT_CHARS as MAX_QUERY_CHARS,
    MAX_PAGE_LIMIT as MAX_LIMIT,
};

/// The query string as sent; every value is checked by `ListRequest::parse`, so that a bad one is a 400.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    pub status: Option<String>,
    pub delivery: Option<String>,
    pub provider: Option<String>,
    pub city: Option<String>,
    pub q: Option<String>,
    pub sort: Option<String>,
    pub order: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

#[derive(Debug)]
pub(crate) struct ListRequest {
    statuses: Vec<Status>,
    delivery: Option<DeliveryMethod>,
    /// Exactly as `GET /providers` names it.
    provider: Option<String>,
    city: Option<String>,
    q: Option<SearchText>,
    sort: SortKey,
    order: Order,
    limit: u32,
    cursor: Option<Cursor>,
}

/// An empty parameter counts as absent, so that a form can send all of its fields.
fn present(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

impl ListRequest {
    fn parse(query: ListQuery) -> Result<ListRequest, ApiError> {
        let statuses = match present(query.status) {
            None => Vec::new(),
            Some(list) => {
                let mut statuses: Vec<Status> = Vec::new();
                for code in list.split(',') {
                    let status = Status::from_code(code.trim()).ok_or_else(|| {
                        ApiError::malformed(format!("status {code:?} is not a status code"))
                    })?;
                    // Each status once: a list of repeats plans as its distinct statuses (at most
                    // six), however long it is.
                    if statuses.contains(&status) {
                        continue;
                    }
                    statuses.push(status);
                }
                statuses
            }
        };
        let delivery = present(query.delivery)
            .map(|code| {
                DeliveryMethod::from_code(&code).ok_or_else(|| {
                    ApiError::malformed(format!("delivery {code:?} is not a delivery method code"))
                })
            })
            .transpose()?;
        let text_param = |name: &str, value: Option<String>| -> Result<Option<String>, ApiError> {
            match present(value) {
                Some(v) if v.chars().count() > MAX_QUERY_CHARS => Err(ApiError::malformed(
                    format!("{name} is longer than {MAX_QUERY_CHARS} characters"),
                )),
                Some(v) if v.chars().any(char::is_control) => Err(ApiError::malformed(format!(
                    "{name} contains control characters"
                ))),
                other => Ok(other),
            }
        };
        // Providers are names the server gave (GET /providers), compared exactly; the city and the
        // search are typed, so they ignore case.
        let provider = text_param("provider", query.provider)?;
        let city = text_param("city", query.city)?.map(|v| v.to_lowercase());
        let q = text_param("q", query.q)?.and_then(|v| SearchText::new(&v));
        let sort = match present(query.sort) {
            None => SortKey::ShipBy,
            Some(s) => SortKey::parse(&s).ok_or_else(|| {
                ApiError::malformed(format!("sort {s:?} is not ship_by or created_at"))
            })?,
        };
        let order = match present(query.order) {
            None => Order::Asc,
            Some(o) => Order::parse(&o)
                .ok_or_else(|| ApiError::malformed(format!("order {o:?} is not asc or desc")))?,
        };
        // A number from the client, not a form's text field: when given, it is an integer.
        let limit = match query.limit {
            None => DEFAULT_LIMIT,
            Some(l) => domain::limits::parse_page_limit(&l).ok_or_else(|| {
                ApiError::malformed(format!("limit {l:?} is not a number from 1 to {MAX_LIMIT}"))
            })?,
        };
        let cursor = present(query.cursor)
            .map(|c| Cursor::decode(&c, sort, order))
            .transpose()?;
        Ok(ListRequest {
            statuses,
            delivery,
            provider,
            city,
            q,
            sort,
            order,
            limit,
            cursor,
        })
    }
}

impl ListRequest {
    /// Every shipment a typed filter matches, the first `limit` in the list's default order (a
    /// limit past the list's own maximum is the caller's to bound).
    pub(crate) fn matching(filter: &MatchFilter, limit: u32) -> Result<ListRequest, ApiError> {
        let statuses: Vec<&str> = filter.status.iter().map(|s| s.code()).collect();
        let mut request = ListRequest::parse(ListQuery {
            status: Some(statuses.join(",")),
            delivery: filter.delivery.map(|d| d.code().to_owned()),
            provider: filter.provider.clone(),
            city: filter.city.clone(),
            q: filter.q.clone(),
            ..ListQuery::default()
        })?;
        request.limit = limit;
        Ok(request)
    }
}

/// The query of `GET /shipments/counts`: the list's filters but the status.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountsQuery {
    pub delivery: Option<String>,
    pub provider: Option<String>,
    pub city: Option<String>,
    pub q: Option<String>,
}

/// `GET /api/v1/shipments/counts`: the tabs' numbers in one answer. One grouped count over the
/// index that the other filters lead (each also holds the status), or over the search's matches.
#[utoipa::path(get, path = "/shipments/counts", tag = "shipments", security(("bearer" = [])),
    params(
        ("delivery" = Option<String>, Query, description = "As for GET /shipments"),
        ("provider" = Option<String>, Query, description = "As for GET /shipments"),
        ("city" = Option<String>, Query, description = "As for GET /shipments"),
        ("q" = Option<String>, Query, description = "As for GET /shipments"),
    ),
    responses((status = 200, description = "The seller's shipments per status under these filters", body = crate::openapi::schemas::StatusCounts), (status = 400, description = "Malformed request: unknown parameters, bad values", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json")))]
pub async fn counts(
    State(state): State<AppState>,
    Seller(seller_id): Seller,
    Query(query): Query<CountsQuery>,
) -> ApiResult<Json<StatusCounts>> {
    let request = ListRequest::parse(ListQuery {
        delivery: query.delivery,
        provider: query.provider,
        city: query.city,
        q: query.q,
        ..ListQuery::default()
    })?;
    let counts = state
        .db
        .run(move |conn| status_counts(conn, &seller_id, &request))
        .await?;
    Ok(Json(counts))
}

fn status_counts(
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

/// `GET /api/v1/shipments`: the seller's shipments, filtered, sorted and cut into pages by a keyset cursor.
#[utoipa::path(get, path = "/shipments", tag = "shipments", security(("bearer" = [])),
    params(
        ("status" = Option<String>, Query, description = "Status codes, comma-separated"),
        ("delivery" = Option<String>, Query, description = "Delivery method code: partner, china_post or seller"),
        ("provider" = Option<String>, Query, description = "Delivery provider, exactly as GET /providers names it"),
        ("city" = Option<String>, Query, description = "Destination city, case-insensitive"),
        ("q" = Option<String>, Query, description = "Text search over posting number, order number, product names and SKUs"),
        ("sort" = Option<String>, Query, description = "ship_by (default) or created_at"),
        ("order" = Option<String>, Query, description = "asc (default) or desc"),
        ("limit" = Option<u32>, Query, description = "1 to 200, default 50"),
        ("cursor" = Option<String>, Query, description = "next_cursor of the previous page"),
    ),
    responses((status = 200, description = "One page of the seller's shipments", body = crate::openapi::schemas::ShipmentPage), (status = 400, description = "Malformed request: bad JSON, wrong types, unknown fields, bad parameters", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json")))]
pub async fn list(
    State(state): State<AppState>,
    Seller(seller_id): Seller,
    Query(query): Query<ListQuery>,
) -> ApiResult<Json<ShipmentPage>> {
    let request = ListRequest::parse(query)?;
    let page = state
        .db
        .run(move |conn| list_page(conn, &seller_id, &request))
        .await?;
    Ok(Json(page))
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

pub(crate) fn list_page(
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
        Order::Asc => (">", "ASC"),
        Order::Desc => ("<", "DESC"),
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

/// `GET /api/v1/shipments/{posting_number}`; another seller's shipment is a 404 like a missing one.
#[utoipa::path(get, path = "/shipments/{posting_number}", tag = "shipments", security(("bearer" = [])), params(("posting_number" = String, Path, description = "The shipment's posting number")), responses((status = 200, description = "The shipment; its ETag is its version", body = crate::openapi::schemas::Shipment), (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"), (status = 404, description = "Not found, or another seller's", body = crate::openapi::schemas::Problem, content_type = "application/problem+json")))]
pub async fn get_one(
    State(state): State<AppState>,
    Seller(seller_id): Seller,
    Path(posting_number): Path<String>,
) -> ApiResult<impl IntoResponse> {
    let found = state
        .db
        .run(move |conn| Ok(shipments::find(conn, &seller_id, &posting_number)?))
        .await?;
    let shipment = found
        .map(|s| s.shipment)
        .ok_or_else(|| ApiError::not_found("the shipment"))?;
    Ok((
        [(header::ETAG, etag(&shipment))],
        Json::<Shipment>(shipment),
    ))
}

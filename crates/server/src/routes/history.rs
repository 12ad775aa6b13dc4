//! `GET /api/v1/history` and its CSV export `GET /api/v1/history/export.csv`: the seller's
//! cancellations, newest request first, filtered by kind, reason, initiator and date range.
//!
//! Both read the index `cancellations_by_seller_time` (seller, requested_at, id, state, initiator,
//! reason, partial): a page walks it from the cursor and stops after `limit` matches; the count reads it
//! alone. The export walks the same keyset in batches, each on its own short read, and hands each
//! batch's CSV to the connection as it is written, so its memory does not grow with the history.

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use domain::ParamError;
use domain::api::history as names;
use domain::history::{HistoryEntry, HistoryFilter, HistoryPage, HistoryQuery};
use sha2::{Digest, Sha256};

use crate::auth::Seller;
use crate::error::{ApiError, ApiResult, Query};
use crate::state::AppState;
use crate::store::history::{Position, count, entries};

/// Rows per read of the export: large enough to amortise a query, small enough to stay constant.
pub const EXPORT_BATCH: u32 = 1_000;
/// The UTF-8 byte-order mark, so that Excel reads the file as UTF-8 (Chinese, Russian).
const BOM: &[u8] = "\u{feff}".as_bytes();

/// What a cursor is bound to: a cursor of another seller, another filter or another endpoint is
/// refused rather than silently giving another list's page.
fn binding(seller_id: &str, filter: &HistoryFilter) -> String {
    let mut hash = Sha256::new();
    hash.update(seller_id.as_bytes());
    for (name, value) in filter.to_pairs() {
        hash.update([0]);
        hash.update(name.as_bytes());
        hash.update([1]);
        hash.update(value.as_bytes());
    }
    let digest = hash.finalize();
    URL_SAFE_NO_PAD.encode(&digest[..9])
}

fn encode_cursor(binding: &str, position: Position) -> String {
    URL_SAFE_NO_PAD.encode(format!(
        "h1:{binding}:{}:{}",
        position.requested_at, position.id
    ))
}

fn decode_cursor(text: &str, binding: &str) -> Result<Position, ApiError> {
    let malformed = || {
        ApiError::parameter(ParamError::new(
            names::CURSOR,
            "is not a cursor this server gave out for this history and these filters",
        ))
    };
    let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| malformed())?;
    let text = String::from_utf8(bytes).map_err(|_| malformed())?;
    let mut parts = text.split(':');
    let (Some("h1"), Some(bound), Some(at), Some(id), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(malformed());
    };
    if bound != binding {
        return Err(malformed());
    }
    Ok(Position {
        requested_at: at.parse().map_err(|_| malformed())?,
        id: id.parse().map_err(|_| malformed())?,
    })
}

fn parse(pairs: &[(String, String)], paged: bool) -> ApiResult<HistoryQuery> {
    HistoryQuery::parse(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())), paged)
        .map_err(ApiError::parameter)
}

/// `GET /api/v1/history`.
// Its query parameters are described by `openapi::contract`, from the rules crate's names.
#[utoipa::path(get, path = "/history", tag = "history", security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of the seller's cancellations, newest request first", body = crate::openapi::schemas::HistoryPage),
        (status = 400, description = "A bad parameter, named in `parameter`", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json")))]
pub async fn history(
    State(state): State<AppState>,
    Seller(seller_id): Seller,
    Query(pairs): Query<Vec<(String, String)>>,
) -> ApiResult<axum::Json<HistoryPage>> {
    let query = parse(&pairs, true)?;
    let bound = binding(&seller_id, &query.filter);
    let after = query
        .cursor
        .as_deref()
        .map(|c| decode_cursor(c, &bound))
        .transpose()?;
    let mut conn = state.db.acquire().await?;
    let total = count(&mut conn, &seller_id, &query.filter).await?;
    let mut rows = entries(&mut conn, &seller_id, &query.filter, after, query.limit + 1).await?;
    drop(conn);
    let more = rows.len() > query.limit as usize;
    rows.truncate(query.limit as usize);
    let next_cursor = match rows.last() {
        Some((position, _)) if more => Some(encode_cursor(&bound, *position)),
        _ => None,
    };
    let page = HistoryPage {
        items: rows.into_iter().map(|(_, entry)| entry).collect(),
        next_cursor,
        total,
    };
    Ok(axum::Json(page))
}

/// A field a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage return
/// before one) is prefixed with an apostrophe, as OWASP recommends; the CSV crate quotes the rest.
pub fn neutralise(field: &str) -> std::borrow::Cow<'_, str> {
    if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{field}"))
    } else {
        std::borrow::Cow::Borrowed(field)
    }
}

/// The CSV of some entries (and, first, the BOM and the header), quoted by the `csv` crate.
fn csv_chunk(rows: &[(Position, HistoryEntry)], first: bool) -> ApiResult<Bytes> {
    let mut out = Vec::with_capacity(rows.len() * 160 + 256);
    if first {
        out.extend_from_slice(BOM);
    }
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    let failed = |error: csv::Error| ApiError::internal(&error);
    if first {
        writer.write_record(names::CSV_COLUMNS).map_err(failed)?;
    }
    for (_, entry) in rows {
        let requested = entry.requested_at.to_rfc3339();
        let decided = entry
            .decided_at
            .map(|at| at.to_rfc3339())
            .unwrap_or_default();
        let items = domain::history::items_text(&entry.items);
        let fields = [
            entry.posting_number.as_str(),
            entry.order_number.as_str(),
            entry.kind.code(),
            entry.reason.map(|r| r.code()).unwrap_or_default(),
            entry.comment.as_deref().unwrap_or_default(),
            entry.initiator.code(),
            entry.provider.as_deref().unwrap_or_default(),
            entry.provider_message.as_deref().unwrap_or_default(),
            requested.as_str(),
            decided.as_str(),
            items.as_str(),
        ];
        writer
            .write_record(fields.iter().map(|field| neutralise(field).into_owned()))
            .map_err(failed)?;
    }
    let out = writer
        .into_inner()
        .map_err(|error| ApiError::internal(&error))?;
    Ok(Bytes::from(out))
}

/// Where the export is: the next batch starts after `after`.
struct Export {
    state: AppState,
    seller_id: String,
    filter: HistoryFilter,
    after: Option<Position>,
    first: bool,
    done: bool,
}

/// `GET /api/v1/history/export.csv`: every entry the filters match, as CSV (UTF-8 with a BOM,
/// CRLF, the columns of `domain::api::history::CSV_COLUMNS`), streamed batch by batch.
// Its query parameters are described by `openapi::contract`, from the rules crate's names.
#[utoipa::path(get, path = "/history/export.csv", tag = "history", security(("bearer" = [])),
    responses(
        (status = 200, description = "The CSV file, UTF-8 with a byte-order mark; fields a spreadsheet would run as formulas start with an apostrophe", body = String, content_type = "text/csv"),
        (status = 400, description = "A bad parameter, named in `parameter`", body = crate::openapi::schemas::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing, malformed or expired token", body = crate::openapi::schemas::Problem, content_type = "application/problem+json")))]
pub async fn export_csv(
    State(state): State<AppState>,
    Seller(seller_id): Seller,
    Query(pairs): Query<Vec<(String, String)>>,
) -> ApiResult<Response> {
    let query = parse(&pairs, false)?;
    let export = Export {
        state,
        seller_id,
        filter: query.filter,
        after: None,
        first: true,
        done: false,
    };
    let stream = futures_util::stream::unfold(export, |mut export| async move {
        if export.done {
            return None;
        }
        // Each batch on its own short read: the connection goes back to the pool between batches,
        // however slowly the client takes the file.
        let batch = async {
            let mut conn = export.state.db.acquire().await?;
            let rows = entries(
                &mut conn,
                &export.seller_id,
                &export.filter,
                export.after,
                EXPORT_BATCH,
            )
            .await?;
            drop(conn);
            let last = rows.last().map(|(position, _)| *position);
            let done = rows.len() < EXPORT_BATCH as usize;
            Ok::<_, ApiError>((csv_chunk(&rows, export.first)?, last, done))
        }
        .await;
        match batch {
            Ok((bytes, last, done)) => {
                export.first = false;
                export.after = last.or(export.after);
                export.done = done;
                Some((Ok::<Bytes, std::io::Error>(bytes), export))
            }
            Err(error) => {
                // The status is already sent: end the body with an error, so that the client sees
                // a broken transfer rather than a short file.
                tracing::error!(?error, "the history export failed");
                export.done = true;
                Some((Err(std::io::Error::other("the export failed")), export))
            }
        }
    });
    // Fused: a compressing layer polls the body once more after its end.
    let stream = futures_util::StreamExt::fuse(stream);
    let disposition = format!("attachment; filename=\"{}\"", names::CSV_FILE_NAME);
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&disposition).map_err(|e| ApiError::internal(&e))?,
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use domain::history::HistoryKind;

    use super::*;

    #[test]
    fn formulas_are_neutralised_and_the_rest_left_alone() {
        for danger in ["=1+1", "+7", "-2", "@SUM(A1)", "\t=1", "\r=1"] {
            assert_eq!(neutralise(danger), format!("'{danger}"));
        }
        for plain in ["plain", "1-2", "a=b", "'quoted", "中文", ""] {
            assert_eq!(neutralise(plain), plain);
        }
    }

    #[test]
    fn a_cursor_is_bound_to_its_seller_and_filter() {
        let filter = HistoryFilter::default();
        let position = Position {
            requested_at: 5,
            id: 7,
        };
        let mine = binding("s-1", &filter);
        let cursor = encode_cursor(&mine, position);
        assert_eq!(decode_cursor(&cursor, &mine).ok(), Some(position));
        assert!(decode_cursor(&cursor, &binding("s-2", &filter)).is_err());
        let rejected = HistoryFilter {
            kind: Some(HistoryKind::Rejected),
            ..HistoryFilter::default()
        };
        assert!(decode_cursor(&cursor, &binding("s-1", &rejected)).is_err());
        assert!(decode_cursor("not base64!", &mine).is_err());
    }
}

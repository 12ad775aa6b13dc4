//! The opaque cursor of the shipment list: where the last page ended, in its sort order.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use domain::{SortKey, SortOrder};

use crate::error::ApiError;

/// The last row of a page: its sort value and row id, which break ties.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub sort: SortKey,
    pub order: SortOrder,
    pub key: i64,
    pub id: i64,
}

impl Cursor {
    pub fn encode(self) -> String {
        URL_SAFE_NO_PAD.encode(format!(
            "v1:{}:{}:{}:{}",
            self.sort.code(),
            self.order.code(),
            self.key,
            self.id
        ))
    }

    /// Reads a cursor, which must come from a page with the same sort and order.
    pub fn decode(text: &str, sort: SortKey, order: SortOrder) -> Result<Cursor, ApiError> {
        let malformed = || ApiError::malformed("the cursor is not one this server gave out");
        let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| malformed())?;
        let text = String::from_utf8(bytes).map_err(|_| malformed())?;
        let mut parts = text.split(':');
        let (Some("v1"), Some(s), Some(o), Some(key), Some(id), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(malformed());
        };
        let cursor = Cursor {
            sort: SortKey::from_code(s).ok_or_else(malformed)?,
            order: SortOrder::from_code(o).ok_or_else(malformed)?,
            key: key.parse().map_err(|_| malformed())?,
            id: id.parse().map_err(|_| malformed())?,
        };
        if cursor.sort != sort || cursor.order != order {
            return Err(ApiError::malformed(
                "the cursor belongs to a list with another sort or order",
            ));
        }
        Ok(cursor)
    }
}

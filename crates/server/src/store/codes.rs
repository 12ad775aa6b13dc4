//! Reading the rules crate's coded enums from the database, which stores each as its code
//! (`domain::code`): the codes are spelt once, in the rules crate, and written with `code()`.

use domain::Code;
use rusqlite::Row;
use rusqlite::types::Type;

/// A code read from `column`; one the rules crate does not know is a conversion failure, never a
/// default.
pub fn parse<T: Code>(column: usize, code: &str) -> rusqlite::Result<T> {
    T::parse_code(code).map_err(|unknown| {
        rusqlite::Error::FromSqlConversionFailure(column, Type::Text, Box::new(unknown))
    })
}

/// The code in a row's `column`.
pub fn get<T: Code>(row: &Row<'_>, column: usize) -> rusqlite::Result<T> {
    parse(column, &row.get::<_, String>(column)?)
}

/// The code in an sqlx row's `column` (the ported store functions).
pub fn column<T: Code>(row: &sqlx::any::AnyRow, column: &str) -> Result<T, sqlx::Error> {
    use sqlx::Row as _;
    let code: String = row.try_get(column)?;
    T::parse_code(&code).map_err(|unknown| sqlx::Error::ColumnDecode {
        index: column.to_owned(),
        source: Box::new(unknown),
    })
}

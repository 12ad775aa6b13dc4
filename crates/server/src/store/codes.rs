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

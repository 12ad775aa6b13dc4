//! Reading the rules crate's coded enums from the database, which stores each as its code
//! (`domain::code`): the codes are spelt once, in the rules crate, and written with `code()`.

use domain::Code;

/// The code in a row's `column`; one the rules crate does not know is a decoding failure, never a
/// default.
pub fn column<T: Code>(row: &sqlx::any::AnyRow, column: &str) -> Result<T, sqlx::Error> {
    use sqlx::Row as _;
    let code: String = row.try_get(column)?;
    T::parse_code(&code).map_err(|unknown| sqlx::Error::ColumnDecode {
        index: column.to_owned(),
        source: Box::new(unknown),
    })
}

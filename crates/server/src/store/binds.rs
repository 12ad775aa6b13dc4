//! The values of a query assembled from fragments (the list, its counts, the search, the history),
//! each given its numbered placeholder as it is added, so that one text with `$1, $2, …` serves
//! SQLite and PostgreSQL (`store/mod.rs`). sqlx's own `QueryBuilder` cannot do this on the `Any`
//! driver: its placeholders there are `?`, which PostgreSQL refuses.

use sqlx::any::AnyArguments;
use sqlx::query::{Query, QueryAs, QueryScalar};
use sqlx::{Any, AssertSqlSafe};

use super::dialect::Backend;

/// One bound value: the list's parameters are texts and integers only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Bind {
    Text(String),
    Int(i64),
}

/// The values of one query, in placeholder order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Binds(Vec<Bind>);

impl Binds {
    pub fn new() -> Binds {
        Binds::default()
    }

    /// How many values are bound so far (the next placeholder is one more).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds a text; returns its placeholder.
    pub fn text(&mut self, value: impl Into<String>) -> String {
        self.0.push(Bind::Text(value.into()));
        format!("${}", self.0.len())
    }

    /// Adds an integer; returns its placeholder.
    pub fn int(&mut self, value: i64) -> String {
        self.0.push(Bind::Int(value));
        format!("${}", self.0.len())
    }

    /// Adds a list of ids (one JSON text, since the Any driver binds no arrays); returns the
    /// backend's subquery of them, for `… IN <this>`.
    pub fn ids(&mut self, backend: Backend, ids: &[i64]) -> String {
        self.0.push(Bind::Text(crate::search::id_list(ids)));
        backend.id_list(self.0.len())
    }

    /// The query `sql` (static fragments and this list's placeholders only: every value is
    /// bound, none is formatted in) with the values bound.
    pub fn query(self, sql: String) -> Query<'static, Any, AnyArguments> {
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for value in self.0 {
            query = match value {
                Bind::Text(text) => query.bind(text),
                Bind::Int(int) => query.bind(int),
            };
        }
        query
    }

    /// As [`Binds::query`], for rows read into `O` by position.
    pub fn query_as<O>(self, sql: String) -> QueryAs<'static, Any, O, AnyArguments>
    where
        O: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        let mut query = sqlx::query_as(AssertSqlSafe(sql));
        for value in self.0 {
            query = match value {
                Bind::Text(text) => query.bind(text),
                Bind::Int(int) => query.bind(int),
            };
        }
        query
    }

    /// As [`Binds::query`], for a query of one column.
    pub fn scalar<O>(self, sql: String) -> QueryScalar<'static, Any, O, AnyArguments>
    where
        (O,): for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        let mut query = sqlx::query_scalar(AssertSqlSafe(sql));
        for value in self.0 {
            query = match value {
                Bind::Text(text) => query.bind(text),
                Bind::Int(int) => query.bind(int),
            };
        }
        query
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_the_order_values_are_added() {
        let mut binds = Binds::new();
        assert_eq!(binds.text("s-1"), "$1");
        assert_eq!(binds.int(7), "$2");
        assert_eq!(
            binds.ids(Backend::Sqlite, &[3, 5]),
            "(SELECT value FROM json_each($3))"
        );
        assert_eq!(
            binds,
            Binds(vec![
                Bind::Text("s-1".into()),
                Bind::Int(7),
                Bind::Text("[3,5]".into())
            ])
        );
    }
}

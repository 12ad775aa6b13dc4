//! The SQL that must differ between SQLite and PostgreSQL, in one place (docs/postgres.md §6).
//! Everything else is one text for both: `$N` placeholders, `ON CONFLICT … DO NOTHING`,
//! `RETURNING`, row-value comparisons.

/// A transaction that reads, decides and writes (`begin_with`): on SQLite it takes the write lock at
/// once (IMMEDIATE), so a reader never upgrades into SQLITE_BUSY; on PostgreSQL a plain READ
/// COMMITTED transaction whose reads lock their rows with `lock_row`.
pub fn begin_write(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "BEGIN IMMEDIATE",
        Backend::Postgres => "BEGIN",
    }
}

/// The column that orders sellers as they were seeded: SQLite's implicit `rowid`; PostgreSQL has
/// none, so its schema keeps an identity column.
pub fn seeded_order(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "rowid",
        Backend::Postgres => "seeded_order",
    }
}

/// Ends a `SELECT` of one row that the transaction will decide on: PostgreSQL locks it until the
/// commit (a concurrent writer waits, then this one reads its result); SQLite's IMMEDIATE
/// transaction already excludes every other writer.
pub fn lock_row(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "",
        Backend::Postgres => " FOR UPDATE",
    }
}

/// The database behind `Db`, known from the `--db` location at start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend of a connection of the Any pool, for a store function that is handed only the
    /// connection.
    pub fn of(conn: &sqlx::AnyConnection) -> Backend {
        // The names the Any drivers report (`AnyConnection::backend_name`).
        if conn.backend_name().eq_ignore_ascii_case("postgresql") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    /// A subquery of the texts in the JSON array bound as `$n` (posting numbers).
    pub fn text_list(self, n: usize) -> String {
        match self {
            Backend::Sqlite => format!("(SELECT value FROM json_each(${n}))"),
            Backend::Postgres => format!("(SELECT jsonb_array_elements_text(${n}::jsonb))"),
        }
    }

    /// The row lock a write takes on what it reads to decide (`If-Match`): `FOR UPDATE OF` the
    /// table `alias` on PostgreSQL (READ COMMITTED: a racer waits for the commit, then reads the
    /// new version); nothing on SQLite, whose single writer already serializes the intents.
    pub fn lock_rows(self, alias: &str) -> String {
        match self {
            Backend::Sqlite => String::new(),
            Backend::Postgres => format!(" FOR UPDATE OF {alias}"),
        }
    }

    /// SQLite's `INDEXED BY` hint after a table name, where its planner needs telling (measured in
    /// the SQLite store); PostgreSQL has no hints and needs none there.
    pub fn indexed_by(self, index: &str) -> String {
        match self {
            Backend::Sqlite => format!("INDEXED BY {index}"),
            Backend::Postgres => String::new(),
        }
    }

    /// SQLite's `NOT INDEXED` after a table name: a lookup by the listed ids only, never a walk
    /// of an index its planner might prefer; PostgreSQL has no hints and needs none there.
    pub fn not_indexed(self) -> &'static str {
        match self {
            Backend::Sqlite => "NOT INDEXED",
            Backend::Postgres => "",
        }
    }

    /// A subquery of the ids in the JSON array bound as parameter `$n` (a `serde_json` text of
    /// `i64`s): the Any driver binds no arrays, so an id list travels as one text on both.
    pub fn id_list(self, n: usize) -> String {
        match self {
            Backend::Sqlite => format!("(SELECT value FROM json_each(${n}))"),
            Backend::Postgres => {
                format!("(SELECT value::bigint FROM jsonb_array_elements_text(${n}::jsonb))")
            }
        }
    }
}

/// Whether `error` is a unique-key violation (SQLite's `SQLITE_CONSTRAINT_UNIQUE` /
/// `_PRIMARYKEY`, PostgreSQL's `23505`): how a concurrent duplicate shows itself.
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    error
        .as_database_error()
        .is_some_and(|database| database.is_unique_violation())
}

/// An i64 column into a narrower integer of the rules crate; out of range is a decode failure,
/// never a silent clamp.
pub fn narrow<T: TryFrom<i64>>(value: i64, column: &str) -> Result<T, sqlx::Error> {
    T::try_from(value).map_err(|_| sqlx::Error::ColumnDecode {
        index: column.to_owned(),
        source: format!("{value} is out of range").into(),
    })
}

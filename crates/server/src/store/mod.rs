//! The database's tables, one module per thing they hold.
//!
//! # One store for SQLite and PostgreSQL (issue 15, docs/postgres.md §4.1)
//!
//! The store is written once on sqlx's `Any` driver, so that one text of every query serves
//! SQLite and PostgreSQL. Every store function follows one convention:
//!
//! - `pub async fn name(conn: &mut sqlx::AnyConnection, ...) -> ApiResult<T>`. Callers pass
//!   `&mut *pooled` (a `db.acquire().await?`) or `&mut *tx` (a transaction or savepoint), so the
//!   same function runs alone, in a request's transaction or in the group commit's savepoint.
//! - Queries are `sqlx::query("...")` (or `query_scalar`) with `$1, $2, …` placeholders and
//!   every value `.bind(...)`ed, never formatted into the text. SQL assembled from static
//!   fragments (`format!`) goes through `sqlx::AssertSqlSafe` with a comment saying that only
//!   fragments and placeholders are in it.
//! - Rows are read by name: `row.try_get::<i64, _>("id")?`, codes with `codes::column(&row,
//!   "status")?`, times (stored as i64 milliseconds) with `crate::db::time(millis)?`. The Any
//!   driver knows null, bool, integers, floats, text and blobs only: integers are `i64` (the
//!   PostgreSQL schema is `BIGINT` throughout), booleans the schema's 0/1 `i64`, id lists a JSON
//!   text (`Backend::id_list`).
//! - Where the dialects must differ, the fragment comes from `dialect.rs` (`db.backend()`),
//!   never from an `if` in the store file.
//! - Errors are `?` into `ApiError` (`From<sqlx::Error>`: 503 for a pool timeout, else 500). A
//!   unique-key violation that means something (a concurrent duplicate) is matched with
//!   `dialect::is_unique_violation` before it is converted.
//!
//! The HTTP API suite runs on both backends (`cargo xtask test native postgres`).

pub mod binds;
pub mod cancel;
pub mod cancellations;
pub mod codes;
pub mod dialect;
pub mod geography;
pub mod history;
pub mod idempotency;
pub mod list;
pub mod out_of_stock;
pub mod partial;
pub mod products;
pub mod provider;
pub mod sellers;
pub mod shipments;

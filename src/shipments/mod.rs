//! The "Orders from my warehouse" list.

pub mod bulk_bar;
pub mod cells;
pub mod counts;
pub mod filters;
pub mod first_rows;
pub mod infinite;
pub mod instant;
pub mod list;
pub mod list_status;
pub mod location;
pub mod lowercase;
pub mod outcome;
pub mod overlay;
pub mod page;
pub mod query;
pub mod row;
pub mod table;
pub mod tabs;

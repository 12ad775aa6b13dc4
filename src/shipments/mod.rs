//! The "Orders from my warehouse" list.

pub mod filters;
pub mod infinite;
pub mod instant;
pub mod list;
pub mod location;
pub mod page;
pub mod query;
pub mod row;
pub mod table;
pub mod tabs;

//! The "Orders from my warehouse" list.

pub mod filter;
pub mod filters;
pub mod infinite;
pub mod list;
pub mod page;
pub mod row;
pub mod table;
pub mod tabs;

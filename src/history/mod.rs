//! The history of cancellations, paged from the server (`GET /api/v1/history`).

pub mod export;
pub mod filters;
pub mod page;
pub mod pager;
pub mod table;

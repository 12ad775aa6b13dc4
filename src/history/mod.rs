//! The history of cancellations, paged from the server (`GET /api/v1/history`).

pub mod page;
pub mod pager;

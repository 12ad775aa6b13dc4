//! The app's URL: which page it shows, and each page's state in its query, so that Back, Forward,
//! reload and shared links work. A small module of its own instead of leptos_router (see
//! `location`).

pub mod click;
pub mod location;
pub mod page;
pub mod query;

pub use location::{Entry, Location};
pub use page::Page;

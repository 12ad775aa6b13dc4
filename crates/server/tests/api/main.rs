//! The server's tests over real HTTP, on a real SQLite file (or, under `cargo xtask test postgres`, a
//! PostgreSQL database), in one test binary (one link, fast runs).

mod auth;
mod cancel;
mod common;
mod contract;
mod crash;
mod fixture;
mod hardening;
mod history;
mod isolation;
mod live;
mod migrate;
mod openapi;
mod out_of_stock;
mod partial;
#[path = "../support/pg.rs"]
mod pg;
#[path = "../support/process.rs"]
mod process;
mod providers;
mod races;
mod resources;
mod search;
mod shipments;
#[path = "../support/sse.rs"]
mod sse;
mod web;

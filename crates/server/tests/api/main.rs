//! The server's tests over real HTTP, on a real SQLite file, in one test binary (one link, fast runs).

mod auth;
mod cancel;
mod common;
mod fixture;
mod shipments;
mod web;

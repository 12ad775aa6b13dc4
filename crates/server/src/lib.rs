//! The reference backend of the shipment-cancellation app: the API of `../shared/DESIGN.md` over
//! SQLite, the rules of the `domain` crate enforced, simulated delivery providers, and the built app.

pub mod app;
pub mod auth;
pub mod config;
pub mod cursor;
pub mod db;
pub mod demo;
pub mod error;
pub mod events;
pub mod group_commit;
pub mod intent;
pub mod leader;
pub mod openapi;
pub mod portal;
pub mod routes;
pub mod search;
pub mod seed;
pub mod serve;
pub mod simulation;
pub mod state;
pub mod store;
pub mod streams;
pub mod web;

pub use app::{RunningServer, StartError, start};
pub use config::Config;

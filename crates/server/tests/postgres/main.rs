//! The multi-instance pieces on a real PostgreSQL cluster: the provider leader's advisory lock and
//! shipment events over LISTEN/NOTIFY. Ignored without a cluster (plain `cargo test` reports them as
//! ignored, never as passed); `cargo xtask test postgres` starts one and runs them.

#[path = "../support/pg.rs"]
mod pg;
#[path = "../support/process.rs"]
mod process;
// Shared with the API tests, which use all of it; these tests read blocks only.
#[allow(dead_code)]
#[path = "../support/sse.rs"]
mod sse;

mod events;
mod geography;
mod history;
mod instances;
mod intents;
mod leader;
mod list;
mod products;
mod rows;
mod search;
mod sellers;
mod write_conflicts;

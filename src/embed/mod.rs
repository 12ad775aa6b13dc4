//! Running inside the seller portal's frame: the postMessage protocol of DESIGN.md.

pub mod bridge;
pub mod protocol;

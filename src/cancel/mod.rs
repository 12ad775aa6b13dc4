//! Cancelling one shipment: the dialog, its checks, and the safe submission.

pub mod changes;
pub mod dialog;
pub mod flow;
pub mod follow_up;
pub mod form;
pub mod rehearsal;

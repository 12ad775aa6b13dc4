//! The fields the dialogs share: the reason picker, the description, a typed quantity.

pub mod description;
pub mod quantity;
pub mod reason;

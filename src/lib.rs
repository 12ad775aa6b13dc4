//! The seller's shipment-cancellation app.

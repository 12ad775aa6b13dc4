//! The live-update streams open at one time, per seller and in all, so that `GET /events` can
//! refuse one more (429 for the seller, 503 for the server) before it holds a connection.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::http::StatusCode;
use domain::ProblemCode;

use crate::error::ApiError;

/// The open streams, per seller and in all.
#[derive(Debug, Default)]
pub struct Streams {
    open: Mutex<HashMap<String, usize>>,
}

/// One open stream, counted for as long as it lives.
pub struct StreamSlot {
    streams: Arc<Streams>,
    seller_id: String,
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self
            .streams
            .open
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(count) = open.get_mut(&self.seller_id) {
            *count -= 1;
            if *count == 0 {
                open.remove(&self.seller_id);
            }
        }
    }
}

impl Streams {
    /// A slot for one more stream of the seller, or the refusal.
    pub fn open(
        self: &Arc<Streams>,
        seller_id: &str,
        per_seller: usize,
        in_all: usize,
    ) -> Result<StreamSlot, ApiError> {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        if open.values().sum::<usize>() >= in_all {
            return Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ProblemCode::Overloaded,
                "Too many live-update streams",
            )
            .detail(format!(
                "the server holds its limit of {in_all} open streams; retry later"
            )));
        }
        let mine = open.entry(seller_id.to_owned()).or_insert(0);
        if *mine >= per_seller {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                ProblemCode::TooManyRequests,
                "Too many live-update streams",
            )
            .detail(format!(
                "this seller already has {per_seller} open streams; close one (another tab) or retry later"
            )));
        }
        *mine += 1;
        Ok(StreamSlot {
            streams: self.clone(),
            seller_id: seller_id.to_owned(),
        })
    }
}

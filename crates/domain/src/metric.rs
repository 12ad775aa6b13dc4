//! The service-quality metric: seller cancellations over shipments created, trailing 14 days.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::partial::CancelledItem;
use crate::{Cancellation, Initiator};

pub const WINDOW_DAYS: u32 = 14;
/// The threshold when the marketplace sets none: 10 %.
pub const DEFAULT_THRESHOLD: f64 = 0.10;

/// The counts behind the rate, over one window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CancellationRate {
    pub seller_cancellations: u32,
    pub shipments: u32,
}

impl CancellationRate {
    /// The rate as a fraction; zero when no shipment was created, so a new seller starts clean.
    pub fn rate(self) -> f64 {
        ratio(self.seller_cancellations, self.shipments)
    }

    /// The rate after `n` more seller cancellations of shipments already counted in the window.
    pub fn project(self, n: u32, threshold: f64) -> Projection {
        let current = self.rate();
        let projected = ratio(self.seller_cancellations.saturating_add(n), self.shipments);
        Projection {
            current,
            projected,
            threshold,
            crosses_threshold: current <= threshold && projected > threshold,
            above_threshold: projected > threshold,
        }
    }
}

fn ratio(numerator: u32, denominator: u32) -> f64 {
    if denominator == 0 {
        0.0
    } else {
        f64::from(numerator) / f64::from(denominator)
    }
}

/// What one cancellation, or N, would do to the rate.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Projection {
    pub current: f64,
    pub projected: f64,
    pub threshold: f64,
    /// The rate is at or under the threshold now and would be over it.
    pub crosses_threshold: bool,
    /// The rate would be over the threshold, whether or not it already is.
    pub above_threshold: bool,
}

/// One day of the window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DailyCount {
    #[serde(with = "crate::timestamp::day")]
    pub date: NaiveDate,
    pub seller_cancellations: u32,
    pub shipments: u32,
}

/// The metric over a window ending at `now`, with one entry per day, oldest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RateReport {
    pub window_days: u32,
    pub seller_cancellations: u32,
    pub shipments: u32,
    pub rate: f64,
    pub threshold: f64,
    pub series: Vec<DailyCount>,
}

/// The facts of one shipment that the metric reads.
pub struct MetricFacts<'a> {
    pub created_at: DateTime<Utc>,
    pub cancellation: Option<&'a Cancellation>,
    /// Its partial cancellations (`Shipment::cancelled_items`).
    pub cancelled_items: &'a [CancelledItem],
}

/// When a shipment entered the rate's numerator: its first seller cancellation that took effect,
/// whole (for a provider request, when it was approved) or partial. A shipment counts at most
/// once, on that day, however many partial cancellations and whole one it had (RULES.md).
pub fn counted_at(
    cancellation: Option<&Cancellation>,
    cancelled_items: &[CancelledItem],
) -> Option<DateTime<Utc>> {
    let whole = cancellation
        .filter(|c| c.counts_toward_rate())
        .map(|c| c.decided_at.unwrap_or(c.requested_at));
    let partial = cancelled_items
        .iter()
        .filter(|item| item.initiator == Initiator::Seller)
        .map(|item| item.at)
        .min();
    whole.into_iter().chain(partial).min()
}

/// Computes the rate over the trailing window of [`window_first_day`].
///
/// A shipment counts when it was created inside the window; a cancelled shipment counts when its
/// first seller cancellation, whole or partial, took effect inside the window ([`counted_at`]).
/// Carrier cancellations, pending and rejected requests never count.
pub fn report<'a>(
    facts: impl IntoIterator<Item = MetricFacts<'a>>,
    now: DateTime<Utc>,
    threshold: f64,
) -> RateReport {
    let first_day = window_first_day(now);
    let mut series: Vec<DailyCount> = (0..WINDOW_DAYS)
        .map(|offset| DailyCount {
            date: first_day + Duration::days(i64::from(offset)),
            seller_cancellations: 0,
            shipments: 0,
        })
        .collect();
    let day_index = |at: DateTime<Utc>| -> Option<usize> {
        if at > now {
            return None;
        }
        let days = (at.date_naive() - first_day).num_days();
        usize::try_from(days).ok()
    };
    for fact in facts {
        if let Some(day) = day_index(fact.created_at).and_then(|i| series.get_mut(i)) {
            day.shipments += 1;
        }
        if let Some(counted) = counted_at(fact.cancellation, fact.cancelled_items)
            && let Some(day) = day_index(counted).and_then(|i| series.get_mut(i))
        {
            day.seller_cancellations += 1;
        }
    }
    let totals = series
        .iter()
        .fold(CancellationRate::default(), |acc, day| CancellationRate {
            seller_cancellations: acc.seller_cancellations + day.seller_cancellations,
            shipments: acc.shipments + day.shipments,
        });
    RateReport {
        window_days: WINDOW_DAYS,
        seller_cancellations: totals.seller_cancellations,
        shipments: totals.shipments,
        rate: totals.rate(),
        threshold,
        series,
    }
}

/// The window is the 14 UTC calendar days that end with today (decision), so that it splits into
/// whole days for the daily series: its first day is 13 days before today.
pub fn window_first_day(now: DateTime<Utc>) -> NaiveDate {
    now.date_naive() - Duration::days(i64::from(WINDOW_DAYS) - 1)
}

impl RateReport {
    pub fn counts(&self) -> CancellationRate {
        CancellationRate {
            seller_cancellations: self.seller_cancellations,
            shipments: self.shipments,
        }
    }
}

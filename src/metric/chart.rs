//! The 14-day chart: one bar per day's rate, and the threshold line; its geometry, and the SVG.

use domain::metric::{DailyCount, RateReport};
use leptos::prelude::*;

use crate::format;
use crate::i18n::text;

pub const WIDTH: f64 = 280.0;
pub const HEIGHT: f64 = 64.0;
const GAP: f64 = 2.0;
/// Air above the tallest bar, so it does not run into the widget's top border and a threshold
/// line at the top of the scale stays visible above the bars it crosses.
const HEADROOM: f64 = 10.0;
/// The height the highest rate on the scale reaches.
const PLOT: f64 = HEIGHT - HEADROOM;

#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
    /// The day's own rate is over the threshold.
    pub over: bool,
}

fn day_rate(day: &DailyCount) -> f64 {
    if day.shipments == 0 {
        0.0
    } else {
        f64::from(day.seller_cancellations) / f64::from(day.shipments)
    }
}

/// The top of the scale: room for the highest day and for the threshold line with some air.
fn scale_top(series: &[DailyCount], threshold: f64) -> f64 {
    series
        .iter()
        .map(day_rate)
        .fold(threshold * 1.5, f64::max)
        .max(f64::EPSILON)
}

pub fn bars(series: &[DailyCount], threshold: f64) -> Vec<Bar> {
    if series.is_empty() {
        return Vec::new();
    }
    let top = scale_top(series, threshold);
    let slot = WIDTH / series.len() as f64;
    series
        .iter()
        .enumerate()
        .map(|(index, day)| {
            let rate = day_rate(day);
            let height = (rate / top * PLOT).min(PLOT);
            Bar {
                x: index as f64 * slot + GAP / 2.0,
                y: HEIGHT - height,
                width: (slot - GAP).max(1.0),
                height,
                over: rate > threshold,
            }
        })
        .collect()
}

/// Where the threshold line is drawn, from the top.
pub fn threshold_y(series: &[DailyCount], threshold: f64) -> f64 {
    HEIGHT - (threshold / scale_top(series, threshold) * PLOT).min(PLOT)
}

/// The chart itself: the bars, each titled with its day's counts, and the threshold line.
/// `summary` is the rate widget's sentence, which names the picture.
#[component]
pub fn RateChart(report: RateReport, summary: String) -> impl IntoView {
    let line_y = threshold_y(&report.series, report.threshold);
    let rects = bars(&report.series, report.threshold)
        .into_iter()
        .zip(report.series.iter())
        .map(|(bar, day)| {
            let label = text::rate_day(
                &format::day_month(day.date),
                day.seller_cancellations,
                day.shipments,
            );
            view! {
                <rect
                    x=format::tenths(bar.x)
                    y=format::tenths(bar.y)
                    width=format::tenths(bar.width)
                    height=format::tenths(bar.height)
                    class=if bar.over { "bar over" } else { "bar" }
                >
                    <title>{label}</title>
                </rect>
            }
        })
        .collect_view();
    view! {
        <svg
            role="img"
            aria-label=summary
            viewBox=format!("0 0 {} {}", format::tenths(WIDTH), format::tenths(HEIGHT))
            width=format::tenths(WIDTH)
            height=format::tenths(HEIGHT)
            preserveAspectRatio="none"
        >
            {rects}
            <line
                class="threshold"
                x1="0"
                x2=format::tenths(WIDTH)
                y1=format::tenths(line_y)
                y2=format::tenths(line_y)
            ></line>
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn day(n: u32, cancellations: u32, shipments: u32) -> DailyCount {
        DailyCount {
            date: NaiveDate::from_ymd_opt(2026, 11, n).unwrap(),
            seller_cancellations: cancellations,
            shipments,
        }
    }

    #[test]
    fn bars_fill_the_width_and_scale_to_the_highest_day() {
        let series = [day(1, 0, 10), day(2, 1, 2), day(3, 0, 0), day(4, 1, 10)];
        let bars = bars(&series, 0.10);
        assert_eq!(bars.len(), 4);
        assert_eq!(bars[0].height, 0.0);
        // 50 % is the highest day, so it reaches the top of the scale, below the headroom.
        assert_eq!(bars[1].height, PLOT);
        assert!(bars[1].y >= HEADROOM, "the tallest bar leaves air above it");
        assert!(bars[1].over);
        // A day without shipments draws nothing rather than dividing by zero.
        assert_eq!(bars[2].height, 0.0);
        assert!(!bars[3].over, "exactly at the threshold is not over it");
        assert!((bars[3].x - 3.0 * WIDTH / 4.0 - GAP / 2.0).abs() < 1e-9);
    }

    #[test]
    fn the_threshold_line_sits_below_the_top_when_every_day_is_low() {
        let series = [day(1, 0, 10), day(2, 0, 10)];
        let y = threshold_y(&series, 0.10);
        assert!((y - (HEIGHT - PLOT / 1.5)).abs() < 1e-9, "{y}");
        assert!(bars(&[], 0.1).is_empty());
    }
}

//! The cancellation-rate widget: the current rate against the threshold, with the daily series of
//! the 14-day window as a small SVG chart.

use domain::metric::RateReport;
use leptos::prelude::*;

use crate::api::{Api, ApiError};
use crate::format;
use crate::i18n::text;
use crate::metric::chart::{HEIGHT, WIDTH, bars, threshold_y};

#[component]
pub fn RateWidget(
    /// Bumped when a cancellation may have changed the rate.
    #[prop(into)]
    changes: Signal<u32>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let report = LocalResource::new(move || {
        changes.track();
        let api = api.clone();
        async move { api.cancellation_rate().await }
    });
    move || match report.get() {
        None => view! { <div class="rate-widget muted">{text::rate_loading}</div> }.into_any(),
        Some(Err(error)) => rate_failed(error).into_any(),
        Some(Ok(report)) => rate_chart(report).into_any(),
    }
}

fn rate_failed(error: ApiError) -> impl IntoView {
    view! {
        <div class="rate-widget muted" role="status">
            {text::rate_unavailable} " " {error.message()}
        </div>
    }
}

fn rate_chart(report: RateReport) -> impl IntoView {
    let over = report.rate > report.threshold;
    let summary = text::rate_summary(
        &format::percent(report.rate),
        &format::percent(report.threshold),
        report.window_days,
    );
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
        <figure class="rate-widget" class:over=over>
            <figcaption>
                <span class="rate-value">{format::percent(report.rate)}</span>
                // The red value is not the only sign: the words say it too.
                {over.then(|| view! { <span class="flag over-flag">{text::rate_over_threshold}</span> })}
                " "
                <span class="muted">{summary.clone()}</span>
            </figcaption>
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
        </figure>
    }
}

//! The cancellation-rate widget: the current rate against the threshold, with the daily series of
//! the 14-day window as a small SVG chart.
//!
//! The rate is asked for here, in the list's own module, as soon as the first page is answered;
//! what reads and shows it ([`rate_figure`], with the chart) comes with the list's extras
//! ([`crate::lazy::parts::rate_widget`]), which takes the answer's text: reading it as a
//! [`RateReport`] is the extras' code, not the first load's. Until both are there, a box of the
//! figure's size holds its place, so that nothing moves when it arrives.

use domain::metric::RateReport;
use leptos::prelude::*;

use crate::api::{Api, ApiError};
use crate::format;
use crate::i18n::text;
use crate::lazy::LazyInline;
use crate::lazy::parts;
use crate::metric::chart::{HEIGHT, RateChart, WIDTH};
use crate::shipments::first_rows::FirstRows;

#[component]
pub fn RateWidget(
    /// Bumped when a cancellation may have changed the rate.
    #[prop(into)]
    changes: Signal<u32>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    // On the list, the rate waits for the first page (see crate::shipments::first_rows).
    let first_rows = FirstRows::from_context();
    let report = LocalResource::new(move || {
        changes.track();
        let api = api.clone();
        async move {
            first_rows.wait().await;
            api.cancellation_rate_text().await
        }
    });
    move || match report.get() {
        None => rate_waiting().into_any(),
        Some(Err(error)) => rate_failed(error).into_any(),
        Some(Ok(body)) => {
            let render = move || parts::rate_widget(body.clone());
            view! { <LazyInline part=&parts::RATE_WIDGET render waiting=rate_waiting eager=false /> }
                .into_any()
        }
    }
}

/// The figure's shape while the rate or its module is on the way: a caption line and an empty box
/// of the chart's size.
fn rate_waiting() -> impl IntoView {
    view! {
        <figure class="rate-widget" aria-busy="true">
            <figcaption>
                // The value's line height, without a value yet.
                <span class="rate-value" aria-hidden="true">"\u{a0}"</span>
                <span class="muted">{text::rate_loading}</span>
            </figcaption>
            <div
                class="chart-waiting"
                style:width=format!("{}px", format::tenths(WIDTH))
                style:height=format!("{}px", format::tenths(HEIGHT))
            ></div>
        </figure>
    }
}

pub fn rate_failed(error: ApiError) -> impl IntoView {
    view! {
        <div class="rate-widget muted" role="status">
            {text::rate_unavailable} " " {error.message()}
        </div>
    }
}

/// The rate, whether it is over the threshold, and the chart.
pub fn rate_figure(report: RateReport) -> impl IntoView {
    let over = report.rate > report.threshold;
    let summary = text::rate_summary(
        &format::percent(report.rate),
        &format::percent(report.threshold),
        report.window_days,
    );
    let rate = format::percent(report.rate);
    view! {
        <figure class="rate-widget" class:over=over>
            <figcaption>
                <span class="rate-value">{rate}</span>
                // The red value is not the only sign: the words say it too.
                {over.then(|| view! { <span class="flag over-flag">{text::rate_over_threshold}</span> })}
                " "
                <span class="muted">{summary.clone()}</span>
            </figcaption>
            <RateChart report summary />
        </figure>
    }
}

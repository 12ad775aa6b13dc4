//! The cancellation-rate widget: the current rate against the threshold, with the daily series of
//! the 14-day window as a small SVG chart.

use domain::metric::RateReport;
use leptos::prelude::*;

use crate::api::{Api, ApiError};
use crate::format;
use crate::i18n::text;
use crate::lazy::LazyInline;
use crate::lazy::parts;
use crate::metric::chart::{HEIGHT, WIDTH};
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
            api.cancellation_rate().await
        }
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
    let rate = format::percent(report.rate);
    let chart = {
        let summary = summary.clone();
        move || parts::rate_chart(report.clone(), summary.clone())
    };
    // The bars come with their own module, after the first rows; until then an empty box of the
    // chart's size holds their place, so that nothing moves when they arrive.
    let waiting = move || {
        view! {
            <div
                class="chart-waiting"
                style:width=format!("{}px", format::tenths(WIDTH))
                style:height=format!("{}px", format::tenths(HEIGHT))
            ></div>
        }
    };
    view! {
        <figure class="rate-widget" class:over=over>
            <figcaption>
                <span class="rate-value">{rate}</span>
                // The red value is not the only sign: the words say it too.
                {over.then(|| view! { <span class="flag over-flag">{text::rate_over_threshold}</span> })}
                " "
                <span class="muted">{summary}</span>
            </figcaption>
            <LazyInline part=&parts::CHART render=chart waiting eager=false />
        </figure>
    }
}

//! What a cancellation would do to the rate: the rate now and after it, against the threshold.

use domain::Reason;
use domain::metric::RateReport;
use leptos::prelude::*;

use crate::api::ApiError;
use crate::format;
use crate::i18n::text;

/// The rate now and after `count` more seller cancellations with `reason`.
#[component]
pub fn RatePreview(
    rate: LocalResource<Result<RateReport, ApiError>>,
    #[prop(into)] reason: Signal<Option<Reason>>,
    #[prop(into)] count: Signal<u32>,
) -> impl IntoView {
    let included = move || {
        reason
            .get()
            .is_some_and(Reason::included_in_allowed_rate)
            .then(|| view! { <p class="note">{text::rate_already_included}</p> })
    };
    let preview = move || match rate.get() {
        None => view! { <p class="muted">{text::rate_loading}</p> }.into_any(),
        Some(Err(_)) => view! { <p class="muted">{text::rate_unavailable}</p> }.into_any(),
        Some(Ok(report)) => {
            let projection = report.counts().project(count.get(), report.threshold);
            let line = text::rate_preview(
                &format::percent(projection.current),
                &format::percent(projection.projected),
                &format::percent(projection.threshold),
            );
            let warning = if projection.crosses_threshold {
                Some(text::rate_crosses())
            } else if projection.above_threshold {
                Some(text::rate_above())
            } else {
                None
            };
            view! {
                <p class="rate">{line}</p>
                {warning.map(|words| view! { <p class="notice error">{words}</p> })}
            }
            .into_any()
        }
    };
    view! {
        <div class="rate-preview">
            <p class="muted">{text::all_cancellations_count}</p>
            {preview}
            {included}
        </div>
    }
}

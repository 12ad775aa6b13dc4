//! Before a run: what one reason will cancel and skip, and what it does to the rate. During a
//! run: how far it got.

use domain::Reason;
use domain::metric::RateReport;
use leptos::prelude::*;

use crate::api::ApiError;
use crate::bulk::plan::{Prechecked, SkipLine};
use crate::bulk::run::{BulkRun, Phase};
use crate::i18n::text;
use crate::metric::preview::RatePreview;

#[component]
pub fn Precheck(
    planned: Signal<Option<Prechecked>>,
    reason: RwSignal<Option<Reason>>,
    rate: LocalResource<Result<RateReport, ApiError>>,
    cancel_count: Signal<u32>,
) -> impl IntoView {
    move || {
        planned.get().map(|plan| {
            let skipped = plan.skip.iter().map(skip_line).collect_view();
            let skip_count = plan.skip_count() as usize;
            view! {
                <section class="precheck" aria-live="polite">
                    <p class="will-cancel">
                        {if plan.cancel.is_empty() {
                            text::bulk_nothing_to_cancel().to_owned()
                        } else {
                            text::bulk_will_cancel(plan.cancel.len())
                        }}
                    </p>
                    {(skip_count > 0)
                        .then(|| {
                            view! {
                                <p>{text::bulk_will_skip(skip_count)}</p>
                                <ul class="skipped">{skipped}</ul>
                            }
                        })}
                    <RatePreview rate reason count=cancel_count />
                </section>
            }
        })
    }
}

fn skip_line(line: &SkipLine) -> AnyView {
    match line {
        SkipLine::One {
            posting_number,
            why,
        } => view! {
            <li>
                <span class="posting-number-inline">{posting_number.clone()}</span>
                ": "
                {text::rule_violation(*why)}
            </li>
        }
        .into_any(),
        SkipLine::Many { code, shipments } => view! {
            <li>{text::shipments(*shipments as usize)} ": " {text::problem(*code)}</li>
        }
        .into_any(),
    }
}

#[component]
pub fn Progress(run: RwSignal<Option<BulkRun>>) -> impl IntoView {
    move || match run.with(|r| r.as_ref().map(BulkRun::phase)) {
        Some(Phase::Running { done, total }) => Some(view! {
            <div class="progress">
                <progress
                    max=total.max(1).to_string()
                    value=done.to_string()
                    aria-label=text::bulk_progress_name
                ></progress>
                <span role="status">{text::bulk_progress(done, total)}</span>
            </div>
        }),
        _ => None,
    }
}

//! After a run: what happened to each shipment, in words, under one summary.

use domain::wire::BulkOutcome;
use leptos::prelude::*;

use crate::bulk::run::{BulkRun, ItemResult, Phase, Summary, Why};
use crate::i18n::text;

/// The summary in words, as the results table opens with it and the page's toast says it.
pub fn summary_words(summary: Summary) -> String {
    text::bulk_summary(
        summary.cancelled,
        summary.requested,
        summary.skipped,
        summary.failed,
    )
}

fn result_words(item: &ItemResult) -> String {
    match (item.outcome, &item.why) {
        (BulkOutcome::Cancelled, _) => text::outcome_cancelled().to_owned(),
        (BulkOutcome::Requested, _) => text::outcome_requested(item.provider.as_deref()),
        (BulkOutcome::Skipped, Why::Rule(violation)) => {
            text::outcome_skipped(text::rule_violation(*violation))
        }
        (BulkOutcome::Skipped, Why::Answered(code)) => {
            text::outcome_skipped(code.map_or_else(text::details_changed, text::problem))
        }
        (BulkOutcome::Failed, Why::Unanswered(error)) => text::outcome_failed(&error.message()),
        (BulkOutcome::Failed, Why::Answered(code)) => {
            text::outcome_failed(code.map_or_else(text::decode_error, text::problem))
        }
        // A run records neither of these; were it to, the outcome alone is still true.
        (BulkOutcome::Skipped, Why::Unanswered(_)) => {
            text::outcome_skipped(text::details_changed())
        }
        (BulkOutcome::Failed, Why::Rule(violation)) => {
            text::outcome_failed(text::rule_violation(*violation))
        }
    }
}

#[component]
pub fn Results(run: RwSignal<Option<BulkRun>>) -> impl IntoView {
    move || {
        run.with(|run| {
            let run = run.as_ref().filter(|r| r.phase() == Phase::Finished)?;
            let rows = run
                .results()
                .iter()
                .map(|item| {
                    (
                        item.posting_number.clone(),
                        item.outcome.code(),
                        result_words(item),
                    )
                })
                .collect();
            Some(view! {
                <section class="results" aria-labelledby="bulk-results-heading">
                    <h3 id="bulk-results-heading">{text::bulk_results}</h3>
                    <p role="status">{summary_words(run.summary())}</p>
                    <OutcomeTable caption=text::bulk_results() rows />
                </section>
            })
        })
    }
}

/// One line per shipment of a run that changed many (a bulk cancellation, the out-of-stock sweep):
/// its posting number, and what became of it in words, styled by its outcome code.
#[component]
pub fn OutcomeTable(
    caption: &'static str,
    rows: Vec<(String, &'static str, String)>,
) -> impl IntoView {
    let rows = rows
        .into_iter()
        .map(|(posting_number, outcome, words)| {
            view! {
                <tr>
                    <td>{posting_number}</td>
                    <td class=format!("outcome outcome-{outcome}")>{words}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="results-table">
            <caption class="visually-hidden">{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">{text::col_shipment}</th>
                    <th scope="col">{text::col_cancellation}</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

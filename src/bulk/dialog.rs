//! Cancelling several shipments with one reason: pre-check, progress, and results per shipment.

use domain::comment::comment_length;
use domain::wire::{
    BulkCancelRequest, BulkOutcome, BulkResult, MatchFilter, MatchingPrecheckRequest,
};
use domain::{Reason, Shipment, validate_comment};
use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::Api;
use crate::bulk::plan::{BATCH_SIZE, Prechecked, SkipLine, offered_reasons, plan};
use crate::cancel::dialog::RatePreview;
use crate::cancel::reason::ReasonRadio;
use crate::cancel::retry::new_key;
use crate::cancel::submit::with_retries;
use crate::dialog::DialogHeader;
use crate::i18n::text;

/// One request of a bulk cancellation. A batch that got no answer is sent again with the same key,
/// so the server never processes it twice.
#[derive(Clone, Debug, PartialEq)]
struct Batch {
    key: String,
    request: BulkCancelRequest,
}

/// What a bulk cancellation is opened for: shipments the app holds, or every shipment a filter
/// matches (with the count the server gave), with a reason to start with.
#[derive(Clone, Debug, PartialEq)]
pub struct BulkOpen {
    pub shipments: Vec<Shipment>,
    pub preset: Option<Reason>,
    pub matching: Option<(MatchFilter, u64)>,
}

/// What happened to one shipment, in words.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemResult {
    pub posting_number: String,
    pub outcome: BulkOutcome,
    pub words: String,
}

#[derive(Clone, Debug, PartialEq)]
enum Phase {
    Choosing,
    Running { done: usize, total: usize },
    Finished,
}

fn result_words(result: &BulkResult, provider: Option<&str>) -> String {
    match result.outcome {
        BulkOutcome::Cancelled => text::outcome_cancelled().to_owned(),
        BulkOutcome::Requested => text::outcome_requested(provider),
        BulkOutcome::Skipped => text::outcome_skipped(
            result
                .code
                .map_or_else(text::details_changed, text::problem),
        ),
        BulkOutcome::Failed => {
            text::outcome_failed(result.code.map_or_else(text::decode_error, text::problem))
        }
    }
}

#[component]
pub fn BulkCancelDialog(
    shipments: Vec<Shipment>,
    /// The reason to start with, as after an undeliverable address.
    #[prop(default = None)]
    preset: Option<Reason>,
    on_close: Callback<()>,
    on_shipment: Callback<Shipment>,
    /// The shipments were processed, whatever the outcomes.
    /// Runs once a run ends, with its summary and whether any shipment failed.
    on_finished: Callback<(String, bool)>,
    /// Every shipment this filter matches (how many, as the list said), judged by the server's
    /// pre-check instead of `shipments`, which the app does not download.
    #[prop(default = None)]
    matching: Option<(MatchFilter, u64)>,
) -> impl IntoView {
    crate::focus::restore_on_close(None);
    let dialog_ref = NodeRef::<leptos::html::Div>::new();
    crate::focus::hold_focus_in(dialog_ref);
    let api = expect_context::<Api>();
    let shipments = StoredValue::new(shipments);
    let selected = matching.as_ref().map_or_else(
        || shipments.with_value(Vec::len),
        |(_, total)| *total as usize,
    );
    // The server judges each reason for every matching shipment; every reason may be asked.
    let offered = if matching.is_some() {
        Reason::ALL.to_vec()
    } else {
        shipments.with_value(|all| offered_reasons(all))
    };
    let matching = StoredValue::new(matching.map(|(filter, _)| filter));
    let reason = RwSignal::new(preset.filter(|preset| offered.contains(preset)));
    let description = RwSignal::new(String::new());
    let attempted = RwSignal::new(false);
    let phase = RwSignal::new(Phase::Choosing);
    let results = RwSignal::new(Vec::<ItemResult>::new());
    let unanswered = StoredValue::new(Vec::<Batch>::new());
    let problem = RwSignal::new(None::<String>);
    let rate = crate::metric::current_rate(&api);

    let local_plan = Memo::new(move |_| {
        reason
            .get()
            .map(|reason| shipments.with_value(|all| Prechecked::from(&plan(all, reason))))
    });
    let server_plan = LocalResource::new({
        let api = api.clone();
        move || {
            let api = api.clone();
            let chosen = reason.get();
            let filter = matching.get_value();
            async move {
                let (Some(reason), Some(filter)) = (chosen, filter) else {
                    return None;
                };
                let request = MatchingPrecheckRequest {
                    filter,
                    reason,
                    comment: None,
                    limit: domain::api::matching::MAX_LIMIT,
                };
                Some(
                    api.precheck_matching(&request)
                        .await
                        .map(|answer| Prechecked::from(&answer)),
                )
            }
        }
    });
    let planned = Signal::derive(move || {
        if matching.with_value(Option::is_some) {
            server_plan.get().flatten().and_then(Result::ok)
        } else {
            local_plan.get()
        }
    });
    let precheck_problem = Signal::derive(move || {
        server_plan
            .get()
            .flatten()
            .and_then(Result::err)
            .map(|error| error.message())
    });
    let server_skipped = move |plan: &Prechecked| -> usize {
        plan.skip
            .iter()
            .map(|line| match line {
                SkipLine::Many { shipments, .. } => *shipments as usize,
                SkipLine::One { .. } => 0,
            })
            .sum()
    };
    let skipped_unlisted = RwSignal::new(0usize);
    let cancel_count =
        Signal::derive(move || planned.with(|p| p.as_ref().map_or(0, |p| p.cancel.len()) as u32));
    let running = move || matches!(phase.get(), Phase::Running { .. });
    let close = move || {
        if !matches!(phase.get_untracked(), Phase::Running { .. }) {
            on_close.run(());
        }
    };
    let keydown = window_event_listener(ev::keydown, move |event| {
        if event.key() == "Escape" {
            close();
        }
    });
    on_cleanup(move || keydown.remove());

    let provider_of = move |posting_number: &str| {
        shipments.with_value(|all| {
            all.iter()
                .find(|s| s.posting_number == posting_number)
                .and_then(|s| s.delivery.provider.clone())
        })
    };

    let run = {
        let api = api.clone();
        move |batches: Vec<Batch>| {
            let total = batches
                .iter()
                .map(|b| b.request.posting_numbers.len())
                .sum();
            phase.set(Phase::Running { done: 0, total });
            let api = api.clone();
            spawn_local(async move {
                let mut done = 0;
                for batch in batches {
                    let size = batch.request.posting_numbers.len();
                    let answer =
                        with_retries(|| api.cancel_many(&batch.key, &batch.request), |_| ()).await;
                    match answer {
                        Ok(response) => {
                            let items: Vec<ItemResult> = response
                                .results
                                .iter()
                                .map(|result| ItemResult {
                                    posting_number: result.posting_number.clone(),
                                    outcome: result.outcome,
                                    words: result_words(
                                        result,
                                        result
                                            .shipment
                                            .as_ref()
                                            .and_then(|s| s.delivery.provider.clone())
                                            .or_else(|| provider_of(&result.posting_number))
                                            .as_deref(),
                                    ),
                                })
                                .collect();
                            for shipment in response.results.into_iter().filter_map(|r| r.shipment)
                            {
                                on_shipment.run(shipment);
                            }
                            results.try_update(|all| all.extend(items));
                        }
                        Err(error) => {
                            let words = text::outcome_failed(&error.message());
                            results.try_update(|all| {
                                all.extend(batch.request.posting_numbers.iter().map(|pn| {
                                    ItemResult {
                                        posting_number: pn.clone(),
                                        outcome: BulkOutcome::Failed,
                                        words: words.clone(),
                                    }
                                }))
                            });
                            unanswered.try_update_value(|batches| batches.push(batch));
                        }
                    }
                    done += size;
                    phase.try_set(Phase::Running { done, total });
                }
                phase.try_set(Phase::Finished);
                if let Some((summary, failed)) = results.try_with(|all| {
                    let count =
                        |outcome: BulkOutcome| all.iter().filter(|r| r.outcome == outcome).count();
                    let summary = text::bulk_summary(
                        count(BulkOutcome::Cancelled),
                        count(BulkOutcome::Requested),
                        count(BulkOutcome::Skipped) + skipped_unlisted.get_untracked(),
                        count(BulkOutcome::Failed),
                    );
                    (summary, count(BulkOutcome::Failed) > 0)
                }) {
                    on_finished.run((summary, failed));
                }
            });
        }
    };

    let start = {
        let run = run.clone();
        move || {
            attempted.set(true);
            let Some(chosen) = reason.get_untracked() else {
                return;
            };
            let comment = match validate_comment(
                chosen,
                chosen
                    .requires_comment()
                    .then(|| description.get_untracked())
                    .as_deref(),
            ) {
                Ok(comment) => comment,
                Err(_) => return,
            };
            let Some(plan) = planned.get_untracked() else {
                return;
            };
            // The skipped shipments are reported from the pre-check, as the server would; the
            // server's counts of matching shipments are in the summary.
            results.set(
                plan.skip
                    .iter()
                    .filter_map(|line| match line {
                        SkipLine::One {
                            posting_number,
                            why,
                        } => Some(ItemResult {
                            posting_number: posting_number.clone(),
                            outcome: BulkOutcome::Skipped,
                            words: text::outcome_skipped(text::rule_violation(*why)),
                        }),
                        SkipLine::Many { .. } => None,
                    })
                    .collect(),
            );
            skipped_unlisted.set(server_skipped(&plan));
            match batches(&plan.cancel, chosen, comment) {
                Ok(batches) => run(batches),
                Err(error) => {
                    leptos::logging::warn!("{error}");
                    problem.set(Some(text::no_key().to_owned()))
                }
            }
        }
    };

    let retry_failed = {
        let run = run.clone();
        move || {
            let Some(chosen) = reason.get_untracked() else {
                return;
            };
            let resend = unanswered.get_value();
            unanswered.set_value(Vec::new());
            let resent: Vec<String> = resend
                .iter()
                .flat_map(|batch| batch.request.posting_numbers.clone())
                .collect();
            // Shipments the server itself reported as failed go in a new request: it is a new
            // intent, and the server judges each of them again.
            let refused: Vec<(String, u64)> = results.with_untracked(|all| {
                all.iter()
                    .filter(|r| {
                        r.outcome == BulkOutcome::Failed && !resent.contains(&r.posting_number)
                    })
                    .filter_map(|r| {
                        shipments.with_value(|shipments| {
                            shipments
                                .iter()
                                .find(|s| s.posting_number == r.posting_number)
                                .map(|s| (s.posting_number.clone(), s.version))
                        })
                    })
                    .collect()
            });
            let comment = resend
                .first()
                .map(|batch| batch.request.comment.clone())
                .unwrap_or_else(|| {
                    chosen
                        .requires_comment()
                        .then(|| description.get_untracked().trim().to_owned())
                });
            let mut all_batches = resend;
            match batches(&refused, chosen, comment) {
                Ok(more) => all_batches.extend(more),
                Err(error) => {
                    {
                        leptos::logging::warn!("{error}");
                        problem.set(Some(text::no_key().to_owned()))
                    };
                    return;
                }
            }
            results.update(|all| all.retain(|r| r.outcome != BulkOutcome::Failed));
            run(all_batches);
        }
    };

    let reasons = offered
        .iter()
        .map(|option| {
            let option = *option;
            view! {
                <ReasonRadio
                    option
                    group="bulk-reason"
                    reason
                    disabled=Signal::derive(move || !matches!(phase.get(), Phase::Choosing))
                />
            }
        })
        .collect_view();

    let description_error = move || {
        let typed = description.get();
        match validate_comment(Reason::Other, Some(&typed)) {
            Err(error) if attempted.get() || !typed.trim().is_empty() => Some(error),
            _ => None,
        }
    };
    let description_view = move || {
        (reason.get() == Some(Reason::Other) && matches!(phase.get(), Phase::Choosing)).then(|| {
            view! {
                <div class="field">
                    <label for="bulk-description">{text::description_label}</label>
                    <textarea
                        id="bulk-description"
                        rows="3"
                        aria-invalid=move || description_error().is_some().then_some("true")
                        aria-describedby="bulk-description-help"
                        prop:value=move || description.get()
                        on:input=move |event| description.set(event_target_value(&event))
                    ></textarea>
                    <div id="bulk-description-help" class="field-help">
                        <span class="counter" aria-live="polite">
                            {move || text::description_counter(comment_length(&description.get()))}
                        </span>
                        {move || {
                            description_error()
                                .map(|error| {
                                    view! { <span class="field-error">{text::comment_error(error)}</span> }
                                })
                        }}
                    </div>
                </div>
            }
        })
    };

    let precheck = move || {
        planned.get().map(|plan| {
            let skipped =
                plan.skip
                    .iter()
                    .map(|line| {
                        match line {
                    SkipLine::One { posting_number, why } => view! {
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
                    })
                    .collect_view();
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
    };

    let progress = move || match phase.get() {
        Phase::Running { done, total } => Some(view! {
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
    };

    let results_view = move || {
        let finished = matches!(phase.get(), Phase::Finished);
        finished.then(|| {
            let all = results.get();
            let count = |outcome: BulkOutcome| all.iter().filter(|r| r.outcome == outcome).count();
            let summary = text::bulk_summary(
                count(BulkOutcome::Cancelled),
                count(BulkOutcome::Requested),
                count(BulkOutcome::Skipped) + skipped_unlisted.get(),
                count(BulkOutcome::Failed),
            );
            let rows = all
                .into_iter()
                .map(|item| {
                    let class = format!("outcome outcome-{}", outcome_code(item.outcome));
                    view! {
                        <tr>
                            <td>{item.posting_number}</td>
                            <td class=class>{item.words}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <section class="results" aria-labelledby="bulk-results-heading">
                    <h3 id="bulk-results-heading">{text::bulk_results}</h3>
                    <p role="status">{summary}</p>
                    <table class="results-table">
                        <caption class="visually-hidden">{text::bulk_results}</caption>
                        <thead>
                            <tr>
                                <th scope="col">{text::col_shipment}</th>
                                <th scope="col">{text::col_cancellation}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </section>
            }
        })
    };
    let has_failed =
        move || results.with(|all| all.iter().any(|r| r.outcome == BulkOutcome::Failed));

    let footer = move || {
        if matches!(phase.get(), Phase::Finished) {
            let retry_failed = retry_failed.clone();
            view! {
                {has_failed()
                    .then(|| {
                        view! {
                            <button type="button" class="secondary" on:click=move |_| retry_failed()>
                                {text::retry_failed}
                            </button>
                        }
                    })}
                <button type="button" on:click=move |_| on_close.run(())>
                    {text::close_results}
                </button>
            }
            .into_any()
        } else {
            let start = start.clone();
            view! {
                <button type="button" class="secondary" disabled=running on:click=move |_| close()>
                    {text::keep_shipments}
                </button>
                <button
                    type="button"
                    class="danger"
                    disabled=move || running() || cancel_count.get() == 0
                    aria-busy=move || running().then_some("true")
                    on:click=move |_| start()
                >
                    {move || text::bulk_confirm(cancel_count.get() as usize)}
                </button>
            }
            .into_any()
        }
    };

    view! {
        <div class="backdrop" on:click=move |_| close()></div>
        <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="bulk-title" tabindex="-1" node_ref=dialog_ref>
            <DialogHeader title_id="bulk-title" title=text::bulk_title busy=Signal::derive(running) on_close=Callback::new(move |()| close()) />
            <div class="dialog-body">
                <p>{move || text::selected_count(selected)}</p>
                <fieldset class="reasons">
                    <legend>{text::reason_legend}</legend>
                    {reasons}
                </fieldset>
                {move || {
                    (attempted.get() && reason.get().is_none())
                        .then(|| view! { <p class="field-error">{text::choose_reason}</p> })
                }}
                {description_view}
                <Show when=move || matches!(phase.get(), Phase::Choosing)>{precheck}</Show>
                {progress}
                {results_view}
                {move || problem.get().or_else(|| precheck_problem.get()).map(|words| view! { <p class="notice error" role="alert">{words}</p> })}
            </div>
            <footer class="dialog-footer">{footer}</footer>
        </div>
    }
}

fn outcome_code(outcome: BulkOutcome) -> &'static str {
    match outcome {
        BulkOutcome::Cancelled => "cancelled",
        BulkOutcome::Requested => "requested",
        BulkOutcome::Skipped => "skipped",
        BulkOutcome::Failed => "failed",
    }
}

/// Cuts the posting numbers into requests of at most [`BATCH_SIZE`], each with its own key.
/// The requests of a run: each names the version the seller saw of each of its shipments, so that
/// one that changed since is judged again rather than cancelled (`BulkCancelRequest::versions`).
fn batches(
    seen: &[(String, u64)],
    reason: Reason,
    comment: Option<String>,
) -> Result<Vec<Batch>, crate::cancel::retry::KeyError> {
    seen.chunks(BATCH_SIZE)
        .map(|chunk| {
            Ok(Batch {
                key: new_key()?,
                request: BulkCancelRequest {
                    posting_numbers: chunk.iter().map(|(pn, _)| pn.clone()).collect(),
                    reason,
                    comment: comment.clone(),
                    versions: Some(chunk.iter().map(|(_, version)| *version).collect()),
                },
            })
        })
        .collect()
}

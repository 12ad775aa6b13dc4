//! The bulk cancellation dialog: one reason for many shipments, the pre-check, the progress and the
//! results. A thin view over [`BulkRun`], which decides what is sent, under which key, and what a
//! retry resends.

mod precheck;
pub mod results;

use domain::wire::{MatchFilter, MatchingPrecheckRequest};
use domain::{Reason, Shipment};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::Api;
use crate::bulk::plan::{Prechecked, offered_reasons, plan};
use crate::bulk::run::{Batch, BulkRun, StartError, Summary};
use crate::form::description::DescriptionField;
use crate::form::reason::ReasonRadio;
use crate::i18n::text;
use crate::intent::new_key;
use crate::modal::Modal;
use crate::retry::with_retries;

use precheck::{Precheck, Progress};
use results::Results;
pub use results::summary_words;

/// What a bulk cancellation is opened for: shipments the app holds, or every shipment a filter
/// matches (with the count the server gave), with a reason to start with.
#[derive(Clone, Debug, PartialEq)]
pub struct BulkOpen {
    pub shipments: Vec<Shipment>,
    pub preset: Option<Reason>,
    pub matching: Option<(MatchFilter, u64)>,
}

/// What the chosen reason will cancel and skip: judged here for the shipments the app holds, by
/// the server's pre-check for every matching one. With the pre-check's failure in words.
fn prechecked(
    api: Api,
    shipments: StoredValue<Vec<Shipment>>,
    matching: StoredValue<Option<MatchFilter>>,
    reason: RwSignal<Option<Reason>>,
) -> (Signal<Option<Prechecked>>, Signal<Option<String>>) {
    let local_plan = Memo::new(move |_| {
        reason
            .get()
            .map(|reason| shipments.with_value(|all| Prechecked::from(&plan(all, reason))))
    });
    let server_plan = LocalResource::new(move || {
        let api = api.clone();
        let (chosen, filter) = (reason.get(), matching.get_value());
        async move {
            let request = MatchingPrecheckRequest {
                filter: filter?,
                reason: chosen?,
                comment: None,
                limit: domain::api::matching::MAX_LIMIT,
            };
            Some(
                api.precheck_matching(&request)
                    .await
                    .map(|answer| Prechecked::from(&answer)),
            )
        }
    });
    let planned = Signal::derive(move || {
        if matching.with_value(Option::is_some) {
            server_plan.get().flatten().and_then(Result::ok)
        } else {
            local_plan.get()
        }
    });
    let problem = Signal::derive(move || {
        server_plan
            .get()
            .flatten()
            .and_then(Result::err)
            .map(|error| error.message())
    });
    (planned, problem)
}

/// Where a run's answers go.
#[derive(Clone, Copy)]
struct Answers {
    run: RwSignal<Option<BulkRun>>,
    on_shipment: Callback<Shipment>,
    on_finished: Callback<Summary>,
}

#[component]
pub fn BulkCancelDialog(
    shipments: Vec<Shipment>,
    /// The reason to start with, as after an undeliverable address.
    #[prop(default = None)]
    preset: Option<Reason>,
    on_close: Callback<()>,
    on_shipment: Callback<Shipment>,
    /// Runs once a run ends, with its summary.
    on_finished: Callback<Summary>,
    /// Every shipment this filter matches (how many, as the list said), judged by the server's
    /// pre-check instead of `shipments`, which the app does not download.
    #[prop(default = None)]
    matching: Option<(MatchFilter, u64)>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let selected = matching
        .as_ref()
        .map_or(shipments.len(), |(_, total)| *total as usize);
    // The server judges each reason for every matching shipment; every reason may be asked.
    let offered = if matching.is_some() {
        Reason::ALL.to_vec()
    } else {
        offered_reasons(&shipments)
    };
    let shipments = StoredValue::new(shipments);
    let matching = StoredValue::new(matching.map(|(filter, _)| filter));
    let reason = RwSignal::new(preset.filter(|preset| offered.contains(preset)));
    let description = RwSignal::new(String::new());
    let attempted = RwSignal::new(false);
    let run = RwSignal::new(None::<BulkRun>);
    let problem = RwSignal::new(None::<String>);
    let rate = crate::metric::current_rate(&api);
    let answers = Answers {
        run,
        on_shipment,
        on_finished,
    };

    let (planned, precheck_problem) = prechecked(api.clone(), shipments, matching, reason);
    let cancel_count =
        Signal::derive(move || planned.with(|p| p.as_ref().map_or(0, |p| p.cancel.len()) as u32));
    let started = move || run.with(Option::is_some);
    let running = Signal::derive(move || run.with(|r| r.as_ref().is_some_and(BulkRun::running)));

    let start = Callback::new({
        let api = api.clone();
        move |()| {
            attempted.set(true);
            let Some(plan) = planned.get_untracked() else {
                return;
            };
            let begun = shipments.with_value(|all| {
                BulkRun::start(
                    &plan,
                    all,
                    reason.get_untracked(),
                    &description.get_untracked(),
                    new_key,
                )
            });
            match begun {
                Ok((begun, batches)) => {
                    run.set(Some(begun));
                    send(api.clone(), batches, answers);
                }
                Err(StartError::NoKey(error)) => {
                    leptos::logging::warn!("{error}");
                    problem.set(Some(text::no_key().to_owned()));
                }
                // The form shows what is missing; the confirm button waits for a plan.
                Err(_) => {}
            }
        }
    });
    let retry_failed = Callback::new(move |()| {
        match run.try_update(|r| r.as_mut().map(|r| r.retry_failed(new_key))) {
            Some(Some(Ok(batches))) => send(api.clone(), batches, answers),
            Some(Some(Err(error))) => {
                leptos::logging::warn!("{error}");
                problem.set(Some(text::no_key().to_owned()));
            }
            _ => {}
        }
    });

    let reasons = offered
        .into_iter()
        .map(|option| {
            view! {
                <ReasonRadio
                    option
                    group="bulk-reason"
                    selected=reason
                    on_choose=Callback::new(move |chosen| reason.set(Some(chosen)))
                    disabled=Signal::derive(started)
                />
            }
        })
        .collect_view();
    let footer = move || {
        view! { <Footer run running cancel_count on_close start retry_failed /> }
    };

    view! {
        <Modal title_id="bulk-title" title=text::bulk_title busy=running on_close footer>
            <p>{move || text::selected_count(selected)}</p>
            <fieldset class="reasons">
                <legend>{text::reason_legend}</legend>
                {reasons}
            </fieldset>
            {move || {
                (attempted.get() && reason.get().is_none())
                    .then(|| view! { <p class="field-error">{text::choose_reason}</p> })
            }}
            <Show when=move || reason.get() == Some(Reason::Other) && !started()>
                <DescriptionField
                    id="bulk-description"
                    text=description
                    on_input=Callback::new(move |typed| description.set(typed))
                    attempted
                />
            </Show>
            <Show when=move || !started()>
                <Precheck planned reason rate cancel_count />
            </Show>
            <Progress run />
            <Results run />
            {move || {
                problem
                    .get()
                    .or_else(|| precheck_problem.get())
                    .map(|words| view! { <p class="notice error" role="alert">{words}</p> })
            }}
        </Modal>
    }
}

/// Before and during a run: keep or cancel; after it: retry the failures, close the results.
#[component]
fn Footer(
    run: RwSignal<Option<BulkRun>>,
    running: Signal<bool>,
    cancel_count: Signal<u32>,
    on_close: Callback<()>,
    start: Callback<()>,
    retry_failed: Callback<()>,
) -> impl IntoView {
    let finished = move || run.with(|r| r.as_ref().is_some_and(|r| !r.running()));
    let has_failed = move || run.with(|r| r.as_ref().is_some_and(BulkRun::has_failed));
    view! {
        <Show
            when=finished
            fallback=move || view! { <ChoosingFooter running cancel_count on_close start /> }
        >
            <Show when=has_failed>
                <button type="button" class="secondary" on:click=move |_| retry_failed.run(())>
                    {text::retry_failed}
                </button>
            </Show>
            <button type="button" on:click=move |_| on_close.run(())>
                {text::close_results}
            </button>
        </Show>
    }
}

#[component]
fn ChoosingFooter(
    running: Signal<bool>,
    cancel_count: Signal<u32>,
    on_close: Callback<()>,
    start: Callback<()>,
) -> impl IntoView {
    view! {
        <button type="button" class="secondary" disabled=running on:click=move |_| on_close.run(())>
            {text::keep_shipments}
        </button>
        <button
            type="button"
            class="danger"
            disabled=move || running.get() || cancel_count.get() == 0
            aria-busy=move || running.get().then_some("true")
            on:click=move |_| start.run(())
        >
            {move || text::bulk_confirm(cancel_count.get() as usize)}
        </button>
    }
}

/// Sends the batches one after another, with automatic retries under each batch's key, and
/// hands each answer to the run.
fn send(api: Api, batches: Vec<Batch>, to: Answers) {
    spawn_local(async move {
        for batch in batches {
            let answer = with_retries(|| api.cancel_many(&batch.key, &batch.request), |_| ()).await;
            let rows = to
                .run
                .try_update(|run| run.as_mut().map(|run| run.answered(batch, answer)))
                .flatten()
                .unwrap_or_default();
            for row in rows {
                to.on_shipment.run(row);
            }
        }
        if let Some(Some(summary)) = to.run.try_update(|run| run.as_mut().map(BulkRun::finish)) {
            to.on_finished.run(summary);
        }
    });
}

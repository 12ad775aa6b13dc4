//! "Remove it from the others": after an `out_of_stock` cancellation, the other shipments before
//! handover at the same warehouse that hold the product, found and judged by the server in one
//! request, and removed in one step with a result per shipment. The decisions are in [`run`].

pub mod run;

use domain::Shipment;
use domain::out_of_stock::{RemovalOutcome, RemovalPrecheck, RemovalPrecheckRequest};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::Api;
use crate::bulk::dialog::results::OutcomeTable;
use crate::i18n::text;
use crate::intent::new_key;
use crate::retry::with_retries;
use run::{Batch, OutOfStock, Removed, Sweep, SweepSummary};

#[derive(Clone, Debug, PartialEq)]
enum Found {
    Looking,
    Failed(String),
    /// What the pre-check found; the seller has not confirmed yet.
    Judged(RemovalPrecheck),
}

/// The product's name, or its SKU in words when the shipment no longer holds its line.
pub fn product_words(product: &OutOfStock) -> String {
    if product.name.is_empty() {
        text::sku_product(&product.sku)
    } else {
        product.name.clone()
    }
}

/// The sweep's summary in words, as its results open with it and the page's toast says it.
pub fn summary_words(summary: SweepSummary) -> String {
    text::sweep_summary(
        summary.reduced,
        summary.cancelled,
        summary.skipped,
        summary.failed,
    )
}

fn result_words(item: &Removed) -> String {
    let why = || match (&item.unanswered, item.code) {
        (Some(error), _) => error.message(),
        (None, Some(code)) => text::problem(code).to_owned(),
        (None, None) => text::details_changed().to_owned(),
    };
    match item.outcome {
        RemovalOutcome::Reduced => text::outcome_reduced().to_owned(),
        RemovalOutcome::Cancelled => text::outcome_cancelled().to_owned(),
        RemovalOutcome::Skipped => text::outcome_skipped(&why()),
        RemovalOutcome::Failed => text::outcome_failed(&why()),
    }
}

#[component]
pub fn SweepFollowUp(
    product: OutOfStock,
    /// A shipment the sweep changed (or found changed): its row.
    on_shipment: Callback<Shipment>,
    /// The sweep ended: its one summary.
    on_finished: Callback<SweepSummary>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let found = RwSignal::new(Found::Looking);
    let confirming = RwSignal::new(false);
    let sweep = RwSignal::new(None::<Sweep>);
    let key_error = RwSignal::new(None::<String>);

    // One request, as the follow-up opens: the server finds and judges the shipments.
    {
        let api = api.clone();
        let request = RemovalPrecheckRequest {
            sku: product.sku.clone(),
            warehouse_id: product.warehouse_id.clone(),
        };
        spawn_local(async move {
            let step = match api.precheck_removal(&request).await {
                Ok(answer) => Found::Judged(answer),
                Err(error) => Found::Failed(error.message()),
            };
            found.try_set(step);
        });
    }

    let send = {
        let api = api.clone();
        move |batches: Vec<Batch>| {
            let api = api.clone();
            spawn_local(async move {
                for batch in batches {
                    let answer =
                        with_retries(|| api.remove_product(&batch.key, &batch.request), |_| ())
                            .await;
                    let rows = sweep
                        .try_update(|s| s.as_mut().map(|s| s.answered(batch, answer)))
                        .flatten()
                        .unwrap_or_default();
                    for row in rows {
                        on_shipment.run(row);
                    }
                }
                if let Some(Some(summary)) = sweep.try_update(|s| s.as_mut().map(Sweep::finish)) {
                    on_finished.run(summary);
                }
            });
        }
    };
    let start = {
        let send = send.clone();
        let product = product.clone();
        move |_| {
            let Found::Judged(precheck) = found.get_untracked() else {
                return;
            };
            match Sweep::start(product.clone(), &precheck, new_key) {
                Ok(Some((started, batches))) => {
                    confirming.set(false);
                    sweep.set(Some(started));
                    send(batches);
                }
                Ok(None) => confirming.set(false),
                Err(error) => key_error.set(Some(error.to_string())),
            }
        }
    };
    let retry = Callback::new(move |()| {
        let batches = sweep
            .try_update(|s| s.as_mut().map(Sweep::retry))
            .flatten()
            .unwrap_or_default();
        if !batches.is_empty() {
            send(batches);
        }
    });

    let name = product_words(&product);
    let warehouse = product.warehouse_id.clone();
    let heading_id = format!("sweep-{}", product.sku);
    let found_view = move || match found.get() {
        Found::Looking => view! { <p role="status">{text::looking_up}</p> }.into_any(),
        Found::Failed(words) => {
            view! { <p class="field-error" role="alert">{words}</p> }.into_any()
        }
        Found::Judged(answer) if answer.holding == 0 => {
            view! { <p role="status">{text::sweep_none(&name, &warehouse)}</p> }.into_any()
        }
        Found::Judged(answer) => {
            let changeable = answer.partial.len() + answer.whole.len();
            let start = start.clone();
            let heading_id = heading_id.clone();
            let holding = answer.holding as usize;
            let name = name.clone();
            view! {
                <p role="status">{text::sweep_found(&name, &warehouse, holding)}</p>
                {move || {
                    let name = name.clone();
                    let idle = sweep.with(Option::is_none);
                    if !idle || changeable == 0 {
                        return None;
                    }
                    Some(if confirming.get() {
                        view! {
                            <div class="confirm" role="group" aria-labelledby=heading_id.clone()>
                                <Plan answer=answer.clone() />
                                <p>{text::sweep_counts_note}</p>
                                <button type="button" class="danger" on:click=start.clone()>
                                    {text::sweep_confirm(changeable)}
                                </button>
                                <button type="button" class="secondary" on:click=move |_| confirming.set(false)>
                                    {text::sweep_keep}
                                </button>
                            </div>
                        }
                        .into_any()
                    } else {
                        view! {
                            <button type="button" class="secondary" on:click=move |_| confirming.set(true)>
                                {text::sweep_open(&name)}
                            </button>
                        }
                        .into_any()
                    })
                }}
            }
            .into_any()
        }
    };
    let results_view = move || {
        sweep.with(|s| {
            let s = s.as_ref()?;
            if s.running() {
                let (done, total) = s.progress();
                return Some(view! { <p role="status" aria-busy="true">{text::bulk_progress(done, total)}</p> }.into_any());
            }
            let rows = s
                .results()
                .iter()
                .map(|item| (item.posting_number.clone(), item.outcome.code(), result_words(item)))
                .collect();
            let can_retry = s.can_retry();
            Some(view! {
                <p role="status">{summary_words(s.summary())}</p>
                <OutcomeTable caption=text::sweep_results() rows />
                {can_retry.then(|| view! {
                    <button type="button" class="secondary" on:click=move |_| retry.run(())>{text::retry_failed}</button>
                })}
            }
            .into_any())
        })
    };

    view! {
        <div class="follow-up-item sweep">
            <h3 id=format!("sweep-{}", product.sku)>{text::sweep_heading(&product_words(&product))}</h3>
            {found_view}
            {move || key_error.get().map(|words| view! { <p class="field-error" role="alert">{words}</p> })}
            {results_view}
        </div>
    }
}

/// What confirming would do, by kind, as the pre-check judged it.
#[component]
fn Plan(answer: RemovalPrecheck) -> impl IntoView {
    let skipped = answer
        .skipped
        .iter()
        .map(|line| {
            view! { <li>{text::sweep_skipped(line.shipments as usize, text::problem(line.code))}</li> }
        })
        .collect_view();
    view! {
        <ul class="sweep-plan">
            {(!answer.partial.is_empty())
                .then(|| view! { <li>{text::sweep_partial(answer.partial.len())}</li> })}
            {(!answer.whole.is_empty())
                .then(|| view! { <li>{text::sweep_whole(answer.whole.len())}</li> })}
            {skipped}
        </ul>
    }
}

//! The "Cancel some products" dialog: a thin view over [`PartialFlow`]. A stepper per product,
//! the reasons of a partial cancellation, what remains, the effects; every decision is the flow's.

use domain::{ProblemCode, Reason, Shipment};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::Api;
use crate::cancel::changes;
use crate::cancel::dialog::notices::SubmissionNotice;
use crate::cancel::dialog::summary::Summary;
use crate::cancel::dialog::with_current_state;
use crate::feedback::Announcer;
use crate::form::description::DescriptionField;
use crate::form::reason::ReasonRadio;
use crate::format;
use crate::i18n::text;
use crate::intent::{Versioned, new_key};
use crate::metric::preview::RatePreview;
use crate::modal::Modal;
use crate::partial::flow::{
    Confirm, FormError, PartialDone, PartialFlow, PartialIntent, ToWhole, items_sku,
};
use crate::retry::with_retries;

const TITLE_ID: &str = "partial-dialog-title";
const INTRO_ID: &str = "partial-intro";
const DESCRIPTION_ID: &str = "partial-description";
const REASON_ERROR_ID: &str = "partial-reason-error";
const NOTHING_CHOSEN_ID: &str = "partial-nothing-chosen";

/// The id of stepper `index`'s number field.
fn stepper_id(index: usize) -> String {
    format!("partial-units-{index}")
}

#[derive(Clone, Copy)]
struct Answered {
    on_shipment: Callback<Shipment>,
    on_done: Callback<PartialDone>,
}

#[component]
pub fn PartialDialog(
    shipment: Shipment,
    on_close: Callback<()>,
    /// The server's current state of the shipment, for its row: after a success, a 412 or a 422.
    on_shipment: Callback<Shipment>,
    /// The partial cancellation went through.
    on_done: Callback<PartialDone>,
    /// Every unit was chosen: the whole cancellation takes over, with what the seller entered.
    on_whole: Callback<ToWhole>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let announcer = use_context::<Announcer>();
    let about = shipment.posting_number.clone();
    let flow = RwSignal::new(PartialFlow::new(shipment));
    let busy = Memo::new(move |_| flow.with(PartialFlow::busy));
    let not_offered = Memo::new(move |_| flow.with(PartialFlow::not_offered));
    let reason = Memo::new(move |_| flow.with(PartialFlow::reason));
    let answered = Answered {
        on_shipment,
        on_done,
    };
    let rate = crate::metric::current_rate(&api);

    let confirm = Callback::new(
        move |()| match flow.try_update(|flow| flow.confirm(new_key)) {
            Some(Confirm::Send(intent)) => send(api.clone(), flow, intent, answered),
            Some(Confirm::Whole(to_whole)) => {
                if let Some(announcer) = announcer {
                    announcer.status(text::partial_became_whole());
                }
                on_whole.run(*to_whole);
            }
            Some(Confirm::Invalid(error)) => focus_first_problem(flow, &error),
            Some(Confirm::Nothing) | None => {}
        },
    );
    let choose = Callback::new(move |reason: Reason| flow.update(|flow| flow.choose(reason)));

    view! {
        <Modal
            title_id=TITLE_ID
            title=text::partial_title
            busy
            on_close
            about
            described_by=Signal::derive(|| Some(INTRO_ID))
            footer=move || view! { <Footer flow busy not_offered on_close confirm /> }
        >
            <Summary shipment=Memo::new(move |_| flow.with(|f| f.shipment().clone())) />
            <p id=INTRO_ID>{text::partial_intro}</p>
            <Changed flow />
            <Show
                when=move || !not_offered.get()
                fallback=|| view! { <p class="notice blocked">{move || text::problem(ProblemCode::PartialNotOffered)}</p> }
            >
                <Steppers flow />
                <EveryUnit flow />
                <Remains flow />
                <Reasons flow reason choose />
                <Show when=move || reason.get() == Some(Reason::Other)>
                    <DescriptionField
                        id=DESCRIPTION_ID
                        text=Signal::derive(move || flow.with(|f| f.description().to_owned()))
                        on_input=Callback::new(move |typed| flow.update(|f| f.describe(typed)))
                        attempted=Signal::derive(move || flow.with(PartialFlow::attempted))
                    />
                </Show>
                <Effects flow reason rate />
            </Show>
            <SubmissionNotice submission=Memo::new(move |_| flow.with(|f| f.submission().clone())) />
        </Modal>
    }
}

/// What changed under the seller, after the server answered with a newer state.
#[component]
fn Changed(flow: RwSignal<PartialFlow>) -> impl IntoView {
    let lines = Memo::new(move |_| {
        flow.with(|f| f.changes().map(|(seen, now)| changes::describe(seen, now)))
    });
    move || {
        let lines = lines.get()?;
        Some(view! {
            <div class="notice changed" role="alert">
                <p>{text::changed_heading}</p>
                <ul>{lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
                <p>{text::partial_changed_check}</p>
            </div>
        })
    }
}

/// One labelled number field per product, with − and + beside it. The field is the one Tab stop
/// (its arrow keys step it, and a screen reader speaks its value); − and + are for the pointer,
/// and what they change is spoken through the page's live region.
#[component]
fn Steppers(flow: RwSignal<PartialFlow>) -> impl IntoView {
    let announcer = use_context::<Announcer>();
    // The products, by SKU: a product gone after a 412 redraws the rows.
    let count = Memo::new(move |_| {
        flow.with(|f| {
            f.steppers()
                .iter()
                .map(|s| s.sku.clone())
                .collect::<Vec<_>>()
        })
    });
    let nothing_chosen = Memo::new(move |_| flow.with(PartialFlow::nothing_chosen));
    let busy = Memo::new(move |_| flow.with(PartialFlow::busy));
    let step = move |index: usize, up: bool| {
        flow.update(|f| f.step(index, up));
        if let Some(announcer) = announcer {
            let said = flow.with_untracked(|f| {
                let stepper = f.steppers().get(index)?;
                Some(text::partial_units_chosen(
                    &stepper.name,
                    stepper.units()?,
                    stepper.max,
                ))
            });
            if let Some(words) = said {
                announcer.status(words);
            }
        }
    };
    let row = move |index: usize| {
        // A new state of the shipment (after a 412) may hold fewer units of the product: the
        // bound, the typed value and the error follow the flow. The product at an index stays
        // while the number of products does (a product gone redraws the rows).
        let (name, sku) = flow.with_untracked(|f| {
            let s = &f.steppers()[index];
            (s.name.clone(), s.sku.clone())
        });
        let max = Memo::new(move |_| flow.with(|f| f.steppers().get(index).map_or(0, |s| s.max)));
        let id = stepper_id(index);
        let held_id = format!("{id}-held");
        let error_id = format!("{id}-error");
        let error = Memo::new(move |_| flow.with(|f| f.stepper_error(index)));
        let units =
            Memo::new(move |_| flow.with(|f| f.steppers().get(index).and_then(|s| s.units())));
        let described_by = {
            let (held_id, error_id) = (held_id.clone(), error_id.clone());
            move || {
                if error.with(Option::is_some) {
                    format!("{held_id} {error_id}")
                } else {
                    held_id.clone()
                }
            }
        };
        let fewer = {
            let name = name.clone();
            move || text::partial_fewer(&name)
        };
        let more = {
            let name = name.clone();
            move || text::partial_more(&name)
        };
        let label = {
            let name = name.clone();
            move || text::partial_units_label(&name)
        };
        view! {
            <div class="stepper" data-sku=sku.clone()>
                <label for=id.clone()>{label}</label>
                <div class="stepper-controls">
                    <button
                        type="button"
                        class="secondary step"
                        tabindex="-1"
                        aria-label=fewer
                        disabled=move || busy.get() || units.get().unwrap_or(0) == 0
                        on:click=move |_| step(index, false)
                    >
                        "−"
                    </button>
                    <input
                        id=id
                        type="number"
                        inputmode="numeric"
                        min="0"
                        max=move || max.get().to_string()
                        step="1"
                        aria-invalid=move || error.with(Option::is_some).then_some("true")
                        aria-describedby=described_by
                        disabled=busy
                        prop:value=move || flow.with(|f| f.steppers().get(index).map(|s| s.typed().to_owned()))
                        on:input=move |event| {
                            let typed = event_target_value(&event);
                            flow.update(|f| f.set_units(index, typed));
                        }
                    />
                    <button
                        type="button"
                        class="secondary step"
                        tabindex="-1"
                        aria-label=more
                        disabled=move || busy.get() || units.get().is_some_and(|units| units >= max.get())
                        on:click=move |_| step(index, true)
                    >
                        "+"
                    </button>
                    <span class="muted" id=held_id>{move || text::partial_held(max.get())}</span>
                </div>
                {move || {
                    error
                        .get()
                        .map(|error| {
                            view! {
                                <p class="field-error" id=error_id.clone()>
                                    {text::partial_stepper_error(&error)}
                                </p>
                            }
                        })
                }}
            </div>
        }
    };
    view! {
        <fieldset
            class="steppers"
            aria-describedby=move || nothing_chosen.get().then_some(NOTHING_CHOSEN_ID)
        >
            <legend>{text::partial_products_legend}</legend>
            {move || (0..count.with(Vec::len)).map(row).collect_view()}
        </fieldset>
        {move || {
            nothing_chosen
                .get()
                .then(|| view! { <p class="field-error" id=NOTHING_CHOSEN_ID>{text::partial_nothing_chosen}</p> })
        }}
    }
}

/// Every unit is chosen: this is the whole cancellation, which the confirm button now opens.
#[component]
fn EveryUnit(flow: RwSignal<PartialFlow>) -> impl IntoView {
    let whole = Memo::new(move |_| flow.with(PartialFlow::whole));
    move || {
        whole
            .get()
            .then(|| view! { <p class="notice warning whole" role="status">{text::partial_every_unit}</p> })
    }
}

/// What would remain of the shipment, and the warnings judged again on it.
#[component]
fn Remains(flow: RwSignal<PartialFlow>) -> impl IntoView {
    let remaining = Memo::new(move |_| flow.with(|f| f.remaining().ok()));
    let whole = Memo::new(move |_| flow.with(PartialFlow::whole));
    let warnings = Memo::new(move |_| flow.with(PartialFlow::warnings_after));
    move || {
        if whole.get() {
            return None;
        }
        let body = match remaining.get() {
            Some(lines) => view! {
                <ul class="products remains">
                    {lines.iter().map(|line| view! { <li>{format::product_line(line)}</li> }).collect_view()}
                </ul>
            }
            .into_any(),
            None => view! { <p class="muted">{text::partial_remains_pending}</p> }.into_any(),
        };
        let warnings = warnings
            .get()
            .into_iter()
            .map(|after| {
                let class = match after {
                    crate::partial::flow::WarningAfter::Clears(_) => "notice warning-clears",
                    crate::partial::flow::WarningAfter::Stays(_) => "notice warning",
                };
                view! { <p class=class>{move || text::partial_warning_after(after)}</p> }
            })
            .collect_view();
        Some(view! {
            <section class="remains" aria-labelledby="partial-remains-heading">
                <h3 id="partial-remains-heading">{text::partial_remains_heading}</h3>
                {body}
                {warnings}
            </section>
        })
    }
}

#[component]
fn Reasons(
    flow: RwSignal<PartialFlow>,
    reason: Memo<Option<Reason>>,
    choose: Callback<Reason>,
) -> impl IntoView {
    let missing = Memo::new(move |_| flow.with(PartialFlow::reason_missing));
    let reasons = Memo::new(move |_| flow.with(PartialFlow::reasons));
    let busy = Memo::new(move |_| flow.with(PartialFlow::busy));
    let options = move || {
        reasons
            .get()
            .iter()
            .map(|&option| {
                view! { <ReasonRadio option group="partial-reason" selected=reason on_choose=choose disabled=busy /> }
            })
            .collect_view()
    };
    view! {
        <fieldset class="reasons" aria-describedby=move || missing.get().then_some(REASON_ERROR_ID)>
            <legend>{text::reason_legend}</legend>
            {options}
        </fieldset>
        {move || {
            missing
                .get()
                .then(|| view! { <p class="field-error" id=REASON_ERROR_ID>{text::choose_reason}</p> })
        }}
    }
}

/// What the partial cancellation does: now, the stock of the chosen products only, the rate.
#[component]
fn Effects(
    flow: RwSignal<PartialFlow>,
    reason: Memo<Option<Reason>>,
    rate: LocalResource<Result<domain::metric::RateReport, crate::api::ApiError>>,
) -> impl IntoView {
    let stock_reset = Memo::new(move |_| {
        flow.with(|f| {
            let names = f
                .stock_reset()?
                .iter()
                .map(|s| text::product_with_sku(&s.name, &s.sku))
                .collect::<Vec<_>>()
                .join(", ");
            Some(text::stock_reset(&names, &f.shipment().warehouse_id))
        })
    });
    let already_counted = Memo::new(move |_| flow.with(PartialFlow::already_counted));
    let count = Memo::new(move |_| flow.with(PartialFlow::rate_count));
    view! {
        <section class="effects" aria-labelledby="partial-outcome-heading">
            <h3 id="partial-outcome-heading">{text::outcome_heading}</h3>
            <p class="outcome">{text::partial_outcome_now}</p>
            {move || stock_reset.get().map(|words| view! { <p class="notice warning">{words}</p> })}
            <RatePreview rate reason count />
            {move || already_counted.get().then(|| view! { <p class="note already-counted">{text::partial_already_counted}</p> })}
        </section>
    }
}

#[component]
fn Footer(
    flow: RwSignal<PartialFlow>,
    busy: Memo<bool>,
    not_offered: Memo<bool>,
    on_close: Callback<()>,
    confirm: Callback<()>,
) -> impl IntoView {
    let busy = move || busy.get();
    let can_retry = Memo::new(move |_| flow.with(PartialFlow::can_retry));
    let whole = Memo::new(move |_| flow.with(PartialFlow::whole));
    view! {
        <button type="button" class="secondary" disabled=busy on:click=move |_| on_close.run(())>
            {text::keep_shipment}
        </button>
        <Show when=move || can_retry.get()>
            <button type="button" class="secondary" on:click=move |_| confirm.run(())>
                {text::retry}
            </button>
        </Show>
        <button
            type="button"
            class="danger"
            disabled=move || busy() || not_offered.get()
            aria-busy=move || busy().then_some("true")
            on:click=move |_| confirm.run(())
        >
            {move || {
                if busy() {
                    view! {
                        <span class="spinner small" aria-hidden="true"></span>
                        {text::sending}
                    }
                        .into_any()
                } else if whole.get() {
                    text::partial_to_whole.into_any()
                } else {
                    text::partial_confirm.into_any()
                }
            }}
        </button>
    }
}

/// Sends the intent with automatic retries, then lets the flow settle the answer.
fn send(api: Api, flow: RwSignal<PartialFlow>, intent: PartialIntent, answered: Answered) {
    spawn_local(async move {
        let Versioned {
            posting_number,
            version,
            body,
        } = &intent.request;
        let answer = with_retries(
            || api.cancel_items(posting_number, *version, &intent.key, body),
            |pause| {
                flow.try_update(|flow| flow.pausing(pause));
            },
        )
        .await;
        let answer = with_current_state(&api, answer, posting_number).await;
        let Some(settled) = flow.try_update(|flow| flow.settle(answer)) else {
            return;
        };
        if let Some(row) = settled.row {
            answered.on_shipment.run(row);
        }
        if let Some(done) = settled.done {
            answered.on_done.run(done);
        }
    });
}

/// Moves focus to the field that stops the confirmation.
fn focus_first_problem(flow: RwSignal<PartialFlow>, error: &FormError) {
    use domain::partial::PartialError;
    let stepper_of = |sku: &str| {
        flow.with_untracked(|f| f.steppers().iter().position(|s| s.sku == sku))
            .unwrap_or(0)
    };
    let selector = match error {
        FormError::Unreadable { sku } => format!("#{}", stepper_id(stepper_of(sku))),
        FormError::NoReason | FormError::Rules(PartialError::ReasonNotOffered) => {
            "input[name='partial-reason']".to_owned()
        }
        FormError::Rules(PartialError::Comment(_)) => format!("#{DESCRIPTION_ID}"),
        FormError::Rules(PartialError::Items(items)) => {
            let index = items_sku(items).map(stepper_of).unwrap_or(0);
            format!("#{}", stepper_id(index))
        }
        FormError::Rules(PartialError::NotOffered) => return,
    };
    let target = document()
        .query_selector(&selector)
        .ok()
        .flatten()
        .and_then(|element| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(element).ok());
    if let Some(target) = target
        && let Err(error) = target.focus()
    {
        leptos::logging::warn!("could not focus {selector}: {error:?}");
    }
}

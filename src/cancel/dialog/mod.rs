//! The cancellation dialog: a thin view over [`CancelFlow`]. It shows the flow's state and forwards
//! the seller's choices; the request goes out with retries and comes back to the flow to settle.

mod effects;
pub(crate) mod notices;
pub(crate) mod summary;

use domain::Reason;
use domain::{Eligibility, Shipment};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{Api, ApiError, CancelAnswer};
use crate::cancel::flow::{CancelFlow, CancelIntent, Confirm, Preset, needs_current_state};
use crate::cancel::form::FormError;
use crate::form::description::DescriptionField;
use crate::form::reason::ReasonRadio;
use crate::i18n::text;
use crate::intent::{Versioned, new_key};
use crate::modal::Modal;
use crate::retry::with_retries;

use effects::Effects;
use notices::{BlockedNotice, ChangedNotice, CommercialNotice, SubmissionNotice};
use summary::Summary;

const TITLE_ID: &str = "cancel-dialog-title";
const DESCRIPTION_ID: &str = "cancel-description";
const REASON_ERROR_ID: &str = "cancel-reason-error";
pub(crate) const OUTCOME_ID: &str = "cancel-outcome";

/// Where a finished request goes: the row, and the page once the cancellation is done.
#[derive(Clone, Copy)]
struct Answered {
    on_shipment: Callback<Shipment>,
    on_done: Callback<CancelAnswer>,
}

#[component]
pub fn CancelDialog(
    shipment: Shipment,
    /// The seller keeps the shipment: Escape, Close or Keep shipment.
    on_close: Callback<()>,
    /// The server's current state of the shipment, for its row: after a success, a 412 or a 422.
    on_shipment: Callback<Shipment>,
    /// The cancellation went through or was requested from the provider.
    on_done: Callback<CancelAnswer>,
    /// The seller prefers to split the commercial shipment into parcels; without it, splitting is
    /// only suggested in words.
    #[prop(optional)]
    on_split: Option<Callback<Shipment>>,
    /// What the seller entered in the partial cancellation that chose every unit, and so became
    /// this one; the dialog says why it is a whole cancellation now.
    #[prop(optional)]
    preset: Option<Preset>,
) -> impl IntoView {
    let api = expect_context::<Api>();
    let about = shipment.posting_number.clone();
    let from_partial = preset.is_some();
    let flow = RwSignal::new(match preset {
        Some(preset) => CancelFlow::with_preset(shipment, preset),
        None => CancelFlow::new(shipment),
    });
    let eligibility = Memo::new(move |_| flow.with(CancelFlow::eligibility));
    let reason = Memo::new(move |_| flow.with(CancelFlow::reason));
    let busy = Memo::new(move |_| flow.with(CancelFlow::busy));
    let blocked = Memo::new(move |_| eligibility.with(|e| e.blocked.is_some()));
    let rate = crate::metric::current_rate(&api);
    let answered = Answered {
        on_shipment,
        on_done,
    };

    let confirm = Callback::new(
        move |()| match flow.try_update(|flow| flow.confirm(new_key)) {
            Some(Confirm::Send(intent)) => send(api.clone(), flow, intent, answered),
            Some(Confirm::Invalid(error)) => focus_first_problem(error),
            Some(Confirm::Nothing) | None => {}
        },
    );
    let choose = Callback::new(move |reason: Reason| flow.update(|flow| flow.choose(reason)));
    let described_by = Signal::derive(move || {
        (!blocked.get() && eligibility.with(|e| e.mode.is_some())).then_some(OUTCOME_ID)
    });

    view! {
        <Modal
            title_id=TITLE_ID
            title=text::dialog_title
            busy
            on_close
            about
            described_by
            footer=move || view! { <Footer flow busy blocked on_close confirm /> }
        >
            <Summary shipment=Memo::new(move |_| flow.with(|f| f.shipment().clone())) />
            {from_partial.then(|| view! { <p class="notice">{text::partial_became_whole}</p> })}
            <ChangedNotice flow eligibility />
            <BlockedNotice eligibility />
            <CommercialNotice flow choose on_split />
            <Show when=move || !blocked.get()>
                <Reasons flow eligibility reason choose />
                <Show when=move || reason.get() == Some(Reason::Other)>
                    <DescriptionField
                        id=DESCRIPTION_ID
                        text=Signal::derive(move || flow.with(|f| f.description().to_owned()))
                        on_input=Callback::new(move |typed| flow.update(|f| f.describe(typed)))
                        attempted=Signal::derive(move || flow.with(CancelFlow::attempted))
                    />
                </Show>
                <Effects flow eligibility reason rate />
            </Show>
            <SubmissionNotice submission=Memo::new(move |_| flow.with(|f| f.submission().clone())) />
        </Modal>
    }
}

/// The reasons the rules offer this shipment, and the error when none is chosen at a confirm.
///
/// The parts of the dialog read the flow through memos, so that a keystroke in the description
/// redraws nothing else (an alert drawn again is spoken again).
#[component]
fn Reasons(
    flow: RwSignal<CancelFlow>,
    eligibility: Memo<Eligibility>,
    reason: Memo<Option<Reason>>,
    choose: Callback<Reason>,
) -> impl IntoView {
    let missing = Memo::new(move |_| flow.with(CancelFlow::reason_missing));
    let missing = move || missing.get();
    let options = move || {
        eligibility
            .get()
            .reasons
            .into_iter()
            .map(|option| {
                view! { <ReasonRadio option group="reason" selected=reason on_choose=choose /> }
            })
            .collect_view()
    };
    view! {
        <fieldset class="reasons" aria-describedby=move || missing().then_some(REASON_ERROR_ID)>
            <legend>{text::reason_legend}</legend>
            {options}
        </fieldset>
        {move || {
            missing().then(|| view! { <p class="field-error" id=REASON_ERROR_ID>{text::choose_reason}</p> })
        }}
    }
}

#[component]
fn Footer(
    flow: RwSignal<CancelFlow>,
    busy: Memo<bool>,
    blocked: Memo<bool>,
    on_close: Callback<()>,
    confirm: Callback<()>,
) -> impl IntoView {
    let busy = move || busy.get();
    let can_retry = move || flow.with(CancelFlow::can_retry);
    let valid = move || flow.with(|f| f.form().is_ok()).to_string();
    view! {
        <button type="button" class="secondary" disabled=busy on:click=move |_| on_close.run(())>
            {text::keep_shipment}
        </button>
        <Show when=can_retry>
            <button type="button" class="secondary" on:click=move |_| confirm.run(())>
                {text::retry}
            </button>
        </Show>
        <button
            type="button"
            class="danger"
            disabled=move || busy() || blocked.get()
            aria-busy=move || busy().then_some("true")
            data-valid=valid
            on:click=move |_| confirm.run(())
        >
            {move || {
                if busy() {
                    view! {
                        <span class="spinner small" aria-hidden="true"></span>
                        {text::sending}
                    }
                        .into_any()
                } else {
                    text::cancel_shipment.into_any()
                }
            }}
        </button>
    }
}

/// Sends the intent with automatic retries, then lets the flow settle the answer and passes on
/// what it means for the row and the page.
fn send(api: Api, flow: RwSignal<CancelFlow>, intent: CancelIntent, answered: Answered) {
    spawn_local(async move {
        let Versioned {
            posting_number,
            version,
            body,
        } = &intent.request;
        let answer = with_retries(
            || api.cancel(posting_number, *version, &intent.key, body),
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

/// A stale version that came without the shipment's current state gets it fetched in
/// (`needs_current_state`); any other answer is passed on as it is.
pub(crate) async fn with_current_state<T>(
    api: &Api,
    answer: Result<T, ApiError>,
    posting_number: &str,
) -> Result<T, ApiError> {
    if !needs_current_state(&answer) {
        return answer;
    }
    let Err(ApiError::Problem(mut problem)) = answer else {
        return answer;
    };
    let current = api.shipment(posting_number).await?;
    problem.shipment = Some(Box::new(current));
    Err(ApiError::Problem(problem))
}

/// Moves focus to the field that stops the confirmation, so a keyboard or screen-reader user lands
/// on it.
fn focus_first_problem(error: FormError) {
    let selector = match error {
        FormError::Comment(_) => format!("#{DESCRIPTION_ID}"),
        _ => "input[name='reason']".to_owned(),
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

//! The cancellation dialog: summary, reasons the rules allow, effects, and submission.

use domain::eligibility::split_offered;
use domain::metric::RateReport;
use domain::{
    DeliveryMethod, MAX_COMMENT_CHARS, Mode, Reason, Shipment, Warning, comment::comment_length,
    validate_comment,
};
use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{Api, ApiError, CancelAnswer};
use crate::cancel::changes;
use crate::cancel::form::{FormError, cancel_request};
use crate::cancel::reason::ReasonRadio;
use crate::cancel::retry::{Intent, KeyError, new_key};
use crate::cancel::submit;
use crate::dialog::DialogHeader;
use crate::format;
use crate::i18n::text;

/// Where the dialog's request stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Submission {
    Editing,
    Sending,
    /// Paused before an automatic retry.
    Pausing {
        seconds: u64,
    },
    /// The automatic retries ran out; Retry sends the same intent again.
    Unreachable(ApiError),
    /// The server said no, for a reason it named.
    Refused(ApiError),
    /// The browser could not make an idempotency key.
    NoKey(KeyError),
}

impl Submission {
    fn busy(&self) -> bool {
        matches!(self, Submission::Sending | Submission::Pausing { .. })
    }
}

const TITLE_ID: &str = "cancel-dialog-title";
const DESCRIPTION_ID: &str = "cancel-description";
const DESCRIPTION_HELP_ID: &str = "cancel-description-help";
const OUTCOME_ID: &str = "cancel-outcome";

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
) -> impl IntoView {
    crate::focus::restore_on_close(Some(shipment.posting_number.clone()));
    let api = expect_context::<Api>();
    let current = RwSignal::new(shipment);
    let eligibility = Memo::new(move |_| current.with(Shipment::evaluate));
    let reason = RwSignal::new(None::<Reason>);
    let description = RwSignal::new(String::new());
    let attempted = RwSignal::new(false);
    let submission = RwSignal::new(Submission::Editing);
    let changed = RwSignal::new(Vec::<String>::new());
    let intent = StoredValue::new(None::<Intent>);
    let rate = crate::metric::current_rate(&api);

    let form = Memo::new(move |_| {
        description.with(|typed| {
            cancel_request(&eligibility.get(), reason.get(), typed).map(|(mode, _)| mode)
        })
    });
    let busy = move || submission.with(Submission::busy);
    let close = move || {
        if !submission.with_untracked(Submission::busy) {
            on_close.run(());
        }
    };

    let confirm = {
        let api = api.clone();
        move || {
            if submission.with_untracked(Submission::busy) {
                return;
            }
            attempted.set(true);
            let seen = current.get_untracked();
            let checked = cancel_request(
                &seen.evaluate(),
                reason.get_untracked(),
                &description.get_untracked(),
            );
            let Ok((_, request)) = checked else {
                focus_first_problem(checked.err());
                return;
            };
            let mut key_error = None;
            let next = Intent::for_request(
                intent.get_value(),
                &seen.posting_number,
                seen.version,
                request,
                || {
                    new_key().unwrap_or_else(|error| {
                        key_error = Some(error);
                        String::new()
                    })
                },
            );
            if let Some(error) = key_error {
                submission.set(Submission::NoKey(error));
                return;
            }
            intent.set_value(Some(next.clone()));
            submission.set(Submission::Sending);
            let api = api.clone();
            spawn_local(async move {
                let answer = submit::send(&api, &next, |pause| {
                    submission.try_set(Submission::Pausing {
                        seconds: pause.as_secs().max(1),
                    });
                })
                .await;
                let answer = with_current_state(&api, answer, &seen.posting_number).await;
                settle(
                    answer,
                    &seen,
                    Settle {
                        current,
                        reason,
                        attempted,
                        changed,
                        submission,
                        on_shipment,
                        on_done,
                    },
                );
            });
        }
    };
    let confirm_click = confirm.clone();
    let retry = confirm.clone();

    let keydown = window_event_listener(ev::keydown, move |event| {
        if event.key() == "Escape" {
            close();
        }
    });
    on_cleanup(move || keydown.remove());

    let dialog_ref = NodeRef::<html::Div>::new();
    crate::focus::hold_focus_in(dialog_ref);

    let summary = move || {
        current.with(|shipment| {
            let products = shipment
                .products
                .iter()
                .map(format::product_line)
                .collect::<Vec<_>>()
                .join(", ");
            view! {
                <dl class="summary-list">
                    <dt>{text::col_shipment}</dt>
                    <dd>{shipment.posting_number.clone()}</dd>
                    <dt>{text::col_order}</dt>
                    <dd>{shipment.order_number.clone()}</dd>
                    <dt>{text::col_products}</dt>
                    <dd>{products}</dd>
                    <dt>{text::col_destination}</dt>
                    <dd>{format!("{}, {}", shipment.destination.city, shipment.destination.country)}</dd>
                    <dt>{text::col_status}</dt>
                    <dd>{text::status(shipment.status)}</dd>
                </dl>
            }
        })
    };

    let changed_view = move || {
        let lines = changed.get();
        (!lines.is_empty()).then(|| {
            let still = eligibility.with(|e| e.blocked.is_none());
            view! {
                <div class="notice changed" role="alert">
                    <p>{text::changed_heading}</p>
                    <ul>{lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
                    {still.then_some(text::changed_still_cancellable)}
                </div>
            }
        })
    };

    let blocked_view = move || {
        eligibility.get().blocked.map(|code| {
            view! {
                <p class="notice blocked">
                    {text::blocked(code)} " " {text::blocked_advice(code)}
                </p>
            }
        })
    };

    let reasons = move || {
        eligibility
            .get()
            .reasons
            .into_iter()
            .map(|option| {
                view! { <ReasonRadio option group="reason" reason /> }
            })
            .collect_view()
    };
    let reason_error = move || {
        (attempted.get() && reason.get().is_none()).then(
            || view! { <p class="field-error" id="cancel-reason-error">{text::choose_reason}</p> },
        )
    };

    let description_error = move || {
        let typed = description.get();
        match validate_comment(Reason::Other, Some(&typed)) {
            // "Required" waits for a first confirm, so that the field is not red before typing.
            Err(error) if attempted.get() || !typed.trim().is_empty() => Some(error),
            _ => None,
        }
    };
    let description_view = move || {
        (reason.get() == Some(Reason::Other)).then(|| {
            let counter = move || text::description_counter(comment_length(&description.get()));
            let over = move || comment_length(&description.get()) > MAX_COMMENT_CHARS;
            view! {
                <div class="field">
                    <label for=DESCRIPTION_ID>{text::description_label}</label>
                    <textarea
                        id=DESCRIPTION_ID
                        rows="3"
                        aria-invalid=move || description_error().is_some().then_some("true")
                        aria-describedby=DESCRIPTION_HELP_ID
                        prop:value=move || description.get()
                        on:input=move |event| description.set(event_target_value(&event))
                    ></textarea>
                    <div id=DESCRIPTION_HELP_ID class="field-help">
                        <span class="counter" class:over=over aria-live="polite">{counter}</span>
                        {move || {
                            description_error()
                                .map(|error| view! { <span class="field-error">{text::comment_error(error)}</span> })
                        }}
                    </div>
                </div>
            }
        })
    };

    let outcome = move || {
        let provider = current.with(|s| s.delivery.provider.clone());
        eligibility.get().mode.map(|mode| {
            let words = match mode {
                Mode::Immediate => text::outcome_now().to_owned(),
                Mode::CarrierRequest => text::outcome_request(provider.as_deref()),
            };
            view! {
                <section class="effects" aria-labelledby="cancel-outcome-heading">
                    <h3 id="cancel-outcome-heading">{text::outcome_heading}</h3>
                    <p class="outcome" id=OUTCOME_ID>{words}</p>
                    {move || stock_reset(current, reason)}
                    <RatePreview rate reason count=1 />
                </section>
            }
        })
    };

    let commercial = move || {
        let warns = eligibility.with(|e| e.warnings.contains(&Warning::CommercialShipment));
        let offers_customer = eligibility.with(|e| e.offers(Reason::CustomerRequest));
        warns.then(|| {
            let (split, partner) = current.with(|s| {
                (
                    split_offered(s.status, &s.products),
                    s.delivery.method == DeliveryMethod::Partner,
                )
            });
            view! {
                <div class="notice warning">
                    <p>{text::warning(Warning::CommercialShipment)}</p>
                    <p>{text::commercial_alternatives}</p>
                    <ul>
                        {offers_customer
                            .then(|| {
                                view! {
                                    <li>
                                        <button
                                            type="button"
                                            class="link"
                                            on:click=move |_| reason.set(Some(Reason::CustomerRequest))
                                        >
                                            {text::use_customer_reason}
                                        </button>
                                    </li>
                                }
                            })}
                        {split
                            .then(|| {
                                view! {
                                    <li>
                                        {text::split_suggestion}
                                        {on_split
                                            .map(|on_split| {
                                                view! {
                                                    " "
                                                    <button
                                                        type="button"
                                                        class="link"
                                                        on:click=move |_| on_split.run(current.get_untracked())
                                                    >
                                                        {text::split_open}
                                                    </button>
                                                }
                                            })}
                                    </li>
                                }
                            })}
                        {partner.then(|| view! { <li>{text::partner_recommendation}</li> })}
                    </ul>
                </div>
            }
        })
    };

    let status_view = move || {
        match submission.get() {
        Submission::Editing | Submission::Sending => None,
        Submission::Pausing { seconds } => {
            Some(view! { <p class="notice" role="status">{text::retrying(seconds)}</p> }.into_any())
        }
        Submission::Unreachable(error) | Submission::Refused(error) => {
            Some(view! { <p class="notice error" role="alert">{error.message()}</p> }.into_any())
        }
        Submission::NoKey(error) => Some(
            view! { <p class="notice error" role="alert">{text::no_key} " (" {error.to_string()} ")"</p> }
                .into_any(),
        ),
    }
    };
    let unreachable = move || matches!(submission.get(), Submission::Unreachable(_));
    let blocked = move || eligibility.with(|e| e.blocked.is_some());

    view! {
        <div class="backdrop" on:click=move |_| close()></div>
        <div
            class="dialog"
            role="dialog"
            aria-modal="true"
            aria-labelledby=TITLE_ID
            aria-describedby=move || {
                (!blocked() && eligibility.with(|e| e.mode.is_some())).then_some(OUTCOME_ID)
            }
            tabindex="-1"
            node_ref=dialog_ref
        >
            <DialogHeader title_id=TITLE_ID title=text::dialog_title busy=Signal::derive(busy) on_close=Callback::new(move |()| close()) />
            <div class="dialog-body">
                {summary}
                {changed_view}
                {blocked_view}
                {commercial}
                <Show when=move || !blocked()>
                    <fieldset
                        class="reasons"
                        aria-describedby=move || {
                            (attempted.get() && reason.get().is_none()).then_some("cancel-reason-error")
                        }
                    >
                        <legend>{text::reason_legend}</legend>
                        {reasons}
                    </fieldset>
                    {reason_error}
                    {description_view}
                    {outcome}
                </Show>
                {status_view}
            </div>
            <footer class="dialog-footer">
                <button type="button" class="secondary" disabled=busy on:click=move |_| close()>
                    {text::keep_shipment}
                </button>
                <Show when=unreachable>
                    {
                        let retry = retry.clone();
                        view! {
                            <button type="button" class="secondary" on:click=move |_| retry()>
                                {text::retry}
                            </button>
                        }
                    }
                </Show>
                <button
                    type="button"
                    class="danger"
                    disabled=move || busy() || blocked()
                    aria-busy=move || busy().then_some("true")
                    data-valid=move || form.get().is_ok().to_string()
                    on:click={
                        let confirm = confirm_click.clone();
                        move |_| confirm()
                    }
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
            </footer>
        </div>
    }
}

/// The signals a finished request writes.
struct Settle {
    current: RwSignal<Shipment>,
    reason: RwSignal<Option<Reason>>,
    attempted: RwSignal<bool>,
    changed: RwSignal<Vec<String>>,
    submission: RwSignal<Submission>,
    on_shipment: Callback<Shipment>,
    on_done: Callback<CancelAnswer>,
}

fn settle(answer: Result<CancelAnswer, ApiError>, seen: &Shipment, to: Settle) {
    match answer {
        Ok(answer) => {
            to.on_shipment.run(answer.shipment().clone());
            to.on_done.run(answer);
        }
        Err(ApiError::Problem(problem)) if problem.status == 412 || problem.status == 422 => {
            let stale = problem.status == 412;
            if let Some(now) = problem.shipment.clone() {
                let now = *now;
                to.changed.try_set(changes::describe(seen, &now));
                let still_offered = to
                    .reason
                    .get_untracked()
                    .is_some_and(|reason| now.evaluate().offers(reason));
                if !still_offered {
                    to.reason.try_set(None);
                }
                to.current.try_set(now.clone());
                to.on_shipment.run(now);
            }
            // A stale version is not the seller's mistake: the dialog shows what changed and
            // waits for a new confirmation. A rule violation is shown as the server's reason.
            if stale {
                // The seller has not yet tried to confirm against the new state, so a reason the
                // change took away is not an error until they do.
                to.attempted.try_set(false);
            }
            to.submission.try_set(if stale {
                Submission::Editing
            } else {
                Submission::Refused(ApiError::Problem(problem))
            });
        }
        Err(error) if error.is_transient() => {
            to.submission.try_set(Submission::Unreachable(error));
        }
        Err(error) => {
            to.submission.try_set(Submission::Refused(error));
        }
    }
}

/// A 412 should carry the current shipment; when one comes without it, the dialog fetches it, so
/// that the seller always sees what changed rather than a second 412.
async fn with_current_state(
    api: &Api,
    answer: Result<CancelAnswer, ApiError>,
    posting_number: &str,
) -> Result<CancelAnswer, ApiError> {
    match answer {
        Err(ApiError::Problem(mut problem))
            if problem.status == 412 && problem.shipment.is_none() =>
        {
            match api.shipment(posting_number).await {
                Ok(shipment) => {
                    problem.shipment = Some(Box::new(shipment));
                    Err(ApiError::Problem(problem))
                }
                Err(error) => Err(error),
            }
        }
        other => other,
    }
}

/// Moves focus to the field that stops the confirmation, so a keyboard or screen-reader user lands
/// on it.
fn focus_first_problem(error: Option<FormError>) {
    let selector = match error {
        Some(FormError::Comment(_)) => format!("#{DESCRIPTION_ID}"),
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

fn stock_reset(current: RwSignal<Shipment>, reason: RwSignal<Option<Reason>>) -> Option<AnyView> {
    let chosen = reason.get()?;
    if !chosen.resets_stock() {
        return None;
    }
    let words = current.with(|shipment| {
        let products = shipment
            .products
            .iter()
            .map(|line| text::product_with_sku(&line.name, &line.sku))
            .collect::<Vec<_>>()
            .join(", ");
        text::stock_reset(&products, &shipment.warehouse_id)
    });
    Some(view! { <p class="notice warning">{words}</p> }.into_any())
}

/// The rate now and after `count` more seller cancellations, against the threshold.
#[component]
pub fn RatePreview(
    rate: LocalResource<Result<RateReport, ApiError>>,
    reason: RwSignal<Option<Reason>>,
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

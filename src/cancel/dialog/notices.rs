//! The notices above and below the form: what changed under the seller, why a shipment is
//! blocked, what a commercial shipment is offered instead, and where the request stands.

use domain::{Eligibility, Reason, Shipment, Warning};
use leptos::prelude::*;

use crate::cancel::changes;
use crate::cancel::flow::{CancelFlow, Submission};
use crate::i18n::text;

/// What changed since the seller opened the dialog, after the server answered with a newer state.
#[component]
pub fn ChangedNotice(flow: RwSignal<CancelFlow>, eligibility: Memo<Eligibility>) -> impl IntoView {
    move || {
        // Described at each render, so that the words follow a live switch of language.
        let lines = flow.with(|f| f.changes().map(|(seen, now)| changes::describe(seen, now)))?;
        let still = eligibility.with(|e| e.blocked.is_none());
        Some(view! {
            <div class="notice changed" role="alert">
                <p>{text::changed_heading}</p>
                <ul>{lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ul>
                {still.then_some(text::changed_still_cancellable)}
            </div>
        })
    }
}

#[component]
pub fn BlockedNotice(eligibility: Memo<Eligibility>) -> impl IntoView {
    move || {
        eligibility.get().blocked.map(|code| {
            view! {
                <p class="notice blocked">
                    {text::blocked(code)} " " {text::blocked_advice(code)}
                </p>
            }
        })
    }
}

/// The customs warning of a commercial shipment, with what the flow offers instead.
#[component]
pub fn CommercialNotice(
    flow: RwSignal<CancelFlow>,
    choose: Callback<Reason>,
    on_split: Option<Callback<Shipment>>,
) -> impl IntoView {
    move || {
        let offered = flow.with(CancelFlow::alternatives)?;
        let customer = offered.customer_reason.then(|| {
            view! {
                <li>
                    <button type="button" class="link" on:click=move |_| choose.run(Reason::CustomerRequest)>
                        {text::use_customer_reason}
                    </button>
                </li>
            }
        });
        let split = offered.split.then(|| {
            let open = on_split.map(|on_split| {
                view! {
                    " "
                    <button
                        type="button"
                        class="link"
                        on:click=move |_| on_split.run(flow.with_untracked(|f| f.shipment().clone()))
                    >
                        {text::split_open}
                    </button>
                }
            });
            view! { <li>{text::split_suggestion} {open}</li> }
        });
        let partner = offered
            .partner
            .then(|| view! { <li>{text::partner_recommendation}</li> });
        Some(view! {
            <div class="notice warning">
                <p>{text::warning(Warning::CommercialShipment)}</p>
                <p>{text::commercial_alternatives}</p>
                <ul>{customer} {split} {partner}</ul>
            </div>
        })
    }
}

/// A pause before the next automatic attempt, or why the request did not go through.
#[component]
pub fn SubmissionNotice(#[prop(into)] submission: Signal<Submission>) -> impl IntoView {
    move || {
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
    }
}

//! One shipment as one table row.
//!
//! Its words are read once, when the row is built: the table builds its rows again when the
//! language changes (see `table.rs`). A reactive text would cost each row about eighteen render
//! effects, each looking up the language, and the first rows' render is what a seller waits for.
//!
//! The Cancel shipment button follows the rules crate run here, in the browser, rather than the
//! `eligibility` the server sent: the two come from the same code, and the browser's answer is the
//! one the seller acts on.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use domain::{Cancellation, Shipment, timestamp};
use leptos::prelude::*;

use crate::format;
use crate::i18n::text;
use crate::partial;

/// The id of an element in the row, unique on the page because posting numbers are.
pub fn element_id(kind: &str, posting_number: &str) -> String {
    format!("{kind}-{posting_number}")
}

/// The shipments ticked for a bulk cancellation, as they were when ticked, by posting number.
pub type Selection = RwSignal<BTreeMap<String, Shipment>>;

#[component]
pub fn ShipmentRow(
    shipment: Shipment,
    now: DateTime<Utc>,
    on_cancel: Callback<Shipment>,
    selection: Option<Selection>,
    on_partial: Option<Callback<Shipment>>,
) -> impl IntoView {
    let eligibility = shipment.evaluate();
    let overdue = shipment.is_overdue(now);
    let provider = shipment.delivery.provider.clone();

    let explanation_id = element_id("why", &shipment.posting_number);
    let warnings_id = element_id("warnings", &shipment.posting_number);
    // The button's description is the reason it is disabled, or the warnings the seller should
    // read before cancelling.
    let described_by = match (eligibility.blocked, eligibility.warnings.is_empty()) {
        (Some(_), _) => Some(explanation_id.clone()),
        (None, false) => Some(warnings_id.clone()),
        (None, true) => None,
    };

    let explanation = eligibility.blocked.map(|code| {
        view! {
            <p class="explanation" id=explanation_id>
                <span class="why">{text::blocked(code)}</span>
                " "
                <span class="advice">{text::blocked_advice(code)}</span>
            </p>
        }
    });
    let warnings = (!eligibility.warnings.is_empty()).then(|| {
        let items = eligibility
            .warnings
            .iter()
            .map(|&warning| view! { <li>{text::warning(warning)}</li> })
            .collect_view();
        view! { <ul class="warnings" id=warnings_id>{items}</ul> }
    });

    let products = shipment
        .products
        .iter()
        .map(|line| view! { <li>{format::product_line(line)}</li> })
        .collect_view();
    // What partial cancellations took out, under what remains.
    let cancelled_items = {
        let summary = partial::cancelled_summary(&shipment);
        (!summary.is_empty()).then(|| {
            view! { <p class="detail cancelled-items">{text::partial_cancelled_line(&summary)}</p> }
        })
    };
    let partial_button = on_partial
        .filter(|_| partial::offered_on(&shipment))
        .map(|on_partial| {
            let row = shipment.clone();
            view! {
                <button type="button" class="secondary partial" on:click=move |_| on_partial.run(row.clone())>
                    {text::partial_open()}
                </button>
            }
        });
    let delivery = text::delivery(shipment.delivery.method, provider.as_deref());
    let cancellation = cancellation_view(shipment.cancellation.as_ref(), provider.as_deref());
    let (status, ship_by) = (shipment.status, shipment.ship_by);
    let status_class = format!("badge status-{}", shipment.status.code());
    let cancellable = eligibility.cancellable && eligibility.blocked.is_none();
    let row_shipment = shipment.clone();
    let select = selection.map(|selection| {
        let posting_number = shipment.posting_number.clone();
        let ticked = {
            let posting_number = posting_number.clone();
            move || selection.with(|ticked| ticked.contains_key(&posting_number))
        };
        let row = shipment.clone();
        view! {
            <td class="select">
                <input
                    type="checkbox"
                    aria-label=text::select_shipment(&posting_number)
                    prop:checked=ticked
                    on:change=move |event| {
                        let tick = event_target_checked(&event);
                        selection
                            .update(|ticked| {
                                if tick {
                                    ticked.insert(row.posting_number.clone(), row.clone());
                                } else {
                                    ticked.remove(&row.posting_number);
                                }
                            });
                    }
                />
            </td>
        }
    });

    view! {
        <tr data-posting-number=shipment.posting_number.clone() class:overdue=overdue>
            {select}
            <td class="ids">
                <span class="posting-number">{shipment.posting_number.clone()}</span>
                <span class="order-number">{text::order_number(&shipment.order_number)}</span>
            </td>
            // A card (a narrow page) has no column headings, so these cells carry their own.
            <td data-label=text::col_products()>
                <ul class="products">{products}</ul>
                {cancelled_items}
            </td>
            <td data-label=text::col_destination()>
                {shipment.destination.city.clone()} ", " {shipment.destination.country.clone()}
            </td>
            <td data-label=text::col_delivery()>{delivery}</td>
            <td class="ship-by" data-label=text::col_ship_by()>
                <time datetime=timestamp::write_with_offset(&shipment.ship_by)>
                    {format::date_time(ship_by)}
                </time>
                {overdue.then(|| view! { <span class="flag overdue-flag">{text::overdue()}</span> })}
            </td>
            <td>
                <span class=status_class>{text::status(status)}</span>
            </td>
            <td class="cancellation">{cancellation}</td>
            <td class="actions">
                {warnings}
                <button
                    type="button"
                    class="cancel"
                    disabled=!cancellable
                    aria-describedby=described_by
                    on:click=move |_| on_cancel.run(row_shipment.clone())
                >
                    {text::cancel_shipment()}
                </button>
                {partial_button}
                {explanation}
            </td>
        </tr>
    }
}

/// The cancellation column: requested, rejected with the provider's words, or who cancelled when.
fn cancellation_view(cancellation: Option<&Cancellation>, provider: Option<&str>) -> AnyView {
    let Some(cancellation) = cancellation else {
        return view! { <span class="muted">{text::no_cancellation()}</span> }.into_any();
    };
    let state = text::cancellation_state(cancellation.state, provider, cancellation.initiator);
    // The style keys on the state's code, as the wire spells it.
    let class = format!("cancellation-state {}", cancellation.state.code());
    let reason = cancellation.reason.map(text::reason_line);
    let message = cancellation.provider_message.clone();
    let at = cancellation.decided_at.unwrap_or(cancellation.requested_at);
    view! {
        // Not a Tab stop, but the focus lands here after a dialog about this row closes.
        <span class=class tabindex="-1">{state}</span>
        {message.map(|message| view! { <q class="provider-message">{message}</q> })}
        {reason.map(|reason| view! { <span class="detail">{reason}</span> })}
        <time class="detail" datetime=timestamp::write_with_offset(&at)>{format::date_time(at)}</time>
    }
    .into_any()
}

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
use crate::shipments::cells;

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
    let ids = cells::ids(
        &shipment.posting_number,
        &text::order_number(&shipment.order_number),
    );
    let products = {
        let lines: Vec<String> = shipment.products.iter().map(format::product_line).collect();
        // What partial cancellations took out, under what remains.
        let summary = partial::cancelled_summary(&shipment);
        let cancelled = (!summary.is_empty()).then(|| text::partial_cancelled_line(&summary));
        cells::products(&lines, cancelled.as_deref())
    };
    let destination = format!(
        "{}, {}",
        shipment.destination.city, shipment.destination.country
    );
    let ship_by = cells::ship_by(
        &timestamp::write_with_offset(&shipment.ship_by),
        &format::date_time(shipment.ship_by),
        overdue.then(text::overdue),
    );
    let status = cells::status(shipment.status.code(), text::status(shipment.status));
    let cancellation = cancellation_cell(shipment.cancellation.as_ref(), provider.as_deref());
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
            <td class="ids" inner_html=ids></td>
            // A card (a narrow page) has no column headings, so these cells carry their own.
            <td data-label=text::col_products() inner_html=products></td>
            <td data-label=text::col_destination()>{destination}</td>
            <td data-label=text::col_delivery()>{delivery}</td>
            <td class="ship-by" data-label=text::col_ship_by() inner_html=ship_by></td>
            <td inner_html=status></td>
            <td class="cancellation" inner_html=cancellation></td>
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
fn cancellation_cell(cancellation: Option<&Cancellation>, provider: Option<&str>) -> String {
    let Some(cancellation) = cancellation else {
        return cells::cancellation(None, text::no_cancellation());
    };
    let at = cancellation.decided_at.unwrap_or(cancellation.requested_at);
    let reason = cancellation.reason.map(text::reason_line);
    cells::cancellation(
        Some(&cells::CancellationCell {
            state_code: cancellation.state.code(),
            state: &text::cancellation_state(cancellation.state, provider, cancellation.initiator),
            provider_message: cancellation.provider_message.as_deref(),
            reason: reason.as_deref(),
            datetime: &timestamp::write_with_offset(&at),
            shown_at: &format::date_time(at),
        }),
        text::no_cancellation(),
    )
}

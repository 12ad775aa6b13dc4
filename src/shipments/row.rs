//! One shipment as one table row.
//!
//! Its words are read once, when the row is built: the table builds its rows again when the
//! language changes (see `table.rs`). A reactive text would cost each row about eighteen render
//! effects, each looking up the language, and the first rows' render is what a seller waits for.
//! For the same reason the row is written as HTML text (`cells.rs`) and set in one call, its
//! controls included: the row handles their clicks and changes itself, by what was clicked, and
//! one effect keeps its checkbox ticked as the selection says.
//!
//! The Cancel shipment button follows the rules crate run here, in the browser, rather than the
//! `eligibility` the server sent: the two come from the same code, and the browser's answer is the
//! one the seller acts on.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use domain::{Cancellation, Shipment, timestamp};
use leptos::html::Tr;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Element;

use crate::format;
use crate::i18n::text;
use crate::partial;
use crate::shipments::cells;

/// The shipments ticked for a bulk cancellation, as they were when ticked, by posting number.
pub type Selection = RwSignal<BTreeMap<String, Shipment>>;

/// What a click in the row was on.
fn clicked(event: &web_sys::Event, selector: &str) -> bool {
    event
        .target()
        .and_then(|target| target.dyn_into::<Element>().ok())
        .and_then(|element| element.closest(selector).ok().flatten())
        .is_some()
}

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
    let posting_number = shipment.posting_number.clone();
    let ticked = move || {
        selection
            .is_some_and(|selection| selection.with(|ticked| ticked.contains_key(&posting_number)))
    };

    let mut html = String::new();
    if selection.is_some() {
        cells::select(
            &mut html,
            &text::select_shipment(&shipment.posting_number),
            // Read without tracking: the effect below follows the selection.
            untrack(&ticked),
        );
    }
    cells::markup(
        &mut html,
        &[("class", "ids")],
        &cells::ids(
            &shipment.posting_number,
            &text::order_number(&shipment.order_number),
        ),
    );
    let products = {
        let lines: Vec<String> = shipment.products.iter().map(format::product_line).collect();
        // What partial cancellations took out, under what remains.
        let summary = partial::cancelled_summary(&shipment);
        let cancelled = (!summary.is_empty()).then(|| text::partial_cancelled_line(&summary));
        cells::products(&lines, cancelled.as_deref())
    };
    // A card (a narrow page) has no column headings, so these cells carry their own.
    cells::markup(
        &mut html,
        &[("data-label", text::col_products())],
        &products,
    );
    cells::words(
        &mut html,
        &[("data-label", text::col_destination())],
        &format!(
            "{}, {}",
            shipment.destination.city, shipment.destination.country
        ),
    );
    cells::words(
        &mut html,
        &[("data-label", text::col_delivery())],
        &text::delivery(shipment.delivery.method, provider.as_deref()),
    );
    cells::markup(
        &mut html,
        &[("class", "ship-by"), ("data-label", text::col_ship_by())],
        &cells::ship_by(
            &timestamp::write_with_offset(&shipment.ship_by),
            &format::date_time(shipment.ship_by),
            overdue.then(text::overdue),
        ),
    );
    cells::markup(
        &mut html,
        &[],
        &cells::status(shipment.status.code(), text::status(shipment.status)),
    );
    cells::markup(
        &mut html,
        &[("class", "cancellation")],
        &cancellation_cell(shipment.cancellation.as_ref(), provider.as_deref()),
    );
    let warnings: Vec<&str> = eligibility
        .warnings
        .iter()
        .map(|&warning| text::warning(warning))
        .collect();
    let offers_partial = on_partial.is_some() && partial::offered_on(&shipment);
    cells::actions(
        &mut html,
        &cells::Actions {
            posting_number: &shipment.posting_number,
            warnings: &warnings,
            cancel: text::cancel_shipment(),
            cancellable: eligibility.cancellable && eligibility.blocked.is_none(),
            partial: offers_partial.then(text::partial_open),
            blocked: eligibility
                .blocked
                .map(|code| (text::blocked(code), text::blocked_advice(code))),
        },
    );

    // The checkbox follows the selection (a bulk run, "select all", clearing it).
    let row = NodeRef::<Tr>::new();
    if selection.is_some() {
        Effect::new(move |_| {
            let ticked = ticked();
            let checkbox = row
                .get()
                .and_then(|row| row.query_selector("td.select input").ok().flatten());
            if let Some(checkbox) = checkbox
                && let Err(error) = js_sys::Reflect::set(
                    &checkbox,
                    &JsValue::from_str("checked"),
                    &JsValue::from_bool(ticked),
                )
            {
                leptos::logging::warn!("could not tick the row's checkbox: {error:?}");
            }
        });
    }

    let on_click = {
        let shipment = shipment.clone();
        move |event: web_sys::MouseEvent| {
            // A disabled button sends no click.
            if clicked(&event, "button.cancel") {
                on_cancel.run(shipment.clone());
            } else if clicked(&event, "button.partial")
                && let Some(on_partial) = on_partial
            {
                on_partial.run(shipment.clone());
            }
        }
    };
    let on_change = {
        let shipment = shipment.clone();
        move |event: web_sys::Event| {
            let Some(selection) = selection else { return };
            if !clicked(&event, "td.select input") {
                return;
            }
            let tick = event_target_checked(&event);
            selection.update(|ticked| {
                if tick {
                    ticked.insert(shipment.posting_number.clone(), shipment.clone());
                } else {
                    ticked.remove(&shipment.posting_number);
                }
            });
        }
    };

    view! {
        <tr
            node_ref=row
            data-posting-number=shipment.posting_number.clone()
            class:overdue=overdue
            inner_html=html
            on:click=on_click
            on:change=on_change
        ></tr>
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

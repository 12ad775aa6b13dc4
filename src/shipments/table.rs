//! The shipments table: one row per shipment, keyed so that a changed shipment redraws in place.

use chrono::{DateTime, Utc};
use domain::Shipment;
use leptos::prelude::*;

use crate::i18n::{self, text};
use crate::shipments::row::{Selection, ShipmentRow};

#[component]
pub fn ShipmentsTable(
    #[prop(into)] shipments: Signal<Vec<Shipment>>,
    now: DateTime<Utc>,
    on_cancel: Callback<Shipment>,
    /// The rows ticked for a bulk cancellation, by posting number; without it, no checkboxes.
    #[prop(optional)]
    selection: Option<Selection>,
    /// Opens "Cancel some products" for a row that offers it; without it, no such button.
    #[prop(optional)]
    on_partial: Option<Callback<Shipment>>,
) -> impl IntoView {
    let select_all = selection.map(|selection| {
        let all_shown = move || {
            shipments.with(|rows| {
                !rows.is_empty()
                    && selection.with(|ticked| {
                        rows.iter()
                            .all(|row| ticked.contains_key(&row.posting_number))
                    })
            })
        };
        view! {
            <th scope="col" class="select">
                <input
                    type="checkbox"
                    aria-label=text::select_all_shown
                    prop:checked=all_shown
                    on:change=move |event| {
                        let tick = event_target_checked(&event);
                        let rows = shipments.get_untracked();
                        selection
                            .update(|ticked| {
                                for row in rows {
                                    if tick {
                                        ticked.insert(row.posting_number.clone(), row);
                                    } else {
                                        ticked.remove(&row.posting_number);
                                    }
                                }
                            });
                    }
                />
            </th>
        }
    });
    view! {
        <table class="shipments">
            <caption class="visually-hidden">{text::table_name}</caption>
            <thead>
                <tr>
                    {select_all}
                    <th scope="col">{text::col_shipment}</th>
                    <th scope="col">{text::col_products}</th>
                    <th scope="col">{text::col_destination}</th>
                    <th scope="col">{text::col_delivery}</th>
                    <th scope="col">{text::col_ship_by}</th>
                    <th scope="col">{text::col_status}</th>
                    <th scope="col">{text::col_cancellation}</th>
                    <th scope="col">{text::col_actions}</th>
                </tr>
            </thead>
            <tbody>
                // The version is part of the key: a shipment the server changed is a new row. So
                // is the language: a row reads its words once, so a new language is new rows.
                <For
                    each=move || {
                        let locale = i18n::current();
                        shipments.get().into_iter().map(move |shipment| (locale, shipment)).collect::<Vec<_>>()
                    }
                    key=|(locale, shipment)| (*locale, shipment.posting_number.clone(), shipment.version)
                    children=move |(_, shipment)| {
                        view! { <ShipmentRow shipment now on_cancel selection on_partial /> }
                    }
                />
            </tbody>
        </table>
    }
}

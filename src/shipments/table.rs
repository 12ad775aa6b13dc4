//! The shipments table: one row per shipment, keyed so that a changed shipment redraws in place.

use chrono::{DateTime, Utc};
use domain::Shipment;
use leptos::prelude::*;

use crate::shipments::row::{Selection, ShipmentRow};
use crate::text;

#[component]
pub fn ShipmentsTable(
    #[prop(into)] shipments: Signal<Vec<Shipment>>,
    now: DateTime<Utc>,
    on_cancel: Callback<Shipment>,
    /// The rows ticked for a bulk cancellation, by posting number; without it, no checkboxes.
    #[prop(optional)]
    selection: Option<Selection>,
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
                    aria-label=text::SELECT_ALL_SHOWN
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
            <caption class="visually-hidden">{text::TABLE_NAME}</caption>
            <thead>
                <tr>
                    {select_all}
                    <th scope="col">{text::COL_SHIPMENT}</th>
                    <th scope="col">{text::COL_PRODUCTS}</th>
                    <th scope="col">{text::COL_DESTINATION}</th>
                    <th scope="col">{text::COL_DELIVERY}</th>
                    <th scope="col">{text::COL_SHIP_BY}</th>
                    <th scope="col">{text::COL_STATUS}</th>
                    <th scope="col">{text::COL_CANCELLATION}</th>
                    <th scope="col">{text::COL_ACTIONS}</th>
                </tr>
            </thead>
            <tbody>
                // The version is part of the key: a shipment the server changed is a new row.
                <For
                    each=move || shipments.get()
                    key=|shipment| (shipment.posting_number.clone(), shipment.version)
                    let:shipment
                >
                    <ShipmentRow shipment now on_cancel selection />
                </For>
            </tbody>
        </table>
    }
}

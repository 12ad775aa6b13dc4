//! The shipments table: one row per shipment, keyed so that a changed shipment redraws in place.

use chrono::{DateTime, Utc};
use domain::Shipment;
use leptos::prelude::*;

use crate::shipments::row::ShipmentRow;
use crate::text;

#[component]
pub fn ShipmentsTable(
    #[prop(into)] shipments: Signal<Vec<Shipment>>,
    now: DateTime<Utc>,
    on_cancel: Callback<Shipment>,
) -> impl IntoView {
    view! {
        <table class="shipments">
            <caption class="visually-hidden">{text::TABLE_NAME}</caption>
            <thead>
                <tr>
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
                    <ShipmentRow shipment now on_cancel />
                </For>
            </tbody>
        </table>
    }
}

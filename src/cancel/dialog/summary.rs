//! The shipment the dialog is about, in a few lines.

use domain::Shipment;
use leptos::prelude::*;

use crate::format;
use crate::i18n::text;

#[component]
pub fn Summary(#[prop(into)] shipment: Signal<Shipment>) -> impl IntoView {
    move || {
        shipment.with(|shipment| {
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
    }
}

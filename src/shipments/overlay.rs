//! What is open over the list: at most one dialog at a time.

use domain::Shipment;
use leptos::prelude::*;

use crate::bulk::dialog::{BulkCancelDialog, BulkOpen};
use crate::cancel::dialog::CancelDialog;
use crate::cancel::flow::Preset;
use crate::partial::dialog::PartialDialog;
use crate::partial::flow::ToWhole;
use crate::shipments::outcome::{Outcome, Outcomes};
use crate::split::dialog::SplitDialog;

#[derive(Clone, Debug, Default, PartialEq)]
pub enum Overlay {
    #[default]
    Nothing,
    Cancel(Shipment),
    Split(Shipment),
    Bulk(BulkOpen),
    /// "Cancel some products" of this shipment.
    Partial(Shipment),
    /// A partial cancellation of every unit, handed to the whole cancellation with what the seller
    /// entered.
    Whole(ToWhole),
}

impl Overlay {
    pub fn is_open(&self) -> bool {
        !matches!(self, Overlay::Nothing)
    }
}

/// The open dialog, wired to the page's one outcome path.
#[component]
pub fn Overlays(overlay: RwSignal<Overlay>, outcomes: Outcomes) -> impl IntoView {
    let on_close = Callback::new(move |()| overlay.set(Overlay::Nothing));
    let on_shipment = outcomes.callback(Outcome::Row);
    let on_done = outcomes.callback(Outcome::Cancelled);
    let on_finished = outcomes.callback(Outcome::BulkFinished);
    let on_split_open = Callback::new(move |shipment| overlay.set(Overlay::Split(shipment)));
    let on_partial_done = outcomes.callback(Outcome::PartiallyCancelled);
    let on_whole = Callback::new(move |to_whole| overlay.set(Overlay::Whole(to_whole)));
    move || {
        match overlay.get() {
        Overlay::Nothing => None,
        Overlay::Cancel(shipment) => Some(
            view! { <CancelDialog shipment on_close on_shipment on_done on_split=on_split_open /> }
                .into_any(),
        ),
        Overlay::Split(shipment) => {
            let original = shipment.posting_number.clone();
            let outcomes = outcomes.clone();
            let on_split = Callback::new(move |parcels| {
                outcomes.deliver(Outcome::Split {
                    original: original.clone(),
                    parcels,
                })
            });
            Some(view! { <SplitDialog shipment on_close on_shipment on_split /> }.into_any())
        }
        Overlay::Partial(shipment) => Some(
            view! { <PartialDialog shipment on_close on_shipment on_done=on_partial_done on_whole /> }
                .into_any(),
        ),
        Overlay::Whole(ToWhole {
            shipment,
            reason,
            description,
        }) => {
            let preset = Preset {
                reason,
                description,
            };
            Some(
                view! { <CancelDialog shipment on_close on_shipment on_done on_split=on_split_open preset /> }
                    .into_any(),
            )
        }
        Overlay::Bulk(BulkOpen {
            shipments,
            preset,
            matching,
        }) => Some(
            view! { <BulkCancelDialog shipments preset matching on_close on_shipment on_finished /> }
                .into_any(),
        ),
    }
    }
}

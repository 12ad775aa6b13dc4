//! What is open over the list: at most one dialog at a time.

use domain::Shipment;
use leptos::prelude::*;

use crate::bulk::dialog::BulkOpen;
use crate::cancel::flow::Preset;
use crate::lazy::LazyDialog;
use crate::lazy::parts::{self, BulkDialogOpen, CancelOpen, PartialOpen, SplitOpen};
use crate::partial::flow::ToWhole;
use crate::shipments::outcome::{Outcome, Outcomes};

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

/// The open dialog, wired to the page's one outcome path. Each dialog comes from its own module
/// (`crate::lazy::parts`), prefetched after the first rows, so it opens at once.
#[component]
pub fn Overlays(overlay: RwSignal<Overlay>, outcomes: Outcomes) -> impl IntoView {
    let on_close = Callback::new(move |()| overlay.set(Overlay::Nothing));
    let on_shipment = outcomes.callback(Outcome::Row);
    let on_done = outcomes.callback(Outcome::Cancelled);
    let on_finished = outcomes.callback(Outcome::BulkFinished);
    let on_split_open = Callback::new(move |shipment| overlay.set(Overlay::Split(shipment)));
    let on_partial_done = outcomes.callback(Outcome::PartiallyCancelled);
    let on_whole = Callback::new(move |to_whole| overlay.set(Overlay::Whole(to_whole)));
    let cancel = move |shipment: Shipment, preset: Option<Preset>| {
        let render = move || {
            parts::cancel_dialog(CancelOpen {
                shipment: shipment.clone(),
                preset: preset.clone(),
                on_close,
                on_shipment,
                on_done,
                on_split: on_split_open,
            })
        };
        view! { <LazyDialog part=&parts::CANCEL on_close render /> }.into_any()
    };
    move || match overlay.get() {
        Overlay::Nothing => None,
        Overlay::Cancel(shipment) => Some(cancel(shipment, None)),
        Overlay::Whole(ToWhole {
            shipment,
            reason,
            description,
        }) => Some(cancel(
            shipment,
            Some(Preset {
                reason,
                description,
            }),
        )),
        Overlay::Split(shipment) => {
            let original = shipment.posting_number.clone();
            let outcomes = outcomes.clone();
            let on_split = Callback::new(move |parcels| {
                outcomes.deliver(Outcome::Split {
                    original: original.clone(),
                    parcels,
                })
            });
            let render = move || {
                parts::split_dialog(SplitOpen {
                    shipment: shipment.clone(),
                    on_close,
                    on_shipment,
                    on_split,
                })
            };
            Some(view! { <LazyDialog part=&parts::SPLIT on_close render /> }.into_any())
        }
        Overlay::Partial(shipment) => {
            let render = move || {
                parts::partial_dialog(PartialOpen {
                    shipment: shipment.clone(),
                    on_close,
                    on_shipment,
                    on_done: on_partial_done,
                    on_whole,
                })
            };
            Some(view! { <LazyDialog part=&parts::PARTIAL on_close render /> }.into_any())
        }
        Overlay::Bulk(open) => {
            let render = move || {
                parts::bulk_dialog(BulkDialogOpen {
                    open: open.clone(),
                    on_close,
                    on_shipment,
                    on_finished,
                })
            };
            Some(view! { <LazyDialog part=&parts::BULK on_close render /> }.into_any())
        }
    }
}

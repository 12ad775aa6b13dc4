//! The bar that appears with a selection: how many are selected, "select all matching", cancel
//! them, or clear the selection.
//!
//! The selection ([`Selected`]) is the page's; the bar comes with the list's extras
//! ([`crate::lazy::parts::bulk_bar`]). A row ticked before they arrive shows [`bulk_bar_waiting`]
//! at once, then the bar with the same selection.

use std::collections::BTreeMap;

use domain::Shipment;
use domain::wire::MatchFilter;
use leptos::prelude::*;

use crate::bulk::dialog::BulkOpen;
use crate::i18n::text;
use crate::shipments::list::ShipmentList;
use crate::shipments::query::ShipmentFilter;
use crate::shipments::row::Selection;

/// What is selected: the ticked rows, or every shipment the filter matches (judged by the
/// server, never downloaded), with the count the list gave.
#[derive(Clone, Copy)]
pub struct Selected {
    pub ticked: Selection,
    pub all_matching: RwSignal<Option<(MatchFilter, u64)>>,
}

impl Selected {
    pub fn new() -> Selected {
        Selected {
            ticked: RwSignal::new(BTreeMap::new()),
            all_matching: RwSignal::new(None),
        }
    }

    pub fn clear(self) {
        self.ticked.set(BTreeMap::new());
        self.all_matching.set(None);
    }

    pub fn count(self) -> usize {
        self.all_matching.get().map_or_else(
            || self.ticked.with(BTreeMap::len),
            |(_, total)| total as usize,
        )
    }

    /// What the bulk dialog is opened for.
    fn open(self) -> BulkOpen {
        let matching = self.all_matching.get_untracked();
        let shipments: Vec<Shipment> = if matching.is_some() {
            Vec::new()
        } else {
            self.ticked
                .with_untracked(|t| t.values().cloned().collect())
        };
        BulkOpen {
            shipments,
            preset: None,
            matching,
        }
    }
}

impl Default for Selected {
    fn default() -> Selected {
        Selected::new()
    }
}

/// The bar's shape while its module is on the way: the count, and its two buttons disabled, so
/// that it takes the bar's space.
pub fn bulk_bar_waiting(selected: Selected) -> impl IntoView {
    view! {
        <div class="bulk-bar" role="region" aria-label=text::cancel_selected aria-busy="true">
            <span>{move || text::selected_count(selected.count())}</span>
            <button type="button" class="danger" disabled>{text::cancel_selected}</button>
            <button type="button" class="secondary" disabled>{text::clear_selection}</button>
        </div>
    }
}

#[component]
pub fn BulkBar(
    selected: Selected,
    list: ShipmentList,
    filter: Memo<ShipmentFilter>,
    on_bulk: Callback<BulkOpen>,
) -> impl IntoView {
    let select_all_matching = move |_| {
        let total = list.total.get_untracked().unwrap_or(0);
        selected
            .all_matching
            .set(Some((filter.get_untracked().to_match_filter(), total)));
    };
    move || {
        let count = selected.count();
        let total = list.total.get().unwrap_or(0);
        (count > 0).then(|| {
            view! {
                <div class="bulk-bar" role="region" aria-label=text::cancel_selected>
                    <span>{text::selected_count(count)}</span>
                    {(total > count as u64)
                        .then(|| {
                            view! {
                                <button type="button" class="secondary" on:click=select_all_matching>
                                    {text::select_all_matching(total)}
                                </button>
                            }
                        })}
                    <button type="button" class="danger" on:click=move |_| on_bulk.run(selected.open())>
                        {text::cancel_selected}
                    </button>
                    <button type="button" class="secondary" on:click=move |_| selected.clear()>
                        {text::clear_selection}
                    </button>
                </div>
            }
        })
    }
}

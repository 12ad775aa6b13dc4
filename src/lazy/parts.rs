//! Every lazily loaded part, in one place: the function that renders it (cut out of the main module
//! in the shipped build) and its [`Part`]. What a part's function reaches and nothing in the main
//! module reaches goes with it; what parts of different modules share goes into a shared chunk that
//! each of them loads too.
//!
//! The five dialogs (the cancellation, "Cancel some products", the split, the bulk cancellation)
//! and the follow-ups share most of their code, so they are one module, `dialogs`: one request
//! opens any of them. Cut one module per dialog, the cancellation needed its own module and 19
//! shared chunks, 20 requests, and took 277 ms from the click to the painted dialog with a cold
//! cache instead of about 100 (BENCHMARKS.md, "App findings"). The history page is a module of
//! its own.
//!
//! Each function of the dialogs' and the history's modules first marks the English sentences only
//! that module reads as held (`hold_english`): they are in the module, and all its code runs from
//! these functions, so they are there whenever it reads them (`src/i18n/catalogue.rs`).
//!
//! The list's extras (the filter bar, the bulk bar, the rate widget with its chart, and the reading
//! of the live updates' stream) are one module too, `list_extras`: the first rows need none of them,
//! so they leave the first load and
//! arrive right after the first rows, in one request. What they show lives in the page (the filter
//! in the URL, the selection, the rate's request), so nothing waits for them and nothing the seller
//! did before they arrive is lost.

use domain::Shipment;
use domain::metric::RateReport;
use leptos::prelude::*;

use crate::api::CancelAnswer;
use crate::bulk::dialog::{BulkCancelDialog, BulkOpen};
use crate::bulk::run::Summary;
use crate::cancel::dialog::CancelDialog;
use crate::cancel::flow::Preset;
use crate::cancel::follow_up::FollowUp;
use crate::cancel::follow_up::sweep::run::SweepSummary;
use crate::history::page::HistoryPage;
use crate::i18n::catalogue::{Half, hold_english};
use crate::lazy::Part;
use crate::live::LiveOpen;
use crate::metric::widget::{rate_failed, rate_figure};
use crate::partial::dialog::PartialDialog;
use crate::partial::flow::{PartialDone, ToWhole};
use crate::shipments::bulk_bar::{BulkBar, Selected};
use crate::shipments::filters::{FilterChange, Filters};
use crate::shipments::list::ShipmentList;
use crate::shipments::query::ShipmentFilter;
use crate::split::dialog::SplitDialog;
use crate::split_part;

/// The list's extras, all in the `list_extras` module: asked for together right after the first
/// rows are painted, since the filters and the rate are on the screen. Each is a part of its own
/// because the helpers keep one loader per function: a function's first call is ready at once only
/// when its own preload has run, even with its module already fetched.
pub static LIST_EXTRAS: [&Part; 4] = [&FILTERS, &RATE_WIDGET, &BULK_BAR, &LIVE];

/// Asks again for a part whose module failed, with the parts that share its module: one Try again
/// brings back every place the module's failure left empty.
pub fn retry(part: &'static Part) {
    if LIST_EXTRAS.iter().any(|extra| std::ptr::eq(*extra, part)) {
        for extra in LIST_EXTRAS {
            extra.load();
        }
    } else {
        part.load();
    }
}

/// Fetched in this order, each when the browser is idle, after the list's extras: the
/// cancellation is what a seller opens most.
pub static PREFETCH_ORDER: [&Part; 6] = [&CANCEL, &PARTIAL, &FOLLOW_UP, &SPLIT, &BULK, &HISTORY];

pub static CANCEL: Part = Part::new("cancel_dialog", || Box::pin(preload_cancel_dialog()));
pub static PARTIAL: Part = Part::new("partial_dialog", || Box::pin(preload_partial_dialog()));
pub static SPLIT: Part = Part::new("split_dialog", || Box::pin(preload_split_dialog()));
pub static BULK: Part = Part::new("bulk_dialog", || Box::pin(preload_bulk_dialog()));
pub static FOLLOW_UP: Part = Part::new("follow_up", || Box::pin(preload_follow_up()));
pub static HISTORY: Part = Part::new("history_page", || Box::pin(preload_history_page()));
pub static FILTERS: Part = Part::new("filters", || Box::pin(preload_filters()));
pub static BULK_BAR: Part = Part::new("bulk_bar", || Box::pin(preload_bulk_bar()));
pub static RATE_WIDGET: Part = Part::new("rate_widget", || Box::pin(preload_rate_widget()));
pub static LIVE: Part = Part::new("live", || Box::pin(preload_live()));

/// The cancellation dialog, on its own or taking over a partial cancellation of every unit
/// (`preset`).
pub struct CancelOpen {
    pub shipment: Shipment,
    pub preset: Option<Preset>,
    pub on_close: Callback<()>,
    pub on_shipment: Callback<Shipment>,
    pub on_done: Callback<CancelAnswer>,
    pub on_split: Callback<Shipment>,
}

split_part! {
    pub fn cancel_dialog(open: CancelOpen) -> AnyView, in dialogs, preload preload_cancel_dialog {
        hold_english(Half::Dialogs);
        let CancelOpen { shipment, preset, on_close, on_shipment, on_done, on_split } = open;
        match preset {
            Some(preset) => view! {
                <CancelDialog shipment on_close on_shipment on_done on_split preset />
            }
            .into_any(),
            None => view! { <CancelDialog shipment on_close on_shipment on_done on_split /> }.into_any(),
        }
    }
}

pub struct PartialOpen {
    pub shipment: Shipment,
    pub on_close: Callback<()>,
    pub on_shipment: Callback<Shipment>,
    pub on_done: Callback<PartialDone>,
    pub on_whole: Callback<ToWhole>,
}

split_part! {
    pub fn partial_dialog(open: PartialOpen) -> AnyView, in dialogs, preload preload_partial_dialog {
        hold_english(Half::Dialogs);
        let PartialOpen { shipment, on_close, on_shipment, on_done, on_whole } = open;
        view! { <PartialDialog shipment on_close on_shipment on_done on_whole /> }.into_any()
    }
}

pub struct SplitOpen {
    pub shipment: Shipment,
    pub on_close: Callback<()>,
    pub on_shipment: Callback<Shipment>,
    pub on_split: Callback<Vec<Shipment>>,
}

split_part! {
    pub fn split_dialog(open: SplitOpen) -> AnyView, in dialogs, preload preload_split_dialog {
        hold_english(Half::Dialogs);
        let SplitOpen { shipment, on_close, on_shipment, on_split } = open;
        view! { <SplitDialog shipment on_close on_shipment on_split /> }.into_any()
    }
}

pub struct BulkDialogOpen {
    pub open: BulkOpen,
    pub on_close: Callback<()>,
    pub on_shipment: Callback<Shipment>,
    pub on_finished: Callback<Summary>,
}

split_part! {
    pub fn bulk_dialog(open: BulkDialogOpen) -> AnyView, in dialogs, preload preload_bulk_dialog {
        hold_english(Half::Dialogs);
        let BulkDialogOpen { open: BulkOpen { shipments, preset, matching }, on_close, on_shipment, on_finished } = open;
        view! { <BulkCancelDialog shipments preset matching on_close on_shipment on_finished /> }.into_any()
    }
}

/// What the seller is offered after a cancellation: new stock, archiving, the out-of-stock sweep,
/// and stopping delivery to a city.
pub struct FollowUpOpen {
    pub shipment: Shipment,
    pub on_bulk: Callback<BulkOpen>,
    pub on_shipment: Callback<Shipment>,
    pub on_sweep: Callback<SweepSummary>,
}

split_part! {
    pub fn follow_up(open: FollowUpOpen) -> AnyView, in dialogs, preload preload_follow_up {
        hold_english(Half::Dialogs);
        let FollowUpOpen { shipment, on_bulk, on_shipment, on_sweep } = open;
        view! { <FollowUp shipment on_bulk on_shipment on_sweep /> }.into_any()
    }
}

split_part! {
    pub fn history_page() -> AnyView, in history_page, preload preload_history_page {
        hold_english(Half::History);
        view! { <HistoryPage /> }.into_any()
    }
}

split_part! {
    /// The filter bar over the list; the filter itself is the URL's.
    pub fn filters(filter: Memo<ShipmentFilter>, on_change: Callback<FilterChange>) -> AnyView, in list_extras, preload preload_filters {
        view! { <Filters filter on_change /> }.into_any()
    }
}

/// The bar shown with a selection; the selection is the page's.
pub struct BulkBarOpen {
    pub selected: Selected,
    pub list: ShipmentList,
    pub filter: Memo<ShipmentFilter>,
    pub on_bulk: Callback<BulkOpen>,
}

split_part! {
    pub fn bulk_bar(open: BulkBarOpen) -> AnyView, in list_extras, preload preload_bulk_bar {
        let BulkBarOpen { selected, list, filter, on_bulk } = open;
        view! { <BulkBar selected list filter on_bulk /> }.into_any()
    }
}

split_part! {
    /// The rate against the threshold and the 14 days' bars, from the rate's answer (its text, read
    /// here so that the report's decoding leaves the first load).
    pub fn rate_widget(answer: String) -> AnyView, in list_extras, preload preload_rate_widget {
        match crate::api::decode::<RateReport>(&answer) {
            Ok(report) => rate_figure(report).into_any(),
            Err(error) => rate_failed(error).into_any(),
        }
    }
}

split_part! {
    /// The live updates' stream, reading the first connection the page sent when it mounted
    /// (crate::live): nothing to show, it starts the stream, stopped with the page.
    pub fn live(open: LiveOpen) -> (), in list_extras, preload preload_live {
        crate::live::start(open)
    }
}

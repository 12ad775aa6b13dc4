//! The loaded part of the list: the rows fetched so far, the cursor for the next page, and where
//! loading stands.

use domain::{Cancellation, Shipment, ShipmentQuery};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{Api, ApiError};
use crate::shipments::instant::{Instant, RecentAnswers, Shown, instant_answer};
use crate::shipments::query::ShipmentFilter;

/// Rows fetched per request: several screenfuls, so that a longer search has rows to narrow, while
/// the first rows still paint fast for sellers with tens of thousands of shipments.
pub const PAGE_SIZE: u32 = 50;
/// Rows put in the table at a time. Every row in the page costs style, layout and paint on each
/// change, so the table holds a few screenfuls and grows as the seller scrolls toward its end.
pub const RENDER_STEP: usize = 20;

#[derive(Clone, Debug, PartialEq)]
pub enum Load {
    /// The first page of a new filter is on its way; the rows shown are the old filter's.
    Loading,
    /// The rows shown already answer the new filter, narrowed from the old rows or remembered; the
    /// server's answer is on its way to confirm them and to bring the count and further pages.
    Refreshing,
    Ready,
    /// A further page is on its way; the rows so far stay.
    LoadingMore,
    Failed(ApiError),
    /// A further page failed; the rows so far stay.
    MoreFailed(ApiError),
}

impl Load {
    /// The state as the table's `data-load` attribute: the style dims stale rows by it, and tests
    /// and the benchmark wait on it.
    pub fn code(&self) -> &'static str {
        match self {
            Load::Loading => "loading",
            Load::Refreshing => "refreshing",
            Load::Ready => "ready",
            Load::LoadingMore => "loading-more",
            Load::Failed(_) => "failed",
            Load::MoreFailed(_) => "more-failed",
        }
    }
}

#[derive(Clone, Copy)]
pub struct ShipmentList {
    pub rows: RwSignal<Vec<Shipment>>,
    pub total: RwSignal<Option<u64>>,
    pub next_cursor: RwSignal<Option<String>>,
    pub load: RwSignal<Load>,
    /// How many of the rows the table shows.
    pub rendered: RwSignal<usize>,
    /// Bumped by every reload, so that the answer to an older filter is dropped when it arrives
    /// after a newer one.
    generation: StoredValue<u64>,
    /// What the loaded rows answer, for narrowing them when the search grows.
    answering: StoredValue<Option<Shown>>,
    recent: StoredValue<RecentAnswers>,
}

impl Default for ShipmentList {
    fn default() -> ShipmentList {
        ShipmentList::new()
    }
}

impl ShipmentList {
    pub fn new() -> ShipmentList {
        ShipmentList {
            rows: RwSignal::new(Vec::new()),
            total: RwSignal::new(None),
            next_cursor: RwSignal::new(None),
            load: RwSignal::new(Load::Loading),
            rendered: RwSignal::new(RENDER_STEP),
            generation: StoredValue::new(0),
            answering: StoredValue::new(None),
            recent: StoredValue::new(RecentAnswers::default()),
        }
    }

    /// Fetches the first page of `filter`, replacing what was shown. Rows that already answer it
    /// are shown at once (see `instant`), and the server's answer replaces them.
    pub fn reload(self, api: Api, filter: ShipmentFilter) {
        let generation = self.next_generation();
        self.rendered.set(RENDER_STEP);
        let instant = self.answering.with_value(|shown| {
            self.recent.with_value(|recent| {
                self.rows
                    .with_untracked(|rows| instant_answer(&filter, shown.as_ref(), rows, recent))
            })
        });
        let shown_at_once = instant.is_some();
        match instant {
            Some(Instant {
                rows,
                total,
                next_cursor,
                complete,
            }) => {
                self.rows.set(rows);
                self.total.set(total);
                self.next_cursor.set(next_cursor);
                self.answering.set_value(Some(Shown {
                    filter: filter.clone(),
                    complete,
                }));
                self.load.set(Load::Refreshing);
            }
            None => self.load.set(Load::Loading),
        }
        spawn_local(async move {
            if shown_at_once {
                // The answer only confirms what is shown: sending it after the paint keeps the
                // request's cost out of the seller's frame, and keys typed meanwhile send one.
                crate::paint::after_next_paint().await;
                if !self.still_current(generation) {
                    return;
                }
            }
            let answer = api.shipments(&page_query(&filter, None)).await;
            if !self.still_current(generation) {
                return;
            }
            match answer {
                Ok(page) => {
                    self.answering.set_value(Some(Shown {
                        filter: filter.clone(),
                        complete: page.next_cursor.is_none(),
                    }));
                    self.recent
                        .update_value(|recent| recent.remember(filter, page.clone()));
                    // Rows equal to those shown keep their keys, so the table does not redraw them.
                    self.rows.set(page.items);
                    self.total.set(Some(page.total));
                    self.next_cursor.set(page.next_cursor);
                    self.load.set(Load::Ready);
                }
                Err(error) => {
                    self.answering.set_value(None);
                    self.rows.set(Vec::new());
                    self.total.set(None);
                    self.next_cursor.set(None);
                    self.load.set(Load::Failed(error));
                }
            }
        });
    }

    /// The rows the table shows: the first `rendered` of those loaded.
    pub fn shown(self) -> Vec<Shipment> {
        let count = self.rendered.get();
        self.rows
            .with(|rows| rows.iter().take(count).cloned().collect())
    }

    pub fn shown_count(self) -> usize {
        self.rows.with(Vec::len).min(self.rendered.get())
    }

    fn shown_count_untracked(self) -> usize {
        self.rows
            .with_untracked(Vec::len)
            .min(self.rendered.get_untracked())
    }

    /// Whether there is more to show: loaded rows not in the table yet, or a further page.
    pub fn has_more(self) -> bool {
        self.rows.with(Vec::len) > self.rendered.get() || self.next_cursor.with(Option::is_some)
    }

    /// Shows more rows: those already loaded first, then the next page, if there is one and
    /// nothing else is loading.
    pub fn load_more(self, api: Api, filter: ShipmentFilter) {
        let shown = self.shown_count_untracked();
        if self.rows.with_untracked(Vec::len) > shown {
            self.rendered.set(shown + RENDER_STEP);
            return;
        }
        let Some(cursor) = self.next_cursor.get_untracked() else {
            return;
        };
        if matches!(
            self.load.get_untracked(),
            Load::Loading | Load::Refreshing | Load::LoadingMore
        ) {
            return;
        }
        let generation = self.generation.get_value();
        self.load.set(Load::LoadingMore);
        spawn_local(async move {
            let answer = api.shipments(&page_query(&filter, Some(cursor))).await;
            if !self.still_current(generation) {
                return;
            }
            match answer {
                Ok(page) => {
                    self.answering.update_value(|shown| {
                        if let Some(shown) = shown {
                            shown.complete = page.next_cursor.is_none();
                        }
                    });
                    self.rows.update(|rows| rows.extend(page.items));
                    self.rendered.set(shown + RENDER_STEP);
                    self.total.set(Some(page.total));
                    self.next_cursor.set(page.next_cursor);
                    self.load.set(Load::Ready);
                }
                Err(error) => self.load.set(Load::MoreFailed(error)),
            }
        });
    }

    /// Puts the server's latest state of a shipment into its row, where it is. An answer older than
    /// the row (a slow poll overtaken by a cancellation) is ignored. Returns whether the row changed.
    pub fn replace(self, shipment: Shipment) -> bool {
        // None: the shipment is not among these rows.
        let changed = self
            .rows
            .try_update(|rows| {
                let row = rows
                    .iter_mut()
                    .find(|row| row.posting_number == shipment.posting_number)?;
                if row.version < shipment.version {
                    *row = shipment;
                    Some(true)
                } else {
                    Some(false)
                }
            })
            .flatten();
        // Remembered pages may hold the shipment as it was, also when these rows do not (a bulk run
        // over every matching shipment): then none of them may be shown at once any more.
        if changed != Some(false) {
            self.recent.update_value(RecentAnswers::forget);
        }
        changed == Some(true)
    }

    /// A split: the original row takes its new state and the new shipments follow it.
    pub fn split(self, original: &str, parcels: Vec<Shipment>) {
        self.recent.update_value(RecentAnswers::forget);
        self.rows.try_update(|rows| {
            let Some(at) = rows.iter().position(|row| row.posting_number == original) else {
                return;
            };
            let mut parcels = parcels.into_iter();
            let mut newcomers = Vec::new();
            for parcel in parcels.by_ref() {
                if parcel.posting_number == original {
                    rows[at] = parcel;
                } else if !rows
                    .iter()
                    .any(|row| row.posting_number == parcel.posting_number)
                {
                    newcomers.push(parcel);
                }
            }
            let added = newcomers.len() as u64;
            rows.splice(at + 1..at + 1, newcomers);
            self.total.try_update(|total| {
                if let Some(total) = total {
                    *total += added;
                }
            });
        });
    }

    /// The rows waiting for a delivery provider's answer.
    pub fn pending(self) -> Vec<String> {
        self.rows.with_untracked(|rows| {
            rows.iter()
                .filter(|row| {
                    row.cancellation
                        .as_ref()
                        .is_some_and(Cancellation::is_pending)
                })
                .map(|row| row.posting_number.clone())
                .collect()
        })
    }

    /// Whether an answer asked for at `generation` is still the list's to show, once it is in: not
    /// when a newer request was made since, nor when the list is gone (the seller left the page
    /// while it was on its way; its values are disposed then, and reading one would panic, which
    /// in the shipped build aborts the app).
    fn still_current(self, generation: u64) -> bool {
        self.generation.try_get_value() == Some(generation)
    }

    fn next_generation(self) -> u64 {
        self.generation.update_value(|generation| *generation += 1);
        self.generation.get_value()
    }
}

/// One page's query: the filter's, [`PAGE_SIZE`] rows after `cursor`.
pub fn page_query(filter: &ShipmentFilter, cursor: Option<String>) -> ShipmentQuery {
    filter.to_page_query(PAGE_SIZE, cursor)
}

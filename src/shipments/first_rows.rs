//! The list's first rows go first. On a server with two cores the tab counts (a grouped count over
//! every shipment), the cancellation rate and the providers compete with the first page for the
//! same cores: asked for together, the first page took 160 ms to answer instead of about 40 (issue
//! 16's loopback timeline). So those requests wait until the first page is answered; the start-up
//! script (boot.js) orders its own requests the same way.
//!
//! The wait is a future the requests' resources await, not a signal they track: a Leptos resource
//! awaits each fetch before it looks at its sources again, so a fetch that waited on a signal would
//! never see it change.

use futures_channel::oneshot;
use leptos::prelude::*;

use crate::shipments::list::{Load, ShipmentList};

#[derive(Default)]
struct Waiters {
    answered: bool,
    waiting: Vec<oneshot::Sender<()>>,
}

/// Whether the list's first page has been answered (rows, an empty list or a failure: any of them
/// ends the wait). It never closes again: a later filter's loading holds nothing back.
#[derive(Clone, Copy)]
pub struct FirstRows(StoredValue<Waiters, LocalStorage>);

impl FirstRows {
    /// Opens once `list` has left its first loading state.
    pub fn of(list: ShipmentList) -> FirstRows {
        let rows = FirstRows(StoredValue::new_local(Waiters::default()));
        Effect::new(move |_| {
            if list.load.with(answered) {
                rows.open();
            }
        });
        rows
    }

    /// Already open: for a part shown without the list, nothing waits.
    pub fn at_once() -> FirstRows {
        FirstRows(StoredValue::new_local(Waiters {
            answered: true,
            waiting: Vec::new(),
        }))
    }

    /// The list page's, or [`FirstRows::at_once`] outside it.
    pub fn from_context() -> FirstRows {
        use_context::<FirstRows>().unwrap_or_else(FirstRows::at_once)
    }

    fn open(self) {
        let waiting = self
            .0
            .try_update_value(|waiters| {
                waiters.answered = true;
                std::mem::take(&mut waiters.waiting)
            })
            .unwrap_or_default();
        for waiter in waiting {
            // An error only says the waiting fetch was dropped (its page or filter is gone):
            // nobody is left to tell.
            let _ = waiter.send(());
        }
    }

    /// Returns once the first page has been answered and what it brought painted (at once if it
    /// had been answered before the call).
    pub async fn wait(self) {
        let receiver = self
            .0
            .try_update_value(|waiters| {
                (!waiters.answered).then(|| {
                    let (sender, receiver) = oneshot::channel();
                    waiters.waiting.push(sender);
                    receiver
                })
            })
            .flatten();
        if let Some(receiver) = receiver {
            // Cancelled means the page, and this sign with it, was disposed: the fetch that
            // waits goes ahead rather than hang (its answer has nowhere to go anyway).
            let _ = receiver.await;
            // The first rows are painted before the work that waited on them: woken in the same
            // task as the rows, it ran before the browser painted them (the counts' answer read,
            // the tabs and the rate drawn), and the seller waited for it.
            crate::paint::after_next_paint().await;
        }
    }
}

/// True once the list has left its first loading state.
fn answered(load: &Load) -> bool {
    !matches!(load, Load::Loading | Load::Refreshing)
}

#[cfg(test)]
mod tests {
    use super::answered;
    use crate::api::ApiError;
    use crate::shipments::list::Load;

    #[test]
    fn only_the_first_pages_answer_releases_the_other_requests() {
        assert!(!answered(&Load::Loading));
        assert!(!answered(&Load::Refreshing));
        assert!(answered(&Load::Ready));
        assert!(answered(&Load::LoadingMore));
        assert!(answered(&Load::Failed(ApiError::Network("down".into()))));
    }
}

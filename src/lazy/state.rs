//! Where each part's module stands (not asked for, on its way, loaded, failed), and loading it with
//! retries.

use std::cell::RefCell;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

use leptos::prelude::*;
use leptos::task::spawn_local;

/// A part's module could not be fetched or instantiated (the browser's console has the cause).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoadFailed;

impl From<wasm_split_helpers::SplitLoaderError> for LoadFailed {
    fn from(_: wasm_split_helpers::SplitLoaderError) -> Self {
        LoadFailed
    }
}

/// Automatic attempts before the failure is shown to the seller, and the pause before each retry.
pub const ATTEMPTS: u32 = 3;
const PAUSES_MS: [u32; 2] = [300, 1_200];

/// The pause before retry number `retry` (1 for the first).
pub fn pause_before(retry: u32) -> u32 {
    let index = usize::try_from(retry.saturating_sub(1)).unwrap_or(usize::MAX);
    PAUSES_MS
        .get(index)
        .copied()
        .unwrap_or(PAUSES_MS[PAUSES_MS.len() - 1])
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Nothing has asked for it yet.
    Idle,
    /// Being fetched; `attempt` counts from 1.
    Loading {
        attempt: u32,
    },
    Loaded,
    /// Every automatic attempt failed; a new request starts over.
    Failed,
}

type Preload =
    fn() -> Pin<Box<dyn Future<Output = Result<(), wasm_split_helpers::SplitLoaderError>>>>;

/// One lazily loaded part: its name, for the console, and the function that fetches its module
/// (`split_<module>.wasm`, which several parts may share).
pub struct Part {
    pub name: &'static str,
    preload: Preload,
}

thread_local! {
    /// Each part's status, made on first use. The app runs on one thread.
    static STATUS: RefCell<HashMap<&'static str, ArcRwSignal<Status>>> = RefCell::new(HashMap::new());
}

impl Part {
    pub const fn new(name: &'static str, preload: Preload) -> Part {
        Part { name, preload }
    }

    fn signal(&'static self) -> ArcRwSignal<Status> {
        STATUS.with(|all| {
            all.borrow_mut()
                .entry(self.name)
                .or_insert_with(|| {
                    // An unsplit build has nothing to fetch: every part is there from the start.
                    let start = if cfg!(feature = "split") {
                        Status::Idle
                    } else {
                        Status::Loaded
                    };
                    ArcRwSignal::new(start)
                })
                .clone()
        })
    }

    /// The status, tracked.
    pub fn status(&'static self) -> Status {
        self.signal().get()
    }

    pub fn status_untracked(&'static self) -> Status {
        self.signal().get_untracked()
    }

    pub fn is_loaded(&'static self) -> bool {
        self.status_untracked() == Status::Loaded
    }

    /// Starts loading the module unless it is loaded or on its way; a part that failed starts over.
    pub fn load(&'static self) {
        if matches!(self.status_untracked(), Status::Idle | Status::Failed) {
            spawn_local(self.ensure());
        }
    }

    /// Loads the module (up to [`ATTEMPTS`] times) unless it is loaded or on its way, and resolves
    /// when it is settled either way.
    pub async fn ensure(&'static self) {
        let status = self.signal();
        if !matches!(status.get_untracked(), Status::Idle | Status::Failed) {
            return;
        }
        let mut attempt = 1;
        loop {
            status.set(Status::Loading { attempt });
            match (self.preload)().await {
                Ok(()) => {
                    status.set(Status::Loaded);
                    return;
                }
                Err(_) if attempt < ATTEMPTS => {
                    leptos::logging::warn!(
                        "the module of the {} part did not load (attempt {attempt} of {ATTEMPTS}); trying again",
                        self.name
                    );
                    gloo_timers::future::TimeoutFuture::new(pause_before(attempt)).await;
                    attempt += 1;
                }
                Err(_) => {
                    leptos::logging::warn!(
                        "the module of the {} part did not load after {ATTEMPTS} attempts",
                        self.name
                    );
                    status.set(Status::Failed);
                    return;
                }
            }
        }
    }
}

/// Polls `future` once: its output when it is ready at once, as a split function is when its
/// module is loaded. A future that is not ready is dropped; nothing is lost, since its module's
/// loader keeps going and the part's status reports the outcome.
pub fn now<F: Future>(future: F) -> Option<F::Output> {
    let mut future = std::pin::pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    match future.as_mut().poll(&mut context) {
        Poll::Ready(output) => Some(output),
        Poll::Pending => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_pause_longer_then_stay() {
        assert_eq!(pause_before(1), 300);
        assert_eq!(pause_before(2), 1_200);
        assert_eq!(pause_before(7), 1_200);
        assert_eq!(pause_before(0), 300);
    }

    #[test]
    fn a_ready_future_is_read_at_once() {
        assert_eq!(now(async { 7 }), Some(7));
        assert_eq!(now(std::future::pending::<u8>()), None);
    }
}

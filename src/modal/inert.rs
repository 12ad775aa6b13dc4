//! The page behind an open dialog turns inert, so that the keyboard and assistive technology stay
//! in the dialog as `aria-modal` promises.
//!
//! It turns inert once the dialog has been painted, and lively again at once when the dialog
//! closes. Making a page inert changes the style of everything in it: with fifty rows that was
//! 500 elements and 7–30 ms here, which in the opening frame held the dialog back (issue 16: a
//! prefetched dialog shows within one frame). Meanwhile the backdrop covers the page, so a click
//! lands on it, not on the page.

use leptos::prelude::*;

use crate::paint::after_next_paint;

/// Whether the page behind is inert, given whether a dialog is open.
pub fn behind(open: Memo<bool>) -> Signal<bool> {
    let painted = RwSignal::new(false);
    Effect::new(move |_| {
        if open.get() {
            leptos::task::spawn_local(async move {
                after_next_paint().await;
                // Closed meanwhile, or the page is gone: nothing turns inert.
                if open.try_get_untracked() == Some(true) {
                    painted.try_set(true);
                }
            });
        } else {
            painted.set(false);
        }
    });
    Signal::derive(move || open.get() && painted.get())
}

//! Focus handling for dialogs: the keyboard starts in a dialog, stays in it while it is open (Tab
//! and Shift+Tab cycle through its controls), and comes back where the seller was when it closes.

use leptos::ev;
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};

/// What can take the focus with Tab, in document order; hidden and disabled controls are filtered
/// out afterwards.
const TABBABLE: &str = "a[href], button, input, select, textarea, [tabindex]:not([tabindex='-1'])";

/// Remembers the focused element now and gives the focus back when the current owner is cleaned up.
///
/// After a cancellation the opener is gone: its row is redrawn with the new state. The focus then
/// goes to the row of the shipment the dialog was `about` (or the opener's row), found by posting
/// number: to its Cancel shipment button if it can still be used, or else to the row's cancellation
/// state, so that a screen reader reads the new state and the seller is back in their place in the
/// table. Without a row, it goes to the page's heading.
pub fn restore_on_close(about: Option<String>) {
    // A rehearsed dialog was never shown: the focus stays where it is.
    if crate::cancel::rehearsal::rehearsing() {
        return;
    }
    let opener = match use_context::<Opener>() {
        Some(Opener(opener)) => opener.take(),
        None => document()
            .active_element()
            .and_then(|element| element.dyn_into::<HtmlElement>().ok()),
    };
    // A dialog opened from another one (the split from the cancellation) has no row as its
    // opener, so the dialog names its shipment.
    let row = about.or_else(|| {
        opener
            .as_ref()
            .and_then(|opener| opener.closest("tr[data-posting-number]").ok().flatten())
            .and_then(|row| row.get_attribute("data-posting-number"))
    });
    let opener = SendWrapper::new(opener);
    on_cleanup(move || {
        let opener = opener.take();
        // The row redraws in the same turn as the dialog closes; the next frame sees the new one.
        request_animation_frame(move || {
            let target = opener
                // The body is where the focus falls when its element is removed: no opener.
                .filter(|opener| {
                    opener.is_connected() && !is_disabled(opener) && opener.tag_name() != "BODY"
                })
                .or_else(|| row.as_deref().and_then(row_target))
                .or_else(page_heading);
            if let Some(target) = target
                && let Err(error) = target.focus()
            {
                leptos::logging::warn!("could not give the focus back: {error:?}");
            }
        });
    });
}

/// The element that opened a dialog, when the dialog itself is made later than the click: a dialog
/// whose module was still loading (`crate::lazy::LazyDialog`) finds the page behind already inert,
/// and the focus gone from its opener.
#[derive(Clone, Debug)]
pub struct Opener(pub SendWrapper<Option<HtmlElement>>);

/// The control of a shipment's row that takes the focus back after a dialog about it.
fn row_target(posting_number: &str) -> Option<HtmlElement> {
    let row = format!("tr[data-posting-number=\"{posting_number}\"]");
    [
        format!("{row} button.cancel:not([disabled])"),
        format!("{row} .cancellation-state"),
    ]
    .iter()
    .find_map(|selector| document().query_selector(selector).ok().flatten())
    .and_then(|element| element.dyn_into::<HtmlElement>().ok())
}

/// The last resort, when the opener and its row are gone (a bulk bar that emptied): the page's
/// heading, so that the focus stays in the page rather than falling to its start.
fn page_heading() -> Option<HtmlElement> {
    let heading = document()
        .query_selector("main h1")
        .ok()
        .flatten()?
        .dyn_into::<HtmlElement>()
        .ok()?;
    if !heading.has_attribute("tabindex")
        && let Err(error) = heading.set_attribute("tabindex", "-1")
    {
        leptos::logging::warn!("could not make the heading focusable: {error:?}");
    }
    Some(heading)
}

fn is_disabled(element: &HtmlElement) -> bool {
    element.has_attribute("disabled")
}

/// Moves the focus into a dialog once it is in the page, so that the keyboard starts there, and
/// keeps it there: Tab from the last control goes to the first, Shift+Tab from the first (or from
/// the dialog itself) to the last. The page behind is inert, but the browser's own controls and
/// anything outside the inert part would otherwise be next.
///
/// The focus moves once the dialog has been painted. Focusing makes the browser bring the whole
/// page's style and layout up to date at once, and with the page turning inert behind the dialog
/// that took 10–30 ms: done in the opening frame, it held the dialog back a frame or two (issue
/// 16: a prefetched dialog shows within one frame). Until the focus is in, Tab still lands in the
/// dialog (below) and Escape closes it.
pub fn hold_focus_in(dialog: NodeRef<leptos::html::Div>) {
    Effect::new(move |_| {
        if let Some(element) = dialog.get() {
            leptos::task::spawn_local(async move {
                crate::paint::after_next_paint().await;
                // Closed before it was painted: nothing to focus.
                if element.is_connected()
                    && let Err(error) = element.focus()
                {
                    leptos::logging::warn!("could not focus the dialog: {error:?}");
                }
            });
        }
    });
    let keydown = window_event_listener(ev::keydown, move |event| {
        if event.key() != "Tab" {
            return;
        }
        let Some(dialog) = dialog.get_untracked() else {
            return;
        };
        let tabbable = tabbable_in(&dialog);
        let (Some(first), Some(last)) = (tabbable.first(), tabbable.last()) else {
            event.prevent_default();
            return;
        };
        let active = document().active_element();
        let inside = active
            .as_ref()
            .is_some_and(|active| dialog.contains(Some(active)));
        let at = |element: &HtmlElement| {
            active
                .as_ref()
                .is_some_and(|active| active == element.unchecked_ref::<Element>())
        };
        let on_dialog = active
            .as_ref()
            .is_some_and(|active| active == dialog.unchecked_ref::<Element>());
        let wrap_to = if event.shift_key() && (!inside || on_dialog || at(first)) {
            Some(last)
        } else if !event.shift_key() && (!inside || at(last)) {
            Some(first)
        } else {
            None
        };
        if let Some(target) = wrap_to {
            event.prevent_default();
            if let Err(error) = target.focus() {
                leptos::logging::warn!("could not keep the focus in the dialog: {error:?}");
            }
        }
    });
    on_cleanup(move || keydown.remove());
}

/// The dialog's controls that Tab reaches: enabled, shown, and of a radio group only the one Tab
/// stops at (the checked one, or the first when none is checked).
fn tabbable_in(dialog: &HtmlElement) -> Vec<HtmlElement> {
    let Ok(found) = dialog.query_selector_all(TABBABLE) else {
        return Vec::new();
    };
    (0..found.length())
        .filter_map(|index| found.item(index))
        .filter_map(|node| node.dyn_into::<HtmlElement>().ok())
        // Without an offset parent an element is not rendered (display: none somewhere above).
        .filter(|element| !is_disabled(element) && element.offset_parent().is_some())
        .filter(|element| radio_tab_stop(dialog, element))
        .collect()
}

fn radio_tab_stop(dialog: &HtmlElement, element: &HtmlElement) -> bool {
    if element.get_attribute("type").as_deref() != Some("radio") {
        return true;
    }
    let name = element.get_attribute("name").unwrap_or_default();
    let group = format!("input[type='radio'][name='{name}']");
    let checked = dialog
        .query_selector(&format!("{group}:checked"))
        .ok()
        .flatten();
    let stop = checked.or_else(|| dialog.query_selector(&group).ok().flatten());
    stop.is_some_and(|stop| &stop == element.unchecked_ref::<Element>())
}

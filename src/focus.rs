//! Focus handling for dialogs: the element that opened a dialog gets the focus back when it
//! closes, so a keyboard or screen-reader user continues where they were.

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;

/// Remembers the focused element now and focuses it again when the current owner is cleaned up.
pub fn restore_on_close() {
    let opener = document()
        .active_element()
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
    let opener = SendWrapper::new(opener);
    on_cleanup(move || {
        if let Some(opener) = opener.take()
            && opener.is_connected()
            && let Err(error) = opener.focus()
        {
            leptos::logging::warn!("could not give the focus back: {error:?}");
        }
    });
}

/// Moves the focus into a dialog once it is in the page, so that the keyboard starts there.
pub fn focus_when_mounted(dialog: NodeRef<leptos::html::Div>) {
    Effect::new(move |_| {
        if let Some(element) = dialog.get()
            && let Err(error) = element.focus()
        {
            leptos::logging::warn!("could not focus the dialog: {error:?}");
        }
    });
}

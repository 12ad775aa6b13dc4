//! Waiting for the browser to paint.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// Resolves once the frame being prepared has been painted, so that work the seller need not see in
/// this frame (a request that only confirms the rows on screen) does not hold it back. A hidden page
/// paints no frames; there it resolves at once.
pub async fn after_next_paint() {
    let Some(window) = web_sys::window() else {
        return;
    };
    if window.document().is_none_or(|document| document.hidden()) {
        return;
    }
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let resolve_now = resolve.clone();
        let after_frame = Closure::once_into_js(move || {
            // A task queued from an animation-frame callback runs once that frame is painted.
            let queued = web_sys::window()
                .map(|window| window.set_timeout_with_callback(resolve.unchecked_ref()));
            if !matches!(queued, Some(Ok(_))) {
                call(&resolve);
            }
        });
        if window
            .request_animation_frame(after_frame.unchecked_ref())
            .is_err()
        {
            call(&resolve_now);
        }
    });
    // The promise only ever resolves.
    if let Err(error) = wasm_bindgen_futures::JsFuture::from(promise).await {
        leptos::logging::warn!("waiting for a paint failed: {error:?}");
    }
}

fn call(resolve: &js_sys::Function) {
    if let Err(error) = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED) {
        leptos::logging::warn!("could not resolve the wait for a paint: {error:?}");
    }
}

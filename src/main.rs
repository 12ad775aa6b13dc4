//! The app's entry point, which Trunk builds to wasm.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::app::App);
}

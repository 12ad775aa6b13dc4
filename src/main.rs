//! The app's entry point, which `cargo xtask build` compiles to wasm and splits (xtask/src/app_build.rs).

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::app::App);
}

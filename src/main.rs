//! The app's entry point, which `cargo xtask build` compiles to wasm and splits (xtask/src/app_build.rs).

fn main() {
    console_error_panic_hook::set_once();
    // The app mounts once the start-up script's first answer has been read (at most a second, as
    // the page would wait for it anyway). Mounted at once, the app drew its "Loading" state, the
    // browser painted that frame, and the answer, read in a task of its own queued behind the
    // wasm's, came after it: the first rows waited a frame and a second task. Waiting first, the
    // whole first page, rows included, is built in one task and painted in one frame (BENCHMARKS.md,
    // issue 16 part 10). Meanwhile index.html's spinner shows, as it did while the wasm loaded.
    wasm_bindgen_futures::spawn_local(async {
        app::boot::first_answer_in().await;
        app::boot::remove_waiting();
        leptos::mount::mount_to_body(app::app::App);
    });
}

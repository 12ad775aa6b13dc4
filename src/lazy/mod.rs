//! The parts of the app that load after the list's first rows, from wasm modules of their own: the
//! list's extras (the filter bar, the bulk bar, the rate widget and its chart), the dialogs, the
//! out-of-stock and undeliverable-address follow-ups, and the history page.
//!
//! Each part is a function marked with [`split_part!`]. In the shipped build (the `split` feature,
//! which `cargo xtask` turns on) the function's code, and all code that only it reaches, is cut out
//! of the main module after `cargo build` by `wasm_split_cli_support` (see `xtask/src/app_build.rs`
//! and `docs/toolchain-split.md`); calling it fetches and instantiates that module first. Without the
//! feature (the wasm and native tests) the same function runs at once.
//!
//! A module is fetched once the browser is idle after the list's first rows ([`prefetch`]), or at
//! once when the seller opens a part before that. A failed fetch is retried a few times, then shown
//! as a failure in the seller's language with a way to try again ([`view`]); it never panics, which
//! would end the app (`panic = "abort"`).

pub mod parts;
pub mod prefetch;
pub mod state;
pub mod view;

pub use state::{LoadFailed, Part};
pub use view::{LazyDialog, LazyInline};

/// Declares a lazily loaded part: a function that renders it, and the function that preloads its
/// module.
///
/// ```ignore
/// split_part! {
///     /// The cancellation dialog.
///     pub fn cancel_dialog(open: CancelOpen) -> AnyView, in cancel_dialog, preload preload_cancel_dialog {
///         view! { <CancelDialog ... /> }.into_any()
///     }
/// }
/// ```
///
/// Both are `async` and fail with [`LoadFailed`] when the module cannot be fetched; the render
/// function is ready at once when the module is already loaded, so a view can poll it once
/// ([`state::now`]) and show it in the same frame.
#[macro_export]
macro_rules! split_part {
    (
        $(#[$meta:meta])*
        $vis:vis fn $name:ident($($arg:ident : $ty:ty),* $(,)?) -> $out:ty,
            in $module:ident, preload $preload:ident
        $body:block
    ) => {
        $(#[$meta])*
        #[cfg(feature = "split")]
        #[::wasm_split_helpers::wasm_split($module, fallible, preload($preload))]
        $vis fn $name($($arg: $ty),*) -> ::core::result::Result<$out, $crate::lazy::LoadFailed> {
            ::core::result::Result::Ok($body)
        }

        $(#[$meta])*
        #[cfg(not(feature = "split"))]
        $vis async fn $name($($arg: $ty),*) -> ::core::result::Result<$out, $crate::lazy::LoadFailed> {
            ::core::result::Result::Ok($body)
        }

        /// Fetches the part's module without rendering it (nothing to fetch in an unsplit build).
        #[cfg(not(feature = "split"))]
        $vis async fn $preload() -> ::core::result::Result<(), ::wasm_split_helpers::SplitLoaderError> {
            ::core::result::Result::Ok(())
        }
    };
}

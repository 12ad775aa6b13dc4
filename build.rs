//! Generates the typed `i18n` module from `locales/*.json`, so a missing key or a mismatched
//! placeholder fails the build instead of showing up in front of a seller.

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    let out_dir = std::env::var_os("OUT_DIR").ok_or("cargo did not set OUT_DIR")?;
    let module_dir = PathBuf::from(out_dir).join("i18n");

    // `interpolate_display` lets the text module fill placeholders into a plain `String`
    // (`td_string!`), for attributes, toasts and messages to the portal as well as views.
    let config = Config::new("en")?
        .add_locale("zh-CN")?
        .add_locale("ru")?
        .parse_options(ParseOptions::default().interpolate_display(true));
    let infos = TranslationsInfos::parse(config)?;
    infos.emit_diagnostics();
    infos.rerun_if_locales_changed();
    infos.generate_i18n_module(module_dir)?;
    Ok(())
}

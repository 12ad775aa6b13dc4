#![cfg(target_arch = "wasm32")]
//! The list's instant search lower-cases text that is not ASCII with the browser's `toLowerCase`
//! (src/shipments/lowercase.rs), where the server's and the rules crate's own tests use Rust's
//! `str::to_lowercase`: the two must agree, or a row would show for a moment and then vanish when
//! the server answers (or the other way round).

use app::shipments::lowercase::lowercase;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Every Unicode scalar value alone, lower-cased by the browser and by Rust. The characters go
/// over in batches, each one between spaces: a space is neither cased nor case-ignorable, so no
/// character is in another's context (the final sigma), and no mapping yields a space.
#[wasm_bindgen_test]
fn the_browser_lowercases_every_character_as_rust_does() {
    let every: Vec<char> = (0..=char::MAX as u32)
        .filter_map(char::from_u32)
        .filter(|c| *c != ' ')
        .collect();
    let mut differ = Vec::new();
    for batch in every.chunks(8192) {
        let text: String = batch.iter().flat_map(|c| [*c, ' ']).collect();
        let browser = lowercase(&text);
        let words: Vec<&str> = browser.split(' ').collect();
        assert_eq!(words.len(), batch.len() + 1, "a mapping changed the spaces");
        for (c, word) in batch.iter().zip(&words) {
            if c.to_lowercase().collect::<String>() != *word {
                differ.push(format!("U+{:04X} browser {word:?}", *c as u32));
            }
        }
    }
    assert!(
        differ.is_empty(),
        "{} differ: {:?}",
        differ.len(),
        &differ[..differ.len().min(20)]
    );
}

/// The one mapping that depends on its neighbours: a capital sigma that ends a word.
#[wasm_bindgen_test]
fn the_final_sigma_is_lowercased_as_rust_does() {
    for text in [
        "ΟΔΟΣ",
        "ΟΔΟΣ ΟΔΟΣ",
        "Σ",
        "ΑΣ.",
        "ΑΣ'Β",
        "ΑΣΒ",
        "İSTANBUL ΣΑΣ",
        "a\u{0345}Σ",
    ] {
        assert_eq!(lowercase(text), text.to_lowercase(), "{text}");
    }
}

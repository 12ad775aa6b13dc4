//! The description the seller writes for the reason "other": a text area with its counter and
//! the rules crate's verdict, as the single and the bulk cancellation dialogs show it.
//!
//! The API calls it `comment`; the seller reads "description", and so does the app.

use domain::comment::comment_length;
use domain::{CommentError, MAX_COMMENT_CHARS, Reason, validate_comment};
use leptos::prelude::*;

use crate::i18n::text;

/// What is wrong with `typed`, once it is worth saying: "required" waits for a first confirm
/// (`attempted`), so that the field is not red before the seller starts typing.
pub fn description_error(typed: &str, attempted: bool) -> Option<CommentError> {
    match validate_comment(Reason::Other, Some(typed)) {
        Err(error) if attempted || !typed.trim().is_empty() => Some(error),
        _ => None,
    }
}

#[component]
pub fn DescriptionField(
    /// The text area's id, which a label and a focus move name.
    id: &'static str,
    #[prop(into)] text: Signal<String>,
    on_input: Callback<String>,
    /// Whether the seller has tried to confirm.
    #[prop(into)]
    attempted: Signal<bool>,
) -> impl IntoView {
    let help_id = format!("{id}-help");
    let error = move || text.with(|typed| description_error(typed, attempted.get()));
    let counter = move || text::description_counter(text.with(|typed| comment_length(typed)));
    let over = move || text.with(|typed| comment_length(typed) > MAX_COMMENT_CHARS);
    view! {
        <div class="field">
            <label for=id>{text::description_label}</label>
            <textarea
                id=id
                rows="3"
                aria-invalid=move || error().is_some().then_some("true")
                aria-describedby=help_id.clone()
                prop:value=move || text.get()
                on:input=move |event| on_input.run(event_target_value(&event))
            ></textarea>
            <div id=help_id class="field-help">
                <span class="counter" class:over=over aria-live="polite">{counter}</span>
                {move || {
                    error().map(|error| view! { <span class="field-error">{text::comment_error(error)}</span> })
                }}
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_waits_for_a_first_confirm_but_other_faults_show_at_once() {
        assert_eq!(description_error("", false), None);
        assert_eq!(
            description_error("  ", true),
            Some(CommentError::CommentRequired)
        );
        let long = "x".repeat(MAX_COMMENT_CHARS + 1);
        assert_eq!(
            description_error(&long, false),
            Some(CommentError::CommentTooLong)
        );
        assert_eq!(description_error("Packed the wrong colour", true), None);
    }
}

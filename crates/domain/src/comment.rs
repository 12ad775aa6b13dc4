use crate::Reason;
use crate::code::codes;
use crate::text::TextFault;

/// The longest description, counted in characters (Unicode scalar values) after trimming.
pub const MAX_COMMENT_CHARS: usize = 500;

codes! {
    #[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
    pub enum CommentError {
        #[error("a description is required for this reason")]
        CommentRequired = "comment_required",
        #[error("the description is longer than {MAX_COMMENT_CHARS} characters")]
        CommentTooLong = "comment_too_long",
        #[error("the description contains control characters")]
        CommentControlCharacters = "comment_control_characters",
        #[error("the description contains invisible formatting characters")]
        CommentInvisibleCharacters = "comment_invisible_characters",
    }
}

/// Checks a reason's description and returns it trimmed, or `None` when there is none.
///
/// `other` requires 1 to 500 characters after trimming. The other reasons take an optional
/// description under the same limits *(decision)*: a blank one counts as absent, so that a stray
/// space never blocks a seller.
pub fn validate_comment(
    reason: Reason,
    comment: Option<&str>,
) -> Result<Option<String>, CommentError> {
    let trimmed = comment.map(str::trim).filter(|c| !c.is_empty());
    match trimmed {
        None if reason.requires_comment() => Err(CommentError::CommentRequired),
        None => Ok(None),
        Some(text) => {
            if let Err(fault) = crate::text::check_text(text) {
                Err(match fault {
                    TextFault::ControlCharacters => CommentError::CommentControlCharacters,
                    TextFault::InvisibleCharacters => CommentError::CommentInvisibleCharacters,
                })
            } else if text.chars().count() > MAX_COMMENT_CHARS {
                Err(CommentError::CommentTooLong)
            } else {
                Ok(Some(text.to_owned()))
            }
        }
    }
}

/// The characters a description counts toward its limit, for a live counter.
pub fn comment_length(comment: &str) -> usize {
    comment.trim().chars().count()
}

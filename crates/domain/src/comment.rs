use serde::{Deserialize, Serialize};

use crate::Reason;
use crate::text::TextFault;

/// The longest description, counted in characters (Unicode scalar values) after trimming.
pub const MAX_COMMENT_CHARS: usize = 500;

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommentError {
    #[error("a description is required for this reason")]
    CommentRequired,
    #[error("the description is longer than {MAX_COMMENT_CHARS} characters")]
    CommentTooLong,
    #[error("the description contains control characters")]
    CommentControlCharacters,
    #[error("the description contains invisible formatting characters")]
    CommentInvisibleCharacters,
}

impl CommentError {
    pub fn code(self) -> &'static str {
        match self {
            CommentError::CommentRequired => "comment_required",
            CommentError::CommentTooLong => "comment_too_long",
            CommentError::CommentControlCharacters => "comment_control_characters",
            CommentError::CommentInvisibleCharacters => "comment_invisible_characters",
        }
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

//! The typed error of a query string's parser (`ShipmentQuery::parse`, `HistoryQuery::parse`):
//! the server answers it with a 400 whose `parameter` names the parameter.

/// A bad query parameter: the 400 names it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{parameter}: {detail}")]
pub struct ParamError {
    pub parameter: String,
    pub detail: String,
}

impl ParamError {
    pub fn new(parameter: &str, detail: impl Into<String>) -> ParamError {
        ParamError {
            parameter: parameter.to_owned(),
            detail: detail.into(),
        }
    }
}

//! The text codes the database stores for the rules crate's enums.

use domain::fixture::Decision;
use domain::{CancellationState, DeliveryMethod, Initiator, Reason, Status};
use rusqlite::types::Type;

pub fn state_code(state: CancellationState) -> &'static str {
    match state {
        CancellationState::Requested => "requested",
        CancellationState::Cancelled => "cancelled",
        CancellationState::Rejected => "rejected",
    }
}

fn state_from_code(code: &str) -> Option<CancellationState> {
    [
        CancellationState::Requested,
        CancellationState::Cancelled,
        CancellationState::Rejected,
    ]
    .into_iter()
    .find(|s| state_code(*s) == code)
}

pub fn initiator_code(initiator: Initiator) -> &'static str {
    domain::history::initiator_code(initiator)
}

fn initiator_from_code(code: &str) -> Option<Initiator> {
    domain::history::initiator_from_code(code)
}

pub fn decision_code(decision: Decision) -> &'static str {
    match decision {
        Decision::Approve => "approve",
        Decision::Reject => "reject",
    }
}

fn decision_from_code(code: &str) -> Option<Decision> {
    [Decision::Approve, Decision::Reject]
        .into_iter()
        .find(|d| decision_code(*d) == code)
}

#[derive(Debug, thiserror::Error)]
#[error("the database holds an unknown {kind} code {code:?}")]
struct UnknownCode {
    kind: &'static str,
    code: String,
}

fn parse<T>(
    column: usize,
    kind: &'static str,
    code: &str,
    from: fn(&str) -> Option<T>,
) -> rusqlite::Result<T> {
    from(code).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            column,
            Type::Text,
            Box::new(UnknownCode {
                kind,
                code: code.to_owned(),
            }),
        )
    })
}

pub fn status(column: usize, code: &str) -> rusqlite::Result<Status> {
    parse(column, "status", code, Status::from_code)
}

pub fn method(column: usize, code: &str) -> rusqlite::Result<DeliveryMethod> {
    parse(column, "delivery method", code, DeliveryMethod::from_code)
}

pub fn reason(column: usize, code: &str) -> rusqlite::Result<Reason> {
    parse(column, "reason", code, Reason::from_code)
}

pub fn state(column: usize, code: &str) -> rusqlite::Result<CancellationState> {
    parse(column, "cancellation state", code, state_from_code)
}

pub fn initiator(column: usize, code: &str) -> rusqlite::Result<Initiator> {
    parse(column, "initiator", code, initiator_from_code)
}

pub fn decision(column: usize, code: &str) -> rusqlite::Result<Decision> {
    parse(column, "provider decision", code, decision_from_code)
}

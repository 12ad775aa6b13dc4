//! What can go wrong in xtask, worded for the person at the terminal.

use std::fmt;
use std::io;
use std::process::ExitStatus;

use crate::toolchain::Missing;

#[derive(Debug)]
pub enum Error {
    /// Tools that are absent, or present at the wrong version, and could not be installed.
    Missing(Vec<Missing>),
    Io {
        doing: String,
        source: io::Error,
    },
    /// A command ran and reported failure.
    Failed {
        step: String,
        status: ExitStatus,
    },
    /// The server did not print its `listening on` line.
    ServerNotReady(String),
    /// A project file does not say what xtask needs (Cargo.lock, index.html, a report).
    Project(String),
}

impl Error {
    pub fn io(doing: impl Into<String>, source: io::Error) -> Self {
        Error::Io {
            doing: doing.into(),
            source,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Missing(missing) => {
                writeln!(f, "missing tools:")?;
                for m in missing {
                    writeln!(f, "  - {m}")?;
                }
                Ok(())
            }
            Error::Io { doing, source } => write!(f, "{doing}: {source}"),
            Error::Failed { step, status } => write!(f, "{step} failed ({status})"),
            Error::ServerNotReady(why) => write!(f, "the server did not start: {why}"),
            Error::Project(why) => write!(f, "{why}"),
        }
    }
}

impl std::error::Error for Error {}

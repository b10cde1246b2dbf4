//! Program-level errors (row-level errors are values, see `Value::Error`).

use std::fmt;

/// An error that stops a program: a bad plan, an unreadable source, a failed sink.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// What went wrong, in words a user can act on.
    pub message: String,
}

impl Error {
    /// An error with the given message.
    pub fn new(message: impl Into<String>) -> Self {
        Self { message: message.into() }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::new(e.to_string())
    }
}

/// Result with towpath's program-level error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

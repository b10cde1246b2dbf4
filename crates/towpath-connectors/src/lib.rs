//! towpath-connectors: sources and sinks. Storage (where bytes live) is separate from format
//! (how bytes become rows).

use towpath_core::{Key, Row, Time};

/// A parse problem in an input, kept so no input is lost silently.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadError {
    /// What was wrong, including the offending text.
    pub message: String,
    /// Where: `path:line`.
    pub position: String,
}

/// A batch of rows read at one commit time.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReadChunk {
    pub time: Time,
    pub rows: Vec<(Key, Row, isize)>,
    pub errors: Vec<ReadError>,
}

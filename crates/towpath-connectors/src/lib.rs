//! towpath-connectors: sources and sinks. Storage (where bytes live) is separate from format
//! (how bytes become rows).
//!
//! - [`read_static`]: a worker's share of a file or directory, as bounded [`ReadChunk`]s: one
//!   commit per file at times 0, 2, 4… in path order ([`file_time`]); ids from primary keys, else
//!   from (path, byte offset), so they do not depend on the worker count (see [`partition`]).
//! - [`open_sink`]: a [`SinkWriter`] producing Pathway 0.33's CSV / JSON Lines output.
//! - [`render`]: the text forms of values those sinks use; [`parse`]: text/JSON → typed values.
//!
//! Bad input is never dropped silently: a cell that does not parse becomes `Value::Error` and a
//! [`ReadError`]; a record that does not parse at all becomes a [`ReadError`] quoting it.
//! Deliberate differences from Pathway 0.33 are noted in the format modules (missing optional
//! fields are None, hidden files are skipped, `_metadata` comes last).

pub mod format;
pub mod parse;
pub mod partition;
pub mod range;
pub mod reader;
pub mod render;
pub mod sink;
pub mod storage;

use towpath_core::{Key, Row, Time};

pub use partition::ReadOptions;
pub use range::FileFormat;
pub use reader::{file_time, read_static, read_static_with, StaticReader};
pub use sink::{open_sink, SinkWriter};

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

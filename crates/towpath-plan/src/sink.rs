//! Sink specifications.

use serde::{Deserialize, Serialize};

/// Where an `Output` node sends its update stream.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum SinkSpec {
    /// Pathway-format CSV with `time` and `diff` columns.
    Csv { path: String, columns: Vec<String> },
    /// Pathway-format JSON Lines with `time` and `diff` keys.
    JsonLines { path: String, columns: Vec<String> },
    /// Updates handed to the host (Python callbacks, captures) by index, in time order.
    Callback { index: usize },
    /// Discards the updates (but the computation runs).
    Null,
}

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
    /// One Kafka message per update (`pw.io.kafka.write`).
    Kafka(KafkaSinkSpec),
}

/// A Kafka write: every update becomes a message of `topic`, flushed at each time's end.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KafkaSinkSpec {
    /// librdkafka settings, passed through.
    pub settings: Vec<(String, String)>,
    pub topic: String,
    pub format: KafkaWriteFormat,
    /// Column names of the table (JSON keys).
    pub columns: Vec<String>,
    /// Column whose value is the message key.
    #[serde(default)]
    pub key: Option<usize>,
    /// Columns sent as headers (named after the column, the value as text).
    #[serde(default)]
    pub headers: Vec<usize>,
}

/// The payload of a Kafka write.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum KafkaWriteFormat {
    /// Pathway's JSON: `{columns..., "diff": d, "time": t}`.
    Json,
    /// The text of column `value` (headers `pathway_time`, `pathway_diff`).
    Plaintext { value: usize },
    /// The bytes (or text) of column `value`.
    Raw { value: usize },
    /// One CSV record of every column (each value quoted, then `time`, `diff`), after a first
    /// message naming the columns.
    Dsv { delimiter: char },
}

//! Source specifications: where bytes live (storage) and how they become rows (format).

use serde::{Deserialize, Serialize};
use towpath_core::Schema;

/// A connector read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceSpec {
    /// A file or a directory (all files in it, in name order).
    pub path: String,
    pub format: Format,
    /// Columns to produce, with types to parse into, primary keys and defaults.
    pub schema: Schema,
    pub mode: Mode,
    /// Add a `_metadata` Json column (path, modification time...).
    #[serde(default)]
    pub with_metadata: bool,
    /// Live sources: commit every this many milliseconds.
    #[serde(default)]
    pub autocommit_duration_ms: Option<u64>,
    /// Name for messages and statistics.
    #[serde(default)]
    pub name: Option<String>,
}

/// Static (read once) or streaming (watch for changes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Mode {
    Static,
    Streaming,
}

/// How bytes become rows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Format {
    Csv(CsvSettings),
    /// One JSON object per line; columns by name (or by `json_field_paths` pointer).
    JsonLines { field_paths: Vec<(String, String)> },
    /// One row per line, column `data`.
    Plaintext,
    /// One row per file, column `data` (str).
    PlaintextByFile,
    /// One row per file, column `data` (bytes).
    Binary,
}

/// CSV dialect.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CsvSettings {
    pub delimiter: char,
    pub quote: char,
    pub escape: Option<char>,
    pub enable_double_quote_escapes: bool,
    pub comment_character: Option<char>,
}

impl Default for CsvSettings {
    fn default() -> Self {
        Self {
            delimiter: ',',
            quote: '"',
            escape: None,
            enable_double_quote_escapes: true,
            comment_character: None,
        }
    }
}

/// A Kafka read (`NodeKind::Kafka`): messages of `topics` become rows, committed every
/// `autocommit_duration_ms`; consumer offsets go back to Kafka once their rows are processed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KafkaReadSpec {
    /// librdkafka settings, passed through (`bootstrap.servers`, `group.id`, SASL/SSL...).
    pub settings: Vec<(String, String)>,
    pub topics: Vec<String>,
    /// `JsonLines` (one object per message), `Plaintext` (column `data`: str) or `Binary`
    /// (column `data`: bytes).
    pub format: Format,
    /// Columns to produce; with primary keys, a message replaces the row with its key.
    pub schema: Schema,
    /// Add a `_metadata` Json column (topic, partition, offset, timestamp_millis).
    #[serde(default)]
    pub with_metadata: bool,
    #[serde(default)]
    pub autocommit_duration_ms: Option<u64>,
    /// Start each partition at the first message at or after this time.
    #[serde(default)]
    pub start_from_timestamp_ms: Option<i64>,
    /// Name for messages.
    #[serde(default)]
    pub name: Option<String>,
    /// Debezium change events (`pw.io.debezium.read`): each JSON message carries
    /// `payload.before/after/op`; rows are inserted, replaced and deleted by primary key.
    #[serde(default)]
    pub debezium: bool,
}

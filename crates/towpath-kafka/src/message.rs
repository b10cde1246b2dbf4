//! One Kafka message to one row: the payload parsed by the source's format, the id from the
//! primary key or from the message's position (topic, partition, offset).

use std::sync::Arc;

use crate::csv_message::CsvMessage;
use crate::debezium::{Change, Debezium};
use towpath_connectors::format::jsonlines::JsonLines;
use towpath_connectors::format::plaintext::{Plaintext, DATA_COLUMN};
use towpath_connectors::format::{missing_value, Layout, LineFormat};
use towpath_core::{Key, Row, Value};
use towpath_plan::source::KafkaReadSpec;
use towpath_plan::Format;

/// The column that takes the message key in raw and plaintext reads.
pub const KEY_COLUMN: &str = "key";

/// Where a message comes from, for ids, `_metadata` and error positions.
#[derive(Clone, Debug, PartialEq)]
pub struct Origin<'a> {
    pub topic: &'a str,
    pub partition: i32,
    pub offset: i64,
    /// Milliseconds since the epoch, when the message has a timestamp.
    pub timestamp_ms: Option<i64>,
}

impl Origin<'_> {
    /// `topic/partition@offset`, the position in error messages.
    pub fn position(&self) -> String {
        format!("{}/{}@{}", self.topic, self.partition, self.offset)
    }

    fn metadata(&self) -> Value {
        Value::json(&serde_json::json!({
            "topic": self.topic,
            "partition": self.partition,
            "offset": self.offset,
            "timestamp_millis": self.timestamp_ms,
            "headers": [],
        }))
    }

    fn key(&self) -> Key {
        let partition = i64::from(self.partition);
        Key::for_values(&[Value::from(self.topic), Value::Int(partition), Value::Int(self.offset)])
    }
}

/// What a message became.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedMessage {
    /// The row and its id, unless the message yields none (a blank JSON message).
    pub row: Option<(Key, Row)>,
    /// Debezium: the id of a row to delete (applied before `row` is inserted).
    pub delete: Option<Key>,
    /// Problems, each with the message's position: they go to the error log.
    pub errors: Vec<String>,
}

/// The payload formats of a Kafka read.
enum Payload {
    Lines(Box<dyn LineFormat>),
    /// `format="raw"`: the payload as bytes in `data`.
    Raw,
    /// `pw.io.debezium.read`: change events.
    Debezium(Debezium),
}

/// Turns messages into rows for one Kafka read.
pub struct MessageParser {
    layout: Arc<Layout>,
    payload: Payload,
    /// Raw and plaintext reads: the field that takes the message key, as Pathway's `key` column.
    key_field: Option<usize>,
    values: Vec<Value>,
}

impl MessageParser {
    /// A parser for `spec`'s format and schema; an unsupported format is an error.
    pub fn new(spec: &KafkaReadSpec) -> Result<Self, String> {
        let layout = Arc::new(Layout::new(&spec.schema, spec.with_metadata));
        let payload = match &spec.format {
            Format::JsonLines { .. } if spec.debezium => Payload::Debezium(Debezium::new(layout.clone())),
            Format::Csv(settings) => Payload::Lines(Box::new(CsvMessage::new(layout.clone(), settings)?)),
            Format::JsonLines { field_paths } => Payload::Lines(Box::new(JsonLines::new(layout.clone(), field_paths))),
            Format::Plaintext => Payload::Lines(Box::new(Plaintext::new(layout.clone()))),
            Format::Binary => Payload::Raw,
            other => return Err(format!("format {other:?} is not supported for Kafka reads")),
        };
        let key_field = match spec.format {
            Format::Binary | Format::Plaintext => layout.field_index(KEY_COLUMN),
            _ => None,
        };
        Ok(Self { layout, payload, key_field, values: Vec::new() })
    }

    /// Parses one message (a missing payload reads as empty); `key` is the message key.
    pub fn parse(&mut self, origin: &Origin, key: Option<&[u8]>, payload: Option<&[u8]>) -> ParsedMessage {
        let mut errors = Vec::new();
        self.values.clear();
        let position = origin.position();
        let with_position = |errors: Vec<String>| errors.into_iter().map(|e| format!("{e} (at {position})")).collect();
        if let Payload::Debezium(debezium) = &self.payload {
            let (row, delete) = match debezium.parse(key, payload, &mut errors) {
                Change::None => (None, None),
                Change::Delete(k) => (None, Some(Debezium::id(&k))),
                Change::Upsert { values, replaces } => {
                    let id = Debezium::id(&debezium.key_of(&values));
                    (Some((id, Row::from(values))), replaces.map(|k| Debezium::id(&k)))
                }
            };
            return ParsedMessage { row, delete, errors: with_position(errors) };
        }
        let payload = payload.unwrap_or_default();
        let produced = match &mut self.payload {
            Payload::Lines(format) => format.parse(payload, &mut errors, &mut self.values),
            Payload::Raw => {
                let mut data = Some(Value::Bytes(Arc::from(payload)));
                let fields = self.layout.fields.iter().map(|c| {
                    if c.name == DATA_COLUMN {
                        data.take().unwrap_or_default()
                    } else {
                        missing_value(c, &mut errors, || format!("field {:?} is not produced by format raw", c.name))
                    }
                });
                self.values.extend(fields.collect::<Vec<_>>());
                true
            }
            Payload::Debezium(_) => unreachable!("handled above"),
        };
        if let (Some(i), true) = (self.key_field, produced) {
            self.values[i] = match (key, &self.payload) {
                (None, _) => Value::None,
                (Some(k), Payload::Raw) => Value::Bytes(Arc::from(k)),
                (Some(k), _) => Value::from(String::from_utf8_lossy(k).as_ref()),
            };
        }
        let errors = with_position(errors);
        let row = produced.then(|| self.finish(origin));
        ParsedMessage { row, delete: None, errors }
    }

    fn finish(&mut self, origin: &Origin) -> (Key, Row) {
        let key = if self.layout.primary_key.is_empty() {
            origin.key()
        } else {
            let pk: Vec<Value> = self.layout.primary_key.iter().map(|&i| self.values[i].clone()).collect();
            Key::for_values(&pk)
        };
        if let Some(at) = self.layout.metadata_at {
            self.values.insert(at, origin.metadata());
        }
        (key, self.values.drain(..).collect())
    }

    /// The source has primary-key columns (a message replaces the row with its key).
    pub fn has_primary_key(&self) -> bool {
        !self.layout.primary_key.is_empty() || matches!(self.payload, Payload::Debezium(_))
    }
}

#[cfg(test)]
#[path = "message_tests.rs"]
mod tests;

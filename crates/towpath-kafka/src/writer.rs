//! The producer side: `pw.io.kafka.write`, one message per update, flushed at the end of each
//! time; a message that Kafka did not acknowledge fails the run (never a silent loss).
//!
//! Message layout as Pathway 0.33 writes it (observed): headers `pathway_time` and
//! `pathway_diff` on every message, then one header per `headers=` column (None as `null`, bools
//! `True`/`False`, bytes raw, others as CSV cells); the key is the `key=` column's text or bytes,
//! else the row id (16 bytes, little-endian). JSON and DSV payloads list the key column first,
//! then the header columns, then the others in table order. DSV sends a first message naming the
//! columns (with the first row's key and headers), then one record per
//! update, every value quoted as the CSV sink writes it, ending with `time` and `diff`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use rdkafka::config::ClientConfig;
use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::producer::{BaseProducer, BaseRecord, DeliveryResult, Producer, ProducerContext};
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::ClientContext;
use towpath_connectors::render::{csv_cell, json_text, JsonUpdate};
use towpath_connectors::SinkWriter;
use towpath_core::{Error, Key, Result, Row, Time, Value};
use towpath_plan::sink::{KafkaSinkSpec, KafkaWriteFormat};

/// How long a flush waits for the broker's acknowledgements before the run fails.
const FLUSH_TIMEOUT: Duration = Duration::from_secs(60);

/// Records the first delivery failure, for the next flush to report.
#[derive(Default)]
struct Deliveries {
    failed: Arc<Mutex<Option<String>>>,
}

impl ClientContext for Deliveries {}

impl ProducerContext for Deliveries {
    type DeliveryOpaque = ();

    fn delivery(&self, result: &DeliveryResult<'_>, _: ()) {
        if let Err((e, _)) = result {
            let mut failed = self.failed.lock().unwrap_or_else(|p| p.into_inner());
            failed.get_or_insert_with(|| format!("a Kafka message was not delivered: {e}"));
        }
    }
}

/// Writes an output's updates to a Kafka topic.
pub struct KafkaSink {
    producer: BaseProducer<Deliveries>,
    spec: KafkaSinkSpec,
    /// Encodes the JSON format's payloads (columns in `order`).
    json: JsonUpdate,
    /// The payload's columns: the key column, the header columns, then the others.
    order: Vec<usize>,
    /// DSV: the column-names message is still to be sent.
    dsv_header_due: bool,
    failed: Arc<Mutex<Option<String>>>,
}

impl KafkaSink {
    /// A producer with `spec.settings`.
    pub fn new(spec: &KafkaSinkSpec) -> std::result::Result<Self, String> {
        let mut config = ClientConfig::new();
        for (k, v) in &spec.settings {
            config.set(k, v);
        }
        let context = Deliveries::default();
        let failed = context.failed.clone();
        let producer = config.create_with_context(context).map_err(|e| format!("cannot create a Kafka producer: {e}"))?;
        let mut order: Vec<usize> = spec.key.iter().chain(&spec.headers).copied().collect();
        order.extend(0..spec.columns.len());
        let mut seen = vec![false; spec.columns.len()];
        order.retain(|&c| !std::mem::replace(&mut seen[c], true));
        let names: Vec<String> = order.iter().map(|&c| spec.columns[c].clone()).collect();
        let json = JsonUpdate::new(&names);
        let dsv_header_due = matches!(spec.format, KafkaWriteFormat::Dsv { .. });
        Ok(Self { producer, spec: spec.clone(), json, order, dsv_header_due, failed })
    }

    /// The payload of one update.
    fn payload(&self, row: &Row, time: Time, diff: isize) -> Vec<u8> {
        match self.spec.format {
            KafkaWriteFormat::Json => {
                let mut line = Vec::new();
                let ordered: Row = self.order.iter().map(|&c| row[c].clone()).collect();
                self.json.write(&mut line, &ordered, time, diff);
                line
            }
            KafkaWriteFormat::Dsv { delimiter } => {
                let mut cells: Vec<String> = self.order.iter().map(|&c| csv_cell(&row[c])).collect();
                cells.extend([time.to_string(), diff.to_string()]);
                dsv_record(&cells, delimiter)
            }
            KafkaWriteFormat::Plaintext { value } | KafkaWriteFormat::Raw { value } => bytes_of(&row[value]),
        }
    }

    /// DSV: the message naming the columns, before the first record (with its key and
    /// headers, as Pathway sends it).
    fn send_dsv_header(&mut self, key: Option<Vec<u8>>, headers: OwnedHeaders) -> Result<()> {
        let KafkaWriteFormat::Dsv { delimiter } = self.spec.format else { return Ok(()) };
        let mut names: Vec<String> = self.order.iter().map(|&c| self.spec.columns[c].clone()).collect();
        names.extend(["time".to_string(), "diff".to_string()]);
        self.send(key, dsv_record(&names, delimiter), headers)?;
        self.dsv_header_due = false;
        Ok(())
    }

    fn send(&self, key: Option<Vec<u8>>, payload: Vec<u8>, headers: OwnedHeaders) -> Result<()> {
        let mut record = BaseRecord::to(&self.spec.topic).payload(&payload).headers(headers);
        if let Some(k) = &key {
            record = record.key(k);
        }
        loop {
            match self.producer.send(record) {
                Ok(()) => return Ok(()),
                // The local queue is full: serve delivery reports until there is room.
                Err((e, r)) if e.rdkafka_error_code() == Some(RDKafkaErrorCode::QueueFull) => {
                    self.producer.poll(Duration::from_millis(10));
                    record = r;
                }
                Err((e, _)) => return Err(Error::new(format!("Kafka sink {}: {e}", self.spec.topic))),
            }
        }
    }
}

/// One DSV record: every cell quoted (inner quotes doubled), joined by `delimiter`.
fn dsv_record(cells: &[String], delimiter: char) -> Vec<u8> {
    let quoted: Vec<String> = cells.iter().map(|c| format!("\"{}\"", c.replace('"', "\"\""))).collect();
    quoted.join(&delimiter.to_string()).into_bytes()
}

/// The text of a `headers=` column's value.
fn header_value(value: &Value) -> Vec<u8> {
    match value {
        Value::None => b"null".to_vec(),
        Value::Bytes(b) => b.to_vec(),
        other => csv_cell(other).into_bytes(),
    }
}

/// A value as message bytes: bytes as they are, strings as UTF-8, others as their JSON text.
fn bytes_of(value: &Value) -> Vec<u8> {
    match value {
        Value::Bytes(b) => b.to_vec(),
        Value::String(s) => s.as_bytes().to_vec(),
        other => json_text(other).into_bytes(),
    }
}

impl SinkWriter for KafkaSink {
    fn write_batch(&mut self, time: Time, updates: &[(Key, Row, isize)]) -> Result<()> {
        for (id, row, diff) in updates.iter().filter(|(_, row, _)| !row.iter().any(Value::is_error)) {
            let (t, d) = (time.to_string(), diff.to_string());
            let mut headers = OwnedHeaders::new()
                .insert(Header { key: "pathway_time", value: Some(&t) })
                .insert(Header { key: "pathway_diff", value: Some(&d) });
            for &h in &self.spec.headers {
                let text = header_value(&row[h]);
                headers = headers.insert(Header { key: &self.spec.columns[h], value: Some(&text) });
            }
            let key = match self.spec.key {
                Some(k) => bytes_of(&row[k]),
                None => id.0.to_le_bytes().to_vec(),
            };
            let key = Some(key);
            if self.dsv_header_due {
                self.send_dsv_header(key.clone(), headers.clone())?;
            }
            self.send(key, self.payload(row, time, *diff), headers)?;
            self.producer.poll(Duration::ZERO);
        }
        Ok(())
    }

    /// Waits until every message sent so far is acknowledged; a lost one is an error.
    fn flush(&mut self) -> Result<()> {
        let flushed = self.producer.flush(FLUSH_TIMEOUT);
        if let Some(e) = self.failed.lock().unwrap_or_else(|p| p.into_inner()).clone() {
            return Err(Error::new(format!("Kafka sink {}: {e}", self.spec.topic)));
        }
        flushed.map_err(|e| Error::new(format!("Kafka sink {}: flush failed: {e}", self.spec.topic)))
    }
}

#[cfg(test)]
mod tests {
    use towpath_core::Value;
    use towpath_plan::sink::{KafkaSinkSpec, KafkaWriteFormat};

    use super::{dsv_record, header_value, KafkaSink};

    #[test]
    fn dsv_records_quote_every_cell() {
        let cells = vec!["a;b".to_string(), "say \"hi\"".to_string(), String::new()];
        assert_eq!(dsv_record(&cells, ';'), br#""a;b";"say ""hi""";"""#.to_vec());
    }

    #[test]
    fn header_values_as_pathway_writes_them() {
        assert_eq!(header_value(&Value::None), b"null");
        assert_eq!(header_value(&Value::Bool(true)), b"True");
        assert_eq!(header_value(&Value::Float(2.0)), b"2.0");
        assert_eq!(header_value(&Value::from("x y")), b"x y");
        assert_eq!(header_value(&Value::Bytes(std::sync::Arc::from(&b"\x00a"[..]))), b"\x00a");
    }

    #[test]
    fn payload_columns_are_key_then_headers_then_the_rest() {
        let spec = KafkaSinkSpec {
            settings: vec![],
            topic: "t".into(),
            format: KafkaWriteFormat::Dsv { delimiter: ',' },
            columns: ["a", "b", "c", "d"].map(String::from).to_vec(),
            key: Some(2),
            headers: vec![3, 2],
        };
        let sink = KafkaSink::new(&spec).unwrap();
        assert_eq!(sink.order, vec![2, 3, 0, 1]);
        let row = vec![Value::Int(1), Value::None, Value::from("k"), Value::Bool(false)].into();
        assert_eq!(sink.payload(&row, 4, -1), br#""k","False","1","None","4","-1""#.to_vec());
    }
}

//! The producer side: `pw.io.kafka.write`, one message per update, flushed at the end of each
//! time; a message that Kafka did not acknowledge fails the run (never a silent loss).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use rdkafka::config::ClientConfig;
use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::producer::{BaseProducer, BaseRecord, DeliveryResult, Producer, ProducerContext};
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::ClientContext;
use towpath_connectors::render::{json_text, JsonUpdate};
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
    /// Encodes the JSON format's payloads.
    json: JsonUpdate,
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
        let json = JsonUpdate::new(&spec.columns);
        Ok(Self { producer, spec: spec.clone(), json, failed })
    }

    /// The payload of one update.
    fn payload(&self, row: &Row, time: Time, diff: isize) -> Vec<u8> {
        match self.spec.format {
            KafkaWriteFormat::Json => {
                let mut line = Vec::new();
                self.json.write(&mut line, row, time, diff);
                line
            }
            KafkaWriteFormat::Plaintext { value } | KafkaWriteFormat::Raw { value } => bytes_of(&row[value]),
        }
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
        for (_, row, diff) in updates.iter().filter(|(_, row, _)| !row.iter().any(Value::is_error)) {
            let mut headers = OwnedHeaders::new();
            for &h in &self.spec.headers {
                let text = bytes_of(&row[h]);
                headers = headers.insert(Header { key: &self.spec.columns[h], value: Some(&text) });
            }
            if !matches!(self.spec.format, KafkaWriteFormat::Json) {
                // Plain payloads carry no time and diff of their own.
                let (t, d) = (time.to_string(), diff.to_string());
                headers = headers.insert(Header { key: "pathway_time", value: Some(&t) });
                headers = headers.insert(Header { key: "pathway_diff", value: Some(&d) });
            }
            let key = self.spec.key.map(|k| bytes_of(&row[k]));
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

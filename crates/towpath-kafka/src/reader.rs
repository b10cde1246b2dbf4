//! The consumer side of a Kafka read: polled without blocking by the engine's live loop, which
//! stamps what it returns with a commit time; offsets go back to Kafka once that time has been
//! processed ([`KafkaReader::processed`]).

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
use rdkafka::error::KafkaError;
use rdkafka::message::Message;
use rdkafka::{Offset, TopicPartitionList};
use towpath_core::{IdBuildHasher, Key, Row, Time};
use towpath_plan::source::KafkaReadSpec;

use crate::message::{MessageParser, Origin};

/// The most messages one `poll` takes, so the live loop keeps its commit rhythm.
const MAX_POLL: usize = 100_000;

/// How long partition metadata and offset look-ups may take at start-up.
const METADATA_TIMEOUT: Duration = Duration::from_secs(10);

/// A Kafka consumer whose messages become row updates.
pub struct KafkaReader {
    consumer: BaseConsumer,
    parser: MessageParser,
    /// With a primary key: the current row of each key (a message replaces it).
    rows: HashMap<Key, Row, IdBuildHasher>,
    /// Next offset per (topic, partition) read since the last `stamp`.
    read: HashMap<(String, i32), i64>,
    /// Offsets to commit once the commit time they were stamped with is processed.
    stamped: BTreeMap<Time, HashMap<(String, i32), i64>>,
    /// Every partition's processed offset: each commit sends them all, so one lost while the
    /// broker was away is repaired by the next.
    done: HashMap<(String, i32), i64>,
}

impl KafkaReader {
    /// Connects with `spec.settings` (plus towpath's defaults: no auto-commit, so offsets only
    /// move when rows are processed). Alone (`peers == 1`), the consumer subscribes to
    /// `spec.topics` (Kafka's group protocol assigns the partitions); with several workers,
    /// worker `index` is assigned partition `p` of each topic when `p % peers == index`, starting
    /// at the group's committed offsets (or `auto.offset.reset`).
    pub fn new(spec: &KafkaReadSpec, index: usize, peers: usize) -> Result<Self, String> {
        let parser = MessageParser::new(spec)?;
        let mut config = ClientConfig::new();
        // Pathway's users often omit these; librdkafka needs a group id to subscribe.
        config.set("group.id", "towpath");
        config.set("enable.auto.offset.store", "false");
        for (k, v) in &spec.settings {
            config.set(k, v);
        }
        // Offsets are committed by `processed`, never by librdkafka on its own.
        config.set("enable.auto.commit", "false");
        let consumer: BaseConsumer = config.create().map_err(|e| format!("cannot create a Kafka consumer: {e}"))?;
        let topics: Vec<&str> = spec.topics.iter().map(String::as_str).collect();
        if spec.start_from_timestamp_ms.is_some() || peers > 1 {
            let list = Self::partitions(&consumer, &topics, index, peers.max(1))?;
            let list = match spec.start_from_timestamp_ms {
                Some(ms) => {
                    let mut at = TopicPartitionList::new();
                    for e in list.elements() {
                        at.add_partition_offset(e.topic(), e.partition(), Offset::Offset(ms)).map_err(|e| e.to_string())?;
                    }
                    consumer.offsets_for_times(at, METADATA_TIMEOUT).map_err(|e| format!("offsets for time {ms}: {e}"))?
                }
                None => list,
            };
            consumer.assign(&list).map_err(|e| format!("cannot assign partitions: {e}"))?;
        } else {
            consumer.subscribe(&topics).map_err(|e| format!("cannot subscribe to {topics:?}: {e}"))?;
        }
        Ok(Self { consumer, parser, rows: HashMap::default(), read: HashMap::default(), stamped: BTreeMap::new(), done: HashMap::new() })
    }

    /// This worker's share of the partitions of `topics` (at their stored offsets). A topic the
    /// broker does not know (yet) is an error.
    fn partitions(consumer: &BaseConsumer, topics: &[&str], index: usize, peers: usize) -> Result<TopicPartitionList, String> {
        let mut list = TopicPartitionList::new();
        for topic in topics {
            let metadata =
                consumer.fetch_metadata(Some(topic), METADATA_TIMEOUT).map_err(|e| format!("metadata of {topic}: {e}"))?;
            for t in metadata.topics() {
                if let Some(e) = t.error() {
                    return Err(format!("Kafka topic {topic}: {}", rdkafka::types::RDKafkaErrorCode::from(e)));
                }
                for p in t.partitions().iter().filter(|p| p.id() as usize % peers == index) {
                    list.add_partition_offset(topic, p.id(), Offset::Stored).map_err(|e| e.to_string())?;
                }
            }
        }
        Ok(list)
    }

    /// Takes the messages already fetched, without waiting: rows (and retractions of replaced
    /// rows) into `rows`, problems into `errors` as (message, position). A broker error that
    /// stops the read is returned; transient ones (a broker away for a while) are not.
    pub fn poll(&mut self, rows: &mut Vec<((Key, Row), isize)>, errors: &mut Vec<(String, String)>) -> Result<(), String> {
        for _ in 0..MAX_POLL {
            let message = match self.consumer.poll(Duration::ZERO) {
                None => break,
                Some(Ok(m)) => m,
                Some(Err(KafkaError::PartitionEOF(_))) => continue,
                Some(Err(e)) if is_fatal(&e) => return Err(format!("Kafka read failed: {e}")),
                // librdkafka retries by itself (reconnects, rebalances); the read goes on.
                Some(Err(_)) => continue,
            };
            let origin = Origin {
                topic: message.topic(),
                partition: message.partition(),
                offset: message.offset(),
                timestamp_ms: message.timestamp().to_millis(),
            };
            let parsed = self.parser.parse(&origin, message.key(), message.payload());
            let position = origin.position();
            errors.extend(parsed.errors.into_iter().map(|e| (e, position.clone())));
            if let Some(gone) = parsed.delete {
                if let Some(old) = self.rows.remove(&gone) {
                    rows.push(((gone, old), -1));
                }
            }
            if let Some((key, row)) = parsed.row {
                if self.parser.has_primary_key() {
                    if let Some(old) = self.rows.insert(key, row.clone()) {
                        rows.push(((key, old), -1));
                    }
                }
                rows.push(((key, row), 1));
            }
            self.read.insert((origin.topic.to_string(), origin.partition), origin.offset + 1);
        }
        Ok(())
    }

    /// The rows polled since the last stamp were given commit time `time`.
    pub fn stamp(&mut self, time: Time) {
        if !self.read.is_empty() {
            self.stamped.insert(time, std::mem::take(&mut self.read));
        }
    }

    /// Every commit time for which `done(time)` holds was processed by the whole dataflow:
    /// commits their offsets to Kafka (asynchronously; a failed commit is retried by the next
    /// one, and at worst means a restart reads those messages again).
    pub fn processed(&mut self, done: impl Fn(Time) -> bool) {
        if self.take_processed(done) {
            let _ = self.consumer.commit(&self.done_list(), CommitMode::Async);
        }
    }

    /// At the end of a run: commits the offsets of the processed commits (see `processed`) and
    /// waits for the broker's answer, so a restart resumes right after the last processed row.
    pub fn finish(&mut self) -> Result<(), String> {
        if self.done.is_empty() {
            return Ok(());
        }
        self.consumer.commit(&self.done_list(), CommitMode::Sync).map_err(|e| format!("Kafka offset commit failed: {e}"))
    }

    /// Moves the offsets of processed commit times into `self.done`; true when any moved.
    fn take_processed(&mut self, done: impl Fn(Time) -> bool) -> bool {
        let mut moved = false;
        while let Some(entry) = self.stamped.first_entry() {
            if !done(*entry.key()) {
                break;
            }
            self.done.extend(entry.remove());
            moved = true;
        }
        moved
    }

    fn done_list(&self) -> TopicPartitionList {
        let mut list = TopicPartitionList::new();
        for ((topic, partition), offset) in &self.done {
            let _ = list.add_partition_offset(topic, *partition, Offset::Offset(*offset));
        }
        list
    }
}

fn is_fatal(e: &KafkaError) -> bool {
    use rdkafka::types::RDKafkaErrorCode as C;
    matches!(
        e.rdkafka_error_code(),
        Some(C::Fatal | C::UnknownTopicOrPartition | C::TopicAuthorizationFailed | C::GroupAuthorizationFailed | C::SaslAuthenticationFailed)
    )
}

//! Kafka for towpath: a consumer whose messages become rows ([`KafkaReader`]), with offsets
//! committed back to Kafka only once the rows that hold them were processed.
//!
//! librdkafka comes from the `rdkafka` crate's vendored sources (built with cmake), so no system
//! library is needed; the engine only depends on this crate behind its `kafka` feature.

pub mod csv_message;
pub mod debezium;
pub mod message;
pub mod reader;
pub mod writer;

pub use message::{MessageParser, ParsedMessage};
pub use reader::KafkaReader;
pub use writer::KafkaSink;

//! `KafkaReader` against a real broker: runs only with `TOWPATH_KAFKA=1` (`make test-kafka`
//! starts the broker), at 127.0.0.1:$TOWPATH_KAFKA_PORT (default 9092).

use std::time::{Duration, Instant, SystemTime};

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use towpath_core::{ColumnSchema, DType, Key, Row, Schema, Value};
use towpath_kafka::KafkaReader;
use towpath_plan::source::KafkaReadSpec;
use towpath_plan::Format;

fn bootstrap() -> Option<String> {
    if std::env::var("TOWPATH_KAFKA").as_deref() != Ok("1") {
        eprintln!("skipped: set TOWPATH_KAFKA=1 with a broker up (make test-kafka)");
        return None;
    }
    let port = std::env::var("TOWPATH_KAFKA_PORT").unwrap_or_else(|_| "9092".into());
    Some(format!("127.0.0.1:{port}"))
}

fn unique(what: &str) -> String {
    let nanos = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap().as_nanos();
    format!("towpath-rs-{what}-{nanos}")
}

fn produce(bootstrap: &str, topic: &str, payloads: &[&str]) {
    let producer: BaseProducer = ClientConfig::new().set("bootstrap.servers", bootstrap).create().unwrap();
    for p in payloads {
        producer.send(BaseRecord::<(), str>::to(topic).payload(p)).unwrap();
    }
    producer.flush(Duration::from_secs(30)).unwrap();
}

fn spec(bootstrap: &str, topic: &str, group: &str) -> KafkaReadSpec {
    KafkaReadSpec {
        settings: vec![
            ("bootstrap.servers".into(), bootstrap.into()),
            ("group.id".into(), group.into()),
            ("auto.offset.reset".into(), "earliest".into()),
        ],
        topics: vec![topic.into()],
        format: Format::JsonLines { field_paths: vec![] },
        schema: Schema { columns: vec![ColumnSchema { name: "n".into(), dtype: DType::Int, primary_key: false, default: None }] },
        with_metadata: false,
        autocommit_duration_ms: None,
        start_from_timestamp_ms: None,
        name: None,
        debezium: false,
    }
}

/// Row updates as the reader returns them.
type Updates = Vec<((Key, Row), isize)>;

/// Polls until `rows` rows and `errors` errors arrived (or 60 s passed).
fn read(reader: &mut KafkaReader, rows: usize, errors: usize) -> (Updates, Vec<(String, String)>) {
    let (mut got, mut errs) = (Vec::new(), Vec::new());
    let deadline = Instant::now() + Duration::from_secs(60);
    while (got.len() < rows || errs.len() < errors) && Instant::now() < deadline {
        reader.poll(&mut got, &mut errs).unwrap();
        std::thread::sleep(Duration::from_millis(20));
    }
    (got, errs)
}

/// Polls for a second; returns what came.
fn idle(reader: &mut KafkaReader) -> Updates {
    let mut rows = Vec::new();
    for _ in 0..50 {
        reader.poll(&mut rows, &mut Vec::new()).unwrap();
        std::thread::sleep(Duration::from_millis(20));
    }
    rows
}

fn values(rows: &[((Key, Row), isize)]) -> Vec<Value> {
    let mut v: Vec<Value> = rows.iter().map(|((_, r), _)| r[0].clone()).collect();
    v.sort();
    v
}

#[test]
fn reads_messages_logs_bad_ones_and_resumes_after_committed_offsets() {
    let Some(bootstrap) = bootstrap() else { return };
    let (topic, group) = (unique("topic"), unique("group"));
    produce(&bootstrap, &topic, &[r#"{"n": 1}"#, "oops", r#"{"n": 2}"#]);
    let mut reader = KafkaReader::new(&spec(&bootstrap, &topic, &group), 0, 1).unwrap();
    let (rows, errors) = read(&mut reader, 2, 1);
    assert_eq!(values(&rows), vec![Value::Int(1), Value::Int(2)]);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].1, format!("{topic}/0@1"));
    reader.stamp(10);
    reader.processed(|t| t <= 10);
    // The asynchronous commit is sent by the next polls; closing the consumer completes it.
    idle(&mut reader);
    drop(reader);
    produce(&bootstrap, &topic, &[r#"{"n": 3}"#]);
    let mut again = KafkaReader::new(&spec(&bootstrap, &topic, &group), 0, 1).unwrap();
    let (rows, _) = read(&mut again, 1, 0);
    assert_eq!(values(&rows), vec![Value::Int(3)], "only the message after the committed offset");
    assert!(idle(&mut again).is_empty(), "nothing more");
}

#[test]
fn offsets_of_unprocessed_commits_are_not_committed() {
    let Some(bootstrap) = bootstrap() else { return };
    let (topic, group) = (unique("topic"), unique("group"));
    produce(&bootstrap, &topic, &[r#"{"n": 1}"#]);
    let mut reader = KafkaReader::new(&spec(&bootstrap, &topic, &group), 0, 1).unwrap();
    assert_eq!(read(&mut reader, 1, 0).0.len(), 1);
    reader.stamp(10);
    reader.processed(|t| t < 10);
    drop(reader);
    let mut again = KafkaReader::new(&spec(&bootstrap, &topic, &group), 0, 1).unwrap();
    assert_eq!(values(&read(&mut again, 1, 0).0), vec![Value::Int(1)], "read again: never processed");
}

/// Creates `topic` with `partitions` partitions and sends message `i` (`{"n": i}`) to
/// partition `i % partitions`.
fn produce_spread(bootstrap: &str, topic: &str, partitions: i32, n: i64) {
    let admin: AdminClient<DefaultClientContext> = ClientConfig::new().set("bootstrap.servers", bootstrap).create().unwrap();
    let new = NewTopic::new(topic, partitions, TopicReplication::Fixed(1));
    let rt = admin.create_topics([&new], &AdminOptions::new());
    let created = futures_block_on(rt).unwrap();
    assert!(created.iter().all(|r| r.is_ok()), "{created:?}");
    let producer: BaseProducer = ClientConfig::new().set("bootstrap.servers", bootstrap).create().unwrap();
    for i in 0..n {
        let payload = format!(r#"{{"n": {i}}}"#);
        let record = BaseRecord::<(), str>::to(topic).payload(&payload).partition((i % i64::from(partitions)) as i32);
        producer.send(record).unwrap();
    }
    producer.flush(Duration::from_secs(30)).unwrap();
}

/// Waits for a future on this thread (the admin client's futures need no runtime).
fn futures_block_on<F: std::future::Future>(f: F) -> F::Output {
    use std::task::{Context, Poll, Wake, Waker};
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: std::sync::Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(std::sync::Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut f = std::pin::pin!(f);
    loop {
        if let Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
        std::thread::park_timeout(Duration::from_millis(50));
    }
}

#[test]
fn workers_share_the_partitions_and_commit_their_own() {
    let Some(bootstrap) = bootstrap() else { return };
    let (topic, group) = (unique("spread"), unique("group"));
    produce_spread(&bootstrap, &topic, 4, 40);
    let mut readers: Vec<KafkaReader> =
        (0..2).map(|w| KafkaReader::new(&spec(&bootstrap, &topic, &group), w, 2).unwrap()).collect();
    for (w, reader) in readers.iter_mut().enumerate() {
        let (rows, _) = read(reader, 20, 0);
        let got = values(&rows);
        // Partition p holds n with n % 4 == p; worker w has partitions p % 2 == w.
        let want: Vec<Value> = (0..40).filter(|n| n % 2 == w as i64).map(Value::Int).collect();
        assert_eq!(got, want, "worker {w}");
        reader.stamp(10);
        reader.processed(|t| t <= 10);
        idle(reader);
    }
    drop(readers);
    // One worker alone (subscribing) now finds every partition's offset committed.
    produce(&bootstrap, &topic, &[r#"{"n": 100}"#]);
    let mut again = KafkaReader::new(&spec(&bootstrap, &topic, &group), 0, 1).unwrap();
    assert_eq!(values(&read(&mut again, 1, 0).0), vec![Value::Int(100)]);
    assert!(idle(&mut again).is_empty(), "nothing read twice");
}

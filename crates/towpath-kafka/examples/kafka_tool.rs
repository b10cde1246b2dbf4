//! A quick Kafka client for the tests (the broker's Java tools take 2-3 s to start each time):
//!
//!     kafka_tool BOOTSTRAP create TOPIC PARTITIONS   create a topic (fine if it exists)
//!     kafka_tool BOOTSTRAP produce TOPIC             one message per stdin line
//!     kafka_tool BOOTSTRAP produce-keyed TOPIC       lines `key<TAB>value`; value `NULL` is a
//!                                                    tombstone (a message without a value)

use std::io::BufRead;
use std::time::Duration;

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};
use rdkafka::types::RDKafkaErrorCode;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>()[1..] {
        [bootstrap, "create", topic, partitions] => create(bootstrap, topic, partitions.parse().unwrap_or(1)),
        [bootstrap, "produce", topic] => produce(bootstrap, topic, false),
        [bootstrap, "produce-keyed", topic] => produce(bootstrap, topic, true),
        _ => Err("usage: kafka_tool BOOTSTRAP (create TOPIC PARTITIONS | produce TOPIC | produce-keyed TOPIC)".into()),
    };
    if let Err(e) = result {
        eprintln!("kafka_tool: {e}");
        std::process::exit(1);
    }
}

fn create(bootstrap: &str, topic: &str, partitions: i32) -> Result<(), String> {
    let admin: AdminClient<DefaultClientContext> =
        ClientConfig::new().set("bootstrap.servers", bootstrap).create().map_err(|e| e.to_string())?;
    let new = NewTopic::new(topic, partitions, TopicReplication::Fixed(1));
    let results = block_on(admin.create_topics([&new], &AdminOptions::new())).map_err(|e| e.to_string())?;
    for r in results {
        match r {
            Ok(_) | Err((_, RDKafkaErrorCode::TopicAlreadyExists)) => {}
            Err((t, e)) => return Err(format!("cannot create {t}: {e}")),
        }
    }
    Ok(())
}

fn produce(bootstrap: &str, topic: &str, keyed: bool) -> Result<(), String> {
    let producer: BaseProducer =
        ClientConfig::new().set("bootstrap.servers", bootstrap).create().map_err(|e| e.to_string())?;
    for line in std::io::stdin().lock().lines() {
        let line = line.map_err(|e| e.to_string())?;
        let (key, value) = if keyed {
            let (k, v) = line.split_once('\t').ok_or_else(|| format!("no TAB in {line:?}"))?;
            (Some(k.to_string()), (v != "NULL").then(|| v.to_string()))
        } else {
            (None, Some(line))
        };
        let mut record = BaseRecord::<String, String>::to(topic);
        if let Some(k) = &key {
            record = record.key(k);
        }
        if let Some(v) = &value {
            record = record.payload(v);
        }
        loop {
            match producer.send(record) {
                Ok(()) => break,
                Err((e, r)) if e.rdkafka_error_code() == Some(RDKafkaErrorCode::QueueFull) => {
                    producer.poll(Duration::from_millis(10));
                    record = r;
                }
                Err((e, _)) => return Err(e.to_string()),
            }
        }
    }
    producer.flush(Duration::from_secs(30)).map_err(|e| e.to_string())
}

/// Waits for a future on this thread (the admin client's futures need no runtime).
fn block_on<F: std::future::Future>(f: F) -> F::Output {
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

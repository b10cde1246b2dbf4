//! Benchmark producer (benches/kafka_wordcount): `RATE` messages/s for `SECONDS` to `TOPIC`,
//! each `{"word": "abcdefg", "t": <emission ms>}` with words from a 5,000-word dictionary of
//! 7-letter words (seed 1), uniformly drawn.
//!
//! `bench_producer BOOTSTRAP TOPIC RATE SECONDS` prints `{"sent": N, "seconds": S, "last_t": T}`.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rdkafka::config::ClientConfig;
use rdkafka::error::RDKafkaErrorCode;
use rdkafka::producer::{BaseProducer, BaseRecord, Producer};

/// xorshift64*: a fixed, dependency-free generator, so the dictionary is the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

fn dictionary(seed: u64) -> Vec<String> {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut words = std::collections::BTreeSet::new();
    while words.len() < 5000 {
        words.insert((0..7).map(|_| (b'a' + (rng.next() % 26) as u8) as char).collect::<String>());
    }
    words.into_iter().collect()
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 5 {
        eprintln!("usage: bench_producer BOOTSTRAP TOPIC RATE SECONDS");
        std::process::exit(2);
    }
    let (topic, rate, seconds): (&str, f64, f64) = (&args[2], args[3].parse().expect("RATE"), args[4].parse().expect("SECONDS"));
    let producer: BaseProducer = ClientConfig::new()
        .set("bootstrap.servers", &args[1])
        .set("linger.ms", "5")
        .set("queue.buffering.max.messages", "1000000")
        .create()
        .expect("producer");
    let words = dictionary(1);
    let mut rng = Rng(0x5EED);
    let total = (rate * seconds) as u64;
    let start = Instant::now();
    let (mut sent, mut last_t) = (0u64, 0u64);
    while sent < total {
        // Every message due by now is sent (paced by the schedule, not by the broker).
        let due = ((start.elapsed().as_secs_f64() * rate) as u64 + 1).min(total);
        let t = now_ms();
        while sent < due {
            let payload = format!(r#"{{"word": "{}", "t": {t}}}"#, words[(rng.next() % 5000) as usize]);
            loop {
                match producer.send(BaseRecord::<(), _>::to(topic).payload(&payload)) {
                    Ok(()) => break,
                    Err((e, _)) if e.rdkafka_error_code() == Some(RDKafkaErrorCode::QueueFull) => {
                        producer.poll(Duration::from_millis(1));
                    }
                    Err((e, _)) => panic!("send: {e}"),
                }
            }
            sent += 1;
            last_t = t;
        }
        producer.poll(Duration::ZERO);
        let next = Duration::from_secs_f64(sent as f64 / rate);
        if let Some(wait) = next.checked_sub(start.elapsed()) {
            std::thread::sleep(wait.min(Duration::from_millis(1)));
        }
    }
    producer.flush(Duration::from_secs(60)).expect("flush");
    println!(r#"{{"sent": {sent}, "seconds": {:.3}, "last_t": {last_t}}}"#, start.elapsed().as_secs_f64());
}

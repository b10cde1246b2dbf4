//! Benchmark consumer (benches/kafka_wordcount): reads an engine's output topic from the
//! beginning for `SECONDS` and measures, per output message, `now - t` where `t` is the newest
//! emission time behind the count (messages with `"diff": -1`, retractions, are skipped).
//!
//! `bench_consumer BOOTSTRAP TOPIC SECONDS [MIN_T]` prints one JSON line: messages, latency
//! percentiles (ms), the largest `t` seen and the arrival time of the last message. Messages
//! whose `t` is below MIN_T (a warm-up before the measured input) only count in `warmup`.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rdkafka::config::ClientConfig;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::Message;

fn now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

fn pct(sorted: &[i64], q: f64) -> i64 {
    if sorted.is_empty() {
        return -1;
    }
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 && args.len() != 5 {
        eprintln!("usage: bench_consumer BOOTSTRAP TOPIC SECONDS [MIN_T]");
        std::process::exit(2);
    }
    let min_t: i64 = args.get(4).map_or(0, |s| s.parse().expect("MIN_T"));
    let mut warmup = 0u64;
    let seconds: f64 = args[3].parse().expect("SECONDS");
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", &args[1])
        .set("group.id", format!("bench-consumer-{}", now_ms()))
        .set("auto.offset.reset", "earliest")
        .set("enable.auto.commit", "false")
        .set("fetch.wait.max.ms", "5")
        .create()
        .expect("consumer");
    consumer.subscribe(&[&args[2]]).expect("subscribe");
    let deadline = Instant::now() + Duration::from_secs_f64(seconds);
    let (mut latencies, mut arrivals) = (Vec::new(), Vec::new());
    let (mut max_t, mut bad) = (0i64, 0u64);
    while Instant::now() < deadline {
        let Some(Ok(m)) = consumer.poll(Duration::from_millis(50)) else { continue };
        let now = now_ms();
        let value: Option<serde_json::Value> = m.payload().and_then(|p| serde_json::from_slice(p).ok());
        let Some(value) = value else {
            bad += 1;
            continue;
        };
        if value.get("diff").and_then(|d| d.as_i64()) == Some(-1) {
            continue;
        }
        match value.get("t").and_then(|t| t.as_i64()) {
            Some(t) if t > 0 && t < min_t => warmup += 1,
            Some(t) if t > 0 => {
                latencies.push(now - t);
                arrivals.push(now);
                max_t = max_t.max(t);
            }
            _ => bad += 1,
        }
    }
    // Latency growth: median of the last quarter of the messages minus that of the second.
    let n = latencies.len();
    let median = |s: &[i64]| {
        let mut v = s.to_vec();
        v.sort_unstable();
        pct(&v, 0.5)
    };
    let growth = if n >= 8 { median(&latencies[3 * n / 4..]) - median(&latencies[n / 4..n / 2]) } else { 0 };
    let mut sorted = latencies.clone();
    sorted.sort_unstable();
    println!(
        r#"{{"messages": {n}, "warmup": {warmup}, "bad": {bad}, "p50": {}, "p95": {}, "p99": {}, "max": {}, "growth": {growth}, "max_t": {max_t}, "last_arrival": {}}}"#,
        pct(&sorted, 0.5),
        pct(&sorted, 0.95),
        pct(&sorted, 0.99),
        sorted.last().copied().unwrap_or(-1),
        arrivals.last().copied().unwrap_or(0)
    );
}

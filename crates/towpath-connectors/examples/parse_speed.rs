//! Throughput of static JSON Lines / CSV reads: `cargo run --release -p towpath-connectors
//! --example parse_speed [lines] [jsonlines|csv] [peers]`. Prints lines/s with 1 and 2 workers (threads).

use std::time::Instant;

use towpath_connectors::read_static;
use towpath_core::{ColumnSchema, DType, Schema};
use towpath_plan::{CsvSettings, Format, Mode, SourceSpec};

fn spec(path: &str, format: Format) -> SourceSpec {
    let column = ColumnSchema {
        name: "word".into(),
        dtype: DType::String,
        primary_key: false,
        default: None,
    };
    SourceSpec {
        path: path.into(),
        format,
        schema: Schema {
            columns: vec![column],
        },
        mode: Mode::Static,
        with_metadata: false,
        autocommit_duration_ms: None,
        name: None,
    }
}

/// CPU seconds this process has used (user + system), from /proc (clock ticks of 10 ms).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

/// Reads the whole source with `peers` threads; returns (rows, wall seconds, CPU seconds).
fn measure(sp: &SourceSpec, peers: usize) -> (usize, f64, f64) {
    let cpu = cpu_seconds();
    let start = Instant::now();
    let rows: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..peers)
            .map(|w| {
                scope.spawn(move || {
                    read_static(sp, w, peers)
                        .unwrap()
                        .map(|c| c.rows.len())
                        .sum::<usize>()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    (rows, start.elapsed().as_secs_f64(), cpu_seconds() - cpu)
}

fn main() {
    let lines: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2_000_000);
    let dir = std::env::temp_dir().join(format!("towpath-parse-speed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let words: Vec<String> = (0..5000)
        .map(|i| format!("{:07}", i * 7919 % 10_000_000))
        .collect();
    let jsonl = dir.join("words.jsonl");
    let csv = dir.join("words.csv");
    let mut j = String::with_capacity(lines * 22);
    let mut c = String::from("word\n");
    for i in 0..lines {
        let w = &words[i % words.len()];
        j.push_str(&format!("{{\"word\": \"{w}\"}}\n"));
        c.push_str(w);
        c.push('\n');
    }
    std::fs::write(&jsonl, j).unwrap();
    std::fs::write(&csv, c).unwrap();
    let cases = [
        (
            "jsonlines",
            spec(
                &jsonl.to_string_lossy(),
                Format::JsonLines {
                    field_paths: vec![],
                },
            ),
        ),
        (
            "csv",
            spec(&csv.to_string_lossy(), Format::Csv(CsvSettings::default())),
        ),
    ];
    let only = std::env::args().nth(2);
    for (name, sp) in cases
        .iter()
        .filter(|(name, _)| only.as_deref().is_none_or(|o| o == *name))
    {
        let peers_list: Vec<usize> = match std::env::args().nth(3) {
            Some(p) => vec![p.parse().expect("peers")],
            None => vec![1, 2],
        };
        for &peers in &peers_list {
            // Best of three: the machine may be shared.
            let (rows, secs, cpu) = (0..3)
                .map(|_| measure(sp, peers))
                .min_by(|a, b| a.2.total_cmp(&b.2))
                .expect("three runs");
            assert_eq!(rows, lines);
            println!(
                "{name:9} {peers} worker(s): {rows} lines in {secs:.3}s = {:.2}M lines/s; {:.2}M lines per CPU-second",
                rows as f64 / secs / 1e6,
                rows as f64 / cpu / 1e6
            );
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

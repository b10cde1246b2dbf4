//! Streaming file reads: files added, modified and deleted while the plan runs; every commit
//! holds what the files held at some instant, and the run ends on the stop flag.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::sleep;
use std::time::Duration;

use towpath_core::{ColumnSchema, DType, Key, Schema, Value};
use towpath_engine::RunConfig;
use towpath_plan::{Format, Mode, NodeKind, SourceSpec};

use crate::common::host::{delivered, RecordingHost, Stream};
use crate::common::{run_engine_with, PlanBuilder};

/// The lines of the table (plaintext `data` column) with their multiplicities.
type Lines = BTreeMap<String, isize>;

fn lines(items: &[&str]) -> Lines {
    let mut out = Lines::new();
    for item in items {
        *out.entry(item.to_string()).or_default() += 1;
    }
    out
}

fn union(a: &Lines, b: &Lines) -> Lines {
    let mut out = a.clone();
    for (k, v) in b {
        *out.entry(k.clone()).or_default() += v;
    }
    out
}

fn source(dir: &str) -> SourceSpec {
    let column = ColumnSchema { name: "data".into(), dtype: DType::String, primary_key: false, default: None };
    SourceSpec {
        path: dir.into(),
        format: Format::Plaintext,
        schema: Schema { columns: vec![column] },
        mode: Mode::Streaming,
        with_metadata: false,
        autocommit_duration_ms: Some(20),
        name: None,
    }
}

fn plan(dir: &str) -> PlanBuilder {
    let mut b = PlanBuilder::default();
    let read = b.add(NodeKind::Read(source(dir)));
    b.output(read, "lines");
    b
}

#[test]
fn streaming_read_follows_added_modified_and_deleted_files() {
    for threads in [1, 2] {
        let dir: PathBuf = std::env::temp_dir().join(format!("towpath-live-files-{}-{threads}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let b = plan(&dir.to_string_lossy());
        let stop = Arc::new(AtomicBool::new(false));
        let (flag, d) = (stop.clone(), dir.clone());
        let writer = std::thread::spawn(move || {
            // Generous pauses (50 commit ticks) so a slow or loaded machine still sees each state.
            let pause = || sleep(Duration::from_millis(1000));
            std::fs::write(d.join("a.txt"), "a1\na2\n").unwrap();
            pause();
            std::fs::write(d.join("a.txt"), "a1\na3\na4\n").unwrap();
            std::fs::write(d.join("b.txt"), "b1\n").unwrap();
            pause();
            std::fs::remove_file(d.join("a.txt")).unwrap();
            pause();
            // An incomplete last line is held while it changes, then read as the last line.
            std::fs::write(d.join("b.txt"), "b1\nb2").unwrap();
            pause();
            flag.store(true, Ordering::SeqCst);
        });
        let config = RunConfig { threads, stop };
        let streams = run_engine_with(&b.plan(), &[], config, 1).unwrap();
        writer.join().unwrap();
        let _ = std::fs::remove_dir_all(&dir);

        let a_states = [lines(&[]), lines(&["a1", "a2"]), lines(&["a1", "a3", "a4"])];
        let b_states = [lines(&[]), lines(&["b1"]), lines(&["b1", "b2"])];
        let mut state = Lines::new();
        let mut seen = Vec::new();
        for (t, updates) in &streams[0] {
            for (_, row, diff) in updates {
                let Value::String(s) = &row[0] else { panic!("not a string: {row:?}") };
                let slot = state.entry(s.to_string()).or_default();
                *slot += diff;
                if *slot == 0 {
                    state.remove(&s.to_string());
                }
            }
            let possible = a_states.iter().any(|a| b_states.iter().any(|b| union(a, b) == state));
            assert!(possible, "{threads} worker(s): at {t} the table {state:?} is no state of the files");
            seen.push(state.clone());
        }
        assert!(seen.contains(&lines(&["a1", "a2"])), "{threads} worker(s): first version never seen: {seen:?}");
        assert!(
            seen.iter().any(|s| s.contains_key("a3") && s.contains_key("b1")),
            "{threads} worker(s): modified A with B never seen: {seen:?}"
        );
        assert_eq!(state, lines(&["b1", "b2"]), "{threads} worker(s): final table");
    }
}

/// The table as `(id, line)` rows with multiplicities, after `updates`.
fn keyed(streams: &Stream, upto: usize) -> BTreeMap<(Key, String), isize> {
    let mut state = BTreeMap::new();
    for (_, updates) in &streams[..upto] {
        for (key, row, diff) in updates {
            let Value::String(s) = &row[0] else { panic!("not a string: {row:?}") };
            let slot = state.entry((*key, s.to_string())).or_default();
            *slot += diff;
            if *slot == 0 {
                state.remove(&(*key, s.to_string()));
            }
        }
    }
    state
}

#[test]
fn streaming_read_of_growing_files_inserts_only_new_lines() {
    for threads in [1, 2] {
        let dir: PathBuf = std::env::temp_dir().join(format!("towpath-live-grow-{}-{threads}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let b = plan(&dir.to_string_lossy());
        let stop = Arc::new(AtomicBool::new(false));
        let (flag, d) = (stop.clone(), dir.clone());
        let batches: Vec<Vec<String>> =
            (0..6).map(|i| (0..=i).map(|j| format!("l{i}-{j}")).collect()).collect();
        let written = batches.clone();
        let writer = std::thread::spawn(move || {
            let mut file = std::fs::OpenOptions::new().create(true).append(true).open(d.join("log.txt")).unwrap();
            for batch in &written {
                // One write per batch, so a poll sees whole lines.
                let text: String = batch.iter().map(|l| format!("{l}\n")).collect();
                file.write_all(text.as_bytes()).unwrap();
                sleep(Duration::from_millis(150));
            }
            sleep(Duration::from_millis(1000));
            flag.store(true, Ordering::SeqCst);
        });
        let config = RunConfig { threads, stop };
        let streams = run_engine_with(&b.plan(), &[], config, 1).unwrap();
        writer.join().unwrap();
        // The ids of a static read of the final file: an append-only stream must end there.
        let spec = SourceSpec { mode: Mode::Static, ..source(&dir.to_string_lossy()) };
        let mut reference = BTreeMap::new();
        for chunk in towpath_connectors::read_static(&spec, 0, 1).unwrap() {
            for (key, row, diff) in chunk.rows {
                let Value::String(s) = &row[0] else { panic!("not a string: {row:?}") };
                *reference.entry((key, s.to_string())).or_default() += diff;
            }
        }
        let _ = std::fs::remove_dir_all(&dir);

        let all: Vec<String> = batches.concat();
        for (i, (t, updates)) in streams[0].iter().enumerate() {
            assert!(updates.iter().all(|u| u.2 > 0), "{threads} worker(s): a retraction at {t}: {updates:?}");
            let state = keyed(&streams[0], i + 1);
            let mut seen: Vec<&String> = state.keys().map(|(_, l)| l).collect();
            seen.sort_by_key(|l| all.iter().position(|x| x == *l));
            let prefix: Vec<&String> = all.iter().take(seen.len()).collect();
            assert_eq!(seen, prefix, "{threads} worker(s): at {t} the table is no prefix of the file");
        }
        assert_eq!(keyed(&streams[0], streams[0].len()), reference, "{threads} worker(s): final table vs a static read");
    }
}

#[test]
fn a_deleted_directory_stops_the_run_after_its_rows_were_delivered() {
    for threads in [1, 2] {
        let dir: PathBuf = std::env::temp_dir().join(format!("towpath-live-gone-{}-{threads}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.txt"), "a1\na2\n").unwrap();
        let b = plan(&dir.to_string_lossy());
        let stop = Arc::new(AtomicBool::new(false));
        let host = Arc::new(RecordingHost::new(Vec::new()));
        let (flag, d, seen) = (stop.clone(), dir.clone(), host.clone());
        let deleter = std::thread::spawn(move || {
            // Deleted once the rows were delivered (a loaded machine may start the run late).
            for _ in 0..300 {
                let stream = delivered(&seen.events(0)).unwrap_or_default();
                if keyed(&stream, stream.len()).len() == 2 {
                    break;
                }
                sleep(Duration::from_millis(100));
            }
            std::fs::remove_dir_all(&d).unwrap();
            // Hang detector: a run that never fails is stopped (and the test fails below).
            for _ in 0..300 {
                sleep(Duration::from_millis(100));
                if Arc::strong_count(&flag) == 1 {
                    return;
                }
            }
            flag.store(true, Ordering::SeqCst);
        });
        let config = RunConfig { threads, stop: stop.clone() };
        let result = towpath_engine::run(b.plan(), config, host.clone());
        drop(stop);
        deleter.join().unwrap();
        let error = result.expect_err("the run should fail").to_string();
        let shown = dir.to_string_lossy();
        assert!(error.contains(shown.as_ref()) && error.contains("plaintext"), "{threads} worker(s): {error}");
        // The rows stayed while the listing failed, and every committed time was delivered.
        let stream = delivered(&host.events(0)).unwrap();
        let rows: Vec<String> = keyed(&stream, stream.len()).into_keys().map(|(_, l)| l).collect();
        let mut rows = rows;
        rows.sort();
        assert_eq!(rows, ["a1", "a2"], "{threads} worker(s)");
    }
}

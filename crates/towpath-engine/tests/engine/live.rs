//! The live commit loop: a generator source feeding a groupby-count and a sum, observed commit
//! by commit.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use towpath_core::{Key, Row, Time, Value};
use towpath_engine::RunConfig;
use towpath_plan::{BinaryOp, GenerateSpec, GroupId, NodeKind, Reducer, ReducerKind};

use crate::common::host::Stream;
use crate::common::{bin, col, lit, run_engine, run_engine_with, PlanBuilder};

const ROWS: u64 = 300;
const OFFSET: i64 = -7;
const RATE: f64 = 1500.0;

fn generator(b: &mut PlanBuilder, nb_rows: u64, input_rate: f64, autocommit_duration_ms: u64) -> usize {
    let spec = GenerateSpec { nb_rows: Some(nb_rows), offset: OFFSET, input_rate, autocommit_duration_ms };
    b.add(NodeKind::Generate(spec))
}

/// Sink 0: `reduce(count, sum(value))`; sink 1: `groupby(value % 3).reduce(key, count)`.
fn plan() -> PlanBuilder {
    let mut b = PlanBuilder::default();
    let gen = generator(&mut b, ROWS, RATE, 10);
    let count = Reducer { kind: ReducerKind::Count, args: vec![] };
    let sum = Reducer { kind: ReducerKind::Sum, args: vec![col(0)] };
    let total =
        b.add(NodeKind::GroupBy { input: gen, keys: vec![], reducers: vec![count.clone(), sum], id: GroupId::Hash });
    b.output(total, "count and sum");
    let key = bin(BinaryOp::Mod, col(0), lit(3.0));
    let groups = b.add(NodeKind::GroupBy { input: gen, keys: vec![key], reducers: vec![count], id: GroupId::Hash });
    b.output(groups, "count by value % 3");
    b
}

fn now_ms() -> Time {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as Time
}

/// A table's rows with their multiplicities.
type State = BTreeMap<(Key, Row), isize>;

/// The accumulated table after each delivered time.
fn states(stream: &Stream) -> Vec<(Time, State)> {
    let mut acc = BTreeMap::new();
    let mut out = Vec::new();
    for (t, updates) in stream {
        for (k, r, d) in updates {
            let slot = acc.entry((*k, r.clone())).or_insert(0);
            *slot += d;
            if *slot == 0 {
                acc.remove(&(*k, r.clone()));
            }
        }
        out.push((*t, acc.clone()));
    }
    out
}

fn int(v: &Value) -> i64 {
    match v {
        Value::Int(i) => *i,
        other => panic!("expected an int, got {other:?}"),
    }
}

fn float(v: &Value) -> f64 {
    match v {
        Value::Float(f) => *f,
        other => panic!("expected a float, got {other:?}"),
    }
}

/// The sum of the first `n` generated values.
fn prefix_sum(n: i64) -> f64 {
    (0..n).map(|i| (OFFSET + i) as f64).sum()
}

#[test]
fn generator_commits_consistent_states_at_increasing_even_times() {
    let b = plan();
    for threads in [1, 2] {
        let (started_ms, started) = (now_ms(), Instant::now());
        let streams = run_engine(&b.plan(), &[], threads, 2).unwrap();
        let elapsed = started.elapsed();
        // Rate-limited: the last row is due (ROWS - 1) / RATE seconds after the first.
        let min = Duration::from_secs_f64((ROWS - 1) as f64 / RATE);
        assert!(elapsed >= min, "{threads} worker(s): ran in {elapsed:?}, faster than the rate allows");

        let totals = states(&streams[0]);
        assert!(totals.len() > 1, "{threads} worker(s): one commit only, expected several");
        let mut last_count = 0;
        for (t, state) in &totals {
            assert!(t % 2 == 0 && *t >= started_ms - 1, "{threads} worker(s): time {t} is not a live commit time");
            assert_eq!(state.len(), 1, "{threads} worker(s): at {t}: {state:?}");
            let ((_, row), diff) = state.iter().next().unwrap();
            assert_eq!(*diff, 1);
            let (count, sum) = (int(&row[0]), float(&row[1]));
            assert!(count > last_count, "{threads} worker(s): count {count} at {t} after {last_count}");
            // Each commit holds a prefix of the generated rows.
            assert_eq!(sum, prefix_sum(count), "{threads} worker(s): at {t}: count {count}, sum {sum}");
            last_count = count;
        }
        assert_eq!(last_count, ROWS as i64, "{threads} worker(s): final count");

        // The groupby sink sees the same commits, each with the same number of rows in total.
        let counts: BTreeMap<Time, i64> = totals.iter().map(|(t, s)| (*t, int(&s.keys().next().unwrap().1[0]))).collect();
        let groups = states(&streams[1]);
        assert_eq!(groups.iter().map(|(t, _)| *t).collect::<Vec<_>>(), counts.keys().copied().collect::<Vec<_>>());
        for (t, state) in &groups {
            let total: i64 = state.keys().map(|(_, r)| int(&r[1])).sum();
            assert_eq!(total, counts[t], "{threads} worker(s): groups at {t}: {state:?}");
        }
        let (_, last) = groups.last().unwrap();
        let mut want: BTreeMap<i64, i64> = BTreeMap::new();
        for i in 0..ROWS as i64 {
            *want.entry((OFFSET + i).rem_euclid(3)).or_default() += 1;
        }
        let got: BTreeMap<i64, i64> = last.keys().map(|(_, r)| (float(&r[0]) as i64, int(&r[1]))).collect();
        assert_eq!(got, want, "{threads} worker(s): final groups");
    }
}

#[test]
fn generator_rows_have_deterministic_ids() {
    let mut b = PlanBuilder::default();
    let gen = generator(&mut b, 5, 1e6, 1000);
    b.output(gen, "rows");
    let streams = run_engine(&b.plan(), &[], 2, 1).unwrap();
    let mut rows: Vec<(Key, Row, isize)> = streams[0].iter().flat_map(|(_, u)| u.iter().cloned()).collect();
    let mut want: Vec<(Key, Row, isize)> = (0..5)
        .map(|i| (Key::for_value(&Value::Int(i)), Row::from(vec![Value::Float((OFFSET + i) as f64)]), 1))
        .collect();
    rows.sort();
    want.sort();
    assert_eq!(rows, want);
}

#[test]
fn generator_with_zero_rate_is_rejected() {
    let mut b = PlanBuilder::default();
    let gen = generator(&mut b, 5, 0.0, 10);
    b.output(gen, "rows");
    let err = run_engine(&b.plan(), &[], 1, 1).unwrap_err();
    assert!(err.contains("input_rate"), "{err}");
}

#[test]
fn endless_generator_stops_on_the_stop_flag_with_complete_commits() {
    for threads in [1, 2] {
        let mut b = PlanBuilder::default();
        let spec = GenerateSpec { nb_rows: None, offset: OFFSET, input_rate: 500.0, autocommit_duration_ms: 20 };
        let gen = b.add(NodeKind::Generate(spec));
        let count = Reducer { kind: ReducerKind::Count, args: vec![] };
        let sum = Reducer { kind: ReducerKind::Sum, args: vec![col(0)] };
        let total = b.add(NodeKind::GroupBy { input: gen, keys: vec![], reducers: vec![count, sum], id: GroupId::Hash });
        b.output(total, "count and sum");
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let stopper = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(1000));
            flag.store(true, Ordering::SeqCst);
            Instant::now()
        });
        let config = RunConfig { threads, stop };
        // `run_engine_with` also checks the delivery contract, including `on_end`.
        let streams = run_engine_with(&b.plan(), &[], config, 1).unwrap();
        let stopped_at = stopper.join().unwrap();
        let lag = stopped_at.elapsed();
        // A hang detector, not a timing check: a loaded machine may take a while.
        assert!(lag < Duration::from_secs(30), "{threads} worker(s): returned {lag:?} after the stop");
        let totals = states(&streams[0]);
        assert!(totals.len() > 1, "{threads} worker(s): {} commit(s), expected several", totals.len());
        let (_, last) = totals.last().unwrap();
        let ((_, row), _) = last.iter().next().unwrap();
        let count = int(&row[0]);
        // 1 s at 500 rows/s: about 500 rows, and every commit is a prefix of the stream.
        assert!(count >= 50, "{threads} worker(s): only {count} rows before the stop");
        for (t, state) in &totals {
            assert_eq!(state.len(), 1, "{threads} worker(s): at {t}: {state:?}");
            let ((_, row), _) = state.iter().next().unwrap();
            assert_eq!(float(&row[1]), prefix_sum(int(&row[0])), "{threads} worker(s): at {t}");
        }
    }
}

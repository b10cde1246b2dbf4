//! Non-deterministic UDFs in a `select`: a UDF returning a new value on every call (a counter)
//! must give each row one value for as long as the row lives, and a deletion must retract
//! exactly that value (and its error-log entry), with 1, 2 and 4 workers.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use proptest::prelude::*;
use towpath_core::{Key, Row, Time, Value};
use towpath_engine::UdfError;
use towpath_plan::{Expr, NodeKind, StaticRow};

use crate::common::gen::{self, Dom, Steps};
use crate::common::host::{Stream, Udf};
use crate::common::{col, config, run_engine, PlanBuilder, THREADS};

/// A counter UDF (0, 1, 2… over all workers), failing on every fourth call; and its call count.
fn counter() -> (Udf, Arc<AtomicI64>) {
    let calls = Arc::new(AtomicI64::new(0));
    let c = calls.clone();
    let udf: Udf = Arc::new(move |_args: &[Value]| {
        let n = c.fetch_add(1, Ordering::SeqCst);
        if n % 4 == 3 {
            Err(UdfError { message: format!("call {n} fails"), trace: String::new() })
        } else {
            Ok(Value::Int(n))
        }
    });
    (udf, calls)
}

/// `select(x, udf(x))` over a one-column table, and the error log; sinks 0 and 1.
fn plan(rows: Vec<StaticRow>, deterministic: bool) -> PlanBuilder {
    let mut b = PlanBuilder::default();
    let t = b.table(1, rows);
    let udf = Expr::Udf { index: 0, args: vec![col(0)], propagate_none: false, deterministic };
    let n = b.add(NodeKind::Select { input: t, exprs: vec![col(0), udf] });
    b.output(n, "select x, counter(x)");
    let log = b.add(NodeKind::ErrorLog);
    b.output(log, "error log");
    b
}

type Counts = BTreeMap<(Key, Row), i64>;

fn apply(acc: &mut Counts, key: (Key, Row), diff: i64) {
    let slot = acc.entry(key.clone()).or_insert(0);
    *slot += diff;
    if *slot == 0 {
        acc.remove(&key);
    }
}

/// Checks the delivered streams against the inputs: at every time, the output holds exactly the
/// live input rows (with their multiplicities), each extended by the value the UDF gave when
/// the row appeared; the error log holds one entry per live row whose call failed. Returns the
/// number of row lifetimes (the UDF must be called once for each).
fn check_memoized(rows: &[StaticRow], out: &Stream, log: &Stream) -> Result<i64, String> {
    let mut inputs: BTreeMap<Time, Vec<&StaticRow>> = BTreeMap::new();
    for r in rows {
        inputs.entry(r.time).or_default().push(r);
    }
    let mut times: BTreeSet<Time> = inputs.keys().copied().collect();
    times.extend(out.iter().chain(log).map(|(t, _)| *t));
    let (mut live, mut got, mut errors) = (Counts::new(), Counts::new(), Counts::new());
    // The value each live input row got when it appeared.
    let mut first: BTreeMap<(Key, Row), Value> = BTreeMap::new();
    let mut lifetimes = 0;
    for t in times {
        for r in inputs.get(&t).into_iter().flatten() {
            apply(&mut live, (r.id, Row::from(r.values.clone())), r.diff);
        }
        for (_, updates) in out.iter().filter(|(u, _)| *u == t) {
            for (k, row, d) in updates {
                apply(&mut got, (*k, row.clone()), *d as i64);
            }
        }
        for (_, updates) in log.iter().filter(|(u, _)| *u == t) {
            for (k, row, d) in updates {
                apply(&mut errors, (*k, row.clone()), *d as i64);
            }
        }
        first.retain(|row, _| live.contains_key(row));
        let mut expected = Counts::new();
        for ((k, row), count) in &live {
            let output = got.keys().find(|(gk, grow)| gk == k && grow[..row.len()] == row[..]);
            let Some((_, output)) = output else {
                return Err(format!("at time {t}: no output for live row {k:?} {row:?}"));
            };
            let value = first.entry((*k, row.clone())).or_insert_with(|| {
                lifetimes += 1;
                output[row.len()].clone()
            });
            let mut vals = row.to_vec();
            vals.push(value.clone());
            expected.insert((*k, Row::from(vals)), *count);
        }
        if got != expected {
            return Err(format!("at time {t}: output {got:?}, expected {expected:?}"));
        }
        let failed = first.values().filter(|v| v.is_error()).count();
        if errors.len() != failed || errors.values().any(|c| *c != 1) {
            return Err(format!("at time {t}: error log {errors:?}, expected {failed} entries"));
        }
    }
    Ok(lifetimes)
}

/// Runs the plan with 1, 2 and 4 workers and checks each run with `check_memoized`, and that
/// the UDF was called once per row lifetime.
fn check(rows: Vec<StaticRow>) -> Result<(), String> {
    for threads in THREADS {
        let (udf, calls) = counter();
        let streams = run_engine(&plan(rows.clone(), false).plan(), &[udf], threads, 2)?;
        let lifetimes = check_memoized(&rows, &streams[0], &streams[1]).map_err(|e| format!("{threads} worker(s): {e}"))?;
        let calls = calls.load(Ordering::SeqCst);
        if calls != lifetimes {
            return Err(format!("{threads} worker(s): {calls} UDF calls for {lifetimes} row lifetimes"));
        }
    }
    Ok(())
}

fn at(time: Time, id: i64, x: i64, diff: i64) -> StaticRow {
    StaticRow { id: gen::id(id), values: vec![Value::Int(x)], time, diff }
}

/// Inserts, deletions at later times, a re-insertion, an update, and a row inserted and deleted
/// at the same time; enough rows that some UDF calls fail.
fn literal_rows() -> Vec<StaticRow> {
    let mut rows: Vec<StaticRow> = (0..12).map(|i| at(2, i, i % 3, 1)).collect();
    rows.extend((0..6).map(|i| at(4, i, i % 3, -1)));
    rows.extend([at(6, 0, 0, 1), at(6, 6, 0, -1), at(6, 6, 5, 1), at(6, 20, 1, 1), at(6, 20, 1, -1)]);
    rows.extend((0..12).filter(|i| *i >= 7).map(|i| at(8, i, i % 3, -1)));
    rows.reverse();
    rows
}

#[test]
fn counter_udf_values_are_retracted_as_inserted() {
    check(literal_rows()).unwrap();
}

/// The check above fails on an engine that recomputes the UDF on deletion (as it does for a
/// deterministic UDF), so it can catch the bug it is about.
#[test]
fn recomputing_a_counter_udf_is_caught() {
    let rows = literal_rows();
    let (udf, _) = counter();
    let streams = run_engine(&plan(rows.clone(), true).plan(), &[udf], 1, 2).unwrap();
    assert!(check_memoized(&rows, &streams[0], &streams[1]).is_err());
}

/// Several live rows under one id (as overlapping concatenations make), one of them twice.
#[test]
fn rows_sharing_an_id_are_remembered_separately() {
    let mut rows = vec![at(2, 1, 0, 1), at(2, 1, 1, 1), at(2, 1, 2, 1), at(2, 1, 0, 1), at(2, 2, 0, 1)];
    rows.extend([at(4, 1, 1, -1), at(4, 1, 0, -1), at(6, 1, 3, 1), at(6, 1, 0, -1), at(8, 1, 2, -1)]);
    rows.extend([at(8, 1, 1, 1), at(10, 1, 3, -1), at(10, 1, 1, -1), at(10, 2, 0, -1)]);
    check(rows).unwrap();
}

fn steps_rows(steps: &Steps) -> Vec<StaticRow> {
    gen::rows(steps, &gen::times(steps.len(), false), 0)
}

proptest! {
    #![proptest_config(config(32, "proptest-regressions/udf_memo.txt"))]

    /// Random upserts, deletions and same-time insert/delete pairs over ids that collide.
    #[test]
    fn counter_udf_is_memoized_on_random_streams(steps in gen::steps(vec![Dom::Int(3, false)], 6, 6, 6)) {
        if let Err(e) = check(steps_rows(&steps)) {
            prop_assert!(false, "{}", e);
        }
    }
}

//! Push sources (`NodeKind::Push`): upserts and deletions by primary key, plain inserts and
//! deletions without one, explicit commits, bad records, a failing source, and a live join +
//! groupby over pushes from another thread, checked against the reference evaluator at every
//! delivered time.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use proptest::prelude::*;
use towpath_core::{ColumnSchema, DType, Key, Row, Schema, Time, Value};
use towpath_engine::{PushEvent, PushQueue};
use towpath_plan::{GroupId, JoinId, JoinKind, NodeKind, PushSpec, Reducer, ReducerKind, StaticRow};

use crate::common::host::{delivered, Event, Stream};
use crate::common::reference::{expected_outputs, Table};
use crate::common::{col, compare, config, run_engine_pushed, PlanBuilder, THREADS};

fn schema(pk: bool) -> Schema {
    let column = |name: &str, primary_key| ColumnSchema { name: name.into(), dtype: DType::Int, primary_key, default: None };
    Schema { columns: vec![column("k", pk), column("v", false)] }
}

fn push_node(b: &mut PlanBuilder, source: usize, pk: bool, autocommit_duration_ms: Option<u64>) -> usize {
    let spec = PushSpec { source, schema: schema(pk), autocommit_duration_ms, name: Some(format!("subject{source}")) };
    b.add(NodeKind::Push(spec))
}

fn row(k: i64, v: i64) -> Vec<Value> {
    vec![Value::Int(k), Value::Int(v)]
}

/// The table after each delivered time, values only (ids are checked by the reference test).
fn values_per_time(stream: &Stream) -> Vec<BTreeMap<Vec<Value>, isize>> {
    let mut acc: BTreeMap<Vec<Value>, isize> = BTreeMap::new();
    let mut out = Vec::new();
    for (_, updates) in stream {
        for (_, r, d) in updates {
            let slot = acc.entry(r.to_vec()).or_insert(0);
            *slot += d;
            if *slot == 0 {
                acc.remove(&r.to_vec());
            }
        }
        out.push(acc.clone());
    }
    out
}

fn table(rows: &[(Vec<Value>, isize)]) -> BTreeMap<Vec<Value>, isize> {
    rows.iter().cloned().collect()
}

fn queue(events: Vec<PushEvent>) -> Arc<PushQueue> {
    let q = Arc::new(PushQueue::new());
    q.extend(events);
    q
}

#[test]
fn primary_key_rows_are_upserted_and_deleted_by_key() {
    use PushEvent::*;
    for threads in THREADS {
        let mut b = PlanBuilder::default();
        let p = push_node(&mut b, 0, true, None);
        b.output(p, "rows");
        let log = b.add(NodeKind::ErrorLog);
        b.output(log, "errors");
        let events = vec![
            Upsert(row(1, 1)), Upsert(row(1, 1)), Upsert(row(2, 5)), Commit,
            Upsert(row(1, 2)), Commit,
            Delete(row(1, 99)), Commit,
            Delete(row(7, 0)), Invalid("no value for \"v\"".into()), Close,
        ];
        let (error, events) = run_engine_pushed(&b.plan(), threads, vec![queue(events)], 2);
        assert_eq!(error, None);
        let rows = delivered(&events[0]).unwrap();
        let states = values_per_time(&rows);
        assert_eq!(
            states,
            vec![table(&[(row(1, 1), 1), (row(2, 5), 1)]), table(&[(row(1, 2), 1), (row(2, 5), 1)]), table(&[(row(2, 5), 1)])],
            "{threads} worker(s)"
        );
        // One key, one id: the upsert and the deletion retract exactly the row it held.
        let ids: std::collections::BTreeSet<Key> = rows.iter().flat_map(|(_, u)| u.iter().map(|(k, _, _)| *k)).collect();
        assert_eq!(ids.len(), 2);
        let errors = values_per_time(&delivered(&events[1]).unwrap());
        let messages: Vec<String> = errors.last().unwrap().keys().map(|r| format!("{:?}", r[1])).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("subject0") && m.contains("not in the table: (7)")), "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("no value for")), "{messages:?}");
    }
}

#[test]
fn rows_without_primary_key_are_copies_and_deletions_remove_one() {
    use PushEvent::*;
    let mut b = PlanBuilder::default();
    let p = push_node(&mut b, 0, false, None);
    b.output(p, "rows");
    let log = b.add(NodeKind::ErrorLog);
    b.output(log, "errors");
    let events = vec![
        Upsert(row(1, 1)), Upsert(row(1, 1)), Upsert(row(2, 2)), Commit,
        Delete(row(1, 1)), Commit,
        Delete(row(1, 1)), Delete(row(1, 1)), Close,
    ];
    let (error, events) = run_engine_pushed(&b.plan(), 2, vec![queue(events)], 2);
    assert_eq!(error, None);
    let states = values_per_time(&delivered(&events[0]).unwrap());
    assert_eq!(
        states,
        vec![table(&[(row(1, 1), 2), (row(2, 2), 1)]), table(&[(row(1, 1), 1), (row(2, 2), 1)]), table(&[(row(2, 2), 1)])]
    );
    let errors = values_per_time(&delivered(&events[1]).unwrap());
    assert_eq!(errors.last().map(|t| t.len()), Some(1), "the third deletion of (1, 1) is an error");
}

#[test]
fn a_failing_source_stops_the_run_after_its_committed_rows() {
    use PushEvent::*;
    for threads in [1, 2] {
        let mut b = PlanBuilder::default();
        let p = push_node(&mut b, 0, false, Some(100_000));
        b.output(p, "rows");
        let events = vec![Upsert(row(1, 1)), Commit, Upsert(row(2, 2)), Fail("ValueError: boom".into())];
        let (error, events) = run_engine_pushed(&b.plan(), threads, vec![queue(events)], 1);
        let error = error.expect("the run fails");
        assert!(error.contains("subject0") && error.contains("boom"), "{error}");
        let delivered: Vec<Vec<Value>> = events[0]
            .iter()
            .flat_map(|e| match e {
                Event::Updates(_, u) => u.iter().map(|(_, r, _)| r.to_vec()).collect(),
                _ => vec![],
            })
            .collect();
        assert_eq!(delivered, vec![row(1, 1)], "{threads} worker(s): committed rows only");
    }
}

/// One step of a random live stream: a change to the left (primary key `k`) or the right
/// (no primary key) source, or a commit of one of them.
#[derive(Clone, Debug)]
enum Op {
    Left { k: i64, v: i64, delete: bool },
    Right { k: i64, v: i64, delete: bool },
    CommitLeft,
    Pause,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..4i64, 0..5i64, prop::bool::weighted(0.3)).prop_map(|(k, v, delete)| Op::Left { k, v, delete }),
        4 => (0..4i64, 0..3i64, prop::bool::weighted(0.3)).prop_map(|(k, v, delete)| Op::Right { k, v, delete }),
        2 => Just(Op::CommitLeft),
        1 => Just(Op::Pause),
    ]
}

/// Sinks 0 and 1: the two sources as the engine committed them; 2: inner join on k grouped by
/// k (count, sum of both values); 3: outer join; 4: the right side grouped by v (min, max k).
fn live_plan() -> PlanBuilder {
    let mut b = PlanBuilder::default();
    let l = push_node(&mut b, 0, true, None);
    let r = push_node(&mut b, 1, false, Some(2));
    b.output(l, "left as committed");
    b.output(r, "right as committed");
    add_queries(&mut b, l, r);
    b
}

fn add_queries(b: &mut PlanBuilder, l: usize, r: usize) {
    let join = |kind| NodeKind::Join { left: l, right: r, left_keys: vec![col(0)], right_keys: vec![col(0)], kind, id: JoinId::Hash };
    let inner = b.add(join(JoinKind::Inner));
    let reducers = vec![
        Reducer { kind: ReducerKind::Count, args: vec![] },
        Reducer { kind: ReducerKind::Sum, args: vec![col(1)] },
        Reducer { kind: ReducerKind::Sum, args: vec![col(3)] },
    ];
    let g = b.add(NodeKind::GroupBy { input: inner, keys: vec![col(0)], reducers, id: GroupId::Hash });
    b.output(g, "inner join grouped by k");
    let outer = b.add(join(JoinKind::Outer));
    b.output(outer, "outer join");
    let reducers = vec![Reducer { kind: ReducerKind::Min, args: vec![col(0)] }, Reducer { kind: ReducerKind::Max, args: vec![col(0)] }];
    let g = b.add(NodeKind::GroupBy { input: r, keys: vec![col(1)], reducers, id: GroupId::Hash });
    b.output(g, "right grouped by v");
}

/// The same queries over static tables holding what the sources committed, at the same times.
fn reference_plan(left: &Stream, right: &Stream) -> PlanBuilder {
    let rows = |stream: &Stream| -> Vec<StaticRow> {
        stream
            .iter()
            .flat_map(|(t, u)| u.iter().map(|(k, r, d)| StaticRow { id: *k, values: r.to_vec(), time: *t, diff: *d as i64 }))
            .collect()
    };
    let mut b = PlanBuilder::default();
    let l = b.table(2, rows(left));
    let r = b.table(2, rows(right));
    b.output(l, "left as committed");
    b.output(r, "right as committed");
    add_queries(&mut b, l, r);
    b
}

/// Pushes `ops` from another thread (pausing now and then, so commits interleave with the
/// right source's 2 ms autocommit), then closes both sources.
fn feed(ops: Vec<Op>, left: Arc<PushQueue>, right: Arc<PushQueue>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        for op in ops {
            match op {
                Op::Left { k, v, delete: false } => left.push(PushEvent::Upsert(row(k, v))),
                Op::Left { k, v, delete: true } => left.push(PushEvent::Delete(row(k, v))),
                Op::Right { k, v, delete: false } => right.push(PushEvent::Upsert(row(k, v))),
                Op::Right { k, v, delete: true } => right.push(PushEvent::Delete(row(k, v))),
                Op::CommitLeft => left.push(PushEvent::Commit),
                Op::Pause => std::thread::sleep(Duration::from_millis(3)),
            }
        }
        left.push(PushEvent::Close);
        right.push(PushEvent::Close);
    })
}

proptest! {
    #![proptest_config(config(24, "proptest-regressions/push.txt"))]

    #[test]
    fn live_join_and_groupby_match_the_reference_at_every_time(ops in prop::collection::vec(op(), 1..60)) {
        let plan = live_plan().plan();
        for threads in THREADS {
            let (left, right) = (Arc::new(PushQueue::new()), Arc::new(PushQueue::new()));
            let feeder = feed(ops.clone(), left.clone(), right.clone());
            let (error, events) = run_engine_pushed(&plan, threads, vec![left, right], 5);
            feeder.join().unwrap();
            prop_assert_eq!(error, None);
            let streams: Vec<Stream> = events.iter().map(|e| delivered(e)).collect::<Result<_, _>>().map_err(TestCaseError::fail)?;
            let reference = reference_plan(&streams[0], &streams[1]);
            let expected: Vec<BTreeMap<Time, Table>> = expected_outputs(&reference.plan(), &[]);
            for (sink, stream) in streams.iter().enumerate().skip(2) {
                compare(&expected[sink], stream)
                    .map_err(|e| TestCaseError::fail(format!("sink {sink}, {threads} worker(s): {e}")))?;
            }
            // The committed left table is what upserts by key leave: one row per live key.
            let left_rows: Vec<Row> = values_per_time(&streams[0]).last().map(|t| t.keys().map(|r| Row::from(r.clone())).collect()).unwrap_or_default();
            let keys: std::collections::BTreeSet<&Value> = left_rows.iter().map(|r| &r[0]).collect();
            prop_assert_eq!(keys.len(), left_rows.len());
        }
    }
}

//! `GroupBy` against the reference: every reducer alone and all together, several key shapes,
//! on both the generic and the incremental (count/sum/avg) path; and the two paths against each
//! other on values the reference does not model (overflow, rounding, durations, NaN, negative
//! multiplicities).

use std::collections::BTreeMap;

use proptest::prelude::*;
use towpath_core::{Time, Value};
use towpath_plan::{BinaryOp, Expr, GroupId, NodeId, NodeKind, Reducer, ReducerKind, StaticRow};

use crate::common::gen::{self, Dom, Steps};
use crate::common::host::Stream;
use crate::common::reference::Table;
use crate::common::{bin, check, col, compare, config, lit, run_engine, PlanBuilder};

/// Input columns: k (int or None), s (str or None), i (int), f (float), m (mixed types).
const COLUMNS: [Dom; 5] = [Dom::Int(3, true), Dom::Str(true), Dom::Int(6, false), Dom::Float, Dom::Mixed];

fn r(kind: ReducerKind, arg: Option<usize>) -> Reducer {
    Reducer { kind, args: arg.map(col).into_iter().collect() }
}

/// Every reducer kind, on the columns where it is meaningful.
fn all_reducers() -> Vec<Reducer> {
    use ReducerKind::*;
    vec![
        r(Count, None),
        r(Count, Some(4)),
        r(Sum, Some(2)),
        r(Sum, Some(3)),
        r(Avg, Some(2)),
        r(Avg, Some(3)),
        r(Min, Some(4)),
        r(Max, Some(4)),
        r(ArgMin, Some(4)),
        r(ArgMax, Some(2)),
        r(Any, Some(4)),
        r(Unique, Some(4)),
        r(Unique, Some(0)),
        r(Tuple { skip_nones: false }, Some(4)),
        r(Tuple { skip_nones: true }, Some(0)),
        r(SortedTuple { skip_nones: false }, Some(4)),
        r(SortedTuple { skip_nones: true }, Some(0)),
        r(CountDistinct, Some(4)),
        r(Earliest, Some(4)),
        r(Latest, Some(4)),
    ]
}

fn groupby(b: &mut PlanBuilder, input: NodeId, keys: Vec<Expr>, reducers: Vec<Reducer>, id: GroupId) -> NodeId {
    b.add(NodeKind::GroupBy { input, keys, reducers, id })
}

fn plan(steps: &Steps, end: bool) -> PlanBuilder {
    let mut b = PlanBuilder::default();
    let t = b.table(COLUMNS.len(), gen::rows(steps, &gen::times(steps.len(), end), 0));
    let g = groupby(&mut b, t, vec![col(0)], all_reducers(), GroupId::Hash);
    b.output(g, "all reducers by k");
    for red in all_reducers() {
        let name = format!("{:?}({:?}) by (k, s)", red.kind, red.args);
        let g = groupby(&mut b, t, vec![col(0), col(1)], vec![red], GroupId::Hash);
        b.output(g, name);
    }
    let global = vec![r(ReducerKind::Count, None), r(ReducerKind::Sum, Some(2)), r(ReducerKind::Tuple { skip_nones: false }, Some(4))];
    let g = groupby(&mut b, t, vec![], global, GroupId::Hash);
    b.output(g, "one global group");
    let parity = bin(BinaryOp::Mod, col(2), lit(2i64));
    let g = groupby(&mut b, t, vec![parity], vec![r(ReducerKind::Sum, Some(3)), r(ReducerKind::Min, Some(4))], GroupId::Hash);
    b.output(g, "by i % 2");
    let pointer = Expr::PointerFrom(vec![col(0)]);
    let g = groupby(&mut b, t, vec![pointer], vec![r(ReducerKind::Count, None), r(ReducerKind::Max, Some(2))], GroupId::FirstKey);
    b.output(g, "id = pointer_from(k)");
    let g = groupby(&mut b, t, vec![col(1)], vec![], GroupId::Hash);
    b.output(g, "distinct s (no reducers)");
    let failing = bin(BinaryOp::FloorDiv, col(2), col(0));
    let g = groupby(&mut b, t, vec![failing], vec![r(ReducerKind::Count, None)], GroupId::Hash);
    b.output(g, "by i // k (division errors)");
    add_incremental(&mut b, t);
    let log = b.add(NodeKind::ErrorLog);
    b.output(log, "error log");
    b
}

/// Groupbys that take the incremental path: only count, sum, avg, count_distinct, min, max and
/// any, over ints
/// with None, floats, and mixed values (errors, strings, bools), with no key, one key, two keys
/// and a pointer id.
fn add_incremental(b: &mut PlanBuilder, t: NodeId) {
    use ReducerKind::*;
    let summed = || {
        vec![
            r(Count, None),
            r(Sum, Some(0)),
            r(CountDistinct, Some(4)),
            r(Avg, Some(0)),
            r(Sum, Some(2)),
            r(Count, Some(4)),
            r(Avg, Some(3)),
            r(CountDistinct, Some(0)),
        ]
    };
    let g = groupby(b, t, vec![col(1)], summed(), GroupId::Hash);
    b.output(g, "incremental count/sum/avg by s");
    let g = groupby(b, t, vec![col(0), col(1)], vec![r(Sum, Some(4)), r(Avg, Some(4))], GroupId::Hash);
    b.output(g, "incremental sum/avg of mixed by (k, s)");
    let g = groupby(b, t, vec![col(0)], vec![r(CountDistinct, Some(2))], GroupId::Hash);
    b.output(g, "incremental count_distinct alone by k");
    let ordered = vec![r(Min, Some(4)), r(Max, Some(4)), r(Any, Some(2)), r(Count, None), r(Max, Some(0))];
    let g = groupby(b, t, vec![col(1)], ordered, GroupId::Hash);
    b.output(g, "incremental min/max/any of mixed by s");
    let g = groupby(b, t, vec![], summed(), GroupId::Hash);
    b.output(g, "incremental global group");
    let pointer = Expr::PointerFrom(vec![col(1)]);
    let g = groupby(b, t, vec![pointer], vec![r(Avg, Some(2)), r(Count, None)], GroupId::FirstKey);
    b.output(g, "incremental id = pointer_from(s)");
}

proptest! {
    #![proptest_config(config(48, "proptest-regressions/groupby.txt"))]

    /// Every reducer, at every time, with 1, 2 and 4 workers.
    #[test]
    fn groupby_matches_reference(steps in gen::steps(COLUMNS.to_vec(), 8, 5, 6), end in any::<bool>()) {
        if let Err(e) = check(&plan(&steps, end), &[]) {
            prop_assert!(false, "{}", e);
        }
    }
}

proptest! {
    #![proptest_config(config(24, "proptest-regressions/groupby.txt"))]

    /// Few groups, many rows and changes: big groups where single rows come and go.
    #[test]
    fn big_groups_match_reference(steps in gen::steps_in(COLUMNS.to_vec(), 60, 3..=6, 40)) {
        let mut b = PlanBuilder::default();
        let t = b.table(COLUMNS.len(), gen::rows(&steps, &gen::times(steps.len(), false), 0));
        add_incremental(&mut b, t);
        let g = groupby(&mut b, t, vec![col(0)], vec![r(ReducerKind::Sum, Some(2)), r(ReducerKind::Max, Some(2))], GroupId::Hash);
        b.output(g, "generic sum/max by k");
        if let Err(e) = check(&b, &[]) {
            prop_assert!(false, "{}", e);
        }
    }
}

/// Values where sums overflow, round, mix types or are NaN, and rows that appear with a
/// negative multiplicity: the incremental path must give exactly the generic path's results.
fn extreme() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::None),
        Just(Value::Error),
        (-3i64..3).prop_map(Value::Int),
        prop::sample::select(vec![i64::MAX, i64::MIN, i64::MAX - 1, -i64::MAX]).prop_map(Value::Int),
        prop::sample::select(vec![0.1, 0.2, 0.3, 1e308, -1e308, 5e-324, -0.0, f64::INFINITY, f64::NAN])
            .prop_map(Value::Float),
        (-2i64..2).prop_map(Value::Duration),
    ]
    .boxed()
}

/// Rows `(id, [group, value], time, diff)`; ids repeat so that rows also cancel and go negative.
fn extreme_rows() -> BoxedStrategy<Vec<StaticRow>> {
    let row = (0i64..8, 0i64..2, extreme(), 0u64..4, prop::sample::select(vec![1i64, 1, 1, -1, 2]));
    proptest::collection::vec(row, 0..40)
        .prop_map(|rows| {
            rows.into_iter()
                .map(|(id, g, v, t, diff)| StaticRow { id: gen::id(id), values: vec![Value::Int(g), v], time: 2 * t, diff })
                .collect()
        })
        .boxed()
}

/// Accumulates a stream into the table at each of its times.
fn tables(stream: &Stream) -> BTreeMap<Time, Table> {
    let mut acc = Table::new();
    let mut out = BTreeMap::new();
    for (t, updates) in stream {
        for (k, row, d) in updates {
            let slot = acc.entry((*k, row.clone())).or_insert(0);
            *slot += *d as i64;
            if *slot == 0 {
                acc.remove(&(*k, row.clone()));
            }
        }
        out.insert(*t, acc.clone());
    }
    out
}

proptest! {
    #![proptest_config(config(64, "proptest-regressions/groupby.txt"))]

    /// The same count/sum/count_distinct/avg/min/max/any once alone (incremental) and once next
    /// to a `unique` (generic, its column dropped by a select; like the others its slot holds
    /// the value only, not the row id): identical outputs at every time.
    #[test]
    fn incremental_equals_generic(rows in extreme_rows(), keyed in any::<bool>()) {
        use ReducerKind::*;
        let mut b = PlanBuilder::default();
        let t = b.table(2, rows);
        let keys = if keyed { vec![col(0)] } else { vec![] };
        let nk = keys.len();
        let reducers = vec![
            r(Count, None),
            r(Sum, Some(1)),
            r(CountDistinct, Some(1)),
            r(Avg, Some(1)),
            r(Min, Some(1)),
            r(Max, Some(1)),
            r(Any, Some(1)),
        ];
        let fast = groupby(&mut b, t, keys.clone(), reducers.clone(), GroupId::Hash);
        b.output(fast, "incremental");
        let width = nk + reducers.len();
        let mut with_unique = reducers;
        with_unique.push(r(Unique, Some(1)));
        let slow = groupby(&mut b, t, keys, with_unique, GroupId::Hash);
        let slow = b.add(NodeKind::Select { input: slow, exprs: (0..width).map(col).collect() });
        b.output(slow, "generic");
        for threads in [1, 2] {
            let streams = run_engine(&b.plan(), &[], threads, 2).map_err(TestCaseError::fail)?;
            if let Err(e) = compare(&tables(&streams[1]), &streams[0]) {
                prop_assert!(false, "{} worker(s): {}", threads, e);
            }
        }
    }
}

/// Sums are exact whatever the order rows arrive and leave in: an int total that overflows only
/// part-way, a float total that a left-to-right sum would round differently.
#[test]
fn sums_are_judged_on_exact_totals() {
    use ReducerKind::*;
    let row = |id: i64, v: Value, time: Time, diff: i64| StaticRow { id: gen::id(id), values: vec![v], time, diff };
    let rows = vec![
        row(0, Value::Int(i64::MAX), 0, 1),
        row(1, Value::Int(1), 0, 1),
        row(2, Value::Int(-1), 0, 1),
        row(2, Value::Int(-1), 2, -1),
        row(1, Value::Int(1), 4, -1),
        row(3, Value::Float(0.1), 6, 1),
        row(4, Value::Float(0.2), 6, 1),
        row(5, Value::Float(0.3), 6, 1),
        row(0, Value::Int(i64::MAX), 6, -1),
    ];
    let mut b = PlanBuilder::default();
    let t = b.table(1, rows);
    let g = groupby(&mut b, t, vec![], vec![r(Sum, Some(0)), r(Count, None)], GroupId::Hash);
    b.output(g, "incremental");
    let g = groupby(&mut b, t, vec![], vec![r(Sum, Some(0)), r(Min, Some(0))], GroupId::Hash);
    b.output(g, "generic");
    let streams = run_engine(&b.plan(), &[], 1, 2).expect("run");
    for (sink, stream) in streams.iter().enumerate() {
        let sums: Vec<(Time, Value)> = tables(stream)
            .into_iter()
            .map(|(t, table)| (t, table.keys().next().map(|(_, row)| row[0].clone()).unwrap_or_default()))
            .collect();
        let want = vec![
            (0, Value::Int(i64::MAX)),
            (2, Value::Error),
            (4, Value::Int(i64::MAX)),
            (6, Value::Float(0.6)),
        ];
        assert_eq!(sums, want, "sink {sink}");
    }
}

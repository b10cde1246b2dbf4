//! `Gate` (freeze, late rows, buffer, forget) and `DropForgetting` against the reference, at
//! every time, with 1, 2 and 4 workers: alone, and chained as a window behaviour lowers them.

use proptest::prelude::*;
use towpath_core::{Row, Time, Value, END_OF_INPUT};
use towpath_plan::{BinaryOp, Expr, GateMode, GroupId, NodeKind, Reducer, ReducerKind, StaticRow};

use crate::common::gen::{self, Dom, Steps};
use crate::common::{bin, check, col, config, lit, run_engine, PlanBuilder};

/// Input columns: t (event time, int or None), v (int, 0 sometimes: division errors).
const COLUMNS: [Dom; 2] = [Dom::Int(16, true), Dom::Int(3, false)];

fn gate(b: &mut PlanBuilder, input: usize, threshold: Expr, time: Expr, mode: GateMode) -> usize {
    b.add(NodeKind::Gate { input, threshold, time, mode })
}

fn plus(e: Expr, k: i64) -> Expr {
    bin(BinaryOp::Add, e, lit(k))
}

fn table(b: &mut PlanBuilder, steps: &Steps, end: bool) -> usize {
    b.table(COLUMNS.len(), gen::rows(steps, &gen::times(steps.len(), end), 0))
}

/// Each mode alone, on `t + 3` (or `t + 1`) thresholds, and a failing time expression.
fn single_plan(steps: &Steps, end: bool) -> PlanBuilder {
    let mut b = PlanBuilder::default();
    let t = table(&mut b, steps, end);
    for (mode, name) in [
        (GateMode::Freeze, "freeze"),
        (GateMode::Late, "late"),
        (GateMode::Buffer, "buffer"),
        (GateMode::Forget { mark: false }, "forget"),
        (GateMode::Forget { mark: true }, "forget, marked"),
    ] {
        let g = gate(&mut b, t, plus(col(0), 3), col(0), mode);
        b.output(g, name);
    }
    let g = gate(&mut b, t, plus(col(0), 1), col(0), GateMode::Buffer);
    b.output(g, "buffer t + 1");
    let failing = bin(BinaryOp::FloorDiv, col(0), col(1));
    let g = gate(&mut b, t, plus(col(0), 2), failing, GateMode::Freeze);
    b.output(g, "freeze, time t // v");
    let log = b.add(NodeKind::ErrorLog);
    b.output(log, "error log");
    b
}

/// What `windowby(t, tumbling(4), behavior=common_behavior(delay, cutoff, keep_results))`
/// lowers to: window start/end, freeze on `end + cutoff`, buffer on `start + delay`, forget on
/// `end + cutoff` (marked when results are kept), a groupby per window, `DropForgetting`.
fn window_plan(steps: &Steps, end: bool, delay: i64, cutoff: i64) -> PlanBuilder {
    let mut b = PlanBuilder::default();
    let t = table(&mut b, steps, end);
    let start = bin(BinaryOp::Mul, bin(BinaryOp::FloorDiv, col(0), lit(4i64)), lit(4i64));
    let w = b.add(NodeKind::Select { input: t, exprs: vec![start.clone(), plus(start, 4), col(1), col(0)] });
    let frozen = gate(&mut b, w, plus(col(1), cutoff), col(3), GateMode::Freeze);
    let late = gate(&mut b, w, plus(col(1), cutoff), col(3), GateMode::Late);
    b.output(late, "late rows");
    let delayed = gate(&mut b, frozen, plus(col(0), delay), col(3), GateMode::Buffer);
    for keep in [true, false] {
        let forgot = gate(&mut b, delayed, plus(col(1), cutoff), col(3), GateMode::Forget { mark: keep });
        let reducers = vec![
            Reducer { kind: ReducerKind::Count, args: vec![] },
            Reducer { kind: ReducerKind::Sum, args: vec![col(2)] },
        ];
        let g = b.add(NodeKind::GroupBy { input: forgot, keys: vec![col(0), col(1)], reducers, id: GroupId::Hash });
        let out = if keep { b.add(NodeKind::DropForgetting { input: g }) } else { g };
        b.output(out, if keep { "windows, results kept" } else { "windows, results forgotten" });
    }
    b
}

proptest! {
    #![proptest_config(config(48, "proptest-regressions/gate.txt"))]

    /// Every mode alone, at every time, with 1, 2 and 4 workers.
    #[test]
    fn gates_match_reference(steps in gen::steps(COLUMNS.to_vec(), 8, 7, 6), end in any::<bool>()) {
        if let Err(e) = check(&single_plan(&steps, end), &[]) {
            prop_assert!(false, "{}", e);
        }
    }

    /// Window behaviours (delay, cutoff, kept or forgotten results).
    #[test]
    fn window_behaviours_match_reference(
        steps in gen::steps(COLUMNS.to_vec(), 8, 7, 6),
        end in any::<bool>(),
        delay in 0i64..6,
        cutoff in 0i64..4,
    ) {
        if let Err(e) = check(&window_plan(&steps, end, delay, cutoff), &[]) {
            prop_assert!(false, "{}", e);
        }
    }
}

fn row(n: i64, t: i64, time: Time) -> StaticRow {
    StaticRow { id: gen::id(n), values: vec![Value::Int(t), Value::Int(1)], time, diff: 1 }
}

/// Updates of sink 0 as (time, t, diff), sorted.
fn updates(b: &PlanBuilder, threads: usize) -> Vec<(Time, i64, isize)> {
    let streams = run_engine(&b.plan(), &[], threads, 1).expect("run");
    let mut out: Vec<(Time, i64, isize)> = streams[0]
        .iter()
        .flat_map(|(t, ups)| ups.iter().map(move |(_, r, d)| (*t, int(r), *d)))
        .collect();
    out.sort();
    out
}

fn int(r: &Row) -> i64 {
    match r[0] {
        Value::Int(i) => i,
        _ => panic!("int expected"),
    }
}

/// Pathway's `forget(t, 10, mark_forgetting_records=True)` example, by hand: retractions one
/// time after the watermark has passed, a late row inserted and retracted at once.
#[test]
fn marked_forgetting_retracts_at_the_next_odd_time() {
    let mut b = PlanBuilder::default();
    let rows = vec![row(1, 1, 2), row(2, 30, 2), row(3, 22, 4), row(4, 50, 4), row(5, 3, 6)];
    let t = b.table(2, rows);
    let g = gate(&mut b, t, plus(col(0), 10), col(0), GateMode::Forget { mark: true });
    b.output(g, "forget");
    let want = vec![(2, 1, 1), (2, 30, 1), (4, 22, 1), (4, 50, 1), (5, 1, -1), (6, 3, 1), (7, 3, -1), (7, 22, -1), (7, 30, -1)];
    for threads in [1, 2] {
        assert_eq!(updates(&b, threads), want, "{threads} worker(s)");
    }
}

/// A buffer releases at the time the watermark reaches a row, and the rest at the end.
#[test]
fn buffer_releases_when_reached_and_flushes_at_the_end() {
    let mut b = PlanBuilder::default();
    let t = b.table(2, vec![row(1, 1, 2), row(2, 30, 2), row(3, 50, 4), row(4, 60, 6)]);
    let g = gate(&mut b, t, plus(col(0), 10), col(0), GateMode::Buffer);
    b.output(g, "buffer");
    let want = vec![(2, 1, 1), (4, 30, 1), (6, 50, 1), (END_OF_INPUT, 60, 1)];
    for threads in [1, 2] {
        assert_eq!(updates(&b, threads), want, "{threads} worker(s)");
    }
}

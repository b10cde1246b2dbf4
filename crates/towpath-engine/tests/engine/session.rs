//! `Session` against the reference: int and float times with ties, a gap test and a host
//! predicate (that fails on some pairs), with and without instances, rows joining, splitting and
//! merging sessions, and its error log.

use std::sync::Arc;

use proptest::prelude::*;
use towpath_core::{Row, Time, Value};
use towpath_engine::UdfError;
use towpath_plan::{BinaryOp, Expr, NodeKind, StaticRow};

use crate::common::gen::{self, Dom, Steps};
use crate::common::host::Udf;
use crate::common::{bin, check, col, lit, config, run_engine, PlanBuilder};

/// Input columns: t (int with ties, sometimes None), f (float), k (instance, sometimes None),
/// m (mixed types, errors included).
const COLUMNS: [Dom; 4] = [Dom::Int(12, true), Dom::Float, Dom::Str(true), Dom::Mixed];

fn session(b: &mut PlanBuilder, input: usize, time: Expr, instance: Option<Expr>, together: Expr) -> usize {
    b.add(NodeKind::Session { input, time, instance, together })
}

/// `later - earlier < gap` on the pair row.
fn gap(g: impl Into<Value>) -> Expr {
    bin(BinaryOp::Lt, bin(BinaryOp::Sub, col(1), col(0)), lit(g))
}

/// UDF 0: together when the later time is even and the earlier one is not 3; fails on 7.
fn predicate() -> Udf {
    Arc::new(|args: &[Value]| match (&args[0], &args[1]) {
        (_, Value::Int(7)) | (Value::Int(7), _) => Err(UdfError { message: "seven".into(), trace: String::new() }),
        (Value::Int(a), Value::Int(b)) => Ok(Value::Bool(*b % 2 == 0 && *a != 3)),
        _ => Ok(Value::None),
    })
}

fn plan(steps: &Steps, end: bool) -> PlanBuilder {
    let mut b = PlanBuilder::default();
    let t = b.table(COLUMNS.len(), gen::rows(steps, &gen::times(steps.len(), end), 0));
    let s = session(&mut b, t, col(0), None, gap(3i64));
    b.output(s, "int gap 3");
    let s = session(&mut b, t, col(0), Some(col(2)), gap(2i64));
    b.output(s, "int gap 2, instance k");
    let s = session(&mut b, t, col(1), Some(bin(BinaryOp::Mod, col(0), lit(2i64))), gap(1.0));
    b.output(s, "float gap 1.0, instance t % 2");
    let s = session(&mut b, t, col(0), None, gap(0i64));
    b.output(s, "gap 0: each time alone, ties split");
    let udf = Expr::Udf { index: 0, args: vec![col(0), col(1)], propagate_none: false, deterministic: true };
    let s = session(&mut b, t, col(0), Some(col(2)), udf);
    b.output(s, "predicate UDF, instance k");
    let failing = bin(BinaryOp::FloorDiv, lit(12i64), col(0));
    let s = session(&mut b, t, failing, Some(col(3)), gap(4i64));
    b.output(s, "12 // t (division errors), instance mixed");
    let log = b.add(NodeKind::ErrorLog);
    b.output(log, "error log");
    b
}

proptest! {
    #![proptest_config(config(48, "proptest-regressions/session.txt"))]

    /// Every row's session bounds at every time, with 1, 2 and 4 workers.
    #[test]
    fn session_matches_reference(steps in gen::steps(COLUMNS.to_vec(), 10, 6, 6), end in any::<bool>()) {
        if let Err(e) = check(&plan(&steps, end), &[predicate()]) {
            prop_assert!(false, "{}", e);
        }
    }
}

proptest! {
    #![proptest_config(config(16, "proptest-regressions/session.txt"))]

    /// Many rows in a few long sessions, single rows coming and going in the middle.
    #[test]
    fn long_sessions_match_reference(steps in gen::steps_in(vec![Dom::Int(40, false), Dom::Float, Dom::Str(false), Dom::Mixed], 40, 3..=6, 25)) {
        let mut b = PlanBuilder::default();
        let t = b.table(COLUMNS.len(), gen::rows(&steps, &gen::times(steps.len(), false), 0));
        let s = session(&mut b, t, col(0), None, gap(3i64));
        b.output(s, "gap 3");
        let s = session(&mut b, t, col(0), Some(col(2)), gap(5i64));
        b.output(s, "gap 5, instance k");
        if let Err(e) = check(&b, &[]) {
            prop_assert!(false, "{}", e);
        }
    }
}

/// A row bridging two sessions merges them at its time: both old sessions are retracted, the
/// merged one inserted, and a far session is left alone.
#[test]
fn a_bridge_merges_two_sessions() {
    let row = |n: i64, t: i64, time: Time| StaticRow { id: gen::id(n), values: vec![Value::Int(t)], time, diff: 1 };
    let mut b = PlanBuilder::default();
    let t = b.table(1, vec![row(0, 1, 0), row(1, 5, 0), row(2, 20, 0), row(3, 3, 2)]);
    let s = session(&mut b, t, col(0), None, gap(3i64));
    b.output(s, "sessions");
    let r = |t: i64, s: i64, e: i64| {
        let first = if s == 1 { 0 } else if s == 5 { 1 } else { 3 };
        Row::from(vec![Value::Int(t), Value::Int(s), Value::Int(e), Value::Pointer(gen::id(first))])
    };
    for threads in [1, 2] {
        let streams = run_engine(&b.plan(), &[], threads, 1).expect("run");
        let mut at2: Vec<_> = streams[0].iter().filter(|(t, _)| *t == 2).flat_map(|(_, u)| u.clone()).collect();
        at2.sort();
        let mut want = vec![
            (gen::id(0), r(1, 1, 1), -1),
            (gen::id(0), r(1, 1, 5), 1),
            (gen::id(1), r(5, 5, 5), -1),
            (gen::id(1), r(5, 1, 5), 1),
            (gen::id(3), r(3, 1, 5), 1),
        ];
        want.sort();
        assert_eq!(at2, want, "{threads} worker(s)");
    }
}

//! `Sort` against the reference: keys with ties, None and errors, with and without instances,
//! rows inserted between and removed from their neighbours, and its error log.

use proptest::prelude::*;
use towpath_core::{Row, Time, Value};
use towpath_plan::{BinaryOp, Expr, NodeKind, StaticRow};

use crate::common::gen::{self, Dom, Steps};
use crate::common::{bin, check, col, config, lit, run_engine, PlanBuilder};

/// Input columns: k (int or None, few values: ties), i (int), m (mixed types, errors included).
const COLUMNS: [Dom; 3] = [Dom::Int(4, true), Dom::Int(6, false), Dom::Mixed];

fn sort(b: &mut PlanBuilder, input: usize, key: Expr, instance: Option<Expr>) -> usize {
    b.add(NodeKind::Sort { input, key, instance })
}

fn plan(steps: &Steps, end: bool) -> PlanBuilder {
    let mut b = PlanBuilder::default();
    let t = b.table(COLUMNS.len(), gen::rows(steps, &gen::times(steps.len(), end), 0));
    let s = sort(&mut b, t, col(1), None);
    b.output(s, "by i");
    let s = sort(&mut b, t, col(0), None);
    b.output(s, "by k (ties, None)");
    let s = sort(&mut b, t, col(2), Some(col(0)));
    b.output(s, "by mixed, instance k");
    let s = sort(&mut b, t, col(1), Some(bin(BinaryOp::Mod, col(1), lit(2i64))));
    b.output(s, "by i, instance i % 2");
    let failing = bin(BinaryOp::FloorDiv, col(1), col(0));
    let s = sort(&mut b, t, failing.clone(), None);
    b.output(s, "by i // k (division errors)");
    let s = sort(&mut b, t, col(1), Some(failing));
    b.output(s, "by i, instance i // k");
    let s = sort(&mut b, t, Expr::Id, None);
    b.output(s, "by id");
    let log = b.add(NodeKind::ErrorLog);
    b.output(log, "error log");
    b
}

proptest! {
    #![proptest_config(config(48, "proptest-regressions/sort.txt"))]

    /// prev/next at every time, with 1, 2 and 4 workers.
    #[test]
    fn sort_matches_reference(steps in gen::steps(COLUMNS.to_vec(), 8, 6, 6), end in any::<bool>()) {
        if let Err(e) = check(&plan(&steps, end), &[]) {
            prop_assert!(false, "{}", e);
        }
    }
}

proptest! {
    #![proptest_config(config(16, "proptest-regressions/sort.txt"))]

    /// Many rows in one instance, single rows coming and going in the middle.
    #[test]
    fn long_chains_match_reference(steps in gen::steps_in(COLUMNS.to_vec(), 40, 3..=6, 25)) {
        let mut b = PlanBuilder::default();
        let t = b.table(COLUMNS.len(), gen::rows(&steps, &gen::times(steps.len(), false), 0));
        let s = sort(&mut b, t, col(1), None);
        b.output(s, "by i");
        let s = sort(&mut b, t, col(2), Some(col(0)));
        b.output(s, "by mixed, instance k");
        if let Err(e) = check(&b, &[]) {
            prop_assert!(false, "{}", e);
        }
    }
}

/// A row inserted between two others changes exactly their links, at its time, and nothing
/// else is emitted.
#[test]
fn an_insertion_relinks_only_its_neighbours() {
    let row = |n: i64, k: i64, time: Time| StaticRow { id: gen::id(n), values: vec![Value::Int(k)], time, diff: 1 };
    let mut b = PlanBuilder::default();
    let t = b.table(1, vec![row(0, 10, 0), row(1, 30, 0), row(2, 40, 0), row(3, 20, 2)]);
    let s = sort(&mut b, t, col(0), None);
    b.output(s, "sorted");
    let p = |n: i64| Value::Pointer(gen::id(n));
    let r = |prev: Value, next: Value| Row::from(vec![prev, next]);
    for threads in [1, 2] {
        let streams = run_engine(&b.plan(), &[], threads, 1).expect("run");
        let mut at2: Vec<_> = streams[0].iter().filter(|(t, _)| *t == 2).flat_map(|(_, u)| u.clone()).collect();
        at2.sort();
        let mut want = vec![
            (gen::id(0), r(Value::None, p(1)), -1),
            (gen::id(0), r(Value::None, p(3)), 1),
            (gen::id(1), r(p(0), p(2)), -1),
            (gen::id(1), r(p(3), p(2)), 1),
            (gen::id(3), r(p(0), p(1)), 1),
        ];
        want.sort();
        assert_eq!(at2, want, "{threads} worker(s)");
    }
}

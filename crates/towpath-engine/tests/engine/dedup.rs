//! `Deduplicate` against the reference (which replays the insertions time by time): expression
//! and host acceptors (one failing on some values), with and without instances, many candidates
//! per instance in one time, deletions (ignored), and its error log.

use std::sync::Arc;

use proptest::prelude::*;
use towpath_core::{Key, Row, Time, Value};
use towpath_engine::UdfError;
use towpath_plan::{BinaryOp, Expr, NodeKind, StaticRow};

use crate::common::gen::{self, Dom, Steps};
use crate::common::host::Udf;
use crate::common::{bin, check, col, config, lit, run_engine, PlanBuilder};

/// Input columns: v (int with ties, sometimes None), k (instance, sometimes None), m (mixed).
const COLUMNS: [Dom; 3] = [Dom::Int(8, true), Dom::Str(true), Dom::Mixed];

fn dedup(b: &mut PlanBuilder, input: usize, value: Expr, instance: Option<Expr>, acceptor: Expr) -> usize {
    b.add(NodeKind::Deduplicate { input, value, instance, acceptor })
}

/// UDF 0: accepts a new value differing from the old one by at least 2; fails on 5.
fn far_enough() -> Udf {
    Arc::new(|args: &[Value]| match (&args[0], &args[1]) {
        (Value::Int(5), _) => Err(UdfError { message: "five".into(), trace: String::new() }),
        (Value::Int(a), Value::Int(b)) => Ok(Value::Bool((a - b).abs() >= 2)),
        _ => Ok(Value::Bool(false)),
    })
}

fn plan(steps: &Steps, end: bool) -> PlanBuilder {
    let mut b = PlanBuilder::default();
    let t = b.table(COLUMNS.len(), gen::rows(steps, &gen::times(steps.len(), end), 0));
    let greater = bin(BinaryOp::Gt, col(0), col(1));
    let s = dedup(&mut b, t, col(0), None, greater.clone());
    b.output(s, "new > old");
    let s = dedup(&mut b, t, col(0), Some(col(1)), greater);
    b.output(s, "new > old, instance k");
    let s = dedup(&mut b, t, col(0), Some(col(1)), lit(true));
    b.output(s, "always (the last in value order wins), instance k");
    let udf = Expr::Udf { index: 0, args: vec![col(0), col(1)], propagate_none: false, deterministic: true };
    let s = dedup(&mut b, t, col(0), Some(col(2)), udf);
    b.output(s, "host acceptor, instance mixed");
    let failing = bin(BinaryOp::FloorDiv, lit(12i64), col(0));
    let s = dedup(&mut b, t, failing.clone(), Some(failing), bin(BinaryOp::Lt, col(0), col(1)));
    b.output(s, "12 // v as value and instance (division errors)");
    let log = b.add(NodeKind::ErrorLog);
    b.output(log, "error log");
    b
}

proptest! {
    #![proptest_config(config(48, "proptest-regressions/dedup.txt"))]

    /// The accepted row per instance at every time, with 1, 2 and 4 workers.
    #[test]
    fn dedup_matches_reference(steps in gen::steps(COLUMNS.to_vec(), 10, 6, 8), end in any::<bool>()) {
        if let Err(e) = check(&plan(&steps, end), &[far_enough()]) {
            prop_assert!(false, "{}", e);
        }
    }
}

/// Within one time the candidates go by value: with an always-true acceptor the largest value
/// wins, whatever the ids; a deletion of the accepted row changes nothing.
#[test]
fn candidates_of_one_time_go_by_value_and_deletions_are_ignored() {
    let row = |n: i64, v: i64, time: Time, diff: i64| StaticRow { id: gen::id(n), values: vec![Value::Int(v)], time, diff };
    let mut b = PlanBuilder::default();
    let t = b.table(1, vec![row(0, 30, 0, 1), row(1, 10, 0, 1), row(2, 20, 0, 1), row(0, 30, 2, -1), row(3, 1, 4, 1)]);
    let s = dedup(&mut b, t, col(0), None, lit(true));
    b.output(s, "always");
    let id = Key::for_values(&[]);
    let r = |v: i64| Row::from(vec![Value::Int(v)]);
    for threads in [1, 2] {
        let streams = run_engine(&b.plan(), &[], threads, 1).expect("run");
        let got: Vec<_> = streams[0].iter().map(|(t, u)| {
            let mut u = u.clone();
            u.sort();
            (*t, u)
        }).collect();
        let want = vec![(0, vec![(id, r(30), 1)]), (4, vec![(id, r(1), 1), (id, r(30), -1)])];
        assert_eq!(got, want, "{threads} worker(s)");
    }
}

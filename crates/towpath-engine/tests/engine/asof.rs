//! `AsofJoin` against the reference: every kind and direction, ties in time on both sides,
//! left or right rows first at equal times, None/error times and keys, rows whose match moves as
//! other-side rows come and go, and its error log.

use proptest::prelude::*;
use towpath_core::{Row, Time, Value};
use towpath_plan::{AsofDirection, BinaryOp, Expr, JoinKind, NodeKind, StaticRow};

use crate::common::gen::{self, Dom, Steps};
use crate::common::{bin, check, col, config, lit, run_engine, PlanBuilder};

/// Columns of both sides: t (int with ties, sometimes None), k (key, sometimes None), f (float).
const COLUMNS: [Dom; 3] = [Dom::Int(10, true), Dom::Str(true), Dom::Float];

#[allow(clippy::too_many_arguments)]
fn asof(b: &mut PlanBuilder, left: usize, right: usize, times: (Expr, Expr), keys: (Vec<Expr>, Vec<Expr>), kind: JoinKind, direction: AsofDirection, left_first: bool) -> usize {
    let (left_time, right_time) = times;
    let (left_keys, right_keys) = keys;
    b.add(NodeKind::AsofJoin { left, right, left_time, right_time, left_keys, right_keys, kind, direction, left_first })
}

fn plan(left: &Steps, right: &Steps, end: bool) -> PlanBuilder {
    let mut b = PlanBuilder::default();
    let l = b.table(COLUMNS.len(), gen::rows(left, &gen::times(left.len(), end), 0));
    let r = b.table(COLUMNS.len(), gen::rows(right, &gen::times(right.len(), end), 100));
    use AsofDirection::*;
    use JoinKind::*;
    let mut n = 0;
    for kind in [Inner, Left, Right, Outer] {
        for direction in [Backward, Forward, Nearest] {
            // Alternate keys, tie rules and time columns so that every combination is covered
            // across the cases without 24 sinks per plan.
            n += 1;
            let keys = if n % 2 == 0 { (vec![col(1)], vec![col(1)]) } else { (vec![], vec![]) };
            let times = if n % 3 == 0 { (col(2), col(2)) } else { (col(0), col(0)) };
            let s = asof(&mut b, l, r, times, keys.clone(), kind, direction, n % 4 < 2);
            b.output(s, format!("{kind:?} {direction:?} keys={} left_first={}", n % 2 == 0, n % 4 < 2));
            let s = asof(&mut b, l, r, (col(0), col(0)), keys, kind, direction, n % 4 >= 2);
            b.output(s, format!("{kind:?} {direction:?} int times, left_first={}", n % 4 >= 2));
        }
    }
    let failing = bin(BinaryOp::FloorDiv, lit(12i64), col(0));
    let s = asof(&mut b, l, r, (failing.clone(), col(0)), (vec![failing], vec![col(0)]), Outer, Nearest, true);
    b.output(s, "12 // t as left time and key (division errors)");
    let log = b.add(NodeKind::ErrorLog);
    b.output(log, "error log");
    b
}

proptest! {
    #![proptest_config(config(32, "proptest-regressions/asof.txt"))]

    /// Every pairing at every time, with 1, 2 and 4 workers.
    #[test]
    fn asof_matches_reference(
        left in gen::steps(COLUMNS.to_vec(), 8, 6, 5),
        right in gen::steps(COLUMNS.to_vec(), 8, 6, 5),
        end in any::<bool>(),
    ) {
        if let Err(e) = check(&plan(&left, &right, end), &[]) {
            prop_assert!(false, "{}", e);
        }
    }
}

/// A right row inserted between two left rows' old matches re-pairs exactly the left rows that
/// now see it, at its time.
#[test]
fn an_insertion_rematches_only_the_rows_it_is_nearest_to() {
    let row = |n: i64, t: i64, time: Time| StaticRow { id: gen::id(n), values: vec![Value::Int(t)], time, diff: 1 };
    let mut b = PlanBuilder::default();
    let l = b.table(1, vec![row(0, 1, 0), row(1, 5, 0), row(2, 9, 0)]);
    let r = b.table(1, vec![row(10, 0, 0), row(11, 6, 2)]);
    let s = asof(&mut b, l, r, (col(0), col(0)), (vec![], vec![]), JoinKind::Left, AsofDirection::Backward, false);
    b.output(s, "backward");
    let p = |n: i64| Value::Pointer(gen::id(n));
    let key = |n: i64| towpath_core::Key::for_values(&[p(n), Value::None]);
    let out = |l: i64, lt: i64, r: i64, rt: i64| Row::from(vec![Value::Int(lt), Value::Int(rt), p(l), p(r)]);
    for threads in [1, 2] {
        let streams = run_engine(&b.plan(), &[], threads, 1).expect("run");
        let mut at2: Vec<_> = streams[0].iter().filter(|(t, _)| *t == 2).flat_map(|(_, u)| u.clone()).collect();
        at2.sort();
        let mut want = vec![(key(2), out(2, 9, 10, 0), -1), (key(2), out(2, 9, 11, 6), 1)];
        want.sort();
        assert_eq!(at2, want, "{threads} worker(s)");
    }
}

//! `Join` against the reference: every kind × id scheme, single and multi-column keys, None
//! keys, keys computed by expressions.

use proptest::prelude::*;
use towpath_plan::{BinaryOp, JoinId, JoinKind, NodeKind};

use crate::common::gen::{self, Dom, Steps};
use crate::common::{bin, check, col, config, lit, PlanBuilder};

/// Both sides: k (int or None), s (str or None), a payload int.
const COLUMNS: [Dom; 3] = [Dom::Int(3, true), Dom::Str(true), Dom::Int(4, false)];
const KINDS: [JoinKind; 4] = [JoinKind::Inner, JoinKind::Left, JoinKind::Right, JoinKind::Outer];

fn plan(left: &Steps, right: &Steps) -> PlanBuilder {
    let mut b = PlanBuilder::default();
    let l = b.table(3, gen::rows(left, &gen::times(left.len(), false), 0));
    let r = b.table(3, gen::rows(right, &gen::times(right.len(), false), 100));
    for kind in KINDS {
        for id in [JoinId::Hash, JoinId::Left, JoinId::Right] {
            let j = b.add(NodeKind::Join { left: l, right: r, left_keys: vec![col(0)], right_keys: vec![col(0)], kind, id });
            b.output(j, format!("{kind:?} join on k, id {id:?}"));
        }
        let (left_keys, right_keys) = (vec![col(0), col(1)], vec![col(0), col(1)]);
        let j = b.add(NodeKind::Join { left: l, right: r, left_keys, right_keys, kind, id: JoinId::Hash });
        b.output(j, format!("{kind:?} join on (k, s)"));
    }
    let left_keys = vec![bin(BinaryOp::Add, col(0), lit(1i64))];
    let j = b.add(NodeKind::Join { left: l, right: r, left_keys, right_keys: vec![col(2)], kind: JoinKind::Outer, id: JoinId::Hash });
    b.output(j, "outer join on k + 1 == payload");
    let left_keys = vec![bin(BinaryOp::FloorDiv, col(2), col(0))];
    let j = b.add(NodeKind::Join { left: l, right: r, left_keys, right_keys: vec![col(0)], kind: JoinKind::Left, id: JoinId::Hash });
    b.output(j, "left join on payload // k (division errors)");
    let log = b.add(NodeKind::ErrorLog);
    b.output(log, "error log");
    b
}

proptest! {
    #![proptest_config(config(48, "proptest-regressions/join.txt"))]

    /// Every join kind and id scheme, at every time, with 1, 2 and 4 workers.
    #[test]
    fn join_matches_reference(
        left in gen::steps(COLUMNS.to_vec(), 6, 5, 5),
        right in gen::steps(COLUMNS.to_vec(), 6, 5, 5),
    ) {
        if let Err(e) = check(&plan(&left, &right), &[]) {
            prop_assert!(false, "{}", e);
        }
    }
}

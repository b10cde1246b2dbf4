//! `AsofNowJoin` against the reference (which replays the left insertions and deletions time by
//! time against the right table of their time): inner and left, every id scheme, None keys,
//! computed keys with errors; right rows changing after the left rows arrived.

use proptest::prelude::*;
use towpath_plan::{BinaryOp, JoinId, JoinKind, NodeKind};

use crate::common::gen::{self, Dom, Steps};
use crate::common::{bin, check, col, config, lit, PlanBuilder};

/// Both sides: k (int or None), s (str or None), a payload int.
const COLUMNS: [Dom; 3] = [Dom::Int(3, true), Dom::Str(true), Dom::Int(4, false)];

fn plan(left: &Steps, right: &Steps) -> PlanBuilder {
    let mut b = PlanBuilder::default();
    let l = b.table(3, gen::rows(left, &gen::times(left.len(), false), 0));
    let r = b.table(3, gen::rows(right, &gen::times(right.len(), false), 100));
    for kind in [JoinKind::Inner, JoinKind::Left] {
        for id in [JoinId::Hash, JoinId::Left] {
            let node = NodeKind::AsofNowJoin { left: l, right: r, left_keys: vec![col(0)], right_keys: vec![col(0)], kind, id };
            let j = b.add(node);
            b.output(j, format!("{kind:?} asof_now join on k, id {id:?}"));
        }
    }
    let (left_keys, right_keys) = (vec![col(0), col(1)], vec![col(0), col(1)]);
    let j = b.add(NodeKind::AsofNowJoin { left: l, right: r, left_keys, right_keys, kind: JoinKind::Left, id: JoinId::Hash });
    b.output(j, "left asof_now join on (k, s)");
    let left_keys = vec![bin(BinaryOp::FloorDiv, col(2), col(0))];
    let j = b.add(NodeKind::AsofNowJoin { left: l, right: r, left_keys, right_keys: vec![col(0)], kind: JoinKind::Left, id: JoinId::Hash });
    b.output(j, "left asof_now join on payload // k (division errors)");
    let left_keys = vec![bin(BinaryOp::Add, col(0), lit(0i64))];
    let j = b.add(NodeKind::AsofNowJoin { left: l, right: r, left_keys, right_keys: vec![col(0)], kind: JoinKind::Inner, id: JoinId::Hash });
    b.output(j, "inner asof_now join on k + 0");
    let log = b.add(NodeKind::ErrorLog);
    b.output(log, "error log");
    b
}

proptest! {
    #![proptest_config(config(48, "proptest-regressions/asof_now.txt"))]

    /// Every kind and id scheme, at every time, with 1, 2 and 4 workers.
    #[test]
    fn asof_now_join_matches_reference(
        left in gen::steps(COLUMNS.to_vec(), 6, 5, 5),
        right in gen::steps(COLUMNS.to_vec(), 6, 5, 5),
    ) {
        if let Err(e) = check(&plan(&left, &right), &[]) {
            prop_assert!(false, "{}", e);
        }
    }
}

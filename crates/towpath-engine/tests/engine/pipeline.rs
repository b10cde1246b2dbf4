//! Composed pipelines against the reference: joins feeding groupbys feeding further operators.

use proptest::prelude::*;
use towpath_plan::{BinaryOp, GroupId, JoinId, JoinKind, NodeKind, Reducer, ReducerKind};

use crate::common::gen::{self, Dom, Steps};
use crate::common::{bin, check, col, config, lit, PlanBuilder};

fn r(kind: ReducerKind, arg: Option<usize>) -> Reducer {
    Reducer { kind, args: arg.map(col).into_iter().collect() }
}

/// L: (k, v), R: (k, w). Join output columns: L.k, L.v, R.k, R.w, L.id, R.id.
fn plan(left: &Steps, right: &Steps) -> PlanBuilder {
    let mut b = PlanBuilder::default();
    let l = b.table(2, gen::rows(left, &gen::times(left.len(), false), 0));
    let rt = b.table(2, gen::rows(right, &gen::times(right.len(), false), 100));
    let j = b.add(NodeKind::Join {
        left: l,
        right: rt,
        left_keys: vec![col(0)],
        right_keys: vec![col(0)],
        kind: JoinKind::Inner,
        id: JoinId::Hash,
    });
    let reducers = vec![r(ReducerKind::Count, None), r(ReducerKind::Sum, Some(3)), r(ReducerKind::Tuple { skip_nones: false }, Some(5))];
    let g = b.add(NodeKind::GroupBy { input: j, keys: vec![col(1)], reducers, id: GroupId::Hash });
    b.output(g, "join, then groupby v");
    let f = b.add(NodeKind::Filter { input: g, predicate: bin(BinaryOp::Gt, col(1), lit(1i64)) });
    b.output(f, "groups with count > 1");
    let h = b.add(NodeKind::GroupBy { input: g, keys: vec![], reducers: vec![r(ReducerKind::Count, None), r(ReducerKind::Sum, Some(1))], id: GroupId::Hash });
    b.output(h, "groupby of a groupby");
    let s = b.add(NodeKind::Select { input: g, exprs: vec![col(0), bin(BinaryOp::Mul, col(1), lit(2i64))] });
    b.output(s, "select over a groupby");
    let o = b.add(NodeKind::Join {
        left: l,
        right: rt,
        left_keys: vec![col(0)],
        right_keys: vec![col(0)],
        kind: JoinKind::Outer,
        id: JoinId::Hash,
    });
    let reducers = vec![r(ReducerKind::Count, None), r(ReducerKind::SortedTuple { skip_nones: false }, Some(3)), r(ReducerKind::Latest, Some(1))];
    let og = b.add(NodeKind::GroupBy { input: o, keys: vec![col(0)], reducers, id: GroupId::Hash });
    b.output(og, "outer join, then groupby L.k");
    let back = b.add(NodeKind::Join {
        left: og,
        right: l,
        left_keys: vec![col(0)],
        right_keys: vec![col(0)],
        kind: JoinKind::Left,
        id: JoinId::Right,
    });
    b.output(back, "groupby joined back to L");
    // Ids that collide (one id, several rows) and rows that repeat, fed into a groupby.
    let ri = b.add(NodeKind::Reindex { input: l, id: towpath_plan::Expr::PointerFrom(vec![col(1)]) });
    let sel = b.add(NodeKind::Select { input: ri, exprs: vec![col(1)] });
    let reducers = vec![
        r(ReducerKind::Count, None),
        r(ReducerKind::Tuple { skip_nones: false }, Some(0)),
        r(ReducerKind::Earliest, Some(0)),
        r(ReducerKind::ArgMin, Some(0)),
    ];
    let dg = b.add(NodeKind::GroupBy { input: sel, keys: vec![], reducers, id: GroupId::Hash });
    b.output(dg, "groupby over colliding ids and repeated rows");
    b
}

proptest! {
    #![proptest_config(config(48, "proptest-regressions/pipeline.txt"))]

    /// A join + groupby pipeline, at every time, with 1, 2 and 4 workers.
    #[test]
    fn pipeline_matches_reference(
        left in gen::steps(vec![Dom::Int(3, true), Dom::Int(3, false)], 6, 5, 5),
        right in gen::steps(vec![Dom::Int(3, true), Dom::Float], 6, 5, 5),
    ) {
        if let Err(e) = check(&plan(&left, &right), &[]) {
            prop_assert!(false, "{}", e);
        }
    }
}

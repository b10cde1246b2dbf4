//! `GroupBy` against the reference: every reducer alone and all together, several key shapes.

use proptest::prelude::*;
use towpath_plan::{BinaryOp, Expr, GroupId, NodeId, NodeKind, Reducer, ReducerKind};

use crate::common::gen::{self, Dom, Steps};
use crate::common::{bin, check, col, config, lit, PlanBuilder};

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
    let log = b.add(NodeKind::ErrorLog);
    b.output(log, "error log");
    b
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

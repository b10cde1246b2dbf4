//! Id-based operators against the reference: `update_rows`, `update_cells`, `intersect`,
//! `difference`, `concat`, `concat_reindex`.

use proptest::prelude::*;
use towpath_plan::{BinaryOp, NodeKind};

use crate::common::gen::{self, Dom, Steps};
use crate::common::{bin, check, col, config, lit, PlanBuilder};

const PAIR: [Dom; 2] = [Dom::Int(3, false), Dom::Str(false)];

/// A, B and C share ids (`id(0..6)`); D's ids are disjoint from A's.
fn plan(a: &Steps, b_steps: &Steps, c: &Steps, d: &Steps) -> PlanBuilder {
    let mut b = PlanBuilder::default();
    let ta = b.table(2, gen::rows(a, &gen::times(a.len(), false), 0));
    let tb = b.table(2, gen::rows(b_steps, &gen::times(b_steps.len(), false), 0));
    let tc = b.table(1, gen::rows(c, &gen::times(c.len(), false), 0));
    let td = b.table(2, gen::rows(d, &gen::times(d.len(), false), 100));
    let n = b.add(NodeKind::UpdateRows { base: ta, updates: tb });
    b.output(n, "update_rows(A, B)");
    let n = b.add(NodeKind::UpdateCells { base: ta, updates: tc, columns: vec![Some(0), None] });
    b.output(n, "update_cells(A, C)");
    let n = b.add(NodeKind::UpdateCells { base: ta, updates: tb, columns: vec![None, Some(1)] });
    b.output(n, "update_cells(A, B.s)");
    let n = b.add(NodeKind::Intersect { input: ta, others: vec![tb] });
    b.output(n, "intersect(A, B)");
    let n = b.add(NodeKind::Intersect { input: ta, others: vec![tb, tc] });
    b.output(n, "intersect(A, B, C)");
    let n = b.add(NodeKind::Difference { input: ta, other: tb });
    b.output(n, "difference(A, B)");
    let n = b.add(NodeKind::Concat { inputs: vec![ta, td] });
    b.output(n, "concat(A, D)");
    let even = bin(BinaryOp::Eq, bin(BinaryOp::Mod, col(0), lit(2i64)), lit(0i64));
    let odd = bin(BinaryOp::Ne, bin(BinaryOp::Mod, col(0), lit(2i64)), lit(0i64));
    let fe = b.add(NodeKind::Filter { input: ta, predicate: even });
    let fo = b.add(NodeKind::Filter { input: ta, predicate: odd });
    let n = b.add(NodeKind::Concat { inputs: vec![fe, fo] });
    b.output(n, "concat(A even, A odd)");
    let n = b.add(NodeKind::ConcatReindex { inputs: vec![ta, tb, ta] });
    b.output(n, "concat_reindex(A, B, A)");
    b
}

proptest! {
    #![proptest_config(config(48, "proptest-regressions/sets.txt"))]

    /// Every id-based operator, at every time, with 1, 2 and 4 workers.
    #[test]
    fn id_operators_match_reference(
        a in gen::steps(PAIR.to_vec(), 6, 5, 5),
        b in gen::steps(PAIR.to_vec(), 6, 5, 4),
        c in gen::steps(vec![Dom::Int(3, false)], 6, 5, 4),
        d in gen::steps(PAIR.to_vec(), 4, 4, 3),
    ) {
        if let Err(e) = check(&plan(&a, &b, &c, &d), &[]) {
            prop_assert!(false, "{}", e);
        }
    }
}

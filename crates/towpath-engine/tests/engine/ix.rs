//! `Ix` against the reference: optional and not, missing and None keys, and its error log.

use proptest::prelude::*;
use towpath_plan::{Expr, NodeKind};

use crate::common::gen::{self, Dom, Steps};
use crate::common::{check, col, config, PlanBuilder};

/// Target rows have ids `id(0..5)`; input pointers go to `id(0..7)` (some never exist) or None.
fn plan(target: &Steps, input: &Steps) -> PlanBuilder {
    let mut b = PlanBuilder::default();
    let tg = b.table(2, gen::rows(target, &gen::times(target.len(), false), 0));
    let inp = b.table(2, gen::rows(input, &gen::times(input.len(), false), 50));
    let n = b.add(NodeKind::Ix { input: inp, key: col(0), target: tg, optional: true });
    b.output(n, "ix optional");
    let n = b.add(NodeKind::Ix { input: inp, key: col(0), target: tg, optional: false });
    b.output(n, "ix");
    let n = b.add(NodeKind::Ix { input: tg, key: Expr::Id, target: tg, optional: false });
    b.output(n, "ix of itself by id");
    let n = b.add(NodeKind::ErrorLog);
    b.output(n, "error log");
    b
}

proptest! {
    #![proptest_config(config(48, "proptest-regressions/ix.txt"))]

    /// Lookups by pointer, at every time, with 1, 2 and 4 workers.
    #[test]
    fn ix_matches_reference(
        target in gen::steps(vec![Dom::Int(3, false), Dom::Str(false)], 5, 5, 5),
        input in gen::steps(vec![Dom::Ptr(7, true), Dom::Int(3, false)], 6, 5, 5),
    ) {
        if let Err(e) = check(&plan(&target, &input), &[]) {
            prop_assert!(false, "{}", e);
        }
    }
}

//! Row-by-row operators against the reference: `select` (with row errors and a UDF), `filter`,
//! `reindex`, `flatten`, and the error log they feed.

use std::sync::Arc;

use proptest::prelude::*;
use towpath_core::Value;
use towpath_engine::UdfError;
use towpath_plan::{BinaryOp, Expr, NodeKind};

use crate::common::gen::{self, Dom, Steps};
use crate::common::host::Udf;
use crate::common::{bin, check, col, config, lit, PlanBuilder};

/// Columns: x (int or None), y (int, 0 makes `x // y` fail), f (flatten input).
const COLUMNS: [Dom; 3] = [Dom::Int(4, true), Dom::Int(3, false), Dom::Flat];

/// UDF 0: `10 * x + y`, failing when y is 2.
fn udfs() -> Vec<Udf> {
    vec![Arc::new(|args: &[Value]| match args {
        [_, Value::Int(2)] => Err(UdfError { message: "y is 2".into(), trace: "Traceback: test".into() }),
        [Value::Int(x), Value::Int(y)] => Ok(Value::Int(10 * x + y)),
        other => Ok(Value::from(format!("{other:?}"))),
    })]
}

fn plan(steps: &Steps) -> PlanBuilder {
    let mut b = PlanBuilder::default();
    let t = b.table(3, gen::rows(steps, &gen::times(steps.len(), false), 0));
    let exprs = vec![
        bin(BinaryOp::Add, col(0), col(1)),
        bin(BinaryOp::FloorDiv, col(0), col(1)),
        Expr::IfElse {
            cond: Box::new(bin(BinaryOp::Gt, col(1), lit(0i64))),
            then: Box::new(col(0)),
            otherwise: Box::new(Expr::Unary { op: towpath_plan::UnaryOp::Neg, arg: Box::new(col(1)) }),
        },
        Expr::Udf { index: 0, args: vec![col(0), col(1)], propagate_none: true, deterministic: true },
        Expr::Id,
        col(2),
    ];
    let n = b.add(NodeKind::Select { input: t, exprs });
    b.output(n, "select");
    let even = bin(BinaryOp::Eq, bin(BinaryOp::Mod, col(0), lit(2i64)), lit(0i64));
    let n = b.add(NodeKind::Filter { input: t, predicate: even });
    b.output(n, "filter x % 2 == 0");
    let n = b.add(NodeKind::Reindex { input: t, id: Expr::PointerFrom(vec![col(1), col(0)]) });
    b.output(n, "reindex pointer_from(y, x)");
    let n = b.add(NodeKind::Reindex { input: t, id: col(0) });
    b.output(n, "reindex by an int (errors)");
    let n = b.add(NodeKind::Flatten { input: t, column: 2 });
    b.output(n, "flatten f");
    let n = b.add(NodeKind::ErrorLog);
    b.output(n, "error log");
    b
}

proptest! {
    #![proptest_config(config(48, "proptest-regressions/rowwise.txt"))]

    /// Row-wise operators and the error log, at every time, with 1, 2 and 4 workers.
    #[test]
    fn rowwise_operators_match_reference(steps in gen::steps(COLUMNS.to_vec(), 8, 5, 6)) {
        if let Err(e) = check(&plan(&steps), &udfs()) {
            prop_assert!(false, "{}", e);
        }
    }
}

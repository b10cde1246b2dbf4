//! Host UDF calls: one `call_udf` per batch, for the rows that need a call.

use towpath_core::Value;
use towpath_plan::Expr;

use super::{eval, Batch, Col, ErrorEntry, EvalContext};

/// `Expr::Udf`: evaluates the arguments, then calls the host once with the rows that have no
/// `Error` argument (and, with `propagate_none`, no None argument).
pub(crate) fn call(
    index: usize,
    args: &[Expr],
    propagate_none: bool,
    batch: &Batch,
    ctx: &mut EvalContext,
) -> Col {
    let cols: Vec<Col> = args.iter().map(|a| eval(a, batch, ctx)).collect();
    let n = batch.len();
    let mut out = vec![Value::None; n];
    let mut called = Vec::with_capacity(n);
    let mut arg_rows = Vec::with_capacity(n);
    for (i, slot) in out.iter_mut().enumerate() {
        let row = cols.iter().map(|c| c.get(i));
        if row.clone().any(Value::is_error) {
            *slot = Value::Error;
        } else if propagate_none && row.clone().any(Value::is_none) {
            *slot = Value::None;
        } else {
            called.push(i);
            arg_rows.push(row.cloned().collect::<Vec<_>>());
        }
    }
    if called.is_empty() {
        return Col::Values(out);
    }
    let results = ctx.host.call_udf(index, arg_rows);
    if results.len() != called.len() {
        // A host that breaks the one-result-per-row contract fails the rows, not the engine.
        let message = format!(
            "UDF {index} returned {} results for {} rows",
            results.len(),
            called.len()
        );
        for &i in &called {
            out[i] = Value::Error;
            ctx.fail(batch, i, message.clone());
        }
        return Col::Values(out);
    }
    for (i, result) in called.into_iter().zip(results) {
        out[i] = match result {
            Ok(v) => v,
            Err(e) => {
                ctx.errors.push(ErrorEntry {
                    row: batch.row_index(i),
                    message: e.message,
                    trace: e.trace,
                });
                Value::Error
            }
        };
    }
    Col::Values(out)
}

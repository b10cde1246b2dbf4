//! Expression evaluation over batches of rows (column at a time).
//!
//! CONTRACT (used by the operators): `eval_batch` and `eval_rows` below. Row-level failures never
//! panic: they give `Value::Error` and push an `ErrorEntry` (an `Error` input propagates
//! silently, without a new entry).

use towpath_core::{Key, Row, Value};
use towpath_plan::Expr;

use crate::Host;

/// One row-level failure, for the error log.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorEntry {
    pub message: String,
    /// A UDF's traceback, or empty.
    pub trace: String,
}

/// What evaluation needs besides the rows: the host (for UDFs) and a place for errors.
pub struct EvalContext<'a> {
    pub host: &'a dyn Host,
    pub errors: Vec<ErrorEntry>,
}

impl<'a> EvalContext<'a> {
    /// A context with no errors yet.
    pub fn new(host: &'a dyn Host) -> Self {
        Self { host, errors: Vec::new() }
    }
}

/// Evaluates `expr` for every row of the batch (ids and values), one result per row.
pub fn eval_batch(expr: &Expr, rows: &[(Key, Row)], ctx: &mut EvalContext) -> Vec<Value> {
    let _ = (expr, rows, ctx);
    todo!("eval_batch")
}

/// Evaluates each expression for every row; one output row (one value per expression) per input.
pub fn eval_rows(exprs: &[Expr], rows: &[(Key, Row)], ctx: &mut EvalContext) -> Vec<Row> {
    let columns: Vec<Vec<Value>> = exprs.iter().map(|e| eval_batch(e, rows, ctx)).collect();
    (0..rows.len())
        .map(|i| columns.iter().map(|c| c[i].clone()).collect::<Vec<_>>().into())
        .collect()
}

//! Expression evaluation over batches of rows (column at a time).
//!
//! CONTRACT (used by the operators): `eval_batch` and `eval_rows` below. Row-level failures never
//! panic: they give `Value::Error` and push an `ErrorEntry` (an `Error` input propagates
//! silently, without a new entry).
//!
//! Each node evaluates its children to whole columns first, then combines them in one loop, so
//! the expression tree is walked once per batch, not once per row. Conditional nodes (`IfElse`,
//! `Coalesce`, `Require`, `FillError`) evaluate a branch only on the rows that need it.

mod arith;
mod column;
mod compare;
mod convert;
mod format;
mod functions;
mod tuple_json;
mod udf;

#[cfg(test)]
mod tests;

use towpath_core::{Key, Row, Value};
use towpath_plan::{Expr, UnaryOp};

pub(crate) use column::{Batch, Col};
pub use functions::is_known as is_known_function;

use crate::Host;

/// One row-level failure, for the error log.
#[derive(Clone, Debug, PartialEq)]
pub struct ErrorEntry {
    /// Index, in the evaluated batch, of the row that failed (the operator needs it to give the
    /// error log entry the row's id, time and diff).
    pub row: usize,
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
        Self {
            host,
            errors: Vec::new(),
        }
    }

    /// Records a failure of row `i` of `batch`.
    pub(crate) fn fail(&mut self, batch: &Batch, i: usize, message: String) {
        self.errors.push(ErrorEntry {
            row: batch.row_index(i),
            message,
            trace: String::new(),
        });
    }
}

/// Evaluates `expr` for every row of the batch (ids and values), one result per row.
pub fn eval_batch(expr: &Expr, rows: &[(Key, Row)], ctx: &mut EvalContext) -> Vec<Value> {
    let batch = Batch::all(rows);
    eval(expr, &batch, ctx).into_vec(batch.len())
}

/// Evaluates each expression for every row; one output row (one value per expression) per input.
pub fn eval_rows(exprs: &[Expr], rows: &[(Key, Row)], ctx: &mut EvalContext) -> Vec<Row> {
    let batch = Batch::all(rows);
    // Plain column references (most of a `select`) are read straight from the input rows
    // instead of being copied into an intermediate column first.
    let columns: Vec<Result<usize, Col>> = exprs
        .iter()
        .map(|e| match e {
            Expr::Column(c) if rows.iter().all(|(_, r)| *c < r.len()) => Ok(*c),
            e => Err(eval(e, &batch, ctx)),
        })
        .collect();
    rows.iter()
        .enumerate()
        .map(|(i, (_, row))| {
            columns
                .iter()
                .map(|c| match c {
                    Ok(c) => row[*c].clone(),
                    Err(col) => col.get(i).clone(),
                })
                .collect::<Row>()
        })
        .collect()
}

/// Evaluates `expr` on the rows of `batch`.
pub(crate) fn eval(expr: &Expr, batch: &Batch, ctx: &mut EvalContext) -> Col {
    match expr {
        Expr::Column(i) => batch.column(*i),
        Expr::Id => Col::Values(batch.keys().map(Value::Pointer).collect()),
        Expr::Const(v) => Col::Scalar(v.clone()),
        Expr::Unary { op, arg } => {
            let arg = eval(arg, batch, ctx);
            match op {
                UnaryOp::Neg => column::map1(batch, ctx, &arg, arith::neg),
                UnaryOp::Not => column::map1(batch, ctx, &arg, compare::not),
                UnaryOp::IsNone => column::map1(batch, ctx, &arg, |v| Ok(Value::Bool(v.is_none()))),
                UnaryOp::IsNotNone => {
                    column::map1(batch, ctx, &arg, |v| Ok(Value::Bool(!v.is_none())))
                }
            }
        }
        Expr::Binary { op, left, right } => {
            let l = eval(left, batch, ctx);
            let r = eval(right, batch, ctx);
            let kernel = arith::kernel(*op).unwrap_or_else(|| compare::kernel(*op));
            column::map2(batch, ctx, &l, &r, kernel)
        }
        Expr::IfElse {
            cond,
            then,
            otherwise,
        } => if_else(cond, then, otherwise, batch, ctx),
        Expr::Coalesce(args) => coalesce(args, batch, ctx),
        Expr::Require { value, args } => require(value, args, batch, ctx),
        Expr::Cast { arg, dtype } => {
            let arg = eval(arg, batch, ctx);
            column::map1(batch, ctx, &arg, |v| convert::cast(v, dtype))
        }
        Expr::Convert {
            arg,
            dtype,
            default,
            unwrap,
        } => convert::convert(arg, dtype, default.as_deref(), *unwrap, batch, ctx),
        Expr::Unwrap(arg) => {
            let arg = eval(arg, batch, ctx);
            column::map1(batch, ctx, &arg, |v| match v {
                Value::None => Err("cannot unwrap a None value (pw.unwrap)".to_string()),
                v => Ok(v.clone()),
            })
        }
        Expr::FillError { arg, replacement } => fill_error(arg, replacement, batch, ctx),
        Expr::MakeTuple(args) => tuple_json::make_tuple(args, batch, ctx),
        Expr::Get {
            arg,
            index,
            default,
            checked,
        } => tuple_json::get(arg, index, default.as_deref(), *checked, batch, ctx),
        Expr::PointerFrom(args) => tuple_json::pointer_from(args, batch, ctx),
        Expr::Call { func, args } => functions::call(func, args, batch, ctx),
        Expr::Udf {
            index,
            args,
            propagate_none,
            ..
        } => udf::call(*index, args, *propagate_none, batch, ctx),
    }
}

/// `then` on rows where `cond` is true, `otherwise` where it is false; each branch is evaluated
/// only on its own rows, so its errors (and UDF calls) happen only there.
fn if_else(
    cond: &Expr,
    then: &Expr,
    otherwise: &Expr,
    batch: &Batch,
    ctx: &mut EvalContext,
) -> Col {
    let cond = eval(cond, batch, ctx);
    if let Col::Scalar(c) = &cond {
        return match c {
            Value::Bool(true) => eval(then, batch, ctx),
            Value::Bool(false) => eval(otherwise, batch, ctx),
            Value::Error => Col::Scalar(Value::Error),
            other => column::fail_all(batch, ctx, &not_a_condition(other)),
        };
    }
    let n = batch.len();
    let mut out = vec![Value::Error; n];
    let (mut yes, mut no) = (Vec::new(), Vec::new());
    for i in 0..n {
        match cond.get(i) {
            Value::Bool(true) => yes.push(i),
            Value::Bool(false) => no.push(i),
            Value::Error => {}
            other => ctx.fail(batch, i, not_a_condition(other)),
        }
    }
    if yes.len() == n {
        return eval(then, batch, ctx);
    }
    if no.len() == n {
        return eval(otherwise, batch, ctx);
    }
    for (idx, branch) in [(yes, then), (no, otherwise)] {
        if !idx.is_empty() {
            let sub = batch.subset(&idx);
            eval(branch, &sub, ctx).scatter_into(&idx, &mut out);
        }
    }
    Col::Values(out)
}

fn not_a_condition(v: &Value) -> String {
    format!("if_else condition must be a bool, got {}", v.type_name())
}

/// The first non-None argument; later arguments are evaluated only on rows still None.
fn coalesce(args: &[Expr], batch: &Batch, ctx: &mut EvalContext) -> Col {
    let Some((first, rest)) = args.split_first() else {
        return Col::Scalar(Value::None);
    };
    let mut out = eval(first, batch, ctx).into_vec(batch.len());
    for arg in rest {
        let missing: Vec<usize> = (0..out.len()).filter(|&i| out[i].is_none()).collect();
        if missing.is_empty() {
            break;
        }
        let sub = batch.subset(&missing);
        eval(arg, &sub, ctx).scatter_into(&missing, &mut out);
    }
    Col::Values(out)
}

/// `value` on rows where no `args` value is None (or Error); None (Error) elsewhere.
fn require(value: &Expr, args: &[Expr], batch: &Batch, ctx: &mut EvalContext) -> Col {
    let n = batch.len();
    let mut out = vec![Value::None; n];
    let mut keep = vec![true; n];
    for arg in args {
        let col = eval(arg, batch, ctx);
        for i in 0..n {
            match col.get(i) {
                Value::None if keep[i] => keep[i] = false,
                Value::Error if keep[i] => {
                    keep[i] = false;
                    out[i] = Value::Error;
                }
                _ => {}
            }
        }
    }
    let idx: Vec<usize> = (0..n).filter(|&i| keep[i]).collect();
    if idx.len() == n {
        return eval(value, batch, ctx);
    }
    if !idx.is_empty() {
        eval(value, &batch.subset(&idx), ctx).scatter_into(&idx, &mut out);
    }
    Col::Values(out)
}

/// `arg`, with `replacement` (evaluated only there) where it is an error.
fn fill_error(arg: &Expr, replacement: &Expr, batch: &Batch, ctx: &mut EvalContext) -> Col {
    let col = eval(arg, batch, ctx);
    let failed: Vec<usize> = (0..batch.len())
        .filter(|&i| col.get(i).is_error())
        .collect();
    if failed.is_empty() {
        return col;
    }
    let mut out = col.into_vec(batch.len());
    eval(replacement, &batch.subset(&failed), ctx).scatter_into(&failed, &mut out);
    Col::Values(out)
}

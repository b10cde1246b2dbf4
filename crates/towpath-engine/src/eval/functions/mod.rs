//! The built-in function table for `Expr::Call` (names as in `docs/functions.md`).
//!
//! Every function is a row kernel over its argument values; the table is consulted once per
//! batch and the kernel then runs in one loop over the rows.

mod datetime;
mod numeric;
mod string;
mod timezone;

use towpath_core::Value;
use towpath_plan::Expr;

use super::column::{self, Fallible};
use super::{eval, format, Batch, Col, EvalContext};

/// A row kernel: receives exactly `arity` arguments (missing optional ones are None).
pub(crate) type Kernel = fn(&[&Value]) -> Fallible;

/// One entry of the function table.
#[derive(Clone, Copy)]
pub(crate) struct Func {
    kernel: Kernel,
    /// Number of arguments including the receiver; trailing ones may be omitted.
    arity: usize,
    /// The kernel handles a None receiver itself (otherwise None in gives None out).
    takes_none: bool,
}

/// A function whose None receiver gives None.
pub(crate) const fn func(kernel: Kernel, arity: usize) -> Func {
    Func {
        kernel,
        arity,
        takes_none: false,
    }
}

/// A function that also sees a None receiver.
pub(crate) const fn func_with_none(kernel: Kernel, arity: usize) -> Func {
    Func {
        kernel,
        arity,
        takes_none: true,
    }
}

const MAX_ARITY: usize = 8;

/// The table: `to_string` here, the rest by namespace.
fn lookup(name: &str) -> Option<Func> {
    match name {
        "to_string" => Some(func_with_none(
            |a| Ok(Value::from(format::to_string(a[0]))),
            1,
        )),
        _ => string::lookup(name)
            .or_else(|| datetime::lookup(name))
            .or_else(|| numeric::lookup(name)),
    }
}

/// True when the engine knows function `name` (for plan validation).
pub fn is_known(name: &str) -> bool {
    lookup(name).is_some()
}

/// `Expr::Call`: evaluates the arguments, then runs the kernel row by row.
pub(crate) fn call(name: &str, args: &[Expr], batch: &Batch, ctx: &mut EvalContext) -> Col {
    let Some(f) = lookup(name) else {
        return column::fail_all(batch, ctx, &format!("unknown function {name:?}"));
    };
    if args.is_empty() || args.len() > f.arity {
        let msg = format!(
            "{name} takes 1 to {} arguments, got {}",
            f.arity,
            args.len()
        );
        return column::fail_all(batch, ctx, &msg);
    }
    let cols: Vec<Col> = args.iter().map(|a| eval(a, batch, ctx)).collect();
    let none = Value::None;
    let mut buf: [&Value; MAX_ARITY] = [&none; MAX_ARITY];
    let mut row = |i: usize| -> Option<Fallible> {
        for (slot, c) in buf.iter_mut().zip(&cols) {
            *slot = c.get(i);
        }
        if buf[..cols.len()].iter().any(|v| v.is_error()) {
            return None;
        }
        if buf[0].is_none() && !f.takes_none {
            return Some(Ok(Value::None));
        }
        Some((f.kernel)(&buf[..f.arity]))
    };
    if cols.iter().all(|c| matches!(c, Col::Scalar(_))) {
        return match row(0) {
            None => Col::Scalar(Value::Error),
            Some(Ok(v)) => Col::Scalar(v),
            Some(Err(m)) => column::fail_all(batch, ctx, &m),
        };
    }
    let mut out = Vec::with_capacity(batch.len());
    for i in 0..batch.len() {
        out.push(match row(i) {
            None => Value::Error,
            Some(Ok(v)) => v,
            Some(Err(m)) => {
                ctx.fail(batch, i, m);
                Value::Error
            }
        });
    }
    Col::Values(out)
}

/// "`name`: expected `what`, got `type`".
pub(crate) fn wrong_type(what: &str, v: &Value) -> String {
    format!("expected {what}, got {}", v.type_name())
}

/// A string argument.
pub(crate) fn str_arg(v: &Value) -> Result<&str, String> {
    match v {
        Value::String(s) => Ok(s),
        other => Err(wrong_type("str", other)),
    }
}

/// An optional string argument (None when absent).
pub(crate) fn opt_str_arg(v: &Value) -> Result<Option<&str>, String> {
    match v {
        Value::None => Ok(None),
        other => str_arg(other).map(Some),
    }
}

/// An int argument.
pub(crate) fn int_arg(v: &Value) -> Result<i64, String> {
    match v {
        Value::Int(i) => Ok(*i),
        other => Err(wrong_type("int", other)),
    }
}

/// An optional int argument (None when absent).
pub(crate) fn opt_int_arg(v: &Value) -> Result<Option<i64>, String> {
    match v {
        Value::None => Ok(None),
        other => int_arg(other).map(Some),
    }
}

/// A bool argument; absent means false.
pub(crate) fn flag_arg(v: &Value) -> Result<bool, String> {
    match v {
        Value::None => Ok(false),
        Value::Bool(b) => Ok(*b),
        other => Err(wrong_type("bool", other)),
    }
}

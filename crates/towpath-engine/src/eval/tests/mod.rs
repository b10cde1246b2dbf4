//! Evaluator tests: a closure-backed test `Host` and helpers to evaluate over small batches.

use std::sync::Arc;

use towpath_core::{Key, Row, Time, Value};
use towpath_plan::{BinaryOp, Expr, UnaryOp};

use super::{eval_batch, eval_rows, ErrorEntry, EvalContext};
use crate::{Host, UdfError};

/// A UDF for the test host: one argument row to one result.
type TestUdf = Box<dyn Fn(&[Value]) -> Result<Value, UdfError> + Send + Sync>;

/// Implements UDFs with closures, records every call's batch size; panics on sink calls.
#[derive(Default)]
pub(super) struct TestHost {
    udfs: Vec<TestUdf>,
    calls: std::sync::Mutex<Vec<(usize, usize)>>,
}

impl TestHost {
    pub(super) fn with_udf(
        mut self,
        f: impl Fn(&[Value]) -> Result<Value, UdfError> + Send + Sync + 'static,
    ) -> Self {
        self.udfs.push(Box::new(f));
        self
    }

    /// `(udf index, rows in the call)` for every call so far.
    pub(super) fn calls(&self) -> Vec<(usize, usize)> {
        self.calls.lock().unwrap().clone()
    }
}

impl Host for TestHost {
    fn call_udf(&self, index: usize, rows: Vec<Vec<Value>>) -> Vec<Result<Value, UdfError>> {
        self.calls.lock().unwrap().push((index, rows.len()));
        rows.iter().map(|r| (self.udfs[index])(r)).collect()
    }
    fn on_updates(&self, _: usize, _: Time, _: Vec<(Key, Row, isize)>) -> towpath_core::Result<()> {
        panic!("the evaluator must not call sinks")
    }
    fn on_time_end(&self, _: usize, _: Time) -> towpath_core::Result<()> {
        panic!("the evaluator must not call sinks")
    }
    fn on_end(&self, _: usize) -> towpath_core::Result<()> {
        panic!("the evaluator must not call sinks")
    }
}

/// Rows with ids 0.. from rows of values.
pub(super) fn rows(data: Vec<Vec<Value>>) -> Vec<(Key, Row)> {
    data.into_iter()
        .enumerate()
        .map(|(i, r)| (Key(i as u128), Row::from(r)))
        .collect()
}

/// Evaluates `expr` over `data` with a host without UDFs: results and error entries.
pub(super) fn run(expr: &Expr, data: Vec<Vec<Value>>) -> (Vec<Value>, Vec<ErrorEntry>) {
    run_with(&TestHost::default(), expr, data)
}

/// Evaluates `expr` over `data` with `host`.
pub(super) fn run_with(
    host: &TestHost,
    expr: &Expr,
    data: Vec<Vec<Value>>,
) -> (Vec<Value>, Vec<ErrorEntry>) {
    let mut ctx = EvalContext::new(host);
    let out = eval_batch(expr, &rows(data), &mut ctx);
    (out, ctx.errors)
}

/// Evaluates an expression over no columns, one row: its single value and error messages.
pub(super) fn value_of(expr: &Expr) -> (Value, Vec<String>) {
    let (mut out, errors) = run(expr, vec![vec![]]);
    (
        out.remove(0),
        errors.into_iter().map(|e| e.message).collect(),
    )
}

/// The value, asserting no error was logged.
pub(super) fn ok(expr: &Expr) -> Value {
    let (v, errors) = value_of(expr);
    assert!(
        errors.is_empty(),
        "unexpected errors {errors:?} for {expr:?}"
    );
    v
}

/// Asserts the expression fails with exactly one entry containing `needle`.
pub(super) fn fails(expr: &Expr, needle: &str) {
    let (v, errors) = value_of(expr);
    assert_eq!(v, Value::Error, "{expr:?} should fail");
    assert_eq!(errors.len(), 1, "{expr:?}: {errors:?}");
    assert!(
        errors[0].contains(needle),
        "{expr:?}: {:?} lacks {needle:?}",
        errors[0]
    );
}

pub(super) fn c(v: impl Into<Value>) -> Expr {
    Expr::Const(v.into())
}
pub(super) fn none() -> Expr {
    Expr::Const(Value::None)
}
pub(super) fn col(i: usize) -> Expr {
    Expr::Column(i)
}
pub(super) fn bin(op: BinaryOp, l: Expr, r: Expr) -> Expr {
    Expr::Binary {
        op,
        left: Box::new(l),
        right: Box::new(r),
    }
}
pub(super) fn un(op: UnaryOp, a: Expr) -> Expr {
    Expr::Unary {
        op,
        arg: Box::new(a),
    }
}
pub(super) fn call(func: &str, args: Vec<Expr>) -> Expr {
    Expr::Call {
        func: func.to_string(),
        args,
    }
}
pub(super) fn s(x: &str) -> Value {
    Value::from(x)
}
pub(super) fn tup(items: Vec<Value>) -> Value {
    Value::Tuple(Arc::from(items))
}
pub(super) fn dur(ns: i64) -> Value {
    Value::Duration(ns)
}

#[test]
fn eval_rows_gives_one_row_per_input() {
    let host = TestHost::default();
    let mut ctx = EvalContext::new(&host);
    let data = rows(vec![
        vec![Value::Int(1), s("a")],
        vec![Value::Int(2), s("b")],
    ]);
    let out = eval_rows(
        &[col(1), bin(BinaryOp::Mul, col(0), c(10i64)), Expr::Id],
        &data,
        &mut ctx,
    );
    assert_eq!(out.len(), 2);
    assert_eq!(&*out[1], &[s("b"), Value::Int(20), Value::Pointer(Key(1))]);
    assert!(ctx.errors.is_empty());
}

mod arith;
mod batching;
mod compare;
mod conditional;
mod convert;
mod datetime;
mod string;
mod tuple_json;
mod udf;

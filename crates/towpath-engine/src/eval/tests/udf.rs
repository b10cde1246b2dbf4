//! Host UDFs: one batched call, error and None handling, laziness under `if_else`.

use towpath_core::Value;
use towpath_plan::BinaryOp::*;

use super::*;
use crate::UdfError;

fn udf(args: Vec<Expr>, propagate_none: bool) -> Expr {
    Expr::Udf {
        index: 0,
        args,
        propagate_none,
        deterministic: true,
    }
}

/// A UDF that adds its two int arguments and fails on a negative sum.
fn adder() -> TestHost {
    TestHost::default().with_udf(|args| match (&args[0], &args[1]) {
        (Value::Int(a), Value::Int(b)) if a + b < 0 => Err(UdfError {
            message: "ValueError: negative".into(),
            trace: "Traceback ...".into(),
        }),
        (Value::Int(a), Value::Int(b)) => Ok(Value::Int(a + b)),
        _ => Ok(s("other")),
    })
}

#[test]
fn one_call_per_batch_with_errors_skipped() {
    let host = adder();
    let data = vec![
        vec![Value::Int(1), Value::Int(2)],
        vec![Value::Error, Value::Int(2)],
        vec![Value::Int(-5), Value::Int(2)],
        vec![Value::None, Value::Int(2)],
    ];
    let (out, errors) = run_with(&host, &udf(vec![col(0), col(1)], false), data);
    assert_eq!(
        out,
        vec![Value::Int(3), Value::Error, Value::Error, s("other")]
    );
    assert_eq!(host.calls(), vec![(0, 3)]);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].row, 2);
    assert_eq!(errors[0].message, "ValueError: negative");
    assert_eq!(errors[0].trace, "Traceback ...");
}

#[test]
fn propagate_none_skips_the_call() {
    let host = adder();
    let data = vec![
        vec![Value::None, Value::Int(2)],
        vec![Value::Int(1), Value::Int(1)],
    ];
    let (out, errors) = run_with(&host, &udf(vec![col(0), col(1)], true), data);
    assert_eq!(out, vec![Value::None, Value::Int(2)]);
    assert_eq!(host.calls(), vec![(0, 1)]);
    assert!(errors.is_empty());
}

#[test]
fn no_call_when_no_row_needs_one() {
    let host = adder();
    let (out, _) = run_with(
        &host,
        &udf(vec![col(0), col(0)], true),
        vec![vec![Value::None]],
    );
    assert_eq!(out, vec![Value::None]);
    assert!(host.calls().is_empty());
}

#[test]
fn if_else_calls_the_udf_only_for_its_rows() {
    let host = adder();
    let e = Expr::IfElse {
        cond: Box::new(bin(Gt, col(0), c(0i64))),
        then: Box::new(udf(vec![col(0), c(10i64)], false)),
        otherwise: Box::new(c(0i64)),
    };
    let data = vec![
        vec![Value::Int(1)],
        vec![Value::Int(-1)],
        vec![Value::Int(2)],
        vec![Value::Int(-2)],
    ];
    let (out, _) = run_with(&host, &e, data);
    assert_eq!(
        out,
        vec![Value::Int(11), Value::Int(0), Value::Int(12), Value::Int(0)]
    );
    assert_eq!(host.calls(), vec![(0, 2)]);
}

#[test]
fn failures_inside_a_branch_name_the_input_row() {
    let host = adder();
    let e = Expr::Coalesce(vec![col(1), udf(vec![col(0), c(0i64)], false)]);
    let data = vec![
        vec![Value::Int(1), Value::Int(7)],
        vec![Value::Int(-1), Value::None],
    ];
    let (out, errors) = run_with(&host, &e, data);
    assert_eq!(out, vec![Value::Int(7), Value::Error]);
    assert_eq!(errors.iter().map(|e| e.row).collect::<Vec<_>>(), vec![1]);
}

#[test]
fn a_host_returning_the_wrong_count_fails_the_rows() {
    let host = TestHost::default().with_udf(|_| Ok(Value::None));
    struct Short(TestHost);
    impl Host for Short {
        fn call_udf(&self, _: usize, _: Vec<Vec<Value>>) -> Vec<Result<Value, UdfError>> {
            vec![]
        }
        fn on_updates(
            &self,
            a: usize,
            b: Time,
            c: Vec<(Key, Row, isize)>,
        ) -> towpath_core::Result<()> {
            self.0.on_updates(a, b, c)
        }
        fn on_time_end(&self, a: usize, b: Time) -> towpath_core::Result<()> {
            self.0.on_time_end(a, b)
        }
        fn on_end(&self, a: usize) -> towpath_core::Result<()> {
            self.0.on_end(a)
        }
    }
    let short = Short(host);
    let mut ctx = EvalContext::new(&short);
    let out = eval_batch(
        &udf(vec![col(0)], false),
        &rows(vec![vec![Value::Int(1)]]),
        &mut ctx,
    );
    assert_eq!(out, vec![Value::Error]);
    assert_eq!(ctx.errors.len(), 1);
}

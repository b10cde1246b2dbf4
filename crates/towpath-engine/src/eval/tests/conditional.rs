//! `if_else`, `coalesce`, `require`, `fill_error`, `unwrap`: lazy branches and error rows.

use towpath_core::Value;
use towpath_plan::BinaryOp::*;

use super::*;

fn if_else(cond: Expr, then: Expr, otherwise: Expr) -> Expr {
    Expr::IfElse {
        cond: Box::new(cond),
        then: Box::new(then),
        otherwise: Box::new(otherwise),
    }
}

fn ints(v: &[i64]) -> Vec<Vec<Value>> {
    v.iter().map(|&i| vec![Value::Int(i)]).collect()
}

#[test]
fn if_else_only_counts_errors_of_the_taken_branch() {
    // if_else(x == 0, 0, 10 // x): no division by zero is reported for the zero rows.
    let e = if_else(
        bin(Eq, col(0), c(0i64)),
        c(0i64),
        bin(FloorDiv, c(10i64), col(0)),
    );
    let (out, errors) = run(&e, ints(&[0, 5, 0, -3]));
    assert_eq!(
        out,
        vec![Value::Int(0), Value::Int(2), Value::Int(0), Value::Int(-4)]
    );
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn branch_errors_name_the_original_row() {
    let e = if_else(
        bin(Gt, col(0), c(1i64)),
        bin(FloorDiv, c(10i64), bin(Sub, col(0), c(3i64))),
        c(-1i64),
    );
    let (out, errors) = run(&e, ints(&[0, 3, 5, 3]));
    assert_eq!(
        out,
        vec![Value::Int(-1), Value::Error, Value::Int(5), Value::Error]
    );
    assert_eq!(errors.iter().map(|e| e.row).collect::<Vec<_>>(), vec![1, 3]);
}

#[test]
fn if_else_condition_none_or_error() {
    let e = if_else(col(0), c("yes"), c("no"));
    let data = vec![
        vec![Value::Bool(true)],
        vec![Value::Error],
        vec![Value::None],
        vec![Value::Bool(false)],
    ];
    let (out, errors) = run(&e, data);
    assert_eq!(out, vec![s("yes"), Value::Error, Value::Error, s("no")]);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].row, 2);
    assert_eq!(
        ok(&if_else(c(true), c(1i64), bin(TrueDiv, c(1i64), c(0i64)))),
        Value::Int(1)
    );
}

#[test]
fn coalesce_takes_the_first_non_none() {
    let e = Expr::Coalesce(vec![col(0), col(1), c(-1i64)]);
    let data = vec![
        vec![Value::Int(1), Value::Int(2)],
        vec![Value::None, Value::Int(2)],
        vec![Value::None, Value::None],
        vec![Value::Error, Value::Int(2)],
    ];
    let (out, errors) = run(&e, data);
    assert_eq!(
        out,
        vec![Value::Int(1), Value::Int(2), Value::Int(-1), Value::Error]
    );
    assert!(errors.is_empty());
    assert_eq!(ok(&Expr::Coalesce(vec![none(), none()])), Value::None);
}

#[test]
fn coalesce_does_not_evaluate_later_arguments_where_not_needed() {
    let e = Expr::Coalesce(vec![col(0), bin(TrueDiv, c(1i64), c(0i64))]);
    let (out, errors) = run(&e, vec![vec![Value::Int(3)], vec![Value::None]]);
    assert_eq!(out, vec![Value::Int(3), Value::Error]);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].row, 1);
}

#[test]
fn require_gives_none_when_an_argument_is_none() {
    let e = Expr::Require {
        value: Box::new(bin(FloorDiv, c(10i64), col(0))),
        args: vec![col(0), col(1)],
    };
    let data = vec![
        vec![Value::Int(5), s("x")],
        vec![Value::None, s("x")],
        vec![Value::Int(0), Value::None],
        vec![Value::Int(2), Value::Error],
    ];
    let (out, errors) = run(&e, data);
    assert_eq!(
        out,
        vec![Value::Int(2), Value::None, Value::None, Value::Error]
    );
    assert!(
        errors.is_empty(),
        "value must not be evaluated on required-None rows: {errors:?}"
    );
}

#[test]
fn fill_error_replaces_errors_only() {
    let e = Expr::FillError {
        arg: Box::new(bin(FloorDiv, c(10i64), col(0))),
        replacement: Box::new(col(0)),
    };
    let (out, errors) = run(&e, ints(&[5, 0]));
    assert_eq!(out, vec![Value::Int(2), Value::Int(0)]);
    // The failure is still logged, as Pathway does.
    assert_eq!(errors.len(), 1);
    let (out, _) = run(&e, vec![vec![Value::Error]]);
    assert_eq!(out, vec![Value::Error]);
}

#[test]
fn unwrap_fails_on_none() {
    let e = Expr::Unwrap(Box::new(col(0)));
    let (out, errors) = run(
        &e,
        vec![vec![Value::Int(1)], vec![Value::None], vec![Value::Error]],
    );
    assert_eq!(out, vec![Value::Int(1), Value::Error, Value::Error]);
    assert_eq!(errors.len(), 1);
    assert!(errors[0].message.contains("cannot unwrap a None value"));
    assert_eq!(errors[0].row, 1);
}

#[test]
fn nested_selection_keeps_row_indices() {
    // An if_else inside a coalesce: errors from the inner branch still name input rows.
    let inner = if_else(
        bin(Gt, col(0), c(0i64)),
        bin(FloorDiv, c(1i64), bin(Sub, col(0), c(1i64))),
        none(),
    );
    let e = Expr::Coalesce(vec![col(1), inner]);
    let data = vec![
        vec![Value::Int(1), Value::Int(9)],
        vec![Value::Int(1), Value::None],
        vec![Value::Int(-1), Value::None],
        vec![Value::Int(2), Value::None],
    ];
    let (out, errors) = run(&e, data);
    assert_eq!(
        out,
        vec![Value::Int(9), Value::Error, Value::None, Value::Int(1)]
    );
    assert_eq!(errors.iter().map(|e| e.row).collect::<Vec<_>>(), vec![1]);
}

//! Comparisons and boolean operators.

use towpath_core::Value;
use towpath_plan::BinaryOp::*;
use towpath_plan::UnaryOp;

use super::*;

fn t(b: bool) -> Value {
    Value::Bool(b)
}

#[test]
fn numbers_compare_across_int_and_float() {
    assert_eq!(ok(&bin(Eq, c(1i64), c(1.0))), t(true));
    assert_eq!(ok(&bin(Lt, c(1i64), c(1.5))), t(true));
    assert_eq!(ok(&bin(Ge, c(2.0), c(2i64))), t(true));
    assert_eq!(ok(&bin(Gt, c(-1i64), c(-0.5))), t(false));
    // 2^53 + 1 is not representable as a float: an exact comparison still tells them apart.
    assert_eq!(
        ok(&bin(Eq, c((1i64 << 53) + 1), c((1i64 << 53) as f64))),
        t(false)
    );
    assert_eq!(ok(&bin(Lt, c(i64::MAX), c(9.3e18))), t(true));
    assert_eq!(ok(&bin(Eq, c(f64::NAN), c(f64::NAN))), t(false));
    assert_eq!(ok(&bin(Ne, c(f64::NAN), c(f64::NAN))), t(true));
    assert_eq!(ok(&bin(Lt, c(f64::NAN), c(1.0))), t(false));
}

#[test]
fn same_type_values_compare() {
    assert_eq!(ok(&bin(Lt, c("abc"), c("abd"))), t(true));
    assert_eq!(ok(&bin(Le, c("b"), c("abc"))), t(false));
    let a = Expr::Const(tup(vec![Value::Int(1), s("x")]));
    let b = Expr::Const(tup(vec![Value::Int(1), s("y")]));
    assert_eq!(ok(&bin(Lt, a.clone(), b.clone())), t(true));
    assert_eq!(ok(&bin(Eq, a.clone(), a.clone())), t(true));
    let shorter = Expr::Const(tup(vec![Value::Int(1)]));
    assert_eq!(ok(&bin(Lt, shorter, a)), t(true));
    let naive = |ns| Expr::Const(Value::DateTimeNaive(ns));
    assert_eq!(ok(&bin(Gt, naive(5), naive(3))), t(true));
    assert_eq!(
        ok(&bin(Lt, Expr::Const(dur(-1)), Expr::Const(dur(0)))),
        t(true)
    );
    assert_eq!(ok(&bin(Eq, c(true), c(true))), t(true));
}

#[test]
fn none_equality_and_mismatched_types() {
    assert_eq!(ok(&bin(Eq, none(), none())), t(true));
    assert_eq!(ok(&bin(Eq, none(), c(0i64))), t(false));
    assert_eq!(ok(&bin(Ne, c(1i64), none())), t(true));
    assert_eq!(ok(&bin(Eq, c("1"), c(1i64))), t(false));
    fails(
        &bin(Lt, c("1"), c(1i64)),
        "'<' not supported between str and int",
    );
    fails(&bin(Ge, none(), c(1i64)), "not supported");
}

#[test]
fn boolean_operators() {
    for (a, b) in [(false, false), (false, true), (true, false), (true, true)] {
        assert_eq!(ok(&bin(And, c(a), c(b))), t(a && b));
        assert_eq!(ok(&bin(Or, c(a), c(b))), t(a || b));
        assert_eq!(ok(&bin(Xor, c(a), c(b))), t(a != b));
    }
    assert_eq!(ok(&un(UnaryOp::Not, c(true))), t(false));
    assert_eq!(ok(&un(UnaryOp::Not, c(5i64))), Value::Int(-6));
    assert_eq!(ok(&bin(And, c(6i64), c(3i64))), Value::Int(2));
    fails(
        &bin(And, c(true), c("x")),
        "unsupported operand types for &",
    );
    fails(&un(UnaryOp::Not, c("x")), "unary ~");
}

#[test]
fn is_none_and_is_not_none() {
    let data = vec![vec![Value::None], vec![Value::Int(0)], vec![Value::Error]];
    let (out, errors) = run(&un(UnaryOp::IsNone, col(0)), data.clone());
    assert_eq!(out, vec![t(true), t(false), Value::Error]);
    assert!(errors.is_empty());
    let (out, _) = run(&un(UnaryOp::IsNotNone, col(0)), data);
    assert_eq!(out, vec![t(false), t(true), Value::Error]);
}

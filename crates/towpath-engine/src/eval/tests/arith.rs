//! Arithmetic: Python semantics for numbers, strings, durations and datetimes.

use towpath_core::Value;
use towpath_plan::BinaryOp::*;
use towpath_plan::UnaryOp;

use super::*;

const SEC: i64 = 1_000_000_000;

#[test]
fn int_and_float_arithmetic() {
    assert_eq!(ok(&bin(Add, c(7i64), c(2i64))), Value::Int(9));
    assert_eq!(ok(&bin(Add, c(7i64), c(0.5))), Value::Float(7.5));
    assert_eq!(ok(&bin(Sub, c(0.5), c(2i64))), Value::Float(-1.5));
    assert_eq!(ok(&bin(Mul, c(-3i64), c(4i64))), Value::Int(-12));
    assert_eq!(ok(&bin(TrueDiv, c(7i64), c(2i64))), Value::Float(3.5));
    assert_eq!(ok(&bin(TrueDiv, c(-7i64), c(2i64))), Value::Float(-3.5));
}

#[test]
fn floor_division_and_modulo_follow_python_signs() {
    let cases = [
        (7, 2, 3, 1),
        (-7, 2, -4, 1),
        (7, -2, -4, -1),
        (-7, -2, 3, -1),
        (6, 3, 2, 0),
    ];
    for (a, b, q, r) in cases {
        assert_eq!(
            ok(&bin(FloorDiv, c(a as i64), c(b as i64))),
            Value::Int(q),
            "{a} // {b}"
        );
        assert_eq!(
            ok(&bin(Mod, c(a as i64), c(b as i64))),
            Value::Int(r),
            "{a} % {b}"
        );
    }
    assert_eq!(ok(&bin(Mod, c(-7.5), c(2.0))), Value::Float(0.5));
    assert_eq!(ok(&bin(Mod, c(7.5), c(-2.0))), Value::Float(-0.5));
    assert_eq!(ok(&bin(FloorDiv, c(-7.5), c(2.0))), Value::Float(-4.0));
    assert_eq!(ok(&bin(FloorDiv, c(-7.5), c(-2.0))), Value::Float(3.0));
    assert_eq!(ok(&bin(Mod, c(i64::MIN), c(-1i64))), Value::Int(0));
}

#[test]
fn division_by_zero_is_a_row_error() {
    fails(&bin(TrueDiv, c(1i64), c(0i64)), "division by zero");
    fails(&bin(FloorDiv, c(1i64), c(0i64)), "division by zero");
    fails(&bin(Mod, c(1i64), c(0i64)), "division by zero");
    fails(&bin(TrueDiv, c(1.5), c(0.0)), "division by zero");
    fails(&bin(FloorDiv, c(1.5), c(0i64)), "division by zero");
    fails(&bin(Mod, c(1.5), c(0.0)), "division by zero");
    fails(&bin(FloorDiv, dur_c(5), c(0i64)), "division by zero");
}

#[test]
fn integer_overflow_is_a_row_error() {
    fails(&bin(Add, c(i64::MAX), c(1i64)), "overflow");
    fails(&bin(Sub, c(i64::MIN), c(1i64)), "overflow");
    fails(&bin(Mul, c(i64::MAX), c(2i64)), "overflow");
    fails(&bin(FloorDiv, c(i64::MIN), c(-1i64)), "overflow");
    fails(&bin(Pow, c(2i64), c(64i64)), "overflow");
    fails(&un(UnaryOp::Neg, c(i64::MIN)), "overflow");
}

#[test]
fn powers() {
    assert_eq!(ok(&bin(Pow, c(7i64), c(2i64))), Value::Int(49));
    assert_eq!(ok(&bin(Pow, c(-2i64), c(3i64))), Value::Int(-8));
    assert_eq!(ok(&bin(Pow, c(7i64), c(0i64))), Value::Int(1));
    assert_eq!(ok(&bin(Pow, c(-1i64), c(1i64 << 40))), Value::Int(1));
    assert_eq!(ok(&bin(Pow, c(2.0), c(-1i64))), Value::Float(0.5));
    assert_eq!(ok(&bin(Pow, c(4i64), c(0.5))), Value::Float(2.0));
    fails(&bin(Pow, c(7i64), c(-2i64)), "negative");
    fails(&bin(Pow, c(0.0), c(-1i64)), "negative power");
}

#[test]
fn negation_and_float_specials() {
    assert_eq!(ok(&un(UnaryOp::Neg, c(3i64))), Value::Int(-3));
    assert_eq!(ok(&un(UnaryOp::Neg, c(0.5))), Value::Float(-0.5));
    assert_eq!(ok(&un(UnaryOp::Neg, dur_c(5))), dur(-5));
    fails(&un(UnaryOp::Neg, c("x")), "unary -");
    assert_eq!(ok(&bin(Mul, c(f64::INFINITY), c(0.0))).type_name(), "float");
}

#[test]
fn strings_concatenate_and_repeat() {
    assert_eq!(ok(&bin(Add, c("ab"), c("cd"))), s("abcd"));
    assert_eq!(ok(&bin(Mul, c("ab"), c(3i64))), s("ababab"));
    assert_eq!(ok(&bin(Mul, c(2i64), c("é"))), s("éé"));
    assert_eq!(ok(&bin(Mul, c("ab"), c(-1i64))), s(""));
    fails(
        &bin(Add, c("ab"), c(1i64)),
        "unsupported operand types for +: str and int",
    );
}

#[test]
fn tuples_concatenate() {
    let t = |v: Vec<Value>| Expr::Const(tup(v));
    assert_eq!(
        ok(&bin(Add, t(vec![Value::Int(1)]), t(vec![s("a")]))),
        tup(vec![Value::Int(1), s("a")])
    );
}

fn dur_c(ns: i64) -> Expr {
    Expr::Const(dur(ns))
}

#[test]
fn duration_arithmetic() {
    assert_eq!(ok(&bin(Add, dur_c(SEC), dur_c(2 * SEC))), dur(3 * SEC));
    assert_eq!(ok(&bin(Sub, dur_c(SEC), dur_c(2 * SEC))), dur(-SEC));
    assert_eq!(ok(&bin(Mul, dur_c(SEC), c(3i64))), dur(3 * SEC));
    assert_eq!(ok(&bin(Mul, c(-2i64), dur_c(SEC))), dur(-2 * SEC));
    assert_eq!(
        ok(&bin(Mul, dur_c(3_599_500_000_000), c(1.5))),
        dur(5_399_250_000_000)
    );
    assert_eq!(
        ok(&bin(TrueDiv, dur_c(3 * SEC), dur_c(2 * SEC))),
        Value::Float(1.5)
    );
    assert_eq!(
        ok(&bin(FloorDiv, dur_c(-3 * SEC), dur_c(2 * SEC))),
        Value::Int(-2)
    );
    assert_eq!(ok(&bin(Mod, dur_c(-3 * SEC), dur_c(2 * SEC))), dur(SEC));
    // Observed in Pathway: Duration // int floors, Duration / number truncates toward zero.
    assert_eq!(ok(&bin(FloorDiv, dur_c(-5), c(3i64))), dur(-2));
    assert_eq!(ok(&bin(TrueDiv, dur_c(-5), c(3i64))), dur(-1));
    assert_eq!(ok(&bin(TrueDiv, dur_c(7), c(2.0))), dur(3));
    fails(&bin(TrueDiv, dur_c(1), dur_c(0)), "division by zero");
    fails(&bin(Mul, dur_c(i64::MAX), c(2i64)), "overflow");
    fails(&bin(Add, dur_c(1), c(1i64)), "unsupported");
}

#[test]
fn datetime_arithmetic_keeps_the_kind() {
    let naive = |ns| Expr::Const(Value::DateTimeNaive(ns));
    let utc = |ns| Expr::Const(Value::DateTimeUtc(ns));
    assert_eq!(ok(&bin(Sub, naive(5 * SEC), naive(2 * SEC))), dur(3 * SEC));
    assert_eq!(ok(&bin(Sub, utc(5 * SEC), utc(7 * SEC))), dur(-2 * SEC));
    assert_eq!(ok(&bin(Add, naive(5), dur_c(2))), Value::DateTimeNaive(7));
    assert_eq!(ok(&bin(Add, dur_c(2), utc(5))), Value::DateTimeUtc(7));
    assert_eq!(ok(&bin(Sub, utc(5), dur_c(2))), Value::DateTimeUtc(3));
    fails(
        &bin(Sub, naive(5), utc(2)),
        "unsupported operand types for -: DateTimeNaive and DateTimeUtc",
    );
    fails(&bin(Add, naive(5), naive(2)), "unsupported");
}

#[test]
fn errors_propagate_silently_and_columns_mix_with_constants() {
    let data = vec![
        vec![Value::Int(4)],
        vec![Value::Error],
        vec![Value::Int(0)],
        vec![Value::None],
    ];
    let (out, errors) = run(&bin(FloorDiv, c(8i64), col(0)), data);
    assert_eq!(
        out,
        vec![Value::Int(2), Value::Error, Value::Error, Value::Error]
    );
    // One entry for the zero divisor (row 2) and one for None (row 3); none for the Error input.
    assert_eq!(errors.iter().map(|e| e.row).collect::<Vec<_>>(), vec![2, 3]);
    assert_eq!(errors[0].message, "division by zero");
    assert!(errors[1].message.contains("int and None"));
}

#[test]
fn a_failing_constant_expression_logs_one_entry_per_row() {
    let (out, errors) = run(
        &bin(TrueDiv, c(1i64), c(0i64)),
        vec![vec![], vec![], vec![]],
    );
    assert_eq!(out, vec![Value::Error; 3]);
    assert_eq!(
        errors.iter().map(|e| e.row).collect::<Vec<_>>(),
        vec![0, 1, 2]
    );
}

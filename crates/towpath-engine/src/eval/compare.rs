//! Comparisons (`==`, `<`...) and boolean operators (`&`, `|`, `^`, `~`).

use std::cmp::Ordering;

use towpath_core::Value;
use towpath_plan::BinaryOp;

use super::arith::Kernel;
use super::column::Fallible;

/// The kernel for a comparison or boolean operator (arithmetic operators are in `arith`).
pub(crate) fn kernel(op: BinaryOp) -> Kernel {
    match op {
        BinaryOp::Eq => |a, b| Ok(Value::Bool(equal(a, b))),
        BinaryOp::Ne => |a, b| Ok(Value::Bool(!equal(a, b))),
        BinaryOp::Lt => |a, b| order(a, b, "<").map(|o| Value::Bool(o == Some(Ordering::Less))),
        BinaryOp::Le => |a, b| {
            order(a, b, "<=")
                .map(|o| Value::Bool(matches!(o, Some(Ordering::Less | Ordering::Equal))))
        },
        BinaryOp::Gt => |a, b| order(a, b, ">").map(|o| Value::Bool(o == Some(Ordering::Greater))),
        BinaryOp::Ge => |a, b| {
            order(a, b, ">=")
                .map(|o| Value::Bool(matches!(o, Some(Ordering::Greater | Ordering::Equal))))
        },
        BinaryOp::And => |a, b| logic(a, b, "&", |x, y| x & y, |x, y| x & y),
        BinaryOp::Or => |a, b| logic(a, b, "|", |x, y| x | y, |x, y| x | y),
        BinaryOp::Xor => |a, b| logic(a, b, "^", |x, y| x ^ y, |x, y| x ^ y),
        _ => unreachable!("arithmetic operators are handled by arith::kernel"),
    }
}

/// Exact comparison of an int with a float (no rounding of large ints); `None` for NaN.
fn int_float(i: i64, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    // 2^63 is exactly representable; every float at or beyond it is outside the i64 range.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    if f >= LIMIT {
        return Some(Ordering::Less);
    }
    if f < -LIMIT {
        return Some(Ordering::Greater);
    }
    let t = f.trunc();
    Some(
        (i).cmp(&(t as i64))
            .then(0.0_f64.partial_cmp(&(f - t)).expect("finite")),
    )
}

/// Python-like ordering: numbers across int/float, same-type values otherwise; `None` inside
/// `Ok` means unordered (NaN).
fn order(a: &Value, b: &Value, op: &str) -> Result<Option<Ordering>, String> {
    use Value::*;
    Ok(match (a, b) {
        (Float(x), Float(y)) => x.partial_cmp(y),
        (Int(x), Float(y)) => int_float(*x, *y),
        (Float(x), Int(y)) => int_float(*y, *x).map(Ordering::reverse),
        (Tuple(x), Tuple(y)) => return tuple_order(x, y, op),
        (None, _) | (_, None) => {
            return Err(format!(
                "'{op}' not supported between {} and {}",
                a.type_name(),
                b.type_name()
            ))
        }
        _ if std::mem::discriminant(a) == std::mem::discriminant(b) => Some(a.cmp(b)),
        _ => {
            return Err(format!(
                "'{op}' not supported between {} and {}",
                a.type_name(),
                b.type_name()
            ))
        }
    })
}

/// Lexicographic, element by element with `order` (so `(1, 2.5) < (1, 3)` works).
fn tuple_order(x: &[Value], y: &[Value], op: &str) -> Result<Option<Ordering>, String> {
    for (a, b) in x.iter().zip(y) {
        if equal(a, b) {
            continue;
        }
        // Python compares None elements only for equality; equal ones were skipped above.
        return order(a, b, op);
    }
    Ok(Some(x.len().cmp(&y.len())))
}

/// Python `==`: numbers across int/float (NaN unequal to itself), tuples element-wise,
/// `None == None`, different types unequal.
pub(crate) fn equal(a: &Value, b: &Value) -> bool {
    use Value::*;
    match (a, b) {
        (Float(x), Float(y)) => x == y,
        (Int(x), Float(y)) | (Float(y), Int(x)) => int_float(*x, *y) == Some(Ordering::Equal),
        (Tuple(x), Tuple(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(a, b)| equal(a, b))
        }
        _ => a == b,
    }
}

fn logic(
    a: &Value,
    b: &Value,
    op: &str,
    on_bool: fn(bool, bool) -> bool,
    on_int: fn(i64, i64) -> i64,
) -> Fallible {
    match (a, b) {
        (Value::Bool(x), Value::Bool(y)) => Ok(Value::Bool(on_bool(*x, *y))),
        (Value::Int(x), Value::Int(y)) => Ok(Value::Int(on_int(*x, *y))),
        _ => Err(format!(
            "unsupported operand types for {op}: {} and {}",
            a.type_name(),
            b.type_name()
        )),
    }
}

/// `~a`: boolean not, or bitwise not on ints (as in Python).
pub(crate) fn not(a: &Value) -> Fallible {
    match a {
        Value::Bool(x) => Ok(Value::Bool(!x)),
        Value::Int(x) => Ok(Value::Int(!x)),
        other => Err(format!(
            "bad operand type for unary ~: {}",
            other.type_name()
        )),
    }
}

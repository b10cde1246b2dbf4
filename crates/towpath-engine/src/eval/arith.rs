//! Arithmetic with Python semantics: int and float, strings, durations and datetimes.
//!
//! Integer overflow and division by zero are row errors (Pathway wraps around silently on
//! overflow; we report it instead).

use std::sync::Arc;

use towpath_core::Value;
use towpath_plan::BinaryOp;

use super::column::Fallible;

/// A binary arithmetic kernel.
pub(crate) type Kernel = fn(&Value, &Value) -> Fallible;

/// The kernel for an arithmetic operator (`None` for comparisons and boolean operators).
pub(crate) fn kernel(op: BinaryOp) -> Option<Kernel> {
    Some(match op {
        BinaryOp::Add => add,
        BinaryOp::Sub => sub,
        BinaryOp::Mul => mul,
        BinaryOp::TrueDiv => true_div,
        BinaryOp::FloorDiv => floor_div,
        BinaryOp::Mod => modulo,
        BinaryOp::Pow => pow,
        _ => return None,
    })
}

const OVERFLOW: &str = "integer overflow";
const DIV_ZERO: &str = "division by zero";

fn unsupported(op: &str, a: &Value, b: &Value) -> String {
    format!(
        "unsupported operand types for {op}: {} and {}",
        a.type_name(),
        b.type_name()
    )
}

fn checked(v: Option<i64>) -> Result<i64, String> {
    v.ok_or_else(|| OVERFLOW.to_string())
}

/// Duration arithmetic overflows the same way integers do.
fn dur(v: Option<i64>) -> Fallible {
    checked(v).map(Value::Duration)
}

/// A datetime of the same kind as `like`, at `ns`.
fn same_kind(like: &Value, ns: i64) -> Value {
    match like {
        Value::DateTimeUtc(_) => Value::DateTimeUtc(ns),
        _ => Value::DateTimeNaive(ns),
    }
}

/// A float converted to whole nanoseconds (truncated, as Pathway does), or an overflow error.
fn float_ns(f: f64) -> Result<i64, String> {
    let r = f.trunc();
    if r.is_finite() && r >= i64::MIN as f64 && r < i64::MAX as f64 {
        Ok(r as i64)
    } else {
        Err(OVERFLOW.to_string())
    }
}

/// `a + b`.
pub(crate) fn add(a: &Value, b: &Value) -> Fallible {
    use Value::*;
    match (a, b) {
        (Int(x), Int(y)) => checked(x.checked_add(*y)).map(Int),
        (Int(x), Float(y)) => Ok(Float(*x as f64 + y)),
        (Float(x), Int(y)) => Ok(Float(x + *y as f64)),
        (Float(x), Float(y)) => Ok(Float(x + y)),
        (String(x), String(y)) => Ok(String(Arc::from(format!("{x}{y}")))),
        (Tuple(x), Tuple(y)) => Ok(Tuple(x.iter().chain(y.iter()).cloned().collect())),
        (Duration(x), Duration(y)) => dur(x.checked_add(*y)),
        (DateTimeNaive(x) | DateTimeUtc(x), Duration(y)) => {
            checked(x.checked_add(*y)).map(|n| same_kind(a, n))
        }
        (Duration(x), DateTimeNaive(y) | DateTimeUtc(y)) => {
            checked(x.checked_add(*y)).map(|n| same_kind(b, n))
        }
        _ => Err(unsupported("+", a, b)),
    }
}

/// `a - b`.
pub(crate) fn sub(a: &Value, b: &Value) -> Fallible {
    use Value::*;
    match (a, b) {
        (Int(x), Int(y)) => checked(x.checked_sub(*y)).map(Int),
        (Int(x), Float(y)) => Ok(Float(*x as f64 - y)),
        (Float(x), Int(y)) => Ok(Float(x - *y as f64)),
        (Float(x), Float(y)) => Ok(Float(x - y)),
        (Duration(x), Duration(y)) => dur(x.checked_sub(*y)),
        (DateTimeNaive(x) | DateTimeUtc(x), Duration(y)) => {
            checked(x.checked_sub(*y)).map(|n| same_kind(a, n))
        }
        (DateTimeNaive(x), DateTimeNaive(y)) | (DateTimeUtc(x), DateTimeUtc(y)) => {
            dur(x.checked_sub(*y))
        }
        _ => Err(unsupported("-", a, b)),
    }
}

/// `a * b`.
pub(crate) fn mul(a: &Value, b: &Value) -> Fallible {
    use Value::*;
    match (a, b) {
        (Int(x), Int(y)) => checked(x.checked_mul(*y)).map(Int),
        (Int(x), Float(y)) => Ok(Float(*x as f64 * y)),
        (Float(x), Int(y)) => Ok(Float(x * *y as f64)),
        (Float(x), Float(y)) => Ok(Float(x * y)),
        (String(s), Int(k)) | (Int(k), String(s)) => repeat(s, *k),
        (Duration(d), Int(k)) | (Int(k), Duration(d)) => dur(d.checked_mul(*k)),
        (Duration(d), Float(f)) | (Float(f), Duration(d)) => float_ns(*d as f64 * f).map(Duration),
        _ => Err(unsupported("*", a, b)),
    }
}

/// Python `str * int`: empty for a count ≤ 0.
fn repeat(s: &str, k: i64) -> Fallible {
    let k = usize::try_from(k).unwrap_or(0);
    if s.len().checked_mul(k).is_none_or(|n| n > (1 << 32)) {
        return Err("string repetition result is too large".to_string());
    }
    Ok(Value::String(Arc::from(s.repeat(k))))
}

/// `a / b`: always a float for numbers; a Duration divided by a number stays a Duration.
pub(crate) fn true_div(a: &Value, b: &Value) -> Fallible {
    use Value::*;
    let (x, y) = match (a, b) {
        (Int(x), Int(y)) => (*x as f64, *y as f64),
        (Int(x), Float(y)) => (*x as f64, *y),
        (Float(x), Int(y)) => (*x, *y as f64),
        (Float(x), Float(y)) => (*x, *y),
        (Duration(x), Duration(y)) => (*x as f64, *y as f64),
        (Duration(x), Int(y)) => {
            // Truncated toward zero, as Pathway's Duration / int does.
            return if *y == 0 {
                Err(DIV_ZERO.into())
            } else {
                dur(x.checked_div(*y))
            };
        }
        (Duration(x), Float(y)) => {
            return if *y == 0.0 {
                Err(DIV_ZERO.into())
            } else {
                float_ns(*x as f64 / y).map(Duration)
            };
        }
        _ => return Err(unsupported("/", a, b)),
    };
    if y == 0.0 {
        return Err(DIV_ZERO.into());
    }
    Ok(Float(x / y))
}

/// Python `a // b` on integers (floor toward -inf).
pub(crate) fn int_floor_div(x: i64, y: i64) -> Result<i64, String> {
    if y == 0 {
        return Err(DIV_ZERO.into());
    }
    let q = checked(x.checked_div(y))?;
    Ok(if x % y != 0 && ((x < 0) != (y < 0)) {
        q - 1
    } else {
        q
    })
}

/// Python `a % b` on integers (the sign of the divisor).
pub(crate) fn int_mod(x: i64, y: i64) -> Result<i64, String> {
    if y == 0 {
        return Err(DIV_ZERO.into());
    }
    if y == -1 {
        return Ok(0);
    }
    let r = x % y;
    Ok(if r != 0 && ((r < 0) != (y < 0)) {
        r + y
    } else {
        r
    })
}

/// Python's float `divmod` (CPython's algorithm, so results match bit for bit).
fn float_divmod(x: f64, y: f64) -> Result<(f64, f64), String> {
    if y == 0.0 {
        return Err(DIV_ZERO.into());
    }
    let mut m = x % y;
    let mut div = (x - m) / y;
    if m != 0.0 {
        if (y < 0.0) != (m < 0.0) {
            m += y;
            div -= 1.0;
        }
    } else {
        m = 0.0_f64.copysign(y);
    }
    let floordiv = if div != 0.0 {
        let f = div.floor();
        if div - f > 0.5 {
            f + 1.0
        } else {
            f
        }
    } else {
        0.0_f64.copysign(x / y)
    };
    Ok((floordiv, m))
}

fn as_floats(a: &Value, b: &Value) -> Option<(f64, f64)> {
    match (a, b) {
        (Value::Int(x), Value::Float(y)) => Some((*x as f64, *y)),
        (Value::Float(x), Value::Int(y)) => Some((*x, *y as f64)),
        (Value::Float(x), Value::Float(y)) => Some((*x, *y)),
        _ => None,
    }
}

/// `a // b`.
pub(crate) fn floor_div(a: &Value, b: &Value) -> Fallible {
    use Value::*;
    match (a, b) {
        (Int(x), Int(y)) => int_floor_div(*x, *y).map(Int),
        (Duration(x), Duration(y)) => int_floor_div(*x, *y).map(Int),
        (Duration(x), Int(y)) => int_floor_div(*x, *y).map(Duration),
        _ => match as_floats(a, b) {
            Some((x, y)) => float_divmod(x, y).map(|(q, _)| Float(q)),
            Option::None => Err(unsupported("//", a, b)),
        },
    }
}

/// `a % b`.
pub(crate) fn modulo(a: &Value, b: &Value) -> Fallible {
    use Value::*;
    match (a, b) {
        (Int(x), Int(y)) => int_mod(*x, *y).map(Int),
        (Duration(x), Duration(y)) => int_mod(*x, *y).map(Duration),
        _ => match as_floats(a, b) {
            Some((x, y)) => float_divmod(x, y).map(|(_, m)| Float(m)),
            Option::None => Err(unsupported("%", a, b)),
        },
    }
}

/// `a ** b`. An int to a negative int power would be a float in Python, but the column is
/// typed int, so it is a row error.
pub(crate) fn pow(a: &Value, b: &Value) -> Fallible {
    use Value::*;
    match (a, b) {
        (Int(x), Int(y)) => {
            if *y < 0 {
                return Err("integer to a negative integer power".into());
            }
            let e = u32::try_from(*y).ok();
            match e.and_then(|e| x.checked_pow(e)) {
                Some(v) => Ok(Int(v)),
                // Huge exponents (beyond u32) are fine for these bases.
                Option::None if *x == 0 || *x == 1 => Ok(Int(*x)),
                Option::None if *x == -1 => Ok(Int(if y % 2 == 1 { -1 } else { 1 })),
                Option::None => Err(OVERFLOW.into()),
            }
        }
        _ => match as_floats(a, b) {
            Some((x, y)) if x == 0.0 && y < 0.0 => {
                Err("0.0 cannot be raised to a negative power".into())
            }
            Some((x, y)) => Ok(Float(x.powf(y))),
            Option::None => Err(unsupported("**", a, b)),
        },
    }
}

/// `-a`.
pub(crate) fn neg(a: &Value) -> Fallible {
    match a {
        Value::Int(x) => checked(x.checked_neg()).map(Value::Int),
        Value::Float(x) => Ok(Value::Float(-x)),
        Value::Duration(x) => dur(x.checked_neg()),
        other => Err(format!(
            "bad operand type for unary -: {}",
            other.type_name()
        )),
    }
}

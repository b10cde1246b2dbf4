//! The `.num` namespace: `abs`, `round` (Python's half-to-even), `fill_na`.

use towpath_core::Value;

use super::super::column::Fallible;
use super::{func, func_with_none, opt_int_arg, wrong_type, Func};

/// The `.num` entries of the function table.
pub(super) fn lookup(name: &str) -> Option<Func> {
    Some(match name {
        "num.abs" => func(abs, 1),
        "num.round" => func(round, 2),
        "num.fill_na" => func_with_none(fill_na, 2),
        _ => return None,
    })
}

fn abs(a: &[&Value]) -> Fallible {
    match a[0] {
        Value::Int(i) => i
            .checked_abs()
            .map(Value::Int)
            .ok_or_else(|| "integer overflow".to_string()),
        Value::Float(f) => Ok(Value::Float(f.abs())),
        Value::Duration(d) => d
            .checked_abs()
            .map(Value::Duration)
            .ok_or_else(|| "integer overflow".to_string()),
        other => Err(wrong_type("a number", other)),
    }
}

fn round(a: &[&Value]) -> Fallible {
    let decimals = opt_int_arg(a[1])?.unwrap_or(0);
    match a[0] {
        Value::Int(i) => round_int(*i, decimals).map(Value::Int),
        Value::Float(f) => Ok(Value::Float(round_float(*f, decimals))),
        other => Err(wrong_type("a number", other)),
    }
}

/// Python `round(i, decimals)`: exact, ties to the even multiple.
fn round_int(i: i64, decimals: i64) -> Result<i64, String> {
    if decimals >= 0 {
        return Ok(i);
    }
    let Some(p) = u32::try_from(-decimals)
        .ok()
        .and_then(|e| 10i64.checked_pow(e))
    else {
        return Ok(0);
    };
    let (q, r) = (i.div_euclid(p), i.rem_euclid(p));
    let up = 2 * (r as i128) > p as i128 || (2 * (r as i128) == p as i128 && q % 2 != 0);
    let q = if up { q + 1 } else { q };
    q.checked_mul(p)
        .ok_or_else(|| format!("round({i}, {decimals}) overflows int"))
}

/// Python `round(f, decimals)`: the decimal rounding of the exact binary value, ties to even.
fn round_float(f: f64, decimals: i64) -> f64 {
    if !f.is_finite() {
        return f;
    }
    if decimals == 0 {
        return f.round_ties_even();
    }
    if decimals > 0 {
        if decimals > 330 {
            return f;
        }
        // Formatting rounds the exact value of `f`, which is what CPython does.
        let text = format!("{f:.prec$}", prec = decimals as usize);
        return text.parse().unwrap_or(f);
    }
    let p = 10f64.powi((-decimals).min(400) as i32);
    if !p.is_finite() {
        return 0.0_f64.copysign(f);
    }
    let r = (f / p).round_ties_even() * p;
    if r == 0.0 {
        0.0_f64.copysign(f)
    } else {
        r
    }
}

/// `x`, or `default` where `x` is None or NaN.
fn fill_na(a: &[&Value]) -> Fallible {
    Ok(match a[0] {
        Value::None => a[1].clone(),
        Value::Float(f) if f.is_nan() => a[1].clone(),
        other => other.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_matches_python() {
        assert_eq!(round_float(2.5, 0), 2.0);
        assert_eq!(round_float(-2.5, 0), -2.0);
        assert_eq!(round_float(3.5, 0), 4.0);
        assert_eq!(round_float(1.2345, 2), 1.23);
        assert_eq!(round_float(2.675, 2), 2.67);
        assert_eq!(round_float(0.125, 2), 0.12);
        assert_eq!(round_float(0.375, 2), 0.38);
        assert_eq!(round_float(1234.5, -2), 1200.0);
        assert_eq!(round_float(-2.5, -1).to_bits(), (-0.0f64).to_bits());
        assert_eq!(round_int(15, -1), Ok(20));
        assert_eq!(round_int(25, -1), Ok(20));
        assert_eq!(round_int(-3, -1), Ok(0));
        assert_eq!(round_int(-15, -1), Ok(-20));
        assert_eq!(round_int(7, 3), Ok(7));
        assert_eq!(round_int(7, -30), Ok(0));
        assert!(round_int(-9_223_372_036_854_775_807, -1).is_err());
    }

    #[test]
    fn abs_and_fill_na() {
        assert_eq!(abs(&[&Value::Int(-3)]), Ok(Value::Int(3)));
        assert_eq!(abs(&[&Value::Float(-0.5)]), Ok(Value::Float(0.5)));
        assert!(abs(&[&Value::Int(i64::MIN)]).is_err());
        assert!(abs(&[&Value::from("x")]).is_err());
        assert_eq!(fill_na(&[&Value::None, &Value::Int(1)]), Ok(Value::Int(1)));
        assert_eq!(
            fill_na(&[&Value::Float(f64::NAN), &Value::Float(0.0)]),
            Ok(Value::Float(0.0))
        );
        assert_eq!(
            fill_na(&[&Value::Float(2.0), &Value::Float(0.0)]),
            Ok(Value::Float(2.0))
        );
    }
}

//! `pw.cast`, Json conversions (`as_int`, `as_float`, `as_str`, `as_bool`) and string parsing.

use std::sync::Arc;

use towpath_core::{DType, Value};
use towpath_plan::Expr;

use super::column::Fallible;
use super::{eval, format, Batch, Col, EvalContext};

/// Default `true_values` of `parse_bool`.
pub(crate) const TRUE_VALUES: [&str; 4] = ["on", "true", "yes", "1"];
/// Default `false_values` of `parse_bool`.
pub(crate) const FALSE_VALUES: [&str; 4] = ["off", "false", "no", "0"];

/// Parses a whole string as an int (no surrounding whitespace, an optional sign).
pub(crate) fn parse_int(s: &str) -> Result<i64, String> {
    s.parse::<i64>()
        .map_err(|e| format!("parse error: cannot parse {s:?} to int: {e}"))
}

/// Parses a whole string as a float (`1e3`, `inf`, `nan` included).
pub(crate) fn parse_float(s: &str) -> Result<f64, String> {
    s.parse::<f64>()
        .map_err(|e| format!("parse error: cannot parse {s:?} to float: {e}"))
}

/// Parses a bool from one of the given spellings, ignoring case.
pub(crate) fn parse_bool<'a>(
    s: &str,
    mut trues: impl Iterator<Item = &'a str>,
    mut falses: impl Iterator<Item = &'a str>,
) -> Result<bool, String> {
    let lower = s.to_lowercase();
    if trues.any(|t| t.to_lowercase() == lower) {
        Ok(true)
    } else if falses.any(|f| f.to_lowercase() == lower) {
        Ok(false)
    } else {
        Err(format!("parse error: cannot parse {s:?} to bool"))
    }
}

/// `pw.cast(dtype, v)`: conversions between int, float, bool and str; None stays None.
pub(crate) fn cast(v: &Value, dtype: &DType) -> Fallible {
    use Value::*;
    let target = dtype.strip_optional();
    Ok(match (v, target) {
        (None, _) | (_, DType::Any) => v.clone(),
        (Int(_), DType::Int)
        | (Float(_), DType::Float)
        | (Bool(_), DType::Bool)
        | (String(_), DType::String) => v.clone(),
        (Int(i), DType::Float) => Float(*i as f64),
        (Int(i), DType::Bool) => Bool(*i != 0),
        (Int(i), DType::String) => Value::from(i.to_string()),
        // `as` saturates and maps NaN to 0, which is what Pathway gives.
        (Float(f), DType::Int) => Int(*f as i64),
        (Float(f), DType::Bool) => Bool(*f != 0.0),
        (Float(f), DType::String) => Value::from(f.to_string()),
        (Bool(b), DType::Int) => Int(*b as i64),
        (Bool(b), DType::Float) => Float(*b as i64 as f64),
        (Bool(b), DType::String) => Value::from(if *b { "True" } else { "False" }),
        (String(s), DType::Int) => Int(s
            .trim()
            .parse()
            .map_err(|_| format!("parse error: Cannot cast to int from {s}."))?),
        (String(s), DType::Float) => Float(
            s.trim()
                .parse()
                .map_err(|_| format!("parse error: Cannot cast to float from {s}."))?,
        ),
        (String(s), DType::Bool) => Bool(!s.is_empty()),
        (other, DType::String) => Value::from(format::to_string(other)),
        (other, t) if value_has_type(other, t) => other.clone(),
        (other, t) => return Err(format!("cannot cast {} to {t:?}", other.type_name())),
    })
}

/// True when `v` is already a value of `dtype` (shallow check on containers).
fn value_has_type(v: &Value, dtype: &DType) -> bool {
    matches!(
        (v, dtype),
        (Value::Pointer(_), DType::Pointer)
            | (Value::Bytes(_), DType::Bytes)
            | (Value::DateTimeNaive(_), DType::DateTimeNaive)
            | (Value::DateTimeUtc(_), DType::DateTimeUtc)
            | (Value::Duration(_), DType::Duration)
            | (Value::Json(_), DType::Json)
            | (Value::Tuple(_), DType::Tuple(_) | DType::List(_))
    )
}

/// `Expr::Convert`: the value as `dtype`, from Json or by parsing a string. A missing value
/// (None or Json null) gives `default` where given, an error with `unwrap`, else None.
pub(crate) fn convert(
    arg: &Expr,
    dtype: &DType,
    default: Option<&Expr>,
    unwrap: bool,
    batch: &Batch,
    ctx: &mut EvalContext,
) -> Col {
    let target = dtype.strip_optional();
    let col = eval(arg, batch, ctx);
    let default = default.map(|d| eval(d, batch, ctx));
    let n = batch.len();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let converted = match col.get(i) {
            Value::Error => Ok(Value::Error),
            v => convert_one(v, target),
        };
        let v = match converted {
            Ok(Value::None) => match &default {
                Some(d) => d.get(i).clone(),
                None if unwrap => {
                    ctx.fail(
                        batch,
                        i,
                        "cannot unwrap a None value (unwrap=True)".to_string(),
                    );
                    Value::Error
                }
                None => Value::None,
            },
            Ok(v) => v,
            Err(m) => {
                ctx.fail(batch, i, m);
                Value::Error
            }
        };
        out.push(v);
    }
    Col::Values(out)
}

/// One value converted to `target`; `Ok(None)` when it is missing.
fn convert_one(v: &Value, target: &DType) -> Fallible {
    match v {
        Value::None => Ok(Value::None),
        Value::Json(text) => from_json(text, target),
        Value::String(s) => match target {
            DType::Int => parse_int(s).map(Value::Int),
            DType::Float => parse_float(s).map(Value::Float),
            DType::Bool => {
                parse_bool(s, TRUE_VALUES.into_iter(), FALSE_VALUES.into_iter()).map(Value::Bool)
            }
            _ => cast(v, target),
        },
        Value::Int(i) if *target == DType::Float => Ok(Value::Float(*i as f64)),
        other if value_matches(other, target) => Ok(other.clone()),
        other => Err(format!(
            "cannot convert {} to {target:?}",
            other.type_name()
        )),
    }
}

fn value_matches(v: &Value, t: &DType) -> bool {
    matches!(
        (v, t),
        (_, DType::Any)
            | (Value::Int(_), DType::Int)
            | (Value::Float(_), DType::Float)
            | (Value::Bool(_), DType::Bool)
            | (Value::String(_), DType::String)
    ) || value_has_type(v, t)
}

/// A Json value as `target`: numbers to int (integral Json numbers only) or float, strings,
/// bools; Json null is missing.
fn from_json(text: &str, target: &DType) -> Fallible {
    use serde_json::Value as J;
    let json: J = serde_json::from_str(text).map_err(|e| format!("invalid json {text}: {e}"))?;
    let fail = || {
        Err(format!(
            "value error: Cannot convert json {text} to {target:?}"
        ))
    };
    match (&json, target) {
        (J::Null, _) => Ok(Value::None),
        (J::Number(n), DType::Int) => n.as_i64().map(Value::Int).map_or_else(fail, Ok),
        (J::Number(n), DType::Float) => n.as_f64().map(Value::Float).map_or_else(fail, Ok),
        (J::String(s), DType::String) => Ok(Value::String(Arc::from(s.as_str()))),
        (J::Bool(b), DType::Bool) => Ok(Value::Bool(*b)),
        (_, DType::Json | DType::Any) => Ok(Value::Json(Arc::from(text))),
        _ => fail(),
    }
}

//! Tuples (`make_tuple`, `t[i]`, `t.get(i, default)`), Json element access and `pointer_from`.

use std::sync::Arc;

use towpath_core::{Key, Value};
use towpath_plan::Expr;

use super::{eval, Batch, Col, EvalContext};

fn eval_all(args: &[Expr], batch: &Batch, ctx: &mut EvalContext) -> Vec<Col> {
    args.iter().map(|a| eval(a, batch, ctx)).collect()
}

/// `pw.make_tuple(*args)`; an `Error` element makes the whole tuple an `Error`.
pub(crate) fn make_tuple(args: &[Expr], batch: &Batch, ctx: &mut EvalContext) -> Col {
    let cols = eval_all(args, batch, ctx);
    let out = (0..batch.len())
        .map(|i| {
            if cols.iter().any(|c| c.get(i).is_error()) {
                return Value::Error;
            }
            Value::Tuple(
                cols.iter()
                    .map(|c| c.get(i).clone())
                    .collect::<Arc<[Value]>>(),
            )
        })
        .collect();
    Col::Values(out)
}

/// `pointer_from(*args)`: the id hashed from the values (as `Key::for_values`).
pub(crate) fn pointer_from(args: &[Expr], batch: &Batch, ctx: &mut EvalContext) -> Col {
    let cols = eval_all(args, batch, ctx);
    let mut buf = Vec::with_capacity(cols.len());
    let out = (0..batch.len())
        .map(|i| {
            buf.clear();
            buf.extend(cols.iter().map(|c| c.get(i).clone()));
            if buf.iter().any(Value::is_error) {
                Value::Error
            } else {
                Value::Pointer(Key::for_values(&buf))
            }
        })
        .collect();
    Col::Values(out)
}

/// `Expr::Get`. A missing element is an error for tuples and Json null for Json when
/// unchecked (`t[i]`), and `default` (or None) when checked (`.get(i, default)`).
pub(crate) fn get(
    arg: &Expr,
    index: &Expr,
    default: Option<&Expr>,
    checked: bool,
    batch: &Batch,
    ctx: &mut EvalContext,
) -> Col {
    let col = eval(arg, batch, ctx);
    let idx = eval(index, batch, ctx);
    let default = default.map(|d| eval(d, batch, ctx));
    let out = (0..batch.len())
        .map(|i| {
            let (v, k) = (col.get(i), idx.get(i));
            if v.is_error() || k.is_error() {
                return Value::Error;
            }
            let missing = || default.as_ref().map_or(Value::None, |d| d.get(i).clone());
            match get_one(v, k, checked) {
                Ok(Some(found)) => found,
                Ok(None) => missing(),
                Err(m) => {
                    ctx.fail(batch, i, m);
                    Value::Error
                }
            }
        })
        .collect();
    Col::Values(out)
}

/// The element, or `Ok(None)` when it is missing and `default` applies.
fn get_one(v: &Value, k: &Value, checked: bool) -> Result<Option<Value>, String> {
    match (v, k) {
        (Value::None, _) => Ok(if checked { None } else { Some(Value::None) }),
        (Value::Tuple(items), Value::Int(i)) => {
            let len = items.len() as i64;
            let j = if *i < 0 { i + len } else { *i };
            if (0..len).contains(&j) {
                Ok(Some(items[j as usize].clone()))
            } else if checked {
                Ok(None)
            } else {
                Err("index out of bounds".to_string())
            }
        }
        (Value::Json(text), Value::Int(_) | Value::String(_)) => {
            let found = json_element(text, k)?;
            Ok(match found {
                Some(j) => Some(j),
                None if checked => None,
                None => Some(Value::Json(Arc::from("null"))),
            })
        }
        _ => Err(format!(
            "cannot index {} with {}",
            v.type_name(),
            k.type_name()
        )),
    }
}

/// Json array element (non-negative index) or object member.
fn json_element(text: &str, k: &Value) -> Result<Option<Value>, String> {
    let json: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("invalid json {text}: {e}"))?;
    let found = match k {
        Value::Int(i) => usize::try_from(*i).ok().and_then(|i| json.get(i)),
        Value::String(s) => json.get(&**s),
        _ => None,
    };
    Ok(found.map(Value::json))
}

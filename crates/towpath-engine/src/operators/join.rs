//! Joins (inner, left, right, outer) on equal key expressions. A row whose key has a None is
//! given a key of its own, so it matches nothing but still appears unmatched in outer joins.

use std::sync::Arc;

use towpath_core::{Key, Row, Value};
use towpath_plan::{Expr, JoinId, JoinKind};

use crate::eval::{eval_batch, EvalContext};
use crate::operators::batch::map_batches;
use crate::timestamps::EngineTime;
use crate::types::Coll;
use crate::Host;

/// Shapes of the two sides: number of value columns.
#[derive(Clone, Copy)]
pub struct JoinShape {
    pub left: usize,
    pub right: usize,
}

/// Rows keyed by their join key, values followed by the row id as a Pointer.
fn keyed<'s, T: EngineTime>(
    input: Coll<'s, T>,
    node: usize,
    keys: Vec<Expr>,
    side: &'static str,
    host: Arc<dyn Host>,
) -> (Coll<'s, T>, Coll<'s, T>) {
    map_batches(input, &format!("Join#{node}.{side}"), node, move |rows, _times, out| {
        let mut ctx = EvalContext::new(&*host);
        let cols: Vec<Vec<Value>> = keys.iter().map(|e| eval_batch(e, rows, &mut ctx)).collect();
        let mut key_vals = Vec::with_capacity(cols.len());
        for (i, (id, row)) in rows.iter().enumerate() {
            key_vals.clear();
            key_vals.extend(cols.iter().map(|c| c[i].clone()));
            let unmatched = key_vals.iter().any(|v| v.is_none() || v.is_error());
            let join_key = if unmatched {
                Key::for_values(&[Value::Pointer(*id), Value::from(side)])
            } else {
                Key::for_values(&key_vals)
            };
            let mut vals: Vec<Value> = Vec::with_capacity(row.len() + 1);
            vals.extend(row.iter().cloned());
            vals.push(Value::Pointer(*id));
            out.rows.push((i, (join_key, Row::from(vals))));
        }
        out.errors.append(&mut ctx.errors);
    })
}

fn output_id(id: JoinId, left_id: &Value, right_id: &Value) -> Key {
    match (id, left_id, right_id) {
        (JoinId::Left, Value::Pointer(k), _) | (JoinId::Right, _, Value::Pointer(k)) => *k,
        _ => Key::for_values(&[left_id.clone(), right_id.clone()]),
    }
}

/// Output row: left values, right values, left id, right id (None where a side is missing).
fn combine(shape: JoinShape, id: JoinId, left: Option<&Row>, right: Option<&Row>) -> (Key, Row) {
    let mut vals = Vec::with_capacity(shape.left + shape.right + 2);
    match left {
        Some(l) => vals.extend(l[..shape.left].iter().cloned()),
        None => vals.extend(std::iter::repeat_n(Value::None, shape.left)),
    }
    match right {
        Some(r) => vals.extend(r[..shape.right].iter().cloned()),
        None => vals.extend(std::iter::repeat_n(Value::None, shape.right)),
    }
    let left_id = left.map(|l| l[shape.left].clone()).unwrap_or_default();
    let right_id = right.map(|r| r[shape.right].clone()).unwrap_or_default();
    let key = output_id(id, &left_id, &right_id);
    vals.push(left_id);
    vals.push(right_id);
    (key, Row::from(vals))
}

/// Lowers a `Join` node; returns (result, error log rows).
#[allow(clippy::too_many_arguments)]
pub fn join<'s, T: EngineTime>(
    left: Coll<'s, T>,
    right: Coll<'s, T>,
    node: usize,
    left_keys: Vec<Expr>,
    right_keys: Vec<Expr>,
    kind: JoinKind,
    id: JoinId,
    shape: JoinShape,
    host: Arc<dyn Host>,
) -> (Coll<'s, T>, Coll<'s, T>) {
    let (l, l_errors) = keyed(left, node, left_keys, "left", host.clone());
    let (r, r_errors) = keyed(right, node, right_keys, "right", host);
    let mut result = l
        .clone()
        .join_map(r.clone(), move |_k, lrow: &Row, rrow: &Row| combine(shape, id, Some(lrow), Some(rrow)));
    if matches!(kind, JoinKind::Left | JoinKind::Outer) {
        let right_keys = r.clone().map(|(k, _)| k).distinct();
        let unmatched = l.clone().antijoin(right_keys).map(move |(_, lrow)| combine(shape, id, Some(&lrow), None));
        result = result.concat(unmatched);
    }
    if matches!(kind, JoinKind::Right | JoinKind::Outer) {
        let left_keys = l.map(|(k, _)| k).distinct();
        let unmatched = r.antijoin(left_keys).map(move |(_, rrow)| combine(shape, id, None, Some(&rrow)));
        result = result.concat(unmatched);
    }
    (result, l_errors.concat(r_errors))
}

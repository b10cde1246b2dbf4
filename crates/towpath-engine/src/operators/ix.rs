//! `ix`: look up, for each row, the row of another table whose id an expression gives.

use std::sync::Arc;

use towpath_core::{Key, Row, Value};
use towpath_plan::Expr;

use crate::errors::error_row;
use crate::eval::{eval_batch, EvalContext};
use crate::operators::batch::map_batches;
use crate::operators::ids::id_set;
use crate::timestamps::EngineTime;
use crate::types::Coll;
use crate::Host;

/// Lowers an `Ix` node; `width` is the target's column count. Returns (result, error log rows).
pub fn ix<'s, T: EngineTime>(
    input: Coll<'s, T>,
    target: Coll<'s, T>,
    node: usize,
    key: Expr,
    optional: bool,
    width: usize,
    host: Arc<dyn Host>,
) -> (Coll<'s, T>, Coll<'s, T>) {
    // (target id, [input id]) for every input row.
    let (wanted, errors) = map_batches(input, &format!("Ix#{node}"), node, move |rows, _times, out| {
        let mut ctx = EvalContext::new(&*host);
        let keys = eval_batch(&key, rows, &mut ctx);
        for (i, ((id, _), k)) in rows.iter().zip(keys).enumerate() {
            let target_id = match k {
                Value::Pointer(k) => k,
                Value::None if optional => Key(0),
                _ => Key(0),
            };
            out.rows.push((i, (target_id, Row::from(vec![Value::Pointer(*id)]))));
        }
        out.errors.append(&mut ctx.errors);
    });
    let found = wanted.clone().join_map(target.clone(), |_, w: &Row, t: &Row| match w[0] {
        Value::Pointer(id) => (id, t.clone()),
        _ => unreachable!("ix rows carry their id"),
    });
    let missing = wanted.antijoin(id_set(target));
    let fill = if optional { Value::None } else { Value::Error };
    let padded = missing.clone().map(move |(_, w)| match w[0] {
        Value::Pointer(id) => (id, Row::from(vec![fill.clone(); width])),
        _ => unreachable!("ix rows carry their id"),
    });
    let mut errors = errors;
    if !optional {
        let miss_errors = missing.map(move |(target_id, w)| match w[0] {
            Value::Pointer(id) => error_row(node, id, &format!("key missing in ix: {target_id}"), ""),
            _ => unreachable!("ix rows carry their id"),
        });
        errors = errors.concat(miss_errors);
    }
    (found.concat(padded), errors)
}

//! `sort(key, instance=)`: for each row, the ids of its neighbours in key order within its
//! instance (`prev`, `next`).
//!
//! Each row becomes `(instance id, [key, Pointer(id)])`; a differential `reduce` per instance
//! orders its rows by `(key, id)` and links them. Differential hands the reduce the whole
//! instance whenever one of its rows changes, so a change costs O(instance size): fine for
//! moderate instances, the place to start if one instance grows to millions of rows (an
//! incremental order-statistics structure would make it O(log n)). Only rows whose neighbours
//! actually changed leave the reduce, since its output is diffed against the previous one.

use std::sync::Arc;

use towpath_core::{Key, Row, Value};
use towpath_plan::Expr;

use crate::eval::{eval_batch, EvalContext};
use crate::operators::batch::map_batches;
use crate::types::{Coll, Diff};
use crate::Host;

/// Lowers a `Sort` node; returns (`[prev, next]` per input id, error log rows).
pub fn sort<'s>(
    input: Coll<'s>,
    node: usize,
    key: Expr,
    instance: Option<Expr>,
    host: Arc<dyn Host>,
) -> (Coll<'s>, Coll<'s>) {
    let (keyed, errors) = map_batches(input, &format!("Sort#{node}"), node, move |rows, _times, out| {
        let mut ctx = EvalContext::new(&*host);
        let keys = eval_batch(&key, rows, &mut ctx);
        let instances = instance.as_ref().map(|e| eval_batch(e, rows, &mut ctx));
        for (i, ((id, _), k)) in rows.iter().zip(keys).enumerate() {
            let group = match &instances {
                Some(values) => Key::for_values(std::slice::from_ref(&values[i])),
                None => Key::for_values(&[]),
            };
            out.rows.push((i, (group, Row::from(vec![k, Value::Pointer(*id)]))));
        }
        out.errors.append(&mut ctx.errors);
    });
    let linked = keyed.reduce_named(&format!("Sort#{node}.link"), link);
    let result = linked.map(|(_, row)| match row[0] {
        Value::Pointer(id) => (id, Row::from(&row[1..])),
        _ => unreachable!("linked rows start with their id"),
    });
    (result, errors)
}

/// One instance's rows `[key, id]` (in value order, as differential gives them) →
/// `[id, prev, next]` per row present with a positive multiplicity.
fn link(_instance: &Key, rows: &[(&Row, Diff)], output: &mut Vec<(Row, Diff)>) {
    let mut present: Vec<&Row> = rows.iter().filter(|(_, d)| *d > 0).map(|(r, _)| *r).collect();
    // Already sorted by differential; sorting again states the contract and costs one pass.
    present.sort_unstable();
    let id = |r: &Row| r[1].clone();
    for (i, row) in present.iter().enumerate() {
        let prev = i.checked_sub(1).map_or(Value::None, |j| id(present[j]));
        let next = present.get(i + 1).map_or(Value::None, |r| id(r));
        output.push((Row::from(vec![id(row), prev, next]), 1));
    }
}

//! `with_id` / `with_id_from`: same values, ids from an expression.

use std::sync::Arc;

use towpath_core::{Key, Value};
use towpath_plan::Expr;

use crate::eval::{eval_batch, ErrorEntry, EvalContext};
use crate::operators::batch::map_batches;
use crate::timestamps::EngineTime;
use crate::types::Coll;
use crate::Host;

/// Lowers a `Reindex` node; returns (result, error log rows). A row whose id expression is not a
/// Pointer is dropped with an error-log entry.
pub fn reindex<'s, T: EngineTime>(input: Coll<'s, T>, node: usize, id: Expr, host: Arc<dyn Host>) -> (Coll<'s, T>, Coll<'s, T>) {
    map_batches(input, &format!("Reindex#{node}"), node, move |rows, _times, out| {
        let mut ctx = EvalContext::new(&*host);
        let ids = eval_batch(&id, rows, &mut ctx);
        for (i, ((_, row), new_id)) in rows.iter().zip(ids).enumerate() {
            match new_id {
                Value::Pointer(k) => out.rows.push((i, (k, row.clone()))),
                Value::Error => {}
                other => out.errors.push(ErrorEntry {
                    row: i,
                    message: format!("id must be a Pointer, got {}", other.type_name()),
                    trace: String::new(),
                }),
            }
        }
        out.errors.append(&mut ctx.errors);
    })
}

/// The set of ids of a table, each with multiplicity one.
pub fn id_set<'s, T: EngineTime>(coll: Coll<'s, T>) -> differential_dataflow::VecCollection<'s, T, Key, isize> {
    coll.map(|(k, _)| k).distinct()
}

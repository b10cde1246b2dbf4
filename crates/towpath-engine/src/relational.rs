//! Lowering of the relational plan nodes (row-wise maps, groupby, joins, set operations), shared
//! by the main scope and iterate bodies: generic over the timestamp (see `timestamps`).

use std::sync::Arc;

use towpath_core::Value;
use towpath_plan::NodeKind;

use crate::eval::{eval_batch, eval_rows, EvalContext};
use crate::operators::batch::map_batches;
use crate::operators::join::{JoinInputs, JoinShape, JoinSides};
use crate::operators::{concat, flatten, groupby, ids, ix, join, update};
use crate::timestamps::EngineTime;
use crate::types::Coll;
use crate::Host;

/// A lowered node: its table, and its error-log rows when it can fail on a row.
pub type Lowered<'s, T> = (Coll<'s, T>, Option<Coll<'s, T>>);

/// Lowers `kind` (a relational node: `Select` without non-deterministic UDFs, `Filter`,
/// `Reindex`, `GroupBy`, `Join`, `Concat`, `ConcatReindex`, `UpdateRows`, `UpdateCells`,
/// `Flatten`, `Intersect`, `Difference`, `Ix`); `None` for any other kind. `get(n)` is node
/// `n`'s table, `arity(n)` its column count; error-log rows name node `i`. `sides` holds the
/// join sides built so far in the scope, for joins to share.
pub fn relational<'s, T: EngineTime>(
    i: usize,
    kind: &NodeKind,
    get: &dyn Fn(usize) -> Coll<'s, T>,
    arity: &dyn Fn(usize) -> usize,
    sides: &JoinSides<'s, T>,
    host: Arc<dyn Host>,
) -> Option<Lowered<'s, T>> {
    let with_errors = |(table, errors): (Coll<'s, T>, Coll<'s, T>)| Some((table, Some(errors)));
    match kind {
        NodeKind::Select { input, exprs } => {
            let exprs = exprs.clone();
            with_errors(map_batches(get(*input), &format!("Select#{i}"), i, move |rows, _t, out| {
                let mut ctx = EvalContext::new(&*host);
                let values = eval_rows(&exprs, rows, &mut ctx);
                out.rows.extend(values.into_iter().zip(rows).enumerate().map(|(j, (v, (k, _)))| (j, (*k, v))));
                out.errors.append(&mut ctx.errors);
            }))
        }
        NodeKind::Filter { input, predicate } => {
            let predicate = predicate.clone();
            with_errors(map_batches(get(*input), &format!("Filter#{i}"), i, move |rows, _t, out| {
                let mut ctx = EvalContext::new(&*host);
                let keep = eval_batch(&predicate, rows, &mut ctx);
                for (j, (row, keep)) in rows.iter().zip(keep).enumerate() {
                    if keep == Value::Bool(true) {
                        out.rows.push((j, row.clone()));
                    }
                }
                out.errors.append(&mut ctx.errors);
            }))
        }
        NodeKind::Reindex { input, id } => with_errors(ids::reindex(get(*input), i, id.clone(), host)),
        NodeKind::GroupBy { input, keys, reducers, id } => {
            with_errors(groupby::groupby(get(*input), i, keys.clone(), reducers.clone(), *id, false, host))
        }
        NodeKind::Join { left, right, left_keys, right_keys, kind, id } => {
            let shape = JoinShape { left: arity(*left), right: arity(*right) };
            Some(join::join(
                JoinInputs { left: (*left, get(*left)), right: (*right, get(*right)) },
                sides,
                i,
                left_keys.clone(),
                right_keys.clone(),
                *kind,
                *id,
                shape,
                host,
            ))
        }
        NodeKind::Concat { inputs } => Some((concat::concat(inputs.iter().map(|&n| get(n)).collect()), None)),
        NodeKind::ConcatReindex { inputs } => {
            Some((concat::concat_reindex(inputs.iter().map(|&n| get(n)).collect()), None))
        }
        NodeKind::UpdateRows { base, updates } => Some((update::update_rows(get(*base), get(*updates)), None)),
        NodeKind::UpdateCells { base, updates, columns } => {
            Some((update::update_cells(get(*base), get(*updates), columns.clone()), None))
        }
        NodeKind::Flatten { input, column } => with_errors(flatten::flatten(get(*input), i, *column)),
        NodeKind::Intersect { input, others } => {
            Some((update::intersect(get(*input), others.iter().map(|&n| get(n)).collect()), None))
        }
        NodeKind::Difference { input, other } => Some((update::difference(get(*input), get(*other)), None)),
        NodeKind::Ix { input, key, target, optional } => with_errors(ix::ix(
            get(*input),
            get(*target),
            i,
            key.clone(),
            *optional,
            arity(*target),
            host,
        )),
        _ => None,
    }
}

//! `groupby(...).reduce(...)`: evaluate keys and reducer arguments per row, then either the
//! incremental path (count/sum/avg/count_distinct/min/max/any only, see `incremental`), which
//! takes the rows as they are, or — consolidated early (`prepare`) — one differential `reduce`
//! computing every reducer of a group.

use std::sync::Arc;

use towpath_core::{Key, Row, Value};
use towpath_plan::{Expr, GroupId, Reducer, ReducerKind};

use crate::eval::{eval_batch, EvalContext};
use crate::operators::incremental::eligible;
use crate::operators::batch::map_batches;
use crate::operators::prepare::{prepare, Prepared};
use crate::operators::reducers::{reduce, slot_values, slot_width};
use crate::operators::stamp::stamp_of;
use crate::timestamps::EngineTime;
use crate::types::{Coll, Diff};
use crate::Host;

/// Lowers a `GroupBy` node; returns (result, error log rows). `nonnegative`: the input never
/// holds a negative multiplicity (`analysis::nonnegative`), so the incremental path may sum
/// rows without counting each row's copies.
pub fn groupby<'s, T: EngineTime>(
    input: Coll<'s, T>,
    node: usize,
    keys: Vec<Expr>,
    reducers: Vec<Reducer>,
    id: GroupId,
    nonnegative: bool,
    host: Arc<dyn Host>,
) -> (Coll<'s, T>, Coll<'s, T>) {
    let nk = keys.len();
    let kinds: Vec<ReducerKind> = reducers.iter().map(|r| r.kind).collect();
    // Earliest/latest need each row's insertion time, which a deletion must carry too.
    let stamped = kinds.iter().any(|k| matches!(k, ReducerKind::Earliest | ReducerKind::Latest));
    let input = if stamped { T::stamp_insertions(input, &format!("GroupBy#{node}.stamp")) } else { input };
    let width = nk + kinds.iter().map(|k| slot_width(*k)).sum::<usize>();
    let evaluate = move |rows: &[(Key, Row)], out: &mut Prepared| {
        let mut ctx = EvalContext::new(&*host);
        let key_cols: Vec<Vec<Value>> = keys.iter().map(|e| eval_batch(e, rows, &mut ctx)).collect();
        let arg_cols: Vec<Option<Vec<Value>>> =
            reducers.iter().map(|r| r.args.first().map(|e| eval_batch(e, rows, &mut ctx))).collect();
        out.width = width;
        for (i, (row_id, row)) in rows.iter().enumerate() {
            let stamp = if stamped { stamp_of(row) } else { 0 };
            let start = out.values.len();
            out.values.extend(key_cols.iter().map(|c| c[i].clone()));
            let group = match (id, out.values.get(start)) {
                (GroupId::FirstKey, Some(Value::Pointer(k))) => *k,
                _ => Key::for_values(&out.values[start..]),
            };
            for (r, col) in reducers.iter().zip(&arg_cols) {
                let value = col.as_ref().map(|c| c[i].clone()).unwrap_or_default();
                slot_values(r.kind, value, *row_id, stamp, &mut out.values);
            }
            // Without reducer slots (a count) the group id already fingerprints the values.
            let fingerprint = if width == nk && id == GroupId::Hash {
                group
            } else {
                Key::for_values(&out.values[start..])
            };
            out.groups.push(group);
            out.fingerprints.push(fingerprint);
        }
        out.errors.append(&mut ctx.errors);
    };
    if eligible(&kinds, nk, id) && T::INCREMENTAL_GROUPBY {
        // The incremental reduce consolidates per time and group itself (after the exchange),
        // so the rows go to it as they are, each with its fingerprint (see `incremental`).
        let mut out = Prepared::default();
        let (pre, errors) = map_batches(input, &format!("GroupBy#{node}"), node, move |rows, _times, batch| {
            out.groups.clear();
            out.fingerprints.clear();
            out.values.clear();
            evaluate(rows, &mut out);
            for (i, (group, fingerprint)) in out.groups.iter().zip(&out.fingerprints).enumerate() {
                let values = &out.values[i * width..(i + 1) * width];
                let row: Row = values.iter().cloned().chain(Some(Value::Pointer(*fingerprint))).collect();
                batch.rows.push((i, (*group, row)));
            }
            batch.errors.append(&mut out.errors);
        });
        let result = T::reduce_incremental(pre, nk, kinds, nonnegative);
        return (result, errors);
    }
    let (pre, errors) =
        prepare(input, &format!("GroupBy#{node}"), node, move |rows, _times, out| evaluate(rows, out));
    let result = pre.reduce_named(&format!("GroupBy#{node}.reduce"), move |_key, group: &[(&Row, Diff)], output: &mut Vec<(Row, Diff)>| {
        if group.iter().all(|(_, c)| *c <= 0) {
            return;
        }
        let mut vals: Vec<Value> = group[0].0[..nk].to_vec();
        let mut offset = nk;
        for kind in &kinds {
            vals.push(reduce(*kind, offset, group));
            offset += slot_width(*kind);
        }
        output.push((Row::from(vals), 1));
    });
    (result, errors)
}

//! `AsofNowJoin`: left rows joined with the right table as it is when they arrive, never
//! revised afterwards.
//!
//! Both sides become `(key, [side, values..., Pointer(id)])` and meet on one worker per key.
//! Updates are applied per complete time, in time order: first the right side's (so a left row
//! sees the right rows of its own time), then the left side's. A left insertion emits its pairs
//! with the right rows present then and remembers them; a left deletion retracts what the most
//! recent live insertion of that row emitted. Later right changes only change the state that
//! future left rows will see.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use differential_dataflow::AsCollection;
use timely::container::CapacityContainerBuilder;
use timely::dataflow::channels::pact::Exchange;
use timely::dataflow::operators::generic::Operator;
use timely::dataflow::operators::Capability;
use towpath_core::{IdBuildHasher, Key, Row, Time, Value};
use towpath_plan::{Expr, JoinId, JoinKind};

use crate::eval::{eval_batch, EvalContext};
use crate::operators::batch::map_batches;
use crate::operators::join::JoinShape;
use crate::types::{Coll, Diff};
use crate::Host;

/// What the operator needs to know about the node.
#[derive(Clone, Copy)]
pub struct AsofNowSpec {
    pub kind: JoinKind,
    pub id: JoinId,
    pub shape: JoinShape,
}

/// Rows keyed by their join key: `(key, [side, values..., Pointer(id)])`.
fn keyed<'s>(input: Coll<'s>, node: usize, side: i64, keys: Vec<Expr>, host: Arc<dyn Host>) -> (Coll<'s>, Coll<'s>) {
    map_batches(input, &format!("AsofNowJoin#{node}.{side}"), node, move |rows, _times, out| {
        let mut ctx = EvalContext::new(&*host);
        let cols: Vec<Vec<Value>> = keys.iter().map(|e| eval_batch(e, rows, &mut ctx)).collect();
        for (i, (id, row)) in rows.iter().enumerate() {
            let key_vals: Vec<Value> = cols.iter().map(|c| c[i].clone()).collect();
            // A None or error key matches nothing (as in `Join`): a key of its own.
            let key = if key_vals.iter().any(|v| v.is_none() || v.is_error()) {
                Key::for_values(&[Value::Pointer(*id), Value::Int(side)])
            } else {
                Key::for_values(&key_vals)
            };
            let mut vals = Vec::with_capacity(row.len() + 2);
            vals.push(Value::Int(side));
            vals.extend(row.iter().cloned());
            vals.push(Value::Pointer(*id));
            out.rows.push((i, (key, Row::from(vals))));
        }
        out.errors.append(&mut ctx.errors);
    })
}

/// Lowers an `AsofNowJoin` node; returns (joined rows, error log rows).
pub fn asof_now_join<'s>(
    left: Coll<'s>,
    right: Coll<'s>,
    node: usize,
    keys: (Vec<Expr>, Vec<Expr>),
    spec: AsofNowSpec,
    host: Arc<dyn Host>,
) -> (Coll<'s>, Coll<'s>) {
    let (l, le) = keyed(left, node, 0, keys.0, host.clone());
    let (r, re) = keyed(right, node, 1, keys.1, host);
    (pair(l.concat(r), &format!("AsofNowJoin#{node}.pair"), spec), le.concat(re))
}

/// Output updates of one left insertion.
type Emitted = Vec<(Key, Row, Diff)>;

/// One key's state: the right rows present, and what each live left insertion emitted.
#[derive(Default)]
struct KeyState {
    right: HashMap<Row, Diff>,
    emitted: HashMap<Row, Vec<Emitted>>,
}

/// The output rows of one insertion of `left` (values then `Pointer(id)`).
fn emit(spec: &AsofNowSpec, left: &Row, right: &HashMap<Row, Diff>) -> Emitted {
    let mut out: Emitted = right
        .iter()
        .filter(|(_, c)| **c > 0)
        .map(|(r, c)| {
            let (key, row) = combine(spec, left, Some(r));
            (key, row, *c)
        })
        .collect();
    if out.is_empty() && spec.kind == JoinKind::Left {
        let (key, row) = combine(spec, left, None);
        out.push((key, row, 1));
    }
    out
}

/// Join layout: left values, right values (None when unmatched), left id, right id.
fn combine(spec: &AsofNowSpec, left: &Row, right: Option<&Row>) -> (Key, Row) {
    let JoinShape { left: lw, right: rw } = spec.shape;
    let mut vals = Vec::with_capacity(lw + rw + 2);
    vals.extend(left[..lw].iter().cloned());
    match right {
        Some(r) => vals.extend(r[..rw].iter().cloned()),
        None => vals.extend(std::iter::repeat_n(Value::None, rw)),
    }
    let left_id = left[lw].clone();
    let right_id = right.map(|r| r[rw].clone()).unwrap_or_default();
    let key = match (spec.id, &left_id, &right_id) {
        (JoinId::Left, Value::Pointer(k), _) | (JoinId::Right, _, Value::Pointer(k)) => *k,
        _ => Key::for_values(&[left_id.clone(), right_id.clone()]),
    };
    vals.push(left_id);
    vals.push(right_id);
    (key, Row::from(vals))
}

fn pair<'s>(keyed: Coll<'s>, name: &str, spec: AsofNowSpec) -> Coll<'s> {
    let exchange = Exchange::new(|((k, _), _, _): &((Key, Row), Time, Diff)| k.0 as u64);
    keyed
        .inner
        .unary_frontier::<CapacityContainerBuilder<Vec<((Key, Row), Time, Diff)>>, _, _, _>(
            exchange,
            name,
            |_cap, _info| {
                // Per time, per key: the changes of each side, consolidated.
                type Changes = HashMap<Key, [HashMap<Row, Diff>; 2], IdBuildHasher>;
                let mut pending: BTreeMap<Time, (Capability<Time>, Changes)> = BTreeMap::new();
                let mut keys: HashMap<Key, KeyState, IdBuildHasher> = HashMap::default();
                move |(input, frontier), output| {
                    input.for_each(|cap, data: &mut Vec<((Key, Row), Time, Diff)>| {
                        for ((key, row), time, diff) in data.drain(..) {
                            let slot = pending.entry(time).or_insert_with(|| (cap.delayed(&time, 0), Changes::default()));
                            let side = usize::from(row[0] == Value::Int(1));
                            let sides = slot.1.entry(key).or_default();
                            *sides[side].entry(Row::from(&row[1..])).or_insert(0) += diff;
                        }
                    });
                    while let Some(entry) = pending.first_entry() {
                        if frontier.less_equal(entry.key()) {
                            break;
                        }
                        let (time, (cap, changes)) = entry.remove_entry();
                        let mut session = output.session(&cap);
                        for (key, [left, right]) in changes {
                            let state = keys.entry(key).or_default();
                            for (row, diff) in right {
                                let count = state.right.entry(row.clone()).or_insert(0);
                                *count += diff;
                                if *count == 0 {
                                    state.right.remove(&row);
                                }
                            }
                            // Deterministic order within a time: by row.
                            let mut left: Vec<(Row, Diff)> = left.into_iter().filter(|(_, d)| *d != 0).collect();
                            left.sort();
                            for (row, diff) in left {
                                for _ in 0..diff.unsigned_abs() {
                                    if diff > 0 {
                                        let out = emit(&spec, &row, &state.right);
                                        for (k, r, c) in &out {
                                            session.give(((*k, r.clone()), time, *c));
                                        }
                                        state.emitted.entry(row.clone()).or_default().push(out);
                                    } else if let Some(stack) = state.emitted.get_mut(&row) {
                                        for (k, r, c) in stack.pop().unwrap_or_default() {
                                            session.give(((k, r), time, -c));
                                        }
                                        if stack.is_empty() {
                                            state.emitted.remove(&row);
                                        }
                                    }
                                }
                            }
                            if state.right.is_empty() && state.emitted.is_empty() {
                                keys.remove(&key);
                            }
                        }
                    }
                }
            },
        )
        .as_collection()
}

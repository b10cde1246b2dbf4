//! `AsofNowJoin`: left rows joined with the right table as it is when they arrive, never
//! revised afterwards.
//!
//! Both sides become `(key, [side, values..., Pointer(id)])` and meet on one worker per key.
//! Updates are applied per complete time, in time order: first the right side's (so a left row
//! sees the right rows of its own time), then the left side's. A left insertion emits its pairs
//! with the right rows present then and remembers them; a left deletion retracts what the most
//! recent live insertion of that row emitted. Later right changes only change the state that
//! future left rows will see.

use std::collections::HashMap;
use std::sync::Arc;

use towpath_core::{IdBuildHasher, Key, Row, Value};
use towpath_plan::{Expr, JoinId, JoinKind};

use crate::eval::{eval_batch, EvalContext};
use crate::operators::batch::map_batches;
use crate::operators::per_time::per_complete_time;
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
    let mut keys: HashMap<Key, KeyState, IdBuildHasher> = HashMap::default();
    let decode = |row: &Row| (row[0] == Value::Int(1), Row::from(&row[1..]));
    per_complete_time(keyed, name, decode, move |changes, out| {
        for (key, changed) in changes {
            let state = keys.entry(key).or_default();
            let mut left: Vec<(Row, Diff)> = Vec::new();
            for ((is_right, row), diff) in changed {
                if diff == 0 {
                    continue;
                }
                if !is_right {
                    left.push((row, diff));
                    continue;
                }
                let count = state.right.entry(row.clone()).or_insert(0);
                *count += diff;
                if *count == 0 {
                    state.right.remove(&row);
                }
            }
            // Right changes first (a left row sees its own time's right rows); left rows in a
            // deterministic order: by row.
            left.sort();
            for (row, diff) in left {
                for _ in 0..diff.unsigned_abs() {
                    if diff > 0 {
                        let emitted = emit(&spec, &row, &state.right);
                        out.extend(emitted.iter().map(|(k, r, c)| ((*k, r.clone()), *c)));
                        state.emitted.entry(row.clone()).or_default().push(emitted);
                    } else if let Some(stack) = state.emitted.get_mut(&row) {
                        out.extend(stack.pop().unwrap_or_default().into_iter().map(|(k, r, c)| ((k, r), -c)));
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
    })
}

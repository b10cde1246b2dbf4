//! Joins (inner, left, right, outer) on equal key expressions. A row whose key has a None is
//! given a key of its own, so it matches nothing but still appears unmatched in outer joins.

use std::cell::RefCell;
use std::sync::Arc;

use differential_dataflow::operators::arrange::{Arranged, TraceAgent};
use differential_dataflow::trace::implementations::ValSpine;
use towpath_core::{Key, Row, Value};
use towpath_plan::{Expr, JoinId, JoinKind};

use crate::eval::{eval_batch, EvalContext};
use crate::operators::batch::map_batches;
use crate::timestamps::EngineTime;
use crate::types::{Coll, Diff};
use crate::Host;

/// One side of a join: its rows keyed by join key, and their arrangement.
type Arrangement<'s, T> = Arranged<'s, TraceAgent<ValSpine<Key, Row, T, Diff>>>;

#[derive(Clone)]
struct Side<'s, T: EngineTime> {
    keyed: Coll<'s, T>,
    arranged: Arrangement<'s, T>,
}

/// The join sides built so far in one scope, by (input node, key expressions, side): a table
/// joined several times on the same keys (PageRank's edges, once per step) is keyed and
/// arranged once, and every join reads the one arrangement.
/// A scope has a handful of joins, so the sides are found by a linear search comparing the key
/// expressions themselves.
pub struct JoinSides<'s, T: EngineTime> {
    sides: RefCell<Vec<BuiltSide<'s, T>>>,
}

/// A side built, with what it was built from.
struct BuiltSide<'s, T: EngineTime> {
    input: usize,
    keys: Vec<Expr>,
    side: &'static str,
    built: Side<'s, T>,
}

impl<'s, T: EngineTime> Default for JoinSides<'s, T> {
    fn default() -> Self {
        JoinSides { sides: RefCell::new(Vec::new()) }
    }
}

impl<'s, T: EngineTime> JoinSides<'s, T> {
    /// Side `side` of join node `node` over node `input`'s table; the error-log rows of its key
    /// evaluation come with the first join that builds it (None when shared).
    fn side(
        &self,
        input: usize,
        table: Coll<'s, T>,
        node: usize,
        keys: Vec<Expr>,
        side: &'static str,
        host: Arc<dyn Host>,
    ) -> (Side<'s, T>, Option<Coll<'s, T>>) {
        let found = (self.sides.borrow().iter())
            .find(|b| b.input == input && b.keys == keys && b.side == side)
            .map(|b| b.built.clone());
        if let Some(found) = found {
            return (found, None);
        }
        let (keyed, errors) = keyed(table, node, keys.clone(), side, host);
        let arranged = keyed.clone().arrange_by_key_named(&format!("Join#{node}.{side}.arrange"));
        let built = Side { keyed, arranged };
        self.sides.borrow_mut().push(BuiltSide { input, keys, side, built: built.clone() });
        (built, Some(errors))
    }
}

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
/// Built in one allocation (an exact-size iterator collected into the row).
fn combine(shape: JoinShape, id: JoinId, left: Option<&Row>, right: Option<&Row>) -> (Key, Row) {
    let left_id = left.map(|l| l[shape.left].clone()).unwrap_or_default();
    let right_id = right.map(|r| r[shape.right].clone()).unwrap_or_default();
    let key = output_id(id, &left_id, &right_id);
    let (nl, nr) = (shape.left, shape.right);
    let row: Row = (0..nl + nr + 2)
        .map(|i| match i {
            i if i < nl => left.map_or(Value::None, |l| l[i].clone()),
            i if i < nl + nr => right.map_or(Value::None, |r| r[i - nl].clone()),
            i if i == nl + nr => left_id.clone(),
            _ => right_id.clone(),
        })
        .collect();
    (key, row)
}

/// What a `Join` node reads: its two input nodes and their tables.
pub struct JoinInputs<'s, T: EngineTime> {
    pub left: (usize, Coll<'s, T>),
    pub right: (usize, Coll<'s, T>),
}

/// Lowers a `Join` node; returns (result, error log rows).
#[allow(clippy::too_many_arguments)]
pub fn join<'s, T: EngineTime>(
    inputs: JoinInputs<'s, T>,
    sides: &JoinSides<'s, T>,
    node: usize,
    left_keys: Vec<Expr>,
    right_keys: Vec<Expr>,
    kind: JoinKind,
    id: JoinId,
    shape: JoinShape,
    host: Arc<dyn Host>,
) -> (Coll<'s, T>, Option<Coll<'s, T>>) {
    let (l, l_errors) = sides.side(inputs.left.0, inputs.left.1, node, left_keys, "left", host.clone());
    let (r, r_errors) = sides.side(inputs.right.0, inputs.right.1, node, right_keys, "right", host);
    let mut result = l
        .arranged
        .clone()
        .join_core(r.arranged.clone(), move |_k, lrow: &Row, rrow: &Row| Some(combine(shape, id, Some(lrow), Some(rrow))));
    if matches!(kind, JoinKind::Left | JoinKind::Outer) {
        let right_keys = r.keyed.clone().map(|(k, _)| k).distinct();
        let unmatched =
            l.keyed.clone().antijoin(right_keys).map(move |(_, lrow)| combine(shape, id, Some(&lrow), None));
        result = result.concat(unmatched);
    }
    if matches!(kind, JoinKind::Right | JoinKind::Outer) {
        let left_keys = l.keyed.map(|(k, _)| k).distinct();
        let unmatched = r.keyed.antijoin(left_keys).map(move |(_, rrow)| combine(shape, id, None, Some(&rrow)));
        result = result.concat(unmatched);
    }
    let errors = match (l_errors, r_errors) {
        (Some(a), Some(b)) => Some(a.concat(b)),
        (a, b) => a.or(b),
    };
    (result, errors)
}

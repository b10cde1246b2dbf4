//! `AsofJoin`: each driving row paired with the nearest row of the other side (by time, within
//! equal keys), incrementally.
//!
//! Both sides become `(key, [time, side, Pointer(id), values...])` and meet on one worker per
//! key, where each side's rows sit in an ordered map by `(time, rank, id, values)`; `rank` puts
//! the left or the right rows first at equal times, so the two sides' places never tie. A
//! driving row's match depends only on the other side's rows just before and after it, so a
//! change of an other-side row `p` can only change the matches of the driving rows between
//! `p`'s neighbours on its own side; those rows (and changed driving rows) are re-emitted,
//! old output retracted and new inserted, consolidated. Updates are applied per complete time,
//! in time order. A change costs O(log n + rows whose match can change).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Bound::{Excluded, Unbounded};
use std::sync::Arc;

use towpath_core::{IdBuildHasher, Key, Row, Value, ValueBuildHasher};
use towpath_plan::{AsofDirection, Expr, JoinKind};

use crate::eval::{eval_batch, EvalContext};
use crate::operators::batch::map_batches;
use crate::operators::per_time::per_complete_time;
use crate::operators::join::JoinShape;
use crate::types::{Coll, Diff};
use crate::Host;

/// A row's place in its side's order: (time, rank, id, values).
type Place = (Value, u8, Key, Row);

/// One key's rows: left (0) and right (1), with their multiplicities.
type Sides = [BTreeMap<Place, Diff>; 2];

/// What the operator needs to know about the node.
#[derive(Clone, Copy)]
pub struct AsofSpec {
    pub kind: JoinKind,
    pub direction: AsofDirection,
    pub left_first: bool,
    pub shape: JoinShape,
}

impl AsofSpec {
    fn drives(&self, side: usize) -> bool {
        match self.kind {
            JoinKind::Inner | JoinKind::Left => side == 0,
            JoinKind::Right => side == 1,
            JoinKind::Outer => true,
        }
    }

    fn rank(&self, side: usize) -> u8 {
        u8::from((side == 0) != self.left_first)
    }
}

/// Both sides keyed for the operator: `(key, [time, side, Pointer(id), values...])`.
fn keyed<'s>(input: Coll<'s>, node: usize, side: usize, time: Expr, keys: Vec<Expr>, host: Arc<dyn Host>) -> (Coll<'s>, Coll<'s>) {
    map_batches(input, &format!("AsofJoin#{node}.{side}"), node, move |rows, _times, out| {
        let mut ctx = EvalContext::new(&*host);
        let times = eval_batch(&time, rows, &mut ctx);
        let cols: Vec<Vec<Value>> = keys.iter().map(|e| eval_batch(e, rows, &mut ctx)).collect();
        for (i, ((id, row), t)) in rows.iter().zip(times).enumerate() {
            let key_vals: Vec<Value> = cols.iter().map(|c| c[i].clone()).collect();
            // A None or error key matches nothing (as in `Join`): a key of its own.
            let key = if key_vals.iter().any(|v| v.is_none() || v.is_error()) {
                Key::for_values(&[Value::Pointer(*id), Value::Int(side as i64)])
            } else {
                Key::for_values(&key_vals)
            };
            let mut vals = Vec::with_capacity(row.len() + 3);
            vals.push(t);
            vals.push(Value::Int(side as i64));
            vals.push(Value::Pointer(*id));
            vals.extend(row.iter().cloned());
            out.rows.push((i, (key, Row::from(vals))));
        }
        out.errors.append(&mut ctx.errors);
    })
}

/// Lowers an `AsofJoin` node; returns (joined rows, error log rows).
#[allow(clippy::too_many_arguments)]
pub fn asof_join<'s>(
    left: Coll<'s>,
    right: Coll<'s>,
    node: usize,
    times: (Expr, Expr),
    keys: (Vec<Expr>, Vec<Expr>),
    spec: AsofSpec,
    host: Arc<dyn Host>,
) -> (Coll<'s>, Coll<'s>) {
    let (l, le) = keyed(left, node, 0, times.0, keys.0, host.clone());
    let (r, re) = keyed(right, node, 1, times.1, keys.1, host);
    (pair(l.concat(r), &format!("AsofJoin#{node}.pair"), spec), le.concat(re))
}

fn pair<'s>(keyed: Coll<'s>, name: &str, spec: AsofSpec) -> Coll<'s> {
    let mut keys: HashMap<Key, Sides, IdBuildHasher> = HashMap::default();
    let decode = move |row: &Row| {
        let side = usize::from(row[1] == Value::Int(1));
        let id = match &row[2] {
            Value::Pointer(id) => *id,
            _ => unreachable!("asof rows are [time, side, id, values...]"),
        };
        (side, (row[0].clone(), spec.rank(side), id, Row::from(&row[3..])))
    };
    per_complete_time(keyed, name, decode, move |changes, out| {
        for (key, changed) in changes {
            let sides = keys.entry(key).or_default();
            out.extend(rematch(sides, changed, &spec));
            if sides.iter().all(BTreeMap::is_empty) {
                keys.remove(&key);
            }
        }
    })
}

fn timeless(t: &Value) -> bool {
    matches!(t, Value::None | Value::Error)
}

/// The present row of `side` just before (`before`) or just after `p`.
fn neighbour<'a>(side: &'a BTreeMap<Place, Diff>, p: &Place, before: bool) -> Option<&'a Place> {
    let keep = |(q, c): (&'a Place, &Diff)| (*c > 0).then_some(q);
    if before {
        side.range(..p.clone()).rev().find_map(keep)
    } else {
        side.range((Excluded(p.clone()), Unbounded)).find_map(keep)
    }
}

/// True when `b` (before `t`) is strictly closer to `t` than `f` (after it).
fn closer_before(t: &Value, b: &Value, f: &Value) -> bool {
    let int = |v: &Value| match v {
        Value::Int(x) | Value::DateTimeNaive(x) | Value::DateTimeUtc(x) | Value::Duration(x) => Some(i128::from(*x)),
        _ => None,
    };
    let float = |v: &Value| match v {
        Value::Int(x) => Some(*x as f64),
        Value::Float(x) => Some(*x),
        _ => None,
    };
    match (int(t), int(b), int(f)) {
        (Some(t), Some(b), Some(f)) => t - b < f - t,
        _ => match (float(t), float(b), float(f)) {
            (Some(t), Some(b), Some(f)) => t - b < f - t,
            _ => false,
        },
    }
}

/// The other side's row a driving row of `side` at `p` takes.
fn matched<'a>(sides: &'a Sides, side: usize, p: &Place, spec: &AsofSpec) -> Option<&'a Place> {
    if timeless(&p.0) {
        return None;
    }
    let other = &sides[1 - side];
    let valid = |q: Option<&'a Place>| q.filter(|q| !timeless(&q.0));
    let before = || valid(neighbour(other, p, true));
    let after = || valid(neighbour(other, p, false));
    match spec.direction {
        AsofDirection::Backward => before(),
        AsofDirection::Forward => after(),
        AsofDirection::Nearest => match (before(), after()) {
            (Some(b), Some(f)) => Some(if closer_before(&p.0, &b.0, &f.0) { b } else { f }),
            (b, f) => b.or(f),
        },
    }
}

/// Output rows of the driving rows `rows` (present ones) in the current state.
fn emit(sides: &Sides, rows: &BTreeSet<(usize, Place)>, spec: &AsofSpec, sign: Diff, out: &mut HashMap<(Key, Row), Diff>) {
    let JoinShape { left: lw, right: rw } = spec.shape;
    for (side, p) in rows {
        let count = sides[*side].get(p).copied().unwrap_or(0);
        if count <= 0 {
            continue;
        }
        let m = matched(sides, *side, p, spec);
        if m.is_none() && spec.kind == JoinKind::Inner {
            continue;
        }
        let mut vals: Vec<Value> = Vec::with_capacity(lw + rw + 2);
        let block = |q: Option<&Place>, width: usize, vals: &mut Vec<Value>| match q {
            Some(q) => vals.extend(q.3.iter().cloned()),
            None => vals.extend(std::iter::repeat_n(Value::None, width)),
        };
        let pointer = |q: Option<&Place>| q.map_or(Value::None, |q| Value::Pointer(q.2));
        let (l, r) = if *side == 0 { (Some(p), m) } else { (m, Some(p)) };
        block(l, lw, &mut vals);
        block(r, rw, &mut vals);
        vals.push(pointer(l));
        vals.push(pointer(r));
        let id = if *side == 0 { [pointer(l), Value::None] } else { [Value::None, pointer(r)] };
        *out.entry((Key::for_values(&id), Row::from(vals))).or_insert(0) += sign * count;
    }
}

/// Applies one time's net changes to a key's rows; returns the output updates they cause.
fn rematch(sides: &mut Sides, changed: HashMap<(usize, Place), Diff, ValueBuildHasher>, spec: &AsofSpec) -> Vec<((Key, Row), Diff)> {
    let changed: Vec<((usize, Place), Diff)> = changed.into_iter().filter(|(_, d)| *d != 0).collect();
    // Driving rows whose output can change, found in the old state (see the module comment).
    let mut affected: BTreeSet<(usize, Place)> = BTreeSet::new();
    for ((side, p), _) in &changed {
        if spec.drives(*side) {
            affected.insert((*side, p.clone()));
        }
        let other = 1 - side;
        if spec.drives(other) && !timeless(&p.0) {
            let lo = neighbour(&sides[*side], p, true).cloned();
            let hi = neighbour(&sides[*side], p, false).cloned();
            let range = (lo.map_or(Unbounded, Excluded), hi.map_or(Unbounded, Excluded));
            for (q, c) in sides[other].range(range) {
                if *c > 0 {
                    affected.insert((other, q.clone()));
                }
            }
        }
    }
    let mut out: HashMap<(Key, Row), Diff> = HashMap::new();
    emit(sides, &affected, spec, -1, &mut out);
    for ((side, p), diff) in changed {
        let count = sides[side].entry(p.clone()).or_insert(0);
        *count += diff;
        if *count == 0 {
            sides[side].remove(&p);
        }
    }
    emit(sides, &affected, spec, 1, &mut out);
    out.into_iter().filter(|(_, d)| *d != 0).collect()
}

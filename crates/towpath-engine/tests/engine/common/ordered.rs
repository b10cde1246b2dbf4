//! Reference semantics of the ordered nodes (`Session`, `AsofJoin`, `Deduplicate`), recomputed from scratch: plain sorting
//! of each instance's rows, following the node documentation in `towpath-plan`.

use std::collections::BTreeMap;

use towpath_core::{Key, Row, Value};
use towpath_engine::eval::{eval_batch, EvalContext};
use towpath_engine::Host;
use towpath_plan::{AsofDirection, Expr, JoinKind};

use super::reference::{add, Table};

/// `Session`: `input` rows with their (already evaluated) time and instance; rows whose time is
/// None or an error must already be left out. Adds `[values..., start, end, first id]` per row to `out`.
pub fn session(host: &dyn Host, rows: Vec<(Value, Value, Key, Row, i64)>, together: &Expr, out: &mut Table) {
    let mut instances: BTreeMap<Value, Vec<(Value, Key, Row, i64)>> = BTreeMap::new();
    for (time, instance, id, row, count) in rows {
        if count > 0 {
            instances.entry(instance).or_default().push((time, id, row, count));
        }
    }
    for mut members in instances.into_values() {
        members.sort_by(|a, b| (&a.0, &a.1, &a.2).cmp(&(&b.0, &b.1, &b.2)));
        let mut start = 0;
        for i in 0..members.len() {
            let last = i + 1 == members.len() || !joined(host, together, &members[i].0, &members[i + 1].0);
            if last {
                let (first, end) = (members[start].0.clone(), members[i].0.clone());
                for (_, id, row, count) in &members[start..=i] {
                    let mut vals = row.to_vec();
                    vals.push(first.clone());
                    vals.push(end.clone());
                    vals.push(Value::Pointer(members[start].1));
                    add(out, *id, Row::from(vals), *count);
                }
                start = i + 1;
            }
        }
    }
}

/// `together` on `[a, b]`; its errors are not logged.
fn joined(host: &dyn Host, together: &Expr, a: &Value, b: &Value) -> bool {
    let mut ctx = EvalContext::new(host);
    let row = Row::from(vec![a.clone(), b.clone()]);
    eval_batch(together, &[(Key(0), row)], &mut ctx).pop() == Some(Value::Bool(true))
}

/// One side's rows for `asof`: (time, key values or None when they cannot match, id, values,
/// count).
pub type AsofRows = Vec<(Value, Option<Vec<Value>>, Key, Row, i64)>;

/// `AsofJoin` from scratch: every driving row against every other-side row of its key.
pub fn asof(left: AsofRows, right: AsofRows, shape: (usize, usize), kind: JoinKind, direction: AsofDirection, left_first: bool, out: &mut Table) {
    let drives = |side: usize| match kind {
        JoinKind::Inner | JoinKind::Left => side == 0,
        JoinKind::Right => side == 1,
        JoinKind::Outer => true,
    };
    let rank = |side: usize| u8::from((side == 0) != left_first);
    let timeless = |t: &Value| matches!(t, Value::None | Value::Error);
    let sides = [&left, &right];
    for side in [0, 1] {
        if !drives(side) {
            continue;
        }
        for (t, key, id, row, count) in sides[side].iter().filter(|r| r.4 > 0) {
            let me = (t.clone(), rank(side), *id, row.clone());
            let candidates: Vec<(Value, u8, Key, Row)> = if timeless(t) || key.is_none() {
                Vec::new()
            } else {
                sides[1 - side]
                    .iter()
                    .filter(|o| o.4 > 0 && !timeless(&o.0) && o.1 == *key)
                    .map(|o| (o.0.clone(), rank(1 - side), o.2, o.3.clone()))
                    .collect()
            };
            let before = candidates.iter().filter(|c| **c < me).max();
            let after = candidates.iter().filter(|c| **c > me).min();
            let m = match direction {
                AsofDirection::Backward => before,
                AsofDirection::Forward => after,
                AsofDirection::Nearest => match (before, after) {
                    (Some(b), Some(f)) => Some(if distance(t, &b.0) < distance(&f.0, t) { b } else { f }),
                    (b, f) => b.or(f),
                },
            };
            if m.is_none() && kind == JoinKind::Inner {
                continue;
            }
            let fill = |q: Option<&Row>, width: usize| q.map_or(vec![Value::None; width], |r| r.to_vec());
            let ptr = |k: Option<Key>| k.map_or(Value::None, Value::Pointer);
            let (lrow, rrow, lid, rid) = if side == 0 {
                (Some(row), m.map(|m| &m.3), Some(*id), m.map(|m| m.2))
            } else {
                (m.map(|m| &m.3), Some(row), m.map(|m| m.2), Some(*id))
            };
            let mut vals = fill(lrow, shape.0);
            vals.extend(fill(rrow, shape.1));
            vals.push(ptr(lid));
            vals.push(ptr(rid));
            let out_id = if side == 0 { [ptr(lid), Value::None] } else { [Value::None, ptr(rid)] };
            add(out, Key::for_values(&out_id), Row::from(vals), *count);
        }
    }
}

/// `a - b` as a number (ints, floats, datetimes, durations), for `Nearest`.
fn distance(a: &Value, b: &Value) -> f64 {
    let num = |v: &Value| match v {
        Value::Int(x) | Value::DateTimeNaive(x) | Value::DateTimeUtc(x) | Value::Duration(x) => *x as f64,
        Value::Float(x) => *x,
        _ => f64::NAN,
    };
    num(a) - num(b)
}

/// `Deduplicate` from scratch: replays the input's net insertions time by time (`tables`: the
/// input table at every event time so far, in order), one acceptor call at a time.
pub fn deduplicate(host: &dyn Host, tables: &[&Table], value: &Expr, instance: Option<&Expr>, acceptor: &Expr, out: &mut Table) {
    let eval = |e: &Expr, id: Key, row: &Row| {
        let mut ctx = EvalContext::new(host);
        eval_batch(e, &[(id, row.clone())], &mut ctx).pop().expect("one value")
    };
    let mut current: BTreeMap<Value, (Value, Row)> = BTreeMap::new();
    let empty = Table::new();
    let mut prev = &empty;
    for table in tables {
        let mut candidates: BTreeMap<Value, Vec<(Value, Key, Row)>> = BTreeMap::new();
        for ((id, row), count) in table.iter() {
            if *count > prev.get(&(*id, row.clone())).copied().unwrap_or(0) {
                let inst = instance.map_or(Value::None, |e| eval(e, *id, row));
                candidates.entry(inst).or_default().push((eval(value, *id, row), *id, row.clone()));
            }
        }
        for (inst, mut cands) in candidates {
            cands.sort();
            for (v, _, row) in cands {
                let accepted = match current.get(&inst) {
                    None => true,
                    Some((old, _)) => {
                        let mut ctx = EvalContext::new(host);
                        let pair = Row::from(vec![v.clone(), old.clone()]);
                        eval_batch(acceptor, &[(Key(0), pair)], &mut ctx).pop() == Some(Value::Bool(true))
                    }
                };
                if accepted {
                    current.insert(inst.clone(), (v, row));
                }
            }
        }
        prev = table;
    }
    for (inst, (_, row)) in current {
        let id = if instance.is_some() { Key::for_values(std::slice::from_ref(&inst)) } else { Key::for_values(&[]) };
        add(out, id, row, 1);
    }
}

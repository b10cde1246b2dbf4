//! `Session` (session windows): each row gets the smallest and largest time of its session, and
//! the id of its first row.
//!
//! Each row becomes `(instance id, [time, Pointer(id), values...])`; the rows of one instance
//! meet on one worker, in an ordered map by `(time, id, values)`. Each present entry caches
//! whether it is `together` with the next present entry (the expression, a Python predicate for
//! `session(predicate=)`, is evaluated once per new pair of neighbours, in one batch per time).
//! Updates are applied per complete time, in time order, after consolidation. A change can only
//! alter the sessions that contain the changed row or its neighbours, before and after the
//! change: those sessions are walked and re-emitted (old bounds retracted, new ones inserted,
//! consolidated), so a change costs O(log n + size of the sessions around it).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Bound::{Excluded, Unbounded};
use std::sync::Arc;

use towpath_core::{IdBuildHasher, Key, Row, Value, ValueBuildHasher};
use towpath_plan::Expr;

use crate::eval::{eval_batch, EvalContext};
use crate::operators::batch::map_batches;
use crate::operators::per_time::per_complete_time;
use crate::types::{Coll, Diff};
use crate::Host;

/// A row's place in its instance's order: (time, id, values).
type Place = (Value, Key, Row);

/// A row's multiplicity and whether it is together with the next present row (`None` while
/// unknown or when it is the last row).
#[derive(Default)]
struct Entry {
    count: Diff,
    link: Option<bool>,
}

type Order = BTreeMap<Place, Entry>;

/// Lowers a `Session` node; returns (input values + `[start, end, first id]` per row, error log
/// rows).
pub fn session<'s>(
    input: Coll<'s>,
    node: usize,
    time: Expr,
    instance: Option<Expr>,
    together: Expr,
    host: Arc<dyn Host>,
) -> (Coll<'s>, Coll<'s>) {
    let eval_host = host.clone();
    let (keyed, errors) = map_batches(input, &format!("Session#{node}"), node, move |rows, _times, out| {
        let mut ctx = EvalContext::new(&*eval_host);
        let times = eval_batch(&time, rows, &mut ctx);
        let instances = instance.as_ref().map(|e| eval_batch(e, rows, &mut ctx));
        for (i, ((id, row), t)) in rows.iter().zip(times).enumerate() {
            if matches!(t, Value::None | Value::Error) {
                continue;
            }
            let group = match &instances {
                Some(values) => Key::for_values(std::slice::from_ref(&values[i])),
                None => Key::for_values(&[]),
            };
            let mut values = Vec::with_capacity(row.len() + 2);
            values.push(t);
            values.push(Value::Pointer(*id));
            values.extend(row.iter().cloned());
            out.rows.push((i, (group, Row::from(values))));
        }
        out.errors.append(&mut ctx.errors);
    });
    (assign(keyed, &format!("Session#{node}.assign"), together, host), errors)
}

/// `(instance, [time, Pointer(id), values...])` updates → `(id, [values..., start, end, first])`.
fn assign<'s>(keyed: Coll<'s>, name: &str, together: Expr, host: Arc<dyn Host>) -> Coll<'s> {
    let mut orders: HashMap<Key, Order, IdBuildHasher> = HashMap::default();
    per_complete_time(keyed, name, place, move |changes, out| {
        for (instance, changed) in changes {
            let order = orders.entry(instance).or_default();
            out.extend(reassign(order, changed, &together, &*host));
            if order.is_empty() {
                orders.remove(&instance);
            }
        }
    })
}

fn place(row: &Row) -> Place {
    match &row[1] {
        Value::Pointer(id) => (row[0].clone(), *id, Row::from(&row[2..])),
        _ => unreachable!("session rows are [time, id, values...]"),
    }
}

fn present(order: &Order, p: &Place) -> bool {
    order.get(p).is_some_and(|e| e.count > 0)
}

/// The present row just before (`before`) or just after `p` (which need not be present).
fn neighbour<'a>(order: &'a Order, p: &Place, before: bool) -> Option<&'a Place> {
    let keep = |(q, e): (&'a Place, &Entry)| (e.count > 0).then_some(q);
    if before {
        order.range(..p.clone()).rev().find_map(keep)
    } else {
        order.range((Excluded(p.clone()), Unbounded)).find_map(keep)
    }
}

/// Adds to `out` (with sign `sign`) the output rows of the sessions holding the present places
/// among `seeds`, skipping sessions already walked (`walked` holds their first places).
fn emit_sessions(order: &Order, seeds: &[Place], walked: &mut BTreeSet<Place>, sign: Diff, out: &mut HashMap<(Key, Row), Diff>) {
    for seed in seeds {
        if !present(order, seed) {
            continue;
        }
        let mut first = seed.clone();
        while let Some(prev) = neighbour(order, &first, true) {
            if order[prev].link != Some(true) {
                break;
            }
            first = prev.clone();
        }
        if !walked.insert(first.clone()) {
            continue;
        }
        let mut members = vec![first];
        loop {
            let last = members.last().expect("a session has a first row");
            if order[last].link != Some(true) {
                break;
            }
            match neighbour(order, last, false) {
                Some(next) => members.push(next.clone()),
                None => break,
            }
        }
        let start = members[0].0.clone();
        let end = members.last().expect("non-empty").0.clone();
        let name = Value::Pointer(members[0].1);
        for member in &members {
            let (_, id, values) = member;
            let mut row = values.to_vec();
            row.push(start.clone());
            row.push(end.clone());
            row.push(name.clone());
            *out.entry((*id, Row::from(row))).or_insert(0) += sign * order[member].count;
        }
    }
}

/// Applies one time's net changes to an instance; returns the output updates they cause.
fn reassign(order: &mut Order, changed: HashMap<Place, Diff, ValueBuildHasher>, together: &Expr, host: &dyn Host) -> Vec<((Key, Row), Diff)> {
    let changed: Vec<(Place, Diff)> = changed.into_iter().filter(|(_, d)| *d != 0).collect();
    let mut out: HashMap<(Key, Row), Diff> = HashMap::new();
    let seeds = |order: &Order| -> Vec<Place> {
        let mut seeds = Vec::new();
        for (p, _) in &changed {
            seeds.extend(neighbour(order, p, true).cloned());
            seeds.push(p.clone());
            seeds.extend(neighbour(order, p, false).cloned());
        }
        seeds
    };
    let before = seeds(order);
    emit_sessions(order, &before, &mut BTreeSet::new(), -1, &mut out);
    for (p, diff) in &changed {
        let entry = order.entry(p.clone()).or_default();
        entry.count += diff;
        entry.link = None;
        if entry.count == 0 {
            order.remove(p);
        }
    }
    // Links to recompute: each present changed row's and its new predecessor's.
    let mut stale: BTreeSet<Place> = BTreeSet::new();
    for (p, _) in &changed {
        stale.extend(neighbour(order, p, true).cloned());
        if present(order, p) {
            stale.insert(p.clone());
        }
    }
    let mut pairs: Vec<(Place, (Key, Row))> = Vec::new();
    for p in stale {
        match neighbour(order, &p, false) {
            Some(next) => {
                let row = Row::from(vec![p.0.clone(), next.0.clone()]);
                pairs.push((p.clone(), (p.1, row)));
            }
            None => order.get_mut(&p).expect("present").link = None,
        }
    }
    if !pairs.is_empty() {
        let rows: Vec<(Key, Row)> = pairs.iter().map(|(_, r)| r.clone()).collect();
        // Errors of the predicate split the session; they are not logged (see `NodeKind::Session`).
        let mut ctx = EvalContext::new(host);
        let links = eval_batch(together, &rows, &mut ctx);
        for ((p, _), link) in pairs.into_iter().zip(links) {
            order.get_mut(&p).expect("present").link = Some(link == Value::Bool(true));
        }
    }
    let after = seeds(order);
    emit_sessions(order, &after, &mut BTreeSet::new(), 1, &mut out);
    out.into_iter().filter(|(_, d)| *d != 0).collect()
}

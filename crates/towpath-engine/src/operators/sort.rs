//! `sort(key, instance=)`: for each row, the ids of its neighbours in key order within its
//! instance (`prev`, `next`).
//!
//! Each row becomes `(instance id, [key, Pointer(id)])`; the rows of one instance meet on one
//! worker, in an ordered map per instance. Updates are applied per complete time, in time order,
//! after consolidation; only the rows whose neighbours can have changed are re-linked, so a
//! change costs O(log n) in its instance's size. Those rows are the changed rows and their
//! neighbours in the old order: a row whose links change has either lost a neighbour (a changed
//! row it was next to) or gained one (a changed row that falls between it and its old neighbour).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use towpath_core::{IdBuildHasher, Key, Row, Value, ValueBuildHasher};
use towpath_plan::Expr;

use crate::eval::{eval_batch, EvalContext};
use crate::operators::batch::map_batches;
use crate::operators::per_time::per_complete_time;
use crate::types::{Coll, Diff};
use crate::Host;

/// A row's place in its instance's order: (sort key, id).
type Place = (Value, Key);

/// One instance's rows with their multiplicities (a row is present while it is positive).
type Order = BTreeMap<Place, Diff>;

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
    (link(keyed, &format!("Sort#{node}.link")), errors)
}

/// `(instance, [key, Pointer(id)])` updates → `(id, [prev, next])` updates.
fn link<'s>(keyed: Coll<'s>, name: &str) -> Coll<'s> {
    let mut orders: HashMap<Key, Order, IdBuildHasher> = HashMap::default();
    per_complete_time(keyed, name, place, move |changes, out| {
        for (instance, changed) in changes {
            let order = orders.entry(instance).or_default();
            out.extend(relink(order, changed));
            if order.is_empty() {
                orders.remove(&instance);
            }
        }
    })
}

fn place(row: &Row) -> Place {
    match &row[1] {
        Value::Pointer(id) => (row[0].clone(), *id),
        _ => unreachable!("sort rows end with their id"),
    }
}

/// Applies one time's net changes to an instance; returns the link updates they cause.
fn relink(order: &mut Order, changed: HashMap<Place, Diff, ValueBuildHasher>) -> Vec<((Key, Row), Diff)> {
    let changed: Vec<(Place, Diff)> = changed.into_iter().filter(|(_, d)| *d != 0).collect();
    let mut touched: BTreeSet<Place> = BTreeSet::new();
    for (p, _) in &changed {
        touched.extend(neighbour(order, p, true).cloned());
        touched.extend(neighbour(order, p, false).cloned());
        touched.insert(p.clone());
    }
    let links = |order: &Order| -> HashMap<(Key, Row), Diff> {
        let present = touched.iter().filter(|p| order.get(*p).is_some_and(|c| *c > 0));
        let pointer = |p: Option<&Place>| p.map_or(Value::None, |(_, id)| Value::Pointer(*id));
        let row = |p: &Place| (p.1, Row::from(vec![pointer(neighbour(order, p, true)), pointer(neighbour(order, p, false))]));
        let mut links: HashMap<(Key, Row), Diff> = HashMap::new();
        for p in present {
            *links.entry(row(p)).or_insert(0) += 1;
        }
        links
    };
    let before = links(order);
    for (p, diff) in changed {
        let count = order.entry(p.clone()).or_insert(0);
        *count += diff;
        if *count == 0 {
            order.remove(&p);
        }
    }
    let mut net = links(order);
    for (link, count) in before {
        *net.entry(link).or_insert(0) -= count;
    }
    net.into_iter().filter(|(_, d)| *d != 0).collect()
}

/// The present row just before (`before`) or just after `p` (which need not be present).
fn neighbour<'a>(order: &'a Order, p: &Place, before: bool) -> Option<&'a Place> {
    let present = |(q, c): (&'a Place, &Diff)| (*c > 0).then_some(q);
    if before {
        order.range(..p.clone()).rev().find_map(present)
    } else {
        use std::ops::Bound::{Excluded, Unbounded};
        order.range((Excluded(p.clone()), Unbounded)).find_map(present)
    }
}

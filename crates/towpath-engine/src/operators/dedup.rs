//! `Deduplicate`: per instance, the last row the acceptor accepted.
//!
//! Each row becomes `(instance id, [value, Pointer(id), values...])`; the rows of one instance
//! meet on one worker. Insertions are gathered per time and processed once the time is complete,
//! in time order; within a time, each instance's candidates in `(value, id, values)` order.
//! Each candidate needs the acceptor's verdict against the current row, so an instance's
//! candidates are sequential; the calls are batched across instances (round `k` asks about the
//! `k`-th candidate of every instance at once), so a commit costs as many host calls as its
//! busiest instance has candidates, not one per row.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use towpath_core::{IdBuildHasher, Key, Row, Value, ValueBuildHasher};
use towpath_plan::Expr;

use crate::eval::{eval_batch, EvalContext};
use crate::operators::batch::map_batches;
use crate::operators::per_time::per_complete_time;
use crate::types::{Coll, Diff};
use crate::Host;

/// A candidate: (value, id, values).
type Candidate = (Value, Key, Row);

/// Lowers a `Deduplicate` node; returns (one row per instance, error log rows).
pub fn deduplicate<'s>(
    input: Coll<'s>,
    node: usize,
    value: Expr,
    instance: Option<Expr>,
    acceptor: Expr,
    host: Arc<dyn Host>,
) -> (Coll<'s>, Coll<'s>) {
    let eval_host = host.clone();
    let (keyed, errors) = map_batches(input, &format!("Deduplicate#{node}"), node, move |rows, _times, out| {
        let mut ctx = EvalContext::new(&*eval_host);
        let values = eval_batch(&value, rows, &mut ctx);
        let instances = instance.as_ref().map(|e| eval_batch(e, rows, &mut ctx));
        for (i, ((id, row), v)) in rows.iter().zip(values).enumerate() {
            let group = match &instances {
                Some(insts) => Key::for_values(std::slice::from_ref(&insts[i])),
                None => Key::for_values(&[]),
            };
            let mut vals = Vec::with_capacity(row.len() + 2);
            vals.push(v);
            vals.push(Value::Pointer(*id));
            vals.extend(row.iter().cloned());
            out.rows.push((i, (group, Row::from(vals))));
        }
        out.errors.append(&mut ctx.errors);
    });
    (accept(keyed, &format!("Deduplicate#{node}.accept"), acceptor, host), errors)
}

fn accept<'s>(keyed: Coll<'s>, name: &str, acceptor: Expr, host: Arc<dyn Host>) -> Coll<'s> {
    // Per instance: the accepted value and row.
    let mut current: HashMap<Key, (Value, Row), IdBuildHasher> = HashMap::default();
    per_complete_time(keyed, name, candidate, move |changes, out| {
        out.extend(process(&mut current, changes, &acceptor, &*host));
    })
}

fn candidate(row: &Row) -> Candidate {
    match &row[1] {
        Value::Pointer(id) => (row[0].clone(), *id, Row::from(&row[2..])),
        _ => unreachable!("deduplicate rows are [value, id, values...]"),
    }
}

/// Runs one time's insertions through the acceptor; returns the output updates.
fn process<S: std::hash::BuildHasher>(
    current: &mut HashMap<Key, (Value, Row), S>,
    changes: HashMap<Key, HashMap<Candidate, Diff, ValueBuildHasher>, S>,
    acceptor: &Expr,
    host: &dyn Host,
) -> Vec<((Key, Row), Diff)> {
    let mut queues: Vec<(Key, std::vec::IntoIter<Candidate>)> = changes
        .into_iter()
        .map(|(instance, cands)| {
            let sorted: BTreeSet<Candidate> = cands.into_iter().filter(|(_, d)| *d > 0).map(|(c, _)| c).collect();
            (instance, sorted.into_iter().collect::<Vec<_>>().into_iter())
        })
        .collect();
    let before: HashMap<Key, Row> = queues.iter().filter_map(|(k, _)| current.get(k).map(|(_, r)| (*k, r.clone()))).collect();
    loop {
        // This round's candidate of every instance with one left.
        let mut asks: Vec<(Key, Candidate)> = Vec::new();
        for (instance, queue) in queues.iter_mut() {
            if let Some(c) = queue.next() {
                asks.push((*instance, c));
            }
        }
        if asks.is_empty() {
            break;
        }
        let mut pairs: Vec<(usize, (Key, Row))> = Vec::new();
        for (i, (instance, (value, id, values))) in asks.iter().enumerate() {
            match current.get(instance) {
                None => {
                    current.insert(*instance, (value.clone(), values.clone()));
                }
                Some((old, _)) => pairs.push((i, (*id, Row::from(vec![value.clone(), old.clone()])))),
            }
        }
        if pairs.is_empty() {
            continue;
        }
        let rows: Vec<(Key, Row)> = pairs.iter().map(|(_, r)| r.clone()).collect();
        let mut ctx = EvalContext::new(host);
        let verdicts = eval_batch(acceptor, &rows, &mut ctx);
        for ((i, _), verdict) in pairs.into_iter().zip(verdicts) {
            if verdict == Value::Bool(true) {
                let (instance, (value, _, values)) = &asks[i];
                current.insert(*instance, (value.clone(), values.clone()));
            }
        }
    }
    let mut out = Vec::new();
    for (instance, _) in queues {
        let Some((_, now)) = current.get(&instance) else {
            continue; // only deletions so far: nothing accepted
        };
        match before.get(&instance) {
            Some(old) if old == now => {}
            Some(old) => {
                out.push(((instance, old.clone()), -1));
                out.push(((instance, now.clone()), 1));
            }
            None => out.push(((instance, now.clone()), 1)),
        }
    }
    out
}

//! Memoizing select, for expressions calling non-deterministic UDFs: each row's output is
//! computed once, when the row appears, and remembered, so that the row's deletion retracts
//! exactly the values its insertion produced (calling the UDF again could give others).

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use differential_dataflow::AsCollection;
use timely::dataflow::channels::pact::Exchange;
use timely::dataflow::operators::generic::builder_rc::OperatorBuilder;
use timely::dataflow::operators::generic::OutputBuilder;
use timely::dataflow::operators::Capability;
use towpath_core::{IdBuildHasher, Key, Row, Time};
use towpath_plan::Expr;

use crate::errors::error_row;
use crate::eval::{eval_rows, EvalContext};
use crate::types::{Coll, Diff};
use crate::Host;

/// Rows evaluated per host call at most (bounds the size of one UDF batch).
const CHUNK: usize = 16_384;

/// The updates of one time, consolidated when the time completes.
type Updates = Vec<((Key, Row), Diff)>;

/// Containers of updates as they arrived, all of one time (kept whole: copying a large commit
/// into one growing vector costs more than the state it builds).
type Arrived = Vec<Vec<((Key, Row), Time, Diff)>>;

/// A row's error-log entries (message, trace): rare, so behind a thin pointer.
#[allow(clippy::box_collection)]
type Errors = Option<Box<Vec<(String, String)>>>;

/// What a live input row produced. One per live row, so kept small: the input row is known by
/// a 128-bit fingerprint of its values (as ids are 128-bit hashes), not kept alive.
struct Memo {
    fingerprint: u128,
    out: Row,
    errors: Errors,
    count: Diff,
}

/// The remembered outputs of the live rows, by id (ids are hashes, so the maps hash nothing
/// else). An id has one live row except in unusual plans (overlapping concatenations), whose
/// further rows go to `more`.
#[derive(Default)]
struct Live {
    first: HashMap<Key, Memo, IdBuildHasher>,
    more: HashMap<Key, Vec<Memo>, IdBuildHasher>,
}

impl Live {
    fn get_mut(&mut self, key: Key, fingerprint: u128) -> Option<&mut Memo> {
        if self.first.get(&key).is_some_and(|m| m.fingerprint == fingerprint) {
            return self.first.get_mut(&key);
        }
        if self.more.is_empty() {
            return None;
        }
        self.more.get_mut(&key)?.iter_mut().find(|m| m.fingerprint == fingerprint)
    }

    fn insert(&mut self, key: Key, memo: Memo) {
        match self.first.entry(key) {
            Entry::Vacant(slot) => {
                slot.insert(memo);
            }
            Entry::Occupied(_) => self.more.entry(key).or_default().push(memo),
        }
    }

    fn remove(&mut self, key: Key, fingerprint: u128) {
        if self.first.get(&key).is_some_and(|m| m.fingerprint == fingerprint) {
            self.first.remove(&key);
        } else if let Some(rows) = self.more.get_mut(&key) {
            rows.retain(|m| m.fingerprint != fingerprint);
            if rows.is_empty() {
                self.more.remove(&key);
            }
        }
    }
}

/// Sums the diffs of equal `(id, row)` updates and drops those that cancel out. Sorts by id
/// only (cheap 128-bit comparisons); rows are compared within the short runs of one id.
fn consolidate_by_id(updates: &mut Updates) {
    updates.sort_unstable_by_key(|((key, _), _)| *key);
    let mut kept = 0;
    let mut start = 0;
    while start < updates.len() {
        let key = updates[start].0 .0;
        let run = kept;
        let mut i = start;
        while i < updates.len() && updates[i].0 .0 == key {
            match (run..kept).find(|&p| updates[p].0 .1 == updates[i].0 .1) {
                Some(p) => updates[p].1 += updates[i].1,
                None => {
                    // Everything between `kept` and `i` was merged into an earlier entry.
                    updates.swap(kept, i);
                    kept += 1;
                }
            }
            i += 1;
        }
        start = i;
    }
    updates.truncate(kept);
    updates.retain(|(_, diff)| *diff != 0);
}

/// Applies one complete time's consolidated updates: rows seen before reuse their remembered
/// output; the others are evaluated (in chunks) and remembered. A row deleted before it was
/// ever inserted is remembered with a negative count, so its later insertion cancels it exactly.
/// `emit` receives each update's id, the row's memo and the diff.
fn apply(updates: &Updates, live: &mut Live, exprs: &[Expr], host: &dyn Host, emit: &mut dyn FnMut(Key, &Memo, Diff)) {
    let mut new: Vec<(usize, u128)> = Vec::new();
    for (i, ((key, row), diff)) in updates.iter().enumerate() {
        let fingerprint = Key::for_values(row).0;
        let Some(memo) = live.get_mut(*key, fingerprint) else {
            new.push((i, fingerprint));
            continue;
        };
        emit(*key, memo, *diff);
        memo.count += diff;
        if memo.count == 0 {
            live.remove(*key, fingerprint);
        }
    }
    live.first.reserve(new.len());
    let mut input: Vec<(Key, Row)> = Vec::with_capacity(new.len().min(CHUNK));
    for chunk in new.chunks(CHUNK) {
        input.clear();
        input.extend(chunk.iter().map(|(i, _)| updates[*i].0.clone()));
        let mut ctx = EvalContext::new(host);
        let outs = eval_rows(exprs, &input, &mut ctx);
        let mut errors: Vec<Errors> = vec![None; chunk.len()];
        for e in ctx.errors {
            errors[e.row].get_or_insert_with(Default::default).push((e.message, e.trace));
        }
        for (((i, fingerprint), out), errors) in chunk.iter().zip(outs).zip(errors) {
            let ((key, _), diff) = &updates[*i];
            let memo = Memo { fingerprint: *fingerprint, out, errors, count: *diff };
            emit(*key, &memo, *diff);
            live.insert(*key, memo);
        }
    }
}

/// Lowers a `Select` whose expressions call a non-deterministic UDF; returns (rows, error log
/// rows of node `node`).
///
/// Updates are exchanged by row id, so the insertion and the deletion of a row meet on one
/// worker; they are consolidated and processed per complete time, in time order. A row (id and
/// values) seen for the first time is evaluated; later updates of it reuse the remembered output
/// (and error-log entries), which are forgotten when its multiplicity returns to zero.
pub fn memo_select<'s>(
    coll: Coll<'s>,
    name: &str,
    node: usize,
    exprs: Vec<Expr>,
    host: Arc<dyn Host>,
) -> (Coll<'s>, Coll<'s>) {
    let mut builder = OperatorBuilder::new(name.to_owned(), coll.inner.scope());
    let exchange = Exchange::new(|((k, _), _, _): &((Key, Row), Time, Diff)| k.0 as u64);
    let mut input = builder.new_input(coll.inner, exchange);
    let (rows_out, rows_stream) = builder.new_output();
    let (errs_out, errs_stream) = builder.new_output();
    let mut rows_out = OutputBuilder::from(rows_out);
    let mut errs_out = OutputBuilder::from(errs_out);

    builder.build(move |_| {
        let mut pending: BTreeMap<Time, (Capability<Time>, Capability<Time>, Arrived)> = BTreeMap::new();
        let mut live = Live::default();
        move |frontiers| {
            input.for_each(|cap, data: &mut Vec<((Key, Row), Time, Diff)>| {
                let Some(&(_, first, _)) = data.first() else { return };
                let mut by_time: BTreeMap<Time, Vec<_>> = BTreeMap::new();
                if data.iter().all(|(_, t, _)| *t == first) {
                    by_time.insert(first, std::mem::take(data));
                } else {
                    for update in data.drain(..) {
                        by_time.entry(update.1).or_default().push(update);
                    }
                }
                for (time, updates) in by_time {
                    let slot = pending
                        .entry(time)
                        .or_insert_with(|| (cap.delayed(&time, 0), cap.delayed(&time, 1), Vec::new()));
                    slot.2.push(updates);
                }
            });
            let mut rows_handle = rows_out.activate();
            let mut errs_handle = errs_out.activate();
            while let Some(entry) = pending.first_entry() {
                if frontiers[0].less_equal(entry.key()) {
                    break;
                }
                let (time, (rows_cap, errs_cap, arrived)) = entry.remove_entry();
                let mut updates = Updates::with_capacity(arrived.iter().map(Vec::len).sum());
                for container in arrived {
                    updates.extend(container.into_iter().map(|(row, _, diff)| (row, diff)));
                }
                consolidate_by_id(&mut updates);
                let mut rows = rows_handle.session(&rows_cap);
                let mut errors = errs_handle.session(&errs_cap);
                let mut emit = |key: Key, memo: &Memo, diff: Diff| {
                    rows.give(((key, memo.out.clone()), time, diff));
                    for (message, trace) in memo.errors.iter().flat_map(|e| e.iter()) {
                        errors.give((error_row(node, key, message, trace), time, diff));
                    }
                };
                apply(&updates, &mut live, &exprs, &*host, &mut emit);
            }
        }
    });
    (rows_stream.as_collection(), errs_stream.as_collection())
}

#[cfg(test)]
mod tests {
    use towpath_core::{Key, Row, Value};

    use super::consolidate_by_id;

    fn row(v: i64) -> Row {
        Row::from(vec![Value::Int(v)])
    }

    #[test]
    fn consolidation_merges_equal_rows_of_an_id_and_drops_cancelled_ones() {
        let (a, b) = (Key(1), Key(2));
        let mut updates = vec![
            ((b, row(1)), 1),
            ((a, row(1)), 1),
            ((a, row(2)), 1),
            ((b, row(1)), -1),
            ((a, row(1)), 2),
            ((a, row(3)), -1),
            ((b, row(5)), 1),
        ];
        consolidate_by_id(&mut updates);
        updates.sort();
        assert_eq!(updates, vec![((a, row(1)), 3), ((a, row(2)), 1), ((a, row(3)), -1), ((b, row(5)), 1)]);
    }
}

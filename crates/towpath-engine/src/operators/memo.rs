//! Memoizing select, for expressions calling non-deterministic UDFs: each row's output is
//! computed once, when the row appears, and remembered, so that the row's deletion retracts
//! exactly the values its insertion produced (calling the UDF again could give others).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use differential_dataflow::consolidation::consolidate;
use differential_dataflow::AsCollection;
use timely::dataflow::channels::pact::Exchange;
use timely::dataflow::operators::generic::builder_rc::OperatorBuilder;
use timely::dataflow::operators::generic::OutputBuilder;
use timely::dataflow::operators::Capability;
use towpath_core::{Key, Row, Time};
use towpath_plan::Expr;

use crate::errors::error_row;
use crate::eval::{eval_rows, EvalContext};
use towpath_core::IdBuildHasher;
use crate::types::{Coll, Diff};
use crate::Host;

/// Rows evaluated per host call at most (bounds the size of one UDF batch).
const CHUNK: usize = 16_384;

/// The updates of one pending time, consolidated when the time completes.
type Updates = Vec<((Key, Row), Diff)>;

/// What a live input row produced: its output row and error-log entries (message, trace).
/// Small, as there is one per live row.
struct Memo {
    row: Row,
    out: Row,
    errors: Option<Box<[(String, String)]>>,
    count: Diff,
}

/// The remembered outputs of the live rows, by id. Ids are hashes, so the maps hash nothing
/// else; an id has one live row except in unusual plans (overlapping concatenations), whose
/// further rows go to `more`.
#[derive(Default)]
struct Live {
    first: HashMap<Key, Memo, IdBuildHasher>,
    more: HashMap<Key, Vec<Memo>, IdBuildHasher>,
}

impl Live {
    fn get_mut(&mut self, key: Key, row: &Row) -> Option<&mut Memo> {
        if self.first.get(&key).is_some_and(|m| m.row == *row) {
            return self.first.get_mut(&key);
        }
        self.more.get_mut(&key)?.iter_mut().find(|m| m.row == *row)
    }

    fn insert(&mut self, key: Key, memo: Memo) {
        match self.first.entry(key) {
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(memo);
            }
            std::collections::hash_map::Entry::Occupied(_) => self.more.entry(key).or_default().push(memo),
        }
    }

    fn remove(&mut self, key: Key, row: &Row) {
        if self.first.get(&key).is_some_and(|m| m.row == *row) {
            self.first.remove(&key);
        } else if let Some(rows) = self.more.get_mut(&key) {
            rows.retain(|m| m.row != *row);
            if rows.is_empty() {
                self.more.remove(&key);
            }
        }
    }
}

/// Applies one complete time's consolidated updates: rows seen before reuse their remembered
/// output; the others are evaluated (in chunks) and remembered. A row deleted before it was
/// ever inserted is remembered with a negative count, so its later insertion cancels it exactly.
/// `emit` receives each update's id, the row's memo and the diff.
fn apply(updates: Updates, live: &mut Live, exprs: &[Expr], host: &dyn Host, emit: &mut dyn FnMut(Key, &Memo, Diff)) {
    let mut new: Vec<((Key, Row), Diff)> = Vec::new();
    for ((key, row), diff) in updates {
        let Some(memo) = live.get_mut(key, &row) else {
            new.push(((key, row), diff));
            continue;
        };
        emit(key, memo, diff);
        memo.count += diff;
        if memo.count == 0 {
            live.remove(key, &row);
        }
    }
    live.first.reserve(new.len());
    let mut input: Vec<(Key, Row)> = Vec::with_capacity(new.len().min(CHUNK));
    for chunk in new.chunks(CHUNK) {
        input.clear();
        input.extend(chunk.iter().map(|(r, _)| r.clone()));
        let mut ctx = EvalContext::new(host);
        let outs = eval_rows(exprs, &input, &mut ctx);
        let mut errors: Vec<Vec<(String, String)>> = vec![Vec::new(); chunk.len()];
        for e in ctx.errors {
            errors[e.row].push((e.message, e.trace));
        }
        for ((((key, row), diff), out), errors) in chunk.iter().zip(outs).zip(errors) {
            let errors = (!errors.is_empty()).then(|| errors.into_boxed_slice());
            let memo = Memo { row: row.clone(), out, errors, count: *diff };
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
        let mut pending: BTreeMap<Time, (Capability<Time>, Capability<Time>, Updates)> = BTreeMap::new();
        let mut live = Live::default();
        move |frontiers| {
            input.for_each(|cap, data: &mut Vec<((Key, Row), Time, Diff)>| {
                for (row, time, diff) in data.drain(..) {
                    let slot = pending
                        .entry(time)
                        .or_insert_with(|| (cap.delayed(&time, 0), cap.delayed(&time, 1), Updates::new()));
                    slot.2.push((row, diff));
                }
            });
            let mut rows_handle = rows_out.activate();
            let mut errs_handle = errs_out.activate();
            while let Some(entry) = pending.first_entry() {
                if frontiers[0].less_equal(entry.key()) {
                    break;
                }
                let (time, (rows_cap, errs_cap, mut updates)) = entry.remove_entry();
                consolidate(&mut updates);
                let mut rows = rows_handle.session(&rows_cap);
                let mut errors = errs_handle.session(&errs_cap);
                let mut emit = |key: Key, memo: &Memo, diff: Diff| {
                    rows.give(((key, memo.out.clone()), time, diff));
                    for (message, trace) in memo.errors.iter().flatten() {
                        errors.give((error_row(node, key, message, trace), time, diff));
                    }
                };
                apply(updates, &mut live, &exprs, &*host, &mut emit);
            }
        }
    });
    (rows_stream.as_collection(), errs_stream.as_collection())
}

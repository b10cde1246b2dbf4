//! Memoizing select, for expressions calling non-deterministic UDFs: each row's output is
//! computed once, when the row appears, and remembered, so that the row's deletion retracts
//! exactly the values its insertion produced (calling the UDF again could give others).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use differential_dataflow::AsCollection;
use timely::dataflow::channels::pact::Exchange;
use timely::dataflow::operators::generic::builder_rc::OperatorBuilder;
use timely::dataflow::operators::generic::OutputBuilder;
use timely::dataflow::operators::Capability;
use towpath_core::{Key, Row, Time};
use towpath_plan::Expr;
use xxhash_rust::xxh3::Xxh3Builder;

use crate::errors::error_row;
use crate::eval::{eval_rows, EvalContext};
use crate::types::{Coll, Diff};
use crate::Host;

/// Rows evaluated per host call at most (bounds the size of one UDF batch).
const CHUNK: usize = 16_384;

/// The consolidated updates of one pending time.
type Updates = HashMap<(Key, Row), Diff, Xxh3Builder>;

/// What a live input row produced: its output row, its error-log entries (message, trace), and
/// its multiplicity.
struct Memo {
    out: Row,
    errors: Vec<(String, String)>,
    count: Diff,
}

/// Per-worker state of the operator: updates waiting for their time to complete, and the
/// outputs of the live rows.
struct State {
    pending: BTreeMap<Time, (Capability<Time>, Capability<Time>, Updates)>,
    live: HashMap<(Key, Row), Memo, Xxh3Builder>,
}

impl State {
    /// Evaluates `exprs` on the rows of `updates` that have no remembered output yet.
    fn evaluate_new(&mut self, updates: &Updates, exprs: &[Expr], host: &dyn Host) {
        let new: Vec<(Key, Row)> =
            updates.iter().filter(|(r, d)| **d != 0 && !self.live.contains_key(*r)).map(|(r, _)| r.clone()).collect();
        for chunk in new.chunks(CHUNK) {
            let mut ctx = EvalContext::new(host);
            let outs = eval_rows(exprs, chunk, &mut ctx);
            let mut errors: Vec<Vec<(String, String)>> = vec![Vec::new(); chunk.len()];
            for e in ctx.errors {
                errors[e.row].push((e.message, e.trace));
            }
            for ((row, out), errors) in chunk.iter().zip(outs).zip(errors) {
                self.live.insert(row.clone(), Memo { out, errors, count: 0 });
            }
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
        let mut state = State { pending: BTreeMap::new(), live: HashMap::default() };
        move |frontiers| {
            let pending = &mut state.pending;
            input.for_each(|cap, data: &mut Vec<((Key, Row), Time, Diff)>| {
                for (row, time, diff) in data.drain(..) {
                    let slot = pending
                        .entry(time)
                        .or_insert_with(|| (cap.delayed(&time, 0), cap.delayed(&time, 1), Updates::default()));
                    *slot.2.entry(row).or_insert(0) += diff;
                }
            });
            let mut rows_handle = rows_out.activate();
            let mut errs_handle = errs_out.activate();
            while let Some(entry) = state.pending.first_entry() {
                if frontiers[0].less_equal(entry.key()) {
                    break;
                }
                let (time, (rows_cap, errs_cap, updates)) = entry.remove_entry();
                state.evaluate_new(&updates, &exprs, &*host);
                let mut rows_session = rows_handle.session(&rows_cap);
                let mut errs_session = errs_handle.session(&errs_cap);
                for (row, diff) in updates {
                    if diff == 0 {
                        continue;
                    }
                    let memo = state.live.get_mut(&row).expect("evaluated above");
                    rows_session.give(((row.0, memo.out.clone()), time, diff));
                    for (message, trace) in &memo.errors {
                        errs_session.give((error_row(node, row.0, message, trace), time, diff));
                    }
                    // A row deleted before it was ever inserted keeps a negative count, so
                    // its later insertion cancels with the same output.
                    memo.count += diff;
                    if memo.count == 0 {
                        state.live.remove(&row);
                    }
                }
            }
        }
    });
    (rows_stream.as_collection(), errs_stream.as_collection())
}

//! `map_batches`: the one operator that evaluates expressions, over whole batches of rows, with a
//! second output for the error log.

use differential_dataflow::AsCollection;
use timely::dataflow::channels::pact::Pipeline;
use timely::dataflow::operators::generic::builder_rc::OperatorBuilder;
use timely::dataflow::operators::generic::OutputBuilder;
use timely::progress::operate::FrontierInterest;
use towpath_core::{Key, Row, Time};

use crate::errors::error_row;
use crate::eval::ErrorEntry;
use crate::types::{Coll, Diff};

/// Where a batch logic writes: `(input row index, output row)` pairs and row errors.
pub struct BatchOut {
    pub rows: Vec<(usize, (Key, Row))>,
    pub errors: Vec<ErrorEntry>,
}

/// Runs `logic` on each batch of input rows (ids and values, with their times). Each output row
/// takes the time and diff of the input row it names; each error becomes an error-log row of node
/// `node` with the failing row's time and diff. Returns (rows, error log rows).
pub fn map_batches<'s, L>(coll: Coll<'s>, name: &str, node: usize, mut logic: L) -> (Coll<'s>, Coll<'s>)
where
    L: FnMut(&[(Key, Row)], &[Time], &mut BatchOut) + 'static,
{
    let mut builder = OperatorBuilder::new(name.to_owned(), coll.inner.scope());
    let mut input = builder.new_input(coll.inner, Pipeline);
    builder.set_notify_for(0, FrontierInterest::Never);
    let (rows_out, rows_stream) = builder.new_output();
    let (errs_out, errs_stream) = builder.new_output();
    let mut rows_out = OutputBuilder::from(rows_out);
    let mut errs_out = OutputBuilder::from(errs_out);

    builder.build(move |_| {
        let mut rows: Vec<(Key, Row)> = Vec::new();
        let mut times: Vec<Time> = Vec::new();
        let mut diffs: Vec<Diff> = Vec::new();
        let mut out = BatchOut { rows: Vec::new(), errors: Vec::new() };
        move |_frontiers| {
            let mut rows_handle = rows_out.activate();
            let mut errs_handle = errs_out.activate();
            input.for_each(|cap, data: &mut Vec<((Key, Row), Time, Diff)>| {
                rows.clear();
                times.clear();
                diffs.clear();
                for (row, time, diff) in data.drain(..) {
                    rows.push(row);
                    times.push(time);
                    diffs.push(diff);
                }
                logic(&rows, &times, &mut out);
                let mut session = rows_handle.session(&cap);
                for (i, row) in out.rows.drain(..) {
                    session.give((row, times[i], diffs[i]));
                }
                if !out.errors.is_empty() {
                    let mut session = errs_handle.session(&cap);
                    for e in out.errors.drain(..) {
                        let row = error_row(node, rows[e.row].0, &e.message, &e.trace);
                        session.give((row, times[e.row], diffs[e.row]));
                    }
                }
            });
        }
    });
    (rows_stream.as_collection(), errs_stream.as_collection())
}

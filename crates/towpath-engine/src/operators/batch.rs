//! `map_batches`: the one operator that evaluates expressions, over whole batches of rows, with a
//! second output for the error log.

use differential_dataflow::AsCollection;
use timely::dataflow::channels::pact::Pipeline;
use timely::dataflow::operators::generic::builder_rc::OperatorBuilder;
use timely::dataflow::operators::generic::OutputBuilder;
use timely::progress::operate::FrontierInterest;
use timely::progress::Timestamp;
use towpath_core::{Key, Row, Time};

use crate::errors::error_row;
use crate::eval::ErrorEntry;
use crate::types::{Coll, Diff};

/// Where a batch logic writes: `(input row index, output row)` pairs and row errors.
pub struct BatchOut {
    pub rows: Vec<(usize, (Key, Row))>,
    pub errors: Vec<ErrorEntry>,
}

/// A batch of updates split into parallel columns (buffers reused between batches).
pub struct Unzipped<T = Time> {
    pub rows: Vec<(Key, Row)>,
    pub times: Vec<T>,
    pub diffs: Vec<Diff>,
}

impl<T> Default for Unzipped<T> {
    fn default() -> Self {
        Unzipped { rows: Vec::new(), times: Vec::new(), diffs: Vec::new() }
    }
}

impl<T: Clone> Unzipped<T> {
    /// Moves a container's updates into the columns.
    pub fn load(&mut self, data: &mut Vec<((Key, Row), T, Diff)>) {
        self.rows.clear();
        self.times.clear();
        self.diffs.clear();
        for (row, time, diff) in data.drain(..) {
            self.rows.push(row);
            self.times.push(time);
            self.diffs.push(diff);
        }
    }

    /// The error-log update of node `node` for a failure on row `e.row`, at that row's time
    /// and diff (so retracting the row retracts its error).
    pub fn error_update(&self, node: usize, e: &ErrorEntry) -> ((Key, Row), T, Diff) {
        let row = error_row(node, self.rows[e.row].0, &e.message, &e.trace);
        (row, self.times[e.row].clone(), self.diffs[e.row])
    }
}

/// Runs `logic` on each batch of input rows (ids and values, with their times). Each output row
/// takes the time and diff of the input row it names; each error becomes an error-log row of node
/// `node` with the failing row's time and diff. Returns (rows, error log rows).
pub fn map_batches<'s, T, L>(coll: Coll<'s, T>, name: &str, node: usize, mut logic: L) -> (Coll<'s, T>, Coll<'s, T>)
where
    T: Timestamp,
    L: FnMut(&[(Key, Row)], &[T], &mut BatchOut) + 'static,
{
    let mut builder = OperatorBuilder::new(name.to_owned(), coll.inner.scope());
    let mut input = builder.new_input(coll.inner, Pipeline);
    builder.set_notify_for(0, FrontierInterest::Never);
    let (rows_out, rows_stream) = builder.new_output();
    let (errs_out, errs_stream) = builder.new_output();
    let mut rows_out = OutputBuilder::from(rows_out);
    let mut errs_out = OutputBuilder::from(errs_out);

    builder.build(move |_| {
        let mut batch = Unzipped::default();
        let mut out = BatchOut { rows: Vec::new(), errors: Vec::new() };
        move |_frontiers| {
            let mut rows_handle = rows_out.activate();
            let mut errs_handle = errs_out.activate();
            input.for_each(|cap, data: &mut Vec<((Key, Row), T, Diff)>| {
                batch.load(data);
                logic(&batch.rows, &batch.times, &mut out);
                let mut session = rows_handle.session(&cap);
                for (i, row) in out.rows.drain(..) {
                    session.give((row, batch.times[i].clone(), batch.diffs[i]));
                }
                if !out.errors.is_empty() {
                    let mut session = errs_handle.session(&cap);
                    for e in out.errors.drain(..) {
                        session.give(batch.error_update(node, &e));
                    }
                }
            });
        }
    });
    (rows_stream.as_collection(), errs_stream.as_collection())
}

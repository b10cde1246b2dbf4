//! Groupby preparation: evaluates a groupby's keys and reducer slots over each batch and adds
//! them up per time and group in place — a row is allocated only for a group value not seen yet
//! at that time — then releases each time's totals once the time is complete. A word count thus
//! sends one update per word and commit to the reduce, at little more than a hash lookup per row.

use std::collections::{BTreeMap, HashMap};

use differential_dataflow::AsCollection;
use timely::dataflow::channels::pact::Pipeline;
use timely::dataflow::operators::generic::builder_rc::OperatorBuilder;
use timely::dataflow::operators::generic::OutputBuilder;
use timely::dataflow::operators::Capability;
use timely::progress::Timestamp;
use towpath_core::{IdBuildHasher, Key, Row, Value};

use crate::eval::ErrorEntry;
use crate::operators::batch::Unzipped;
use crate::types::{Coll, Diff};

/// What the preparation logic writes for a batch: per input row, its group id, a fingerprint of
/// its values (a hash, so that a group with many distinct values is not searched linearly) and
/// `width` values (key values, then reducer slots), flattened.
#[derive(Default)]
pub struct Prepared {
    pub groups: Vec<Key>,
    pub fingerprints: Vec<Key>,
    pub values: Vec<Value>,
    pub width: usize,
    pub errors: Vec<ErrorEntry>,
}

/// Fingerprint → the (group, values) rows with that fingerprint and their total diffs.
type Groups = HashMap<Key, Vec<(Key, Row, Diff)>, IdBuildHasher>;

/// Runs `logic` on each batch and accumulates its output per (time, group, values); returns
/// (group id → values updates, error log rows of node `node`).
pub fn prepare<'s, T, L>(coll: Coll<'s, T>, name: &str, node: usize, mut logic: L) -> (Coll<'s, T>, Coll<'s, T>)
where
    T: Timestamp,
    L: FnMut(&[(Key, Row)], &[T], &mut Prepared) + 'static,
{
    let mut builder = OperatorBuilder::new(name.to_owned(), coll.inner.scope());
    let mut input = builder.new_input(coll.inner, Pipeline);
    let (rows_out, rows_stream) = builder.new_output();
    let (errs_out, errs_stream) = builder.new_output();
    let mut rows_out = OutputBuilder::from(rows_out);
    let mut errs_out = OutputBuilder::from(errs_out);

    builder.build(move |initial| {
        drop(initial);
        let mut pending: BTreeMap<T, (Capability<T>, Groups)> = BTreeMap::new();
        let mut batch = Unzipped::default();
        let mut out = Prepared::default();
        move |frontiers| {
            let mut rows_handle = rows_out.activate();
            let mut errs_handle = errs_out.activate();
            input.for_each(|cap, data: &mut Vec<((Key, Row), T, Diff)>| {
                batch.load(data);
                out.groups.clear();
                out.fingerprints.clear();
                out.values.clear();
                logic(&batch.rows, &batch.times, &mut out);
                let width = out.width;
                for (i, group) in out.groups.iter().enumerate() {
                    let time = &batch.times[i];
                    let slot =
                        pending.entry(time.clone()).or_insert_with(|| (cap.delayed(time, 0), Groups::default()));
                    let values = &out.values[i * width..(i + 1) * width];
                    let bucket = slot.1.entry(out.fingerprints[i]).or_default();
                    match bucket.iter_mut().find(|(g, row, _)| g == group && &row[..] == values) {
                        Some((_, _, diff)) => *diff += batch.diffs[i],
                        None => bucket.push((*group, Row::from(values), batch.diffs[i])),
                    }
                }
                if !out.errors.is_empty() {
                    let mut session = errs_handle.session(&cap);
                    for e in out.errors.drain(..) {
                        session.give(batch.error_update(node, &e));
                    }
                }
            });
            let frontier = &frontiers[0];
            // Times may be partially ordered (inside an iterate): a complete time can follow
            // an incomplete one in the map's order, so every entry is looked at.
            let ready: Vec<T> = pending.keys().filter(|t| !frontier.less_equal(*t)).cloned().collect();
            for time in ready {
                let (cap, groups) = pending.remove(&time).expect("listed above");
                let mut session = rows_handle.session(&cap);
                for bucket in groups.into_values() {
                    for (group, row, diff) in bucket {
                        if diff != 0 {
                            session.give(((group, row), time.clone(), diff));
                        }
                    }
                }
            }
        }
    });
    (rows_stream.as_collection(), errs_stream.as_collection())
}

//! Insertion stamps for `earliest`/`latest`: appends to each row the time since which it has been
//! present, so that a later deletion retracts exactly the stamped row its insertion produced (a
//! deletion carries its own time, which would otherwise never cancel the insertion).

use std::collections::{BTreeMap, HashMap};

use differential_dataflow::AsCollection;
use timely::container::CapacityContainerBuilder;
use timely::dataflow::channels::pact::Exchange;
use timely::dataflow::operators::generic::Operator;
use timely::dataflow::operators::Capability;
use towpath_core::{Key, Row, Time, Value};
use xxhash_rust::xxh3::Xxh3Builder;

use crate::types::{Coll, Diff};

type Rows = HashMap<(Key, Row), Diff, Xxh3Builder>;

/// `time` as an `Int` whose order is the order of times (times above `i64::MAX`, such as
/// `END_OF_INPUT`, would otherwise wrap to negative numbers and sort first).
pub fn encode_time(time: Time) -> Value {
    Value::Int((time ^ (1 << 63)) as i64)
}

/// The stamp `stamp_insertions` appended to a row.
pub fn stamp_of(row: &Row) -> Time {
    match row.last() {
        Some(Value::Int(s)) => (*s as u64) ^ (1 << 63),
        _ => unreachable!("stamped rows end with their stamp"),
    }
}

/// Appends to every row (as a last `Int` column, see `encode_time`) the time at which its
/// multiplicity last went from zero to non-zero. Updates of one row id meet on one worker and
/// are processed per complete time, in time order, after consolidation (so a row deleted and
/// re-inserted at the same time keeps its stamp).
pub fn stamp_insertions<'s>(coll: Coll<'s>, name: &str) -> Coll<'s> {
    let exchange = Exchange::new(|((k, _), _, _): &((Key, Row), Time, Diff)| k.0 as u64);
    coll.inner
        .unary_frontier::<CapacityContainerBuilder<Vec<((Key, Row), Time, Diff)>>, _, _, _>(
            exchange,
            name,
            |_cap, _info| {
                let mut pending: BTreeMap<Time, (Capability<Time>, Rows)> = BTreeMap::new();
                // Live rows: (count, stamp).
                let mut live: HashMap<(Key, Row), (Diff, Time), Xxh3Builder> = HashMap::default();
                move |(input, frontier), output| {
                    input.for_each(|cap, data: &mut Vec<((Key, Row), Time, Diff)>| {
                        for (row, time, diff) in data.drain(..) {
                            let slot =
                                pending.entry(time).or_insert_with(|| (cap.delayed(&time, 0), Rows::default()));
                            *slot.1.entry(row).or_insert(0) += diff;
                        }
                    });
                    while let Some(entry) = pending.first_entry() {
                        if frontier.less_equal(entry.key()) {
                            break;
                        }
                        let (time, (cap, rows)) = entry.remove_entry();
                        let mut session = output.session(&cap);
                        for ((key, row), diff) in rows {
                            if diff == 0 {
                                continue;
                            }
                            let (count, stamp) = live.get(&(key, row.clone())).copied().unwrap_or((0, time));
                            if count + diff == 0 {
                                live.remove(&(key, row.clone()));
                            } else {
                                live.insert((key, row.clone()), (count + diff, stamp));
                            }
                            let mut vals = Vec::with_capacity(row.len() + 1);
                            vals.extend(row.iter().cloned());
                            vals.push(encode_time(stamp));
                            session.give(((key, Row::from(vals)), time, diff));
                        }
                    }
                }
            },
        )
        .as_collection()
}

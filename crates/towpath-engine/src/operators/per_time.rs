//! The frame shared by the ordered operators (sort, session, deduplicate, the asof joins):
//! `(key, row)` updates are exchanged by key (one worker holds each key's state), decoded, and
//! consolidated per time and key; each complete time is handed to the operator's `step`, in time
//! order, and the updates `step` produces get that time.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

use differential_dataflow::AsCollection;
use timely::container::CapacityContainerBuilder;
use timely::dataflow::channels::pact::Exchange;
use timely::dataflow::operators::generic::Operator;
use timely::dataflow::operators::Capability;
use towpath_core::{IdBuildHasher, Key, Row, Time, ValueBuildHasher};

use crate::types::{Coll, Diff};

/// One time's net changes: per key, the decoded rows with their summed diffs (some may be 0).
pub type Changes<V> = HashMap<Key, HashMap<V, Diff, ValueBuildHasher>, IdBuildHasher>;

/// Output updates of one step.
pub type Updates = Vec<((Key, Row), Diff)>;

/// Runs `step` on every complete time of `keyed`, in time order (see the module doc).
pub fn per_complete_time<'s, V, D, F>(keyed: Coll<'s>, name: &str, decode: D, mut step: F) -> Coll<'s>
where
    V: Eq + Hash + 'static,
    D: Fn(&Row) -> V + 'static,
    F: FnMut(Changes<V>, &mut Updates) + 'static,
{
    per_complete_time_raw(keyed, name, move |updates, out| {
        let mut changes = Changes::default();
        for ((key, row), diff) in updates {
            *changes.entry(key).or_default().entry(decode(&row)).or_insert(0) += diff;
        }
        step(changes, out)
    })
}

/// The frame itself: `step` gets each complete time's updates as they came, neither decoded
/// nor consolidated (`per_complete_time` does both). Operators whose state changes commute
/// within a time (the incremental groupby) use it directly and skip the per-key maps.
pub fn per_complete_time_raw<'s, F>(keyed: Coll<'s>, name: &str, mut step: F) -> Coll<'s>
where
    F: FnMut(Vec<((Key, Row), Diff)>, &mut Updates) + 'static,
{
    let exchange = Exchange::new(|((k, _), _, _): &((Key, Row), Time, Diff)| k.0 as u64);
    keyed
        .inner
        .unary_frontier::<CapacityContainerBuilder<Vec<((Key, Row), Time, Diff)>>, _, _, _>(
            exchange,
            name,
            move |_cap, _info| {
                let mut pending: BTreeMap<Time, (Capability<Time>, Updates)> = BTreeMap::new();
                let mut out = Updates::new();
                move |(input, frontier), output| {
                    input.for_each(|cap, data: &mut Vec<((Key, Row), Time, Diff)>| {
                        for (update, time, diff) in data.drain(..) {
                            let slot = pending.entry(time).or_insert_with(|| (cap.delayed(&time, 0), Updates::new()));
                            slot.1.push((update, diff));
                        }
                    });
                    while let Some(entry) = pending.first_entry() {
                        if frontier.less_equal(entry.key()) {
                            break;
                        }
                        let (time, (cap, updates)) = entry.remove_entry();
                        step(updates, &mut out);
                        let mut session = output.session(&cap);
                        for (update, diff) in out.drain(..) {
                            session.give((update, time, diff));
                        }
                    }
                }
            },
        )
        .as_collection()
}

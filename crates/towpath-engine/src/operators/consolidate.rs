//! Early consolidation: combines the updates of each time in a hash map and releases them once
//! the time is complete, so e.g. a word count sends one update per word and commit downstream
//! instead of one per input row.

use std::collections::{BTreeMap, HashMap};

use differential_dataflow::AsCollection;
use timely::container::CapacityContainerBuilder;
use timely::dataflow::channels::pact::Pipeline;
use timely::dataflow::operators::generic::Operator;
use timely::dataflow::operators::Capability;
use towpath_core::{Key, Row, Time};
use xxhash_rust::xxh3::Xxh3Builder;

use crate::types::{Coll, Diff};

type Pending = HashMap<(Key, Row), Diff, Xxh3Builder>;

/// Consolidates updates per time before passing them on (see the module comment).
pub fn consolidate_early<'s>(coll: Coll<'s>, name: &str) -> Coll<'s> {
    coll.inner
        .unary_frontier::<CapacityContainerBuilder<Vec<((Key, Row), Time, Diff)>>, _, _, _>(
            Pipeline,
            name,
            |_cap, _info| {
                let mut pending: BTreeMap<Time, (Capability<Time>, Pending)> = BTreeMap::new();
                move |(input, frontier), output| {
                    input.for_each(|cap, data: &mut Vec<((Key, Row), Time, Diff)>| {
                        for (row, time, diff) in data.drain(..) {
                            let slot = pending
                                .entry(time)
                                .or_insert_with(|| (cap.delayed(&time, 0), Pending::default()));
                            *slot.1.entry(row).or_insert(0) += diff;
                        }
                    });
                    while let Some(entry) = pending.first_entry() {
                        if frontier.less_equal(entry.key()) {
                            break;
                        }
                        let (time, (cap, rows)) = entry.remove_entry();
                        let mut session = output.session(&cap);
                        for (row, diff) in rows {
                            if diff != 0 {
                                session.give((row, time, diff));
                            }
                        }
                    }
                }
            },
        )
        .as_collection()
}

//! Early consolidation: combines the updates of each time in a hash map and releases them once
//! the time is complete, so e.g. a word count sends one update per word and commit downstream
//! instead of one per input row.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hash, Hasher};

use differential_dataflow::AsCollection;
use timely::container::CapacityContainerBuilder;
use timely::dataflow::channels::pact::Pipeline;
use timely::dataflow::operators::generic::Operator;
use timely::dataflow::operators::Capability;
use towpath_core::{Key, Row, Time};

use crate::types::{Coll, Diff};

/// A row keyed for the pending map: hashed by its id alone (ids are already 128-bit hashes),
/// compared by id first so unequal rows rarely compare their values.
struct Entry(Key, Row);

impl Hash for Entry {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.0 .0 as u64);
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0 && (std::sync::Arc::ptr_eq(&self.1, &other.1) || self.1 == other.1)
    }
}

impl Eq for Entry {}

/// Passes the id's bits through: they are uniformly distributed already.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type Pending = HashMap<Entry, Diff, BuildHasherDefault<IdHasher>>;

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
                        for ((key, row), time, diff) in data.drain(..) {
                            let slot = pending
                                .entry(time)
                                .or_insert_with(|| (cap.delayed(&time, 0), Pending::default()));
                            *slot.1.entry(Entry(key, row)).or_insert(0) += diff;
                        }
                    });
                    while let Some(entry) = pending.first_entry() {
                        if frontier.less_equal(entry.key()) {
                            break;
                        }
                        let (time, (cap, rows)) = entry.remove_entry();
                        let mut session = output.session(&cap);
                        for (Entry(key, row), diff) in rows {
                            if diff != 0 {
                                session.give(((key, row), time, diff));
                            }
                        }
                    }
                }
            },
        )
        .as_collection()
}

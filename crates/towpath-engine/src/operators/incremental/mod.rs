//! Incremental `groupby(...).reduce(...)` for groups reduced only by `count`, `sum`, `avg`,
//! `count_distinct`, `min`, `max` and `any` (the last three from an ordered multiset of live
//! values per group): each row becomes a difference in a product monoid (`GroupAcc`), and a
//! group's result is the accumulated difference — one change to a group of any size costs O(1)
//! reducer work, where the generic reduce re-reads the whole group.
//!
//! The generic reduce ignores rows whose multiplicity is not positive. To keep that exactly, each
//! group's state counts the copies of each distinct prepared row and accumulates only the
//! positive part (`GroupState::apply`); a `count_distinct` counts live copies per value. When
//! the input can never hold a negative multiplicity (`analysis::nonnegative`: every source and
//! operator upstream keeps its table consistent), the positive part is the multiplicity itself
//! and rows are summed directly, without the per-row counts.

mod exact;
pub mod sum;

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

use differential_dataflow::difference::{Abelian, IsZero, Monoid, Multiply, Semigroup};
use serde::{Deserialize, Serialize};
use towpath_core::{IdBuildHasher, Key, Row, Value, ValueBuildHasher};
use towpath_plan::{GroupId, ReducerKind};

use crate::operators::per_time::per_complete_time_raw;
use crate::types::Coll;
use sum::SumAcc;

/// Env var naming the groupby path: `generic` forces the generic reduce everywhere (benchmarks
/// compare the two paths with it); anything else lets eligible groupbys go incremental.
pub const PATH_ENV: &str = "TOWPATH_GROUPBY";

/// Whether a groupby can take the incremental path with results identical to the generic one:
/// every reducer is `count`, `sum`, `avg`, `count_distinct`, `min`, `max` or `any`, at least one is not a count (a count-only
/// group has a single distinct row, which the generic reduce already handles in O(1)), and the
/// group's key values follow from its id (not so for `FirstKey` with several keys, where rows of
/// one id may carry different other keys).
pub fn eligible(kinds: &[ReducerKind], keys: usize, id: GroupId) -> bool {
    let summable = |k: &ReducerKind| {
        matches!(
            k,
            ReducerKind::Count
                | ReducerKind::Sum
                | ReducerKind::Avg
                | ReducerKind::CountDistinct
                | ReducerKind::Min
                | ReducerKind::Max
                | ReducerKind::Any
        )
    };
    kinds.iter().all(summable)
        && kinds.iter().any(|k| *k != ReducerKind::Count)
        && (id == GroupId::Hash || keys <= 1)
        && std::env::var(PATH_ENV).map_or(true, |v| v != "generic")
}

/// The live values of a min/max/any argument with their copies (never 0).
type Ordered = BTreeMap<Value, isize>;

/// The difference of a set of rows of one group: how many rows, each sum/avg argument's sum,
/// and how many distinct values each `count_distinct` argument has.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct GroupAcc {
    rows: isize,
    /// One per `sum`/`avg` reducer, in reducer order (empty in the zero element).
    sums: Vec<SumAcc>,
    /// One per `count_distinct` reducer, in reducer order (empty in the zero element).
    distinct: Vec<isize>,
}

impl IsZero for GroupAcc {
    fn is_zero(&self) -> bool {
        self.rows == 0 && self.sums.iter().all(SumAcc::is_zero) && self.distinct.iter().all(|d| *d == 0)
    }
}

impl Semigroup for GroupAcc {
    fn plus_equals(&mut self, rhs: &Self) {
        self.rows += rhs.rows;
        if self.sums.len() < rhs.sums.len() {
            self.sums.resize(rhs.sums.len(), SumAcc::default());
        }
        for (mine, theirs) in self.sums.iter_mut().zip(&rhs.sums) {
            mine.add(theirs);
        }
        if self.distinct.len() < rhs.distinct.len() {
            self.distinct.resize(rhs.distinct.len(), 0);
        }
        for (mine, theirs) in self.distinct.iter_mut().zip(&rhs.distinct) {
            *mine += theirs;
        }
    }
}

impl Monoid for GroupAcc {
    fn zero() -> Self {
        GroupAcc::default()
    }
}

impl Abelian for GroupAcc {
    fn negate(&mut self) {
        self.rows = -self.rows;
        self.sums.iter_mut().for_each(SumAcc::negate);
        self.distinct.iter_mut().for_each(|d| *d = -*d);
    }
}

impl Multiply<isize> for GroupAcc {
    type Output = GroupAcc;
    fn multiply(mut self, rhs: &isize) -> GroupAcc {
        self.rows *= rhs;
        self.sums.iter_mut().for_each(|s| s.scale(*rhs));
        self.distinct.iter_mut().for_each(|d| *d *= rhs);
        self
    }
}

impl GroupAcc {
    /// `count` copies of a prepared row whose sum/avg arguments sit at `positions`.
    #[cfg(test)]
    fn of(row: &Row, positions: &[usize], count: isize) -> GroupAcc {
        let sums = positions
            .iter()
            .map(|p| {
                let mut s = SumAcc::default();
                s.add_value(&row[*p], count);
                s
            })
            .collect();
        GroupAcc { rows: count, sums, distinct: Vec::new() }
    }

    /// Adds `count` copies of a prepared row whose sum/avg arguments sit at `positions` (as
    /// `plus_equals(&GroupAcc::of(..))`, without building the intermediate accumulator).
    fn add_row(&mut self, row: &Row, positions: &[usize], count: isize) {
        self.rows += count;
        if self.sums.len() < positions.len() {
            self.sums.resize(positions.len(), SumAcc::default());
        }
        for (sum, p) in self.sums.iter_mut().zip(positions) {
            sum.add_value(&row[*p], count);
        }
    }

    /// One more distinct value for the `index`-th of `of` `count_distinct` reducers.
    fn distinct(index: usize, of: usize) -> GroupAcc {
        let mut distinct = vec![0; of];
        distinct[index] = 1;
        GroupAcc { rows: 0, sums: Vec::new(), distinct }
    }

    /// The reducers' values, in reducer order; min/max/any read `ordered` (one multiset of
    /// live values per such reducer, in reducer order).
    fn finish(&self, kinds: &[ReducerKind], ordered: &[Ordered], out: &mut Vec<Value>) {
        let mut sums = self.sums.iter();
        let mut distinct = self.distinct.iter();
        let mut ordered = ordered.iter();
        for kind in kinds {
            out.push(match kind {
                ReducerKind::Count => Value::Int(self.rows as i64),
                ReducerKind::Sum => sums.next().map_or(Value::Int(0), SumAcc::finish),
                ReducerKind::CountDistinct => Value::Int(distinct.next().map_or(0, |d| *d as i64)),
                ReducerKind::Min | ReducerKind::Any => {
                    ordered.next().and_then(|o| o.first_key_value()).map_or(Value::None, |(v, _)| v.clone())
                }
                ReducerKind::Max => {
                    ordered.next().and_then(|o| o.last_key_value()).map_or(Value::None, |(v, _)| v.clone())
                }
                _ => sums.next().map_or(Value::None, |s| s.finish_avg(self.rows)),
            });
        }
    }
}

/// Reduces `(group, key values ++ reducer slots ++ [fingerprint])` rows of an eligible groupby
/// (see `eligible`; the fingerprint is a `Pointer` hashing the values before it) into
/// `(group, key values ++ reducer values)` rows.
///
/// One operator holds each group's state on the worker the group hashes to: its accumulator
/// over the live rows, and how many copies of each distinct prepared row it has (a row of
/// multiplicity `c` counts as `max(c, 0)` copies, as in the generic reduce). A complete time
/// updates the touched groups in hash maps and emits each changed result's retraction and
/// insertion: no arrangement is built, sorted or merged on this path.
pub fn reduce_incremental<'s>(pre: Coll<'s>, keys: usize, kinds: Vec<ReducerKind>, nonnegative: bool) -> Coll<'s> {
    // Count has no slot; the other reducers have one value each, in reducer order.
    let (mut sums, mut distincts, mut ordered) = (Vec::new(), Vec::new(), Vec::new());
    for (i, kind) in kinds.iter().filter(|k| **k != ReducerKind::Count).enumerate() {
        match kind {
            ReducerKind::CountDistinct => distincts.push(keys + i),
            ReducerKind::Min | ReducerKind::Max | ReducerKind::Any => ordered.push(keys + i),
            _ => sums.push(keys + i),
        }
    }
    let layout = Layout { keys, kinds, sums, distincts, ordered, count_copies: !nonnegative };
    let mut groups: HashMap<Key, GroupState, IdBuildHasher> = HashMap::default();
    // The groups a time touched, with their result before it.
    let mut touched: HashMap<Key, Option<Row>, IdBuildHasher> = HashMap::default();
    // Updates within a time commute (each row's positive part telescopes), so they are
    // applied as they come, and only the touched groups' results are compared at the end.
    per_complete_time_raw(pre, "GroupBy.incremental", move |updates, out| {
        for ((group, row), diff) in updates {
            if diff == 0 {
                continue;
            }
            let state = groups
                .entry(group)
                .or_insert_with(|| GroupState::new(&row[..layout.keys], &layout));
            if let Entry::Vacant(e) = touched.entry(group) {
                e.insert(state.last.clone());
            }
            state.apply(&layout, &row, diff);
        }
        for (group, before) in touched.drain() {
            let Some(state) = groups.get_mut(&group) else { continue };
            let after = state.result(&layout);
            state.last = after.clone();
            if before != after {
                out.extend(before.map(|row| ((group, row), -1)));
                out.extend(after.map(|row| ((group, row), 1)));
            }
            if state.is_empty() {
                groups.remove(&group);
            }
        }
    })
}

/// A prepared row's fingerprint, its last value (the 128-bit hash of the values before it, as
/// row ids are): rows are told apart by fingerprint alone, quicker than comparing values.
fn fingerprint(row: &Row) -> Key {
    match row.last() {
        Some(Value::Pointer(fingerprint)) => *fingerprint,
        _ => unreachable!("groupby rows end with their fingerprint"),
    }
}

/// Where a prepared row keeps what: `keys` key values, then one slot per reducer but count
/// (`sums`: the sum/avg slots, `distincts`: the count_distinct slots).
struct Layout {
    keys: usize,
    kinds: Vec<ReducerKind>,
    sums: Vec<usize>,
    distincts: Vec<usize>,
    /// The min/max/any slots.
    ordered: Vec<usize>,
    /// Count each distinct row's copies, to leave out rows of negative multiplicity as the
    /// generic reduce does. Off when the input never has any (`analysis::nonnegative`): each
    /// row's positive part is then its multiplicity, and rows are summed directly.
    count_copies: bool,
}

/// One group on the worker holding it.
struct GroupState {
    key_values: Row,
    /// Over the live rows (each distinct row `max(count, 0)` times).
    acc: GroupAcc,
    /// Multiplicity of each distinct prepared row, by fingerprint; never 0 (the entry is removed).
    rows: HashMap<Key, isize, IdBuildHasher>,
    /// Per count_distinct reducer: live copies of each value; never 0.
    distinct: Vec<HashMap<Value, isize, ValueBuildHasher>>,
    /// Per min/max/any reducer: live copies of each value, in value order; never 0.
    ordered: Vec<Ordered>,
    /// The result last emitted (`result` at the end of the last time that touched the group).
    last: Option<Row>,
}

impl GroupState {
    fn new(key_values: &[Value], layout: &Layout) -> GroupState {
        GroupState {
            key_values: Row::from(key_values),
            acc: GroupAcc::zero(),
            rows: HashMap::default(),
            distinct: vec![HashMap::default(); layout.distincts.len()],
            ordered: vec![Ordered::new(); layout.ordered.len()],
            last: None,
        }
    }

    /// `diff` (not 0) more copies of `row`.
    fn apply(&mut self, layout: &Layout, row: &Row, diff: isize) {
        if !layout.count_copies {
            self.add_live(layout, row, diff);
            return;
        }
        let (old, new) = match self.rows.entry(fingerprint(row)) {
            Entry::Occupied(mut e) => {
                let old = *e.get();
                *e.get_mut() += diff;
                let new = *e.get();
                if new == 0 {
                    e.remove();
                }
                (old, new)
            }
            Entry::Vacant(e) => {
                e.insert(diff);
                (0, diff)
            }
        };
        let live = new.max(0) - old.max(0);
        if live != 0 {
            self.add_live(layout, row, live);
        }
    }

    /// `live` more live copies of `row`.
    fn add_live(&mut self, layout: &Layout, row: &Row, live: isize) {
        self.acc.add_row(row, &layout.sums, live);
        for (values, position) in self.ordered.iter_mut().zip(&layout.ordered) {
            let copies = values.entry(row[*position].clone()).or_insert(0);
            *copies += live;
            if *copies == 0 {
                values.remove(&row[*position]);
            }
        }
        let of = layout.distincts.len();
        for (index, position) in layout.distincts.iter().enumerate() {
            let copies = self.distinct[index].entry(row[*position].clone()).or_insert(0);
            let was = *copies > 0;
            *copies += live;
            let is = *copies > 0;
            if *copies == 0 {
                self.distinct[index].remove(&row[*position]);
            }
            if was != is {
                self.acc.plus_equals(&GroupAcc::distinct(index, of).multiply(&if is { 1 } else { -1 }));
            }
        }
    }

    /// Whether the group holds nothing (no row, or with `count_copies` off, rows summing to 0).
    fn is_empty(&self) -> bool {
        self.rows.is_empty() && self.acc.is_zero()
    }

    /// The group's result row, None when it has no live row.
    fn result(&self, layout: &Layout) -> Option<Row> {
        if self.acc.is_zero() {
            return None;
        }
        let mut values = self.key_values.to_vec();
        self.acc.finish(&layout.kinds, &self.ordered, &mut values);
        Some(Row::from(values))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_acc_is_an_abelian_group() {
        let row: Row = Row::from(vec![Value::Int(1), Value::Int(5), Value::Float(0.25)]);
        let a = GroupAcc::of(&row, &[1, 2], 3);
        let b = GroupAcc::of(&row, &[1, 2], 1).multiply(&3);
        assert_eq!(a, b);
        let mut added = GroupAcc::zero();
        added.add_row(&row, &[1, 2], 3);
        assert_eq!(added, a);
        let mut c = a.clone();
        c.negate();
        c.plus_equals(&a);
        assert!(c.is_zero());
        let mut zero = GroupAcc::zero();
        zero.plus_equals(&a);
        assert_eq!(zero, a);
        let mut d = GroupAcc::distinct(1, 2).multiply(&2);
        d.plus_equals(&a);
        let mut values = Vec::new();
        d.finish(&[ReducerKind::Count, ReducerKind::Sum, ReducerKind::CountDistinct, ReducerKind::Avg, ReducerKind::CountDistinct], &[], &mut values);
        assert_eq!(values, vec![Value::Int(3), Value::Int(15), Value::Int(0), Value::Float(0.25), Value::Int(2)]);
    }

    #[test]
    fn eligibility() {
        use ReducerKind::*;
        assert!(eligible(&[Count, Sum, Avg], 2, GroupId::Hash));
        assert!(eligible(&[Sum], 1, GroupId::FirstKey));
        assert!(!eligible(&[Count], 1, GroupId::Hash));
        assert!(!eligible(&[], 1, GroupId::Hash));
        assert!(eligible(&[Sum, Min, Max, Any], 1, GroupId::Hash));
        assert!(!eligible(&[Sum, ArgMin], 1, GroupId::Hash));
        assert!(eligible(&[CountDistinct, Count], 1, GroupId::Hash));
        assert!(!eligible(&[Sum], 2, GroupId::FirstKey));
    }
}

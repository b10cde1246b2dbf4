//! Incremental `groupby(...).reduce(...)` for groups reduced only by `count`, `sum` and `avg`:
//! each row becomes a difference in a product monoid (`GroupAcc`), and a group's result is the
//! accumulated difference — one change to a group of any size costs O(1) reducer work, where
//! the generic reduce re-reads the whole group.
//!
//! The generic reduce ignores rows whose multiplicity is not positive. To keep that exactly, a
//! `threshold_total` per distinct (group, row) turns its multiplicity `c` into the difference of
//! `max(c, 0)` copies of the row; `count_total` per group then adds the differences up.

mod exact;
pub mod sum;

use differential_dataflow::difference::{Abelian, IsZero, Monoid, Multiply, Semigroup};
use differential_dataflow::operators::{CountTotal, ThresholdTotal};
use serde::{Deserialize, Serialize};
use towpath_core::{Row, Value};
use towpath_plan::{GroupId, ReducerKind};

use crate::types::Coll;
use sum::SumAcc;

/// Env var naming the groupby path: `generic` forces the generic reduce everywhere (benchmarks
/// compare the two paths with it); anything else lets eligible groupbys go incremental.
pub const PATH_ENV: &str = "TOWPATH_GROUPBY";

/// Whether a groupby can take the incremental path with results identical to the generic one:
/// every reducer is `count`, `sum` or `avg`, at least one is a sum or an avg (a count-only
/// group has a single distinct row, which the generic reduce already handles in O(1)), and the
/// group's key values follow from its id (not so for `FirstKey` with several keys, where rows of
/// one id may carry different other keys).
pub fn eligible(kinds: &[ReducerKind], keys: usize, id: GroupId) -> bool {
    let summable = |k: &ReducerKind| matches!(k, ReducerKind::Count | ReducerKind::Sum | ReducerKind::Avg);
    kinds.iter().all(summable)
        && kinds.iter().any(|k| *k != ReducerKind::Count)
        && (id == GroupId::Hash || keys <= 1)
        && std::env::var(PATH_ENV).map_or(true, |v| v != "generic")
}

/// The difference of a set of rows of one group: how many rows, and each sum/avg argument's sum.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct GroupAcc {
    rows: isize,
    /// One per `sum`/`avg` reducer, in reducer order (empty in the zero element).
    sums: Vec<SumAcc>,
}

impl IsZero for GroupAcc {
    fn is_zero(&self) -> bool {
        self.rows == 0 && self.sums.iter().all(SumAcc::is_zero)
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
    }
}

impl Multiply<isize> for GroupAcc {
    type Output = GroupAcc;
    fn multiply(mut self, rhs: &isize) -> GroupAcc {
        self.rows *= rhs;
        self.sums.iter_mut().for_each(|s| s.scale(*rhs));
        self
    }
}

impl GroupAcc {
    /// `count` copies of a prepared row whose sum/avg arguments sit at `positions`.
    fn of(row: &Row, positions: &[usize], count: isize) -> GroupAcc {
        let sums = positions
            .iter()
            .map(|p| {
                let mut s = SumAcc::default();
                s.add_value(&row[*p], count);
                s
            })
            .collect();
        GroupAcc { rows: count, sums }
    }

    /// The reducers' values, in reducer order.
    fn finish(&self, kinds: &[ReducerKind], out: &mut Vec<Value>) {
        let mut sums = self.sums.iter();
        for kind in kinds {
            out.push(match kind {
                ReducerKind::Count => Value::Int(self.rows as i64),
                ReducerKind::Sum => sums.next().map_or(Value::Int(0), SumAcc::finish),
                _ => sums.next().map_or(Value::None, |s| s.finish_avg(self.rows)),
            });
        }
    }
}

/// Reduces prepared `(group, key values ++ reducer slots)` rows of an eligible groupby (see
/// `eligible`) into `(group, key values ++ reducer values)` rows.
pub fn reduce_incremental<'s>(pre: Coll<'s>, keys: usize, kinds: Vec<ReducerKind>) -> Coll<'s> {
    // Count has no slot; sum and avg have one value each.
    let positions: Vec<usize> = (0..kinds.iter().filter(|k| **k != ReducerKind::Count).count()).map(|i| keys + i).collect();
    pre.threshold_total(move |(_, row), count: &isize| {
        if *count > 0 {
            GroupAcc::of(row, &positions, *count)
        } else {
            GroupAcc::zero()
        }
    })
    .map(move |(group, row)| (group, Row::from(&row[..keys])))
    .count_total()
    .map(move |((group, key_values), acc)| {
        let mut values = key_values.to_vec();
        acc.finish(&kinds, &mut values);
        (group, Row::from(values))
    })
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
        let mut c = a.clone();
        c.negate();
        c.plus_equals(&a);
        assert!(c.is_zero());
        let mut zero = GroupAcc::zero();
        zero.plus_equals(&a);
        assert_eq!(zero, a);
        let mut values = Vec::new();
        a.finish(&[ReducerKind::Count, ReducerKind::Sum, ReducerKind::Avg], &mut values);
        assert_eq!(values, vec![Value::Int(3), Value::Int(15), Value::Float(0.25)]);
    }

    #[test]
    fn eligibility() {
        use ReducerKind::*;
        assert!(eligible(&[Count, Sum, Avg], 2, GroupId::Hash));
        assert!(eligible(&[Sum], 1, GroupId::FirstKey));
        assert!(!eligible(&[Count], 1, GroupId::Hash));
        assert!(!eligible(&[], 1, GroupId::Hash));
        assert!(!eligible(&[Sum, Min], 1, GroupId::Hash));
        assert!(!eligible(&[Sum], 2, GroupId::FirstKey));
    }
}

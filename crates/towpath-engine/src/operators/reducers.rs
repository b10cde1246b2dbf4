//! Reducer arithmetic over a group's rows. A group's input is a sorted list of `(row, count)`
//! where each row holds the group's key values followed by every reducer's slot values.

use std::sync::Arc;

use towpath_core::{Key, Row, Time, Value};
use towpath_plan::ReducerKind;

use crate::operators::incremental::sum::SumAcc;
use crate::operators::stamp::encode_time;
use crate::types::Diff;

/// Values a reducer needs from each input row, in its slot (see `slot_width`).
pub fn slot_width(kind: ReducerKind) -> usize {
    match kind {
        ReducerKind::Count => 0,
        ReducerKind::ArgMin | ReducerKind::ArgMax | ReducerKind::Tuple { .. } => 2,
        ReducerKind::Earliest | ReducerKind::Latest => 3,
        _ => 1,
    }
}

/// Builds a reducer's slot for one input row: its argument value, the row id, its insertion time.
pub fn slot_values(kind: ReducerKind, value: Value, id: Key, time: Time, out: &mut Vec<Value>) {
    match kind {
        ReducerKind::Count => {}
        ReducerKind::ArgMin | ReducerKind::ArgMax => {
            out.push(value);
            out.push(Value::Pointer(id));
        }
        ReducerKind::Tuple { .. } => {
            out.push(Value::Pointer(id));
            out.push(value);
        }
        ReducerKind::Earliest | ReducerKind::Latest => {
            out.push(encode_time(time));
            out.push(Value::Pointer(id));
            out.push(value);
        }
        _ => out.push(value),
    }
}

/// Computes one reducer over a group; `offset` is where its slot starts in each row.
pub fn reduce(kind: ReducerKind, offset: usize, group: &[(&Row, Diff)]) -> Value {
    let at = |row: &Row, i: usize| row[offset + i].clone();
    let live = || group.iter().filter(|(_, c)| *c > 0);
    match kind {
        ReducerKind::Count => Value::Int(live().map(|(_, c)| *c as i64).sum()),
        ReducerKind::Sum => sum(live().map(|(r, c)| (at(r, 0), *c))).finish(),
        ReducerKind::Avg => sum(live().map(|(r, c)| (at(r, 0), *c))).finish_avg(live().map(|(_, c)| *c).sum()),
        ReducerKind::Min => live().map(|(r, _)| at(r, 0)).min().unwrap_or(Value::None),
        ReducerKind::Max => live().map(|(r, _)| at(r, 0)).max().unwrap_or(Value::None),
        ReducerKind::ArgMin => live()
            .map(|(r, _)| (at(r, 0), at(r, 1)))
            .min()
            .map(|(_, id)| id)
            .unwrap_or(Value::None),
        ReducerKind::ArgMax => live()
            .map(|(r, _)| (at(r, 0), at(r, 1)))
            .min_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)))
            .map(|(_, id)| id)
            .unwrap_or(Value::None),
        // The smallest value, not the first row's: rows are sorted by the whole row (keys and
        // earlier reducers' slots first), so the first row's value depends on other reducers.
        ReducerKind::Any => live().map(|(r, _)| at(r, 0)).min().unwrap_or(Value::None),
        ReducerKind::Unique => {
            let mut values = live().map(|(r, _)| at(r, 0));
            let first = values.next().unwrap_or(Value::None);
            if values.all(|v| v == first) {
                first
            } else {
                Value::Error
            }
        }
        ReducerKind::Tuple { skip_nones } => {
            let mut items: Vec<(Value, Value, Diff)> = live().map(|(r, c)| (at(r, 0), at(r, 1), *c)).collect();
            items.sort();
            tuple(items.into_iter().map(|(_, v, c)| (v, c)), skip_nones)
        }
        ReducerKind::SortedTuple { skip_nones } => {
            let mut items: Vec<(Value, Diff)> = live().map(|(r, c)| (at(r, 0), *c)).collect();
            items.sort();
            tuple(items.into_iter(), skip_nones)
        }
        ReducerKind::CountDistinct => {
            let mut values: Vec<Value> = live().map(|(r, _)| at(r, 0)).collect();
            values.sort();
            values.dedup();
            Value::Int(values.len() as i64)
        }
        ReducerKind::Earliest => live()
            .map(|(r, _)| (at(r, 0), at(r, 1), at(r, 2)))
            .min()
            .map(|(_, _, v)| v)
            .unwrap_or(Value::None),
        ReducerKind::Latest => live()
            .map(|(r, _)| (at(r, 0), at(r, 1), at(r, 2)))
            .min_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)))
            .map(|(_, _, v)| v)
            .unwrap_or(Value::None),
    }
}

fn tuple(items: impl Iterator<Item = (Value, Diff)>, skip_nones: bool) -> Value {
    let mut out = Vec::new();
    for (v, c) in items {
        if skip_nones && v.is_none() {
            continue;
        }
        for _ in 0..c {
            out.push(v.clone());
        }
    }
    Value::Tuple(Arc::from(out))
}

/// Sum with multiplicities, with the semantics of `SumAcc` (which the incremental path uses too).
fn sum(items: impl Iterator<Item = (Value, Diff)>) -> SumAcc {
    let mut acc = SumAcc::default();
    for (v, c) in items {
        acc.add_value(&v, c);
    }
    acc
}

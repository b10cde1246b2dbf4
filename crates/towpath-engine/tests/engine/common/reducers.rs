//! Reference reducers, written from the `ReducerKind` documentation and the agreed semantics:
//! rows with non-positive counts are ignored; min/max/any follow `Value`'s total order (None
//! smallest); argmin/argmax ties go to the smallest id; `tuple` is ordered by row id;
//! earliest/latest go by (insertion time, id), ties to the smallest id; `unique` of differing
//! values is an error.

use std::collections::BTreeSet;
use std::sync::Arc;

use towpath_core::{Key, Time, Value};
use towpath_plan::ReducerKind;

/// One input row of a group, as one reducer sees it.
#[derive(Clone, Debug)]
pub struct Member {
    pub id: Key,
    /// When the row was inserted (the start of its current presence in the input).
    pub stamp: Time,
    /// The reducer's argument on this row.
    pub value: Value,
    pub count: i64,
}

/// The reducer's value over a group.
pub fn reduce(kind: ReducerKind, members: &[Member]) -> Value {
    let live: Vec<&Member> = members.iter().filter(|m| m.count > 0).collect();
    let values = || live.iter().map(|m| m.value.clone());
    let rows: i64 = live.iter().map(|m| m.count).sum();
    match kind {
        ReducerKind::Count => Value::Int(rows),
        ReducerKind::Sum => sum(&live),
        ReducerKind::Avg => match sum(&live) {
            Value::Int(s) => Value::Float(s as f64 / rows as f64),
            Value::Float(s) => Value::Float(s / rows as f64),
            other => other,
        },
        ReducerKind::Min | ReducerKind::Any => values().min().unwrap_or_default(),
        ReducerKind::Max => values().max().unwrap_or_default(),
        ReducerKind::ArgMin | ReducerKind::ArgMax => {
            let best = if kind == ReducerKind::ArgMin { values().min() } else { values().max() };
            let best = best.unwrap_or_default();
            live.iter().filter(|m| m.value == best).map(|m| m.id).min().map_or(Value::None, Value::Pointer)
        }
        ReducerKind::Unique => {
            let distinct: BTreeSet<Value> = values().collect();
            match distinct.len() {
                0 => Value::None,
                1 => distinct.into_iter().next().unwrap_or_default(),
                _ => Value::Error,
            }
        }
        ReducerKind::Tuple { skip_nones } => {
            let mut by_id: Vec<&&Member> = live.iter().collect();
            by_id.sort_by(|a, b| (a.id, &a.value).cmp(&(b.id, &b.value)));
            tuple(by_id.iter().map(|m| (m.value.clone(), m.count)), skip_nones)
        }
        ReducerKind::SortedTuple { skip_nones } => {
            let mut items: Vec<(Value, i64)> = live.iter().map(|m| (m.value.clone(), m.count)).collect();
            items.sort();
            tuple(items.into_iter(), skip_nones)
        }
        ReducerKind::CountDistinct => Value::Int(values().collect::<BTreeSet<_>>().len() as i64),
        ReducerKind::Earliest => live.iter().min_by_key(|m| (m.stamp, m.id)).map_or(Value::None, |m| m.value.clone()),
        ReducerKind::Latest => {
            let last = live.iter().map(|m| m.stamp).max();
            live.iter().filter(|m| Some(m.stamp) == last).min_by_key(|m| m.id).map_or(Value::None, |m| m.value.clone())
        }
    }
}

fn tuple(items: impl Iterator<Item = (Value, i64)>, skip_nones: bool) -> Value {
    let mut out = Vec::new();
    for (value, count) in items {
        if !(skip_nones && value.is_none()) {
            out.extend(std::iter::repeat_n(value, count as usize));
        }
    }
    Value::Tuple(Arc::from(out))
}

/// Ints stay ints, a float anywhere makes the sum a float, None is skipped, other types are an
/// error (as is int overflow).
fn sum(live: &[&Member]) -> Value {
    // The exact sum, rounded once (as the engine promises): ints add in i128 and must fit an
    // i64 at the end; floats go through Shewchuk's exact partials (as Python's math.fsum).
    let (mut int, mut floats, mut is_float) = (0i128, Vec::new(), false);
    for m in live {
        match &m.value {
            Value::Int(i) => int += *i as i128 * m.count as i128,
            Value::Float(f) => {
                is_float = true;
                for _ in 0..m.count.unsigned_abs() {
                    floats.push(if m.count < 0 { -f } else { *f });
                }
            }
            Value::None => {}
            _ => return Value::Error,
        }
    }
    if !is_float {
        return i64::try_from(int).map(Value::Int).unwrap_or(Value::Error);
    }
    let high = int as f64;
    floats.push(high);
    floats.push((int - high as i128) as f64);
    Value::Float(fsum(&floats))
}

/// The correctly rounded sum of `values` (finite): exact partials, then a half-way correction.
fn fsum(values: &[f64]) -> f64 {
    let mut partials: Vec<f64> = Vec::new();
    for &v in values {
        let mut x = v;
        let mut kept = 0;
        for j in 0..partials.len() {
            let mut y = partials[j];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let high = x + y;
            let low = y - (high - x);
            if low != 0.0 {
                partials[kept] = low;
                kept += 1;
            }
            x = high;
        }
        partials.truncate(kept);
        partials.push(x);
    }
    let Some(mut high) = partials.pop() else { return 0.0 };
    let mut low = 0.0;
    while let Some(y) = partials.pop() {
        let x = high;
        high = x + y;
        low = y - (high - x);
        if low != 0.0 {
            break;
        }
    }
    // A half-way low part with more partials of the same sign below it rounds the other way.
    if let Some(&next) = partials.last() {
        if (low < 0.0 && next < 0.0) || (low > 0.0 && next > 0.0) {
            let y = low * 2.0;
            let x = high + y;
            if y == x - high {
                high = x;
            }
        }
    }
    high
}

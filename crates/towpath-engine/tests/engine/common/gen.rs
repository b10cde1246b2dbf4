//! Random update streams over small value domains, so that groups and join keys collide.

use std::sync::Arc;

use proptest::prelude::*;
use proptest::sample::select;
use towpath_core::{Key, Time, Value, END_OF_INPUT};
use towpath_plan::StaticRow;

/// The domain a column's values are drawn from.
#[derive(Clone, Copy, Debug)]
pub enum Dom {
    /// Ints `0..max`, sometimes None when the flag is set.
    Int(i64, bool),
    /// Multiples of 0.5 in [-2, 2], so that sums are exact whatever the order.
    Float,
    /// "a", "b", "c", sometimes None when the flag is set.
    Str(bool),
    /// A mix of types: None, bools, ints, floats, strings, errors.
    Mixed,
    /// Inputs for `flatten`: tuples, strings, Json arrays, and values that cannot be flattened.
    Flat,
    /// Pointers to `id(0..n)`, sometimes None when the flag is set.
    Ptr(i64, bool),
}

/// Values of one domain.
pub fn value(dom: Dom) -> BoxedStrategy<Value> {
    match dom {
        Dom::Int(max, none) => {
            let ints = (0..max).prop_map(Value::Int);
            if none {
                prop_oneof![1 => Just(Value::None), 4 => ints].boxed()
            } else {
                ints.boxed()
            }
        }
        // Halves sum exactly in any order; 0.1/0.2/0.3 and ±1e16 do not, so a sum that is not
        // exact-then-rounded-once differs from the reference's.
        Dom::Float => prop_oneof![
            3 => (-4i64..=4).prop_map(|k| Value::Float(k as f64 * 0.5)),
            1 => select(vec![0.1, 0.2, 0.3, 1e16, -1e16]).prop_map(Value::Float),
        ]
        .boxed(),
        Dom::Str(none) => {
            let strs = select(vec!["a", "b", "c"]).prop_map(Value::from);
            if none {
                prop_oneof![1 => Just(Value::None), 4 => strs].boxed()
            } else {
                strs.boxed()
            }
        }
        Dom::Mixed => prop_oneof![
            2 => Just(Value::None),
            2 => any::<bool>().prop_map(Value::Bool),
            2 => (0i64..3).prop_map(Value::Int),
            2 => select(vec![0.5, 1.0]).prop_map(Value::Float),
            2 => select(vec!["a", "b"]).prop_map(Value::from),
            1 => Just(Value::Error),
        ]
        .boxed(),
        Dom::Flat => prop_oneof![
            4 => proptest::collection::vec((0i64..3).prop_map(Value::Int), 0..4)
                .prop_map(|items| Value::Tuple(Arc::from(items))),
            2 => select(vec!["", "ab", "xyz"]).prop_map(Value::from),
            2 => select(vec![r#"[1,"x",null]"#, "[]", r#"{"a":1}"#, "3"])
                .prop_map(|j| Value::json(&serde_json::from_str(j).unwrap())),
            1 => Just(Value::Int(5)),
            1 => Just(Value::None),
            1 => Just(Value::Error),
        ]
        .boxed(),
        Dom::Ptr(n, none) => {
            let ptrs = (0..n).prop_map(|i| Value::Pointer(id(i)));
            if none {
                prop_oneof![1 => Just(Value::None), 4 => ptrs].boxed()
            } else {
                ptrs.boxed()
            }
        }
    }
}

/// One change to a table within a step.
#[derive(Clone, Debug)]
pub enum Op {
    /// Insert the row with id `id(.0)`; if that id is live, its old row is retracted at the same
    /// time (an update).
    Upsert(i64, Vec<Value>),
    /// Delete the `(.0 % live rows)`-th live row, if any.
    Delete(usize),
    /// Insert and delete the same row at the same time: a no-op the engine must cancel out.
    Flicker(i64, Vec<Value>),
}

/// The ops of each step; step `i` happens at `times[i]`.
pub type Steps = Vec<Vec<Op>>;

/// Random steps (1 to `max_steps` of them) for a table with columns from `doms` and ids from
/// `id(0..pool)`.
pub fn steps(doms: Vec<Dom>, pool: i64, max_steps: usize, max_ops: usize) -> BoxedStrategy<Steps> {
    steps_in(doms, pool, 1..=max_steps, max_ops)
}

/// Random steps, as many as `count` allows.
pub fn steps_in(doms: Vec<Dom>, pool: i64, count: std::ops::RangeInclusive<usize>, max_ops: usize) -> BoxedStrategy<Steps> {
    let values: Vec<BoxedStrategy<Value>> = doms.into_iter().map(value).collect();
    let op = prop_oneof![
        4 => (0..pool, values.clone()).prop_map(|(i, v)| Op::Upsert(i, v)),
        2 => any::<usize>().prop_map(Op::Delete),
        1 => (0..pool, values).prop_map(|(i, v)| Op::Flicker(i, v)),
    ];
    proptest::collection::vec(proptest::collection::vec(op, 0..=max_ops), count).boxed()
}

/// The id numbered `n` (ids are shared between tables so that id-based operators meet).
pub fn id(n: i64) -> Key {
    Key::for_value(&Value::Int(n))
}

/// Step times 0, 2, 4…; with `end`, the last step happens at `END_OF_INPUT` instead.
pub fn times(steps: usize, end: bool) -> Vec<Time> {
    let mut times: Vec<Time> = (0..steps as u64).map(|i| 2 * i).collect();
    if end {
        if let Some(last) = times.last_mut() {
            *last = END_OF_INPUT;
        }
    }
    times
}

/// The inline rows of a table's steps (ids offset by `id_base`), in reverse order so the engine
/// cannot rely on rows arriving sorted by time.
pub fn rows(steps: &Steps, times: &[Time], id_base: i64) -> Vec<StaticRow> {
    let mut live: Vec<(i64, Vec<Value>)> = Vec::new();
    let mut out = Vec::new();
    let mut push = |n: i64, values: Vec<Value>, time: Time, diff: i64| {
        out.push(StaticRow { id: id(id_base + n), values, time, diff });
    };
    for (ops, &time) in steps.iter().zip(times) {
        for op in ops {
            match op {
                Op::Upsert(n, values) => {
                    if let Some(pos) = live.iter().position(|(m, _)| m == n) {
                        let (_, old) = live.remove(pos);
                        push(*n, old, time, -1);
                    }
                    push(*n, values.clone(), time, 1);
                    live.push((*n, values.clone()));
                }
                Op::Delete(pick) => {
                    if !live.is_empty() {
                        let (n, old) = live.remove(pick % live.len());
                        push(n, old, time, -1);
                    }
                }
                Op::Flicker(n, values) => {
                    if !live.iter().any(|(m, _)| m == n) {
                        push(*n, values.clone(), time, 1);
                        push(*n, values.clone(), time, -1);
                    }
                }
            }
        }
    }
    out.reverse();
    out
}

//! Id-based set operations: `update_rows`, `update_cells`, `intersect`/`restrict`, `difference`.

use towpath_core::{Row, Value};

use crate::operators::ids::id_set;
use crate::timestamps::EngineTime;
use crate::types::Coll;

/// `base` with the rows of `updates` replacing or adding rows of the same id.
pub fn update_rows<'s, T: EngineTime>(base: Coll<'s, T>, updates: Coll<'s, T>) -> Coll<'s, T> {
    base.antijoin(id_set(updates.clone())).concat(updates)
}

/// `base` where rows present in `updates` take the mapped columns from it.
pub fn update_cells<'s, T: EngineTime>(base: Coll<'s, T>, updates: Coll<'s, T>, columns: Vec<Option<usize>>) -> Coll<'s, T> {
    let untouched = base.clone().antijoin(id_set(updates.clone()));
    let changed = base.join_map(updates, move |k, b: &Row, u: &Row| {
        let vals: Vec<Value> = columns
            .iter()
            .enumerate()
            .map(|(i, c)| match c {
                Some(j) => u[*j].clone(),
                None => b[i].clone(),
            })
            .collect();
        (*k, Row::from(vals))
    });
    untouched.concat(changed)
}

/// Rows of `input` whose id is in every one of `others`.
pub fn intersect<'s, T: EngineTime>(input: Coll<'s, T>, others: Vec<Coll<'s, T>>) -> Coll<'s, T> {
    others.into_iter().fold(input, |acc, other| acc.semijoin(id_set(other)))
}

/// Rows of `input` whose id is not in `other`.
pub fn difference<'s, T: EngineTime>(input: Coll<'s, T>, other: Coll<'s, T>) -> Coll<'s, T> {
    input.antijoin(id_set(other))
}

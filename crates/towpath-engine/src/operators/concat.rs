//! `concat` (ids kept) and `concat_reindex` (ids salted by input position).

use timely::progress::Timestamp;

use crate::types::Coll;

/// Union of the inputs, ids kept.
pub fn concat<'s, T: Timestamp>(inputs: Vec<Coll<'s, T>>) -> Coll<'s, T> {
    let mut iter = inputs.into_iter();
    let first = iter.next().expect("validated: concat has inputs");
    first.concatenate(iter)
}

/// Union of the inputs with fresh ids: input `i`'s row `k` becomes `k.salted(i)`.
pub fn concat_reindex<'s, T: Timestamp>(inputs: Vec<Coll<'s, T>>) -> Coll<'s, T> {
    let salted = inputs
        .into_iter()
        .enumerate()
        .map(|(i, c)| c.map(move |(k, r)| (k.salted(i as u64), r)))
        .collect();
    concat(salted)
}

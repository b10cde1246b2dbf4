//! The timestamps operators run at: commit times (`Time`) in the main scope, and
//! `Product<Time, u32>` (commit time, iteration) inside an iterate's loop. Relational operators
//! are generic over `EngineTime`; the few that need a totally ordered time (the incremental
//! groupby path, insertion stamps) go through this trait, which says what to do instead.

use differential_dataflow::lattice::Lattice;
use timely::order::Product;
use timely::progress::Timestamp;
use towpath_core::Time;
use towpath_plan::ReducerKind;

use crate::types::Coll;

/// A timestamp the relational operators can run at.
pub trait EngineTime: Timestamp + Lattice {
    /// Whether `reduce_incremental` can run here: it processes complete times in order, so it
    /// needs totally ordered times. Where it cannot, the generic reduce computes the same result.
    const INCREMENTAL_GROUPBY: bool;

    /// The incremental groupby (`operators::incremental`) over rows of prepared values followed
    /// by their fingerprint; called only where `INCREMENTAL_GROUPBY`.
    fn reduce_incremental<'s>(pre: Coll<'s, Self>, keys: usize, kinds: Vec<ReducerKind>, nonnegative: bool) -> Coll<'s, Self>;

    /// Appends insertion stamps (`operators::stamp`) for `earliest`/`latest`.
    fn stamp_insertions<'s>(coll: Coll<'s, Self>, name: &str) -> Coll<'s, Self>;
}

impl EngineTime for Time {
    const INCREMENTAL_GROUPBY: bool = true;

    fn reduce_incremental<'s>(pre: Coll<'s, Self>, keys: usize, kinds: Vec<ReducerKind>, nonnegative: bool) -> Coll<'s, Self> {
        crate::operators::incremental::reduce_incremental(pre, keys, kinds, nonnegative)
    }

    fn stamp_insertions<'s>(coll: Coll<'s, Self>, name: &str) -> Coll<'s, Self> {
        crate::operators::stamp::stamp_insertions(coll, name)
    }
}

/// Inside an iterate's loop.
impl EngineTime for Product<Time, u32> {
    const INCREMENTAL_GROUPBY: bool = false;

    fn reduce_incremental<'s>(_: Coll<'s, Self>, _: usize, _: Vec<ReducerKind>, _: bool) -> Coll<'s, Self> {
        unreachable!("INCREMENTAL_GROUPBY is false inside pw.iterate")
    }

    fn stamp_insertions<'s>(_: Coll<'s, Self>, _: &str) -> Coll<'s, Self> {
        unreachable!("validated: earliest/latest are not allowed inside pw.iterate")
    }
}

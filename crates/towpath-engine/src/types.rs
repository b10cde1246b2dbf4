//! The concrete collection types every operator works with.

use differential_dataflow::VecCollection;
use timely::dataflow::Stream;
use towpath_core::{Key, Row, Time};

/// Multiplicity changes.
pub type Diff = isize;

/// A table inside the dataflow: `(id, values)` rows with their update times and diffs. `T` is
/// the commit time, or `Product<Time, u32>` inside an iterate's loop (see `timestamps`).
pub type Coll<'s, T = Time> = VecCollection<'s, T, (Key, Row), Diff>;

/// The raw timely stream of a table's updates.
pub type UpdateStream<'s> = Stream<'s, Time, Vec<((Key, Row), Time, Diff)>>;

/// Updates a live source produced since its last commit: rows with their multiplicities.
pub type Updates = Vec<((Key, Row), Diff)>;

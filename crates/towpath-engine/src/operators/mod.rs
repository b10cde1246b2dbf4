//! Dataflow operators, one per file. Each lowers one kind of plan node.

pub mod batch;
pub mod concat;
pub mod flatten;
pub mod gate;
pub mod groupby;
pub mod ids;
pub mod incremental;
pub mod ix;
pub mod join;
pub mod prepare;
pub mod memo;
pub mod reducers;
pub mod sink;
pub mod sort;
pub mod stamp;
pub mod update;

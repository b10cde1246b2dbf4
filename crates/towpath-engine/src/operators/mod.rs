//! Dataflow operators, one per file. Each lowers one kind of plan node.

pub mod asof;
pub mod asof_now;
pub mod batch;
pub mod concat;
pub mod dedup;
pub mod flatten;
pub mod gate;
pub mod groupby;
pub mod ids;
pub mod incremental;
pub mod ix;
pub mod join;
pub mod per_time;
pub mod prepare;
pub mod memo;
pub mod reducers;
pub mod sink;
pub mod session;
pub mod sort;
pub mod stamp;
pub mod update;

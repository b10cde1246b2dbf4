//! Engine tests: every operator against a naive reference evaluator on random update streams
//! (with 1, 2 and 4 workers), plus a few literal examples.

mod common;

mod asof;
mod asof_now;
mod dedup;
mod gate;
mod groupby;
mod iterate;
mod ix;
mod join;
mod literal;
mod live;
mod live_files;
mod pipeline;
mod push;
mod rowwise;
mod sets;
mod soak;
mod session;
mod sort;
mod udf_memo;

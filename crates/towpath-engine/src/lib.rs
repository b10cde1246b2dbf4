//! towpath-engine: lowers a Plan onto timely/differential dataflow and runs it.

use towpath_core::{Key, Row, Time, Value};

pub mod analysis;
pub mod errors;
pub mod eval;
pub mod iterate;
pub mod live;
pub mod live_files;
pub mod lower;
pub mod operators;
pub mod push;
pub mod relational;
pub mod runtime;
pub mod timestamps;
pub mod types;

pub use push::{PushEvent, PushQueue};
pub use runtime::{run, run_with_sources, RunConfig, RunStats};

/// A UDF failure, reported to the error log.
#[derive(Clone, Debug, PartialEq)]
pub struct UdfError {
    pub message: String,
    /// The Python traceback, when there is one.
    pub trace: String,
}

/// What the engine needs from its embedder (Python, or tests): UDF calls and sink callbacks.
/// Callbacks for one sink come from one thread, in time order.
pub trait Host: Send + Sync + 'static {
    /// Calls UDF `index` once per argument row; returns one result per row.
    fn call_udf(&self, index: usize, rows: Vec<Vec<Value>>) -> Vec<Result<Value, UdfError>>;
    /// The consolidated updates of one complete time for `Callback { index: sink }`.
    fn on_updates(&self, sink: usize, time: Time, updates: Vec<(Key, Row, isize)>) -> towpath_core::Result<()>;
    /// Time `time` is complete for `sink` (called after its updates, also when it had none).
    fn on_time_end(&self, sink: usize, time: Time) -> towpath_core::Result<()>;
    /// The sink's input is finished.
    fn on_end(&self, sink: usize) -> towpath_core::Result<()>;
}

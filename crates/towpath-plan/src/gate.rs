//! Watermark gates: the plan nodes behind `pw.temporal` behaviours (`common_behavior`,
//! `exactly_once_behavior`) and `Table.ignore_late` / `buffer` / `forget`.
//!
//! A `Gate` node evaluates two expressions on every row: a **time** and a **threshold**. Its
//! **watermark** is the largest time (None and error values are ignored) of all updates its
//! input has had so far, over all workers. Updates are consolidated per commit time; a time at
//! which the input's updates cancel out has no updates. `W(<T)` is the watermark of the updates
//! before time `T`, `W(≤T)` includes those at `T`. A threshold that is None or an error never
//! passes the watermark. Every worker decides with the same global watermark, once every
//! worker is past `T`, so the output does not depend on the worker count.

use serde::{Deserialize, Serialize};

/// What a `Gate` does with a row whose threshold the watermark has reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum GateMode {
    /// `ignore_late` / a cutoff: an update at `T` whose threshold is `<= W(<T)` is dropped
    /// (counted in the run's `late_rows`); the others pass at `T`.
    Freeze,
    /// The complement of `Freeze`: exactly the updates `Freeze` drops (the late rows table).
    Late,
    /// `buffer` / a delay: an update is held until `W(≤T') >=` its threshold and then emitted
    /// at that `T'` (at once if already so); what is still held when the input ends is emitted
    /// at `END_OF_INPUT`.
    Buffer,
    /// `forget` / `keep_results=False`: updates pass at their time `T`; at every time `T` at
    /// which the input has updates, the rows present (those arriving at `T` included) whose
    /// threshold is `<= W(<T)` are retracted — at `T` itself, or at `T + 1` with `mark` so that
    /// a `DropForgetting` node further down can remove the consequences of forgetting while the
    /// operators in between free their state. Commit times are even (live sources commit at
    /// even milliseconds), so `T + 1` is never a data time.
    Forget { mark: bool },
}

//! Plan nodes: each produces one table from earlier nodes.

use serde::{Deserialize, Serialize};
use towpath_core::{Key, Time, Value};

use crate::expr::Expr;
use crate::sink::SinkSpec;
use crate::source::{KafkaReadSpec, SourceSpec};

/// Position of a node in `Plan::nodes`.
pub type NodeId = usize;

/// One step of the program.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub kind: NodeKind,
    /// Output column names (for EXPLAIN and messages; the data is positional).
    #[serde(default)]
    pub columns: Vec<String>,
    /// Where the user created this table, e.g. `app.py:12`, for error messages.
    #[serde(default)]
    pub trace: Option<String>,
}

/// A row given inline in the plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaticRow {
    pub id: Key,
    pub values: Vec<Value>,
    #[serde(default)]
    pub time: Time,
    #[serde(default = "one")]
    pub diff: i64,
}

fn one() -> i64 {
    1
}

/// What a node computes. Unless stated, the output keeps the input's row ids.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum NodeKind {
    /// Rows given inline (debug tables, pandas frames), inserted at their times.
    Static { rows: Vec<StaticRow> },
    /// Rows read by a connector.
    Read(SourceSpec),
    /// A live source producing numbered rows at a given rate (`pw.demo.range_stream`).
    Generate(GenerateSpec),
    /// Rows pushed by the embedder from its own thread (a Python `ConnectorSubject`).
    Push(PushSpec),
    /// Messages read from Kafka topics (live; each worker consumes its share of the partitions).
    Kafka(KafkaReadSpec),
    /// One output column per expression.
    Select { input: NodeId, exprs: Vec<Expr> },
    /// Rows for which the predicate is `true` (None, false and errors drop the row).
    Filter { input: NodeId, predicate: Expr },
    /// Same values, new ids: `id` must evaluate to a Pointer (`with_id`, `with_id_from`).
    Reindex { input: NodeId, id: Expr },
    /// `groupby(keys...).reduce(...)`: output columns are the key values, then one column per
    /// reducer. Output id: see `GroupId`.
    GroupBy { input: NodeId, keys: Vec<Expr>, reducers: Vec<Reducer>, id: GroupId },
    /// Join on `left_keys[i] == right_keys[i]` (None keys never match). Output columns: the left
    /// row's values, the right row's values (None when unmatched), then the left id and the right
    /// id as Pointers (None when unmatched). Output id: see `JoinId`.
    Join {
        left: NodeId,
        right: NodeId,
        left_keys: Vec<Expr>,
        right_keys: Vec<Expr>,
        kind: JoinKind,
        id: JoinId,
    },
    /// Union of tables with disjoint ids and the same arity.
    Concat { inputs: Vec<NodeId> },
    /// Union with fresh ids: `old_id.salted(input position)`.
    ConcatReindex { inputs: Vec<NodeId> },
    /// `base` with rows of `updates` replacing (or adding) rows of the same id.
    UpdateRows { base: NodeId, updates: NodeId },
    /// `base` where, for ids present in `updates`, column `i` takes `updates` column
    /// `columns[i]` when that is `Some`.
    UpdateCells { base: NodeId, updates: NodeId, columns: Vec<Option<usize>> },
    /// One row per element of the tuple/list/Json-array (or string character) in `column`,
    /// which takes the element's value; ids are `old_id.salted(position)`.
    Flatten { input: NodeId, column: usize },
    /// Rows of `input` whose id is present in every one of `others` (`intersect`, `restrict`).
    Intersect { input: NodeId, others: Vec<NodeId> },
    /// Rows of `input` whose id is absent from `other`.
    Difference { input: NodeId, other: NodeId },
    /// For each row of `input`, the row of `target` whose id is `key` (evaluated on `input`):
    /// output values are the target's values, the id is the input's. A missing target row
    /// gives None values when `optional`, else an error entry and Error values.
    Ix { input: NodeId, key: Expr, target: NodeId, optional: bool },
    /// `sort(key, instance=)`: two columns, `prev` and `next`, the ids (Pointers) of the rows just
    /// before and just after each row among the rows with the same `instance` value, ordered by
    /// `key`, ties by id (None at either end). Keys order as `Value`s do (None first, errors
    /// last); a None or error instance is an instance like any other; without `instance`, the
    /// whole table is one. A row counts once whatever its (positive) multiplicity.
    Sort {
        input: NodeId,
        key: Expr,
        #[serde(default)]
        instance: Option<Expr>,
    },
    /// Session windows (`pw.temporal.session`): the input's columns, then `start` and `end`, the
    /// smallest and largest `time` of the row's session, and `first`, the id (a Pointer) of the
    /// session's first row, which tells apart sessions with equal bounds. Within an instance (as in `Sort`),
    /// rows are ordered by `(time, id, values)`; two neighbours are in one session when
    /// `together`, evaluated on the row `[earlier time, later time]`, is `true` (anything else,
    /// errors included, splits; its errors are not logged). A session is a maximal run of
    /// such neighbours. Rows whose `time` is None or an error are left out. A row with
    /// multiplicity `c` is output `c` times but counts once in the order.
    Session {
        input: NodeId,
        time: Expr,
        #[serde(default)]
        instance: Option<Expr>,
        together: Expr,
    },
    /// `asof_join`: each row of a driving side (`Left`/`Inner`: left rows, `Right`: right rows,
    /// `Outer`: both) is paired with at most one row of the other side with equal keys (as in
    /// `Join`, a key with a None or an error matches nothing): in `direction`, the nearest by
    /// time. Rows of both sides are in one order by `(time, side, id, values)`, where at equal
    /// times the left rows come first when `left_first` (else the right rows): `Backward` takes
    /// the last other-side row before the driving row in that order, `Forward` the first after
    /// it, `Nearest` the closer in time of those two (the later one on a tie). Output layout as
    /// `Join`: left values, right values (None where unmatched), left id, right id. Output id:
    /// `Key::for_values([Pointer(left id), None])` for a left-driven row,
    /// `Key::for_values([None, Pointer(right id)])` for a right-driven one. A driving row is
    /// output once per multiplicity; its match counts once. `Inner` drops unmatched rows. Rows
    /// whose time is None or an error never match; driving ones are output unmatched.
    AsofJoin {
        left: NodeId,
        right: NodeId,
        left_time: Expr,
        right_time: Expr,
        left_keys: Vec<Expr>,
        right_keys: Vec<Expr>,
        kind: JoinKind,
        direction: AsofDirection,
        left_first: bool,
    },
    /// `asof_now_join`: each insertion of a left row is joined (on `left_keys[i] ==
    /// right_keys[i]`, None keys never matching) with the right rows present at its time, right
    /// updates of that same time included, and its output is never revised when the right side
    /// changes later. Deleting a left row retracts exactly what its most recent live insertion
    /// produced. `Left` also outputs a left row without a match, once, with Nones. Output layout
    /// and ids as `Join` (`kind` is `Inner` or `Left`).
    AsofNowJoin {
        left: NodeId,
        right: NodeId,
        left_keys: Vec<Expr>,
        right_keys: Vec<Expr>,
        kind: JoinKind,
        id: JoinId,
    },
    /// `deduplicate(value=, instance=, acceptor=)`: per instance, the last accepted row (the
    /// input's values, unchanged). Insertions are processed time by time; within one time, per
    /// instance, in order of `(value, id, values)` (Pathway's order, observed: by value); a row
    /// inserted several times at one time counts once; deletions are ignored (the result only
    /// moves forward). A row is accepted when its instance has none yet, or when `acceptor`,
    /// evaluated on `[new value, current value]`, is `true` (anything else, errors included,
    /// rejects; its errors are not logged). Output id: `Key::for_values([instance value])`, or
    /// `Key::for_values([])` without `instance`.
    Deduplicate {
        input: NodeId,
        value: Expr,
        #[serde(default)]
        instance: Option<Expr>,
        acceptor: Expr,
    },
    /// The error log: columns `operator_id` (int, the node index), `message` (str),
    /// `trace` (str, the source position or the UDF's traceback). Collects errors of the nodes
    /// before it in the plan.
    ErrorLog,
    /// Writes the input to a sink. Produces no rows.
    Output { input: NodeId, sink: SinkSpec },
    /// A watermark gate (`crate::gate`): the input's rows, held back, dropped or forgotten when
    /// the watermark (the largest `time` seen) reaches their `threshold`.
    Gate { input: NodeId, threshold: Expr, time: Expr, mode: crate::gate::GateMode },
    /// The input without its updates at odd times: drops what forgetting (a `Gate` in
    /// `Forget { mark: true }` mode upstream) retracted, so earlier results stay.
    DropForgetting { input: NodeId },
    /// `pw.iterate`: a fixpoint, see `crate::iterate`. Only `IterateResult` nodes may read it.
    Iterate(crate::iterate::IterateSpec),
    /// Inside an iterate body only: the current value of the iterate's `index`-th input (a loop
    /// variable's value at this iteration, or an outer table, constant over iterations).
    IterateInput { index: usize },
    /// The final value of loop variable `index` (into `IterateSpec::loops`) of the `Iterate`
    /// node `iterate`: same columns (and arity) as that variable's input.
    IterateResult { iterate: NodeId, index: usize },
}

impl NodeKind {
    /// The nodes this node reads, in order.
    pub fn inputs(&self) -> Vec<NodeId> {
        match self {
            NodeKind::Static { .. }
            | NodeKind::Read(_)
            | NodeKind::Generate(_)
            | NodeKind::Push(_)
            | NodeKind::Kafka(_)
            | NodeKind::ErrorLog
            | NodeKind::IterateInput { .. } => vec![],
            NodeKind::Select { input, .. }
            | NodeKind::Filter { input, .. }
            | NodeKind::Reindex { input, .. }
            | NodeKind::GroupBy { input, .. }
            | NodeKind::Flatten { input, .. }
            | NodeKind::Sort { input, .. }
            | NodeKind::Session { input, .. }
            | NodeKind::Deduplicate { input, .. }
            | NodeKind::Gate { input, .. }
            | NodeKind::DropForgetting { input }
            | NodeKind::Output { input, .. } => vec![*input],
            NodeKind::Join { left, right, .. }
            | NodeKind::AsofJoin { left, right, .. }
            | NodeKind::AsofNowJoin { left, right, .. } => vec![*left, *right],
            NodeKind::Concat { inputs } | NodeKind::ConcatReindex { inputs } => inputs.clone(),
            NodeKind::UpdateRows { base, updates } | NodeKind::UpdateCells { base, updates, .. } => {
                vec![*base, *updates]
            }
            NodeKind::Intersect { input, others } => std::iter::once(*input).chain(others.iter().copied()).collect(),
            NodeKind::Difference { input, other } => vec![*input, *other],
            NodeKind::Ix { input, target, .. } => vec![*input, *target],
            NodeKind::Iterate(spec) => spec.inputs.clone(),
            NodeKind::IterateResult { iterate, .. } => vec![*iterate],
        }
    }
}

/// A generator: row `i` (from 0) has the single column `value = Float(offset + i)`. Rows are
/// produced at `input_rate` rows per wall-clock second and committed every
/// `autocommit_duration_ms`, at even epoch milliseconds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GenerateSpec {
    /// Number of rows; `None` generates forever.
    #[serde(default)]
    pub nb_rows: Option<u64>,
    #[serde(default)]
    pub offset: i64,
    /// Rows per second (finite, > 0).
    #[serde(default = "default_rate")]
    pub input_rate: f64,
    /// Milliseconds between commits (at least 1).
    #[serde(default = "default_autocommit")]
    pub autocommit_duration_ms: u64,
}

/// A push source: the embedder passes one queue per push source to the run
/// (`RunConfig::push_sources[source]`) and pushes rows, deletions and commits into it.
/// With primary-key columns, a row replaces the row with the same key (upsert) and a deletion
/// removes it; without, every row is a new one and a deletion removes one equal row. Worker 0
/// drains the queue; commits happen at the embedder's `Commit` events and, with
/// `autocommit_duration_ms`, also every that many milliseconds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PushSpec {
    /// Index of the queue in the run's push sources.
    pub source: usize,
    /// Columns (pushed rows have one value per column, in order) and primary keys.
    pub schema: towpath_core::Schema,
    #[serde(default)]
    pub autocommit_duration_ms: Option<u64>,
    /// Name for messages.
    #[serde(default)]
    pub name: Option<String>,
}

fn default_rate() -> f64 {
    1.0
}

fn default_autocommit() -> u64 {
    1000
}

/// Join kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum JoinKind {
    Inner,
    Left,
    Right,
    Outer,
}

/// Which row of the other side an `AsofJoin` row takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AsofDirection {
    /// The last one at or before it.
    Backward,
    /// The first one at or after it.
    Forward,
    /// The closer of those two (the later on a tie).
    Nearest,
}

/// How a join's output ids are made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum JoinId {
    /// `Key::for_values([left id or None, right id or None])`.
    Hash,
    /// The left row's id (`id=left.id`).
    Left,
    /// The right row's id (`id=right.id`).
    Right,
}

/// How a groupby's output ids are made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum GroupId {
    /// `Key::for_values(key values)`.
    Hash,
    /// The first key value, which is a Pointer (`groupby(id=...)`).
    FirstKey,
}

/// One reducer of a groupby.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reducer {
    pub kind: ReducerKind,
    /// Argument expressions over the input row (none for `Count`).
    pub args: Vec<Expr>,
}

/// Reducers, with Pathway's semantics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReducerKind {
    /// Number of rows in the group.
    Count,
    /// Sum of int or float values.
    Sum,
    /// Mean (float).
    Avg,
    Min,
    Max,
    /// The id of the row with the smallest value (ties: smallest id).
    ArgMin,
    /// The id of the row with the largest value (ties: smallest id).
    ArgMax,
    /// Some value of the group (deterministic: the smallest).
    Any,
    /// The single distinct value; an error if there are several.
    Unique,
    /// All values as a tuple, ordered by row id.
    Tuple { skip_nones: bool },
    /// All values as a sorted tuple.
    SortedTuple { skip_nones: bool },
    /// Number of distinct values.
    CountDistinct,
    /// The value of the row inserted first (by time, then id).
    Earliest,
    /// The value of the row inserted last (by time, then id).
    Latest,
}

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
    /// Messages read from Kafka topics (live; worker 0 consumes every partition).
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
    /// The error log: columns `operator_id` (int, the node index), `message` (str),
    /// `trace` (str, the source position or the UDF's traceback). Collects errors of the nodes
    /// before it in the plan.
    ErrorLog,
    /// Writes the input to a sink. Produces no rows.
    Output { input: NodeId, sink: SinkSpec },
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
            | NodeKind::Output { input, .. } => vec![*input],
            NodeKind::Join { left, right, .. } => vec![*left, *right],
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

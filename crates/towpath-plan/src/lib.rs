//! towpath-plan: the logical plan Python lowers a program into, and the engine runs.
//!
//! A [`Plan`] is a list of [`Node`]s in topological order: a node only refers to nodes before it,
//! by index. Every node's output is a table: rows `(id, values)` whose values are positional
//! (column names are kept for EXPLAIN and error messages only). The JSON form is serde's default
//! (externally tagged enums), e.g. `{"Select": {"input": 0, "exprs": [{"Column": 1}]}}`.

pub mod expr;
pub mod explain;
pub mod gate;
pub mod iterate;
pub mod node;
pub mod sink;
pub mod source;
pub mod validate;

pub use expr::{BinaryOp, Expr, UnaryOp};
pub use gate::GateMode;
pub use iterate::{IterateSpec, LoopVar};
pub use node::{AsofDirection, GenerateSpec, GroupId, JoinId, JoinKind, Node, NodeId, NodeKind, PushSpec, Reducer, ReducerKind, StaticRow};
pub use sink::SinkSpec;
pub use source::{CsvSettings, Format, Mode, SourceSpec};

use serde::{Deserialize, Serialize};

/// A whole program.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub nodes: Vec<Node>,
}

impl Plan {
    /// Parses a plan from its JSON form and validates it.
    pub fn from_json(text: &str) -> towpath_core::Result<Plan> {
        let plan: Plan = serde_json::from_str(text)
            .map_err(|e| towpath_core::Error::new(format!("malformed plan: {e}")))?;
        validate::validate(&plan)?;
        Ok(plan)
    }

    /// The plan as JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("plans serialize")
    }
}

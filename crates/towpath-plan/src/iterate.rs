//! `pw.iterate`: a fixpoint computed by a loop body.
//!
//! An `Iterate` node carries its body as a nested list of nodes (`IterateSpec::body`) with its
//! own index space: body nodes refer to each other by position in `body`, and to the outer
//! tables listed in `IterateSpec::inputs` through `IterateInput { index }` placeholders. Some
//! inputs are loop variables (`IterateSpec::loops`): at iteration 0 a variable holds its input's
//! table; at iteration `k + 1` it holds the table of its `next` body node computed at iteration
//! `k`. The other inputs are constant over the iterations. The loop stops when no variable
//! changes (a fixpoint) or after `limit` iterations; each variable's final table is read outside
//! by an `IterateResult { iterate, index }` node (nothing else may read an `Iterate` node).
//!
//! The result at each time is the fixpoint computed from the inputs at that time — as if from
//! scratch, whatever happened before (the engine computes it incrementally). The error log of
//! an iterate holds the errors of one evaluation of the body on the final values, under the
//! `Iterate` node's index, each with the trace of the body node that failed.
//!
//! Bodies are made of row-wise and relational nodes only: deterministic `Select`, `Filter`,
//! `Reindex`, `GroupBy` (but `earliest`/`latest`, which depend on insertion times), `Join`,
//! `Concat`, `ConcatReindex`, `UpdateRows`, `UpdateCells`, `Flatten`, `Intersect`,
//! `Difference`, `Ix` and `IterateInput`.

use std::fmt::Write;

use serde::{Deserialize, Serialize};
use towpath_core::{Error, Result};

use crate::node::{Node, NodeId, NodeKind, ReducerKind};
use crate::Plan;

/// What an `Iterate` node computes (see the module documentation).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IterateSpec {
    /// Outer tables the body reads (`IterateInput { index }` is `inputs[index]`).
    pub inputs: Vec<NodeId>,
    /// The loop body, in topological order (indices are positions in `body`).
    pub body: Vec<Node>,
    /// The loop variables.
    pub loops: Vec<LoopVar>,
    /// At most this many iterations (at least 1); `None` runs to the fixpoint.
    #[serde(default)]
    pub limit: Option<u32>,
}

/// One loop variable: input `input` (into `IterateSpec::inputs`) is its initial table, body
/// node `next` its next value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoopVar {
    pub input: usize,
    pub next: NodeId,
}

/// `(where, what)` of a node for messages: ` (created at app.py:12)` or empty.
fn at(node: &Node) -> String {
    node.trace.as_ref().map(|t| format!(" (created at {t})")).unwrap_or_default()
}

/// Whether a body may contain this node kind; `Err(reason)` names why not.
fn allowed(kind: &NodeKind) -> std::result::Result<(), &'static str> {
    match kind {
        NodeKind::Select { exprs, .. } if exprs.iter().any(|e| e.has_nondeterministic_udf()) => {
            Err("a non-deterministic UDF (its remembered results) cannot be used inside pw.iterate")
        }
        NodeKind::GroupBy { reducers, .. }
            if reducers.iter().any(|r| matches!(r.kind, ReducerKind::Earliest | ReducerKind::Latest)) =>
        {
            Err("the earliest/latest reducers cannot be used inside pw.iterate")
        }
        NodeKind::Select { .. }
        | NodeKind::Filter { .. }
        | NodeKind::Reindex { .. }
        | NodeKind::GroupBy { .. }
        | NodeKind::Join { .. }
        | NodeKind::Concat { .. }
        | NodeKind::ConcatReindex { .. }
        | NodeKind::UpdateRows { .. }
        | NodeKind::UpdateCells { .. }
        | NodeKind::Flatten { .. }
        | NodeKind::Intersect { .. }
        | NodeKind::Difference { .. }
        | NodeKind::Ix { .. }
        | NodeKind::IterateInput { .. } => Ok(()),
        NodeKind::Sort { .. } => Err("sort cannot be used inside pw.iterate"),
        NodeKind::Iterate(_) | NodeKind::IterateResult { .. } => Err("pw.iterate cannot be nested"),
        NodeKind::ErrorLog => Err("the error log cannot be read inside pw.iterate"),
        NodeKind::Output { .. } => Err("outputs cannot be written inside pw.iterate"),
        _ => Err("sources cannot be created inside pw.iterate (pass the table as an argument)"),
    }
}

/// Checks an `Iterate` node (number `i`) whose inputs have `inputs` columns.
pub(crate) fn check(i: usize, node: &Node, spec: &IterateSpec, inputs: &[usize]) -> Result<()> {
    let fail = |message: String| Err(Error::new(format!("node {i}: {message}{}", at(node))));
    if spec.limit == Some(0) {
        return fail("the iteration limit must be at least 1".into());
    }
    if spec.loops.is_empty() {
        return fail("pw.iterate needs at least one iterated table".into());
    }
    for (j, body_node) in spec.body.iter().enumerate() {
        if let Err(reason) = allowed(&body_node.kind) {
            return fail(format!("iterate body node {j}: {reason}{}", at(body_node)));
        }
    }
    let body = crate::validate::arities_in(&spec.body, Some(inputs))
        .map_err(|e| Error::new(format!("node {i}: in the iterate body: {e}{}", at(node))))?;
    let mut seen = vec![false; inputs.len()];
    for var in &spec.loops {
        let Some(&width) = inputs.get(var.input) else {
            return fail(format!("loop variable of missing input {}", var.input));
        };
        if std::mem::replace(&mut seen[var.input], true) {
            return fail(format!("input {} is iterated twice", var.input));
        }
        let Some(&next) = body.get(var.next) else {
            return fail(format!("loop variable {} reads missing body node {}", var.input, var.next));
        };
        if next != width {
            return fail(format!(
                "the iterated table {} has {width} columns but the body returns {next}{}",
                var.input,
                at(&spec.body[var.next])
            ));
        }
    }
    Ok(())
}

/// Column counts of the body's nodes, given the column counts of the iterate's inputs.
pub fn body_arities(spec: &IterateSpec, inputs: &[usize]) -> Result<Vec<usize>> {
    crate::validate::arities_in(&spec.body, Some(inputs))
}

/// The outer node whose table has the shape of loop variable `index` of `iterate`, for an
/// `IterateResult` node `i`.
pub(crate) fn result_source(i: usize, iterate: &Node, index: usize) -> Result<NodeId> {
    match &iterate.kind {
        NodeKind::Iterate(spec) => spec
            .loops
            .get(index)
            .and_then(|var| spec.inputs.get(var.input).copied())
            .ok_or_else(|| Error::new(format!("node {i}: the iterate has no loop variable {index}"))),
        _ => Err(Error::new(format!("node {i}: IterateResult reads a node that is not an Iterate"))),
    }
}

/// Only `IterateResult` nodes read `Iterate` nodes.
pub(crate) fn check_readers(plan: &Plan) -> Result<()> {
    for (i, node) in plan.nodes.iter().enumerate() {
        if matches!(node.kind, NodeKind::IterateResult { .. }) {
            continue;
        }
        for input in node.kind.inputs() {
            if matches!(plan.nodes[input].kind, NodeKind::Iterate(_)) {
                return Err(Error::new(format!("node {i} reads the Iterate node {input} directly{}", at(node))));
            }
        }
    }
    Ok(())
}

/// EXPLAIN of an `Iterate` node: a header line, then the body indented.
pub(crate) fn explain(out: &mut String, i: usize, spec: &IterateSpec) {
    let inputs: Vec<String> = spec.inputs.iter().map(|n| format!("#{n}")).collect();
    let loops: Vec<String> = spec.loops.iter().map(|v| format!("{}<-#{}", v.input, v.next)).collect();
    let limit = spec.limit.map(|l| format!(", limit {l}")).unwrap_or_default();
    let _ = write!(out, "#{i} Iterate({}; loops {}{limit})", inputs.join(", "), loops.join(", "));
    let body = crate::explain::explain(&Plan { nodes: spec.body.clone() });
    for line in body.lines() {
        let _ = write!(out, "\n    {line}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::Expr;
    use crate::node::StaticRow;
    use crate::sink::SinkSpec;

    fn node(kind: NodeKind) -> Node {
        Node { kind, columns: vec![], trace: Some("app.py:3".into()) }
    }

    fn plan(body: Vec<Node>, limit: Option<u32>) -> Plan {
        let row = StaticRow { id: towpath_core::Key(1), values: vec![1i64.into()], time: 0, diff: 1 };
        let loops = vec![LoopVar { input: 0, next: body.len() - 1 }];
        Plan {
            nodes: vec![
                node(NodeKind::Static { rows: vec![row] }),
                node(NodeKind::Iterate(IterateSpec { inputs: vec![0], body, loops, limit })),
                node(NodeKind::IterateResult { iterate: 1, index: 0 }),
                node(NodeKind::Output { input: 2, sink: SinkSpec::Null }),
            ],
        }
    }

    #[test]
    fn a_valid_loop() {
        let body = vec![
            node(NodeKind::IterateInput { index: 0 }),
            node(NodeKind::Select { input: 0, exprs: vec![Expr::Column(0)] }),
        ];
        let p = plan(body, Some(3));
        assert_eq!(crate::validate::arities(&p).unwrap(), vec![1, 0, 1, 0]);
        crate::validate::validate(&p).unwrap();
        assert!(crate::explain::explain(&p).contains("    #1 Select(#0)"));
    }

    #[test]
    fn errors_name_the_problem_and_the_line() {
        let input = || node(NodeKind::IterateInput { index: 0 });
        let two = vec![input(), node(NodeKind::Select { input: 0, exprs: vec![Expr::Column(0), Expr::Column(0)] })];
        let e = crate::validate::validate(&plan(two, None)).unwrap_err().to_string();
        assert!(e.contains("has 1 columns but the body returns 2") && e.contains("app.py:3"), "{e}");
        let e = crate::validate::validate(&plan(vec![input()], Some(0))).unwrap_err().to_string();
        assert!(e.contains("at least 1"), "{e}");
        let sorted = vec![input(), node(NodeKind::Sort { input: 0, key: Expr::Column(0), instance: None })];
        let e = crate::validate::validate(&plan(sorted, None)).unwrap_err().to_string();
        assert!(e.contains("sort cannot be used inside pw.iterate"), "{e}");
        let missing = vec![node(NodeKind::IterateInput { index: 3 })];
        assert!(crate::validate::validate(&plan(missing, None)).is_err());
        let mut p = plan(vec![input()], None);
        p.nodes[3] = node(NodeKind::Output { input: 1, sink: SinkSpec::Null });
        assert!(crate::validate::validate(&p).unwrap_err().to_string().contains("directly"));
        let outside = Plan { nodes: vec![input()] };
        assert!(crate::validate::validate(&outside).is_err());
    }
}

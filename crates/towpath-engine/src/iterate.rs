//! `Iterate` nodes: the body is lowered inside a nested iterative scope (timestamps
//! `Product<Time, u32>`: commit time, iteration), with one differential `Variable` per loop
//! variable. Differential dataflow then maintains the fixpoint incrementally: a change to an
//! input at time `t` re-runs only the iterations and rows it affects, and the result at `t` is
//! the fixpoint of the inputs at `t` (see `towpath_plan::iterate`).

use std::sync::Arc;

use differential_dataflow::operators::iterate::Variable;
use differential_dataflow::AsCollection;
use timely::dataflow::operators::core::Filter;
use timely::dataflow::Scope;
use timely::order::Product;
use towpath_core::{Row, Time, Value};
use towpath_plan::{IterateSpec, NodeKind};

use crate::lower::with_node_trace;
use crate::operators::concat::concat;
use crate::operators::join::JoinSides;
use crate::relational::relational;
use crate::types::Coll;
use crate::Host;

/// Lowers `Iterate` node `i` with input tables `inputs` (of `widths` columns). Returns (every
/// loop variable's final rows, each row's values preceded by the variable's index as an `Int`;
/// error-log rows of the last evaluation of the body).
pub fn iterate<'s>(
    scope: Scope<'s, Time>,
    i: usize,
    spec: &IterateSpec,
    inputs: Vec<Coll<'s>>,
    widths: &[usize],
    host: Arc<dyn Host>,
) -> (Coll<'s>, Coll<'s>) {
    let arities = towpath_plan::iterate::body_arities(spec, widths).expect("validated plan");
    scope.iterative::<u32, _, _>(|inner| {
        let entered: Vec<Coll<'_, Product<Time, u32>>> = inputs.into_iter().map(|c| c.enter(inner)).collect();
        let mut current = entered.clone();
        let mut variables = Vec::with_capacity(spec.loops.len());
        for var in &spec.loops {
            let (variable, coll) = Variable::new_from(entered[var.input].clone(), Product::new(0, 1));
            current[var.input] = coll;
            variables.push(variable);
        }
        let mut tables: Vec<Coll<'_, Product<Time, u32>>> = Vec::with_capacity(spec.body.len());
        let mut errors = Vec::new();
        let sides = JoinSides::default();
        for node in &spec.body {
            let table = match &node.kind {
                NodeKind::IterateInput { index } => current[*index].clone(),
                kind => {
                    let get = |n: usize| tables[n].clone();
                    let arity = |n: usize| arities[n];
                    let (table, errs) = relational(i, kind, &get, &arity, &sides, host.clone()).expect("validated body");
                    if let Some(errs) = errs {
                        errors.push(with_node_trace(errs, node.trace.clone().unwrap_or_default()));
                    }
                    table
                }
            };
            tables.push(table);
        }
        for (variable, var) in variables.into_iter().zip(&spec.loops) {
            // Consolidated, so that a row that stops changing stops circulating (its `+x -x`
            // would otherwise go round the loop for ever).
            let mut next = tables[var.next].clone().consolidate();
            if let Some(limit) = spec.limit {
                // The value computed at iteration k is the variable's at k + 1: none past `limit`.
                next = next.inner.filter(move |(_, t, _)| t.inner < limit).as_collection();
            }
            variable.set(next);
        }
        let results = spec.loops.iter().enumerate().map(|(k, var)| {
            current[var.input].clone().map(move |(key, row)| {
                let mut values = Vec::with_capacity(row.len() + 1);
                values.push(Value::Int(k as i64));
                values.extend(row.iter().cloned());
                (key, Row::from(values))
            })
        });
        let results = concat(results.collect()).leave(scope);
        let errors = match errors.is_empty() {
            true => current[spec.loops[0].input].clone().filter(|_| false),
            false => concat(errors),
        };
        (results, errors.leave(scope))
    })
}

/// The final rows of loop variable `index`, from an iterate's tagged results.
pub fn result<'s>(tagged: Coll<'s>, index: usize) -> Coll<'s> {
    let tag = Value::Int(index as i64);
    tagged.flat_map(move |(key, row)| (row[0] == tag).then(|| (key, Row::from(&row[1..]))))
}

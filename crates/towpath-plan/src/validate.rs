//! Structural checks of a plan: references point backwards, column positions exist.

use towpath_core::{Error, Result};

use crate::expr::Expr;
use crate::node::{JoinKind, Node, NodeKind, ReducerKind};
use crate::Plan;

/// Number of output columns of every node, in plan order.
pub fn arities(plan: &Plan) -> Result<Vec<usize>> {
    arities_in(&plan.nodes, None)
}

/// `arities` of a list of nodes; `loop_inputs` holds the arities of an iterate body's inputs
/// (`None` outside a body, where `IterateInput` is an error).
pub(crate) fn arities_in(nodes: &[Node], loop_inputs: Option<&[usize]>) -> Result<Vec<usize>> {
    let mut out: Vec<usize> = Vec::with_capacity(nodes.len());
    for (i, node) in nodes.iter().enumerate() {
        let input = |id: usize| -> Result<usize> {
            out.get(id).copied().filter(|_| id < i).ok_or_else(|| {
                Error::new(format!("node {i} refers to node {id}, which does not come before it"))
            })
        };
        let check = |e: &Expr, arity: usize| -> Result<()> {
            let mut cols = Vec::new();
            e.columns(&mut cols);
            match cols.into_iter().find(|&c| c >= arity) {
                Some(c) => Err(Error::new(format!(
                    "node {i} reads column {c} of an input with {arity} columns"
                ))),
                None => Ok(()),
            }
        };
        let arity = match &node.kind {
            NodeKind::Static { rows } => rows.first().map(|r| r.values.len()).unwrap_or(node.columns.len()),
            NodeKind::Read(spec) => spec.schema.columns.len() + spec.with_metadata as usize,
            NodeKind::Push(spec) => {
                if spec.autocommit_duration_ms == Some(0) {
                    return Err(Error::new(format!("node {i}: autocommit_duration_ms must be at least 1")));
                }
                spec.schema.columns.len()
            }
            NodeKind::Kafka(spec) => {
                if spec.autocommit_duration_ms == Some(0) {
                    return Err(Error::new(format!("node {i}: autocommit_duration_ms must be at least 1")));
                }
                if spec.topics.is_empty() {
                    return Err(Error::new(format!("node {i}: a Kafka read needs at least one topic")));
                }
                spec.schema.columns.len() + spec.with_metadata as usize
            }
            NodeKind::Generate(spec) => {
                if !(spec.input_rate.is_finite() && spec.input_rate > 0.0) {
                    return Err(Error::new(format!("node {i}: input_rate must be a positive number")));
                }
                if spec.autocommit_duration_ms == 0 {
                    return Err(Error::new(format!("node {i}: autocommit_duration_ms must be at least 1")));
                }
                1
            }
            NodeKind::Select { input: n, exprs } => {
                let a = input(*n)?;
                exprs.iter().try_for_each(|e| check(e, a))?;
                exprs.len()
            }
            NodeKind::Filter { input: n, predicate } => {
                let a = input(*n)?;
                check(predicate, a)?;
                a
            }
            NodeKind::Reindex { input: n, id } => {
                let a = input(*n)?;
                check(id, a)?;
                a
            }
            NodeKind::GroupBy { input: n, keys, reducers, .. } => {
                let a = input(*n)?;
                keys.iter().try_for_each(|e| check(e, a))?;
                for r in reducers {
                    r.args.iter().try_for_each(|e| check(e, a))?;
                    let want = if r.kind == ReducerKind::Count { 0..=1 } else { 1..=1 };
                    if !want.contains(&r.args.len()) {
                        return Err(Error::new(format!(
                            "node {i}: reducer {:?} takes {want:?} arguments, got {}",
                            r.kind,
                            r.args.len()
                        )));
                    }
                }
                keys.len() + reducers.len()
            }
            NodeKind::AsofNowJoin { kind, .. } if !matches!(kind, JoinKind::Inner | JoinKind::Left) => {
                return Err(Error::new(format!("node {i}: an asof_now join is inner or left")));
            }
            NodeKind::Join { left, right, left_keys, right_keys, .. }
            | NodeKind::AsofNowJoin { left, right, left_keys, right_keys, .. } => {
                let (l, r) = (input(*left)?, input(*right)?);
                if left_keys.len() != right_keys.len() {
                    return Err(Error::new(format!("node {i}: join key lists differ in length")));
                }
                left_keys.iter().try_for_each(|e| check(e, l))?;
                right_keys.iter().try_for_each(|e| check(e, r))?;
                l + r + 2
            }
            NodeKind::Concat { inputs } | NodeKind::ConcatReindex { inputs } => {
                let arities = inputs.iter().map(|&n| input(n)).collect::<Result<Vec<_>>>()?;
                match arities.split_first() {
                    Some((first, rest)) if rest.iter().all(|a| a == first) => *first,
                    Some(_) => return Err(Error::new(format!("node {i}: concat of tables with different column counts"))),
                    None => return Err(Error::new(format!("node {i}: concat of no tables"))),
                }
            }
            NodeKind::UpdateRows { base, updates } => {
                let (b, u) = (input(*base)?, input(*updates)?);
                if b != u {
                    return Err(Error::new(format!("node {i}: update_rows with different column counts")));
                }
                b
            }
            NodeKind::UpdateCells { base, updates, columns } => {
                let (b, u) = (input(*base)?, input(*updates)?);
                if columns.len() != b || columns.iter().flatten().any(|&c| c >= u) {
                    return Err(Error::new(format!("node {i}: update_cells column map does not fit")));
                }
                b
            }
            NodeKind::Flatten { input: n, column } => {
                let a = input(*n)?;
                if *column >= a {
                    return Err(Error::new(format!("node {i}: flatten of missing column {column}")));
                }
                a
            }
            NodeKind::Intersect { input: n, others } => {
                others.iter().try_for_each(|&o| input(o).map(|_| ()))?;
                input(*n)?
            }
            NodeKind::Difference { input: n, other } => {
                input(*other)?;
                input(*n)?
            }
            NodeKind::Ix { input: n, key, target, .. } => {
                check(key, input(*n)?)?;
                input(*target)?
            }
            NodeKind::Sort { input: n, key, instance } => {
                let a = input(*n)?;
                std::iter::once(key).chain(instance).try_for_each(|e| check(e, a))?;
                2
            }
            NodeKind::Session { input: n, time, instance, together } => {
                let a = input(*n)?;
                std::iter::once(time).chain(instance).try_for_each(|e| check(e, a))?;
                check(together, 2)?;
                a + 3
            }
            NodeKind::AsofJoin { left, right, left_time, right_time, left_keys, right_keys, .. } => {
                let (la, ra) = (input(*left)?, input(*right)?);
                if left_keys.len() != right_keys.len() {
                    return Err(Error::new(format!("node {i}: asof join with unequal key counts")));
                }
                std::iter::once(left_time).chain(left_keys).try_for_each(|e| check(e, la))?;
                std::iter::once(right_time).chain(right_keys).try_for_each(|e| check(e, ra))?;
                la + ra + 2
            }
            NodeKind::Deduplicate { input: n, value, instance, acceptor } => {
                let a = input(*n)?;
                std::iter::once(value).chain(instance).try_for_each(|e| check(e, a))?;
                check(acceptor, 2)?;
                a
            }
            NodeKind::Gate { input: n, threshold, time, .. } => {
                let a = input(*n)?;
                check(threshold, a)?;
                check(time, a)?;
                a
            }
            NodeKind::DropForgetting { input: n } => input(*n)?,
            NodeKind::ErrorLog => 3,
            NodeKind::Output { input: n, .. } => {
                input(*n)?;
                0
            }
            NodeKind::Iterate(spec) => {
                let inputs = spec.inputs.iter().map(|&n| input(n)).collect::<Result<Vec<_>>>()?;
                crate::iterate::check(i, node, spec, &inputs)?;
                0
            }
            NodeKind::IterateInput { index } => match loop_inputs {
                Some(arities) => *arities.get(*index).ok_or_else(|| {
                    Error::new(format!("node {i} reads iterate input {index}, which does not exist"))
                })?,
                None => return Err(Error::new(format!("node {i}: IterateInput outside an iterate body"))),
            },
            NodeKind::IterateResult { iterate, index } => {
                input(*iterate)?;
                let source = crate::iterate::result_source(i, &nodes[*iterate], *index)?;
                input(source)?
            }
        };
        out.push(arity);
    }
    Ok(out)
}

/// Validates a plan (see `arities`).
pub fn validate(plan: &Plan) -> Result<()> {
    arities(plan)?;
    crate::iterate::check_readers(plan)
}

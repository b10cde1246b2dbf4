//! A readable, one-line-per-node rendering of a plan (`EXPLAIN`).

use std::fmt::Write;

use crate::node::NodeKind;
use crate::Plan;

/// Renders the plan, one node per line: `#index Kind(inputs) [columns] @trace`.
pub fn explain(plan: &Plan) -> String {
    let mut out = String::new();
    for (i, node) in plan.nodes.iter().enumerate() {
        let (name, inputs): (&str, Vec<usize>) = match &node.kind {
            NodeKind::Static { rows } => {
                let _ = write!(out, "#{i} Static({} rows)", rows.len());
                ("", vec![])
            }
            NodeKind::Read(spec) => {
                let _ = write!(out, "#{i} Read({:?} {:?} {})", spec.mode, spec.format, spec.path);
                ("", vec![])
            }
            NodeKind::Generate(spec) => {
                let rows = spec.nb_rows.map_or("endless".to_string(), |n| format!("{n} rows"));
                let _ = write!(out, "#{i} Generate({rows}, {}/s)", spec.input_rate);
                ("", vec![])
            }
            NodeKind::Push(spec) => {
                let name = spec.name.as_deref().unwrap_or("python");
                let _ = write!(out, "#{i} Push({name}, source {})", spec.source);
                ("", vec![])
            }
            NodeKind::Kafka(spec) => {
                let _ = write!(out, "#{i} Kafka({:?} {})", spec.format, spec.topics.join(","));
                ("", vec![])
            }
            NodeKind::Select { input, .. } => ("Select", vec![*input]),
            NodeKind::Filter { input, .. } => ("Filter", vec![*input]),
            NodeKind::Reindex { input, .. } => ("Reindex", vec![*input]),
            NodeKind::GroupBy { input, .. } => ("GroupBy", vec![*input]),
            NodeKind::Join { left, right, kind, .. } => {
                let _ = write!(out, "#{i} Join{kind:?}(#{left}, #{right})");
                ("", vec![])
            }
            NodeKind::Concat { inputs } => ("Concat", inputs.clone()),
            NodeKind::ConcatReindex { inputs } => ("ConcatReindex", inputs.clone()),
            NodeKind::UpdateRows { base, updates } => ("UpdateRows", vec![*base, *updates]),
            NodeKind::UpdateCells { base, updates, .. } => ("UpdateCells", vec![*base, *updates]),
            NodeKind::Flatten { input, .. } => ("Flatten", vec![*input]),
            NodeKind::Intersect { input, others } => {
                ("Intersect", std::iter::once(*input).chain(others.iter().copied()).collect())
            }
            NodeKind::Difference { input, other } => ("Difference", vec![*input, *other]),
            NodeKind::Ix { input, target, .. } => ("Ix", vec![*input, *target]),
            NodeKind::Sort { input, .. } => ("Sort", vec![*input]),
            NodeKind::Session { input, .. } => ("Session", vec![*input]),
            NodeKind::Deduplicate { input, .. } => ("Deduplicate", vec![*input]),
            NodeKind::AsofJoin { left, right, .. } => ("AsofJoin", vec![*left, *right]),
            NodeKind::AsofNowJoin { left, right, .. } => ("AsofNowJoin", vec![*left, *right]),
            NodeKind::Gate { input, mode, .. } => {
                let _ = write!(out, "#{i} Gate{mode:?}(#{input})");
                ("", vec![])
            }
            NodeKind::DropForgetting { input } => ("DropForgetting", vec![*input]),
            NodeKind::ErrorLog => ("ErrorLog", vec![]),
            NodeKind::Iterate(spec) => {
                crate::iterate::explain(&mut out, i, spec);
                ("", vec![])
            }
            NodeKind::IterateInput { index } => {
                let _ = write!(out, "#{i} IterateInput({index})");
                ("", vec![])
            }
            NodeKind::IterateResult { iterate, index } => {
                let _ = write!(out, "#{i} IterateResult(#{iterate}, {index})");
                ("", vec![])
            }
            NodeKind::Output { input, sink } => {
                let _ = write!(out, "#{i} Output(#{input}) -> {sink:?}");
                ("", vec![])
            }
        };
        if !name.is_empty() {
            let refs: Vec<String> = inputs.iter().map(|n| format!("#{n}")).collect();
            let _ = write!(out, "#{i} {name}({})", refs.join(", "));
        }
        if !node.columns.is_empty() {
            let _ = write!(out, " [{}]", node.columns.join(", "));
        }
        if let Some(trace) = &node.trace {
            let _ = write!(out, " @{trace}");
        }
        out.push('\n');
    }
    out
}

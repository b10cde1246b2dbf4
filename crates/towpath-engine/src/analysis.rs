//! Plan analyses that let the engine do less work without changing any result.

use std::collections::{BTreeMap, HashMap};

use towpath_core::{Key, Time, Value};
use towpath_plan::{Expr, NodeKind, Plan, ReducerKind, StaticRow};

fn uses_id(expr: &Expr) -> bool {
    let mut found = false;
    expr.visit(&mut |e| found |= matches!(e, Expr::Id));
    found
}

/// Whether the reducer's result depends on which rows (ids) carry the values, not just on the
/// multiset of values.
fn reducer_reads_ids(kind: ReducerKind) -> bool {
    matches!(
        kind,
        ReducerKind::ArgMin
            | ReducerKind::ArgMax
            | ReducerKind::Tuple { .. }
            | ReducerKind::Earliest
            | ReducerKind::Latest
    )
}

/// For every node, whether anything downstream can tell its rows' ids apart — and so whether
/// identical rows may be merged into one row with a multiplicity. Only a chain of selects and
/// filters ending in a groupby whose keys and reducers ignore ids (a count, a sum...) lets ids
/// go unobserved; every other consumer, sinks included, observes them (and so does everything
/// when the plan reads the error log).
pub fn ids_observed(plan: &Plan) -> Vec<bool> {
    // Error-log rows are keyed by the failing row's id: merged rows would merge their errors.
    if plan.nodes.iter().any(|n| matches!(n.kind, NodeKind::ErrorLog)) {
        return vec![true; plan.nodes.len()];
    }
    let mut observed = vec![false; plan.nodes.len()];
    for (i, node) in plan.nodes.iter().enumerate().rev() {
        let passes_through =
            |exprs: &[Expr]| !observed[i] && !exprs.iter().any(|e| uses_id(e) || e.has_nondeterministic_udf());
        let free = match &node.kind {
            NodeKind::GroupBy { keys, reducers, .. } => {
                !reducers.iter().any(|r| reducer_reads_ids(r.kind))
                    && !keys.iter().chain(reducers.iter().flat_map(|r| &r.args)).any(uses_id)
            }
            NodeKind::Select { exprs, .. } => passes_through(exprs),
            NodeKind::Filter { predicate, .. } => passes_through(std::slice::from_ref(predicate)),
            _ => false,
        };
        if !free {
            for input in node.kind.inputs() {
                observed[input] = true;
            }
        }
    }
    observed
}

/// Whether a static table's rows never have a negative multiplicity at the end of a time (a
/// markdown table may delete rows it never inserted).
fn static_nonnegative(rows: &[StaticRow]) -> bool {
    let mut by_time: BTreeMap<Time, Vec<&StaticRow>> = BTreeMap::new();
    for row in rows {
        by_time.entry(row.time).or_default().push(row);
    }
    let mut counts: HashMap<(Key, &[Value]), i64> = HashMap::new();
    for rows in by_time.values() {
        for row in rows {
            *counts.entry((row.id, &row.values[..])).or_insert(0) += row.diff;
        }
        if rows.iter().any(|row| counts[&(row.id, &row.values[..])] < 0) {
            return false;
        }
    }
    true
}

/// For every node, whether its table is known never to hold a row with a negative multiplicity
/// at a complete time. The sources keep their tables consistent (a deletion or an upsert
/// retracts a row they inserted); static tables are checked; maps, joins, concatenations,
/// groupbys and the ordered and temporal operators (which retract exactly what they emitted)
/// keep the property. Any other node (set operations, iterate, the error log) is not assumed
/// to. The incremental groupby sums such an input directly, without counting copies per row.
pub fn nonnegative(plan: &Plan) -> Vec<bool> {
    let mut known: Vec<bool> = Vec::with_capacity(plan.nodes.len());
    for node in &plan.nodes {
        let inputs_ok = node.kind.inputs().into_iter().all(|i| known.get(i).copied().unwrap_or(false));
        let ok = match &node.kind {
            NodeKind::Static { rows } => static_nonnegative(rows),
            NodeKind::Read(_) | NodeKind::Generate(_) | NodeKind::Push(_) | NodeKind::Kafka(_) => true,
            NodeKind::Select { .. }
            | NodeKind::Filter { .. }
            | NodeKind::Reindex { .. }
            | NodeKind::GroupBy { .. }
            | NodeKind::Join { .. }
            | NodeKind::Concat { .. }
            | NodeKind::ConcatReindex { .. }
            | NodeKind::Flatten { .. }
            | NodeKind::Ix { .. }
            | NodeKind::Sort { .. }
            | NodeKind::Session { .. }
            | NodeKind::AsofJoin { .. }
            | NodeKind::AsofNowJoin { .. }
            | NodeKind::Deduplicate { .. }
            | NodeKind::DropForgetting { .. } => inputs_ok,
            // The late rows table can hold a late deletion of a row it never held.
            NodeKind::Gate { mode, .. } => inputs_ok && !matches!(mode, towpath_plan::gate::GateMode::Late),
            _ => false,
        };
        known.push(ok);
    }
    known
}

#[cfg(test)]
mod tests {
    use super::*;
    use towpath_core::Schema;
    use towpath_plan::{Format, GroupId, Mode, Node, Reducer, SinkSpec, SourceSpec};

    fn node(kind: NodeKind) -> Node {
        Node { kind, columns: vec![], trace: None }
    }

    fn read() -> Node {
        node(NodeKind::Read(SourceSpec {
            path: "x".into(),
            format: Format::Plaintext,
            schema: Schema::default(),
            mode: Mode::Static,
            with_metadata: false,
            autocommit_duration_ms: None,
            name: None,
        }))
    }

    fn plan_with(reducer: ReducerKind, args: Vec<Expr>) -> Plan {
        Plan {
            nodes: vec![
                read(),
                node(NodeKind::Filter { input: 0, predicate: Expr::Const(true.into()) }),
                node(NodeKind::GroupBy {
                    input: 1,
                    keys: vec![Expr::Column(0)],
                    reducers: vec![Reducer { kind: reducer, args }],
                    id: GroupId::Hash,
                }),
                node(NodeKind::Output { input: 2, sink: SinkSpec::Null }),
            ],
        }
    }

    #[test]
    fn a_count_does_not_observe_ids_through_a_filter() {
        let observed = ids_observed(&plan_with(ReducerKind::Count, vec![]));
        assert_eq!(observed, vec![false, false, true, false]);
    }

    #[test]
    fn id_reading_reducers_and_expressions_observe_ids() {
        assert!(ids_observed(&plan_with(ReducerKind::ArgMax, vec![Expr::Column(0)]))[0]);
        assert!(ids_observed(&plan_with(ReducerKind::Sum, vec![Expr::Id]))[0]);
        assert!(!ids_observed(&plan_with(ReducerKind::Sum, vec![Expr::Column(0)]))[0]);
    }

    #[test]
    fn sinks_observe_ids() {
        let plan = Plan { nodes: vec![read(), node(NodeKind::Output { input: 0, sink: SinkSpec::Null })] };
        assert!(ids_observed(&plan)[0]);
    }

    fn static_table(rows: &[(i64, i64, i64)]) -> Node {
        let rows = rows
            .iter()
            .map(|&(id, time, diff)| StaticRow {
                id: Key::for_value(&Value::Int(id)),
                values: vec![Value::Int(id)],
                time: time as Time,
                diff,
            })
            .collect();
        node(NodeKind::Static { rows })
    }

    #[test]
    fn nonnegative_tables() {
        // Inserted at 0, deleted at 2 (and a flicker within time 4): never negative.
        let good = static_table(&[(1, 0, 1), (1, 2, -1), (2, 4, -1), (2, 4, 1)]);
        // Deleted at 0 before it is inserted at 2.
        let bad = static_table(&[(1, 2, 1), (1, 0, -1)]);
        let plan = Plan {
            nodes: vec![
                good,
                bad,
                read(),
                node(NodeKind::Concat { inputs: vec![0, 2] }),
                node(NodeKind::Concat { inputs: vec![0, 1] }),
                node(NodeKind::Difference { input: 0, other: 2 }),
            ],
        };
        assert_eq!(nonnegative(&plan), vec![true, false, true, true, false, false]);
    }
}

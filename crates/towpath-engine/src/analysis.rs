//! Plan analyses that let the engine do less work without changing any result.

use towpath_plan::{Expr, NodeKind, Plan, ReducerKind};

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
}

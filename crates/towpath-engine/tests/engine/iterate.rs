//! `Iterate` against the reference (which re-applies the body from scratch until nothing
//! changes, or up to the limit), at every time, with 1, 2 and 4 workers: connected components by
//! min-label propagation and reachability on random graphs whose edges come and go, and
//! fixed-step integer computations with an iteration limit (two loop variables, errors in the
//! body, flatten / ix / set operations inside the loop).

use proptest::prelude::*;
use towpath_core::{Key, Row, Value};
use towpath_plan::{
    BinaryOp, Expr, GroupId, IterateSpec, JoinId, JoinKind, LoopVar, Node, NodeId, NodeKind, Reducer, ReducerKind,
};

use crate::common::gen::{self, Dom, Steps};
use crate::common::{bin, check, col, config, lit, run_engine, PlanBuilder};

/// An iterate body under construction.
#[derive(Default)]
struct Body(Vec<Node>);

impl Body {
    fn add(&mut self, kind: NodeKind) -> NodeId {
        self.0.push(Node { kind, columns: Vec::new(), trace: Some(format!("body.py:{}", self.0.len())) });
        self.0.len() - 1
    }

    fn input(&mut self, index: usize) -> NodeId {
        self.add(NodeKind::IterateInput { index })
    }
}

fn select(input: NodeId, exprs: Vec<Expr>) -> NodeKind {
    NodeKind::Select { input, exprs }
}

fn groupby(input: NodeId, keys: Vec<Expr>, reducers: Vec<(ReducerKind, Expr)>) -> NodeKind {
    let reducers = reducers.into_iter().map(|(kind, arg)| Reducer { kind, args: vec![arg] }).collect();
    NodeKind::GroupBy { input, keys, reducers, id: GroupId::Hash }
}

fn join(left: NodeId, right: NodeId, left_key: usize, right_key: usize) -> NodeKind {
    let (left_keys, right_keys) = (vec![col(left_key)], vec![col(right_key)]);
    NodeKind::Join { left, right, left_keys, right_keys, kind: JoinKind::Inner, id: JoinId::Hash }
}

/// Adds the iterate and one `IterateResult` per loop variable; returns the results.
fn iterate(b: &mut PlanBuilder, inputs: Vec<NodeId>, body: Body, loops: Vec<LoopVar>, limit: Option<u32>) -> Vec<NodeId> {
    let n = loops.len();
    let it = b.add(NodeKind::Iterate(IterateSpec { inputs, body: body.0, loops, limit }));
    (0..n).map(|index| b.add(NodeKind::IterateResult { iterate: it, index })).collect()
}

/// Edges over 6 vertices (self-loops and duplicates included).
const EDGE: [Dom; 2] = [Dom::Int(6, false), Dom::Int(6, false)];

/// Vertices of the edges, one row `(v, v)` per vertex, id `PointerFrom(v)`.
fn initial_labels(b: &mut PlanBuilder, edges: NodeId) -> NodeId {
    let from = b.add(select(edges, vec![col(0)]));
    let to = b.add(select(edges, vec![col(1)]));
    let ends = b.add(NodeKind::ConcatReindex { inputs: vec![from, to] });
    let vertices = b.add(groupby(ends, vec![col(0)], vec![]));
    b.add(select(vertices, vec![col(0), col(0)]))
}

/// Connected components: every vertex takes the smallest label among itself and its neighbours.
fn components(b: &mut PlanBuilder, edges: NodeId) -> NodeId {
    let labels = initial_labels(b, edges);
    let mut body = Body::default();
    let (l, e) = (body.input(0), body.input(1));
    // Join columns: u, v, vertex, label, edge id, label id.
    let forward = body.add(join(e, l, 0, 0));
    let forward = body.add(select(forward, vec![col(1), col(3)]));
    let backward = body.add(join(e, l, 1, 0));
    let backward = body.add(select(backward, vec![col(0), col(3)]));
    let all = body.add(NodeKind::ConcatReindex { inputs: vec![l, forward, backward] });
    let best = body.add(groupby(all, vec![col(0)], vec![(ReducerKind::Min, col(1))]));
    iterate(b, vec![labels, edges], body, vec![LoopVar { input: 0, next: best }], None)[0]
}

/// Vertices reachable from the `sources` along directed edges.
fn reachable(b: &mut PlanBuilder, edges: NodeId, sources: NodeId) -> NodeId {
    let start = b.add(groupby(sources, vec![col(0)], vec![]));
    let mut body = Body::default();
    let (r, e) = (body.input(0), body.input(1));
    let step = body.add(join(e, r, 0, 0));
    let step = body.add(select(step, vec![col(1)]));
    let all = body.add(NodeKind::ConcatReindex { inputs: vec![r, step] });
    let next = body.add(groupby(all, vec![col(0)], vec![]));
    iterate(b, vec![start, edges], body, vec![LoopVar { input: 0, next }], None)[0]
}

fn graph_plan(edges: &Steps, sources: &Steps) -> PlanBuilder {
    let mut b = PlanBuilder::default();
    let e = b.table(2, gen::rows(edges, &gen::times(edges.len(), false), 0));
    let s = b.table(1, gen::rows(sources, &gen::times(sources.len(), false), 50));
    let cc = components(&mut b, e);
    b.output(cc, "connected components");
    let reach = reachable(&mut b, e, s);
    b.output(reach, "reachable");
    b
}

proptest! {
    #![proptest_config(config(32, "proptest-regressions/iterate.txt"))]

    /// Fixpoints on random graphs whose edges (and reachability sources) come and go.
    #[test]
    fn graph_fixpoints_match_reference(
        edges in gen::steps(EDGE.to_vec(), 10, 6, 5),
        sources in gen::steps(vec![Dom::Int(6, false)], 3, 4, 2),
    ) {
        if let Err(e) = check(&graph_plan(&edges, &sources), &[]) {
            prop_assert!(false, "{}", e);
        }
    }
}

/// Two loop variables with a limit: `t` (k, x) steps `x := (3x + k) % 7` where no row of `s`
/// has its id, takes `s`'s value where one has; `c` (k, sum) takes the per-k sums of the
/// previous `t`. A branch that is not fed back divides by `x - 3` (errors in the log).
fn limited_plan(t_steps: &Steps, s_steps: &Steps, limit: u32) -> PlanBuilder {
    let mut b = PlanBuilder::default();
    let t = b.table(2, gen::rows(t_steps, &gen::times(t_steps.len(), false), 0));
    let s = b.table(2, gen::rows(s_steps, &gen::times(s_steps.len(), false), 0));
    let c = b.add(groupby(t, vec![col(0)], vec![(ReducerKind::Sum, col(1))]));
    let mut body = Body::default();
    let (bt, bs, bc) = (body.input(0), body.input(1), body.input(2));
    let stepped = bin(BinaryOp::Mod, bin(BinaryOp::Add, bin(BinaryOp::Mul, col(1), lit(3i64)), col(0)), lit(7i64));
    let moved = body.add(select(bt, vec![col(0), stepped]));
    let alone = body.add(NodeKind::Difference { input: moved, other: bs });
    let shared = body.add(NodeKind::Intersect { input: moved, others: vec![bs] });
    let taken = body.add(NodeKind::UpdateCells { base: shared, updates: bs, columns: vec![None, Some(1)] });
    let next_t = body.add(NodeKind::Concat { inputs: vec![alone, taken] });
    let sums = body.add(groupby(bt, vec![col(0)], vec![(ReducerKind::Sum, col(1))]));
    let next_c = body.add(NodeKind::UpdateRows { base: bc, updates: sums });
    let failing = body.add(select(bt, vec![bin(BinaryOp::FloorDiv, lit(100i64), bin(BinaryOp::Sub, col(1), lit(3i64)))]));
    let _kept = body.add(NodeKind::Filter { input: failing, predicate: bin(BinaryOp::Gt, col(0), lit(0i64)) });
    let loops = vec![LoopVar { input: 0, next: next_t }, LoopVar { input: 2, next: next_c }];
    let results = iterate(&mut b, vec![t, s, c], body, loops, Some(limit));
    b.output(results[0], "t");
    b.output(results[1], "c");
    let log = b.add(NodeKind::ErrorLog);
    b.output(log, "error log");
    b
}

/// One loop variable through flatten, a groupby and an ix: each row's x becomes the sum over
/// its k-group of x + (x + 1), modulo 11.
fn flatten_ix_plan(t_steps: &Steps, limit: u32) -> PlanBuilder {
    let mut b = PlanBuilder::default();
    let t = b.table(2, gen::rows(t_steps, &gen::times(t_steps.len(), false), 0));
    let mut body = Body::default();
    let bt = body.input(0);
    let pairs = body.add(select(bt, vec![col(0), Expr::MakeTuple(vec![col(1), bin(BinaryOp::Add, col(1), lit(1i64))])]));
    let flat = body.add(NodeKind::Flatten { input: pairs, column: 1 });
    let sums = body.add(groupby(flat, vec![col(0)], vec![(ReducerKind::Sum, col(1))]));
    let looked = body.add(NodeKind::Ix { input: bt, key: Expr::PointerFrom(vec![col(0)]), target: sums, optional: false });
    let next = body.add(select(looked, vec![col(0), bin(BinaryOp::Mod, col(1), lit(11i64))]));
    let result = iterate(&mut b, vec![t], body, vec![LoopVar { input: 0, next }], Some(limit))[0];
    b.output(result, "t");
    let log = b.add(NodeKind::ErrorLog);
    b.output(log, "error log");
    b
}

const KX: [Dom; 2] = [Dom::Int(3, false), Dom::Int(7, false)];

proptest! {
    #![proptest_config(config(32, "proptest-regressions/iterate.txt"))]

    /// A fixed number of steps that never reach a fixpoint by themselves.
    #[test]
    fn limited_iterations_match_reference(
        t in gen::steps(KX.to_vec(), 6, 5, 4),
        s in gen::steps(KX.to_vec(), 6, 4, 2),
        limit in 1u32..5,
    ) {
        if let Err(e) = check(&limited_plan(&t, &s, limit), &[]) {
            prop_assert!(false, "{}", e);
        }
    }

    /// Flatten, groupby and ix inside the loop.
    #[test]
    fn flatten_and_ix_in_a_loop_match_reference(t in gen::steps(KX.to_vec(), 6, 5, 4), limit in 1u32..5) {
        if let Err(e) = check(&flatten_ix_plan(&t, limit), &[]) {
            prop_assert!(false, "{}", e);
        }
    }
}

/// A path 0-1-2 and 3-4: an edge 2-3 joins the components at time 2, its deletion at time 4
/// splits them again (the labels of 3 and 4 go back to 3).
#[test]
fn a_deleted_edge_splits_the_component_again() {
    let edge = |n: i64, u: i64, v: i64, time, diff| towpath_plan::StaticRow {
        id: gen::id(n),
        values: vec![Value::Int(u), Value::Int(v)],
        time,
        diff,
    };
    let mut b = PlanBuilder::default();
    let rows = vec![edge(0, 0, 1, 0, 1), edge(1, 1, 2, 0, 1), edge(2, 3, 4, 0, 1), edge(3, 2, 3, 2, 1), edge(3, 2, 3, 4, -1)];
    let e = b.table(2, rows);
    let cc = components(&mut b, e);
    b.output(cc, "components");
    let label = |v: i64, l: i64| (Key::for_values(&[Value::Int(v)]), Row::from(vec![Value::Int(v), Value::Int(l)]));
    for threads in [1, 2] {
        let streams = run_engine(&b.plan(), &[], threads, 1).expect("run");
        let at = |time: u64| {
            let mut updates: Vec<_> =
                streams[0].iter().filter(|(t, _)| *t == time).flat_map(|(_, u)| u.iter().map(|(k, r, d)| ((*k, r.clone()), *d))).collect();
            updates.sort();
            updates
        };
        let at2 = vec![(label(3, 3), -1), (label(3, 0), 1), (label(4, 3), -1), (label(4, 0), 1)];
        let mut at2 = at2;
        at2.sort();
        assert_eq!(at(2), at2, "{threads} worker(s)");
        let mut at4: Vec<_> = at2.into_iter().map(|(row, d)| (row, -d)).collect();
        at4.sort();
        assert_eq!(at(4), at4, "{threads} worker(s)");
    }
}

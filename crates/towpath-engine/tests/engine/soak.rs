//! Longer streams (more rows, times and collisions) than the property tests, from fixed seeds:
//! a word-count-like groupby and a join feeding a groupby, against the reference.

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use towpath_plan::{GroupId, JoinId, JoinKind, NodeKind, Reducer, ReducerKind};

use crate::common::gen::{self, Dom, Steps};
use crate::common::{check, col, PlanBuilder};

/// Deterministic steps from `seed`.
fn steps(seed: u8, doms: Vec<Dom>, pool: i64) -> Steps {
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    gen::steps_in(doms, pool, 10..=12, 30).new_tree(&mut runner).expect("steps").current()
}

fn r(kind: ReducerKind, arg: Option<usize>) -> Reducer {
    Reducer { kind, args: arg.map(col).into_iter().collect() }
}

#[test]
fn long_streams_match_reference() {
    for seed in 0..3u8 {
        let left = steps(seed, vec![Dom::Int(12, true), Dom::Int(5, false), Dom::Mixed], 60);
        let right = steps(seed.wrapping_add(100), vec![Dom::Int(12, true), Dom::Float], 40);
        let left_rows = gen::rows(&left, &gen::times(left.len(), seed == 1), 0);
        assert!(left_rows.len() > 100, "seed {seed} gives a short stream");
        let mut b = PlanBuilder::default();
        let l = b.table(3, left_rows);
        let rt = b.table(2, gen::rows(&right, &gen::times(right.len(), false), 1000));
        let reducers = vec![
            r(ReducerKind::Count, None),
            r(ReducerKind::Sum, Some(1)),
            r(ReducerKind::Earliest, Some(2)),
            r(ReducerKind::ArgMax, Some(1)),
            r(ReducerKind::Tuple { skip_nones: true }, Some(2)),
        ];
        let g = b.add(NodeKind::GroupBy { input: l, keys: vec![col(0)], reducers, id: GroupId::Hash });
        b.output(g, "groupby k");
        let j = b.add(NodeKind::Join {
            left: l,
            right: rt,
            left_keys: vec![col(0)],
            right_keys: vec![col(0)],
            kind: JoinKind::Outer,
            id: JoinId::Hash,
        });
        b.output(j, "outer join on k");
        let reducers = vec![r(ReducerKind::Count, None), r(ReducerKind::Sum, Some(4)), r(ReducerKind::Latest, Some(2))];
        let jg = b.add(NodeKind::GroupBy { input: j, keys: vec![col(1)], reducers, id: GroupId::Hash });
        b.output(jg, "outer join, then groupby v");
        if let Err(e) = check(&b, &[]) {
            panic!("seed {seed}: {e}");
        }
    }
}

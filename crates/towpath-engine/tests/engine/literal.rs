//! Small operator examples with literal expected update streams, for readability.

use towpath_core::{Key, Time, Value};
use towpath_plan::{GroupId, JoinId, JoinKind, NodeKind, Reducer, ReducerKind, StaticRow};

use crate::common::{col, run_engine, PlanBuilder, THREADS};

/// One expected or delivered update: id, values, diff.
type Update = (Key, Vec<Value>, isize);

fn k(n: u128) -> Key {
    Key(n)
}

fn s(text: &str) -> Value {
    Value::from(text)
}

fn at(time: Time, id: u128, values: Vec<Value>, diff: i64) -> StaticRow {
    StaticRow { id: k(id), values, time, diff }
}

/// Runs the plan's only sink with 1, 2 and 4 workers; asserts each delivers `expected` (each
/// time's updates compared as sorted lists).
fn assert_stream(b: &PlanBuilder, mut expected: Vec<(Time, Vec<Update>)>) {
    for (_, updates) in expected.iter_mut() {
        updates.sort();
    }
    for threads in THREADS {
        let streams = run_engine(&b.plan(), &[], threads, 1).unwrap();
        let got: Vec<(Time, Vec<Update>)> = streams[0]
            .iter()
            .map(|(t, updates)| {
                let mut u: Vec<Update> = updates.iter().map(|(k, r, d)| (*k, r.to_vec(), *d)).collect();
                u.sort();
                (*t, u)
            })
            .collect();
        assert_eq!(got, expected, "{threads} worker(s)");
    }
}

#[test]
fn word_count_over_three_times_with_deletions() {
    let mut b = PlanBuilder::default();
    let words = b.table(
        1,
        vec![
            at(2, 1, vec![s("a")], 1),
            at(2, 2, vec![s("b")], 1),
            at(2, 3, vec![s("a")], 1),
            at(4, 4, vec![s("c")], 1),
            at(4, 1, vec![s("a")], -1),
            at(6, 2, vec![s("b")], -1),
        ],
    );
    let count = Reducer { kind: ReducerKind::Count, args: vec![] };
    let g = b.add(NodeKind::GroupBy { input: words, keys: vec![col(0)], reducers: vec![count], id: GroupId::Hash });
    b.output(g, "word count");
    let group = |w: &str| Key::for_value(&s(w));
    assert_stream(
        &b,
        vec![
            (2, vec![(group("a"), vec![s("a"), Value::Int(2)], 1), (group("b"), vec![s("b"), Value::Int(1)], 1)]),
            (
                4,
                vec![
                    (group("a"), vec![s("a"), Value::Int(2)], -1),
                    (group("a"), vec![s("a"), Value::Int(1)], 1),
                    (group("c"), vec![s("c"), Value::Int(1)], 1),
                ],
            ),
            (6, vec![(group("b"), vec![s("b"), Value::Int(1)], -1)]),
        ],
    );
}

#[test]
fn left_join_replaces_the_unmatched_row_when_a_match_arrives() {
    let mut b = PlanBuilder::default();
    let l = b.table(2, vec![at(2, 1, vec![Value::Int(1), s("x")], 1)]);
    let r = b.table(2, vec![at(4, 2, vec![Value::Int(1), s("y")], 1)]);
    let j = b.add(NodeKind::Join {
        left: l,
        right: r,
        left_keys: vec![col(0)],
        right_keys: vec![col(0)],
        kind: JoinKind::Left,
        id: JoinId::Hash,
    });
    b.output(j, "left join");
    let (lid, rid) = (Value::Pointer(k(1)), Value::Pointer(k(2)));
    let alone = vec![Value::Int(1), s("x"), Value::None, Value::None, lid.clone(), Value::None];
    let alone_id = Key::for_values(&[lid.clone(), Value::None]);
    let matched = vec![Value::Int(1), s("x"), Value::Int(1), s("y"), lid.clone(), rid.clone()];
    let matched_id = Key::for_values(&[lid, rid]);
    assert_stream(
        &b,
        vec![(2, vec![(alone_id, alone.clone(), 1)]), (4, vec![(alone_id, alone, -1), (matched_id, matched, 1)])],
    );
}

#[test]
fn update_rows_restores_the_base_row_when_its_update_goes() {
    let mut b = PlanBuilder::default();
    let base = b.table(1, vec![at(2, 1, vec![s("a")], 1), at(2, 2, vec![s("b")], 1)]);
    let updates = b.table(1, vec![at(4, 2, vec![s("B")], 1), at(6, 3, vec![s("C")], 1), at(8, 2, vec![s("B")], -1)]);
    let n = b.add(NodeKind::UpdateRows { base, updates });
    b.output(n, "update_rows");
    assert_stream(
        &b,
        vec![
            (2, vec![(k(1), vec![s("a")], 1), (k(2), vec![s("b")], 1)]),
            (4, vec![(k(2), vec![s("b")], -1), (k(2), vec![s("B")], 1)]),
            (6, vec![(k(3), vec![s("C")], 1)]),
            (8, vec![(k(2), vec![s("B")], -1), (k(2), vec![s("b")], 1)]),
        ],
    );
}

#[test]
fn earliest_and_latest_forget_deleted_rows() {
    let mut b = PlanBuilder::default();
    let t = b.table(1, vec![at(2, 1, vec![s("x")], 1), at(4, 2, vec![s("y")], 1), at(6, 1, vec![s("x")], -1)]);
    let reducers = vec![
        Reducer { kind: ReducerKind::Earliest, args: vec![col(0)] },
        Reducer { kind: ReducerKind::Latest, args: vec![col(0)] },
        Reducer { kind: ReducerKind::Count, args: vec![] },
    ];
    let g = b.add(NodeKind::GroupBy { input: t, keys: vec![], reducers, id: GroupId::Hash });
    b.output(g, "earliest, latest, count");
    let group = Key::for_values(&[]);
    let row = |e: &str, l: &str, n: i64| vec![s(e), s(l), Value::Int(n)];
    assert_stream(
        &b,
        vec![
            (2, vec![(group, row("x", "x", 1), 1)]),
            (4, vec![(group, row("x", "x", 1), -1), (group, row("x", "y", 2), 1)]),
            (6, vec![(group, row("x", "y", 2), -1), (group, row("y", "y", 1), 1)]),
        ],
    );
}

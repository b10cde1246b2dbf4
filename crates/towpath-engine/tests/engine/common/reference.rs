//! A naive reference evaluator: recomputes every node's table from scratch at each time, over
//! BTreeMaps, following the node documentation in `towpath-plan`. Expression values come from
//! `towpath_engine::eval::eval_batch`, called one row at a time.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};

use towpath_core::{Key, Row, Time, Value};
use towpath_engine::errors::error_row;
use towpath_engine::eval::{eval_batch, EvalContext};
use towpath_engine::Host;
use towpath_plan::{Expr, GroupId, JoinId, JoinKind, Node, NodeKind, Plan, SinkSpec};

use super::host::{RecordingHost, Udf};
use super::reducers::{reduce, Member};

/// A table: `(id, values)` with its multiplicity (zero counts are never stored).
pub type Table = BTreeMap<(Key, Row), i64>;

/// A node's table and its error-log rows.
#[derive(Clone, Default)]
pub struct Out {
    pub table: Table,
    pub errors: Table,
}

/// A group being built: key values, members per reducer, whether a row has a positive count.
type Group = (Vec<Value>, Vec<Vec<Member>>, bool);

/// Every node's output at each event time so far.
pub type History = Vec<(Time, Vec<Out>)>;

/// For each callback sink index, the table it should hold after each event time.
pub fn expected_outputs(plan: &Plan, udfs: &[Udf]) -> Vec<BTreeMap<Time, Table>> {
    let host = RecordingHost::new(udfs.to_vec());
    let arities = towpath_plan::validate::arities(plan).expect("valid plan");
    let mut history: History = Vec::new();
    for t in super::gate_ref::times(plan, super::event_times(plan)) {
        let outs = eval_at(plan, &arities, &host, t, &history);
        history.push((t, outs));
    }
    let mut sinks: BTreeMap<usize, BTreeMap<Time, Table>> = BTreeMap::new();
    for node in &plan.nodes {
        if let NodeKind::Output { input, sink: SinkSpec::Callback { index } } = &node.kind {
            sinks.insert(*index, history.iter().map(|(t, outs)| (*t, outs[*input].table.clone())).collect());
        }
    }
    (0..sinks.len()).map(|i| sinks.remove(&i).unwrap_or_default()).collect()
}

/// Adds `count` copies of a row.
pub fn add(table: &mut Table, key: Key, row: Row, count: i64) {
    let slot = table.entry((key, row.clone())).or_insert(0);
    *slot += count;
    if *slot == 0 {
        table.remove(&(key, row));
    }
}

/// Where an error-log row of a node points: its own trace (a UDF's traceback) if it has one,
/// else the line that created the node.
struct Site<'a> {
    node: usize,
    trace: &'a str,
}

impl Site<'_> {
    fn row(&self, id: Key, message: &str, trace: &str) -> (Key, Row) {
        error_row(self.node, id, message, if trace.is_empty() { self.trace } else { trace })
    }
}

/// Evaluates `expr` on one row; its error entries become error-log rows of the node.
fn eval1(host: &dyn Host, expr: &Expr, id: Key, row: &Row, count: i64, site: &Site, errors: &RefCell<Table>) -> Value {
    let mut ctx = EvalContext::new(host);
    let value = eval_batch(expr, &[(id, row.clone())], &mut ctx).pop().expect("one value per row");
    for e in ctx.errors {
        let (k, r) = site.row(id, &e.message, &e.trace);
        add(&mut errors.borrow_mut(), k, r, count);
    }
    value
}

fn ids(table: &Table) -> BTreeSet<Key> {
    table.keys().map(|(k, _)| *k).collect()
}

/// Every node's output at time `t` (inline rows with time ≤ t).
fn eval_at(plan: &Plan, arities: &[usize], host: &dyn Host, t: Time, history: &History) -> Vec<Out> {
    eval_nodes(&plan.nodes, arities, host, t, history, &Body::default())
}

/// Where nodes are evaluated: the plan, or an iterate body (see `iterate.rs`).
#[derive(Default)]
pub struct Body {
    /// The tables `IterateInput` nodes read.
    pub inputs: Vec<Table>,
    /// The `Iterate` node whose body this is (its index names the body's errors).
    pub node: Option<usize>,
}

/// Every node's output at time `t`, for the nodes of a plan or of an iterate `body`.
pub fn eval_nodes(nodes: &[Node], arities: &[usize], host: &dyn Host, t: Time, history: &History, body: &Body) -> Vec<Out> {
    let mut outs: Vec<Out> = Vec::with_capacity(nodes.len());
    for (i, node) in nodes.iter().enumerate() {
        let mut table = Table::new();
        let table = &mut table;
        let errs = RefCell::new(Table::new());
        let site = Site { node: body.node.unwrap_or(i), trace: node.trace.as_deref().unwrap_or("") };
        let ev = |expr: &Expr, id: Key, row: &Row, count: i64| eval1(host, expr, id, row, count, &site, &errs);
        let log = |key: Key, message: &str, count: i64| {
            let (ek, er) = site.row(key, message, "");
            add(&mut errs.borrow_mut(), ek, er, count);
        };
        match &node.kind {
            NodeKind::Static { rows } => {
                for r in rows.iter().filter(|r| r.time <= t) {
                    add(table, r.id, Row::from(r.values.clone()), r.diff);
                }
            }
            NodeKind::Read(_) | NodeKind::Generate(_) | NodeKind::Push(_) | NodeKind::Kafka(_) => {
                panic!("the reference evaluator has no connectors")
            }
            NodeKind::Select { input, exprs } => {
                for ((k, r), c) in &outs[*input].table {
                    let vals: Vec<Value> = exprs.iter().map(|e| ev(e, *k, r, *c)).collect();
                    add(table, *k, Row::from(vals), *c);
                }
            }
            NodeKind::Filter { input, predicate } => {
                for ((k, r), c) in &outs[*input].table {
                    if ev(predicate, *k, r, *c) == Value::Bool(true) {
                        add(table, *k, r.clone(), *c);
                    }
                }
            }
            NodeKind::Reindex { input, id } => {
                for ((k, r), c) in &outs[*input].table {
                    match ev(id, *k, r, *c) {
                        Value::Pointer(p) => add(table, p, r.clone(), *c),
                        Value::Error => {}
                        other => log(*k, &format!("id must be a Pointer, got {}", other.type_name()), *c),
                    }
                }
            }
            NodeKind::GroupBy { input, keys, reducers, id } => {
                let mut groups: BTreeMap<Key, Group> = BTreeMap::new();
                for ((k, r), c) in &outs[*input].table {
                    let key_vals: Vec<Value> = keys.iter().map(|e| ev(e, *k, r, *c)).collect();
                    let args: Vec<Value> =
                        reducers.iter().map(|red| red.args.first().map(|e| ev(e, *k, r, *c)).unwrap_or_default()).collect();
                    let group = match (id, key_vals.first()) {
                        (GroupId::FirstKey, Some(Value::Pointer(p))) => *p,
                        _ => Key::for_values(&key_vals),
                    };
                    let stamp = insertion_time(history, *input, &(*k, r.clone()), t);
                    let entry =
                        groups.entry(group).or_insert_with(|| (key_vals, vec![Vec::new(); reducers.len()], false));
                    entry.2 |= *c > 0;
                    for (members, value) in entry.1.iter_mut().zip(args) {
                        members.push(Member { id: *k, stamp, value, count: *c });
                    }
                }
                // A group whose rows all have non-positive counts does not exist.
                for (group, (mut vals, members, _)) in groups.into_iter().filter(|(_, g)| g.2) {
                    for (red, members) in reducers.iter().zip(&members) {
                        vals.push(reduce(red.kind, members));
                    }
                    add(table, group, Row::from(vals), 1);
                }
            }
            NodeKind::Join { left, right, left_keys, right_keys, kind, id } => {
                let (la, ra) = (arities[*left], arities[*right]);
                let side = |input: usize, keys: &[Expr]| -> Vec<(Key, Row, i64, Option<Vec<Value>>)> {
                    outs[input]
                        .table
                        .iter()
                        .map(|((k, r), c)| {
                            let vals: Vec<Value> = keys.iter().map(|e| ev(e, *k, r, *c)).collect();
                            let valid = !vals.iter().any(|v| v.is_none() || v.is_error());
                            (*k, r.clone(), *c, valid.then_some(vals))
                        })
                        .collect()
                };
                let ls = side(*left, left_keys);
                let rs = side(*right, right_keys);
                let emit = |table: &mut Table, l: Option<(&Key, &Row)>, r: Option<(&Key, &Row)>, c: i64| {
                    let (k, row) = join_row(*id, la, ra, l, r);
                    add(table, k, row, c);
                };
                for (lk, lr, lc, lkey) in &ls {
                    let matches: Vec<_> = rs.iter().filter(|(.., rkey)| lkey.is_some() && rkey == lkey).collect();
                    for (rk, rr, rc, _) in &matches {
                        emit(table, Some((lk, lr)), Some((rk, rr)), lc * rc);
                    }
                    if matches.is_empty() && matches!(kind, JoinKind::Left | JoinKind::Outer) {
                        emit(table, Some((lk, lr)), None, *lc);
                    }
                }
                if matches!(kind, JoinKind::Right | JoinKind::Outer) {
                    for (rk, rr, rc, rkey) in &rs {
                        if !ls.iter().any(|(.., lkey)| rkey.is_some() && lkey == rkey) {
                            emit(table, None, Some((rk, rr)), *rc);
                        }
                    }
                }
            }
            NodeKind::Concat { inputs } => {
                for input in inputs {
                    for ((k, r), c) in &outs[*input].table {
                        add(table, *k, r.clone(), *c);
                    }
                }
            }
            NodeKind::ConcatReindex { inputs } => {
                for (pos, input) in inputs.iter().enumerate() {
                    for ((k, r), c) in &outs[*input].table {
                        add(table, k.salted(pos as u64), r.clone(), *c);
                    }
                }
            }
            NodeKind::UpdateRows { base, updates } => {
                let replaced = ids(&outs[*updates].table);
                for ((k, r), c) in outs[*base].table.iter().filter(|((k, _), _)| !replaced.contains(k)) {
                    add(table, *k, r.clone(), *c);
                }
                for ((k, r), c) in &outs[*updates].table {
                    add(table, *k, r.clone(), *c);
                }
            }
            NodeKind::UpdateCells { base, updates, columns } => {
                for ((k, b), bc) in &outs[*base].table {
                    let news: Vec<_> = outs[*updates].table.iter().filter(|((u, _), _)| u == k).collect();
                    if news.is_empty() {
                        add(table, *k, b.clone(), *bc);
                    }
                    for ((_, u), uc) in news {
                        let vals: Vec<Value> =
                            columns.iter().enumerate().map(|(i, c)| c.map_or(b[i].clone(), |j| u[j].clone())).collect();
                        add(table, *k, Row::from(vals), bc * uc);
                    }
                }
            }
            NodeKind::Flatten { input, column } => {
                for ((k, r), c) in &outs[*input].table {
                    match elements(&r[*column]) {
                        Ok(items) => {
                            for (pos, item) in items.into_iter().enumerate() {
                                let mut vals = r.to_vec();
                                vals[*column] = item;
                                add(table, k.salted(pos as u64), Row::from(vals), *c);
                            }
                        }
                        Err(Some(message)) => log(*k, &message, *c),
                        Err(None) => {}
                    }
                }
            }
            NodeKind::Intersect { input, others } => {
                let sets: Vec<BTreeSet<Key>> = others.iter().map(|o| ids(&outs[*o].table)).collect();
                for ((k, r), c) in &outs[*input].table {
                    if sets.iter().all(|s| s.contains(k)) {
                        add(table, *k, r.clone(), *c);
                    }
                }
            }
            NodeKind::Difference { input, other } => {
                let gone = ids(&outs[*other].table);
                for ((k, r), c) in outs[*input].table.iter().filter(|((k, _), _)| !gone.contains(k)) {
                    add(table, *k, r.clone(), *c);
                }
            }
            NodeKind::Ix { input, key, target, optional } => {
                let width = arities[*target];
                for ((k, r), c) in &outs[*input].table {
                    let wanted = ev(key, *k, r, *c);
                    let hits: Vec<_> = match wanted {
                        Value::Pointer(p) => outs[*target].table.iter().filter(|((tk, _), _)| *tk == p).collect(),
                        _ => Vec::new(),
                    };
                    for ((_, tr), tc) in &hits {
                        add(table, *k, tr.clone(), c * *tc);
                    }
                    if hits.is_empty() {
                        let fill = if *optional { Value::None } else { Value::Error };
                        add(table, *k, Row::from(vec![fill; width]), *c);
                        if !optional {
                            let target_id = match wanted {
                                Value::Pointer(p) => p,
                                _ => Key(0),
                            };
                            log(*k, &format!("key missing in ix: {target_id}"), *c);
                        }
                    }
                }
            }
            NodeKind::Sort { input, key, instance } => {
                // instance value -> (key, id) of its rows present with a positive count.
                let mut instances: BTreeMap<Value, BTreeSet<(Value, Key)>> = BTreeMap::new();
                for ((k, r), c) in &outs[*input].table {
                    // Evaluated for every row, so that a failing row logs its error whatever its count.
                    let sort_key = ev(key, *k, r, *c);
                    let inst = instance.as_ref().map_or(Value::None, |e| ev(e, *k, r, *c));
                    if *c > 0 {
                        instances.entry(inst).or_default().insert((sort_key, *k));
                    }
                }
                for rows in instances.values() {
                    let order: Vec<Key> = rows.iter().map(|(_, k)| *k).collect();
                    for (i, k) in order.iter().enumerate() {
                        let at = |j: Option<usize>| j.and_then(|j| order.get(j)).map_or(Value::None, |p| Value::Pointer(*p));
                        add(table, *k, Row::from(vec![at(i.checked_sub(1)), at(Some(i + 1))]), 1);
                    }
                }
            }
            NodeKind::Session { input, time, instance, together } => {
                let mut rows = Vec::new();
                for ((k, r), c) in &outs[*input].table {
                    let t = ev(time, *k, r, *c);
                    let inst = instance.as_ref().map_or(Value::None, |e| ev(e, *k, r, *c));
                    if !matches!(t, Value::None | Value::Error) {
                        rows.push((t, inst, *k, r.clone(), *c));
                    }
                }
                super::ordered::session(host, rows, together, table);
            }
            NodeKind::AsofJoin { left, right, left_time, right_time, left_keys, right_keys, kind, direction, left_first } => {
                let side = |input: usize, time: &Expr, keys: &[Expr]| -> super::ordered::AsofRows {
                    let mut rows = Vec::new();
                    for ((k, r), c) in &outs[input].table {
                        let t = ev(time, *k, r, *c);
                        let vals: Vec<Value> = keys.iter().map(|e| ev(e, *k, r, *c)).collect();
                        let key = (!vals.iter().any(|v| matches!(v, Value::None | Value::Error))).then_some(vals);
                        rows.push((t, key, *k, r.clone(), *c));
                    }
                    rows
                };
                let (l, r) = (side(*left, left_time, left_keys), side(*right, right_time, right_keys));
                let shape = (arities[*left], arities[*right]);
                super::ordered::asof(l, r, shape, *kind, *direction, *left_first, table);
            }
            NodeKind::AsofNowJoin { left, right, left_keys, right_keys, kind, id } => {
                for (input, keys) in [(*left, left_keys), (*right, right_keys)] {
                    for ((k, r), c) in &outs[input].table {
                        for e in keys {
                            ev(e, *k, r, *c); // logs the current rows' errors
                        }
                    }
                }
                let tables = |n: usize| -> Vec<&Table> {
                    history.iter().map(|(_, o)| &o[n].table).chain(std::iter::once(&outs[n].table)).collect()
                };
                let shape = (*kind, *id, arities[*left], arities[*right]);
                let keys = (left_keys.as_slice(), right_keys.as_slice());
                super::asof_now::asof_now(host, &tables(*left), &tables(*right), keys, shape, table);
            }
            NodeKind::Deduplicate { input, value, instance, acceptor } => {
                for ((k, r), c) in &outs[*input].table {
                    ev(value, *k, r, *c); // logs the current rows' errors
                    if let Some(e) = instance {
                        ev(e, *k, r, *c);
                    }
                }
                let mut tables: Vec<&Table> = history.iter().map(|(_, o)| &o[*input].table).collect();
                tables.push(&outs[*input].table);
                super::ordered::deduplicate(host, &tables, value, instance.as_ref(), acceptor, table);
            }
            NodeKind::Gate { input, threshold, time, mode } => {
                for ((k, r), c) in &outs[*input].table {
                    ev(threshold, *k, r, *c);
                    ev(time, *k, r, *c);
                }
                let ex = super::gate_ref::Exprs { host, threshold, time };
                *table = super::gate_ref::gate(i, *input, &outs[*input].table, history, t, *mode, &ex);
            }
            NodeKind::DropForgetting { input } => {
                *table = super::gate_ref::drop_forgetting(i, *input, &outs[*input].table, history, t);
            }
            NodeKind::ErrorLog => {
                for prev in &outs {
                    for ((k, r), c) in &prev.errors {
                        add(table, *k, r.clone(), *c);
                    }
                }
            }
            NodeKind::Output { .. } => {}
            NodeKind::Iterate(spec) => {
                let out = super::iterate::eval_iterate(spec, i, arities, &outs, host, t);
                *table = out.table;
                *errs.borrow_mut() = out.errors;
            }
            NodeKind::IterateInput { index } => *table = body.inputs[*index].clone(),
            NodeKind::IterateResult { iterate, index } => *table = super::iterate::result(&outs[*iterate].table, *index),
        }
        let table = std::mem::take(table);
        outs.push(Out { table, errors: errs.into_inner() });
    }
    outs
}

/// The time since which `row` has been continuously present in `input`'s table (by `t`).
fn insertion_time(history: &History, input: usize, row: &(Key, Row), t: Time) -> Time {
    let mut since = t;
    for (time, outs) in history.iter().rev() {
        match outs[input].table.get(row) {
            Some(c) if *c > 0 => since = *time,
            _ => break,
        }
    }
    since
}

/// A join output row per the `Join` node documentation.
pub fn join_row(id: JoinId, la: usize, ra: usize, l: Option<(&Key, &Row)>, r: Option<(&Key, &Row)>) -> (Key, Row) {
    let mut vals: Vec<Value> = match l {
        Some((_, row)) => row.to_vec(),
        None => vec![Value::None; la],
    };
    vals.extend(match r {
        Some((_, row)) => row.to_vec(),
        None => vec![Value::None; ra],
    });
    let lid = l.map_or(Value::None, |(k, _)| Value::Pointer(*k));
    let rid = r.map_or(Value::None, |(k, _)| Value::Pointer(*k));
    let key = match (id, l, r) {
        (JoinId::Left, Some((k, _)), _) | (JoinId::Right, _, Some((k, _))) => *k,
        _ => Key::for_values(&[lid.clone(), rid.clone()]),
    };
    vals.push(lid);
    vals.push(rid);
    (key, Row::from(vals))
}

/// The elements `flatten` produces; `Err(Some(message))` for a value that cannot be flattened,
/// `Err(None)` for an error value (already in the log upstream).
fn elements(value: &Value) -> Result<Vec<Value>, Option<String>> {
    match value {
        Value::Tuple(items) => Ok(items.to_vec()),
        Value::String(s) => Ok(s.chars().map(|c| Value::from(c.to_string())).collect()),
        Value::Json(text) => match serde_json::from_str::<serde_json::Value>(text) {
            Ok(serde_json::Value::Array(items)) => Ok(items.iter().map(Value::json).collect()),
            _ => Err(Some("flatten of a Json value that is not an array".into())),
        },
        Value::Error => Err(None),
        other => Err(Some(format!("cannot flatten a value of type {}", other.type_name()))),
    }
}

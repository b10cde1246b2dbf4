//! Reference semantics of `Gate` and `DropForgetting` nodes (see `towpath_plan::gate`),
//! written from the node documentation over whole tables: a gate's input changes at time `t`
//! are the difference between its input table at `t` and at the previous evaluated time, and
//! its watermark `W(<t)` is the largest valid time value of every row its input table ever
//! held before `t`. What a gate holds (buffered rows, rows not forgotten yet) is its input
//! minus its output, or its previous output.

use towpath_core::{Key, Row, Time, Value, END_OF_INPUT};
use towpath_engine::eval::{eval_batch, EvalContext};
use towpath_engine::Host;
use towpath_plan::{Expr, GateMode, NodeKind, Plan};

use super::reference::{add, History, Table};

/// The times the reference evaluates: every event time, plus `T + 1` after each one when a
/// gate forgets with marks (its retractions come then), plus `END_OF_INPUT` when a buffer
/// flushes there.
pub fn times(plan: &Plan, events: Vec<Time>) -> Vec<Time> {
    let modes: Vec<GateMode> = plan
        .nodes
        .iter()
        .filter_map(|n| match &n.kind {
            NodeKind::Gate { mode, .. } => Some(*mode),
            _ => None,
        })
        .collect();
    let mut out: std::collections::BTreeSet<Time> = events.iter().copied().collect();
    if modes.contains(&GateMode::Buffer) {
        out.insert(END_OF_INPUT);
    }
    if modes.contains(&GateMode::Forget { mark: true }) {
        let all: Vec<Time> = out.iter().copied().collect();
        out.extend(all.into_iter().map(|t| t + 1));
    }
    out.into_iter().collect()
}

/// A value that counts for the watermark.
fn valid(v: &Value) -> bool {
    !v.is_none() && !v.is_error()
}

fn reached(thr: &Value, w: &Option<Value>) -> bool {
    valid(thr) && w.as_ref().is_some_and(|w| thr <= w)
}

/// `table - other`.
fn minus(table: &Table, other: &Table) -> Table {
    let mut out = table.clone();
    for ((k, r), c) in other {
        add(&mut out, *k, r.clone(), -c);
    }
    out
}

/// `table + other`.
fn plus(table: &Table, other: &Table) -> Table {
    minus(table, &other.iter().map(|(k, c)| (k.clone(), -c)).collect())
}

/// A gate's expressions and a way to evaluate them without logging errors (the node logs its
/// errors through the regular evaluator, for the rows of its current input).
pub struct Exprs<'a> {
    pub host: &'a dyn Host,
    pub threshold: &'a Expr,
    pub time: &'a Expr,
}

impl Exprs<'_> {
    fn eval(&self, expr: &Expr, key: Key, row: &Row) -> Value {
        let mut ctx = EvalContext::new(self.host);
        eval_batch(expr, &[(key, row.clone())], &mut ctx).pop().expect("one value")
    }

    fn thr(&self, key: Key, row: &Row) -> Value {
        self.eval(self.threshold, key, row)
    }

    /// The largest valid time of the rows of `tables`.
    fn watermark<'t>(&self, tables: impl Iterator<Item = &'t Table>) -> Option<Value> {
        tables.flat_map(|t| t.keys()).map(|(k, r)| self.eval(self.time, *k, r)).filter(valid).max()
    }
}

/// The table of a `Gate` node `node` reading `input` at time `t`, given `now` (its input's table
/// at `t`) and the history of earlier times.
pub fn gate(node: usize, input: usize, now: &Table, history: &History, t: Time, mode: GateMode, ex: &Exprs) -> Table {
    let empty = Table::new();
    let prev_in = history.last().map_or(&empty, |(_, outs)| &outs[input].table);
    let prev_out = history.last().map_or(&empty, |(_, outs)| &outs[node].table);
    let delta = minus(now, prev_in);
    let before = ex.watermark(history.iter().map(|(_, outs)| &outs[input].table));
    match mode {
        GateMode::Freeze | GateMode::Late => {
            let late = |(k, r): &(Key, Row)| reached(&ex.thr(*k, r), &before);
            let kept: Table = delta.into_iter().filter(|(row, _)| late(row) == (mode == GateMode::Late)).collect();
            plus(prev_out, &kept)
        }
        GateMode::Buffer => {
            if t == END_OF_INPUT {
                return now.clone();
            }
            let after = std::cmp::max(before, ex.watermark(std::iter::once(&delta)));
            let held = plus(&minus(prev_in, prev_out), &delta);
            let released: Table = held
                .into_iter()
                .filter(|((k, r), _)| {
                    let thr = ex.thr(*k, r);
                    !valid(&thr) || reached(&thr, &after)
                })
                .collect();
            plus(prev_out, &released)
        }
        GateMode::Forget { mark } => {
            if t % 2 == 1 && mark {
                // The retractions of the forgetting done at `t - 1`, if its input changed then.
                let n = history.len();
                let changed = n >= 1 && {
                    let at = &history[n - 1].1[input].table;
                    let earlier = if n >= 2 { &history[n - 2].1[input].table } else { &empty };
                    at != earlier && history[n - 1].0 + 1 == t
                };
                if !changed {
                    return prev_out.clone();
                }
                let w = ex.watermark(history[..n - 1].iter().map(|(_, outs)| &outs[input].table));
                return prev_out.iter().filter(|((k, r), _)| !reached(&ex.thr(*k, r), &w)).map(|(k, c)| (k.clone(), *c)).collect();
            }
            if delta.is_empty() {
                return prev_out.clone();
            }
            let live = plus(prev_out, &delta);
            if mark {
                live
            } else {
                live.into_iter().filter(|((k, r), _)| !reached(&ex.thr(*k, r), &before)).collect()
            }
        }
    }
}

/// The table of a `DropForgetting` node: its previous table plus its input's changes at even
/// times.
pub fn drop_forgetting(node: usize, input: usize, now: &Table, history: &History, t: Time) -> Table {
    let empty = Table::new();
    let prev_out = history.last().map_or(&empty, |(_, outs)| &outs[node].table);
    if t % 2 == 1 {
        return prev_out.clone();
    }
    let prev_in = history.last().map_or(&empty, |(_, outs)| &outs[input].table);
    plus(prev_out, &minus(now, prev_in))
}

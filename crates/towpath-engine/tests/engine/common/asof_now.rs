//! Reference semantics of `AsofNowJoin`, replayed over the input tables at every earlier time:
//! each left insertion takes the right table of its time, each left deletion removes what the
//! most recent live insertion of that row produced (the node documentation in `towpath-plan`).

use std::collections::BTreeMap;

use towpath_core::{Key, Row, Value};
use towpath_engine::eval::{eval_batch, EvalContext};
use towpath_engine::Host;
use towpath_plan::{Expr, JoinId, JoinKind};

use super::reference::{add, join_row, Table};

/// What each live insertion of a left row produced.
type Live = BTreeMap<(Key, Row), Vec<Vec<(Key, Row, i64)>>>;

/// The node's shape: (kind, id mode, left arity, right arity).
pub type Shape = (JoinKind, JoinId, usize, usize);

/// `lefts[i]` and `rights[i]` are the input tables after the i-th event time (the current one
/// last). Adds the output to `out`.
pub fn asof_now(host: &dyn Host, lefts: &[&Table], rights: &[&Table], keys: (&[Expr], &[Expr]), shape: Shape, out: &mut Table) {
    let (kind, id, la, ra) = shape;
    let key_of = |exprs: &[Expr], k: Key, r: &Row| -> Option<Vec<Value>> {
        let mut ctx = EvalContext::new(host);
        let vals: Vec<Value> = exprs.iter().map(|e| eval_batch(e, &[(k, r.clone())], &mut ctx).pop().expect("one value")).collect();
        (!vals.iter().any(|v| v.is_none() || v.is_error())).then_some(vals)
    };
    let mut live = Live::new();
    let empty = Table::new();
    let mut prev = &empty;
    for (lt, rt) in lefts.iter().zip(rights) {
        let mut rows: Vec<&(Key, Row)> = lt.keys().chain(prev.keys()).collect();
        rows.sort();
        rows.dedup();
        for row in rows {
            let diff = lt.get(row).copied().unwrap_or(0) - prev.get(row).copied().unwrap_or(0);
            for _ in 0..diff.unsigned_abs() {
                if diff < 0 {
                    live.get_mut(row).and_then(Vec::pop);
                    continue;
                }
                let (lk, lr) = (row.0, &row.1);
                let lkey = key_of(keys.0, lk, lr);
                let mut produced = Vec::new();
                for ((rk, rr), rc) in rt.iter() {
                    if *rc > 0 && lkey.is_some() && key_of(keys.1, *rk, rr) == lkey {
                        let (k, r) = join_row(id, la, ra, Some((&lk, lr)), Some((rk, rr)));
                        produced.push((k, r, *rc));
                    }
                }
                if produced.is_empty() && kind == JoinKind::Left {
                    let (k, r) = join_row(id, la, ra, Some((&lk, lr)), None);
                    produced.push((k, r, 1));
                }
                live.entry(row.clone()).or_default().push(produced);
            }
        }
        prev = lt;
    }
    for (k, r, c) in live.into_values().flatten().flatten() {
        add(out, k, r, c);
    }
}

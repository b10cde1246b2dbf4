//! Reference semantics of the ordered nodes (`Session`), recomputed from scratch: plain sorting
//! of each instance's rows, following the node documentation in `towpath-plan`.

use std::collections::BTreeMap;

use towpath_core::{Key, Row, Value};
use towpath_engine::eval::{eval_batch, EvalContext};
use towpath_engine::Host;
use towpath_plan::Expr;

use super::reference::{add, Table};

/// `Session`: `input` rows with their (already evaluated) time and instance; rows whose time is
/// None or an error must already be left out. Adds `[values..., start, end, first id]` per row to `out`.
pub fn session(host: &dyn Host, rows: Vec<(Value, Value, Key, Row, i64)>, together: &Expr, out: &mut Table) {
    let mut instances: BTreeMap<Value, Vec<(Value, Key, Row, i64)>> = BTreeMap::new();
    for (time, instance, id, row, count) in rows {
        if count > 0 {
            instances.entry(instance).or_default().push((time, id, row, count));
        }
    }
    for mut members in instances.into_values() {
        members.sort_by(|a, b| (&a.0, &a.1, &a.2).cmp(&(&b.0, &b.1, &b.2)));
        let mut start = 0;
        for i in 0..members.len() {
            let last = i + 1 == members.len() || !joined(host, together, &members[i].0, &members[i + 1].0);
            if last {
                let (first, end) = (members[start].0.clone(), members[i].0.clone());
                for (_, id, row, count) in &members[start..=i] {
                    let mut vals = row.to_vec();
                    vals.push(first.clone());
                    vals.push(end.clone());
                    vals.push(Value::Pointer(members[start].1));
                    add(out, *id, Row::from(vals), *count);
                }
                start = i + 1;
            }
        }
    }
}

/// `together` on `[a, b]`; its errors are not logged.
fn joined(host: &dyn Host, together: &Expr, a: &Value, b: &Value) -> bool {
    let mut ctx = EvalContext::new(host);
    let row = Row::from(vec![a.clone(), b.clone()]);
    eval_batch(together, &[(Key(0), row)], &mut ctx).pop() == Some(Value::Bool(true))
}

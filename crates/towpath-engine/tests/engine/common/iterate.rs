//! The reference for `Iterate`: applies the body again and again, from scratch, until no loop
//! variable changes or the iteration limit is reached (see `towpath_plan::iterate`).

use towpath_core::{Row, Time, Value};
use towpath_engine::Host;
use towpath_plan::IterateSpec;

use super::reference::{add, eval_nodes, Body, Out, Table};

/// `Iterate` node `node`: every loop variable's final rows, each row's values preceded by the
/// variable's index; the errors of the body's evaluation on the final values.
pub fn eval_iterate(spec: &IterateSpec, node: usize, arities: &[usize], outs: &[Out], host: &dyn Host, t: Time) -> Out {
    let widths: Vec<usize> = spec.inputs.iter().map(|&n| arities[n]).collect();
    let body_arities = towpath_plan::iterate::body_arities(spec, &widths).expect("valid body");
    let mut body = Body { inputs: spec.inputs.iter().map(|&n| outs[n].table.clone()).collect(), node: Some(node) };
    let mut iteration = 0;
    loop {
        let values = eval_nodes(&spec.body, &body_arities, host, t, &Vec::new(), &body);
        let next: Vec<&Table> = spec.loops.iter().map(|var| &values[var.next].table).collect();
        let changed = spec.loops.iter().zip(&next).any(|(var, table)| body.inputs[var.input] != **table);
        if !changed || spec.limit == Some(iteration) {
            let mut out = Out::default();
            for value in &values {
                for ((k, r), c) in &value.errors {
                    add(&mut out.errors, *k, r.clone(), *c);
                }
            }
            for (index, var) in spec.loops.iter().enumerate() {
                for ((k, r), c) in &body.inputs[var.input] {
                    let tagged: Row = std::iter::once(Value::Int(index as i64)).chain(r.iter().cloned()).collect();
                    add(&mut out.table, *k, tagged, *c);
                }
            }
            return out;
        }
        let next: Vec<Table> = next.into_iter().cloned().collect();
        for (var, table) in spec.loops.iter().zip(next) {
            body.inputs[var.input] = table;
        }
        iteration += 1;
    }
}

/// The rows of loop variable `index` in an iterate's tagged output.
pub fn result(tagged: &Table, index: usize) -> Table {
    let mut out = Table::new();
    for ((k, r), c) in tagged {
        if r[0] == Value::Int(index as i64) {
            add(&mut out, *k, Row::from(&r[1..]), *c);
        }
    }
    out
}

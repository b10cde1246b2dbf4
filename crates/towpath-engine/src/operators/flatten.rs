//! `flatten`: one row per element of a tuple / list / Json array / string.


use towpath_core::{Row, Value};

use crate::eval::ErrorEntry;
use crate::operators::batch::map_batches;
use crate::types::Coll;
use timely::progress::Timestamp;

fn elements(value: &Value) -> Result<Vec<Value>, String> {
    match value {
        Value::Tuple(items) => Ok(items.to_vec()),
        Value::String(s) => Ok(s.chars().map(|c| Value::from(c.to_string())).collect()),
        Value::Json(_) => match value.as_json() {
            Some(serde_json::Value::Array(items)) => Ok(items.iter().map(Value::json).collect()),
            _ => Err("flatten of a Json value that is not an array".into()),
        },
        other => Err(format!("cannot flatten a value of type {}", other.type_name())),
    }
}

/// Lowers a `Flatten` node; returns (result, error log rows).
pub fn flatten<'s, T: Timestamp>(input: Coll<'s, T>, node: usize, column: usize) -> (Coll<'s, T>, Coll<'s, T>) {
    map_batches(input, &format!("Flatten#{node}"), node, move |rows, _times, out| {
        for (i, (id, row)) in rows.iter().enumerate() {
            if row[column].is_error() {
                continue;
            }
            match elements(&row[column]) {
                Ok(items) => {
                    for (pos, item) in items.into_iter().enumerate() {
                        let mut vals = row.to_vec();
                        vals[column] = item;
                        out.rows.push((i, (id.salted(pos as u64), Row::from(vals))));
                    }
                }
                Err(message) => out.errors.push(ErrorEntry { row: i, message, trace: String::new() }),
            }
        }
    })
}

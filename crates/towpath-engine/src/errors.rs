//! Rows of the error log table (`ErrorLog` node): `operator_id`, `message`, `trace`.

use std::sync::Arc;

use towpath_core::{Key, Row, Value};

/// The error-log row for a failure of node `node` on row `row_key`.
pub fn error_row(node: usize, row_key: Key, message: &str, trace: &str) -> (Key, Row) {
    let key = Key::for_values(&[
        Value::Int(node as i64),
        Value::Pointer(row_key),
        Value::String(Arc::from(message)),
    ]);
    let row: Row = Arc::from(vec![
        Value::Int(node as i64),
        Value::String(Arc::from(message)),
        Value::String(Arc::from(trace)),
    ]);
    (key, row)
}

//! Plain text: one row per line (`Plaintext`), or one row per file (`PlaintextByFile`, `Binary`),
//! in the column `data`.
//!
//! As in Pathway 0.33, `Plaintext` lines are trimmed of surrounding whitespace (so `\r` of CRLF
//! files goes too) and blank lines give empty strings; whole-file text is kept as is. Text that
//! is not UTF-8 gives an error cell (Pathway: an error row too).

use std::sync::Arc;

use towpath_core::{DType, Value};

use super::{line_text, missing_value, FileCtx, FileReader, Layout, LineFormat};
use crate::storage::fs::read_all;
use crate::{ReadChunk, ReadError};

/// The column plain-text formats fill.
pub const DATA_COLUMN: &str = "data";

/// Fills the layout's fields with `data` in the `data` column (defaults/None elsewhere).
fn fill_fields(layout: &Layout, data: Value, errors: &mut Vec<String>, out: &mut Vec<Value>) {
    let mut data = Some(data);
    out.extend(layout.fields.iter().map(|c| {
        if c.name == DATA_COLUMN {
            data.take().unwrap_or_default()
        } else {
            missing_value(c, errors, || {
                format!("field {:?} is not produced by this format", c.name)
            })
        }
    }));
}

/// One row per line.
pub struct Plaintext {
    layout: Arc<Layout>,
}

impl Plaintext {
    /// A parser for `layout`.
    pub fn new(layout: Arc<Layout>) -> Self {
        Self { layout }
    }
}

impl LineFormat for Plaintext {
    fn parse(&mut self, line: &[u8], errors: &mut Vec<String>, out: &mut Vec<Value>) -> bool {
        let data = match std::str::from_utf8(line) {
            Ok(text) => Value::from(text.trim()),
            Err(e) => {
                errors.push(format!(
                    "line is not valid UTF-8 ({e}): {}",
                    line_text(line)
                ));
                Value::Error
            }
        };
        fill_fields(&self.layout, data, errors, out);
        true
    }
}

/// One row per file: the text (`PlaintextByFile`) or the bytes (`Binary`).
pub struct WholeFile {
    file: FileCtx,
    layout: Arc<Layout>,
    binary: bool,
    done: bool,
}

impl WholeFile {
    /// Reads `file` as one row.
    pub fn new(file: FileCtx, layout: Arc<Layout>, binary: bool) -> Self {
        Self {
            file,
            layout,
            binary,
            done: false,
        }
    }

    fn value(&self, bytes: Vec<u8>, errors: &mut Vec<String>) -> Value {
        let wants_bytes = self.binary
            || self
                .layout
                .fields
                .iter()
                .any(|c| c.name == DATA_COLUMN && *c.dtype.strip_optional() == DType::Bytes);
        if wants_bytes {
            return Value::Bytes(Arc::from(bytes));
        }
        match String::from_utf8(bytes) {
            Ok(text) => Value::from(text),
            Err(e) => {
                errors.push(format!(
                    "file is not valid UTF-8 ({}): {}",
                    e.utf8_error(),
                    String::from_utf8_lossy(e.as_bytes())
                ));
                Value::Error
            }
        }
    }
}

impl FileReader for WholeFile {
    fn fill(&mut self, out: &mut ReadChunk, _max_rows: usize) -> bool {
        if std::mem::replace(&mut self.done, true) {
            return false;
        }
        let position = format!("{}:1", self.file.path);
        let mut errors = Vec::new();
        match read_all(&self.file.path) {
            Ok(bytes) => {
                let data = self.value(bytes, &mut errors);
                let mut values = Vec::new();
                fill_fields(&self.layout, data, &mut errors, &mut values);
                let (key, row) = self.layout.finish(&mut values, &self.file, 0);
                out.rows.push((key, row, 1));
            }
            Err(e) => errors.push(format!("read failed: {e}")),
        }
        out.errors
            .extend(errors.into_iter().map(|message| ReadError {
                message,
                position: position.clone(),
            }));
        false
    }
}

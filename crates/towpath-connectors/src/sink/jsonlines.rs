//! Pathway-format JSON Lines: `{"col": value, ..., "diff": d, "time": t}` per update.

use std::io::Write;

use towpath_core::{Error, Key, Result, Row, Time};

use super::{writable, SinkWriter};
use crate::render::JsonUpdate;

/// Writes updates as Pathway's JSON Lines sink does.
pub struct JsonLinesSink<W: Write + Send> {
    out: W,
    encoder: JsonUpdate,
    line: Vec<u8>,
}

impl<W: Write + Send> JsonLinesSink<W> {
    /// A sink writing to `out` with these column names.
    pub fn new(out: W, columns: Vec<String>) -> Self {
        Self {
            out,
            encoder: JsonUpdate::new(&columns),
            line: Vec::new(),
        }
    }

    /// The writer (for tests that write to memory).
    pub fn into_inner(self) -> W {
        self.out
    }
}

impl<W: Write + Send> SinkWriter for JsonLinesSink<W> {
    fn write_batch(&mut self, time: Time, updates: &[(Key, Row, isize)]) -> Result<()> {
        let line = &mut self.line;
        line.clear();
        for (_, row, diff) in updates.iter().filter(|(_, row, _)| writable(row)) {
            self.encoder.write(line, row, time, *diff);
            line.push(b'\n');
        }
        self.out
            .write_all(line)
            .map_err(|e| Error::new(format!("JSON Lines sink: {e}")))
    }

    fn flush(&mut self) -> Result<()> {
        self.out
            .flush()
            .map_err(|e| Error::new(format!("JSON Lines sink: {e}")))
    }
}

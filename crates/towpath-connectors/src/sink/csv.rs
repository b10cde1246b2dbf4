//! Pathway-format CSV: a header of the column names then `"time","diff"` (written with the first
//! row, so an empty output is an empty file), every cell double-quoted with inner quotes doubled.

use std::io::Write;

use towpath_core::{Error, Key, Result, Row, Time};

use super::{writable, SinkWriter};
use crate::render::csv_cell;

/// Writes updates as Pathway's CSV sink does.
pub struct CsvSink<W: Write + Send> {
    out: W,
    columns: Vec<String>,
    header_written: bool,
    line: Vec<u8>,
}

impl<W: Write + Send> CsvSink<W> {
    /// A sink writing to `out` with these column names.
    pub fn new(out: W, columns: Vec<String>) -> Self {
        Self {
            out,
            columns,
            header_written: false,
            line: Vec::new(),
        }
    }

    /// The writer (for tests that write to memory).
    pub fn into_inner(self) -> W {
        self.out
    }
}

fn push_quoted(line: &mut Vec<u8>, text: &str) {
    line.push(b'"');
    for b in text.bytes() {
        if b == b'"' {
            line.push(b'"');
        }
        line.push(b);
    }
    line.push(b'"');
}

impl<W: Write + Send> SinkWriter for CsvSink<W> {
    fn write_batch(&mut self, time: Time, updates: &[(Key, Row, isize)]) -> Result<()> {
        let line = &mut self.line;
        line.clear();
        for (_, row, diff) in updates.iter().filter(|(_, row, _)| writable(row)) {
            if !self.header_written {
                self.header_written = true;
                for name in self
                    .columns
                    .iter()
                    .map(String::as_str)
                    .chain(["time", "diff"])
                {
                    push_quoted(line, name);
                    line.push(b',');
                }
                line.pop();
                line.push(b'\n');
            }
            for value in row.iter() {
                push_quoted(line, &csv_cell(value));
                line.push(b',');
            }
            push_quoted(line, &time.to_string());
            line.push(b',');
            push_quoted(line, &diff.to_string());
            line.push(b'\n');
        }
        self.out
            .write_all(line)
            .map_err(|e| Error::new(format!("CSV sink: {e}")))
    }

    fn flush(&mut self) -> Result<()> {
        self.out
            .flush()
            .map_err(|e| Error::new(format!("CSV sink: {e}")))
    }
}

//! Sinks: where an output table's update stream goes, in Pathway 0.33's file formats.
//!
//! Rows holding an error value are skipped, as Pathway does ("Error value encountered in output,
//! skipping the row"); the error itself is in the error log.

pub mod csv;
pub mod jsonlines;

use std::fs::File;
use std::io::BufWriter;

use towpath_core::{Error, Key, Result, Row, Time};
use towpath_plan::SinkSpec;

/// Writes batches of updates, in time order.
pub trait SinkWriter: Send {
    /// Writes the updates of one time (rows in the given order).
    fn write_batch(&mut self, time: Time, updates: &[(Key, Row, isize)]) -> Result<()>;
    /// Pushes buffered output to the destination.
    fn flush(&mut self) -> Result<()>;
}

/// Opens the writer for a file sink (`Csv`, `JsonLines`) or the discarding `Null` sink.
/// The file is created (truncated) now, so an empty output leaves an empty file, as in Pathway.
pub fn open_sink(spec: &SinkSpec) -> Result<Box<dyn SinkWriter>> {
    match spec {
        SinkSpec::Csv { path, columns } => {
            Ok(Box::new(csv::CsvSink::new(create(path)?, columns.clone())))
        }
        SinkSpec::JsonLines { path, columns } => Ok(Box::new(jsonlines::JsonLinesSink::new(
            create(path)?,
            columns.clone(),
        ))),
        SinkSpec::Null => Ok(Box::new(NullSink)),
        SinkSpec::Callback { .. } => Err(Error::new(
            "callback sinks are served by the host, not by a file writer",
        )),
        SinkSpec::Kafka(_) => Err(Error::new(
            "Kafka sinks are served by towpath-kafka, not by a file writer",
        )),
    }
}

fn create(path: &str) -> Result<BufWriter<File>> {
    let file = File::create(path).map_err(|e| Error::new(format!("cannot create {path}: {e}")))?;
    Ok(BufWriter::with_capacity(1 << 16, file))
}

/// True when a row can be written (no error cells).
pub(crate) fn writable(row: &Row) -> bool {
    !row.iter().any(|v| v.is_error())
}

/// Discards everything.
pub struct NullSink;

impl SinkWriter for NullSink {
    fn write_batch(&mut self, _time: Time, _updates: &[(Key, Row, isize)]) -> Result<()> {
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests;

//! Reading one file from a byte offset, in any format: what static reads use for their share of a
//! file, and streaming reads for the lines a file gained since it was last read.
//!
//! Ids do not depend on where a read starts: they come from primary keys, or from (path, byte
//! offset of the record), so reading `[0, a)` then `[a, b)` gives the rows of reading `[0, b)`.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::sync::Arc;

use towpath_core::{Result, Time};
use towpath_plan::{Format, SourceSpec};

use crate::format::csv::{read_header, CsvReader, Dialect};
use crate::format::jsonlines::JsonLines;
use crate::format::plaintext::{Plaintext, WholeFile};
use crate::format::{FileCtx, FileReader, Layout, LineReader};
use crate::partition::ReadOptions;
use crate::storage::fs::metadata_value;
use crate::ReadChunk;

/// How a source's files become rows: its format, layout and dialect, checked once.
pub struct FileFormat {
    spec: SourceSpec,
    layout: Arc<Layout>,
    dialect: Option<Dialect>,
    options: ReadOptions,
}

impl FileFormat {
    /// The format of `spec`'s files (checks the CSV dialect).
    pub fn new(spec: &SourceSpec, options: ReadOptions) -> Result<Self> {
        let dialect = match &spec.format {
            Format::Csv(settings) => Some(Dialect::new(settings)?),
            _ => None,
        };
        Ok(Self {
            layout: Arc::new(Layout::new(&spec.schema, spec.with_metadata)),
            spec: spec.clone(),
            dialect,
            options,
        })
    }

    /// The CSV dialect, for CSV sources.
    pub fn dialect(&self) -> Option<&Dialect> {
        self.dialect.as_ref()
    }

    /// True when a file is one row (`PlaintextByFile`, `Binary`): it cannot be read in parts.
    pub fn whole_file(&self) -> bool {
        matches!(self.spec.format, Format::PlaintextByFile | Format::Binary)
    }

    /// A reader of the records of `path` starting in `[start, end)`, stamped `time`: `start`
    /// must be a record start, `end` one or the file size. Whole-file formats read the file
    /// whatever the range. `Ok(None)` for a CSV file without a header.
    pub fn open(
        &self,
        path: &str,
        time: Time,
        start: u64,
        end: u64,
    ) -> io::Result<Option<Box<dyn FileReader>>> {
        let metadata = self.spec.with_metadata.then(|| metadata_value(path));
        let ctx = FileCtx::new(path, time, metadata);
        let layout = self.layout.clone();
        let anonymous = self.options.anonymous_ids;
        Ok(Some(match &self.spec.format {
            Format::JsonLines { field_paths } => {
                let format = JsonLines::new(layout.clone(), field_paths);
                Box::new(LineReader::open(ctx, start, end, layout, format)?.anonymous(anonymous))
            }
            Format::Plaintext => {
                let format = Plaintext::new(layout.clone());
                Box::new(LineReader::open(ctx, start, end, layout, format)?.anonymous(anonymous))
            }
            Format::PlaintextByFile => {
                File::open(path)?;
                Box::new(WholeFile::new(ctx, layout, false))
            }
            Format::Binary => {
                File::open(path)?;
                Box::new(WholeFile::new(ctx, layout, true))
            }
            Format::Csv(_) => {
                let dialect = self.dialect.as_ref().expect("csv dialect");
                let Some((header, header_end)) = read_header(path, dialect)? else {
                    return Ok(None);
                };
                let (start, end) = (start.max(header_end), end.max(header_end));
                Box::new(CsvReader::open(ctx, &header, start, end, dialect, layout)?)
            }
        }))
    }

    /// The end of the last complete record of `file[from..size)`, `from` being a record start:
    /// just after its terminating newline (outside quotes for CSV), or `from` when no record
    /// ends there. Bytes past it are an incomplete last record, possibly still being written.
    /// Whole-file formats are always complete.
    pub fn complete_end(&self, file: &File, from: u64, size: u64) -> io::Result<u64> {
        if self.whole_file() {
            return Ok(size);
        }
        let mut buf = vec![0u8; 1 << 16];
        let Some(dialect) = self.dialect.as_ref() else {
            // Lines: the last newline, searched from the end.
            let mut end = size;
            while end > from {
                let start = end.saturating_sub(buf.len() as u64).max(from);
                let block = &mut buf[..(end - start) as usize];
                file.read_exact_at(block, start)?;
                if let Some(i) = memchr::memrchr(b'\n', block) {
                    return Ok(start + i as u64 + 1);
                }
                end = start;
            }
            return Ok(from);
        };
        // CSV: a newline may be inside a quoted field, so the scan goes forward from `from`.
        let mut scan = CsvScan::new(dialect);
        let mut last = from;
        let mut pos = from;
        while pos < size {
            let want = ((size - pos) as usize).min(buf.len());
            let n = file.read_at(&mut buf[..want], pos)?;
            if n == 0 {
                break;
            }
            if let Some(end) = scan.last_end(&buf[..n]) {
                last = pos + end as u64;
            }
            pos += n as u64;
        }
        Ok(last)
    }

    /// All records of `path` starting in `[start, end)` (see [`FileFormat::open`]) as one chunk
    /// at time 0. Rows keep their multiplicities (merged identical lines of anonymous reads).
    /// Only opening the file can fail; later problems are the chunk's errors.
    pub fn read_range(&self, path: &str, start: u64, end: u64) -> io::Result<ReadChunk> {
        let mut all = ReadChunk::default();
        let Some(mut reader) = self.open(path, 0, start, end)? else {
            return Ok(all);
        };
        loop {
            // `fill` bounds the rows of the chunk it is given, so each call gets a fresh one.
            let mut chunk = ReadChunk::default();
            let more = reader.fill(&mut chunk, self.options.chunk_rows);
            all.rows.append(&mut chunk.rows);
            all.errors.append(&mut chunk.errors);
            if !more {
                return Ok(all);
            }
        }
    }
}

/// Finds CSV record ends: newlines outside quoted fields and comment lines.
struct CsvScan {
    quote: u8,
    escape: Option<u8>,
    comment: Option<u8>,
    inside: bool,
    in_comment: bool,
    escaped: bool,
    line_start: bool,
}

impl CsvScan {
    fn new(dialect: &Dialect) -> Self {
        Self {
            quote: dialect.quote(),
            escape: dialect.escape(),
            comment: dialect.comment(),
            inside: false,
            in_comment: false,
            escaped: false,
            line_start: true,
        }
    }

    /// Scans the next block; the offset in it just after the last record end, if any.
    fn last_end(&mut self, block: &[u8]) -> Option<usize> {
        let mut last = None;
        for (i, &b) in block.iter().enumerate() {
            if self.in_comment {
                if b == b'\n' {
                    self.in_comment = false;
                    self.line_start = true;
                    last = Some(i + 1);
                }
            } else if self.inside {
                // A doubled quote closes and reopens, so it needs no case of its own.
                if self.escaped {
                    self.escaped = false;
                } else if Some(b) == self.escape {
                    self.escaped = true;
                } else if b == self.quote {
                    self.inside = false;
                }
            } else if b == b'\n' {
                self.line_start = true;
                last = Some(i + 1);
            } else {
                if self.line_start && Some(b) == self.comment {
                    self.in_comment = true;
                } else if b == self.quote {
                    self.inside = true;
                }
                self.line_start = false;
            }
        }
        last
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use towpath_core::{ColumnSchema, DType, Schema};
    use towpath_plan::{CsvSettings, Format, Mode, SourceSpec};

    use super::FileFormat;
    use crate::ReadOptions;

    fn format(format: Format) -> FileFormat {
        let column = ColumnSchema { name: "data".into(), dtype: DType::String, primary_key: false, default: None };
        let spec = SourceSpec {
            path: String::new(),
            format,
            schema: Schema { columns: vec![column] },
            mode: Mode::Streaming,
            with_metadata: false,
            autocommit_duration_ms: None,
            name: None,
        };
        FileFormat::new(&spec, ReadOptions::default()).unwrap()
    }

    fn end_of(format: &FileFormat, bytes: &[u8], from: u64) -> u64 {
        let path = std::env::temp_dir().join(format!("towpath-range-{}-{}", std::process::id(), bytes.len()));
        std::fs::File::create(&path).unwrap().write_all(bytes).unwrap();
        let file = std::fs::File::open(&path).unwrap();
        let end = format.complete_end(&file, from, bytes.len() as u64).unwrap();
        std::fs::remove_file(&path).unwrap();
        end
    }

    #[test]
    fn complete_end_stops_after_the_last_record_terminator() {
        let lines = format(Format::Plaintext);
        let mut long = b"a\n".to_vec();
        long.extend(std::iter::repeat_n(b'x', 200_000));
        assert_eq!(end_of(&lines, &long, 0), 2, "a fragment longer than a block");
        assert_eq!(end_of(&lines, &long, 2), 2, "nothing complete after `from`");
        long.push(b'\n');
        assert_eq!(end_of(&lines, &long, 2), long.len() as u64);
        assert_eq!(end_of(&lines, b"no newline", 0), 0);
        let csv = format(Format::Csv(CsvSettings::default()));
        assert_eq!(end_of(&csv, b"a\n\"x\ny\"\n\"open\n", 0), 8, "a newline inside quotes ends nothing");
        assert_eq!(end_of(&csv, b"a\n\"x\"\"\n\"\n", 0), 9, "doubled quotes stay inside");
        assert_eq!(end_of(&format(Format::Binary), b"no newline", 0), 10, "whole files are complete");
    }
}

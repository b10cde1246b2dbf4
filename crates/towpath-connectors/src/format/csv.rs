//! CSV with a header row; columns matched by name, extra columns ignored.
//!
//! Every worker reads the header from the start of the file, then parses its byte range.
//! Differences from Pathway 0.33: a record with more fields than the header is reported and
//! skipped (Pathway parses it by position); a column missing from the header takes its default
//! or None when it has one (Pathway rejects every row). Blank lines are skipped.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::sync::Arc;

use csv::ByteRecord;
use towpath_core::{Error, Result, Value};
use towpath_plan::CsvSettings;

use super::{missing_value, FileCtx, FileReader, Layout, LineNumbers};
use crate::parse::{dtype_name, parse_text};
use crate::storage::fs::RangeRead;
use crate::{ReadChunk, ReadError};

/// A CSV dialect in the csv crate's terms.
#[derive(Clone, Copy, Debug)]
pub struct Dialect {
    delimiter: u8,
    quote: u8,
    escape: Option<u8>,
    double_quote: bool,
    comment: Option<u8>,
}

fn one_byte(c: char, what: &str) -> Result<u8> {
    u8::try_from(c as u32)
        .ok()
        .filter(u8::is_ascii)
        .ok_or_else(|| {
            Error::new(format!(
                "CSV {what} must be a single ASCII character, got {c:?}"
            ))
        })
}

impl Dialect {
    /// Checks the settings (single-byte characters).
    pub fn new(s: &CsvSettings) -> Result<Self> {
        Ok(Self {
            delimiter: one_byte(s.delimiter, "delimiter")?,
            quote: one_byte(s.quote, "quote")?,
            escape: s.escape.map(|c| one_byte(c, "escape")).transpose()?,
            double_quote: s.enable_double_quote_escapes,
            comment: s
                .comment_character
                .map(|c| one_byte(c, "comment character"))
                .transpose()?,
        })
    }

    /// The quote character.
    pub fn quote(&self) -> u8 {
        self.quote
    }

    /// The escape character inside quoted fields, if any.
    pub fn escape(&self) -> Option<u8> {
        self.escape
    }

    /// The character starting comment lines, if any.
    pub fn comment(&self) -> Option<u8> {
        self.comment
    }

    /// True when records could be split on lines without scanning (no escapes or comments that
    /// would hide quotes from a parity count).
    pub fn splittable(&self) -> bool {
        self.escape.is_none() && self.comment.is_none()
    }

    fn reader<R: io::Read>(&self, input: R) -> csv::Reader<R> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(self.delimiter)
            .quote(self.quote)
            .escape(self.escape)
            .double_quote(self.double_quote)
            .comment(self.comment)
            .buffer_capacity(1 << 20)
            .from_reader(input)
    }
}

/// The header names of a CSV file and the offset where its first record starts
/// (`None` for an empty file).
pub fn read_header(path: &str, dialect: &Dialect) -> io::Result<Option<(Vec<String>, u64)>> {
    let mut reader = dialect.reader(File::open(path)?);
    let mut record = ByteRecord::new();
    if !reader
        .read_byte_record(&mut record)
        .map_err(io::Error::other)?
    {
        return Ok(None);
    }
    let mut names: Vec<String> = record
        .iter()
        .map(|f| String::from_utf8_lossy(f).into_owned())
        .collect();
    if let Some(first) = names.first_mut() {
        if let Some(stripped) = first.strip_prefix('\u{feff}') {
            *first = stripped.to_string();
        }
    }
    Ok(Some((names, reader.position().byte())))
}

/// Reads the records of one file's share.
pub struct CsvReader {
    reader: csv::Reader<RangeRead>,
    raw: File,
    start: u64,
    numbers: LineNumbers,
    file: FileCtx,
    layout: Arc<Layout>,
    /// Per field: its position in a record.
    columns: Vec<Option<usize>>,
    header_len: usize,
    record: ByteRecord,
    errors: Vec<String>,
    values: Vec<Value>,
}

impl CsvReader {
    /// Reads the records starting in `file[start..end)`, given the file's header names.
    pub fn open(
        file: FileCtx,
        header: &[String],
        start: u64,
        end: u64,
        dialect: &Dialect,
        layout: Arc<Layout>,
    ) -> io::Result<Self> {
        let handle = File::open(&file.path)?;
        let raw = handle.try_clone()?;
        let numbers = LineNumbers::new(handle.try_clone()?, start);
        let reader = dialect.reader(RangeRead::new(handle, start, end));
        let columns = layout
            .fields
            .iter()
            .map(|c| header.iter().position(|h| *h == c.name))
            .collect();
        Ok(Self {
            reader,
            raw,
            start,
            numbers,
            file,
            layout,
            columns,
            header_len: header.len(),
            record: ByteRecord::new(),
            errors: Vec::new(),
            values: Vec::new(),
        })
    }

    /// The raw text of the record just read, for error messages.
    fn raw_record(&self) -> String {
        let from = self.start + self.record.position().map_or(0, |p| p.byte());
        let to = self.start + self.reader.position().byte();
        let mut buf = vec![0u8; to.saturating_sub(from) as usize];
        let n = self.raw.read_at(&mut buf, from).unwrap_or(0);
        buf.truncate(n);
        let text = String::from_utf8_lossy(&buf);
        text.trim_end_matches(['\r', '\n']).to_string()
    }

    /// Parses the record just read into `self.values`; false when it yields no row.
    fn parse_record(&mut self) -> bool {
        if self.record.len() != self.header_len {
            let raw = self.raw_record();
            self.errors.push(format!(
                "expected {} fields as in the header, found {} in line: {raw}",
                self.header_len,
                self.record.len()
            ));
            return false;
        }
        let errors = &mut self.errors;
        let values = self
            .layout
            .fields
            .iter()
            .zip(&self.columns)
            .map(|(column, at)| {
                let Some(at) = *at else {
                    return missing_value(column, errors, || {
                        format!("field {:?} was not found in the header", column.name)
                    });
                };
                let cell = &self.record[at];
                let parsed = std::str::from_utf8(cell)
                    .map_err(|e| e.to_string())
                    .and_then(|text| parse_text(text, &column.dtype));
                parsed.unwrap_or_else(|reason| {
                    errors.push(format!(
                        "failed to parse value {:?} at field {:?} according to the type {} in schema: {reason}",
                        String::from_utf8_lossy(cell),
                        column.name,
                        dtype_name(&column.dtype)
                    ));
                    Value::Error
                })
            });
        self.values.clear();
        self.values.extend(values);
        true
    }
}

impl FileReader for CsvReader {
    fn fill(&mut self, out: &mut ReadChunk, max_rows: usize) -> bool {
        out.rows.reserve(max_rows.min(1024));
        while out.rows.len() < max_rows {
            match self.reader.read_byte_record(&mut self.record) {
                Ok(true) => {}
                Ok(false) => return false,
                Err(e) => {
                    let line = e.position().map_or(1, |p| p.line());
                    let position = self
                        .numbers
                        .position(&self.file.path, line.saturating_sub(1));
                    out.errors.push(ReadError {
                        message: format!("read failed: {e}"),
                        position,
                    });
                    return false;
                }
            }
            let parsed = self.parse_record();
            let pos = self
                .record
                .position()
                .cloned()
                .unwrap_or_else(csv::Position::new);
            if !self.errors.is_empty() {
                let position = self
                    .numbers
                    .position(&self.file.path, pos.line().saturating_sub(1));
                for message in self.errors.drain(..) {
                    out.errors.push(ReadError {
                        message,
                        position: position.clone(),
                    });
                }
            }
            if parsed {
                let (key, row) =
                    self.layout
                        .finish(&mut self.values, &self.file, self.start + pos.byte());
                out.rows.push((key, row, 1));
            }
        }
        true
    }
}

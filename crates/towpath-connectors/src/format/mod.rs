//! Formats: how the bytes of one file become rows. Shared pieces: the output row layout, ids,
//! error positions, and a reader for line-based formats.

pub mod csv;
pub mod json_scan;
pub mod jsonlines;
pub mod plaintext;

use std::collections::HashMap;
use std::fs::File;
use std::io;
use std::sync::Arc;

use towpath_core::{ColumnSchema, IdBuildHasher, Key, Row, Schema, Time, Value};
use xxhash_rust::xxh3::xxh3_128;

use crate::storage::fs::{count_newlines, Lines};
use crate::{ReadChunk, ReadError};

/// The name of the metadata column.
pub const METADATA_COLUMN: &str = "_metadata";

/// How parsed values become output rows.
#[derive(Clone, Debug)]
pub struct Layout {
    /// The columns a format fills (the schema without `_metadata`), in schema order.
    pub fields: Vec<ColumnSchema>,
    /// Positions in `fields` of the primary-key columns.
    pub primary_key: Vec<usize>,
    /// Where `_metadata` goes in the output row, if requested: its position in the schema when
    /// the schema lists it, else last.
    pub metadata_at: Option<usize>,
}

impl Layout {
    /// The layout for a source's schema.
    pub fn new(schema: &Schema, with_metadata: bool) -> Self {
        let declared = schema.index_of(METADATA_COLUMN);
        let fields: Vec<ColumnSchema> = schema
            .columns
            .iter()
            .filter(|c| c.name != METADATA_COLUMN)
            .cloned()
            .collect();
        let primary_key = fields
            .iter()
            .enumerate()
            .filter(|(_, c)| c.primary_key)
            .map(|(i, _)| i)
            .collect();
        let metadata_at =
            (with_metadata || declared.is_some()).then(|| declared.unwrap_or(fields.len()));
        Self {
            fields,
            primary_key,
            metadata_at,
        }
    }

    /// The position of a field by name.
    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|c| c.name == name)
    }

    /// Builds the row and its id from the fields' values (taken out of `values`, which is left
    /// empty for reuse: one allocation per row).
    pub fn finish(&self, values: &mut Vec<Value>, file: &FileCtx, offset: u64) -> (Key, Row) {
        let key = if self.primary_key.is_empty() {
            file.position_key(offset)
        } else {
            let pk: Vec<Value> = self
                .primary_key
                .iter()
                .map(|&i| values[i].clone())
                .collect();
            Key::for_values(&pk)
        };
        if let Some(at) = self.metadata_at {
            values.insert(at, file.metadata.clone().unwrap_or_default());
        }
        (key, values.drain(..).collect())
    }
}

/// The value of a field the input lacks: its default, None when optional, else an error.
pub fn missing_value(
    column: &ColumnSchema,
    errors: &mut Vec<String>,
    why: impl FnOnce() -> String,
) -> Value {
    if let Some(default) = &column.default {
        default.clone()
    } else if column.dtype.is_optional() {
        // Pathway 0.33 reports missing optional JSON fields as errors; None is friendlier.
        Value::None
    } else {
        errors.push(why());
        Value::Error
    }
}

/// What a reader knows about the file it reads.
#[derive(Clone, Debug)]
pub struct FileCtx {
    pub path: String,
    /// The commit time of all rows of this file.
    pub time: Time,
    /// Seed of position-based ids.
    pub key: Key,
    /// The `_metadata` value, when requested.
    pub metadata: Option<Value>,
}

impl FileCtx {
    /// Context for `path` read at `time`.
    pub fn new(path: &str, time: Time, metadata: Option<Value>) -> Self {
        Self {
            path: path.to_string(),
            time,
            key: Key::for_value(&Value::from(path)),
            metadata,
        }
    }

    /// The id of the record starting at byte `offset` of this file (rows without primary key).
    /// A one-shot hash: the streaming one behind `Key::salted` costs more than parsing a line.
    pub fn position_key(&self, offset: u64) -> Key {
        let mut bytes = [0u8; 24];
        bytes[..16].copy_from_slice(&self.key.0.to_le_bytes());
        bytes[16..].copy_from_slice(&offset.to_le_bytes());
        Key(xxhash_rust::xxh3::xxh3_128(&bytes))
    }
}

/// Turns line indices relative to a range start into 1-based file line numbers; counts the lines
/// before the range only when first needed (an error happened).
pub struct LineNumbers {
    file: File,
    range_start: u64,
    base: Option<u64>,
}

impl LineNumbers {
    /// Numbers for lines of `file` from byte `range_start` (a line start) on.
    pub fn new(file: File, range_start: u64) -> Self {
        Self {
            file,
            range_start,
            base: (range_start == 0).then_some(0),
        }
    }

    /// The `path:line` of the `relative`-th line (0-based) of the range.
    pub fn position(&mut self, path: &str, relative: u64) -> String {
        let base = match self.base {
            Some(b) => b,
            None => {
                let b = count_newlines(&self.file, self.range_start).unwrap_or(0);
                self.base = Some(b);
                b
            }
        };
        format!("{path}:{}", base + relative + 1)
    }
}

/// A format whose records are lines.
pub trait LineFormat: Send {
    /// Parses one line (without `\n`), pushing the field values onto `out` (empty on entry);
    /// false when the line yields no row. Problems go to `errors`.
    fn parse(&mut self, line: &[u8], errors: &mut Vec<String>, out: &mut Vec<Value>) -> bool;
}

/// Reads one file's share of a line-based format.
pub trait FileReader: Send {
    /// Adds up to `max_rows` rows (and any errors) to `out`; false once the share is exhausted.
    fn fill(&mut self, out: &mut ReadChunk, max_rows: usize) -> bool;
}

/// A [`FileReader`] for any [`LineFormat`].
pub struct LineReader<F> {
    lines: Lines,
    numbers: LineNumbers,
    relative: u64,
    file: FileCtx,
    layout: Arc<Layout>,
    format: F,
    errors: Vec<String>,
    values: Vec<Value>,
    /// Anonymous rows (see `ReadOptions::anonymous_ids`): identical lines of a chunk become one
    /// row with a multiplicity, keyed by the line's hash; `seen` maps that hash to the row.
    dedupe: bool,
    seen: HashMap<u128, usize, IdBuildHasher>,
}

impl<F: LineFormat> LineReader<F> {
    /// Gives rows ids derived from their content and merges identical lines of a chunk.
    pub fn anonymous(mut self, anonymous: bool) -> Self {
        self.dedupe = anonymous;
        self
    }

    /// Reads the lines of `path` starting in `[start, end)`.
    pub fn open(
        file: FileCtx,
        start: u64,
        end: u64,
        layout: Arc<Layout>,
        format: F,
    ) -> io::Result<Self> {
        let handle = File::open(&file.path)?;
        let numbers = LineNumbers::new(handle.try_clone()?, start);
        let lines = Lines::new(handle, start, end);
        Ok(Self {
            lines,
            numbers,
            relative: 0,
            file,
            layout,
            format,
            errors: Vec::new(),
            values: Vec::new(),
            dedupe: false,
            seen: HashMap::default(),
        })
    }
}

impl<F: LineFormat> FileReader for LineReader<F> {
    fn fill(&mut self, out: &mut ReadChunk, max_rows: usize) -> bool {
        out.rows.reserve(max_rows.min(1024));
        self.seen.clear();
        // Merged lines add no rows, so bound the lines of a chunk too.
        let mut lines = 0usize;
        while out.rows.len() < max_rows && lines < max_rows.saturating_mul(16) {
            let (offset, line) = match self.lines.next_line() {
                Ok(Some(next)) => next,
                Ok(None) => return false,
                Err(e) => {
                    let position = self.numbers.position(&self.file.path, self.relative);
                    out.errors.push(ReadError {
                        message: format!("read failed: {e}"),
                        position,
                    });
                    return false;
                }
            };
            lines += 1;
            let line_hash = if self.dedupe {
                let h = xxh3_128(line);
                if let Some(&i) = self.seen.get(&h) {
                    out.rows[i].2 += 1;
                    self.relative += 1;
                    continue;
                }
                Some(h)
            } else {
                None
            };
            self.values.clear();
            let parsed = self.format.parse(line, &mut self.errors, &mut self.values);
            // A line with errors is parsed again at each occurrence, so each gets its position.
            let mergeable = self.errors.is_empty();
            if !self.errors.is_empty() {
                let position = self.numbers.position(&self.file.path, self.relative);
                for message in self.errors.drain(..) {
                    out.errors.push(ReadError {
                        message,
                        position: position.clone(),
                    });
                }
            }
            self.relative += 1;
            if parsed {
                let (key, row) = self.layout.finish(&mut self.values, &self.file, offset);
                match line_hash {
                    Some(h) => {
                        if mergeable {
                            self.seen.insert(h, out.rows.len());
                        }
                        out.rows.push((Key(h), row, 1));
                    }
                    None => out.rows.push((key, row, 1)),
                }
            }
        }
        true
    }
}

/// Text of a line for an error message (lossy UTF-8, without a trailing `\r`).
pub fn line_text(line: &[u8]) -> String {
    String::from_utf8_lossy(strip_cr(line)).into_owned()
}

/// The line without a trailing `\r` (CRLF files).
pub fn strip_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

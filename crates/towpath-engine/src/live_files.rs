//! Streaming file reads (`Mode::Streaming`): at each commit the watched path is listed again and
//! every new, modified or deleted file turns into updates: a file's previous rows are retracted
//! and its current rows inserted, so each commit holds what every file held when it was read.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::time::SystemTime;

use towpath_connectors::storage::fs::list_files;
use towpath_connectors::{ReadOptions, StaticReader};
use towpath_core::{Key, Row, Value};
use towpath_plan::{Format, SourceSpec};

use crate::errors::error_row;
use crate::types::Diff;

/// Updates of one poll: data rows and error-log rows, with their multiplicities.
pub type Updates = Vec<((Key, Row), Diff)>;

/// What was last read from one file.
struct Seen {
    size: u64,
    modified: Option<SystemTime>,
    rows: Vec<(Key, Row)>,
    errors: Vec<(Key, Row)>,
}

/// A watched file or directory.
pub struct FileWatch {
    node: usize,
    spec: SourceSpec,
    options: ReadOptions,
    files: BTreeMap<String, Seen>,
}

impl FileWatch {
    /// Watches `spec.path` for plan node `node`; nothing is read before the first `poll`.
    pub fn new(node: usize, spec: SourceSpec, options: ReadOptions) -> Self {
        Self { node, spec, options, files: BTreeMap::new() }
    }

    /// Lists the files and returns the updates (rows, errors) bringing the previous state to
    /// the current one. A path that does not exist (yet) holds no files.
    pub fn poll(&mut self, rows: &mut Updates, errors: &mut Updates) {
        let listed = list_files(&self.spec.path).unwrap_or_default();
        let mut present = std::collections::BTreeSet::new();
        for entry in listed {
            present.insert(entry.path.clone());
            let modified = std::fs::metadata(&entry.path).and_then(|m| m.modified()).ok();
            if let Some(seen) = self.files.get(&entry.path) {
                if seen.size == entry.size && seen.modified == modified {
                    continue;
                }
            }
            // A line being written: wait until it is complete (the file ends with a newline).
            if self.line_based() && !ends_with_newline(&entry.path, entry.size) {
                continue;
            }
            let fresh = self.read(&entry.path, entry.size, modified);
            if let Some(old) = self.files.remove(&entry.path) {
                retract(old, rows, errors);
            }
            rows.extend(fresh.rows.iter().map(|r| (r.clone(), 1)));
            errors.extend(fresh.errors.iter().map(|r| (r.clone(), 1)));
            self.files.insert(entry.path, fresh);
        }
        let gone: Vec<String> = self.files.keys().filter(|p| !present.contains(*p)).cloned().collect();
        for path in gone {
            if let Some(old) = self.files.remove(&path) {
                retract(old, rows, errors);
            }
        }
    }

    fn line_based(&self) -> bool {
        !matches!(self.spec.format, Format::PlaintextByFile | Format::Binary)
    }

    /// Reads one file whole, with the static readers (one worker, one file).
    fn read(&self, path: &str, size: u64, modified: Option<SystemTime>) -> Seen {
        let mut seen = Seen { size, modified, rows: Vec::new(), errors: Vec::new() };
        let spec = SourceSpec { path: path.to_string(), ..self.spec.clone() };
        let reader = match StaticReader::new(&spec, 0, 1, self.options) {
            Ok(reader) => reader,
            Err(e) => {
                seen.errors.push(self.error(&format!("cannot read {path}: {}", e.message), &format!("{path}:0")));
                return seen;
            }
        };
        for chunk in reader {
            for (key, row, diff) in chunk.rows {
                // Static readers insert only; a negative diff would mean a retraction.
                for _ in 0..diff.max(0) {
                    seen.rows.push((key, row.clone()));
                }
            }
            for e in chunk.errors {
                seen.errors.push(self.error(&e.message, &e.position));
            }
        }
        seen
    }

    fn error(&self, message: &str, position: &str) -> (Key, Row) {
        error_row(self.node, Key::for_value(&Value::from(position)), message, position)
    }
}

fn retract(old: Seen, rows: &mut Updates, errors: &mut Updates) {
    rows.extend(old.rows.into_iter().map(|r| (r, -1)));
    errors.extend(old.errors.into_iter().map(|r| (r, -1)));
}

/// Whether the first `size` bytes of `path` are empty or end with `\n`.
fn ends_with_newline(path: &str, size: u64) -> bool {
    if size == 0 {
        return true;
    }
    let mut last = [0u8; 1];
    File::open(path)
        .and_then(|mut f| {
            f.seek(SeekFrom::Start(size - 1))?;
            f.read_exact(&mut last)
        })
        .map(|()| last[0] == b'\n')
        .unwrap_or(false)
}

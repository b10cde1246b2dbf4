//! Streaming file reads (`Mode::Streaming`): at each commit the watched path is listed again and
//! every new, modified or deleted file turns into updates. A file that grew with its old content
//! intact adds only its new records; a rewritten one has its rows retracted and read again; a
//! deleted one has its rows retracted. After consolidation this equals Pathway 0.33's
//! retract-and-reinsert of every modified file.
//!
//! Failures (Pathway 0.33 treats a missing path as an empty one, silently, at start and later):
//! - the path does not exist or cannot be listed at the first poll: the source fails (a typo
//!   would otherwise wait forever);
//! - a listing fails later (directory deleted, or being replaced): the rows stay, the listing
//!   is retried at each poll, and the source fails once it failed for `grace`;
//! - a file cannot be read: its rows stay, an error-log row says why, it is retried.
//!
//! A failed source reports through [`FileWatch::failure`]; the live loop commits what was read
//! and stops the run with that message.

mod list;
mod tracked;

use std::collections::BTreeMap;
use std::io::ErrorKind;
use std::time::{Duration, Instant};

use towpath_connectors::{FileFormat, ReadOptions};
use towpath_core::{Key, Row, Value};
use towpath_plan::{Format, SourceSpec};

use crate::errors::error_row;
use crate::types::Diff;
use tracked::{Out, Reading, Tracked};

/// Updates of one poll: data rows and error-log rows, with their multiplicities.
pub type Updates = Vec<((Key, Row), Diff)>;

/// The shortest time a listing may fail before the source does.
const MIN_GRACE: Duration = Duration::from_secs(2);
/// ... and the fewest polls.
const GRACE_POLLS: u32 = 5;

/// A watched file or directory.
pub struct FileWatch {
    node: usize,
    spec: SourceSpec,
    format: Result<FileFormat, String>,
    files: BTreeMap<String, Tracked>,
    /// Files whose last read failed, with the error-log row saying so.
    unreadable: BTreeMap<String, (Key, Row)>,
    listed_once: bool,
    /// Since when, and how many polls in a row, listing the path failed.
    failing: Option<(Instant, u32)>,
    grace: Duration,
    trace: Option<String>,
    failed: Option<String>,
}

impl FileWatch {
    /// Watches `spec.path` for plan node `node`; nothing is read before the first `poll`.
    pub fn new(node: usize, spec: SourceSpec, options: ReadOptions) -> Self {
        let format = FileFormat::new(&spec, options).map_err(|e| e.to_string());
        let autocommit = Duration::from_millis(spec.autocommit_duration_ms.unwrap_or(1500));
        Self {
            node,
            format,
            files: BTreeMap::new(),
            unreadable: BTreeMap::new(),
            listed_once: false,
            failing: None,
            grace: (autocommit * GRACE_POLLS).max(MIN_GRACE),
            trace: None,
            failed: None,
            spec,
        }
    }

    /// Names the user's line that created the source (the plan node's trace) in failures.
    pub fn traced(mut self, trace: Option<String>) -> Self {
        self.trace = trace;
        self
    }

    /// Why the source failed, once it has: the run should stop with this message.
    pub fn failure(&self) -> Option<String> {
        self.failed.clone()
    }

    /// Lists the files and adds the updates (rows, errors) bringing the previous state to the
    /// current one. Does nothing once the source failed.
    pub fn poll(&mut self, rows: &mut Updates, errors: &mut Updates) {
        if self.failed.is_some() {
            return;
        }
        let format = match &self.format {
            Ok(format) => format,
            Err(e) => {
                self.failed = Some(self.describe(e));
                return;
            }
        };
        let listed = match list::list(&self.spec.path) {
            Ok(listed) => listed,
            Err(e) => {
                let (since, polls) = self.failing.get_or_insert((Instant::now(), 0));
                *polls += 1;
                if !self.listed_once {
                    self.failed = Some(self.describe(&format!("cannot watch {:?}: {e}", self.spec.path)));
                } else if since.elapsed() >= self.grace && *polls >= GRACE_POLLS {
                    let secs = since.elapsed().as_secs_f64();
                    let what = format!("cannot list {:?} any more (for {secs:.1} s): {e}", self.spec.path);
                    self.failed = Some(self.describe(&what));
                }
                return;
            }
        };
        self.listed_once = true;
        self.failing = None;
        let whole = self.spec.with_metadata || matches!(self.spec.format, Format::PlaintextByFile | Format::Binary);
        let reading = Reading { node: self.node, format, whole };
        let mut out = Out { rows, errors };
        for (path, stat) in &listed {
            let tracked = self.files.entry(path.clone()).or_default();
            match tracked.update(path, *stat, &reading, &mut out) {
                Ok(()) => {
                    if let Some(row) = self.unreadable.remove(path) {
                        out.errors.push((row, -1));
                    }
                }
                // Deleted or cut short since the listing: the next poll sees what it became.
                Err(e) if matches!(e.kind(), ErrorKind::NotFound | ErrorKind::UnexpectedEof) => {}
                Err(e) => {
                    if !self.unreadable.contains_key(path) {
                        let position = format!("{path}:0");
                        let message = format!("cannot read {path}: {e}");
                        let row = error_row(self.node, Key::for_value(&Value::from(position.as_str())), &message, &position);
                        out.errors.push((row.clone(), 1));
                        self.unreadable.insert(path.clone(), row);
                    }
                }
            }
        }
        let gone: Vec<String> = self.files.keys().filter(|p| !listed.contains_key(*p)).cloned().collect();
        for path in gone {
            if let Some(mut old) = self.files.remove(&path) {
                old.retract(&mut out);
            }
            if let Some(row) = self.unreadable.remove(&path) {
                out.errors.push((row, -1));
            }
        }
    }

    /// A failure message naming the source, its node and, when known, the user's line.
    fn describe(&self, what: &str) -> String {
        let kind = match &self.spec.format {
            Format::Csv(_) => "csv",
            Format::JsonLines { .. } => "jsonlines",
            Format::Plaintext => "plaintext",
            Format::PlaintextByFile => "plaintext_by_file",
            Format::Binary => "binary",
        };
        let name = self.spec.name.as_ref().map(|n| format!(" {n:?}")).unwrap_or_default();
        let place = match &self.trace {
            Some(t) => format!("node {}, created at {t}", self.node),
            None => format!("node {}", self.node),
        };
        format!("streaming {kind} source{name} ({place}) failed: {what}")
    }
}

#[cfg(test)]
mod tests;

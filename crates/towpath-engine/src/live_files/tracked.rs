//! One watched file: the rows read from it, and how a change becomes updates — only the new
//! records when the file grew with its old content intact, all of them when it was rewritten.
//!
//! Bytes `[0, read_to)` are complete records, read. Bytes past `read_to` are an incomplete last
//! record (no newline yet): held back while the file changes, and read as the file's last
//! record once the file stayed the same for a whole poll (Pathway 0.33 reads it at once). Those
//! `tail` rows are replaced when the file changes again.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;

use towpath_connectors::{FileFormat, ReadChunk};
use towpath_core::{Key, Value};
use xxhash_rust::xxh3::Xxh3;

use super::list::Stat;
use super::Updates;
use crate::errors::error_row;

/// How a watch reads its files.
pub struct Reading<'a> {
    pub node: usize,
    pub format: &'a FileFormat,
    /// Every change re-reads the whole file (rows carry `_metadata`, which changes with any
    /// modification, or a whole-file format).
    pub whole: bool,
}

/// Where updates go: data rows and error-log rows.
pub struct Out<'a> {
    pub rows: &'a mut Updates,
    pub errors: &'a mut Updates,
}

/// Rows read from one part of a file, with their multiplicities.
#[derive(Default)]
struct Part {
    rows: Updates,
    errors: Updates,
}

impl Part {
    /// Inserts (`sign` 1) or retracts (-1) these rows.
    fn emit(&self, out: &mut Out, sign: isize) {
        out.rows.extend(self.rows.iter().map(|(r, m)| (r.clone(), sign * m)));
        out.errors.extend(self.errors.iter().map(|(r, m)| (r.clone(), sign * m)));
    }

    /// Adds and inserts the rows of `chunk`.
    fn absorb(&mut self, chunk: ReadChunk, node: usize, out: &mut Out) {
        let start = (self.rows.len(), self.errors.len());
        self.rows.extend(chunk.rows.into_iter().map(|(key, row, m)| ((key, row), m)));
        for e in chunk.errors {
            let position = Key::for_value(&Value::from(e.position.as_str()));
            self.errors.push((error_row(node, position, &e.message, &e.position), 1));
        }
        out.rows.extend(self.rows[start.0..].iter().cloned());
        out.errors.extend(self.errors[start.1..].iter().cloned());
    }
}

/// What was read from one file.
#[derive(Default)]
pub struct Tracked {
    /// The file when last brought up to date; `None` before, or after a failed read.
    stat: Option<Stat>,
    read_to: u64,
    /// Fingerprint of bytes `[0, read_to)`.
    print: u128,
    complete: Part,
    tail: Part,
    /// `tail` is what the file holds past `read_to` now.
    tail_current: bool,
}

impl Tracked {
    /// Brings the rows up to date with the file, `stat` being what its listing showed. On an
    /// error the rows emitted so far stay consistent with the state, and the next call retries.
    pub fn update(&mut self, path: &str, stat: Stat, reading: &Reading, out: &mut Out) -> io::Result<()> {
        if self.stat == Some(stat) {
            if stat.size > self.read_to && !self.tail_current {
                self.read_tail(path, stat.size, reading, out)?;
            }
            return Ok(());
        }
        let file = File::open(path)?;
        let kept = !reading.whole
            && self.stat.is_some_and(|old| old.same_file(&stat))
            && stat.size >= self.read_to
            && fingerprint(&file, self.read_to)? == self.print;
        if !kept {
            // Rewritten, truncated or replaced: all its rows go, as in Pathway 0.33.
            self.retract(out);
        }
        let end = reading.format.complete_end(&file, self.read_to, stat.size)?;
        if end > self.read_to || end == stat.size {
            // The old tail is now part of a complete record, or gone.
            self.tail.emit(out, -1);
            self.tail = Part::default();
        }
        if end > self.read_to {
            let chunk = reading.format.read_range(path, self.read_to, end)?;
            self.complete.absorb(chunk, reading.node, out);
            self.read_to = end;
            self.print = fingerprint(&file, end)?;
        }
        self.tail_current = end == stat.size;
        self.stat = Some(stat);
        Ok(())
    }

    /// Reads the incomplete last record as it is now, replacing the previous reading of it.
    fn read_tail(&mut self, path: &str, size: u64, reading: &Reading, out: &mut Out) -> io::Result<()> {
        let chunk = reading.format.read_range(path, self.read_to, size)?;
        self.tail.emit(out, -1);
        self.tail = Part::default();
        self.tail.absorb(chunk, reading.node, out);
        self.tail_current = true;
        Ok(())
    }

    /// Retracts every row of the file and forgets it.
    pub fn retract(&mut self, out: &mut Out) {
        self.complete.emit(out, -1);
        self.tail.emit(out, -1);
        *self = Tracked::default();
    }
}

/// Bytes of a file's prefix hashed at each end: a rewrite is caught by a whole hash for
/// prefixes up to twice this, and by the first and last bytes (and the length) beyond, so
/// checking a large growing file does not read all of it at every poll.
const SAMPLE: u64 = 1 << 20;

/// A fingerprint of `file[0..len)`.
fn fingerprint(file: &File, len: u64) -> io::Result<u128> {
    let mut hash = Xxh3::new();
    hash.update(&len.to_le_bytes());
    let ranges = if len <= 2 * SAMPLE { [(0, len), (len, len)] } else { [(0, SAMPLE), (len - SAMPLE, len)] };
    let mut buf = vec![0u8; 1 << 16];
    for (mut pos, end) in ranges {
        while pos < end {
            let want = ((end - pos) as usize).min(buf.len());
            let n = file.read_at(&mut buf[..want], pos)?;
            if n == 0 {
                // Shorter than `len`: mark the hash so it cannot match.
                hash.update(b"short");
                break;
            }
            hash.update(&buf[..n]);
            pos += n as u64;
        }
    }
    Ok(hash.digest128())
}

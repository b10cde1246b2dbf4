//! Which part of which file a worker reads.
//!
//! Line-based files at least `split_min_bytes` long are cut into `peers` byte ranges of equal
//! nominal size; a line belongs to the worker whose nominal range holds its first byte, so the
//! ranges, moved to line starts, tile the file exactly whatever `peers` is. Smaller files (and
//! whole-file formats, and CSV files whose quoted fields span lines) go whole to worker
//! `file_index % peers`. Row ids never depend on this choice: they come from primary keys or from
//! (path, byte offset).

use std::fs::File;
use std::io;

use crate::storage::fs::line_start_at_or_after;

/// Tuning knobs of static reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadOptions {
    /// At most this many rows per chunk.
    pub chunk_rows: usize,
    /// Files smaller than this are not split between workers.
    pub split_min_bytes: u64,
    /// Nothing downstream can see row ids (e.g. only a count reads the table): ids may come from
    /// the row's content, and identical lines of a chunk are merged into one row with a
    /// multiplicity — consolidation at the source (line formats only).
    pub anonymous_ids: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            chunk_rows: 1 << 13,
            split_min_bytes: 1 << 20,
            anonymous_ids: false,
        }
    }
}

/// A worker's share of one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Share {
    /// Another worker reads this file.
    Nothing,
    /// The whole file.
    Whole,
    /// The lines starting in `[start, end)`.
    Range { start: u64, end: u64 },
}

/// The share of a file that cannot be split (whole-file formats, CSV with multi-line fields).
pub fn whole_file_share(file_index: usize, worker: usize, peers: usize) -> Share {
    if file_index % peers.max(1) == worker {
        Share::Whole
    } else {
        Share::Nothing
    }
}

/// The share of a line-based file of `size` bytes.
pub fn line_share(
    file: &File,
    size: u64,
    file_index: usize,
    worker: usize,
    peers: usize,
    options: &ReadOptions,
) -> io::Result<Share> {
    if peers <= 1 || size < options.split_min_bytes {
        return Ok(whole_file_share(file_index, worker, peers));
    }
    let nominal = |w: usize| ((size as u128 * w as u128) / peers as u128) as u64;
    let start = line_start_at_or_after(file, nominal(worker), size)?;
    let end = line_start_at_or_after(file, nominal(worker + 1), size)?;
    Ok(if start < end {
        Share::Range { start, end }
    } else {
        Share::Nothing
    })
}

/// True when no newline lies inside a quoted field, so the file's lines are its records and it
/// can be split on line starts. Counts quote parity; doubled quotes (`""`) keep parity, so they
/// need no special case. (A stray quote inside an unquoted field can fool the count; such files
/// are malformed CSV anyway.)
pub fn csv_lines_are_records(data_file: &File, size: u64, quote: u8) -> io::Result<bool> {
    let mut buf = vec![0u8; 1 << 20];
    let (mut pos, mut inside) = (0u64, false);
    while pos < size {
        let n = std::os::unix::fs::FileExt::read_at(data_file, &mut buf, pos)?;
        if n == 0 {
            break;
        }
        for i in memchr::memchr2_iter(quote, b'\n', &buf[..n]) {
            if buf[i] == quote {
                inside = !inside;
            } else if inside {
                return Ok(false);
            }
        }
        pos += n as u64;
    }
    Ok(true)
}

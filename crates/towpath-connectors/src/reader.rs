//! Static (read-once) sources: a worker's share of every file, as a stream of bounded chunks.
//!
//! Times: Pathway 0.33 commits each file of a static read separately, in name order, at
//! wall-clock times (observed; very small files may share a commit). We keep one commit per file
//! but number them deterministically: the `i`-th file (0-based, in name order, counting files
//! this worker does not read) is at time `2 * i`. So every worker agrees on the times whatever
//! `peers` is, and a file's rows never straddle two times.

use std::fs::File;

use towpath_core::{Error, Result, Time};
use towpath_plan::{Format, SourceSpec};

use crate::format::FileReader;
use crate::partition::{csv_lines_are_records, line_share, whole_file_share, ReadOptions, Share};
use crate::range::FileFormat;
use crate::storage::fs::{list_files, FileEntry};
use crate::{ReadChunk, ReadError};

/// The commit time of the `index`-th file of a static read.
pub fn file_time(index: usize) -> Time {
    2 * index as Time
}

/// Reads worker `worker`'s share (of `peers`) of a static source with default options.
pub fn read_static(
    spec: &SourceSpec,
    worker: usize,
    peers: usize,
) -> Result<Box<dyn Iterator<Item = ReadChunk> + Send>> {
    read_static_with(spec, worker, peers, ReadOptions::default())
}

/// As `read_static`, with explicit options.
pub fn read_static_with(
    spec: &SourceSpec,
    worker: usize,
    peers: usize,
    options: ReadOptions,
) -> Result<Box<dyn Iterator<Item = ReadChunk> + Send>> {
    Ok(Box::new(StaticReader::new(spec, worker, peers, options)?))
}

/// Iterator over the chunks of one worker's share of a static source.
pub struct StaticReader {
    spec: SourceSpec,
    files: Vec<FileEntry>,
    worker: usize,
    peers: usize,
    options: ReadOptions,
    format: FileFormat,
    next_file: usize,
    current: Option<(Time, Box<dyn FileReader>)>,
}

impl StaticReader {
    /// Lists the files and checks the settings; reading starts on the first `next`.
    pub fn new(
        spec: &SourceSpec,
        worker: usize,
        peers: usize,
        options: ReadOptions,
    ) -> Result<Self> {
        if peers == 0 || worker >= peers {
            return Err(Error::new(format!(
                "worker {worker} out of range for {peers} peers"
            )));
        }
        let files = list_files(&spec.path)?;
        Ok(Self {
            format: FileFormat::new(spec, options)?,
            spec: spec.clone(),
            files,
            worker,
            peers,
            options,
            next_file: 0,
            current: None,
        })
    }

    /// Opens this worker's share of file `index`; `Ok(None)` when it has none.
    fn open(&self, index: usize) -> std::io::Result<Option<Box<dyn FileReader>>> {
        let entry = &self.files[index];
        let (w, p) = (self.worker, self.peers);
        let whole = whole_file_share(index, w, p);
        let share = match &self.spec.format {
            Format::PlaintextByFile | Format::Binary => whole,
            Format::Csv(_) => {
                let dialect = self.format.dialect().expect("csv dialect");
                let file = File::open(&entry.path)?;
                let split = p > 1
                    && entry.size >= self.options.split_min_bytes
                    && dialect.splittable()
                    && csv_lines_are_records(&file, entry.size, dialect.quote())?;
                if split {
                    line_share(&file, entry.size, index, w, p, &self.options)?
                } else {
                    whole
                }
            }
            _ => line_share(
                &File::open(&entry.path)?,
                entry.size,
                index,
                w,
                p,
                &self.options,
            )?,
        };
        let (start, end) = match share {
            Share::Nothing => return Ok(None),
            Share::Whole => (0, entry.size),
            Share::Range { start, end } => (start, end),
        };
        self.format.open(&entry.path, file_time(index), start, end)
    }
}

impl Iterator for StaticReader {
    type Item = ReadChunk;

    fn next(&mut self) -> Option<ReadChunk> {
        loop {
            if let Some((time, reader)) = &mut self.current {
                let mut chunk = ReadChunk {
                    time: *time,
                    ..Default::default()
                };
                let more = reader.fill(&mut chunk, self.options.chunk_rows);
                if !more {
                    self.current = None;
                }
                if !chunk.rows.is_empty() || !chunk.errors.is_empty() {
                    return Some(chunk);
                }
                continue;
            }
            let index = self.next_file;
            if index >= self.files.len() {
                return None;
            }
            self.next_file += 1;
            match self.open(index) {
                Ok(Some(reader)) => self.current = Some((file_time(index), reader)),
                Ok(None) => {}
                Err(e) => {
                    // A file that vanished or cannot be opened: report it, read the others.
                    let path = &self.files[index].path;
                    let error = ReadError {
                        message: format!("cannot read {path}: {e}"),
                        position: format!("{path}:0"),
                    };
                    return Some(ReadChunk {
                        time: file_time(index),
                        rows: Vec::new(),
                        errors: vec![error],
                    });
                }
            }
        }
    }
}

//! Local files: listing a path, per-file metadata, and reading byte ranges line by line.

use std::fs::{self, File};
use std::io::{self, Read};
use std::os::unix::fs::{FileExt, MetadataExt};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use towpath_core::{Error, Result, Value};

/// One input file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileEntry {
    /// The path as the user wrote it, joined with the file name for directory entries.
    pub path: String,
    pub size: u64,
}

/// The regular files `path` names: itself, or every non-hidden file below it (subdirectories
/// included, as in Pathway 0.33), sorted by path. (Pathway also reads hidden files; we skip
/// names starting with `.` so editor swap files and `.crc` files are not taken for data.)
pub fn list_files(path: &str) -> Result<Vec<FileEntry>> {
    let meta = fs::metadata(path).map_err(|e| Error::new(format!("cannot read {path}: {e}")))?;
    if meta.is_file() {
        return Ok(vec![FileEntry {
            path: path.to_string(),
            size: meta.len(),
        }]);
    }
    let mut files = Vec::new();
    collect_files(Path::new(path), &mut files)?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

fn collect_files(dir: &Path, files: &mut Vec<FileEntry>) -> Result<()> {
    let shown = dir.display();
    for entry in fs::read_dir(dir).map_err(|e| Error::new(format!("cannot list {shown}: {e}")))? {
        let entry = entry?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let full = entry.path();
        // Follow symlinks, as reading the path would.
        match fs::metadata(&full) {
            Ok(m) if m.is_file() => files.push(FileEntry {
                path: full.to_string_lossy().into_owned(),
                size: m.len(),
            }),
            Ok(m) if m.is_dir() => collect_files(&full, files)?,
            _ => {}
        }
    }
    Ok(())
}

/// The `_metadata` Json value Pathway attaches with `with_metadata=True`: `created_at`,
/// `modified_at`, `seen_at` (seconds since the epoch), `owner` (user name), `path`, `size`.
pub fn metadata_value(path: &str) -> Value {
    let mut obj = serde_json::Map::new();
    if let Ok(meta) = fs::metadata(path) {
        let secs = |t: io::Result<SystemTime>| {
            t.ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map(|d| d.as_secs())
        };
        let modified = secs(meta.modified());
        let created = secs(meta.created()).or(modified);
        obj.insert("created_at".into(), created.into());
        obj.insert("modified_at".into(), modified.into());
        obj.insert("owner".into(), owner_name(meta.uid()).into());
        obj.insert("size".into(), meta.len().into());
    }
    obj.insert("path".into(), path.into());
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    obj.insert("seen_at".into(), now.into());
    Value::json(&serde_json::Value::Object(obj))
}

/// The user name of `uid` from /etc/passwd, or the number when it is not listed.
fn owner_name(uid: u32) -> String {
    let passwd = fs::read_to_string("/etc/passwd").unwrap_or_default();
    passwd
        .lines()
        .filter_map(|line| {
            let mut parts = line.split(':');
            let name = parts.next()?;
            let id = parts.nth(1)?.parse::<u32>().ok()?;
            (id == uid).then(|| name.to_string())
        })
        .next()
        .unwrap_or_else(|| uid.to_string())
}

/// Reads a whole file.
pub fn read_all(path: &str) -> io::Result<Vec<u8>> {
    fs::read(path)
}

/// Number of `\n` bytes in `file[0..upto)`: turns a byte offset into a line number, only when an
/// error needs a position.
pub fn count_newlines(file: &File, upto: u64) -> io::Result<u64> {
    let mut buf = vec![0u8; 1 << 20];
    let (mut pos, mut count) = (0u64, 0u64);
    while pos < upto {
        let want = ((upto - pos) as usize).min(buf.len());
        let n = file.read_at(&mut buf[..want], pos)?;
        if n == 0 {
            break;
        }
        count += memchr::memchr_iter(b'\n', &buf[..n]).count() as u64;
        pos += n as u64;
    }
    Ok(count)
}

/// The first line start at or after `offset` (a line starts at 0 or right after a `\n`).
pub fn line_start_at_or_after(file: &File, offset: u64, size: u64) -> io::Result<u64> {
    if offset == 0 || offset >= size {
        return Ok(offset.min(size));
    }
    let mut buf = vec![0u8; 64 << 10];
    let mut pos = offset - 1;
    while pos < size {
        let n = file.read_at(&mut buf, pos)?;
        if n == 0 {
            break;
        }
        if let Some(i) = memchr::memchr(b'\n', &buf[..n]) {
            return Ok(pos + i as u64 + 1);
        }
        pos += n as u64;
    }
    Ok(size)
}

/// A byte range of a file, as an `io::Read` (for the CSV reader).
pub struct RangeRead {
    file: File,
    pos: u64,
    end: u64,
}

impl RangeRead {
    /// Reads `file[start..end)`.
    pub fn new(file: File, start: u64, end: u64) -> Self {
        Self {
            file,
            pos: start,
            end,
        }
    }
}

impl Read for RangeRead {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let want = (self.end.saturating_sub(self.pos) as usize).min(buf.len());
        if want == 0 {
            return Ok(0);
        }
        let n = self.file.read_at(&mut buf[..want], self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

/// Lines of `file[start..end)` (without their `\n`), read in large blocks.
pub struct Lines {
    file: File,
    /// File offset of `buf[0]`.
    base: u64,
    /// Next file offset to read.
    pos: u64,
    end: u64,
    buf: Vec<u8>,
    head: usize,
    filled: usize,
}

const BLOCK: usize = 1 << 20;

impl Lines {
    /// Lines starting in `[start, end)`; `start` must be a line start and `end` one or the size.
    pub fn new(file: File, start: u64, end: u64) -> Self {
        Self {
            file,
            base: start,
            pos: start,
            end,
            buf: vec![0; BLOCK],
            head: 0,
            filled: 0,
        }
    }

    /// The next line and its byte offset in the file.
    pub fn next_line(&mut self) -> io::Result<Option<(u64, &[u8])>> {
        loop {
            if let Some(i) = memchr::memchr(b'\n', &self.buf[self.head..self.filled]) {
                let start = self.head;
                self.head += i + 1;
                return Ok(Some((
                    self.base + start as u64,
                    &self.buf[start..start + i],
                )));
            }
            if self.pos >= self.end {
                if self.head < self.filled {
                    let start = self.head;
                    self.head = self.filled;
                    return Ok(Some((
                        self.base + start as u64,
                        &self.buf[start..self.filled],
                    )));
                }
                return Ok(None);
            }
            self.refill()?;
        }
    }

    fn refill(&mut self) -> io::Result<()> {
        self.buf.copy_within(self.head..self.filled, 0);
        self.base += self.head as u64;
        self.filled -= self.head;
        self.head = 0;
        if self.filled == self.buf.len() {
            // A line longer than the buffer.
            self.buf.resize(self.buf.len() * 2, 0);
        }
        let want = ((self.end - self.pos) as usize).min(self.buf.len() - self.filled);
        let n = self
            .file
            .read_at(&mut self.buf[self.filled..self.filled + want], self.pos)?;
        if n == 0 {
            // The file shrank under us: stop at what we have.
            self.end = self.pos;
        }
        self.filled += n;
        self.pos += n as u64;
        Ok(())
    }
}

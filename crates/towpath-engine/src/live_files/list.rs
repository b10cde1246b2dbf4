//! Listing a watched path: its regular files with what tells a change (size, modification
//! time, inode).

use std::collections::BTreeMap;
use std::fs::{self, Metadata};
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::time::SystemTime;

/// What a listing tells about one file; a change in any of it means the file may have changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stat {
    pub size: u64,
    pub modified: Option<SystemTime>,
    pub dev: u64,
    pub ino: u64,
}

impl Stat {
    /// The stat of a file's metadata.
    pub fn of(meta: &Metadata) -> Self {
        Self { size: meta.len(), modified: meta.modified().ok(), dev: meta.dev(), ino: meta.ino() }
    }

    /// Same file (not another one renamed over it).
    pub fn same_file(&self, other: &Stat) -> bool {
        self.dev == other.dev && self.ino == other.ino
    }
}

/// The regular files `path` names, by path: itself, or every non-hidden file below it (as
/// `towpath_connectors::storage::fs::list_files`, which static reads use). Symlinks are
/// followed; dangling ones and entries that vanish while listing are skipped. Any other error
/// fails the whole listing, so a file is never taken for deleted because it could not be seen.
pub fn list(path: &str) -> io::Result<BTreeMap<String, Stat>> {
    let meta = fs::metadata(path)?;
    let mut files = BTreeMap::new();
    if meta.is_file() {
        files.insert(path.to_string(), Stat::of(&meta));
    } else if meta.is_dir() {
        collect(Path::new(path), &mut files, true)?;
    }
    Ok(files)
}

/// Linux's "too many levels of symbolic links".
const ELOOP: i32 = 40;

/// `e`, naming the path it is about (a subdirectory's error would otherwise read as the root's).
fn at(path: &Path, e: io::Error) -> io::Error {
    io::Error::new(e.kind(), format!("{}: {e}", path.display()))
}

fn collect(dir: &Path, files: &mut BTreeMap<String, Stat>, root: bool) -> io::Result<()> {
    let entries = match fs::read_dir(dir) {
        // A subdirectory removed while listing holds no files; the root itself must exist.
        Err(e) if !root && e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) if !root => return Err(at(dir, e)),
        other => other?,
    };
    for entry in entries {
        let entry = entry.map_err(|e| at(dir, e))?;
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let full = entry.path();
        match fs::metadata(&full) {
            Ok(m) if m.is_file() => {
                files.insert(full.to_string_lossy().into_owned(), Stat::of(&m));
            }
            Ok(m) if m.is_dir() => collect(&full, files, false)?,
            // Dangling symlinks (as Pathway 0.33), symlink loops and entries deleted since
            // `read_dir`: none is a file to read.
            Err(e) if e.kind() == io::ErrorKind::NotFound || e.raw_os_error() == Some(ELOOP) => {}
            Ok(_) => {}
            Err(e) => return Err(at(&full, e)),
        }
    }
    Ok(())
}

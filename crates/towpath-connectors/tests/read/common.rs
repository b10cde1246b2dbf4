//! Helpers: temporary directories, specs, collecting a read.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use towpath_connectors::{ReadChunk, ReadError, ReadOptions, StaticReader};
use towpath_core::{ColumnSchema, DType, Key, Row, Schema, Value};
use towpath_plan::{Format, Mode, SourceSpec};

/// A directory removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> Self {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir =
            std::env::temp_dir().join(format!("towpath-read-{}-{tag}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    /// Writes a file and returns its path.
    pub fn file(&self, name: &str, content: impl AsRef<[u8]>) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, content).unwrap();
        path.to_string_lossy().into_owned()
    }

    pub fn path(&self) -> String {
        self.0.to_string_lossy().into_owned()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub fn col(name: &str, dtype: DType) -> ColumnSchema {
    ColumnSchema {
        name: name.into(),
        dtype,
        primary_key: false,
        default: None,
    }
}

pub fn pk(name: &str, dtype: DType) -> ColumnSchema {
    ColumnSchema {
        primary_key: true,
        ..col(name, dtype)
    }
}

pub fn with_default(name: &str, dtype: DType, default: Value) -> ColumnSchema {
    ColumnSchema {
        default: Some(default),
        ..col(name, dtype)
    }
}

pub fn opt(d: DType) -> DType {
    DType::Optional(Box::new(d))
}

pub fn spec(path: &str, format: Format, columns: Vec<ColumnSchema>) -> SourceSpec {
    SourceSpec {
        path: path.into(),
        format,
        schema: Schema { columns },
        mode: Mode::Static,
        with_metadata: false,
        autocommit_duration_ms: None,
        name: None,
    }
}

pub fn jsonl() -> Format {
    Format::JsonLines {
        field_paths: vec![],
    }
}

/// Every chunk worker `worker` of `peers` reads.
pub fn read_with(
    spec: &SourceSpec,
    worker: usize,
    peers: usize,
    options: ReadOptions,
) -> Vec<ReadChunk> {
    StaticReader::new(spec, worker, peers, options)
        .unwrap()
        .collect()
}

/// All rows and errors of a single-worker read.
pub fn read(spec: &SourceSpec) -> (Vec<(Key, Row)>, Vec<ReadError>) {
    let chunks = read_with(spec, 0, 1, ReadOptions::default());
    let rows = chunks
        .iter()
        .flat_map(|c| {
            c.rows.iter().map(|(k, r, d)| {
                assert_eq!(*d, 1);
                (*k, r.clone())
            })
        })
        .collect();
    let errors = chunks.into_iter().flat_map(|c| c.errors).collect();
    (rows, errors)
}

/// The values of the rows, in reading order.
pub fn values(rows: &[(Key, Row)]) -> Vec<Vec<Value>> {
    rows.iter().map(|(_, r)| r.to_vec()).collect()
}

pub fn s(text: &str) -> Value {
    Value::from(text)
}

/// The position string for a line of a file.
pub fn at(path: &str, line: usize) -> String {
    format!("{path}:{line}")
}

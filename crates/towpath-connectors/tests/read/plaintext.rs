//! Plain text by line and by file, binary.

use towpath_core::{DType, Value};
use towpath_plan::Format;

use crate::common::*;

#[test]
fn lines_are_trimmed_and_blank_lines_kept() {
    let dir = TempDir::new("plain");
    let path = dir.file("x.txt", "a b\r\n\n  c  \nlast");
    let (rows, errors) = read(&spec(
        &path,
        Format::Plaintext,
        vec![col("data", DType::String)],
    ));
    assert_eq!(errors, vec![]);
    assert_eq!(
        values(&rows),
        vec![vec![s("a b")], vec![s("")], vec![s("c")], vec![s("last")]]
    );
}

#[test]
fn invalid_utf8_lines_keep_an_error_row() {
    let dir = TempDir::new("plain-utf8");
    let path = dir.file("x.txt", b"ok\n\xff\x00z\n");
    let (rows, errors) = read(&spec(
        &path,
        Format::Plaintext,
        vec![col("data", DType::String)],
    ));
    assert_eq!(values(&rows), vec![vec![s("ok")], vec![Value::Error]]);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].position, at(&path, 2));
    assert!(errors[0].message.contains("UTF-8"));
}

#[test]
fn whole_files_as_text_or_bytes() {
    let dir = TempDir::new("plain-file");
    dir.file("x.txt", "a b\r\n\n  c  \nlast");
    dir.file("y.bin", b"\xff\x00z\n");
    let by_file = spec(
        &dir.path(),
        Format::PlaintextByFile,
        vec![col("data", DType::String)],
    );
    let (rows, errors) = read(&by_file);
    assert_eq!(
        values(&rows),
        vec![vec![s("a b\r\n\n  c  \nlast")], vec![Value::Error]]
    );
    assert_eq!(errors.len(), 1);
    let binary = spec(&dir.path(), Format::Binary, vec![col("data", DType::Bytes)]);
    let (rows, errors) = read(&binary);
    assert!(errors.is_empty());
    assert_eq!(
        values(&rows),
        vec![
            vec![Value::Bytes(b"a b\r\n\n  c  \nlast".to_vec().into())],
            vec![Value::Bytes(b"\xff\x00z\n".to_vec().into())]
        ]
    );
}

#[test]
fn directories_are_read_recursively_skipping_hidden_files_one_time_per_file() {
    let dir = TempDir::new("plain-dir");
    dir.file("b.txt", "b1\nb2\n");
    dir.file("a.txt", "a1\n");
    dir.file(".hidden", "h\n");
    std::fs::create_dir(dir.0.join("c-sub")).unwrap();
    dir.file("c-sub/c.txt", "");
    std::fs::create_dir(dir.0.join(".git")).unwrap();
    dir.file(".git/x", "x\n");
    dir.file("d.txt", "d1\n");
    let sp = spec(
        &dir.path(),
        Format::Plaintext,
        vec![col("data", DType::String)],
    );
    let chunks = read_with(&sp, 0, 1, Default::default());
    let by_time: Vec<(u64, Vec<Value>)> = chunks
        .iter()
        .map(|c| {
            (
                c.time,
                c.rows.iter().map(|(_, r, _)| r[0].clone()).collect(),
            )
        })
        .collect();
    // a.txt, b.txt, c-sub/c.txt (empty), d.txt → times 0, 2, (4), 6.
    assert_eq!(
        by_time,
        vec![
            (0, vec![s("a1")]),
            (2, vec![s("b1"), s("b2")]),
            (6, vec![s("d1")])
        ]
    );
}

//! Anonymous ids: identical lines of a chunk merge into one row with a multiplicity; bad lines
//! still report each occurrence at its own position.

use std::collections::BTreeMap;

use towpath_connectors::ReadOptions;
use towpath_core::{DType, Value};

use crate::common::*;

fn totals(dir: &TempDir, content: &str, chunk_rows: usize, peers: usize) -> (BTreeMap<Vec<Value>, isize>, Vec<String>) {
    let path = dir.file("words.jsonl", content);
    let spec = spec(&path, jsonl(), vec![col("word", DType::String)]);
    let options = ReadOptions { chunk_rows, split_min_bytes: 1, anonymous_ids: true };
    let mut totals = BTreeMap::new();
    let mut errors = Vec::new();
    for worker in 0..peers {
        for chunk in read_with(&spec, worker, peers, options) {
            for (_, row, diff) in chunk.rows {
                *totals.entry(row.to_vec()).or_insert(0) += diff;
            }
            errors.extend(chunk.errors.into_iter().map(|e| e.position));
        }
    }
    (totals, errors)
}

#[test]
fn identical_lines_merge_and_counts_are_kept() {
    let dir = TempDir::new("anon");
    let mut content = String::new();
    for i in 0..1000 {
        content.push_str(&format!("{{\"word\": \"w{}\"}}\n", i % 7));
    }
    for (chunk_rows, peers) in [(3, 1), (100, 1), (5, 3)] {
        let (totals, errors) = totals(&dir, &content, chunk_rows, peers);
        assert!(errors.is_empty());
        assert_eq!(totals.len(), 7);
        for (i, (_, count)) in totals.iter().enumerate() {
            let expected = (0..1000).filter(|n| n % 7 == i).count() as isize;
            assert_eq!(*count, expected);
        }
    }
}

#[test]
fn a_repeated_bad_line_is_reported_at_every_occurrence() {
    let dir = TempDir::new("anon-bad");
    let (totals, errors) = totals(&dir, "{\"word\": 1}\n{\"word\": \"a\"}\n{\"word\": 1}\n", 100, 1);
    let path = dir.path() + "/words.jsonl";
    assert_eq!(errors, vec![at(&path, 1), at(&path, 3)]);
    assert_eq!(totals.get(&vec![Value::from("a")]), Some(&1));
    assert_eq!(totals.get(&vec![Value::Error]), Some(&2));
}

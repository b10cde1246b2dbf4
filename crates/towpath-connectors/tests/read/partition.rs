//! Every worker count reads exactly the same rows, ids and errors.

use towpath_connectors::{ReadChunk, ReadOptions};
use towpath_core::{DType, Key, Row};
use towpath_plan::{CsvSettings, Format, SourceSpec};

use crate::common::*;

const OPTIONS: ReadOptions = ReadOptions {
    chunk_rows: 100,
    split_min_bytes: 1,
    anonymous_ids: false,
};

type Union = (Vec<(u64, Key, Row)>, Vec<(String, String)>);

/// The sorted union over all workers, checking chunk bounds and time order on the way; also
/// how many workers read any row.
fn union(sp: &SourceSpec, peers: usize) -> (Union, usize) {
    let (mut rows, mut errors, mut busy) = (Vec::new(), Vec::new(), 0);
    for worker in 0..peers {
        let chunks: Vec<ReadChunk> = read_with(sp, worker, peers, OPTIONS);
        assert!(
            chunks.windows(2).all(|w| w[0].time <= w[1].time),
            "times go down"
        );
        assert!(chunks.iter().all(|c| c.rows.len() <= OPTIONS.chunk_rows));
        busy += chunks.iter().any(|c| !c.rows.is_empty()) as usize;
        for c in chunks {
            rows.extend(c.rows.into_iter().map(|(k, r, _)| (c.time, k, r)));
            errors.extend(c.errors.into_iter().map(|e| (e.position, e.message)));
        }
    }
    rows.sort();
    errors.sort();
    ((rows, errors), busy)
}

fn assert_same_for_all_peers(sp: &SourceSpec, expect_split: bool) -> Union {
    let (one, _) = union(sp, 1);
    for peers in 2..=4 {
        let (many, busy) = union(sp, peers);
        assert_eq!(one.0.len(), many.0.len(), "row count with {peers} peers");
        assert!(one.0 == many.0, "rows differ with {peers} peers");
        assert_eq!(one.1, many.1, "errors differ with {peers} peers");
        if expect_split {
            assert_eq!(busy, peers, "every worker should read a part");
        }
    }
    let ids: std::collections::BTreeSet<Key> = one.0.iter().map(|(_, k, _)| *k).collect();
    assert_eq!(ids.len(), one.0.len(), "ids are unique");
    one
}

#[test]
fn jsonlines_big_file_splits_by_line() {
    let dir = TempDir::new("part-jl");
    let mut text = String::new();
    for i in 0..5000 {
        if i % 997 == 0 {
            text.push_str("{broken\n");
        } else if i % 501 == 0 {
            text.push_str(&format!("{{\"word\":\"w{i}\",\"n\":\"bad\"}}\n"));
        } else {
            text.push_str(&format!("{{\"word\":\"w{}\",\"n\":{i}}}\n", i % 37));
        }
    }
    let path = dir.file("big.jsonl", text);
    let sp = spec(
        &path,
        jsonl(),
        vec![col("word", DType::String), col("n", DType::Int)],
    );
    let (rows, errors) = assert_same_for_all_peers(&sp, true);
    assert_eq!(rows.len(), 5000 - 6);
    assert_eq!(errors.len(), 6 + 9);
    assert!(errors.contains(&(
        at(&path, 998),
        "malformed JSON (key must be a string at line 1 column 2) in line: {broken".into()
    )));
}

#[test]
fn csv_without_multiline_fields_splits() {
    let dir = TempDir::new("part-csv");
    let mut text = String::from("id,word,n\n");
    for i in 0..4000 {
        text.push_str(&format!(
            "{i},\"w,{}\",{}\n",
            i % 11,
            if i % 777 == 0 {
                "x".into()
            } else {
                i.to_string()
            }
        ));
    }
    let path = dir.file("big.csv", text);
    let columns = vec![
        col("id", DType::Int),
        col("word", DType::String),
        col("n", DType::Int),
    ];
    let (rows, errors) = assert_same_for_all_peers(&spec(&path, csv(), columns.clone()), true);
    assert_eq!(rows.len(), 4000);
    assert_eq!(errors.len(), 6);
    assert!(errors[0].0.starts_with(&path));
    // With a primary key the ids are the key's.
    let mut keyed = columns;
    keyed[0].primary_key = true;
    let (rows, _) = assert_same_for_all_peers(&spec(&path, csv(), keyed), true);
    assert!(rows
        .iter()
        .all(|(_, k, r)| *k == Key::for_values(&[r[0].clone()])));
}

#[test]
fn csv_with_multiline_fields_is_read_whole() {
    let dir = TempDir::new("part-csv-ml");
    let mut text = String::from("id,word\n");
    for i in 0..3000 {
        text.push_str(&format!("{i},\"line\n{i}\"\n"));
    }
    let path = dir.file("big.csv", text);
    let sp = spec(
        &path,
        csv(),
        vec![col("id", DType::Int), col("word", DType::String)],
    );
    let (rows, errors) = assert_same_for_all_peers(&sp, false);
    assert_eq!(rows.len(), 3000);
    assert!(errors.is_empty());
}

#[test]
fn directories_of_mixed_sizes() {
    let dir = TempDir::new("part-dir");
    for f in 0..5 {
        let lines: String = (0..(f * 700))
            .map(|i| format!("file {f} line {i}\n"))
            .collect();
        dir.file(&format!("f{f}.txt"), lines);
    }
    let sp = spec(
        &dir.path(),
        Format::Plaintext,
        vec![col("data", DType::String)],
    );
    let (rows, _) = assert_same_for_all_peers(&sp, true);
    assert_eq!(rows.len(), 700 * (1 + 2 + 3 + 4));
    let times: std::collections::BTreeSet<u64> = rows.iter().map(|(t, _, _)| *t).collect();
    assert_eq!(times.into_iter().collect::<Vec<_>>(), vec![2, 4, 6, 8]);
    let whole = spec(
        &dir.path(),
        Format::PlaintextByFile,
        vec![col("data", DType::String)],
    );
    let (rows, _) = assert_same_for_all_peers(&whole, false);
    assert_eq!(rows.len(), 5);
}

fn csv() -> Format {
    Format::Csv(CsvSettings::default())
}

//! `FileWatch` polled by hand: after every poll the table equals a static read of the files'
//! complete records, appends add only their new rows, and failures follow the module's rules.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use towpath_connectors::{read_static, ReadOptions};
use towpath_core::{ColumnSchema, DType, Key, Row, Schema, Value};
use towpath_plan::{CsvSettings, Format, Mode, SourceSpec};

use super::{FileWatch, Updates};

type Table = BTreeMap<(Key, Row), isize>;

fn dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("towpath-watch-{name}-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn column(name: &str, dtype: DType, primary_key: bool) -> ColumnSchema {
    ColumnSchema { name: name.into(), dtype, primary_key, default: None }
}

fn spec(path: &Path, format: Format, columns: Vec<ColumnSchema>) -> SourceSpec {
    SourceSpec {
        path: path.to_string_lossy().into_owned(),
        format,
        schema: Schema { columns },
        mode: Mode::Streaming,
        with_metadata: false,
        autocommit_duration_ms: Some(10),
        name: None,
    }
}

fn plaintext(path: &Path) -> SourceSpec {
    spec(path, Format::Plaintext, vec![column("data", DType::String, false)])
}

/// Applies `updates` to `table`, dropping rows whose multiplicity falls to 0.
fn apply(table: &mut Table, updates: &Updates) {
    for (row, diff) in updates {
        let slot = table.entry(row.clone()).or_default();
        *slot += diff;
        if *slot == 0 {
            table.remove(row);
        }
    }
}

/// One poll: (rows, errors) updates.
fn poll(watch: &mut FileWatch) -> (Updates, Updates) {
    let (mut rows, mut errors) = (Vec::new(), Vec::new());
    watch.poll(&mut rows, &mut errors);
    (rows, errors)
}

/// What a static read of the path gives now (the reference for ids and rows).
fn static_read(spec: &SourceSpec) -> Table {
    let mut table = Table::new();
    let Ok(chunks) = read_static(&SourceSpec { mode: Mode::Static, ..spec.clone() }, 0, 1) else {
        return table;
    };
    for chunk in chunks {
        let updates: Updates = chunk.rows.into_iter().map(|(k, r, d)| ((k, r), d)).collect();
        apply(&mut table, &updates);
    }
    table
}

fn data(table: &Table) -> Vec<String> {
    let mut out: Vec<String> = table
        .iter()
        .flat_map(|((_, row), m)| {
            let Value::String(s) = &row[0] else { panic!("not a string: {row:?}") };
            std::iter::repeat_n(s.to_string(), *m as usize)
        })
        .collect();
    out.sort();
    out
}

fn append(path: &Path, text: &str) {
    use std::io::Write;
    fs::OpenOptions::new().append(true).create(true).open(path).unwrap().write_all(text.as_bytes()).unwrap();
}

#[test]
fn appends_insert_only_the_new_rows_with_the_ids_of_a_whole_read() {
    for anonymous_ids in [false, true] {
        let d = dir(&format!("append-{anonymous_ids}"));
        let spec = plaintext(&d);
        let options = ReadOptions { anonymous_ids, chunk_rows: 2, ..ReadOptions::default() };
        let mut watch = FileWatch::new(0, spec.clone(), options);
        let mut table = Table::new();
        fs::write(d.join("a.txt"), "a1\na2\na1\n").unwrap();
        let (rows, _) = poll(&mut watch);
        apply(&mut table, &rows);
        let reference = |table: &Table| {
            if anonymous_ids {
                assert_eq!(data(table), data(&static_read(&spec)));
            } else {
                assert_eq!(*table, static_read(&spec));
            }
        };
        reference(&table);
        for (i, more) in ["a3\n", "a1\na4\na5\n", "a6\n"].into_iter().enumerate() {
            append(&d.join("a.txt"), more);
            let (rows, _) = poll(&mut watch);
            assert!(rows.iter().all(|(_, diff)| *diff > 0), "append {i} retracted: {rows:?}");
            let inserted: isize = rows.iter().map(|(_, d)| d).sum();
            assert_eq!(inserted as usize, more.lines().count(), "append {i}: {rows:?}");
            apply(&mut table, &rows);
            reference(&table);
        }
        let _ = fs::remove_dir_all(&d);
    }
}

#[test]
fn rewrites_truncations_and_renames_replace_all_rows() {
    let d = dir("rewrite");
    let spec = plaintext(&d);
    let mut watch = FileWatch::new(0, spec.clone(), ReadOptions::default());
    let mut table = Table::new();
    let path = d.join("a.txt");
    let mut check = |watch: &mut FileWatch, what: &str, retracted: bool| {
        let (rows, _) = poll(watch);
        apply(&mut table, &rows);
        assert_eq!(table, static_read(&spec), "{what}");
        assert_eq!(rows.iter().any(|(_, d)| *d < 0), retracted, "{what}: {rows:?}");
    };
    fs::write(&path, "a1\na2\n").unwrap();
    check(&mut watch, "first", false);
    // Same size, same inode, other content (the first line changes). File times have a coarse
    // clock (a few ms): a same-size rewrite within one tick of the poll would look unchanged.
    std::thread::sleep(Duration::from_millis(30));
    fs::write(&path, "b1\na2\n").unwrap();
    check(&mut watch, "rewrite in place", true);
    // Longer, but the old content is not a prefix.
    fs::write(&path, "b1\nb2\nb3\n").unwrap();
    check(&mut watch, "longer rewrite", true);
    fs::write(&path, "b1\n").unwrap();
    check(&mut watch, "truncated", true);
    // A new file renamed over it, whose content starts as the old one did.
    fs::write(d.join("next"), "b1\nc2\n").unwrap();
    fs::rename(d.join("next"), &path).unwrap();
    check(&mut watch, "renamed over", true);
    fs::remove_file(&path).unwrap();
    check(&mut watch, "deleted", true);
    assert!(table.is_empty());
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn an_incomplete_last_line_waits_for_its_newline_or_a_quiet_poll() {
    let d = dir("partial");
    let spec = plaintext(&d);
    let mut watch = FileWatch::new(0, spec.clone(), ReadOptions::default());
    let mut table = Table::new();
    let path = d.join("a.txt");
    let mut step = |watch: &mut FileWatch| {
        let (rows, _) = poll(watch);
        apply(&mut table, &rows);
        data(&table)
    };
    fs::write(&path, "a1\na2\na").unwrap();
    assert_eq!(step(&mut watch), ["a1", "a2"], "complete lines at once, the fragment held");
    append(&path, "3");
    assert_eq!(step(&mut watch), ["a1", "a2"], "a changing fragment is held");
    // Unchanged for a whole poll: taken as the file's last line.
    assert_eq!(step(&mut watch), ["a1", "a2", "a3"]);
    assert_eq!(step(&mut watch), ["a1", "a2", "a3"], "read once");
    // The fragment cut off (same file, complete lines kept): its row goes.
    fs::write(&path, "a1\na2\n").unwrap();
    assert_eq!(step(&mut watch), ["a1", "a2"]);
    append(&path, "a3");
    step(&mut watch);
    assert_eq!(step(&mut watch), ["a1", "a2", "a3"]);
    append(&path, "x\na4\n");
    assert_eq!(step(&mut watch), ["a1", "a2", "a3x", "a4"], "the line, completed, replaces its fragment");
    let full: Table = static_read(&spec);
    assert_eq!(data(&full), ["a1", "a2", "a3x", "a4"]);
    // Ids too: the table equals a whole read.
    let (rows, _) = poll(&mut watch);
    assert!(rows.is_empty());
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn csv_records_with_quoted_newlines_wait_for_their_end() {
    let d = dir("csv");
    let columns = vec![column("k", DType::Int, true), column("v", DType::String, false)];
    let spec = spec(&d, Format::Csv(CsvSettings::default()), columns);
    let mut watch = FileWatch::new(0, spec.clone(), ReadOptions::default());
    let mut table = Table::new();
    let path = d.join("a.csv");
    fs::write(&path, "k,v\n1,one\n2,\"two\n").unwrap();
    let (rows, _) = poll(&mut watch);
    apply(&mut table, &rows);
    assert_eq!(table.len(), 1, "only the complete record: {table:?}");
    append(&path, "lines\"\n3,three\n");
    let (rows, _) = poll(&mut watch);
    assert!(rows.iter().all(|(_, d)| *d > 0), "{rows:?}");
    apply(&mut table, &rows);
    assert_eq!(table, static_read(&spec));
    assert_eq!(table.len(), 3);
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn parse_errors_of_appended_lines_have_their_line_numbers() {
    let d = dir("errors");
    let spec = spec(&d, Format::JsonLines { field_paths: vec![] }, vec![column("n", DType::Int, false)]);
    let mut watch = FileWatch::new(3, spec, ReadOptions::default());
    let path = d.join("a.jsonl");
    fs::write(&path, "{\"n\": 1}\n").unwrap();
    let (_, errors) = poll(&mut watch);
    assert!(errors.is_empty());
    append(&path, "{\"n\": 2}\nnot json\n");
    let (rows, errors) = poll(&mut watch);
    assert_eq!(rows.len(), 1);
    assert_eq!(errors.len(), 1, "{errors:?}");
    let trace = &errors[0].0 .1[2];
    assert_eq!(*trace, Value::from(format!("{}:3", path.display()).as_str()));
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn a_missing_path_fails_the_source_at_start() {
    let d = dir("missing");
    let mut watch = FileWatch::new(7, plaintext(&d.join("nope")), ReadOptions::default());
    let (rows, _) = poll(&mut watch);
    assert!(rows.is_empty());
    let failure = watch.failure().expect("failed");
    assert!(failure.contains("nope") && failure.contains("plaintext") && failure.contains("node 7"), "{failure}");
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn a_deleted_directory_keeps_its_rows_then_fails_after_the_grace() {
    let d = dir("deleted");
    let mut watch = FileWatch::new(0, plaintext(&d), ReadOptions::default());
    watch.grace = Duration::from_millis(300);
    fs::write(d.join("a.txt"), "a1\n").unwrap();
    let mut table = Table::new();
    apply(&mut table, &poll(&mut watch).0);
    assert_eq!(data(&table), ["a1"]);
    fs::remove_dir_all(&d).unwrap();
    // Transient: recreated before the grace ends, with the same file, nothing changes.
    let (rows, _) = poll(&mut watch);
    assert!(rows.is_empty() && watch.failure().is_none());
    fs::create_dir_all(&d).unwrap();
    fs::write(d.join("a.txt"), "a1\n").unwrap();
    let (rows, _) = poll(&mut watch);
    apply(&mut table, &rows);
    assert_eq!(data(&table), ["a1"]);
    fs::remove_dir_all(&d).unwrap();
    let mut polls = 0;
    while watch.failure().is_none() {
        let (rows, _) = poll(&mut watch);
        assert!(rows.is_empty(), "rows retracted by a failed listing: {rows:?}");
        polls += 1;
        assert!(polls < 1000, "never failed");
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(polls >= super::GRACE_POLLS as usize);
    let failure = watch.failure().unwrap();
    assert!(failure.contains(&d.to_string_lossy().to_string()), "{failure}");
}

#[test]
fn dangling_symlinks_are_skipped_and_a_file_replaced_by_a_directory_is_deleted() {
    let d = dir("odd");
    let mut watch = FileWatch::new(0, plaintext(&d), ReadOptions::default());
    let mut table = Table::new();
    fs::write(d.join("a.txt"), "a1\n").unwrap();
    fs::write(d.join("b.txt"), "b1\n").unwrap();
    std::os::unix::fs::symlink(d.join("nowhere"), d.join("c.txt")).unwrap();
    apply(&mut table, &poll(&mut watch).0);
    assert_eq!(data(&table), ["a1", "b1"]);
    fs::remove_file(d.join("a.txt")).unwrap();
    fs::create_dir(d.join("a.txt")).unwrap();
    let (rows, errors) = poll(&mut watch);
    apply(&mut table, &rows);
    assert_eq!(data(&table), ["b1"]);
    assert!(errors.is_empty() && watch.failure().is_none());
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn a_read_failure_keeps_the_rows_and_is_retried() {
    // As root, permissions do not stop reads; a directory given as a file fails to read.
    let d = dir("unreadable");
    let format = towpath_connectors::FileFormat::new(&plaintext(&d), ReadOptions::default()).unwrap();
    let reading = super::tracked::Reading { node: 0, format: &format, whole: false };
    let (mut rows, mut errors) = (Vec::new(), Vec::new());
    let mut out = super::tracked::Out { rows: &mut rows, errors: &mut errors };
    let sub = d.join("sub");
    fs::create_dir(&sub).unwrap();
    fs::write(sub.join("x"), vec![b'x'; 10]).unwrap();
    let mut stat = super::list::Stat::of(&fs::metadata(&sub).unwrap());
    stat.size = 10;
    let mut tracked = super::tracked::Tracked::default();
    assert!(tracked.update(&sub.to_string_lossy(), stat, &reading, &mut out).is_err());
    assert!(rows.is_empty());
    let _ = fs::remove_dir_all(&d);
}

#[test]
fn with_metadata_an_append_rereads_the_file_as_every_row_metadata_changes() {
    let d = dir("metadata");
    let spec = SourceSpec { with_metadata: true, ..plaintext(&d) };
    let mut watch = FileWatch::new(0, spec, ReadOptions::default());
    let path = d.join("a.txt");
    fs::write(&path, "m1\n").unwrap();
    let mut table = Table::new();
    apply(&mut table, &poll(&mut watch).0);
    append(&path, "m2\n");
    let (rows, _) = poll(&mut watch);
    assert!(rows.iter().any(|(_, d)| *d < 0), "{rows:?}");
    apply(&mut table, &rows);
    assert_eq!(data(&table), ["m1", "m2"]);
    for (_, row) in table.keys() {
        let Value::Json(meta) = &row[1] else { panic!("no metadata: {row:?}") };
        assert!(meta.to_string().contains("\"size\":6"), "{meta}");
    }
    let _ = fs::remove_dir_all(&d);
}

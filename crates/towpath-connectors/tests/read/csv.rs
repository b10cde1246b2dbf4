//! CSV: header matching, quoting, dialects, every error case.

use towpath_core::{DType, Key, Value};
use towpath_plan::{CsvSettings, Format};

use crate::common::*;

fn csv() -> Format {
    Format::Csv(CsvSettings::default())
}

#[test]
fn columns_by_header_name_with_quoting() {
    let dir = TempDir::new("csv-basic");
    let path = dir.file(
        "in.csv",
        "extra,n,w,b\nzz,1,plain,true\nzz,2,\"with, comma\",False\nzz,3,\"say \"\"hi\"\"\nnext line\",on\n",
    );
    let columns = vec![
        col("w", DType::String),
        col("n", DType::Int),
        col("b", DType::Bool),
    ];
    let (rows, errors) = read(&spec(&path, csv(), columns));
    assert_eq!(errors, vec![]);
    assert_eq!(
        values(&rows),
        vec![
            vec![s("plain"), Value::Int(1), Value::Bool(true)],
            vec![s("with, comma"), Value::Int(2), Value::Bool(false)],
            vec![s("say \"hi\"\nnext line"), Value::Int(3), Value::Bool(true)],
        ]
    );
}

#[test]
fn wrong_typed_cells_become_errors_with_the_text() {
    let dir = TempDir::new("csv-wrong");
    let path = dir.file("in.csv", "w,n,f\na,1,1.5\nb,x,2\nc, 5,nope\n");
    let columns = vec![
        col("w", DType::String),
        col("n", DType::Int),
        col("f", DType::Float),
    ];
    let (rows, errors) = read(&spec(&path, csv(), columns));
    assert_eq!(
        values(&rows),
        vec![
            vec![s("a"), Value::Int(1), Value::Float(1.5)],
            vec![s("b"), Value::Error, Value::Float(2.0)],
            vec![s("c"), Value::Error, Value::Error],
        ]
    );
    assert_eq!(errors.len(), 3);
    assert_eq!(errors[0].position, at(&path, 3));
    assert_eq!(
        errors[0].message,
        r#"failed to parse value "x" at field "n" according to the type int in schema: invalid digit found in string"#
    );
    assert_eq!(errors[1].position, at(&path, 4));
    assert!(errors[1].message.contains(r#"value " 5" at field "n""#));
    assert!(errors[2]
        .message
        .contains(r#"value "nope" at field "f" according to the type float"#));
}

#[test]
fn wrong_field_counts_are_reported_with_the_raw_line() {
    let dir = TempDir::new("csv-count");
    let path = dir.file("in.csv", "w,n\na,1\nb\nc,2,extra\n\nd,3\n");
    let (rows, errors) = read(&spec(
        &path,
        csv(),
        vec![col("w", DType::String), col("n", DType::Int)],
    ));
    assert_eq!(
        values(&rows),
        vec![vec![s("a"), Value::Int(1)], vec![s("d"), Value::Int(3)]]
    );
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].position, at(&path, 3));
    assert!(
        errors[0].message.ends_with("in line: b"),
        "{}",
        errors[0].message
    );
    assert_eq!(errors[1].position, at(&path, 4));
    assert!(
        errors[1].message.ends_with("in line: c,2,extra"),
        "{}",
        errors[1].message
    );
}

#[test]
fn optional_cells_defaults_and_missing_columns() {
    let dir = TempDir::new("csv-missing");
    let path = dir.file("in.csv", "os,oi,ob\nNone,None,\n,,None\nx,7,yes\n");
    let columns = vec![
        col("oi", opt(DType::Int)),
        col("os", opt(DType::String)),
        col("ob", opt(DType::Bool)),
        with_default("d", DType::Int, Value::Int(42)),
        col("absent_opt", opt(DType::Float)),
        col("absent", DType::Int),
    ];
    let (rows, errors) = read(&spec(&path, csv(), columns));
    assert_eq!(
        values(&rows),
        vec![
            vec![
                Value::None,
                s("None"),
                Value::None,
                Value::Int(42),
                Value::None,
                Value::Error
            ],
            vec![
                Value::None,
                s(""),
                Value::None,
                Value::Int(42),
                Value::None,
                Value::Error
            ],
            vec![
                Value::Int(7),
                s("x"),
                Value::Bool(true),
                Value::Int(42),
                Value::None,
                Value::Error
            ],
        ]
    );
    assert_eq!(errors.len(), 3);
    assert!(errors
        .iter()
        .all(|e| e.message.contains("\"absent\"") && e.message.contains("header")));
    assert_eq!(errors[2].position, at(&path, 4));
}

#[test]
fn dialect_settings() {
    let dir = TempDir::new("csv-dialect");
    let path = dir.file("in.csv", "# comment\nw;n\n'a;b';1\n# another\n'it''s';2\n");
    let settings = CsvSettings {
        delimiter: ';',
        quote: '\'',
        comment_character: Some('#'),
        ..CsvSettings::default()
    };
    let (rows, errors) = read(&spec(
        &path,
        Format::Csv(settings),
        vec![col("w", DType::String), col("n", DType::Int)],
    ));
    assert_eq!(errors, vec![]);
    assert_eq!(
        values(&rows),
        vec![
            vec![s("a;b"), Value::Int(1)],
            vec![s("it's"), Value::Int(2)]
        ]
    );

    let path = dir.file("esc.csv", "w\n\"a\\\"b\"\n");
    let settings = CsvSettings {
        escape: Some('\\'),
        enable_double_quote_escapes: false,
        ..CsvSettings::default()
    };
    let (rows, _) = read(&spec(
        &path,
        Format::Csv(settings),
        vec![col("w", DType::String)],
    ));
    assert_eq!(values(&rows), vec![vec![s("a\"b")]]);
}

#[test]
fn typed_cells_and_primary_keys() {
    let dir = TempDir::new("csv-types");
    let path = dir.file(
        "in.csv",
        "k,j,dn,du,dur,t,by\n1,\"{\"\"b\"\":1}\",2024-01-02T03:04:05,2024-01-02T03:04:05+00:00,-5,\"[1,\"\"a\"\"]\",YWI=\n",
    );
    let columns = vec![
        pk("k", DType::Int),
        col("j", DType::Json),
        col("dn", DType::DateTimeNaive),
        col("du", DType::DateTimeUtc),
        col("dur", DType::Duration),
        col("t", DType::Tuple(vec![DType::Int, DType::String])),
        col("by", DType::Bytes),
    ];
    let (rows, errors) = read(&spec(&path, csv(), columns));
    assert_eq!(errors, vec![]);
    let row = &rows[0].1;
    assert_eq!(rows[0].0, Key::for_values(&[Value::Int(1)]));
    assert_eq!(row[1], Value::Json("{\"b\":1}".into()));
    assert_eq!(row[2], Value::DateTimeNaive(1704164645000000000));
    assert_eq!(row[3], Value::DateTimeUtc(1704164645000000000));
    assert_eq!(row[4], Value::Duration(-5));
    assert_eq!(row[5], Value::Tuple(vec![Value::Int(1), s("a")].into()));
    assert_eq!(row[6], Value::Bytes(b"ab".to_vec().into()));
}

#[test]
fn empty_and_header_only_files_give_nothing() {
    let dir = TempDir::new("csv-empty");
    dir.file("a.csv", "");
    dir.file("b.csv", "w\n");
    let (rows, errors) = read(&spec(&dir.path(), csv(), vec![col("w", DType::String)]));
    assert!(rows.is_empty() && errors.is_empty());
}

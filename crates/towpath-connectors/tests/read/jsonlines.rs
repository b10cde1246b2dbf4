//! JSON Lines: typed fields, every error case, ids, field paths, metadata.

use std::sync::Arc;

use towpath_core::{DType, Key, Value};
use towpath_plan::Format;

use crate::common::*;

fn tuple(items: Vec<Value>) -> Value {
    Value::Tuple(Arc::from(items))
}

#[test]
fn every_dtype_from_a_valid_line() {
    let dir = TempDir::new("jl-types");
    let key = Key::for_value(&Value::Int(9));
    let line = format!(
        r#"{{"k":1,"i":5,"f":5,"b":true,"s":"x\"y","oi":null,"j":{{"b":1,"a":[2.5]}},"dn":"2024-01-02T03:04:05","du":"2024-01-02T03:04:05+00:00","dur":100,"t":[1,"a"],"l":[1,2,3],"by":"YWI=","p":"{key}","extra":{{"deep":[1]}}}}"#
    );
    let path = dir.file("in.jsonl", format!("{line}\n"));
    let columns = vec![
        pk("k", DType::Int),
        col("i", DType::Int),
        col("f", DType::Float),
        col("b", DType::Bool),
        col("s", DType::String),
        col("oi", opt(DType::Int)),
        col("j", DType::Json),
        col("dn", DType::DateTimeNaive),
        col("du", DType::DateTimeUtc),
        col("dur", DType::Duration),
        col("t", DType::Tuple(vec![DType::Int, DType::String])),
        col("l", DType::List(Box::new(DType::Int))),
        col("by", DType::Bytes),
        col("p", DType::Pointer),
    ];
    let (rows, errors) = read(&spec(&path, jsonl(), columns));
    assert_eq!(errors, vec![]);
    let ns = 1704164645000000000;
    assert_eq!(
        values(&rows),
        vec![vec![
            Value::Int(1),
            Value::Int(5),
            Value::Float(5.0),
            Value::Bool(true),
            s("x\"y"),
            Value::None,
            Value::Json(Arc::from(r#"{"a":[2.5],"b":1}"#)),
            Value::DateTimeNaive(ns),
            Value::DateTimeUtc(ns),
            Value::Duration(100),
            tuple(vec![Value::Int(1), s("a")]),
            tuple(vec![Value::Int(1), Value::Int(2), Value::Int(3)]),
            Value::Bytes(Arc::from(&b"ab"[..])),
            Value::Pointer(key),
        ]]
    );
    // Primary key → id from the key values.
    assert_eq!(rows[0].0, Key::for_values(&[Value::Int(1)]));
}

#[test]
fn a_wrong_typed_value_keeps_the_row_with_an_error_cell() {
    let dir = TempDir::new("jl-wrong");
    let path = dir.file(
        "in.jsonl",
        "{\"w\":\"a\",\"n\":1}\n{\"w\":\"b\",\"n\":\"5\"}\n{\"w\":3,\"n\":5.0}\n",
    );
    let (rows, errors) = read(&spec(
        &path,
        jsonl(),
        vec![col("w", DType::String), col("n", DType::Int)],
    ));
    assert_eq!(
        values(&rows),
        vec![
            vec![s("a"), Value::Int(1)],
            vec![s("b"), Value::Error],
            vec![Value::Error, Value::Error]
        ]
    );
    assert_eq!(errors.len(), 3);
    assert_eq!(errors[0].position, at(&path, 2));
    assert_eq!(
        errors[0].message,
        r#"failed to create a field "n" with type int from json payload: "5""#
    );
    assert_eq!(errors[1].position, at(&path, 3));
    assert!(
        errors[1].message.contains(r#""w" with type str"#) && errors[1].message.ends_with(": 3")
    );
    assert!(
        errors[2].message.contains(r#""n" with type int"#) && errors[2].message.ends_with(": 5.0")
    );
}

#[test]
fn unparseable_lines_are_reported_with_their_text_and_reading_goes_on() {
    let dir = TempDir::new("jl-bad");
    let content = b"{\"w\":\"a\"}\n{\"w\": bad json\n\n   \n[1,2]\n{\"w\":\"b\"} {\"w\":\"c\"}\n\xff\xfe\n{\"w\":\"d\"}\r\n";
    let path = dir.file("in.jsonl", content);
    let (rows, errors) = read(&spec(&path, jsonl(), vec![col("w", DType::String)]));
    assert_eq!(values(&rows), vec![vec![s("a")], vec![s("d")]]);
    let positions: Vec<&str> = errors.iter().map(|e| e.position.as_str()).collect();
    assert_eq!(
        positions,
        vec![at(&path, 2), at(&path, 5), at(&path, 6), at(&path, 7)]
    );
    assert!(
        errors[0].message.contains("{\"w\": bad json"),
        "{}",
        errors[0].message
    );
    assert!(errors[1].message.contains("[1,2]"), "{}", errors[1].message);
    assert!(
        errors[2].message.contains("trailing characters")
            && errors[2].message.contains("{\"w\":\"c\"}")
    );
    assert!(errors[3].message.contains("UTF-8"));
}

#[test]
fn missing_fields_default_none_or_error() {
    let dir = TempDir::new("jl-missing");
    let path = dir.file(
        "in.jsonl",
        "{\"a\":1}\n{\"a\":2,\"d\":7,\"o\":3,\"r\":4}\n{\"a\":3,\"r\":null}\n",
    );
    let columns = vec![
        col("a", DType::Int),
        with_default("d", DType::Int, Value::Int(42)),
        col("o", opt(DType::Int)),
        col("r", DType::Int),
    ];
    let (rows, errors) = read(&spec(&path, jsonl(), columns));
    assert_eq!(
        values(&rows),
        vec![
            vec![Value::Int(1), Value::Int(42), Value::None, Value::Error],
            vec![Value::Int(2), Value::Int(7), Value::Int(3), Value::Int(4)],
            // An explicit null in a non-optional column is a type error, not a default.
            vec![Value::Int(3), Value::Int(42), Value::None, Value::Error],
        ]
    );
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].position, at(&path, 1));
    assert!(
        errors[0].message.contains("\"r\"") && errors[0].message.contains("absent"),
        "{}",
        errors[0].message
    );
    assert!(errors[0].message.contains("{\"a\":1}"));
    assert_eq!(
        errors[1].message,
        r#"failed to create a field "r" with type int from json payload: null"#
    );
}

#[test]
fn field_paths_are_json_pointers() {
    let dir = TempDir::new("jl-paths");
    let path = dir.file(
        "in.jsonl",
        "{\"a\":{\"b\":[10,{\"c\":\"x\"}]},\"n\":1}\n{\"a\":{}}\n",
    );
    let format = Format::JsonLines {
        field_paths: vec![("c".into(), "/a/b/1/c".into())],
    };
    let (rows, errors) = read(&spec(
        &path,
        format,
        vec![col("c", opt(DType::String)), col("n", DType::Int)],
    ));
    assert_eq!(
        values(&rows),
        vec![vec![s("x"), Value::Int(1)], vec![Value::None, Value::Error]]
    );
    assert_eq!(errors.len(), 1);
    assert!(errors[0].message.contains("\"n\""));
}

#[test]
fn ids_without_primary_key_are_distinct_and_stable() {
    let dir = TempDir::new("jl-ids");
    let path = dir.file("in.jsonl", "{\"w\":\"a\"}\n{\"w\":\"a\"}\n");
    let sp = spec(&path, jsonl(), vec![col("w", DType::String)]);
    let (first, _) = read(&sp);
    let (again, _) = read(&sp);
    assert_ne!(first[0].0, first[1].0);
    assert_eq!(first, again);
}

#[test]
fn metadata_column_comes_last() {
    let dir = TempDir::new("jl-meta");
    let path = dir.file("in.jsonl", "{\"w\":\"a\"}\n");
    let mut sp = spec(&path, jsonl(), vec![col("w", DType::String)]);
    sp.with_metadata = true;
    let (rows, _) = read(&sp);
    let row = &rows[0].1;
    assert_eq!(row.len(), 2);
    let meta = row[1].as_json().expect("Json metadata");
    assert_eq!(meta["path"], serde_json::json!(path));
    assert_eq!(meta["size"], serde_json::json!(10));
    for field in ["created_at", "modified_at", "seen_at", "owner"] {
        assert!(!meta[field].is_null(), "{field}");
    }
}

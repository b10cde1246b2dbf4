use towpath_core::{ColumnSchema, DType, Schema, Value};
use towpath_plan::source::KafkaReadSpec;
use towpath_plan::Format;

use super::{MessageParser, Origin};

fn col(name: &str, dtype: DType, primary_key: bool) -> ColumnSchema {
    ColumnSchema { name: name.into(), dtype, primary_key, default: None }
}

fn spec(format: Format, columns: Vec<ColumnSchema>, with_metadata: bool) -> KafkaReadSpec {
    KafkaReadSpec {
        settings: vec![],
        topics: vec!["t".into()],
        format,
        schema: Schema { columns },
        with_metadata,
        autocommit_duration_ms: None,
        start_from_timestamp_ms: None,
        name: None,
    }
}

fn at(offset: i64) -> Origin<'static> {
    Origin { topic: "t", partition: 2, offset, timestamp_ms: Some(1700) }
}

fn json() -> Format {
    Format::JsonLines { field_paths: vec![] }
}

#[test]
fn json_message_becomes_a_row_with_a_position_id() {
    let s = spec(json(), vec![col("w", DType::String, false), col("n", DType::Int, false)], false);
    let mut p = MessageParser::new(&s).unwrap();
    let a = p.parse(&at(5), None, Some(br#"{"n": 3, "w": "hi"}"#));
    assert!(a.errors.is_empty(), "{:?}", a.errors);
    let (ka, row) = a.row.unwrap();
    assert_eq!(row.to_vec(), vec![Value::from("hi"), Value::Int(3)]);
    let (kb, _) = p.parse(&at(6), None, Some(br#"{"n": 3, "w": "hi"}"#)).row.unwrap();
    assert_ne!(ka, kb, "equal payloads at different offsets are different rows");
}

#[test]
fn bad_json_is_an_error_naming_the_position() {
    let s = spec(json(), vec![col("n", DType::Int, false)], false);
    let mut p = MessageParser::new(&s).unwrap();
    let bad = p.parse(&at(9), None, Some(b"{not json"));
    assert!(bad.row.is_none());
    assert_eq!(bad.errors.len(), 1);
    assert!(bad.errors[0].contains("t/2@9"), "{}", bad.errors[0]);
    let wrong = p.parse(&at(10), None, Some(br#"{"n": "x"}"#));
    assert_eq!(wrong.row.unwrap().1.to_vec(), vec![Value::Error]);
    assert!(wrong.errors[0].contains("t/2@10"));
}

#[test]
fn primary_key_gives_the_same_id() {
    let s = spec(json(), vec![col("k", DType::String, true), col("v", DType::Int, false)], false);
    let mut p = MessageParser::new(&s).unwrap();
    assert!(p.has_primary_key());
    let a = p.parse(&at(1), None, Some(br#"{"k": "a", "v": 1}"#)).row.unwrap();
    let b = p.parse(&at(2), None, Some(br#"{"k": "a", "v": 2}"#)).row.unwrap();
    assert_eq!(a.0, b.0);
}

#[test]
fn plaintext_raw_and_metadata() {
    let key = col("key", DType::Optional(Box::new(DType::String)), false);
    let s = spec(Format::Plaintext, vec![key, col("data", DType::String, false)], true);
    let mut p = MessageParser::new(&s).unwrap();
    let row = p.parse(&at(4), Some(b"k1"), Some(b"hello")).row.unwrap().1.to_vec();
    assert_eq!(row[..2], [Value::from("k1"), Value::from("hello")]);
    let row = p.parse(&at(5), None, Some(b"x")).row.unwrap().1.to_vec();
    assert_eq!(row[0], Value::None);
    let meta = p.parse(&at(4), None, Some(b"hello")).row.unwrap().1[2].as_json().unwrap();
    assert_eq!(meta["topic"], "t");
    assert_eq!(meta["partition"], 2);
    assert_eq!(meta["offset"], 4);
    assert_eq!(meta["timestamp_millis"], 1700);
    let s = spec(Format::Binary, vec![col("data", DType::Bytes, false)], false);
    let mut p = MessageParser::new(&s).unwrap();
    let row = p.parse(&at(4), None, Some(&[0, 255])).row.unwrap().1.to_vec();
    assert_eq!(row, vec![Value::Bytes(std::sync::Arc::from(&[0u8, 255][..]))]);
}

#[test]
fn csv_is_refused() {
    let s = spec(Format::Csv(Default::default()), vec![col("a", DType::String, false)], false);
    assert!(MessageParser::new(&s).is_err());
}

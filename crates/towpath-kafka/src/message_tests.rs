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
        debezium: false,
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
fn csv_message_is_one_record_in_schema_order() {
    let s = spec(Format::Csv(Default::default()), vec![col("w", DType::String, false), col("n", DType::Int, false)], false);
    let mut p = MessageParser::new(&s).unwrap();
    let a = p.parse(&at(1), None, Some(b"\"x,y\",3\n"));
    assert!(a.errors.is_empty(), "{:?}", a.errors);
    assert_eq!(a.row.unwrap().1.to_vec(), vec![Value::from("x,y"), Value::Int(3)]);
    let short = p.parse(&at(2), None, Some(b"only"));
    assert!(short.row.is_none());
    assert!(short.errors[0].contains("expected 2 CSV fields") && short.errors[0].contains("t/2@2"), "{:?}", short.errors);
    let bad = p.parse(&at(3), None, Some(b"a,notint"));
    assert_eq!(bad.row.unwrap().1.to_vec(), vec![Value::from("a"), Value::Error]);
    assert!(bad.errors[0].contains("\"n\"") && bad.errors[0].contains("t/2@3"), "{:?}", bad.errors);
}

fn debezium_spec() -> KafkaReadSpec {
    let mut s = spec(json(), vec![col("id", DType::Int, true), col("name", DType::String, false)], false);
    s.debezium = true;
    s
}

#[test]
fn debezium_events_upsert_and_delete_by_primary_key() {
    let mut p = MessageParser::new(&debezium_spec()).unwrap();
    let id1 = towpath_core::Key::for_values(&[Value::Int(1)]);
    // Schema-wrapped create.
    let c = p.parse(&at(1), None, Some(br#"{"schema": {}, "payload": {"before": null, "after": {"id": 1, "name": "a"}, "op": "c"}}"#));
    assert!(c.errors.is_empty(), "{:?}", c.errors);
    assert_eq!(c.row, Some((id1, vec![Value::Int(1), Value::from("a")].into())));
    assert_eq!(c.delete, None);
    // Bare update with before null: the same id, so the reader replaces the row.
    let u = p.parse(&at(2), None, Some(br#"{"before": null, "after": {"id": 1, "name": "b"}, "op": "u"}"#));
    assert_eq!(u.row.unwrap().0, id1);
    // An update changing the key deletes the old one.
    let moved = p.parse(&at(3), None, Some(br#"{"before": {"id": 1, "name": "b"}, "after": {"id": 2, "name": "b"}, "op": "u"}"#));
    assert_eq!(moved.delete, Some(id1));
    // A delete, with before, or with only the message key.
    let d = p.parse(&at(4), None, Some(br#"{"payload": {"before": {"id": 2, "name": "b"}, "after": null, "op": "d"}}"#));
    assert_eq!((d.row, d.delete), (None, Some(towpath_core::Key::for_values(&[Value::Int(2)]))));
    let d = p.parse(&at(5), Some(br#"{"payload": {"id": 1}}"#), Some(br#"{"before": null, "after": null, "op": "d"}"#));
    assert_eq!(d.delete, Some(id1));
    // A tombstone changes nothing and is no error.
    let t = p.parse(&at(6), Some(br#"{"id": 1}"#), None);
    assert_eq!((t.row, t.delete, t.errors.len()), (None, None, 0));
}

#[test]
fn bad_debezium_events_are_errors_with_positions() {
    let mut p = MessageParser::new(&debezium_spec()).unwrap();
    for (offset, message, what) in [
        (7, &b"not json"[..], "not JSON"),
        (8, br#"{"payload": {"after": {"id": 1, "name": "a"}, "op": "x"}}"#, "unknown Debezium operation"),
        (9, br#"{"hello": 1}"#, "not a Debezium change event"),
        (10, br#"{"op": "c", "after": {"id": 3}}"#, "\"name\" is absent"),
    ] {
        let got = p.parse(&at(offset), None, Some(message));
        assert_eq!(got.errors.len(), 1, "{got:?}");
        assert!(got.errors[0].contains(what) && got.errors[0].contains(&format!("t/2@{offset}")), "{:?}", got.errors);
    }
}

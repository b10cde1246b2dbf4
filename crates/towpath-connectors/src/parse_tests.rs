//! Accepted spellings were observed with Pathway 0.33 (`pw.io.csv.read` / `pw.io.jsonlines.read`).
use std::sync::Arc;

use towpath_core::{DType, Key, Value};

use super::*;

fn opt(d: DType) -> DType {
    DType::Optional(Box::new(d))
}

#[test]
fn bools_accept_pathway_spellings_case_insensitively() {
    for t in [
        "true", "True", "TRUE", "tRuE", "1", "yes", "Yes", "on", "ON", "t", "T", "y", "Y",
    ] {
        assert_eq!(parse_text(t, &DType::Bool), Ok(Value::Bool(true)), "{t}");
    }
    for f in [
        "false", "False", "FALSE", "0", "no", "No", "off", "Off", "f", "F", "n", "N",
    ] {
        assert_eq!(parse_text(f, &DType::Bool), Ok(Value::Bool(false)), "{f}");
    }
    for bad in ["", "abc", "2", " true"] {
        assert!(parse_text(bad, &DType::Bool).is_err(), "{bad}");
    }
}

#[test]
fn ints_and_floats_as_rust_parses_them() {
    assert_eq!(parse_text("+5", &DType::Int), Ok(Value::Int(5)));
    assert_eq!(parse_text("-0", &DType::Int), Ok(Value::Int(0)));
    for bad in [
        " 5",
        "5 ",
        "5.0",
        "0x10",
        "1_000",
        "9223372036854775808",
        "",
    ] {
        assert!(parse_text(bad, &DType::Int).is_err(), "{bad}");
    }
    for (t, f) in [
        ("1", 1.0),
        ("1e3", 1000.0),
        ("1.", 1.0),
        (".5", 0.5),
        ("+1.5", 1.5),
        ("1E5", 1e5),
        ("-Infinity", f64::NEG_INFINITY),
        ("inf", f64::INFINITY),
    ] {
        assert_eq!(parse_text(t, &DType::Float), Ok(Value::Float(f)), "{t}");
    }
    assert!(matches!(parse_text("NaN", &DType::Float), Ok(Value::Float(f)) if f.is_nan()));
    for bad in ["", " 1.5", "1_0.5", "x"] {
        assert!(parse_text(bad, &DType::Float).is_err(), "{bad}");
    }
}

#[test]
fn optional_cells() {
    assert_eq!(parse_text("", &opt(DType::Int)), Ok(Value::None));
    assert_eq!(parse_text("None", &opt(DType::Int)), Ok(Value::None));
    assert_eq!(parse_text("", &opt(DType::Bool)), Ok(Value::None));
    assert_eq!(parse_text("", &opt(DType::Json)), Ok(Value::None));
    assert_eq!(parse_text("7", &opt(DType::Int)), Ok(Value::Int(7)));
    // String columns keep the text, as Pathway does.
    assert_eq!(parse_text("", &opt(DType::String)), Ok(Value::from("")));
    assert_eq!(
        parse_text("None", &opt(DType::String)),
        Ok(Value::from("None"))
    );
    assert_eq!(parse_text("None", &DType::String), Ok(Value::from("None")));
}

#[test]
fn datetimes_durations_bytes_pointers_json() {
    let ns = 1704164645000000000;
    assert_eq!(
        parse_text("2024-01-02T03:04:05", &DType::DateTimeNaive),
        Ok(Value::DateTimeNaive(ns))
    );
    assert_eq!(
        parse_text("2024-01-02T03:04:05.123", &DType::DateTimeNaive),
        Ok(Value::DateTimeNaive(ns + 123_000_000))
    );
    assert_eq!(
        parse_text("2024-01-02T03:04:05.123456789123", &DType::DateTimeNaive),
        Ok(Value::DateTimeNaive(ns + 123_456_789))
    );
    for bad in ["2024-01-02 03:04:05", "2024-01-02", "1700000000"] {
        assert!(parse_text(bad, &DType::DateTimeNaive).is_err(), "{bad}");
    }
    assert_eq!(
        parse_text("2024-01-02T03:04:05+00:00", &DType::DateTimeUtc),
        Ok(Value::DateTimeUtc(ns))
    );
    assert_eq!(
        parse_text("2024-01-02T03:04:05+0000", &DType::DateTimeUtc),
        Ok(Value::DateTimeUtc(ns))
    );
    assert_eq!(
        parse_text("2024-01-02T03:04:05.5-0130", &DType::DateTimeUtc),
        Ok(Value::DateTimeUtc(ns + 5_400_000_000_000 + 500_000_000))
    );
    for bad in [
        "2024-01-02T03:04:05Z",
        "2024-01-02T03:04:05",
        "2024-01-02 03:04:05+0000",
    ] {
        assert!(parse_text(bad, &DType::DateTimeUtc).is_err(), "{bad}");
    }
    assert_eq!(parse_text("-5", &DType::Duration), Ok(Value::Duration(-5)));
    assert!(parse_text("1.5", &DType::Duration).is_err());
    assert_eq!(
        parse_text("YWI=", &DType::Bytes),
        Ok(Value::Bytes(Arc::from(&b"ab"[..])))
    );
    assert!(parse_text("abc", &DType::Bytes).is_err());
    let key = Key::for_value(&Value::Int(3));
    assert_eq!(
        parse_text(&key.to_string(), &DType::Pointer),
        Ok(Value::Pointer(key))
    );
    assert!(parse_text(&key.base32(), &DType::Pointer).is_err());
    assert_eq!(
        parse_text(r#"{"b":1,"a":2}"#, &DType::Json),
        Ok(Value::Json(Arc::from(r#"{"a":2,"b":1}"#)))
    );
    assert!(parse_text("abc", &DType::Json).is_err());
    let tuple_type = DType::Tuple(vec![DType::Int, DType::String]);
    assert_eq!(
        parse_text(r#"[1,"a"]"#, &tuple_type),
        Ok(Value::Tuple(Arc::from(vec![
            Value::Int(1),
            Value::from("a")
        ])))
    );
    assert!(parse_text("(1,a)", &tuple_type).is_err());
}

#[test]
fn json_values_are_typed_strictly() {
    assert_eq!(from_raw_json("5", &DType::Int), Some(Value::Int(5)));
    for bad in ["5.0", "\"5\"", "1e2", "null", "9223372036854775808", "true"] {
        assert_eq!(from_raw_json(bad, &DType::Int), None, "{bad}");
    }
    assert_eq!(from_raw_json("5", &DType::Float), Some(Value::Float(5.0)));
    assert_eq!(from_raw_json("\"5.5\"", &DType::Float), None);
    assert_eq!(from_raw_json("true", &DType::Bool), Some(Value::Bool(true)));
    assert_eq!(from_raw_json("\"true\"", &DType::Bool), None);
    assert_eq!(from_raw_json("5", &DType::String), None);
    assert_eq!(
        from_raw_json(r#""a\"b\u00e9""#, &DType::String),
        Some(Value::from("a\"bé"))
    );
    assert_eq!(from_raw_json("null", &opt(DType::Int)), Some(Value::None));
    assert_eq!(from_raw_json("\"7\"", &opt(DType::Int)), None);
    assert_eq!(
        from_raw_json("null", &DType::Json),
        Some(Value::Json(Arc::from("null")))
    );
    assert_eq!(from_raw_json("1700000000", &DType::DateTimeNaive), None);
    assert_eq!(
        from_raw_json("\"2024-01-02T03:04:05\"", &DType::DateTimeNaive),
        Some(Value::DateTimeNaive(1704164645000000000))
    );
    assert_eq!(
        from_raw_json("100", &DType::Duration),
        Some(Value::Duration(100))
    );
    assert_eq!(from_raw_json("\"100\"", &DType::Duration), None);
    assert_eq!(from_raw_json("[97,98]", &DType::Bytes), None);
    let t = DType::Tuple(vec![DType::Int, DType::String]);
    assert_eq!(
        from_raw_json(r#"[1,"a"]"#, &t),
        Some(Value::Tuple(Arc::from(vec![
            Value::Int(1),
            Value::from("a")
        ])))
    );
    assert_eq!(from_raw_json("[1,2]", &t), None);
    assert_eq!(from_raw_json(r#"[1,"a",3]"#, &t), None);
    let l = DType::List(Box::new(DType::Int));
    assert_eq!(
        from_raw_json("[]", &l),
        Some(Value::Tuple(Arc::from(vec![])))
    );
    assert_eq!(from_raw_json(r#"[1,"x"]"#, &l), None);
    assert_eq!(
        from_raw_json(r#"[1,2.5,"x",[true],{"k":null}]"#, &DType::Any),
        Some(Value::Tuple(Arc::from(vec![
            Value::Int(1),
            Value::Float(2.5),
            Value::from("x"),
            Value::Tuple(Arc::from(vec![Value::Bool(true)])),
            Value::Json(Arc::from(r#"{"k":null}"#)),
        ])))
    );
}

#[test]
fn dtype_names_read_like_python() {
    assert_eq!(dtype_name(&opt(DType::Int)), "int | None");
    assert_eq!(
        dtype_name(&DType::Tuple(vec![DType::Int, DType::String])),
        "tuple[int, str]"
    );
    assert_eq!(
        dtype_name(&DType::List(Box::new(DType::Float))),
        "list[float]"
    );
}

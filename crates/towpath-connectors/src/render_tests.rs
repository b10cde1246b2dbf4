//! Expected strings are Pathway 0.33's output for the same values (see sink/tests.rs).
use std::sync::Arc;

use towpath_core::{Key, Value};

use super::*;

fn tuple(items: Vec<Value>) -> Value {
    Value::Tuple(Arc::from(items))
}

#[test]
fn csv_cells_of_scalars() {
    assert_eq!(csv_cell(&Value::None), "None");
    assert_eq!(csv_cell(&Value::Bool(true)), "True");
    assert_eq!(csv_cell(&Value::Bool(false)), "False");
    assert_eq!(csv_cell(&Value::Int(-6)), "-6");
    for (f, text) in [
        (1.0, "1.0"),
        (1e20, "1e20"),
        (0.1, "0.1"),
        (f64::NAN, "NaN"),
        (f64::INFINITY, "inf"),
        (f64::NEG_INFINITY, "-inf"),
        (1e-7, "1e-7"),
        (1e16, "1e16"),
        (1e15, "1000000000000000.0"),
        (1.2345e-5, "1.2345e-5"),
        (5e-324, "5e-324"),
        (1.5e300, "1.5e300"),
        (-0.0, "-0.0"),
        (2.0 / 3.0, "0.6666666666666666"),
    ] {
        assert_eq!(csv_cell(&Value::Float(f)), text, "{f}");
    }
    assert_eq!(
        csv_cell(&Value::Bytes(Arc::from(&b"\x00\xffab"[..]))),
        "AP9hYg=="
    );
    assert_eq!(
        csv_cell(&Value::DateTimeNaive(1704164645123456000)),
        "2024-01-02T03:04:05.123456000"
    );
    assert_eq!(
        csv_cell(&Value::DateTimeUtc(1704164645123456000)),
        "2024-01-02T03:04:05.123456000+0000"
    );
    assert_eq!(
        csv_cell(&Value::DateTimeNaive(-315521754999999000)),
        "1960-01-02T03:04:05.000001000"
    );
    assert_eq!(csv_cell(&Value::Duration(-999995000)), "-999995000");
}

#[test]
fn json_floats_spell_exponents_with_plus() {
    for (f, text) in [
        (1.0, "1.0"),
        (1e20, "1e+20"),
        (1e16, "1e+16"),
        (1e15, "1000000000000000.0"),
        (1e-7, "1e-7"),
        (1.2345e-5, "0.000012345"),
        (5e-324, "5e-324"),
        (1.5e300, "1.5e+300"),
        (-0.0, "-0.0"),
    ] {
        assert_eq!(json_float(f).as_deref(), Some(text), "{f}");
    }
    assert_eq!(json_float(f64::NAN), None);
    assert_eq!(json_text(&Value::Float(f64::INFINITY)), "null");
    // Json values built by serde_json already carry this spelling.
    assert_eq!(
        Value::json(&serde_json::json!([1e20, 1.2345e-5])),
        Value::Json(Arc::from("[1e+20,0.000012345]"))
    );
}

#[test]
fn tuples_render_as_json_arrays_of_sink_forms() {
    let pointer = Key::for_value(&Value::Int(1));
    let p = pointer.to_string();
    let t = tuple(vec![
        Value::Float(f64::NAN),
        Value::Float(1e20),
        Value::Float(1e-7),
        Value::Float(1.0),
        Value::Bool(true),
        Value::None,
        Value::Bytes(Arc::from(&b"ab"[..])),
        Value::Pointer(pointer),
        Value::DateTimeNaive(1704164645000000000),
        Value::DateTimeUtc(1704164645000000000),
        Value::Duration(3000000000),
        Value::Json(Arc::from(r#"{"x":[1]}"#)),
        Value::from("q\"u,o\nte"),
        Value::Float(f64::INFINITY),
    ]);
    let expected = format!(
        r#"[null,1e+20,1e-7,1.0,true,null,"YWI=","{p}","2024-01-02T03:04:05.000000000","2024-01-02T03:04:05.000000000+0000",3000000000,{{"x":[1]}},"q\"u,o\nte",null]"#
    );
    assert_eq!(csv_cell(&t), expected);
    assert_eq!(json_text(&t), expected);
    let nested = tuple(vec![
        Value::Int(1),
        tuple(vec![Value::from("y"), Value::None]),
    ]);
    assert_eq!(csv_cell(&nested), r#"[1,["y",null]]"#);
}

#[test]
fn json_text_keeps_key_order_and_respells_numbers() {
    let j = Value::Json(Arc::from(
        r#"{"x":1e20,"y":1.2345e-05,"z":2.0,"w":[1e16, 1e-7, -3],"u":"é\u0001 1e5"}"#,
    ));
    assert_eq!(
        json_text(&j),
        r#"{"x":1e+20,"y":0.000012345,"z":2.0,"w":[1e+16,1e-7,-3],"u":"é\u0001 1e5"}"#
    );
    assert_eq!(
        json_text(&Value::Json(Arc::from(r#""str\"q""#))),
        r#""str\"q""#
    );
    assert_eq!(json_text(&Value::json(&serde_json::json!(null))), "null");
}

#[test]
fn json_value_is_structural() {
    let v = json_value(&tuple(vec![
        Value::Int(1),
        Value::Float(f64::NAN),
        Value::Duration(5),
    ]));
    assert_eq!(v, serde_json::json!([1, null, 5]));
}

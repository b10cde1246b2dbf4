//! `pw.cast`, Json/str conversions and `to_string`.

use towpath_core::{DType, Key, Value};

use super::*;

fn cast(v: impl Into<Value>, dtype: DType) -> Expr {
    Expr::Cast {
        arg: Box::new(c(v)),
        dtype,
    }
}

fn convert(v: Value, dtype: DType, default: Option<Expr>, unwrap: bool) -> Expr {
    Expr::Convert {
        arg: Box::new(Expr::Const(v)),
        dtype,
        default: default.map(Box::new),
        unwrap,
    }
}

fn json(text: &str) -> Value {
    Value::Json(text.into())
}

#[test]
fn casts_between_scalars() {
    assert_eq!(ok(&cast(2.7, DType::Int)), Value::Int(2));
    assert_eq!(ok(&cast(-2.7, DType::Int)), Value::Int(-2));
    assert_eq!(ok(&cast(2.5e20, DType::Int)), Value::Int(i64::MAX));
    assert_eq!(ok(&cast(-12i64, DType::Float)), Value::Float(-12.0));
    assert_eq!(ok(&cast(0i64, DType::Bool)), Value::Bool(false));
    assert_eq!(ok(&cast(-0.1, DType::Bool)), Value::Bool(true));
    assert_eq!(ok(&cast(1.0, DType::String)), s("1"));
    assert_eq!(ok(&cast(-0.1, DType::String)), s("-0.1"));
    assert_eq!(ok(&cast(2.5e20, DType::String)), s("250000000000000000000"));
    assert_eq!(ok(&cast(true, DType::Int)), Value::Int(1));
    assert_eq!(ok(&cast(false, DType::Float)), Value::Float(0.0));
    assert_eq!(ok(&cast(true, DType::String)), s("True"));
    assert_eq!(ok(&cast(-12i64, DType::String)), s("-12"));
    assert_eq!(ok(&cast("12", DType::Int)), Value::Int(12));
    assert_eq!(ok(&cast("1.5", DType::Float)), Value::Float(1.5));
    assert_eq!(
        ok(&cast(Value::None, DType::Optional(Box::new(DType::Int)))),
        Value::None
    );
    assert_eq!(
        ok(&cast(3i64, DType::Optional(Box::new(DType::Float)))),
        Value::Float(3.0)
    );
    fails(&cast("x\"y", DType::Int), "Cannot cast to int from x\"y");
    fails(&cast(dur(1), DType::Int), "cannot cast Duration");
}

#[test]
fn json_conversions() {
    assert_eq!(
        ok(&convert(json("1"), DType::Int, None, false)),
        Value::Int(1)
    );
    assert_eq!(
        ok(&convert(json("1"), DType::Float, None, false)),
        Value::Float(1.0)
    );
    assert_eq!(
        ok(&convert(json("2.5"), DType::Float, None, false)),
        Value::Float(2.5)
    );
    assert_eq!(
        ok(&convert(json("\"s\""), DType::String, None, false)),
        s("s")
    );
    assert_eq!(
        ok(&convert(json("true"), DType::Bool, None, false)),
        Value::Bool(true)
    );
    fails(
        &convert(json("\"7\""), DType::Int, None, false),
        "Cannot convert json \"7\" to Int",
    );
    fails(
        &convert(json("2.0"), DType::Int, None, false),
        "Cannot convert json 2.0 to Int",
    );
    fails(&convert(json("1"), DType::Bool, None, false), "to Bool");
}

#[test]
fn missing_json_values_use_default_or_unwrap() {
    for missing in [json("null"), Value::None] {
        assert_eq!(
            ok(&convert(missing.clone(), DType::Int, None, false)),
            Value::None
        );
        assert_eq!(
            ok(&convert(missing.clone(), DType::Int, Some(c(3i64)), false)),
            Value::Int(3)
        );
        assert_eq!(
            ok(&convert(missing.clone(), DType::Int, Some(c(3i64)), true)),
            Value::Int(3)
        );
        fails(&convert(missing, DType::Int, None, true), "cannot unwrap");
    }
    let (v, errors) = value_of(&convert(Value::Error, DType::Int, Some(c(3i64)), false));
    assert_eq!((v, errors.len()), (Value::Error, 0));
}

#[test]
fn strings_are_parsed_by_convert() {
    assert_eq!(
        ok(&convert(s("-3"), DType::Int, None, false)),
        Value::Int(-3)
    );
    assert_eq!(
        ok(&convert(s("1e3"), DType::Float, None, false)),
        Value::Float(1000.0)
    );
    assert_eq!(
        ok(&convert(s("Yes"), DType::Bool, None, false)),
        Value::Bool(true)
    );
    fails(
        &convert(s("1.5"), DType::Int, None, false),
        "cannot parse \"1.5\" to int",
    );
}

fn to_string(v: Value) -> Value {
    ok(&call("to_string", vec![Expr::Const(v)]))
}

#[test]
fn to_string_prints_like_pathway() {
    assert_eq!(to_string(Value::Int(-12)), s("-12"));
    assert_eq!(to_string(Value::Float(1.0)), s("1.0"));
    assert_eq!(to_string(Value::Float(2.5e20)), s("2.5e20"));
    assert_eq!(to_string(Value::Float(-0.1)), s("-0.1"));
    assert_eq!(to_string(Value::Bool(false)), s("False"));
    assert_eq!(to_string(Value::None), s("None"));
    assert_eq!(to_string(s("abc")), s("abc"));
    let t = tup(vec![
        Value::Int(-12),
        s("x\"y"),
        Value::Float(2.5e20),
        Value::Bool(false),
        Value::None,
    ]);
    assert_eq!(to_string(t), s(r#"(-12, "x\"y", 2.5e20, False, None)"#));
    assert_eq!(to_string(tup(vec![s("12")])), s("(\"12\")"));
    assert_eq!(
        to_string(tup(vec![
            tup(vec![Value::Int(7), Value::Float(1.5)]),
            tup(vec![])
        ])),
        s("((7, 1.5), ())")
    );
    assert_eq!(
        to_string(Value::DateTimeNaive(-500_000_000)),
        s("1969-12-31T23:59:59.500000000")
    );
    assert_eq!(
        to_string(Value::DateTimeUtc(1_704_161_045_000_000_000)),
        s("2024-01-02T02:04:05.000000000+0000")
    );
    assert_eq!(to_string(dur(0)), s(""));
    assert_eq!(
        to_string(dur(-12 * 86_400_000_000_000 - 36_000_000_000)),
        s("-12d -36s")
    );
    assert_eq!(
        to_string(dur(-3_599_500_000_000)),
        s("-59m -59s -500000000ns")
    );
    assert_eq!(
        to_string(dur(1_704_164_645_000_000)),
        s("19d 17h 22m 44s 645000000ns")
    );
    assert_eq!(to_string(json("{\"a\":[1,null]}")), s("{\"a\":[1,null]}"));
    assert_eq!(
        to_string(Value::Pointer(Key(0))),
        s("^00000000000000000000000000")
    );
    assert_eq!(
        to_string(Value::Bytes(b"a'\x01".to_vec().into())),
        s("b'a\\'\\x01'")
    );
    let (v, errors) = value_of(&call("to_string", vec![Expr::Const(Value::Error)]));
    assert_eq!((v, errors.len()), (Value::Error, 0));
}

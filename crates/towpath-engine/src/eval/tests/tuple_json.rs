//! `make_tuple`, `Get` on tuples and Json, `pointer_from`, `Id`.

use towpath_core::{Key, Value};

use super::*;

fn get(arg: Expr, index: Expr, default: Option<Expr>, checked: bool) -> Expr {
    Expr::Get {
        arg: Box::new(arg),
        index: Box::new(index),
        default: default.map(Box::new),
        checked,
    }
}

fn triple() -> Expr {
    Expr::MakeTuple(vec![c(1i64), none(), c("x")])
}

fn json(text: &str) -> Expr {
    Expr::Const(Value::Json(text.into()))
}

#[test]
fn make_tuple_builds_tuples_and_propagates_errors() {
    assert_eq!(ok(&triple()), tup(vec![Value::Int(1), Value::None, s("x")]));
    let (out, errors) = run(
        &Expr::MakeTuple(vec![col(0), c(2i64)]),
        vec![vec![Value::Int(1)], vec![Value::Error]],
    );
    assert_eq!(
        out,
        vec![tup(vec![Value::Int(1), Value::Int(2)]), Value::Error]
    );
    assert!(errors.is_empty());
    assert_eq!(ok(&Expr::MakeTuple(vec![])), tup(vec![]));
}

#[test]
fn tuple_indexing() {
    assert_eq!(ok(&get(triple(), c(0i64), None, false)), Value::Int(1));
    assert_eq!(ok(&get(triple(), c(-1i64), None, false)), s("x"));
    assert_eq!(ok(&get(triple(), c(-3i64), None, false)), Value::Int(1));
    fails(&get(triple(), c(3i64), None, false), "index out of bounds");
    fails(&get(triple(), c(-4i64), None, false), "index out of bounds");
    fails(
        &get(triple(), c("a"), None, false),
        "cannot index tuple with str",
    );
    assert_eq!(ok(&get(triple(), c(5i64), None, true)), Value::None);
    assert_eq!(ok(&get(triple(), c(5i64), Some(c("d")), true)), s("d"));
    assert_eq!(ok(&get(triple(), c(1i64), Some(c("d")), true)), Value::None);
}

#[test]
fn json_access() {
    let obj = || json(r#"{"a":1,"b":[1.5,"x",null,true],"e":null}"#);
    let j = |t: &str| Value::Json(t.into());
    assert_eq!(ok(&get(obj(), c("a"), None, false)), j("1"));
    assert_eq!(
        ok(&get(get(obj(), c("b"), None, false), c(1i64), None, false)),
        j("\"x\"")
    );
    assert_eq!(
        ok(&get(obj(), c("b"), None, false)),
        j("[1.5,\"x\",null,true]")
    );
    // Observed in Pathway: a missing element of `j[...]` is Json null, negative indices miss.
    assert_eq!(ok(&get(obj(), c("zz"), None, false)), j("null"));
    assert_eq!(
        ok(&get(get(obj(), c("b"), None, false), c(-1i64), None, false)),
        j("null")
    );
    assert_eq!(ok(&get(obj(), c(0i64), None, false)), j("null"));
    assert_eq!(ok(&get(obj(), c("e"), None, false)), j("null"));
    // `.get` gives the default (None unless given).
    assert_eq!(ok(&get(obj(), c("zz"), None, true)), Value::None);
    assert_eq!(ok(&get(obj(), c("zz"), Some(json("5")), true)), j("5"));
    assert_eq!(ok(&get(json("[1,2]"), c(0i64), None, true)), j("1"));
    assert_eq!(ok(&get(none(), c("a"), None, false)), Value::None);
}

#[test]
fn pointer_from_hashes_the_values() {
    let (out, errors) = run(
        &Expr::PointerFrom(vec![col(0), c("k")]),
        vec![vec![Value::Int(1)], vec![Value::Error]],
    );
    assert_eq!(
        out[0],
        Value::Pointer(Key::for_values(&[Value::Int(1), s("k")]))
    );
    assert_eq!(out[1], Value::Error);
    assert!(errors.is_empty());
}

#[test]
fn id_is_the_row_key() {
    let (out, _) = run(&Expr::Id, vec![vec![], vec![]]);
    assert_eq!(out, vec![Value::Pointer(Key(0)), Value::Pointer(Key(1))]);
}

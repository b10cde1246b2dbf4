//! The `.str` functions.

use towpath_core::Value;

use super::*;

fn f(name: &str, recv: &str, args: Vec<Expr>) -> Value {
    let mut all = vec![c(recv)];
    all.extend(args);
    ok(&call(name, all))
}

fn i(v: i64) -> Expr {
    c(v)
}

#[test]
fn case_and_shape() {
    assert_eq!(f("str.lower", "aBc_Dé", vec![]), s("abc_dé"));
    assert_eq!(f("str.upper", "aBc_Dé", vec![]), s("ABC_DÉ"));
    assert_eq!(f("str.reversed", "aBc_Dé", vec![]), s("éD_cBa"));
    assert_eq!(f("str.len", "aBc_Dé", vec![]), Value::Int(6));
    assert_eq!(f("str.title", "hello.world", vec![]), s("Hello.World"));
    assert_eq!(f("str.title", "aBc_Dé 1st", vec![]), s("Abc_Dé 1St"));
    assert_eq!(f("str.swapcase", "aBc_Dé", vec![]), s("AbC_dÉ"));
}

#[test]
fn stripping() {
    assert_eq!(f("str.strip", "  a b \n", vec![]), s("a b"));
    assert_eq!(f("str.strip", "__x__", vec![c("_")]), s("x"));
    assert_eq!(f("str.strip", "xyaxy", vec![c("yx")]), s("a"));
    assert_eq!(f("str.lstrip", "__x__", vec![c("_")]), s("x__"));
    assert_eq!(f("str.rstrip", "__x__", vec![c("_")]), s("__x"));
    assert_eq!(f("str.rstrip", " x ", vec![none()]), s(" x"));
}

#[test]
fn prefixes_and_suffixes() {
    assert_eq!(
        f("str.startswith", "__x__", vec![c("__")]),
        Value::Bool(true)
    );
    assert_eq!(f("str.endswith", "__x__", vec![c("x")]), Value::Bool(false));
    assert_eq!(f("str.removeprefix", "__x__", vec![c("__")]), s("x__"));
    assert_eq!(f("str.removeprefix", "ab", vec![c("x")]), s("ab"));
    assert_eq!(f("str.removesuffix", "a.txt", vec![c(".txt")]), s("a"));
}

#[test]
fn searching_counts_characters() {
    assert_eq!(f("str.count", "__x__", vec![c("_")]), Value::Int(4));
    assert_eq!(
        f("str.count", "hello.world", vec![c("l"), i(3), i(-1)]),
        Value::Int(2)
    );
    assert_eq!(f("str.count", "aaaa", vec![c("aa")]), Value::Int(2));
    assert_eq!(f("str.count", "abc", vec![c("")]), Value::Int(4));
    assert_eq!(f("str.find", "hello.world", vec![c("l")]), Value::Int(2));
    assert_eq!(f("str.find", "éé.l", vec![c("l")]), Value::Int(3));
    assert_eq!(f("str.find", "hello", vec![c("l"), i(3)]), Value::Int(3));
    assert_eq!(
        f("str.find", "hello", vec![c("l"), i(0), i(2)]),
        Value::Int(-1)
    );
    assert_eq!(f("str.find", "abc", vec![c(""), i(3)]), Value::Int(3));
    assert_eq!(f("str.find", "abc", vec![c(""), i(4)]), Value::Int(-1));
    assert_eq!(f("str.rfind", "__x__", vec![c("_"), i(1)]), Value::Int(4));
    assert_eq!(
        f("str.rfind", "éa_é_", vec![c("é"), none(), i(-1)]),
        Value::Int(3)
    );
    assert_eq!(f("str.rfind", "hello.world", vec![c("_")]), Value::Int(-1));
}

#[test]
fn replacing_and_slicing() {
    assert_eq!(
        f("str.replace", "__x__", vec![c("_"), c("-"), i(1)]),
        s("-_x__")
    );
    assert_eq!(f("str.replace", "__x__", vec![c("_"), c("-")]), s("--x--"));
    assert_eq!(
        f("str.replace", "__x__", vec![c("_"), c("-"), i(-1)]),
        s("--x--")
    );
    assert_eq!(f("str.slice", "aBc_Dé", vec![i(1), i(-1)]), s("Bc_D"));
    assert_eq!(f("str.slice", "aBc_Dé", vec![i(-2), i(100)]), s("Dé"));
    assert_eq!(f("str.slice", "abc", vec![i(2), i(1)]), s(""));
}

#[test]
fn parsing() {
    assert_eq!(f("str.parse_int", "+7", vec![]), Value::Int(7));
    assert_eq!(f("str.parse_int", "-3", vec![]), Value::Int(-3));
    assert_eq!(f("str.parse_int", "1.5", vec![c(true)]), Value::None);
    fails(
        &call("str.parse_int", vec![c("1.5")]),
        "cannot parse \"1.5\" to int",
    );
    assert_eq!(f("str.parse_float", "1e3", vec![]), Value::Float(1000.0));
    assert_eq!(f("str.parse_float", "abc", vec![c(true)]), Value::None);
    fails(&call("str.parse_float", vec![c("abc")]), "to float");
    assert_eq!(f("str.parse_bool", "YES", vec![]), Value::Bool(true));
    assert_eq!(f("str.parse_bool", "0", vec![]), Value::Bool(false));
    assert_eq!(
        f("str.parse_bool", "nah", vec![none(), none(), c(true)]),
        Value::None
    );
    let trues = Expr::Const(tup(vec![s("12")]));
    let falses = Expr::Const(tup(vec![s("abc")]));
    assert_eq!(
        f("str.parse_bool", "ABC", vec![trues.clone(), falses.clone()]),
        Value::Bool(false)
    );
    assert_eq!(
        f("str.parse_bool", "on", vec![trues, falses, c(true)]),
        Value::None
    );
    fails(&call("str.parse_bool", vec![c("maybe")]), "to bool");
}

#[test]
fn none_receivers_errors_and_bad_calls() {
    assert_eq!(ok(&call("str.lower", vec![none()])), Value::None);
    fails(&call("str.lower", vec![c(1i64)]), "expected str, got int");
    fails(&call("str.nope", vec![c("a")]), "unknown function");
    fails(&call("str.lower", vec![c("a"), c("b")]), "arguments");
    let (out, errors) = run(
        &call("str.upper", vec![col(0)]),
        vec![vec![s("a")], vec![Value::Error], vec![Value::None]],
    );
    assert_eq!(out, vec![s("A"), Value::Error, Value::None]);
    assert!(errors.is_empty());
    let (out, errors) = run(
        &call("str.find", vec![c("abc"), col(0)]),
        vec![vec![s("c")], vec![Value::Int(1)]],
    );
    assert_eq!(out, vec![Value::Int(2), Value::Error]);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].row, 1);
}

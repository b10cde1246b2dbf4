//! The `.str` namespace. Positions count characters, as in Python.

use std::sync::Arc;

use towpath_core::Value;

use super::super::column::Fallible;
use super::super::convert;
use super::{flag_arg, func, opt_int_arg, opt_str_arg, str_arg, wrong_type, Func};

/// The `.str` entries of the function table.
pub(super) fn lookup(name: &str) -> Option<Func> {
    Some(match name {
        "str.lower" => func(|a| map_str(a, |s| s.to_lowercase()), 1),
        "str.upper" => func(|a| map_str(a, |s| s.to_uppercase()), 1),
        "str.reversed" => func(|a| map_str(a, |s| s.chars().rev().collect()), 1),
        "str.title" => func(|a| map_str(a, title), 1),
        "str.swapcase" => func(|a| map_str(a, swapcase), 1),
        "str.len" => func(|a| Ok(Value::Int(str_arg(a[0])?.chars().count() as i64)), 1),
        "str.strip" => func(|a| strip(a, true, true), 2),
        "str.lstrip" => func(|a| strip(a, true, false), 2),
        "str.rstrip" => func(|a| strip(a, false, true), 2),
        "str.startswith" => func(
            |a| Ok(Value::Bool(str_arg(a[0])?.starts_with(str_arg(a[1])?))),
            2,
        ),
        "str.endswith" => func(
            |a| Ok(Value::Bool(str_arg(a[0])?.ends_with(str_arg(a[1])?))),
            2,
        ),
        "str.count" => func(count, 4),
        "str.find" => func(|a| find(a, false), 4),
        "str.rfind" => func(|a| find(a, true), 4),
        "str.replace" => func(replace, 4),
        "str.slice" => func(slice, 3),
        "str.removeprefix" => func(|a| remove_affix(a, true), 2),
        "str.removesuffix" => func(|a| remove_affix(a, false), 2),
        "str.parse_int" => func(
            |a| parsed(a[0], a[1], |s| convert::parse_int(s).map(Value::Int)),
            2,
        ),
        "str.parse_float" => func(
            |a| parsed(a[0], a[1], |s| convert::parse_float(s).map(Value::Float)),
            2,
        ),
        "str.parse_bool" => func(parse_bool, 4),
        _ => return None,
    })
}

fn string(s: String) -> Value {
    Value::String(Arc::from(s))
}

fn map_str(a: &[&Value], f: fn(&str) -> String) -> Fallible {
    Ok(string(f(str_arg(a[0])?)))
}

/// Python `str.title`: a cased character is upper after an uncased one, lower otherwise.
fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut previous_cased = false;
    for c in s.chars() {
        if previous_cased {
            out.extend(c.to_lowercase());
        } else {
            out.extend(c.to_uppercase());
        }
        previous_cased = c.is_lowercase() || c.is_uppercase();
    }
    out
}

fn swapcase(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_uppercase() {
            out.extend(c.to_lowercase());
        } else if c.is_lowercase() {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn strip(a: &[&Value], left: bool, right: bool) -> Fallible {
    let s = str_arg(a[0])?;
    let out = match opt_str_arg(a[1])? {
        None => match (left, right) {
            (true, true) => s.trim(),
            (true, false) => s.trim_start(),
            _ => s.trim_end(),
        },
        Some(chars) => {
            let pat = |c: char| chars.contains(c);
            match (left, right) {
                (true, true) => s.trim_matches(pat),
                (true, false) => s.trim_start_matches(pat),
                _ => s.trim_end_matches(pat),
            }
        }
    };
    Ok(Value::from(out))
}

/// Byte offset of character `ci` (`s.len()` at or past the end).
fn byte_at(s: &str, ci: usize) -> usize {
    if s.is_ascii() {
        return ci.min(s.len());
    }
    s.char_indices().nth(ci).map_or(s.len(), |(b, _)| b)
}

fn char_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// Python slice bounds (negative from the end, clamped) as character positions.
fn bounds(len: usize, start: Option<i64>, end: Option<i64>) -> (usize, usize) {
    let norm = |i: i64| -> usize {
        let i = if i < 0 { i + len as i64 } else { i };
        i.clamp(0, len as i64) as usize
    };
    (start.map_or(0, norm), end.map_or(len, norm))
}

/// `s[start:end]` of `s` as a sub-slice plus its first character position, or None when a
/// search there must fail (start past the end, as Python's `find`).
fn window(s: &str, start: Option<i64>, end: Option<i64>) -> Option<(&str, usize)> {
    let len = char_len(s);
    if start.is_some_and(|st| st > len as i64) {
        return None;
    }
    let (b, e) = bounds(len, start, end);
    if b > e {
        return Some(("", b));
    }
    Some((&s[byte_at(s, b)..byte_at(s, e)], b))
}

fn count(a: &[&Value]) -> Fallible {
    let (s, sub) = (str_arg(a[0])?, str_arg(a[1])?);
    let n = match window(s, opt_int_arg(a[2])?, opt_int_arg(a[3])?) {
        None => 0,
        Some((w, _)) => w.matches(sub).count(),
    };
    Ok(Value::Int(n as i64))
}

fn find(a: &[&Value], from_right: bool) -> Fallible {
    let (s, sub) = (str_arg(a[0])?, str_arg(a[1])?);
    let found = window(s, opt_int_arg(a[2])?, opt_int_arg(a[3])?).and_then(|(w, first)| {
        let at = if from_right {
            w.rfind(sub)
        } else {
            w.find(sub)
        };
        at.map(|b| first + char_len(&w[..b]))
    });
    Ok(Value::Int(found.map_or(-1, |i| i as i64)))
}

fn replace(a: &[&Value]) -> Fallible {
    let (s, old, new) = (str_arg(a[0])?, str_arg(a[1])?, str_arg(a[2])?);
    Ok(string(match opt_int_arg(a[3])? {
        Some(n) if n >= 0 => s.replacen(old, new, n as usize),
        _ => s.replace(old, new),
    }))
}

fn slice(a: &[&Value]) -> Fallible {
    let s = str_arg(a[0])?;
    let (b, e) = bounds(char_len(s), opt_int_arg(a[1])?, opt_int_arg(a[2])?);
    Ok(Value::from(if b >= e {
        ""
    } else {
        &s[byte_at(s, b)..byte_at(s, e)]
    }))
}

fn remove_affix(a: &[&Value], prefix: bool) -> Fallible {
    let (s, affix) = (str_arg(a[0])?, str_arg(a[1])?);
    let out = if prefix {
        s.strip_prefix(affix)
    } else {
        s.strip_suffix(affix)
    };
    Ok(match out {
        Some(rest) => Value::from(rest),
        None => a[0].clone(),
    })
}

/// Parses with `parse`; `optional` turns a failure into None.
fn parsed(s: &Value, optional: &Value, parse: impl Fn(&str) -> Fallible) -> Fallible {
    let result = parse(str_arg(s)?);
    match result {
        Err(_) if flag_arg(optional)? => Ok(Value::None),
        other => other,
    }
}

/// String elements of a tuple argument; None means the defaults.
fn spellings<'a>(v: &'a Value, defaults: &'a [&'static str]) -> Result<Vec<&'a str>, String> {
    match v {
        Value::None => Ok(defaults.to_vec()),
        Value::Tuple(items) => items.iter().map(str_arg).collect(),
        other => Err(wrong_type("a tuple of str", other)),
    }
}

fn parse_bool(a: &[&Value]) -> Fallible {
    let trues = spellings(a[1], &convert::TRUE_VALUES)?;
    let falses = spellings(a[2], &convert::FALSE_VALUES)?;
    parsed(a[0], a[3], |s| {
        convert::parse_bool(s, trues.iter().copied(), falses.iter().copied()).map(Value::Bool)
    })
}

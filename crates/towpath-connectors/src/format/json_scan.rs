//! A scanner for the common JSON Lines record: a flat object whose keys and string values have
//! no escapes and whose values are scalars. It finds each field's raw text several times faster
//! than a general deserializer; anything else (nesting, escapes, malformed input) makes it give
//! up, and the caller falls back to serde_json, which also produces the error messages. It
//! checks the JSON grammar strictly, so it never accepts a line serde_json would reject.

/// Calls `field(key, raw_value)` for each member of a flat object; `None` when the line is not
/// such an object (the caller then parses it fully). Fields already reported stay reported.
pub fn scan_flat_object<'a>(line: &'a str, mut field: impl FnMut(&'a str, &'a str)) -> Option<()> {
    let b = line.as_bytes();
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_ws(b, i + 1);
    if b.get(i) == Some(&b'}') {
        return (skip_ws(b, i + 1) == b.len()).then_some(());
    }
    loop {
        let key_end = string_end(b, i)?;
        let key = &line[i + 1..key_end - 1];
        i = skip_ws(b, key_end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        i = skip_ws(b, i + 1);
        let value_end = scalar_end(b, i)?;
        field(key, &line[i..value_end]);
        i = skip_ws(b, value_end);
        match b.get(i) {
            Some(b',') => i = skip_ws(b, i + 1),
            Some(b'}') => return (skip_ws(b, i + 1) == b.len()).then_some(()),
            _ => return None,
        }
    }
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// The end (past the closing quote) of an escape-free string starting at `i`. A plain loop:
/// keys and values are short, and memchr's setup costs more than it saves on them.
fn string_end(b: &[u8], i: usize) -> Option<usize> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    for (j, &c) in b.iter().enumerate().skip(i + 1) {
        match c {
            b'"' => return Some(j + 1),
            // Escapes and control characters need the full parser.
            b'\\' | 0..=0x1f => return None,
            _ => {}
        }
    }
    None
}

/// The end of a scalar value (string, number, true, false, null) starting at `i`.
fn scalar_end(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b'"' => string_end(b, i),
        b't' => literal(b, i, b"true"),
        b'f' => literal(b, i, b"false"),
        b'n' => literal(b, i, b"null"),
        b'-' | b'0'..=b'9' => number_end(b, i),
        _ => None,
    }
}

fn literal(b: &[u8], i: usize, word: &[u8]) -> Option<usize> {
    b[i..].starts_with(word).then_some(i + word.len())
}

/// JSON number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
fn number_end(b: &[u8], mut i: usize) -> Option<usize> {
    let digits = |b: &[u8], mut i: usize| {
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        (i > start).then_some(i)
    };
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    i = match b.get(i)? {
        b'0' => i + 1,
        b'1'..=b'9' => digits(b, i)?,
        _ => return None,
    };
    if b.get(i) == Some(&b'.') {
        i = digits(b, i + 1)?;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        i = digits(b, i)?;
    }
    Some(i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scan(line: &str) -> Option<Vec<(String, String)>> {
        let mut out = Vec::new();
        scan_flat_object(line, |k, v| out.push((k.to_string(), v.to_string())))?;
        Some(out)
    }

    fn pairs(p: &[(&str, &str)]) -> Option<Vec<(String, String)>> {
        Some(
            p.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn flat_objects_are_scanned() {
        assert_eq!(
            scan(r#"{"word": "abcdefg"}"#),
            pairs(&[("word", "\"abcdefg\"")])
        );
        assert_eq!(
            scan(" { \"a\" :-1.5e+3 ,\"b\":true,\"c\":null,\"d\":0, \"e\":false } "),
            pairs(&[
                ("a", "-1.5e+3"),
                ("b", "true"),
                ("c", "null"),
                ("d", "0"),
                ("e", "false")
            ])
        );
        assert_eq!(scan("{}"), pairs(&[]));
        assert_eq!(scan(r#"{"é":"ü"}"#), pairs(&[("é", "\"ü\"")]));
    }

    #[test]
    fn everything_else_is_left_to_serde_json() {
        for line in [
            r#"{"a":"x\"y"}"#,
            r#"{"a\n":1}"#,
            "{\"a\":\"tab\there\"}",
            r#"{"a":[1]}"#,
            r#"{"a":{"b":1}}"#,
            r#"{"a":01}"#,
            r#"{"a":1.}"#,
            r#"{"a":.5}"#,
            r#"{"a":1e}"#,
            r#"{"a":-}"#,
            r#"{"a":+1}"#,
            r#"{"a":tru}"#,
            r#"{"a":1,}"#,
            r#"{"a" 1}"#,
            r#"{"a":1} x"#,
            r#"{"a":1}{"b":2}"#,
            r#"{"a":1"#,
            r#"[1,2]"#,
            r#""a""#,
            "",
            r#"{a:1}"#,
            r#"{"a":"unterminated}"#,
            r#"{"a":NaN}"#,
        ] {
            assert_eq!(scan(line), None, "{line}");
        }
    }

    #[test]
    fn raw_values_are_kept_for_the_typed_parse() {
        // Out-of-range numbers are not judged here (serde_json's raw values do not judge them
        // either); duplicate keys are all reported, the caller keeps the last.
        for line in [
            r#"{"x":1e400}"#,
            r#"{"x":-0}"#,
            r#"{"x":123456789012345678901234567890}"#,
        ] {
            assert!(scan(line).is_some(), "{line}");
        }
        assert_eq!(
            scan(r#"{"k":"v","k":"w"}"#),
            pairs(&[("k", "\"v\""), ("k", "\"w\"")])
        );
    }
}

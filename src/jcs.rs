//! RFC 8785 JSON Canonicalization Scheme (JCS), the canonical form behind `eddsa-jcs-2022`.
//!
//! Object members are sorted by their UTF-16 code units, strings use the minimal escaping of
//! ECMAScript's `JSON.stringify`, and numbers are written as ECMAScript's `Number.toString`
//! writes the IEEE 754 double they denote (via `ryu-js`).

use serde_json::{Map, Number, Value};
use std::fmt::Write;

/// Largest integer that an IEEE 754 double holds exactly (2^53).
const MAX_SAFE_INTEGER: u64 = 1 << 53;

/// Why a value has no JCS form.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum JcsError {
    /// The number does not survive the round trip through a double, so two different
    /// documents would share one canonical form (and one signature).
    #[error("number {0} cannot be signed exactly: integers must lie within ±2^53")]
    UnsafeInteger(String),
}

/// The JCS form of `value`.
pub fn canonicalize(value: &Value) -> Result<String, JcsError> {
    let mut out = String::new();
    write_value(&mut out, value)?;
    Ok(out)
}

fn write_value(out: &mut String, value: &Value) -> Result<(), JcsError> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => write_number(out, n)?,
        Value::String(s) => write_string(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item)?;
            }
            out.push(']');
        }
        Value::Object(map) => write_object(out, map)?,
    }
    Ok(())
}

fn write_object(out: &mut String, map: &Map<String, Value>) -> Result<(), JcsError> {
    let mut members: Vec<(&String, &Value)> = map.iter().collect();
    members.sort_by(|(a, _), (b, _)| a.encode_utf16().cmp(b.encode_utf16()));
    out.push('{');
    for (i, (key, value)) in members.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_string(out, key);
        out.push(':');
        write_value(out, value)?;
    }
    out.push('}');
    Ok(())
}

fn write_number(out: &mut String, n: &Number) -> Result<(), JcsError> {
    if let Some(u) = n.as_u64() {
        if u > MAX_SAFE_INTEGER {
            return Err(JcsError::UnsafeInteger(n.to_string()));
        }
        write!(out, "{u}").expect("writing to a String cannot fail");
    } else if let Some(i) = n.as_i64() {
        if i.unsigned_abs() > MAX_SAFE_INTEGER {
            return Err(JcsError::UnsafeInteger(n.to_string()));
        }
        write!(out, "{i}").expect("writing to a String cannot fail");
    } else {
        // serde_json only yields finite doubles here; JSON has no NaN or infinity.
        let f = n.as_f64().expect("a JSON number is an integer or a double");
        let mut buf = ryu_js::Buffer::new();
        out.push_str(buf.format_finite(f));
    }
    Ok(())
}

fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => {
                write!(out, "\\u{:04x}", c as u32).expect("writing to a String cannot fail")
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn jcs(text: &str) -> String {
        canonicalize(&serde_json::from_str(text).unwrap()).unwrap()
    }

    #[test]
    fn sorts_members_by_utf16_code_units() {
        // RFC 8785 §3.2.3: U+1F600 (surrogates D83D DE00) sorts before U+FB33 in UTF-16 order,
        // although it comes after it in code-point order.
        let out = jcs(r#"{"\ufb33":1,"\ud83d\ude00":2,"a":3,"\r":4}"#);
        assert_eq!(out, "{\"\\r\":4,\"a\":3,\"\u{1f600}\":2,\"\u{fb33}\":1}");
    }

    #[test]
    fn numbers_as_ecmascript_writes_them() {
        // Values from RFC 8785 appendix B.
        let cases = [
            ("0.0", "0"),
            ("-0.0", "0"),
            ("1e21", "1e+21"),
            ("1e20", "100000000000000000000"),
            ("333333333.3333332", "333333333.3333332"),
            ("1e-7", "1e-7"),
            ("0.000001", "0.000001"),
            ("4.50", "4.5"),
            ("9007199254740992", "9007199254740992"),
            ("-5", "-5"),
        ];
        for (input, want) in cases {
            assert_eq!(jcs(input), want, "input {input}");
        }
    }

    #[test]
    fn refuses_integers_a_double_cannot_hold() {
        let err = canonicalize(&json!(9007199254740993u64)).unwrap_err();
        assert_eq!(err, JcsError::UnsafeInteger("9007199254740993".into()));
        assert!(canonicalize(&json!(-9007199254740993i64)).is_err());
    }

    #[test]
    fn escapes_strings_minimally() {
        let out = jcs(r#""\u0000\u001f\b\t\n\f\r\"\\/\u00e9\u2028""#);
        assert_eq!(
            out,
            "\"\\u0000\\u001f\\b\\t\\n\\f\\r\\\"\\\\/\u{e9}\u{2028}\""
        );
    }

    #[test]
    fn rfc8785_example_object() {
        let input = r#"{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],
            "string":"\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/","literals":[null,true,false]}"#;
        let want = r#"{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}"#;
        assert_eq!(jcs(input), want);
    }
}

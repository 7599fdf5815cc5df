//! JSON numbers as jsonld.js turns them into RDF literals, and which of them strict mode refuses.
//!
//! jsonld.js reads a document with `JSON.parse`, so every number becomes the nearest JavaScript
//! double `d`. Its toRdf step writes `d` in one of two forms:
//!
//! - `d.toExponential(15)` with trailing zeros cut (`7.5E0`, `1.0E21`; [`to_exponential_15`]),
//!   as xsd:double (or the value's own datatype), when `d` is "a double" ([`is_js_double`]:
//!   `String(d)` holds a `.`, or |d| ≥ 10^21) or the value is typed xsd:double;
//! - otherwise `d.toFixed(0)`, the exact integer, as xsd:integer (or the value's datatype).
//!
//! Inside a JSON literal (`@json`) it writes each number as `String(d)`, the shortest decimal
//! that reads back as `d`.
//!
//! Strict mode refuses a number only when the value signed differs from the value the
//! document states ([`changed_by_javascript`]). What a document states is what serde_json holds:
//! an integer (kept exactly up to 64 bits), or else the double nearest to the text, which
//! skillpass writes back as its shortest decimal, the digits JavaScript's `String(d)` prints.
//! (Digits beyond what a double holds, as in `1.00000000000000001`, are thus rounded when the
//! document is read, before anything is signed; the document then says `1`.)

use serde_json::{Number, Value};

/// Where a number ends up, which decides how jsonld.js writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumberUse {
    /// The value of an RDF literal not typed xsd:double: `toFixed(0)` unless it is a double.
    Literal,
    /// The value of an RDF literal typed xsd:double: always the `toExponential(15)` form.
    DoubleLiteral,
    /// A number inside a JSON literal (`@json`): `String(d)`.
    Json,
}

/// Why strict mode refuses `n` in the place `use_`, if a JavaScript verifier would sign another
/// value than the document states:
///
/// - an integer a double cannot hold (9007199254740993): JavaScript reads a neighbour
///   (9007199254740992) and jsonld.js signs that one;
/// - a number jsonld.js writes with `toFixed(0)` although the document states another value:
///   a tiny non-integer written without a `.` (`1e-7` becomes the integer `0`), or an integral
///   double whose shortest decimal is not its exact value (2^60, read from a text with a `.` or
///   an exponent, is written back as 1152921504606847000 but signed as 1152921504606846976);
/// - in a JSON literal, an integer that JavaScript prints with other digits (2^60 written as
///   1152921504606846976 becomes 1152921504606847000).
///
/// Everything else is accepted, in particular an exactly representable integer such as `1e20`
/// or 9007199254740994 (signed as the same xsd:integer), numbers from 10^21 up (an xsd:double of
/// the same value, as JSON-LD prescribes) and other doubles (the same double's xsd:double form
/// on both sides).
pub fn changed_by_javascript(n: &Number, use_: NumberUse) -> Option<String> {
    let Some(d) = n.as_f64().filter(|d| d.is_finite()) else {
        return Some("not a finite number".into());
    };
    let integer = n
        .as_u64()
        .map(i128::from)
        .or_else(|| n.as_i64().map(i128::from));
    let mut buffer = ryu_js::Buffer::new();
    let printed = buffer.format_finite(d);
    match (use_, integer) {
        (NumberUse::Json, Some(m)) => (printed != m.to_string()).then(|| {
            format!("JavaScript writes this integer as {printed} in a JSON literal; encode it as a string")
        }),
        (NumberUse::Json, None) => None,
        (_, Some(m)) => {
            // Integral and below 2^64 < 10^21: both forms are exact when the double is.
            #[allow(clippy::cast_possible_truncation)]
            let read = d as i128;
            (read != m).then(|| {
                format!("integer that a JavaScript double cannot hold: verifiers would read {printed}; encode it as a string")
            })
        }
        (NumberUse::DoubleLiteral, None) => None,
        (NumberUse::Literal, None) if is_js_double(d) => None,
        (NumberUse::Literal, None) if d.fract() != 0.0 => Some(
            "tiny number that jsonld.js writes as the integer 0; encode it as a string".into(),
        ),
        (NumberUse::Literal, None) => {
            // Integral and below 10^21: toFixed(0) is the exact value.
            #[allow(clippy::cast_possible_truncation)]
            let exact = (d as i128).to_string();
            (printed != exact).then(|| {
                format!("this number reads as {printed} but JavaScript holds and signs the integer {exact}; encode it as a string")
            })
        }
    }
}

/// The first number in a JSON literal's value that [`changed_by_javascript`] refuses, with why.
pub fn changed_in_json(value: &Value) -> Option<(&Number, String)> {
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Number(n) => {
                if let Some(reason) = changed_by_javascript(n, NumberUse::Json) {
                    return Some((n, reason));
                }
            }
            Value::Array(items) => stack.extend(items.iter().rev()),
            Value::Object(map) => stack.extend(map.values().rev()),
            _ => {}
        }
    }
    None
}

/// jsonld.js's `isDouble`: `String(d)` contains a `.`, or |d| ≥ 10^21. Integral doubles below
/// 10^21 are not, and neither are non-integers below 10^-6 printed with a one-digit mantissa
/// (`1e-7`).
pub fn is_js_double(d: f64) -> bool {
    let a = d.abs();
    if a >= 1e21 {
        return true;
    }
    if d.fract() == 0.0 {
        return false;
    }
    a >= 1e-6 || ryu_js::Buffer::new().format_finite(d).contains('.')
}

/// `Number.prototype.toExponential(15)` of |d| with trailing zeros removed: the significant
/// digits (1 to 16, no trailing zero) and the decimal exponent of the first one.
///
/// ECMAScript rounds the exact binary value to 16 digits with ties going up; Rust's own
/// formatting rounds ties to even, so we round the exact expansion ourselves.
pub fn to_exponential_15(d: f64) -> (String, i32) {
    // 800 fractional digits are more than any double's exact expansion (at most 767).
    let exact = format!("{:.800e}", d.abs());
    let (mantissa, exp) = exact.split_once('e').unwrap_or((&exact, "0"));
    let mut exponent: i32 = exp.parse().unwrap_or(0);
    let all: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    let mut digits: Vec<u8> = all[..16].to_vec();
    if all[16] >= b'5' {
        let mut i = digits.len();
        loop {
            if i == 0 {
                digits.insert(0, b'1');
                digits.pop();
                exponent += 1;
                break;
            }
            i -= 1;
            if digits[i] == b'9' {
                digits[i] = b'0';
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    while digits.len() > 1 && digits.last() == Some(&b'0') {
        digits.pop();
    }
    (String::from_utf8(digits).unwrap_or_default(), exponent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(json: &str, use_: NumberUse) -> Option<String> {
        let n: Number = serde_json::from_str(json).unwrap();
        changed_by_javascript(&n, use_)
    }

    #[test]
    fn exponential_matches_v8() {
        // Expected values printed by Node 20: x.toExponential(15).replace(/(\d)0*e\+?/, '$1E').
        for (input, v8) in [
            ("7.5", "7.5E0"),
            ("12.25", "1.225E1"),
            ("0.1", "1.0E-1"),
            ("7e-5", "6.999999999999999E-5"),
            ("0.50000762939453125", "5.000076293945313E-1"), // tie: rounds up, not to even
            ("0.30000000000000004", "3.0E-1"),
            ("123.456", "1.23456E2"),
            ("1.5e-7", "1.5E-7"),
            ("1e21", "1.0E21"),
            ("-2.5", "-2.5E0"),
            ("9.9999999999999999e22", "9.999999999999999E22"),
        ] {
            let d: f64 = input.parse().unwrap();
            let (digits, exp) = to_exponential_15(d);
            let sign = if d < 0.0 { "-" } else { "" };
            let rest = if digits.len() == 1 { "0" } else { &digits[1..] };
            assert_eq!(
                format!("{sign}{}.{rest}E{exp}", &digits[..1]),
                v8,
                "{input}"
            );
        }
    }

    #[test]
    fn exact_integers_are_accepted_everywhere() {
        for input in [
            "0",
            "-0",
            "6",
            "-42",
            "9007199254740992",
            "-9007199254740992",
            // Beyond 2^53 but held exactly by a double, and printed so by JavaScript.
            "9007199254740994",
            "-9007199254740994",
            "1e20",
            "100000000000000000000",
            "-1e20",
            "1.5e20",
            "123456789e11",
            // Integral doubles written with a fraction or an exponent.
            "6.0",
            "1e3",
            "9007199254740994.0",
        ] {
            for use_ in [
                NumberUse::Literal,
                NumberUse::DoubleLiteral,
                NumberUse::Json,
            ] {
                assert_eq!(refusal(input, use_), None, "{input} as {use_:?}");
            }
        }
    }

    #[test]
    fn doubles_are_accepted() {
        for input in [
            "7.5",
            "0.1",
            "0.30000000000000004",
            "-3.14159",
            "1.5e-7",
            "1e21",
            "1e+21",
            "-1e21",
            "123456789012345678901234567890",
            "1.7976931348623157e308",
            "1234567890123456.7",
        ] {
            for use_ in [
                NumberUse::Literal,
                NumberUse::DoubleLiteral,
                NumberUse::Json,
            ] {
                assert_eq!(refusal(input, use_), None, "{input} as {use_:?}");
            }
        }
    }

    #[test]
    fn refuses_what_javascript_changes() {
        // Integers a double cannot hold: JavaScript reads a neighbour.
        for input in [
            "9007199254740993",
            "-9007199254740993",
            "18446744073709551615",
        ] {
            for use_ in [NumberUse::Literal, NumberUse::DoubleLiteral] {
                let reason = refusal(input, use_).unwrap();
                assert!(reason.contains("cannot hold"), "{input}: {reason}");
            }
        }
        let reason = refusal("9007199254740993", NumberUse::Literal).unwrap();
        assert!(reason.contains("9007199254740992"), "{reason}");
        // Tiny numbers that toFixed(0) turns into 0; typed xsd:double or in JSON they stay.
        for input in ["1e-7", "-5e-10", "5e-324"] {
            let reason = refusal(input, NumberUse::Literal).unwrap();
            assert!(reason.contains("integer 0"), "{input}: {reason}");
            assert_eq!(refusal(input, NumberUse::DoubleLiteral), None, "{input}");
            assert_eq!(refusal(input, NumberUse::Json), None, "{input}");
        }
        // 2^60 read as a double: written back as 1152921504606847000, signed as …976.
        for input in [
            "1152921504606846976.0",
            "1.152921504606846976e18",
            "18446744073709551616",
        ] {
            let reason = refusal(input, NumberUse::Literal).unwrap();
            assert!(reason.contains("signs the integer"), "{input}: {reason}");
            assert_eq!(refusal(input, NumberUse::DoubleLiteral), None, "{input}");
        }
        // The same integer held exactly is signed exactly, but a JSON literal prints it
        // with other digits.
        assert_eq!(refusal("1152921504606846976", NumberUse::Literal), None);
        let reason = refusal("1152921504606846976", NumberUse::Json).unwrap();
        assert!(reason.contains("1152921504606847000"), "{reason}");
        // In a JSON literal what matters is the printed text: 1152921504606847000 reads as
        // 2^60 and prints as itself, 9007199254740993 does not.
        assert_eq!(refusal("1152921504606847000", NumberUse::Json), None);
        assert!(refusal("1152921504606847000", NumberUse::Literal).is_some());
        assert!(refusal("9007199254740993", NumberUse::Json).is_some());
    }

    #[test]
    fn json_literals_are_searched_in_depth() {
        let ok: Value =
            serde_json::from_str(r#"{"a": [1, 0.1, 1e20, {"b": 9007199254740994}]}"#).unwrap();
        assert!(changed_in_json(&ok).is_none());
        let bad: Value =
            serde_json::from_str(r#"{"a": [1, {"b": [2, 9007199254740993]}], "c": 3}"#).unwrap();
        let (n, reason) = changed_in_json(&bad).unwrap();
        assert_eq!(n.to_string(), "9007199254740993");
        assert!(reason.contains("9007199254740992"), "{reason}");
    }

    #[test]
    fn javascript_doubles() {
        for d in [7.5, 0.1, 1.5e-7, 1e21, -1e21, 1e300] {
            assert!(is_js_double(d), "{d}");
        }
        for d in [0.0, -0.0, 5.0, 1e20, 1e-7, -1e-7, 5e-324] {
            assert!(!is_js_double(d), "{d}");
        }
    }
}

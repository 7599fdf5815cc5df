//! JSON numbers as jsonld.js turns them into RDF literals.
//!
//! For our engine only two facts matter ([`changed_by_javascript`]): which numbers JavaScript
//! reads as a different value, and `toExponential(15)` ([`to_exponential_15`]). The rest serves
//! the reference path ([`super::reference`]).
//!
//! jsonld.js reads a document with `JSON.parse`, so every number becomes a JavaScript double, and
//! its toRdf step writes that double either as `toFixed(0)` (xsd:integer) or as
//! `toExponential(15)` with trailing zeros cut (xsd:double form, also used for any other datatype
//! whenever the double is "not integral"). oxjsonld instead works on the decimal digits of the
//! JSON text. Feeding oxjsonld a number text whose digits are exactly jsonld.js's result makes
//! both agree; where no such text exists we refuse rather than sign something a JavaScript
//! verifier would canonicalize differently.

/// 2^53: the largest integer below which every integer is exact in a double.
const MAX_EXACT_INTEGER: u64 = 1 << 53;

/// Text to give oxjsonld instead of the number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JsNumberText {
    /// JSON number text whose decimal digits are jsonld.js's canonical lexical form.
    pub text: String,
    /// The text does not parse back to the same double (17 significant digits). Only matters
    /// for `@json` literals, where jsonld.js keeps the double itself.
    pub lossy: bool,
}

/// Why a number cannot be canonicalized the way jsonld.js does it.
pub(crate) type Refusal = &'static str;

/// Why strict mode refuses `n`, if jsonld.js would sign another value than the JSON text says:
/// an integer beyond 2^53 (rounded by `JSON.parse`), or a non-integer below 1e-6 that
/// JavaScript prints without a `.` (`1e-7`), which jsonld.js then writes as the integer `0`.
/// Every other number is signed as the same double on both sides, so it is accepted.
pub(crate) fn changed_by_javascript(n: &serde_json::Number) -> Option<Refusal> {
    let magnitude = n.as_u64().or_else(|| n.as_i64().map(i64::unsigned_abs));
    if magnitude.is_some_and(|m| m > MAX_EXACT_INTEGER) {
        return Some(INTEGER_TOO_LARGE);
    }
    let d = n.as_f64()?;
    if !d.is_finite() {
        return Some("not a finite number");
    }
    if d.fract() == 0.0 {
        return (d.abs() > MAX_EXACT_INTEGER as f64 && d.abs() < 1e21).then_some(INTEGER_TOO_LARGE);
    }
    let tiny = d.abs() < 1e-6 && !ryu_js::Buffer::new().format_finite(d).contains('.');
    tiny.then_some("tiny number that jsonld.js writes as the integer 0; encode it as a string")
}

/// The number text to feed oxjsonld so its literal equals jsonld.js's.
pub(crate) fn js_number_text(n: &serde_json::Number) -> Result<JsNumberText, Refusal> {
    let exact = |text: String| JsNumberText { text, lossy: false };
    if let Some(u) = n.as_u64() {
        return if u > MAX_EXACT_INTEGER {
            Err(INTEGER_TOO_LARGE)
        } else {
            Ok(exact(u.to_string()))
        };
    }
    if let Some(i) = n.as_i64() {
        return if i.unsigned_abs() > MAX_EXACT_INTEGER {
            Err(INTEGER_TOO_LARGE)
        } else {
            Ok(exact(i.to_string()))
        };
    }
    let d = n.as_f64().ok_or("not representable as a double")?;
    double_text(d)
}

const INTEGER_TOO_LARGE: Refusal =
    "integer beyond 2^53: JavaScript verifiers would round it; encode it as a string";

fn double_text(d: f64) -> Result<JsNumberText, Refusal> {
    if !d.is_finite() {
        return Err("not a finite number");
    }
    if d == 0.0 {
        // -0 prints as "0" in both forms jsonld.js uses.
        return Ok(JsNumberText {
            text: "0".into(),
            lossy: false,
        });
    }
    // jsonld.js's `isDouble`: String(x) contains '.' or |x| >= 1e21.
    let mut buffer = ryu_js::Buffer::new();
    let js_string = buffer.format_finite(d);
    let is_double = d.abs() >= 1e21 || js_string.contains('.');
    if !is_double {
        if d.fract() != 0.0 {
            // 1e-7 prints as "1e-7": jsonld.js then writes toFixed(0) = "0"^^xsd:integer.
            return Err("tiny number that jsonld.js writes as \"0\"; encode it as a string");
        }
        if d.abs() > MAX_EXACT_INTEGER as f64 {
            return Err(INTEGER_TOO_LARGE);
        }
        // Integral and exact: the digits are the same in both processors.
        #[allow(clippy::cast_possible_truncation)]
        return Ok(JsNumberText {
            text: (d as i64).to_string(),
            lossy: false,
        });
    }
    let (digits, exponent) = to_exponential_15(d);
    // oxjsonld decides "integer" from the digits: integral and below 1e21.
    let integral = exponent >= 0 && exponent as usize >= digits.len() - 1;
    if integral && exponent < 21 {
        return Err("non-integer with 16 or more integer digits: jsonld.js rounds it to an integer-looking double; encode it as a string");
    }
    let sign = if d < 0.0 { "-" } else { "" };
    let text = if digits.len() == 1 {
        format!("{sign}{digits}e{exponent}")
    } else {
        format!("{sign}{}.{}e{exponent}", &digits[..1], &digits[1..])
    };
    let lossy = text.parse::<f64>() != Ok(d);
    Ok(JsNumberText { text, lossy })
}

/// `Number.prototype.toExponential(15)` of |d| with trailing zeros removed: the significant
/// digits (1 to 16, no trailing zero) and the decimal exponent of the first one.
///
/// ECMAScript rounds the exact binary value to 16 digits with ties going up; Rust's own
/// formatting rounds ties to even, so we round the exact expansion ourselves.
pub(crate) fn to_exponential_15(d: f64) -> (String, i32) {
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

    fn text(json: &str) -> Result<String, Refusal> {
        let n: serde_json::Number = serde_json::from_str(json).unwrap();
        js_number_text(&n).map(|t| t.text)
    }

    /// What oxjsonld makes of our text (its algorithm restated: digits → xsd:double form).
    fn double_form(text: &str) -> String {
        let (neg, t) = match text.strip_prefix('-') {
            Some(t) => ("-", t),
            None => ("", text),
        };
        let (m, e) = t.split_once('e').unwrap_or((t, "0"));
        let digits: String = m.chars().filter(char::is_ascii_digit).collect();
        let int_len = m.split('.').next().unwrap().len() as i32;
        let e: i32 = e.parse::<i32>().unwrap() + int_len - 1;
        let rest = if digits.len() == 1 { "0" } else { &digits[1..] };
        format!("{neg}{}.{rest}E{e}", &digits[..1])
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
    fn integers_pass_through_up_to_2_pow_53() {
        assert_eq!(text("6").unwrap(), "6");
        assert_eq!(text("-42").unwrap(), "-42");
        assert_eq!(text("9007199254740992").unwrap(), "9007199254740992");
        assert_eq!(text("-9007199254740992").unwrap(), "-9007199254740992");
        // Integral doubles written with a fraction or exponent are integers in JavaScript.
        assert_eq!(text("6.0").unwrap(), "6");
        assert_eq!(text("1e3").unwrap(), "1000");
        assert_eq!(text("-0").unwrap(), "0");
        assert_eq!(text("-0.0").unwrap(), "0");
    }

    #[test]
    fn refuses_what_javascript_changes() {
        for input in [
            "9007199254740993",
            "-9007199254740993",
            "18446744073709551615",
            "1e20",
            "9007199254740994.0",
        ] {
            let err = text(input).unwrap_err();
            assert!(err.contains("2^53"), "{input}: {err}");
        }
        for input in ["1e-7", "-5e-10"] {
            assert!(text(input).unwrap_err().contains("\"0\""), "{input}");
        }
        for input in ["1234567890123456.7", "4503599627370495.5"] {
            assert!(text(input).unwrap_err().contains("16 or more"), "{input}");
        }
    }

    #[test]
    fn fractions_get_javascripts_digits() {
        for (input, expect) in [
            ("7.5", "7.5E0"),
            ("12.25", "1.225E1"),
            ("0.1", "1.0E-1"),
            ("0.5", "5.0E-1"),
            ("7e-5", "6.999999999999999E-5"),
            ("-0.001", "-1.0E-3"),
            ("1e21", "1.0E21"),
            ("123456789012345.6", "1.234567890123456E14"),
        ] {
            let t = text(input).unwrap();
            assert_eq!(double_form(&t), expect, "{input} -> {t}");
        }
        let n: serde_json::Number = serde_json::from_str("0.30000000000000004").unwrap();
        let t = js_number_text(&n).unwrap();
        assert!(t.lossy, "17 significant digits cannot round-trip at 16");
        let n: serde_json::Number = serde_json::from_str("7e-5").unwrap();
        assert!(!js_number_text(&n).unwrap().lossy);
    }
}

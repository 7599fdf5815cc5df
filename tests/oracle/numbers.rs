//! The number text the oracle feeds oxjsonld so that its literal equals jsonld.js's.
//!
//! jsonld.js reads every number as a JavaScript double and writes it either as `toFixed(0)`
//! (xsd:integer) or as `toExponential(15)` with trailing zeros cut (xsd:double form, also used for
//! any other datatype whenever the double is "not integral"). oxjsonld instead works on the
//! decimal digits of the JSON text. Feeding oxjsonld a number text whose digits are exactly
//! jsonld.js's result makes both agree; where no such text exists the oracle refuses.
//!
//! This is deliberately its own formulation (from the digits jsonld.js writes), not the
//! engine's rule ([`skillpass::canon::numbers`]); only `toExponential(15)` is shared.

use skillpass::canon::numbers::to_exponential_15;

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

const NOT_A_DOUBLE: Refusal =
    "integer that a JavaScript double cannot hold: verifiers would round it; encode it as a string";

/// oxjsonld writes an integer text beyond 64 signed bits in the xsd:double form (`1.0E20`),
/// where jsonld.js writes the integer: the oracle cannot reproduce those.
const BEYOND_OXJSONLD: Refusal =
    "integer beyond 2^63, which oxjsonld writes as a double and jsonld.js as an integer";

/// The number text to feed oxjsonld so its literal equals jsonld.js's.
pub(crate) fn js_number_text(n: &serde_json::Number) -> Result<JsNumberText, Refusal> {
    let integer = n
        .as_u64()
        .map(i128::from)
        .or_else(|| n.as_i64().map(i128::from));
    if let Some(i) = integer {
        // An integer below 2^64 < 1e21 is written with toFixed(0), and in a JSON literal as
        // String(d): both are its own digits when the double JavaScript reads is the same
        // integer and prints as it (the oracle refuses 2^60, which prints as …847000).
        #[allow(clippy::cast_precision_loss)]
        let read = i as f64;
        let digits = i.to_string();
        #[allow(clippy::cast_possible_truncation)]
        let same = read as i128 == i && ryu_js::Buffer::new().format_finite(read) == digits;
        return if !same {
            Err(NOT_A_DOUBLE)
        } else if i64::try_from(i).is_err() {
            Err(BEYOND_OXJSONLD)
        } else {
            Ok(JsNumberText {
                text: digits,
                lossy: false,
            })
        };
    }
    let d = n.as_f64().ok_or("not representable as a double")?;
    double_text(d)
}

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
        // Integral below 1e21: toFixed(0) writes the exact value. The document as skillpass
        // holds and writes it says String(d); refuse where those two differ (2^60 read from
        // 1.152921504606846976e18 is written back as 1152921504606847000).
        #[allow(clippy::cast_possible_truncation)]
        let exact = (d as i128).to_string();
        if exact != js_string {
            return Err(NOT_A_DOUBLE);
        }
        if d.abs() >= 9_223_372_036_854_775_808.0 {
            return Err(BEYOND_OXJSONLD);
        }
        return Ok(JsNumberText {
            text: exact,
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
    fn integers_pass_through_when_a_double_holds_them() {
        assert_eq!(text("6").unwrap(), "6");
        assert_eq!(text("-42").unwrap(), "-42");
        assert_eq!(text("9007199254740992").unwrap(), "9007199254740992");
        assert_eq!(text("-9007199254740992").unwrap(), "-9007199254740992");
        assert_eq!(text("9007199254740994").unwrap(), "9007199254740994");
        assert_eq!(text("1e18").unwrap(), "1000000000000000000");
        assert!(text("1e20").unwrap_err().contains("oxjsonld"));
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
            "1.152921504606846976e18",
        ] {
            let err = text(input).unwrap_err();
            assert!(err.contains("cannot hold"), "{input}: {err}");
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

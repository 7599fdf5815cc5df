//! Deserialize JSON-LD to RDF (JSON-LD 1.1 API §8.1–§8.3), exactly as jsonld.js 9 does it for
//! eddsa-rdfc-2022 (`rdfDirection: 'i18n-datatype'`, no generalized RDF).
//!
//! Quads come out in jsonld.js's order (graphs, nodes and properties sorted by UTF-16 code
//! units), and list nodes get the blank-node labels jsonld.js issues, which makes a mismatch
//! easy to locate. Numbers are JavaScript doubles, written as jsonld.js writes them.

use super::iri::{is_absolute_iri, is_js_space, is_keyword};
use super::node_map::{self, Id, Issuer, Item, NodeMap, ValueObject, DEFAULT_GRAPH};
use super::{JsonLdError, Options, RdfDirection, Refusal};
use crate::canon::numbers::{self, NumberUse};
use crate::rdf::{vocab, Literal, Quad, Term};
use serde_json::{Number, Value};

pub(super) fn to_rdf(expanded: &Value, options: &Options) -> Result<Vec<Quad>, JsonLdError> {
    let map = NodeMap::build(expanded)?;
    let NodeMap {
        mut graphs,
        mut issuer,
        value_count,
        ..
    } = map;
    let mut out = Writer {
        quads: Vec::with_capacity(value_count),
        issuer: &mut issuer,
        strict: options.strict,
        i18n_direction: options.rdf_direction == Some(RdfDirection::I18nDatatype),
    };
    graphs.sort_unstable_by(|a, b| a.name.js_cmp(&b.name));
    for graph in &mut graphs {
        let graph_term = match graph.name {
            DEFAULT_GRAPH => None,
            Id::Str(name) if !is_absolute_iri(name) => {
                out.refuse(name, "relative graph reference")?;
                continue;
            }
            name => Some(id_term(name)),
        };
        graph.nodes.sort_unstable_by(|a, b| a.id.js_cmp(&b.id));
        for node in &mut graph.nodes {
            node.properties
                .sort_unstable_by(|a, b| a.name.js_cmp(&b.name));
            let subject_ok = match node.id {
                Id::Str(s) => is_absolute_iri(s),
                Id::Blank(_) => true,
            };
            // The subject and predicate terms are moved into their last quad, not cloned.
            let last_prop = node.properties.iter().rposition(|p| {
                !p.values().is_empty()
                    && !matches!(p.name, Id::Str(s) if s != "@type" && is_keyword(s))
            });
            let mut subject = None;
            for (i, prop) in node.properties.iter().enumerate() {
                if prop.values().is_empty() {
                    continue;
                }
                let predicate = match prop.name {
                    Id::Str("@type") => vocab::RDF_TYPE,
                    Id::Str(s) if is_keyword(s) => continue,
                    _ if !subject_ok => {
                        out.refuse(&id_text(node.id), "relative subject reference")?;
                        continue;
                    }
                    Id::Str(s) if !is_absolute_iri(s) => {
                        out.refuse(s, "relative predicate reference")?;
                        continue;
                    }
                    Id::Str(s) if s.starts_with("_:") => {
                        out.refuse(s, "blank node predicate")?;
                        continue;
                    }
                    Id::Str(s) => s,
                    Id::Blank(b) => {
                        let label = out
                            .issuer
                            .original(b)
                            .map_or_else(|| id_text(prop.name), str::to_owned);
                        out.refuse(&label, "blank node predicate")?;
                        continue;
                    }
                };
                let values = prop.values();
                let mut predicate_term = None;
                for (j, item) in values.iter().enumerate() {
                    if let Some(object) = out.object(item, &graph_term)? {
                        let last = j + 1 == values.len();
                        out.quads.push(Quad {
                            subject: take_or_clone(
                                &mut subject,
                                last && Some(i) == last_prop,
                                || id_term(node.id),
                            ),
                            predicate: take_or_clone(&mut predicate_term, last, || {
                                Term::Iri(predicate.to_owned())
                            }),
                            object,
                            graph: graph_term.clone(),
                        });
                    }
                }
            }
        }
    }
    Ok(out.quads)
}

/// The term in `slot` (made on first use): moved out when `last`, else cloned.
fn take_or_clone(slot: &mut Option<Term>, last: bool, make: impl FnOnce() -> Term) -> Term {
    let term = slot.take().unwrap_or_else(make);
    if !last {
        *slot = Some(term.clone());
    }
    term
}

struct Writer<'w, 'a> {
    quads: Vec<Quad>,
    issuer: &'w mut Issuer<'a>,
    strict: bool,
    /// `rdfDirection: i18n-datatype`; without it `@direction` is dropped, as the spec says.
    i18n_direction: bool,
}

impl Writer<'_, '_> {
    /// A quad jsonld.js drops (its safe mode raises `event`): an error in strict mode.
    fn refuse(&self, iri: &str, event: &str) -> Result<(), JsonLdError> {
        if !self.strict {
            return Ok(());
        }
        Err(JsonLdError::Strict {
            refusal: Refusal::InvalidIri {
                iri: iri.to_owned(),
                reason: format!("{event}: the statement would be dropped from the signed data"),
            },
            path: None,
        })
    }

    fn fresh_blank(&mut self) -> Term {
        Term::Blank(blank_label(self.issuer.fresh_number()))
    }

    /// Object to RDF (§8.2); `None` when jsonld.js drops the object (a relative IRI). Recursion
    /// through nested lists is bounded by the node map's depth limit.
    fn object(
        &mut self,
        item: &Item<'_>,
        graph: &Option<Term>,
    ) -> Result<Option<Term>, JsonLdError> {
        match item {
            Item::Ref(Id::Str(s)) if !is_absolute_iri(s) => {
                self.refuse(s, "relative object reference")?;
                Ok(None)
            }
            Item::Ref(id) => Ok(Some(id_term(*id))),
            Item::Value(value) => Ok(Some(Term::Literal(literal(
                value,
                self.strict,
                self.i18n_direction,
            )?))),
            Item::List(items) => self.list(items, graph).map(Some),
        }
    }

    /// List to RDF (§8.3): an `rdf:first`/`rdf:rest` chain, labelled in jsonld.js's order (the
    /// head first, then each next node after the item before it).
    fn list(&mut self, items: &[Item<'_>], graph: &Option<Term>) -> Result<Term, JsonLdError> {
        let Some((last, init)) = items.split_last() else {
            return Ok(Term::Iri(vocab::RDF_NIL.to_owned()));
        };
        let head = self.fresh_blank();
        let mut subject = head.clone();
        for item in init {
            let object = self.object(item, graph)?;
            let next = self.fresh_blank();
            self.push_link(subject, object, next.clone(), graph);
            subject = next;
        }
        let object = self.object(last, graph)?;
        self.push_link(subject, object, Term::Iri(vocab::RDF_NIL.to_owned()), graph);
        Ok(head)
    }

    /// `subject rdf:first object` (unless the object was dropped) and `subject rdf:rest rest`.
    fn push_link(&mut self, subject: Term, object: Option<Term>, rest: Term, graph: &Option<Term>) {
        if let Some(object) = object {
            self.quads.push(Quad {
                subject: subject.clone(),
                predicate: Term::Iri(vocab::RDF_FIRST.to_owned()),
                object,
                graph: graph.clone(),
            });
        }
        self.quads.push(Quad {
            subject,
            predicate: Term::Iri(vocab::RDF_REST.to_owned()),
            object: rest,
            graph: graph.clone(),
        });
    }
}

/// `b{n}`: the label of `_:b{n}` without its prefix.
fn blank_label(n: u64) -> String {
    let mut buf = [0; 24];
    node_map::blank_text(n, &mut buf)[2..].to_owned()
}

fn id_text(id: Id<'_>) -> String {
    match id {
        Id::Str(s) => s.to_owned(),
        Id::Blank(n) => format!("_:b{n}"),
    }
}

/// jsonld.js's `_makeTerm`: `_:` starts a blank node, anything else is an IRI.
fn id_term(id: Id<'_>) -> Term {
    match id {
        Id::Blank(n) => Term::Blank(blank_label(n)),
        Id::Str(s) => match s.strip_prefix("_:") {
            Some(label) => Term::Blank(label.to_owned()),
            None => Term::Iri(s.to_owned()),
        },
    }
}

fn invalid_value(message: &str) -> JsonLdError {
    JsonLdError::Spec {
        code: "invalid value object",
        message: message.to_owned(),
        path: None,
    }
}

fn number_refusal(value: String, reason: &str) -> JsonLdError {
    JsonLdError::Strict {
        refusal: Refusal::Number {
            value,
            reason: reason.to_owned(),
        },
        path: None,
    }
}

/// The literal of a value object, in jsonld.js's order of cases: `@json`, boolean, double (or
/// `xsd:double`), integer, `@direction`, `@language`, string.
fn literal(
    v: &ValueObject<'_>,
    strict: bool,
    i18n_direction: bool,
) -> Result<Literal, JsonLdError> {
    let value = v.value;
    // jsonld.js treats an empty `@type` as none.
    let datatype = match v.datatype {
        Some(Id::Str("")) | None => None,
        Some(Id::Str(s)) => Some(std::borrow::Cow::Borrowed(s)),
        Some(Id::Blank(n)) => Some(format!("_:b{n}").into()),
    };
    let datatype = datatype.as_deref();
    let typed = |lexical: String, default: &str| Literal {
        value: lexical,
        datatype: datatype.unwrap_or(default).to_owned(),
        language: None,
    };
    if datatype == Some("@json") {
        return Ok(Literal {
            value: json_literal(value, strict)?,
            datatype: vocab::RDF_JSON.to_owned(),
            language: None,
        });
    }
    match value {
        Value::Bool(b) => Ok(typed(b.to_string(), vocab::XSD_BOOLEAN)),
        Value::Number(n) => {
            let d = n
                .as_f64()
                .ok_or_else(|| invalid_value("number that is not a double"))?;
            let typed_double = datatype == Some(vocab::XSD_DOUBLE);
            let double = typed_double || numbers::is_js_double(d);
            let use_ = if typed_double {
                NumberUse::DoubleLiteral
            } else {
                NumberUse::Literal
            };
            if let Some(reason) = strict
                .then(|| numbers::changed_by_javascript(n, use_))
                .flatten()
            {
                return Err(number_refusal(n.to_string(), &reason));
            }
            let mut lexical = String::with_capacity(24);
            if double {
                write_double(&mut lexical, d);
                Ok(typed(lexical, vocab::XSD_DOUBLE))
            } else {
                write_integer(&mut lexical, d);
                Ok(typed(lexical, vocab::XSD_INTEGER))
            }
        }
        Value::String(s) if datatype == Some(vocab::XSD_DOUBLE) => {
            let (d, complete) = js_parse_float(s);
            if strict && (!complete || d.is_nan()) {
                return Err(number_refusal(
                    s.clone(),
                    "typed xsd:double but not a number; jsonld.js would sign what parseFloat makes of it",
                ));
            }
            let mut lexical = String::with_capacity(24);
            write_double(&mut lexical, d);
            Ok(typed(lexical, vocab::XSD_DOUBLE))
        }
        Value::String(s) => {
            if let Some(direction) = v.direction().filter(|_| i18n_direction) {
                let language = v.language().unwrap_or("");
                let mut dt = String::with_capacity(30 + language.len() + direction.len());
                dt.push_str("https://www.w3.org/ns/i18n#");
                if language.is_ascii() {
                    dt.extend(language.chars().map(|c| c.to_ascii_lowercase()));
                } else {
                    dt.push_str(&language.to_lowercase());
                }
                dt.push('_');
                dt.push_str(direction);
                return Ok(Literal {
                    value: s.clone(),
                    datatype: dt,
                    language: None,
                });
            }
            if let Some(language) = v.language() {
                let datatype = datatype.unwrap_or(vocab::RDF_LANG_STRING);
                let language = (datatype == vocab::RDF_LANG_STRING).then(|| language.to_owned());
                return Ok(Literal {
                    value: s.clone(),
                    datatype: datatype.to_owned(),
                    language,
                });
            }
            Ok(typed(s.clone(), vocab::XSD_STRING))
        }
        Value::Null | Value::Array(_) | Value::Object(_) => Err(invalid_value(
            "@value that is not a string, number or boolean",
        )),
    }
}

/// An `rdf:JSON` literal: the JCS form of the value, numbers as the doubles JavaScript reads.
fn json_literal(value: &Value, strict: bool) -> Result<String, JsonLdError> {
    if strict {
        if let Some((n, reason)) = numbers::changed_in_json(value) {
            return Err(number_refusal(n.to_string(), &reason));
        }
    }
    match crate::jcs::canonicalize(value) {
        Ok(text) => Ok(text),
        // An integer beyond 2^53, which JCS refuses: jsonld.js writes the double JavaScript
        // reads, and so do we (in strict mode only where that prints the same digits).
        Err(_) => crate::jcs::canonicalize(&as_doubles(value))
            .map_err(|e| invalid_value(&format!("JSON literal: {e}"))),
    }
}

/// `value` with every number replaced by the double it denotes.
fn as_doubles(value: &Value) -> Value {
    match value {
        Value::Number(n) => n
            .as_f64()
            .and_then(Number::from_f64)
            .map_or_else(|| value.clone(), Value::Number),
        Value::Array(items) => Value::Array(items.iter().map(as_doubles).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), as_doubles(v)))
                .collect(),
        ),
        _ => value.clone(),
    }
}

/// `d.toFixed(0)` for a number that is not `isDouble`: an integer below 1e21, or a tiny
/// non-integer that rounds to `0` (`-0` when negative, as JavaScript writes it).
fn write_integer(out: &mut String, d: f64) {
    if d.fract() != 0.0 {
        out.push_str(if d < 0.0 { "-0" } else { "0" });
        return;
    }
    // Exact: the value is integral and below 1e21 < 2^70.
    #[allow(clippy::cast_possible_truncation)]
    let i = d as i128;
    out.push_str(&i.to_string());
}

/// `d.toExponential(15)` with trailing zeros cut to one (`1.0E21`, `7.5E0`, `-1.5E-7`), the
/// canonical xsd:double form jsonld.js writes; `NaN` and `Infinity` as JavaScript spells them.
fn write_double(out: &mut String, d: f64) {
    if d.is_nan() {
        out.push_str("NaN");
        return;
    }
    if d < 0.0 {
        out.push('-');
    }
    if d.is_infinite() {
        out.push_str("Infinity");
        return;
    }
    let mut digits = [b'0'; 16];
    let exponent = exponential_digits(d.abs(), &mut digits);
    let len = digits
        .iter()
        .rposition(|&b| b != b'0')
        .map_or(1, |i| i + 1)
        .max(2);
    out.push(char::from(digits[0]));
    out.push('.');
    out.extend(digits[1..len].iter().map(|&b| char::from(b)));
    out.push('E');
    out.push_str(itoa_i32(exponent, &mut [0; 12]));
}

/// The 16 significant digits of `a.toExponential(15)` into `digits`; returns the exponent.
///
/// Rust's `{:.16e}` rounds the exact binary value correctly to 17 digits. Rounding that to 16
/// gives ECMAScript's result unless the 17th digit is a 5: then the exact value may be a tie,
/// which ECMAScript rounds up and Rust to even, so we take the slow exact path (rarely).
fn exponential_digits(a: f64, digits: &mut [u8; 16]) -> i32 {
    use std::fmt::Write;
    let mut text = StackText::default();
    let parsed = write!(text, "{a:.16e}").ok().and_then(|()| {
        let (mantissa, exponent) = text.as_str().split_once('e')?;
        let exponent: i32 = exponent.parse().ok()?;
        let m = mantissa.as_bytes();
        (m.len() == 18 && m[1] == b'.').then_some((m, exponent))
    });
    let Some((m, mut exponent)) = parsed.filter(|(m, _)| m[17] != b'5') else {
        let (slow, exponent) = numbers::to_exponential_15(a);
        for (d, s) in digits.iter_mut().zip(slow.bytes()) {
            *d = s;
        }
        return exponent;
    };
    digits[0] = m[0];
    digits[1..].copy_from_slice(&m[2..17]);
    if m[17] > b'5' {
        // Round up, carrying; 9.99…9 becomes 1.00…0 with the next exponent.
        let mut i = digits.len();
        loop {
            if i == 0 {
                digits[0] = b'1';
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
    exponent
}

/// A small formatting buffer on the stack (`{:.16e}` of a double is at most 23 bytes).
#[derive(Default)]
struct StackText {
    bytes: [u8; 32],
    len: usize,
}

impl StackText {
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

impl std::fmt::Write for StackText {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        let dest = self.bytes.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        dest.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// `n` in decimal, written into `buf`.
fn itoa_i32(n: i32, buf: &mut [u8; 12]) -> &str {
    let mut i = buf.len();
    let mut m = n.unsigned_abs();
    loop {
        i -= 1;
        buf[i] = b'0' + (m % 10) as u8;
        m /= 10;
        if m == 0 {
            break;
        }
    }
    if n < 0 {
        i -= 1;
        buf[i] = b'-';
    }
    std::str::from_utf8(&buf[i..]).unwrap_or_default()
}

/// JavaScript's `parseFloat`: the longest numeric prefix after white space (`NaN` if none),
/// and whether that prefix was all of the text but trailing white space.
fn js_parse_float(s: &str) -> (f64, bool) {
    let t = s.trim_start_matches(is_js_space);
    let b = t.as_bytes();
    let (negative, mut i) = match b.first() {
        Some(b'-') => (true, 1),
        Some(b'+') => (false, 1),
        _ => (false, 0),
    };
    let complete = |end: usize| t[end..].chars().all(is_js_space);
    if t[i..].starts_with("Infinity") {
        let d = if negative {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        };
        return (d, complete(i + 8));
    }
    let digits_from = |mut j: usize| {
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        j
    };
    let int_end = digits_from(i);
    let mut end = int_end;
    if b.get(int_end) == Some(&b'.') {
        let frac_end = digits_from(int_end + 1);
        if int_end > i || frac_end > int_end + 1 {
            end = frac_end;
        }
    }
    if end == i {
        return (f64::NAN, false);
    }
    i = end;
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let exp_end = digits_from(j);
        if exp_end > j {
            end = exp_end;
        }
    }
    let d = t[..end].parse::<f64>().unwrap_or(f64::NAN);
    (d, complete(end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn lit(value: &str, datatype: &str) -> Term {
        Term::Literal(Literal {
            value: value.into(),
            datatype: datatype.into(),
            language: None,
        })
    }

    fn iri(s: &str) -> Term {
        Term::Iri(s.into())
    }

    fn blank(s: &str) -> Term {
        Term::Blank(s.into())
    }

    fn quad(s: Term, p: &str, o: Term) -> Quad {
        Quad {
            subject: s,
            predicate: iri(p),
            object: o,
            graph: None,
        }
    }

    /// The cryptosuite's options (i18n directions), not strict.
    fn run(expanded: Value) -> Vec<Quad> {
        let options = Options {
            strict: false,
            ..Options::strict()
        };
        to_rdf(&expanded, &options).unwrap()
    }

    fn strict(expanded: Value) -> Result<Vec<Quad>, JsonLdError> {
        to_rdf(&expanded, &Options::strict())
    }

    /// The object of each quad of a node whose only property is `http://ex/p`.
    fn objects(values: Value) -> Vec<Term> {
        run(json!([{"@id": "http://ex/s", "http://ex/p": values}]))
            .into_iter()
            .map(|q| q.object)
            .collect()
    }

    #[test]
    fn numbers_as_jsonld_js_writes_them() {
        // Expected values printed by jsonld.js 9 (toRDF of the same expanded input).
        let values: Value = serde_json::from_str(
            r#"[{"@value": 7.5}, {"@value": 1e21}, {"@value": 1e-7}, {"@value": -1e-7},
                {"@value": 5}, {"@value": -0.0}, {"@value": 0.1}, {"@value": 1.5e-7},
                {"@value": 123456789012345678901234}, {"@value": 9007199254740993},
                {"@value": 7e-5}, {"@value": 0.50000762939453125}]"#,
        )
        .unwrap();
        let d = vocab::XSD_DOUBLE;
        let i = vocab::XSD_INTEGER;
        assert_eq!(
            objects(values),
            [
                lit("7.5E0", d),
                lit("1.0E21", d),
                lit("0", i),
                lit("-0", i),
                lit("5", i),
                lit("0", i),
                lit("1.0E-1", d),
                lit("1.5E-7", d),
                lit("1.234567890123457E23", d),
                lit("9007199254740992", i),
                lit("6.999999999999999E-5", d),
                lit("5.000076293945313E-1", d),
            ]
        );
    }

    #[test]
    fn typed_numbers() {
        let d = vocab::XSD_DOUBLE;
        let values = json!([
            {"@value": 1.0, "@type": d},
            {"@value": 5, "@type": "http://ex/t"},
            {"@value": 2.5, "@type": "http://ex/t"},
            {"@value": " 12.50e1xyz", "@type": d},
            {"@value": "abc", "@type": d},
            {"@value": "-Infinity", "@type": d},
            {"@value": 1e20},
        ]);
        assert_eq!(
            objects(values),
            [
                lit("1.0E0", d),
                lit("5", "http://ex/t"),
                lit("2.5E0", "http://ex/t"),
                lit("1.25E2", d),
                lit("NaN", d),
                lit("-Infinity", d),
                lit("100000000000000000000", vocab::XSD_INTEGER),
            ]
        );
    }

    #[test]
    fn strict_refuses_numbers_that_change() {
        let refused = |value: Value, datatype: &str| {
            let input = json!([{"@id": "http://ex/s", "http://ex/p": [{"@value": value, "@type": datatype}]}]);
            match strict(input) {
                Err(JsonLdError::Strict {
                    refusal: Refusal::Number { .. },
                    ..
                }) => true,
                Err(e) => panic!("{value}: {e}"),
                Ok(_) => false,
            }
        };
        let d = vocab::XSD_DOUBLE;
        for value in [
            json!(1e-7),
            json!(9007199254740993_u64),
            json!(1_152_921_504_606_846_976.0_f64),
        ] {
            assert!(refused(value.clone(), ""), "{value}");
        }
        assert!(refused(json!("1.5x"), d));
        assert!(refused(json!(9007199254740993_u64), d));
        assert!(refused(json!({"a": [1, 9007199254740993_u64]}), "@json"));
        // What JavaScript reads and signs as the same value passes, written as jsonld.js does.
        let ok = json!([{"@id": "http://ex/s", "http://ex/p": [
            {"@value": 9007199254740992_u64},
            {"@value": 9007199254740994_u64},
            {"@value": 1e20},
            {"@value": 0.1},
            {"@value": 1e-7, "@type": d},
            {"@value": {"a": [1e20, 9007199254740994_u64]}, "@type": "@json"},
        ]}]);
        let objects: Vec<Term> = strict(ok).unwrap().into_iter().map(|q| q.object).collect();
        let i = vocab::XSD_INTEGER;
        assert_eq!(
            objects,
            [
                lit("9007199254740992", i),
                lit("9007199254740994", i),
                lit("100000000000000000000", i),
                lit("1.0E-1", d),
                lit("1.0E-7", d),
                lit(
                    r#"{"a":[100000000000000000000,9007199254740994]}"#,
                    vocab::RDF_JSON
                ),
            ]
        );
    }

    #[test]
    fn fast_exponential_agrees_with_exact_rounding() {
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut samples = vec![7e-5, 0.1, 1e21, 5e-324, f64::MAX, 1e23, 0.5];
        for _ in 0..3000 {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let d = f64::from_bits(x >> 1);
            if d.is_finite() {
                samples.push(d);
            }
            // Short decimals (the common case in credentials).
            samples.push((x % 100_000) as f64 / 1000.0);
        }
        for d in samples {
            let mut digits = [b'0'; 16];
            let exponent = exponential_digits(d, &mut digits);
            let (exact, exact_exponent) = numbers::to_exponential_15(d);
            let fast = std::str::from_utf8(&digits).unwrap().trim_end_matches('0');
            let exact = exact.trim_end_matches('0');
            assert_eq!((fast, exponent), (exact, exact_exponent), "{d:e}");
        }
    }

    #[test]
    fn booleans_strings_and_languages() {
        let values = json!([
            {"@value": true},
            {"@value": "x"},
            {"@value": "y", "@type": "http://ex/t"},
            {"@value": "z", "@language": "en-US"},
            {"@value": "w", "@language": "en-US", "@direction": "rtl"},
            {"@value": "v", "@direction": "ltr"},
        ]);
        assert_eq!(
            objects(values),
            [
                lit("true", vocab::XSD_BOOLEAN),
                lit("x", vocab::XSD_STRING),
                lit("y", "http://ex/t"),
                Term::Literal(Literal {
                    value: "z".into(),
                    datatype: vocab::RDF_LANG_STRING.into(),
                    language: Some("en-US".into()),
                }),
                lit("w", "https://www.w3.org/ns/i18n#en-us_rtl"),
                lit("v", "https://www.w3.org/ns/i18n#_ltr"),
            ]
        );
    }

    #[test]
    fn direction_is_dropped_without_rdf_direction() {
        let expanded = json!([{"@id": "http://ex/s", "http://ex/p": [
            {"@value": "w", "@language": "ar", "@direction": "rtl"},
            {"@value": "v", "@direction": "ltr"},
        ]}]);
        let objects: Vec<Term> = to_rdf(&expanded, &Options::default())
            .unwrap()
            .into_iter()
            .map(|q| q.object)
            .collect();
        assert_eq!(
            objects,
            [
                Term::Literal(Literal {
                    value: "w".into(),
                    datatype: vocab::RDF_LANG_STRING.into(),
                    language: Some("ar".into()),
                }),
                lit("v", vocab::XSD_STRING),
            ]
        );
    }

    #[test]
    fn json_literals_are_jcs() {
        let values = json!([
            {"@value": {"b": [1.0, 1e21, "é"], "a": null}, "@type": "@json"},
            {"@value": 9007199254740993_u64, "@type": "@json"},
        ]);
        assert_eq!(
            objects(values),
            [
                lit(r#"{"a":null,"b":[1,1e+21,"é"]}"#, vocab::RDF_JSON),
                lit("9007199254740992", vocab::RDF_JSON),
            ]
        );
    }

    #[test]
    fn lists() {
        let quads = run(json!([{"@id": "http://ex/s", "http://ex/p": [
            {"@list": []},
            {"@list": [{"@value": 1}, {"@list": [{"@id": "http://ex/o"}]}]}
        ]}]));
        let (first, rest, nil) = (vocab::RDF_FIRST, vocab::RDF_REST, iri(vocab::RDF_NIL));
        let s = || iri("http://ex/s");
        assert_eq!(
            quads,
            [
                quad(s(), "http://ex/p", nil.clone()),
                quad(blank("b0"), first, lit("1", vocab::XSD_INTEGER)),
                quad(blank("b0"), rest, blank("b1")),
                quad(blank("b2"), first, iri("http://ex/o")),
                quad(blank("b2"), rest, nil.clone()),
                quad(blank("b1"), first, blank("b2")),
                quad(blank("b1"), rest, nil),
                quad(s(), "http://ex/p", blank("b0")),
            ]
        );
    }

    #[test]
    fn blank_nodes_types_and_merging() {
        let quads = run(json!([
            {"@type": ["_:t"], "http://ex/p": [{"@id": "_:x"}, {"http://ex/q": [{"@value": "a"}]}]},
            {"@id": "_:x", "http://ex/q": [{"@value": "b"}, {"@value": "b"}]}
        ]));
        // _:t gets b0 (types first), the top node b1, _:x b2, the embedded node b3.
        assert_eq!(
            quads,
            [
                // `@type` sorts before IRIs, as in jsonld.js.
                quad(blank("b1"), vocab::RDF_TYPE, blank("b0")),
                quad(blank("b1"), "http://ex/p", blank("b2")),
                quad(blank("b1"), "http://ex/p", blank("b3")),
                quad(blank("b2"), "http://ex/q", lit("b", vocab::XSD_STRING)),
                quad(blank("b3"), "http://ex/q", lit("a", vocab::XSD_STRING)),
            ]
        );
    }

    #[test]
    fn named_graphs_and_reverse() {
        let quads = run(json!([{
            "@id": "http://ex/g",
            "@graph": [{"@id": "http://ex/a", "http://ex/p": [{"@id": "http://ex/b"}]}],
            "@reverse": {"http://ex/r": [{"@id": "http://ex/c"}]}
        }]));
        assert_eq!(
            quads,
            [
                quad(iri("http://ex/c"), "http://ex/r", iri("http://ex/g")),
                Quad {
                    graph: Some(iri("http://ex/g")),
                    ..quad(iri("http://ex/a"), "http://ex/p", iri("http://ex/b"))
                },
            ]
        );
    }

    #[test]
    fn relative_iris_dropped_or_refused() {
        let input = json!([{"@id": "http://ex/s", "http://ex/p": [{"@id": "rel"}, {"@id": "http://ex/o"}],
                            "rel-prop": [{"@value": "x"}], "_:bp": [{"@value": "y"}]}]);
        assert_eq!(
            run(input.clone()),
            [quad(iri("http://ex/s"), "http://ex/p", iri("http://ex/o"))]
        );
        let err = strict(input).unwrap_err();
        match err {
            JsonLdError::Strict {
                refusal: Refusal::InvalidIri { iri, reason },
                path: None,
            } => {
                // `_:bp` sorts first; it is reported under its own label.
                assert_eq!(iri, "_:bp");
                assert!(reason.starts_with("blank node predicate"), "{reason}");
            }
            other => panic!("{other}"),
        }
        let err =
            strict(json!([{"@id": "http://ex/s", "http://ex/p": [{"@id": "rel"}]}])).unwrap_err();
        assert!(
            err.to_string().contains("relative object reference"),
            "{err}"
        );
        let err =
            strict(json!([{"@id": "rel", "http://ex/p": [{"@id": "http://ex/o"}]}])).unwrap_err();
        assert!(
            err.to_string().contains("relative subject reference"),
            "{err}"
        );
        // A relative list item loses its rdf:first, keeps its rdf:rest (the spec's rule).
        let quads =
            run(json!([{"@id": "http://ex/s", "http://ex/p": [{"@list": [{"@id": "rel"}]}]}]));
        assert_eq!(quads.len(), 2);
    }

    #[test]
    fn absolute_iri_check() {
        for ok in [
            "http://a",
            "a:",
            "_:b0",
            "urn:x:y",
            "a+,-.b:c",
            "did:key:z6Mk#z6Mk",
        ] {
            assert!(is_absolute_iri(ok), "{ok}");
        }
        for bad in [
            "",
            "rel",
            ":x",
            "1a:b",
            "a b:c",
            "http://a b",
            "http://a\u{3000}",
            "a_b:c",
        ] {
            assert!(!is_absolute_iri(bad), "{bad}");
        }
    }

    #[test]
    fn parse_float_like_javascript() {
        for (s, want, complete) in [
            ("1.5", 1.5, true),
            ("  \u{2028}.5e", 0.5, false),
            ("1.", 1.0, true),
            ("-1e3 ", -1000.0, true),
            ("1e400", f64::INFINITY, true),
            ("0x10", 0.0, false),
        ] {
            assert_eq!(js_parse_float(s), (want, complete), "{s}");
        }
        assert!(js_parse_float("-.e5").0.is_nan());
        assert!(js_parse_float("").0.is_nan());
    }

    #[test]
    fn malformed_input_is_an_error_not_a_panic() {
        for input in [
            json!([{"http://ex/p": "x"}]),
            json!([{"http://ex/p": [1]}]),
            json!([{"@type": "x"}]),
            json!([{"@id": 5}]),
            json!([{"http://ex/p": [{"@list": [1]}]}]),
            json!([{"@reverse": {"http://ex/r": [{"@value": 1}]}}]),
            json!([{"http://ex/p": [{"@value": [1]}]}]),
        ] {
            assert!(to_rdf(&input, &Options::default()).is_err(), "{input}");
        }
        let mut deep = json!({"@id": "http://ex/leaf"});
        for _ in 0..600 {
            deep = json!({"http://ex/p": [deep]});
        }
        assert!(to_rdf(&json!([deep]), &Options::default()).is_err());
    }
}

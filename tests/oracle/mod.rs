//! A second, independent canonicalization path, used only as a test oracle for
//! [`skillpass::canon::canonicalize`]: oxjsonld (JSON-LD 1.1 toRdf) and oxrdf's RDFC-1.0, behind
//! guards. It lives in the tests (with oxjsonld and oxrdf as dev-dependencies) so the library
//! and the release binary do not carry it.
//!
//! oxjsonld silently drops what it cannot map (undefined terms, relative IRIs, …) and re-processes
//! every context for every document, which is why skillpass has its own engine
//! (`skillpass::jsonld`, `skillpass::rdfc`). This path stays because two independent
//! implementations agreeing is a stronger test than one: every call runs guards that turn each
//! silent drop, and each known divergence from jsonld.js, into a [`CanonError`]:
//!
//! - a catch-all sentinel `@vocab` makes undefined terms and types visible as sentinel IRIs;
//!   contexts that reset `@vocab` or the whole context (`null`) get the sentinel back;
//! - lenient parsing keeps invalid and relative IRIs, which are then checked with oxiri;
//! - numbers are rewritten to the digits jsonld.js computes from the JavaScript double
//!   ([`numbers`]), or refused when no text can reproduce them;
//! - `@direction`, U+FFFE/U+FFFF and unknown `@keywords` are refused, language tags are checked
//!   and lower-cased;
//! - keys whose value is `null` or `[]` are probed, because an undefined term there emits
//!   nothing for the sentinel to catch (jsonld.js's safe mode rejects it);
//! - the N-Quads are written and sorted as rdf-canonize does ([`nquads`]).

mod nquads;
mod numbers;

use oxjsonld::{JsonLdParser, JsonLdRemoteDocument};
use oxrdf::dataset::{CanonicalizationAlgorithm, CanonicalizationHashAlgorithm};
use oxrdf::vocab::rdf;
use oxrdf::{Dataset, GraphName, Literal, NamedNode, NamedOrBlankNode, Quad, Term};
use serde_json::Value;
use skillpass::canon::CanonError;
use skillpass::contexts::ContextRegistry;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

/// Prefix of the catch-all `@vocab`: an IRI starting with it came from an undefined term.
const SENTINEL: &str = "urn:x-skillpass-undefined-term:";

/// Canonical N-Quads (RDFC-1.0, as jsonld.js/rdf-canonize write them) of a JSON-LD document.
///
/// The caller removes `proof` first; a proof configuration goes through the same function.
pub fn canonicalize(doc: &Value, contexts: &ContextRegistry) -> Result<String, CanonError> {
    canonicalize_impl(doc, contexts, None)
}

fn rdfc10() -> CanonicalizationAlgorithm {
    CanonicalizationAlgorithm::Rdfc10 {
        hash_algorithm: CanonicalizationHashAlgorithm::Sha256,
    }
}

fn canonicalize_impl(
    doc: &Value,
    contexts: &ContextRegistry,
    base: Option<&str>,
) -> Result<String, CanonError> {
    let prepared = prepare(doc)?;
    let quads = to_quads(&prepared.json, contexts, base)?;
    let mut checked = Vec::with_capacity(quads.len());
    let mut has_json_literal = false;
    for quad in quads {
        has_json_literal |=
            matches!(&quad.object, Term::Literal(l) if l.datatype().as_str() == RDF_JSON);
        checked.push(check_quad(quad, doc)?);
    }
    if let (true, Some((value, path))) = (has_json_literal, &prepared.lossy_number) {
        return Err(CanonError::Number {
            value: value.clone(),
            path: path.clone(),
            reason: "17 significant digits cannot be both a JavaScript-equal RDF literal and an exact @json value; round it".into(),
        });
    }
    if !prepared.emptied.is_empty() {
        probe_emptied(&prepared, contexts, base)?;
    }
    canonical_text(checked)
}

const RDF_JSON: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON";

/// RDFC-1.0 relabelling, then rdf-canonize's serialization and order.
fn canonical_text(quads: Vec<Quad>) -> Result<String, CanonError> {
    refuse_hash_order_hazard(&quads)?;
    let mut dataset: Dataset = quads.iter().collect();
    dataset.canonicalize(rdfc10());
    let mut lines: Vec<String> = dataset
        .iter()
        .map(|q| {
            let mut line = String::new();
            nquads::write_quad(&mut line, &q.into_owned());
            line
        })
        .collect();
    skillpass::rdf::sort_utf16(&mut lines);
    Ok(lines.concat())
}

/// Refuses what makes oxrdf's blank-node labels differ from rdf-canonize's: oxrdf escapes
/// U+FFFE/U+FFFF in its hash input, and hashes quads sorted by code point where rdf-canonize
/// sorts by UTF-16 (only a blank node whose quads mix supplementary-plane characters with
/// U+E000–U+FFFF can tell). Outside blank-node quads neither matters, but U+FFFE/U+FFFF are
/// noncharacters with no business in a credential, so they are refused everywhere.
fn refuse_hash_order_hazard(quads: &[Quad]) -> Result<(), CanonError> {
    let mut mixes: HashMap<&str, (bool, bool)> = HashMap::new();
    for quad in quads {
        let mut astral = false;
        let mut high_bmp = false;
        for text in quad_texts(quad) {
            if let Some(c) = text.chars().find(|c| matches!(c, '\u{FFFE}' | '\u{FFFF}')) {
                return Err(CanonError::Unsupported {
                    what: format!(
                        "noncharacter U+{:04X} in \"{}\"",
                        u32::from(c),
                        text.escape_debug()
                    ),
                });
            }
            for c in text.chars() {
                astral |= c > '\u{FFFF}';
                high_bmp |= ('\u{E000}'..='\u{FFFF}').contains(&c);
            }
        }
        if !(astral || high_bmp) {
            continue;
        }
        for b in quad_blank_nodes(quad) {
            let e = mixes.entry(b).or_default();
            e.0 |= astral;
            e.1 |= high_bmp;
            if e.0 && e.1 {
                return Err(CanonError::Unsupported {
                    what: "a blank node whose statements mix characters above U+FFFF with characters in U+E000–U+FFFF (jsonld.js orders them differently); give the node an id".into(),
                });
            }
        }
    }
    Ok(())
}

fn quad_texts(quad: &Quad) -> Vec<&str> {
    let mut texts = vec![quad.predicate.as_str()];
    if let NamedOrBlankNode::NamedNode(n) = &quad.subject {
        texts.push(n.as_str());
    }
    match &quad.object {
        Term::NamedNode(n) => texts.push(n.as_str()),
        Term::Literal(l) => {
            texts.push(l.value());
            texts.push(l.datatype().as_str());
        }
        Term::BlankNode(_) => {}
    }
    if let GraphName::NamedNode(n) = &quad.graph_name {
        texts.push(n.as_str());
    }
    texts
}

fn quad_blank_nodes(quad: &Quad) -> Vec<&str> {
    let mut ids = Vec::new();
    if let NamedOrBlankNode::BlankNode(b) = &quad.subject {
        ids.push(b.as_str());
    }
    if let Term::BlankNode(b) = &quad.object {
        ids.push(b.as_str());
    }
    if let GraphName::BlankNode(b) = &quad.graph_name {
        ids.push(b.as_str());
    }
    ids
}

// ---------------------------------------------------------------------------------------------
// JSON pre-pass

/// The document as handed to oxjsonld, plus what the pre-pass noticed.
struct Prepared {
    json: String,
    /// The same document with every `null` / `[]` property value replaced by a string.
    probe: Option<String>,
    /// (key, JSON pointer) of properties whose value is `null` or `[]`.
    emptied: Vec<(String, String)>,
    /// A number that cannot be exact as a JSON value (value, pointer).
    lossy_number: Option<(String, String)>,
}

/// JSON-LD 1.1 keywords; any other `@word` key is dropped by expansion (jsonld.js safe mode
/// rejects it).
const KEYWORDS: &[&str] = &[
    "@base",
    "@container",
    "@context",
    "@default",
    "@direction",
    "@embed",
    "@explicit",
    "@graph",
    "@id",
    "@import",
    "@included",
    "@index",
    "@json",
    "@language",
    "@list",
    "@nest",
    "@none",
    "@omitDefault",
    "@prefix",
    "@preserve",
    "@propagate",
    "@protected",
    "@requireAll",
    "@reverse",
    "@set",
    "@type",
    "@value",
    "@version",
    "@vocab",
];

fn has_keyword_form(s: &str) -> bool {
    s.len() > 1 && s.starts_with('@') && s[1..].bytes().all(|b| b.is_ascii_alphabetic())
}

fn pointer_push(path: &str, key: &str) -> String {
    format!("{path}/{}", key.replace('~', "~0").replace('/', "~1"))
}

fn display_path(path: &str) -> String {
    if path.is_empty() {
        "/".into()
    } else {
        path.into()
    }
}

fn prepare(doc: &Value) -> Result<Prepared, CanonError> {
    let mut w = Writer {
        out: String::with_capacity(1024),
        probe: None,
        emptied: Vec::new(),
        lossy_number: None,
        used_keys: HashSet::new(),
        null_terms: Vec::new(),
    };
    w.top(doc)?;
    // A term defined as null (`"nickname": null` in an inline context) is dropped together
    // with its values, and no sentinel can see it.
    for (term, path) in &w.null_terms {
        if w.used_keys.contains(term) {
            return Err(CanonError::DroppedValue {
                path: display_path(path),
                reason: format!("the context maps \"{term}\" to null, so every \"{term}\" value in the document goes unsigned"),
            });
        }
    }
    let probe = if w.emptied.is_empty() {
        None
    } else {
        let mut p = Writer {
            out: String::with_capacity(w.out.len()),
            probe: Some(()),
            emptied: Vec::new(),
            lossy_number: None,
            used_keys: HashSet::new(),
            null_terms: Vec::new(),
        };
        p.top(doc)?;
        Some(p.out)
    };
    Ok(Prepared {
        json: w.out,
        probe,
        emptied: w.emptied,
        lossy_number: w.lossy_number,
    })
}

/// Serializes the document for oxjsonld, applying the guards on the way.
struct Writer {
    out: String,
    /// Set when writing the probe document.
    probe: Option<()>,
    emptied: Vec<(String, String)>,
    lossy_number: Option<(String, String)>,
    used_keys: HashSet<String>,
    null_terms: Vec<(String, String)>,
}

fn sentinel_context() -> Value {
    serde_json::json!({ "@vocab": SENTINEL })
}

impl Writer {
    fn top(&mut self, doc: &Value) -> Result<(), CanonError> {
        match doc {
            Value::Object(map) => self.node(map, "", true),
            Value::Array(items) => {
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    let path = format!("/{i}");
                    match item {
                        Value::Object(map) => self.node(map, &path, true)?,
                        other => self.value(other, &path)?,
                    }
                }
                self.out.push(']');
                Ok(())
            }
            other => self.value(other, ""),
        }
    }

    fn string(&mut self, s: &str) {
        // serde_json's string escaping is valid JSON; oxjsonld decodes it back exactly.
        self.out
            .push_str(&serde_json::to_string(s).unwrap_or_default());
    }

    /// A node (or value) object in the document body. `top` objects get the sentinel first.
    fn node(
        &mut self,
        map: &serde_json::Map<String, Value>,
        path: &str,
        top: bool,
    ) -> Result<(), CanonError> {
        self.out.push('{');
        let mut first = true;
        if top {
            self.out.push_str("\"@context\":");
            let ctx = map.get("@context").cloned().unwrap_or(Value::Null);
            let guarded =
                with_sentinel_first(guard_context(ctx, &pointer_push(path, "@context"), self)?);
            self.raw_json(&guarded);
            first = false;
        }
        for (key, value) in map {
            let child = pointer_push(path, key);
            if key == "@context" {
                if top {
                    continue;
                }
                if !first {
                    self.out.push(',');
                }
                first = false;
                self.string(key);
                self.out.push(':');
                let guarded = guard_context(value.clone(), &child, self)?;
                self.raw_json(&guarded);
                continue;
            }
            if key == "@direction" {
                return Err(unsupported_direction(&child));
            }
            if has_keyword_form(key) && !KEYWORDS.contains(&key.as_str()) {
                return Err(CanonError::DroppedValue {
                    path: child,
                    reason: format!("\"{key}\" is not a JSON-LD keyword"),
                });
            }
            check_noncharacters(key, &child)?;
            let emptied = !key.starts_with('@')
                && (value.is_null() || value.as_array().is_some_and(Vec::is_empty));
            if emptied && self.probe.is_none() {
                self.emptied.push((key.clone(), child.clone()));
            }
            self.used_keys.insert(key.clone());
            if !first {
                self.out.push(',');
            }
            first = false;
            self.string(key);
            self.out.push(':');
            if emptied && self.probe.is_some() {
                self.out.push_str("\"probe\"");
            } else {
                self.value(value, &child)?;
            }
        }
        self.out.push('}');
        Ok(())
    }

    fn value(&mut self, value: &Value, path: &str) -> Result<(), CanonError> {
        match value {
            Value::Null => self.out.push_str("null"),
            Value::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => {
                let t = numbers::js_number_text(n).map_err(|reason| CanonError::Number {
                    value: n.to_string(),
                    path: display_path(path),
                    reason: reason.into(),
                })?;
                if t.lossy && self.lossy_number.is_none() {
                    self.lossy_number = Some((n.to_string(), display_path(path)));
                }
                self.out.push_str(&t.text);
            }
            Value::String(s) => {
                if s == "@direction" {
                    return Err(unsupported_direction(path));
                }
                check_noncharacters(s, path)?;
                self.string(s);
            }
            Value::Array(items) => {
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.value(item, &format!("{path}/{i}"))?;
                }
                self.out.push(']');
            }
            Value::Object(map) => self.node(map, path, false)?,
        }
        Ok(())
    }

    /// Context JSON is written as is: its numbers (`@version: 1.1`) are not data.
    fn raw_json(&mut self, v: &Value) {
        self.out.push_str(&v.to_string());
    }
}

fn unsupported_direction(path: &str) -> CanonError {
    CanonError::Unsupported {
        what: format!(
            "@direction at {}: jsonld.js signs it as an i18n datatype that this implementation cannot reproduce; use @language only",
            display_path(path)
        ),
    }
}

fn check_noncharacters(s: &str, path: &str) -> Result<(), CanonError> {
    if let Some(c) = s.chars().find(|c| matches!(c, '\u{FFFE}' | '\u{FFFF}')) {
        return Err(CanonError::Unsupported {
            what: format!(
                "noncharacter U+{:04X} at {} (it changes blank-node labels between implementations)",
                u32::from(c),
                display_path(path)
            ),
        });
    }
    Ok(())
}

/// Puts the sentinel where it is in force for the whole document: first, or right after the
/// last `null` (which would reset it).
fn with_sentinel_first(ctx: Value) -> Value {
    match ctx {
        Value::Null => Value::Array(vec![Value::Null, sentinel_context()]),
        Value::Array(mut items) => {
            let at = items.iter().rposition(Value::is_null).map_or(0, |i| i + 1);
            items.insert(at, sentinel_context());
            Value::Array(items)
        }
        other => Value::Array(vec![sentinel_context(), other]),
    }
}

/// Keeps the sentinel alive through a context: a `null` context (which resets everything) is
/// followed by the sentinel, and `"@vocab": null` becomes the sentinel. Also scans the context
/// for `@direction` and for terms defined as null.
fn guard_context(ctx: Value, path: &str, w: &mut Writer) -> Result<Value, CanonError> {
    Ok(match ctx {
        Value::Null => Value::Array(vec![Value::Null, sentinel_context()]),
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len() + 1);
            for (i, item) in items.into_iter().enumerate() {
                let is_null = item.is_null();
                out.push(guard_context_object(item, &format!("{path}/{i}"), w)?);
                if is_null {
                    out.push(sentinel_context());
                }
            }
            Value::Array(out)
        }
        other => guard_context_object(other, path, w)?,
    })
}

fn guard_context_object(ctx: Value, path: &str, w: &mut Writer) -> Result<Value, CanonError> {
    let Value::Object(map) = ctx else {
        if ctx.as_str() == Some("@direction") {
            return Err(unsupported_direction(path));
        }
        return Ok(ctx);
    };
    let mut out = serde_json::Map::with_capacity(map.len());
    for (key, value) in map {
        let child = pointer_push(path, &key);
        if key == "@direction" {
            return Err(unsupported_direction(&child));
        }
        let value = match (key.as_str(), value) {
            ("@vocab", Value::Null) => Value::String(SENTINEL.into()),
            ("@base", Value::String(base)) if has_dot_segments(&base) => {
                return Err(CanonError::Unsupported {
                    what: format!("@base \"{base}\" at {child} has \".\" or \"..\" segments, which lenient JSON-LD parsing does not resolve like jsonld.js; normalise it"),
                });
            }
            (_, Value::Null) if !key.starts_with('@') => {
                w.null_terms.push((key.clone(), child.clone()));
                Value::Null
            }
            (_, Value::String(s)) if s == "@direction" => {
                return Err(unsupported_direction(&child));
            }
            (_, Value::Object(def)) if !key.starts_with('@') => {
                let mut def_out = serde_json::Map::with_capacity(def.len());
                for (k, v) in def {
                    let grandchild = pointer_push(&child, &k);
                    if k == "@direction" {
                        return Err(unsupported_direction(&grandchild));
                    }
                    if k == "@id" && v.is_null() {
                        w.null_terms.push((key.clone(), child.clone()));
                    }
                    let v = if k == "@context" {
                        guard_context(v, &grandchild, w)?
                    } else {
                        v
                    };
                    def_out.insert(k, v);
                }
                Value::Object(def_out)
            }
            (_, v) => v,
        };
        out.insert(key, value);
    }
    Ok(Value::Object(out))
}

/// Whether a base IRI has `.` or `..` segments before its last `/` (the part relative references
/// are merged with; RFC 3986 §5.2.4 would remove them, lenient oxjsonld does not).
fn has_dot_segments(iri: &str) -> bool {
    let end = iri.find(['?', '#']).unwrap_or(iri.len());
    let path = iri[..end]
        .split_once("://")
        .map_or(&iri[..end], |(_, rest)| rest);
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    segments
        .split_last()
        .is_some_and(|(_, dirs)| dirs.iter().any(|seg| *seg == "." || *seg == ".."))
}

/// [`guard_context`] for a registry document (`{"@context": …}` text). Returns the bytes to
/// give oxjsonld; cached, since registry texts are immutable and reused on every call.
fn guarded_remote(url: &str, text: &Arc<str>) -> Result<Arc<[u8]>, CanonError> {
    type Cache = Mutex<HashMap<String, (Arc<str>, Arc<[u8]>)>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Ok(cache) = cache.lock() {
        if let Some((src, out)) = cache.get(url) {
            if Arc::ptr_eq(src, text) || **src == **text {
                return Ok(out.clone());
            }
        }
    }
    if text.contains("@direction") {
        return Err(CanonError::Unsupported {
            what: format!("context {url} uses @direction, which jsonld.js signs as an i18n datatype this implementation cannot reproduce"),
        });
    }
    let out: Arc<[u8]> = if text.contains("null") {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| CanonError::Syntax(format!("context {url}: {e}")))?;
        let mut scratch = Writer {
            out: String::new(),
            probe: None,
            emptied: Vec::new(),
            lossy_number: None,
            used_keys: HashSet::new(),
            null_terms: Vec::new(),
        };
        let guarded = match value {
            Value::Object(mut map) => {
                if let Some(ctx) = map.remove("@context") {
                    map.insert("@context".into(), guard_context(ctx, url, &mut scratch)?);
                }
                Value::Object(map)
            }
            other => other,
        };
        Arc::from(guarded.to_string().into_bytes())
    } else {
        Arc::from(text.as_bytes())
    };
    if let Ok(mut cache) = cache.lock() {
        cache.insert(url.to_owned(), (text.clone(), out.clone()));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// JSON-LD → quads

fn to_quads(
    json: &str,
    contexts: &ContextRegistry,
    base: Option<&str>,
) -> Result<Vec<Quad>, CanonError> {
    // The loader runs inside oxjsonld and may only return a boxed error, so it leaves the
    // precise reason here for us.
    let failure: Arc<Mutex<Option<CanonError>>> = Arc::default();
    let registry = contexts.clone();
    let failure_in_loader = failure.clone();
    let mut parser = JsonLdParser::new().lenient();
    if let Some(base) = base {
        parser = parser
            .with_base_iri(base)
            .map_err(|e| CanonError::Syntax(format!("base IRI {base}: {e}")))?;
    }
    let quads: Result<Vec<Quad>, _> = parser
        .for_slice(json.as_bytes())
        .with_load_document_callback(move |url, _| {
            let outcome = match registry.get(url).map(Arc::<str>::from) {
                Some(text) => guarded_remote(url, &text),
                None => Err(CanonError::UnknownContext {
                    url: url.to_owned(),
                }),
            };
            match outcome {
                Ok(bytes) => Ok(JsonLdRemoteDocument {
                    document: bytes.to_vec(),
                    document_url: url.to_owned(),
                }),
                Err(e) => {
                    let message = e.to_string();
                    if let Ok(mut slot) = failure_in_loader.lock() {
                        slot.get_or_insert(e);
                    }
                    Err(message.into())
                }
            }
        })
        .collect();
    if let Some(e) = failure.lock().ok().and_then(|mut slot| slot.take()) {
        return Err(e);
    }
    quads.map_err(|e| CanonError::Syntax(e.to_string()))
}

/// Runs the probe document (emptied values replaced by a string) and refuses when one of those
/// keys turns out to be an undefined term.
fn probe_emptied(
    prepared: &Prepared,
    contexts: &ContextRegistry,
    base: Option<&str>,
) -> Result<(), CanonError> {
    let Some(probe) = &prepared.probe else {
        return Ok(());
    };
    // Other errors of the probe (a "probe" string where an object was required …) say nothing
    // about the real document, which already passed.
    let Ok(quads) = to_quads(probe, contexts, base) else {
        return Ok(());
    };
    for quad in quads {
        if let Some(term) = quad.predicate.as_str().strip_prefix(SENTINEL) {
            if let Some((_, path)) = prepared.emptied.iter().find(|(k, _)| k == term) {
                return Err(CanonError::UndefinedTerm {
                    term: term.to_owned(),
                    path: Some(path.clone()),
                });
            }
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Quad checks

fn check_quad(quad: Quad, doc: &Value) -> Result<Quad, CanonError> {
    let Quad {
        subject,
        predicate,
        object,
        graph_name,
    } = quad;
    if let NamedOrBlankNode::NamedNode(n) = &subject {
        check_iri(n, doc, IriRole::Id)?;
    }
    check_iri(&predicate, doc, IriRole::Predicate)?;
    let object = match object {
        Term::NamedNode(n) => {
            let role = if predicate == rdf::TYPE {
                IriRole::Type
            } else {
                IriRole::Id
            };
            check_iri(&n, doc, role)?;
            Term::NamedNode(n)
        }
        Term::BlankNode(b) => Term::BlankNode(b),
        Term::Literal(l) => Term::Literal(check_literal(l, doc)?),
    };
    if let GraphName::NamedNode(n) = &graph_name {
        check_iri(n, doc, IriRole::Id)?;
    }
    Ok(Quad::new(subject, predicate, object, graph_name))
}

#[derive(Clone, Copy)]
enum IriRole {
    Id,
    Predicate,
    Type,
}

fn check_iri(n: &NamedNode, doc: &Value, role: IriRole) -> Result<(), CanonError> {
    let iri = n.as_str();
    if let Some(name) = iri.strip_prefix(SENTINEL) {
        return Err(match role {
            IriRole::Predicate => CanonError::UndefinedTerm {
                term: name.to_owned(),
                path: find_key(doc, name),
            },
            IriRole::Type | IriRole::Id => CanonError::UndefinedType {
                name: name.to_owned(),
                path: find_string(doc, name),
            },
        });
    }
    if let Err(e) = oxiri::Iri::parse(iri) {
        let (reason, path) = match role {
            IriRole::Predicate if iri.starts_with("_:") => (
                "a blank node cannot be a property (generalized RDF is not signed)".to_owned(),
                find_key(doc, iri),
            ),
            IriRole::Predicate => (
                format!("property IRIs must be absolute ({e})"),
                find_key(doc, iri),
            ),
            _ => (
                format!("identifiers must be absolute IRIs such as urn:uuid:… or https://… ({e})"),
                find_string(doc, iri),
            ),
        };
        return Err(CanonError::InvalidIri {
            iri: iri.to_owned(),
            reason,
            path,
        });
    }
    Ok(())
}

fn check_literal(l: Literal, doc: &Value) -> Result<Literal, CanonError> {
    let datatype = l.datatype();
    if datatype.as_str().starts_with(SENTINEL) || oxiri::Iri::parse(datatype.as_str()).is_err() {
        let dt = datatype.into_owned();
        check_iri(&dt, doc, IriRole::Type)?;
    }
    let Some(language) = l.language() else {
        return Ok(l);
    };
    if !is_bcp47_shape(language) {
        return Err(CanonError::InvalidLanguage {
            tag: language.to_owned(),
            path: find_string(doc, language).or_else(|| find_key(doc, language)),
        });
    }
    if language.bytes().any(|b| b.is_ascii_uppercase()) {
        // Lenient parsing keeps the tag as written; jsonld.js lower-cases it.
        let language = language.to_ascii_lowercase();
        let (value, _, _) = l.destruct();
        return Ok(Literal::new_language_tagged_literal_unchecked(
            value, language,
        ));
    }
    Ok(l)
}

/// jsonld.js's well-formedness test for language tags (`REGEX_BCP47`).
pub(crate) fn is_bcp47_shape(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first_ok = parts
        .next()
        .is_some_and(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphabetic()));
    first_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// JSON pointer of the first key equal to `key` outside `@context` (for error messages).
fn find_key(doc: &Value, key: &str) -> Option<String> {
    fn walk(v: &Value, key: &str, path: &str) -> Option<String> {
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    if k == "@context" {
                        continue;
                    }
                    let p = pointer_push(path, k);
                    if k == key {
                        return Some(p);
                    }
                    if let Some(found) = walk(child, key, &p) {
                        return Some(found);
                    }
                }
                None
            }
            Value::Array(items) => items
                .iter()
                .enumerate()
                .find_map(|(i, item)| walk(item, key, &format!("{path}/{i}"))),
            _ => None,
        }
    }
    walk(doc, key, "")
}

/// JSON pointer of the first string value equal to `s` outside `@context`.
fn find_string(doc: &Value, s: &str) -> Option<String> {
    fn walk(v: &Value, s: &str, path: &str) -> Option<String> {
        match v {
            Value::String(x) if x == s => Some(display_path(path)),
            Value::Object(map) => map
                .iter()
                .filter(|(k, _)| *k != "@context")
                .find_map(|(k, child)| walk(child, s, &pointer_push(path, k))),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .find_map(|(i, item)| walk(item, s, &format!("{path}/{i}"))),
            _ => None,
        }
    }
    walk(doc, s, "")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn canon(doc: Value) -> Result<String, CanonError> {
        let mut reg = ContextRegistry::bundled();
        reg.insert(
            "https://example.org/ctx",
            r#"{"@context":{"@version":1.1,"ex":"https://example.org/ns#","name":"ex:name","n":{"@id":"ex:n"},"d":{"@id":"ex:d","@type":"http://www.w3.org/2001/XMLSchema#double"},"j":{"@id":"ex:j","@type":"@json"},"Thing":"ex:Thing","knows":{"@id":"ex:knows","@type":"@id"}}}"#,
        )
        .unwrap();
        canonicalize(&doc, &reg)
    }

    #[test]
    fn plain_document() {
        let out = canon(json!({"@context": "https://example.org/ctx", "@id": "urn:a", "@type": "Thing", "name": "A", "n": 7.5, "d": 2})).unwrap();
        assert_eq!(
            out,
            "<urn:a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://example.org/ns#Thing> .\n\
             <urn:a> <https://example.org/ns#d> \"2.0E0\"^^<http://www.w3.org/2001/XMLSchema#double> .\n\
             <urn:a> <https://example.org/ns#n> \"7.5E0\"^^<http://www.w3.org/2001/XMLSchema#double> .\n\
             <urn:a> <https://example.org/ns#name> \"A\" .\n"
        );
    }

    #[test]
    fn sentinel_refusals_name_the_term() {
        let e =
            canon(json!({"@context": "https://example.org/ctx", "@id": "urn:a", "nickname": "x"}))
                .unwrap_err();
        assert!(
            matches!(&e, CanonError::UndefinedTerm { term, path: Some(p) } if term == "nickname" && p == "/nickname"),
            "{e}"
        );
        let e =
            canon(json!({"@context": "https://example.org/ctx", "@id": "urn:a", "@type": "Nope"}))
                .unwrap_err();
        assert!(
            matches!(&e, CanonError::UndefinedType { name, .. } if name == "Nope"),
            "{e}"
        );
        // A context that resets @vocab or the whole context does not hide undefined terms.
        let e = canon(json!({"@context": ["https://example.org/ctx", {"@vocab": null}], "@id": "urn:a", "nickname": "x"})).unwrap_err();
        assert!(matches!(e, CanonError::UndefinedTerm { .. }), "{e}");
        let e = canon(json!({"@context": "https://example.org/ctx", "@id": "urn:a", "knows": {"@context": null, "@id": "urn:b", "nickname": "x"}})).unwrap_err();
        assert!(matches!(e, CanonError::UndefinedTerm { .. }), "{e}");
        // A document's own @vocab is honoured, as jsonld.js does.
        let out = canon(json!({"@context": ["https://example.org/ctx", {"@vocab": "https://v.example/"}], "@id": "urn:a", "nickname": "x"})).unwrap();
        assert!(out.contains("<https://v.example/nickname>"), "{out}");
    }

    #[test]
    fn emptied_and_null_mapped_terms() {
        for v in [json!(null), json!([])] {
            let e = canon(json!({"@context": "https://example.org/ctx", "@id": "urn:a", "name": "A", "nickname": v})).unwrap_err();
            assert!(
                matches!(&e, CanonError::UndefinedTerm { term, path: Some(p) } if term == "nickname" && p == "/nickname"),
                "{e}"
            );
        }
        // A defined term with null / [] is fine (jsonld.js drops it too, without complaint).
        assert!(canon(
            json!({"@context": "https://example.org/ctx", "@id": "urn:a", "name": null, "n": []})
        )
        .is_ok());
        let e = canon(json!({"@context": ["https://example.org/ctx", {"hidden": null}], "@id": "urn:a", "hidden": "x"})).unwrap_err();
        assert!(matches!(e, CanonError::DroppedValue { .. }), "{e}");
        let e = canon(json!({"@context": "https://example.org/ctx", "@id": "urn:a", "@foo": "x"}))
            .unwrap_err();
        assert!(matches!(e, CanonError::DroppedValue { .. }), "{e}");
    }

    #[test]
    fn iri_and_language_checks() {
        let e =
            canon(json!({"@context": "https://example.org/ctx", "@id": "relative", "name": "A"}))
                .unwrap_err();
        assert!(
            matches!(&e, CanonError::InvalidIri { iri, path: Some(p), .. } if iri == "relative" && p == "/@id"),
            "{e}"
        );
        let e = canon(json!({"@context": "https://example.org/ctx", "@id": "urn:a", "_:b0": "x"}))
            .unwrap_err();
        assert!(
            e.to_string().contains("blank node cannot be a property"),
            "{e}"
        );
        let out = canon(json!({"@context": "https://example.org/ctx", "@id": "urn:a", "name": {"@value": "Hallo", "@language": "DE-ch"}})).unwrap();
        assert!(out.contains("\"Hallo\"@de-ch"), "{out}");
        let e = canon(json!({"@context": "https://example.org/ctx", "@id": "urn:a", "name": {"@value": "x", "@language": "not a tag"}})).unwrap_err();
        assert!(matches!(e, CanonError::InvalidLanguage { .. }), "{e}");
        assert!(is_bcp47_shape("en"));
        assert!(is_bcp47_shape("zh-Hant-TW"));
        assert!(!is_bcp47_shape("en_US"));
        assert!(!is_bcp47_shape("toolongtag"));
        assert!(!is_bcp47_shape(""));
    }

    #[test]
    fn direction_and_noncharacters_are_refused() {
        let e = canon(json!({"@context": "https://example.org/ctx", "@id": "urn:a", "name": {"@value": "x", "@language": "ar", "@direction": "rtl"}})).unwrap_err();
        assert!(
            matches!(&e, CanonError::Unsupported { what } if what.contains("/name/@direction")),
            "{e}"
        );
        let e = canon(json!({"@context": ["https://example.org/ctx", {"@direction": "ltr"}], "@id": "urn:a", "name": "x"})).unwrap_err();
        assert!(matches!(e, CanonError::Unsupported { .. }), "{e}");
        let e = canon(json!({"@context": ["https://example.org/ctx", {"dir": "@direction"}], "@id": "urn:a", "name": "x"})).unwrap_err();
        assert!(matches!(e, CanonError::Unsupported { .. }), "{e}");
        let e = canon(
            json!({"@context": "https://example.org/ctx", "@id": "urn:a", "name": "a\u{FFFE}"}),
        )
        .unwrap_err();
        assert!(e.to_string().contains("U+FFFE at /name"), "{e}");
    }

    #[test]
    fn json_literals_keep_javascript_numbers() {
        let out = canon(json!({"@context": "https://example.org/ctx", "@id": "urn:a", "j": {"b": 7.5, "a": [1, 0.1]}})).unwrap();
        assert!(
            out.contains(
                r#""{\"a\":[1,0.1],\"b\":7.5}"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON>"#
            ),
            "{out}"
        );
        let e = canon(json!({"@context": "https://example.org/ctx", "@id": "urn:a", "j": {"x": 0.30000000000000004}})).unwrap_err();
        assert!(matches!(e, CanonError::Number { .. }), "{e}");
        // Outside @json the same number is fine: its RDF form is jsonld.js's 16-digit one.
        let out = canon(json!({"@context": "https://example.org/ctx", "@id": "urn:a", "n": 0.30000000000000004})).unwrap();
        assert!(out.contains("\"3.0E-1\""), "{out}");
    }

    #[test]
    fn base_with_dot_segments_is_refused() {
        assert!(has_dot_segments("http://a/bb/ccc/./d;p?q"));
        assert!(has_dot_segments("http://a/b/../c"));
        assert!(
            !has_dot_segments("http://a/b/.."),
            "the last segment is not merged"
        );
        assert!(!has_dot_segments("http://a/b.c/d?x=/./"));
        assert!(!has_dot_segments("https://example.org/"));
        let e = canon(json!({"@context": ["https://example.org/ctx", {"@base": "http://a/b/./c"}], "@id": "x", "name": "A"})).unwrap_err();
        assert!(matches!(e, CanonError::Unsupported { .. }), "{e}");
        let out = canon(json!({"@context": ["https://example.org/ctx", {"@base": "http://a/b/c"}], "@id": "x", "name": "A"})).unwrap();
        assert!(out.starts_with("<http://a/b/x> "), "{out}");
    }

    #[test]
    fn unknown_context_is_named() {
        let e = canon(json!({"@context": ["https://example.org/ctx", "https://example.org/missing"], "@id": "urn:a"})).unwrap_err();
        assert!(
            matches!(&e, CanonError::UnknownContext { url } if url == "https://example.org/missing"),
            "{e}"
        );
        assert!(e.to_string().contains("https://example.org/missing"));
    }
}

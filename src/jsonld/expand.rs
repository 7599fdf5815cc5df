//! The expansion algorithm (JSON-LD 1.1 API §5.1), strict when asked.
//!
//! The output is what jsonld.js 9 `expand` returns for the same input (modulo key order),
//! including its departures from the spec text: keys are visited in JavaScript sort order,
//! the type-scoped contexts of all of a node's types are applied one after the other in
//! that order, and a default `@direction` is lost whenever a context is processed on top.
//!
//! Strict mode turns every warning that jsonld.js's safe mode rejects into a
//! [`JsonLdError::Strict`] whose path is the JSON Pointer of the offending key or value, and
//! also refuses numbers whose value a JavaScript verifier would read or sign differently
//! ([`crate::canon::numbers::changed_by_javascript`]).

use super::context::{
    container, expand_iri, initial_context, process, revert, truthy, ActiveContext, Direction, Env,
    Local,
};
use super::iri::{is_absolute_iri, is_bcp47, is_keyword, is_keyword_like, js_cmp};
use super::{JsonLdError, Options, Refusal};
use crate::canon::numbers::{self, NumberUse};
use crate::contexts::ContextRegistry;
use crate::rdf::vocab::XSD_DOUBLE;
use serde_json::{Map, Value};
use std::sync::Arc;

pub(super) fn expand(
    doc: &Value,
    contexts: &ContextRegistry,
    options: &Options,
) -> Result<Value, JsonLdError> {
    let mut ex = Expander {
        env: Env::new(contexts, options.base.as_deref(), options.strict),
    };
    let root = Path::ROOT;
    let expanded = ex.element(&initial_context(), None, doc, &root, false, false, None)?;
    let expanded = match expanded {
        Some(Value::Object(mut o)) if o.len() == 1 && o.contains_key("@graph") => {
            o.remove("@graph").unwrap_or(Value::Null)
        }
        Some(v) => v,
        None => Value::Array(Vec::new()),
    };
    Ok(match expanded {
        a @ Value::Array(_) => a,
        v => Value::Array(vec![v]),
    })
}

/// A location in the input document, kept as a linked list on the stack and turned into a
/// JSON Pointer only when something is reported.
#[derive(Clone, Copy)]
struct Path<'p> {
    parent: Option<&'p Path<'p>>,
    seg: Seg<'p>,
}

#[derive(Clone, Copy)]
enum Seg<'p> {
    Root,
    Key(&'p str),
    Index(usize),
}

impl<'p> Path<'p> {
    const ROOT: Path<'static> = Path {
        parent: None,
        seg: Seg::Root,
    };

    fn key(&'p self, key: &'p str) -> Path<'p> {
        Path {
            parent: Some(self),
            seg: Seg::Key(key),
        }
    }

    fn index(&'p self, i: usize) -> Path<'p> {
        Path {
            parent: Some(self),
            seg: Seg::Index(i),
        }
    }

    fn pointer(&self) -> String {
        let mut segs = Vec::new();
        let mut at = Some(self);
        while let Some(p) = at {
            segs.push(p.seg);
            at = p.parent;
        }
        let mut out = String::new();
        for seg in segs.iter().rev() {
            match seg {
                Seg::Root => {}
                Seg::Key(k) => {
                    out.push('/');
                    out.push_str(&k.replace('~', "~0").replace('/', "~1"));
                }
                Seg::Index(i) => {
                    out.push('/');
                    out.push_str(&i.to_string());
                }
            }
        }
        out
    }
}

fn spec(code: &'static str, message: impl Into<String>) -> JsonLdError {
    JsonLdError::Spec {
        code,
        message: message.into(),
        path: None,
    }
}

fn has(o: &Map<String, Value>, k: &str) -> bool {
    o.contains_key(k)
}

fn is_value(v: &Value) -> bool {
    v.as_object().is_some_and(|o| has(o, "@value"))
}

fn is_list(v: &Value) -> bool {
    v.as_object().is_some_and(|o| has(o, "@list"))
}

fn is_graph(v: &Value) -> bool {
    v.as_object().is_some_and(|o| {
        has(o, "@graph") && o.keys().filter(|k| *k != "@id" && *k != "@index").count() == 1
    })
}

fn is_subject(v: &Value) -> bool {
    v.as_object().is_some_and(|o| {
        !(has(o, "@value") || has(o, "@set") || has(o, "@list")) && (o.len() > 1 || !has(o, "@id"))
    })
}

fn is_empty_object(v: &Value) -> bool {
    v.as_object().is_some_and(Map::is_empty)
}

fn as_array(v: Value) -> Vec<Value> {
    match v {
        Value::Array(a) => a,
        v => vec![v],
    }
}

fn obj1(k: &str, v: Value) -> Value {
    let mut m = Map::with_capacity(1);
    m.insert(k.to_owned(), v);
    Value::Object(m)
}

fn iri_value(v: Option<std::borrow::Cow<'_, str>>) -> Value {
    v.map_or(Value::Null, |s| Value::String(s.into_owned()))
}

/// jsonld.js `addValue` with duplicates allowed: arrays are added item by item (flattened).
fn add_value(obj: &mut Map<String, Value>, key: &str, value: Value, as_array: bool) {
    let mut stack = vec![value];
    let mut first = true;
    while let Some(v) = stack.pop() {
        match v {
            Value::Array(items) => {
                if first && items.is_empty() && as_array && !obj.contains_key(key) {
                    obj.insert(key.to_owned(), Value::Array(Vec::new()));
                }
                stack.extend(items.into_iter().rev());
            }
            v => match obj.get_mut(key) {
                Some(Value::Array(a)) => a.push(v),
                Some(existing) => {
                    let old = std::mem::take(existing);
                    *existing = Value::Array(vec![old, v]);
                }
                None => {
                    obj.insert(
                        key.to_owned(),
                        if as_array { Value::Array(vec![v]) } else { v },
                    );
                }
            },
        }
        first = false;
    }
}

/// jsonld.js `addValue` with `prependValue` (one non-array value, property always an array).
fn prepend_value(obj: &mut Map<String, Value>, key: &str, value: Value) {
    match obj.get_mut(key) {
        Some(Value::Array(a)) => a.insert(0, value),
        Some(existing) => {
            let old = std::mem::take(existing);
            *existing = Value::Array(vec![value, old]);
        }
        None => {
            obj.insert(key.to_owned(), Value::Array(vec![value]));
        }
    }
}

fn sorted_keys(o: &Map<String, Value>) -> Vec<&str> {
    let mut keys: Vec<&str> = o.keys().map(String::as_str).collect();
    keys.sort_by(|a, b| js_cmp(a, b));
    keys
}

struct Expander<'r> {
    env: Env<'r>,
}

impl Expander<'_> {
    fn refuse(&self, refusal: Refusal, path: &Path) -> Result<(), JsonLdError> {
        if self.env.strict {
            return Err(JsonLdError::Strict {
                refusal,
                path: Some(path.pointer()),
            });
        }
        Ok(())
    }

    fn iri<'c>(
        &self,
        ctx: &'c ActiveContext,
        value: &'c str,
        vocab: bool,
        base: bool,
    ) -> Option<std::borrow::Cow<'c, str>> {
        expand_iri(ctx, value, vocab, base, self.env.base)
    }

    fn is_iri(&self, ctx: &ActiveContext, value: &str, vocab: bool, target: &str) -> bool {
        self.iri(ctx, value, vocab, false).as_deref() == Some(target)
    }

    /// Strict mode: a number whose value a JavaScript verifier would read or sign differently
    /// where it ends up (`use_`).
    fn check_number(&self, v: &Value, use_: NumberUse, path: &Path) -> Result<(), JsonLdError> {
        if let Value::Number(n) = v {
            if self.env.strict {
                if let Some(reason) = numbers::changed_by_javascript(n, use_) {
                    return self.refuse(
                        Refusal::Number {
                            value: n.to_string(),
                            reason,
                        },
                        path,
                    );
                }
            }
        }
        Ok(())
    }

    /// Strict mode: every number inside a JSON literal.
    fn check_json_numbers(&self, v: &Value, path: &Path) -> Result<(), JsonLdError> {
        if !self.env.strict {
            return Ok(());
        }
        match numbers::changed_in_json(v) {
            Some((n, reason)) => self.refuse(
                Refusal::Number {
                    value: n.to_string(),
                    reason,
                },
                path,
            ),
            None => Ok(()),
        }
    }

    fn process(
        &mut self,
        ctx: &Arc<ActiveContext>,
        local: Local<'_>,
        propagate: bool,
        override_protected: bool,
        path: &Path,
    ) -> Result<Arc<ActiveContext>, JsonLdError> {
        process(&mut self.env, ctx, local, propagate, override_protected)
            .map_err(|e| e.at_path(|| path.pointer()))
    }

    /// jsonld.js `api.expand`: `None` is `null` (nothing).
    #[allow(clippy::too_many_arguments)]
    fn element(
        &mut self,
        ctx: &Arc<ActiveContext>,
        active_property: Option<&str>,
        element: &Value,
        path: &Path,
        inside_list: bool,
        inside_index: bool,
        type_scoped: Option<&Arc<ActiveContext>>,
    ) -> Result<Option<Value>, JsonLdError> {
        match element {
            Value::Null => Ok(None),
            Value::Array(items) => {
                self.env.enter().map_err(|e| e.at_path(|| path.pointer()))?;
                let inside_list = inside_list
                    || active_property.is_some_and(|p| ctx.container(p) & container::LIST != 0);
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    let ipath = path.index(i);
                    let e = self.element(
                        ctx,
                        active_property,
                        item,
                        &ipath,
                        false,
                        inside_index,
                        type_scoped,
                    )?;
                    match e {
                        None => {}
                        Some(Value::Array(a)) if inside_list => {
                            out.push(obj1("@list", Value::Array(a)))
                        }
                        Some(Value::Array(a)) => out.extend(a),
                        Some(v) => out.push(v),
                    }
                }
                self.env.leave();
                Ok(Some(Value::Array(out)))
            }
            Value::Object(o) => {
                self.env.enter().map_err(|e| e.at_path(|| path.pointer()))?;
                let r = self.object(
                    ctx,
                    active_property,
                    o,
                    path,
                    inside_list,
                    inside_index,
                    type_scoped,
                )?;
                self.env.leave();
                Ok(r)
            }
            scalar => {
                let free_floating = !inside_list
                    && active_property.is_none_or(|p| self.is_iri(ctx, p, true, "@graph"));
                if free_floating {
                    self.refuse(
                        Refusal::DroppedValue {
                            reason: "free-floating scalar (not the value of any property)".into(),
                        },
                        path,
                    )?;
                    return Ok(None);
                }
                self.value(ctx, active_property, scalar, path).map(Some)
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn object(
        &mut self,
        ctx: &Arc<ActiveContext>,
        active_property: Option<&str>,
        element: &Map<String, Value>,
        path: &Path,
        inside_list: bool,
        inside_index: bool,
        type_scoped: Option<&Arc<ActiveContext>>,
    ) -> Result<Option<Value>, JsonLdError> {
        let ap_def = active_property.and_then(|p| ctx.term(p));
        let ap_iri = match (ap_def, active_property) {
            (Some(d), _) => d.id.as_deref().map(std::borrow::Cow::Borrowed),
            (None, Some(p)) => self.iri(ctx, p, true, false),
            (None, None) => None,
        };
        let (ap_is_graph, ap_is_reverse) = match ap_iri.as_deref() {
            Some(e) => (e == "@graph", e == "@reverse"),
            None => (false, false),
        };
        let property_scoped = ap_def.and_then(|d| d.context.clone());
        let type_scoped = type_scoped
            .cloned()
            .or_else(|| ctx.has_previous().then(|| ctx.clone()));
        let keys = sorted_keys(element);
        let mut active = ctx.clone();
        let mut must_revert = !inside_index;
        if let Some(ts) = type_scoped.as_ref().filter(|_| must_revert) {
            if keys.len() <= 2 && !keys.contains(&"@context") {
                for key in &keys {
                    let e = self.iri(ts, key, true, false);
                    if e.as_deref() == Some("@value") {
                        must_revert = false;
                        active = ts.clone();
                        break;
                    }
                    if e.as_deref() == Some("@id") && keys.len() == 1 {
                        must_revert = false;
                        break;
                    }
                }
            }
        }
        if must_revert {
            active = revert(&mut self.env, &active);
        }
        if let Some(sc) = &property_scoped {
            active = self.process(&active, Local::Scoped(sc), true, true, path)?;
        }
        if let Some(c) = element.get("@context") {
            active = self.process(
                &active,
                Local::Embedded(c),
                true,
                false,
                &path.key("@context"),
            )?;
        }
        let type_scoped_ctx = active.clone();
        let mut type_key: Option<&str> = None;
        for key in &keys {
            if !active.is_type_key(key, self.env.base) {
                continue;
            }
            type_key.get_or_insert(*key);
            let kpath = path.key(key);
            let mut types: Vec<&str> = match &element[*key] {
                Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                Value::String(s) => vec![s.as_str()],
                _ => Vec::new(),
            };
            types.sort_by(|a, b| js_cmp(a, b));
            for t in types {
                if let Some(sc) = type_scoped_ctx.scoped_context(t) {
                    let sc = sc.clone();
                    active = self.process(&active, Local::Scoped(&sc), false, false, &kpath)?;
                }
            }
        }

        let mut out = Map::new();
        let node = Node {
            active_property,
            ap_is_graph,
            ap_is_reverse,
            type_key,
            type_scoped: &type_scoped_ctx,
        };
        self.object_entries(&active, &node, element, &mut out, path)?;
        let node_err = |e: JsonLdError| e.at_path(|| path.pointer());

        let mut count = out.len();
        let mut result: Option<Value>;
        if has(&out, "@value") {
            if has(&out, "@type") && (has(&out, "@language") || has(&out, "@direction")) {
                return Err(node_err(spec(
                    "invalid value object",
                    "a value object cannot have both @type and @language or @direction",
                )));
            }
            let extra = count
                - 1
                - ["@type", "@index", "@language", "@direction"]
                    .iter()
                    .filter(|k| has(&out, k))
                    .count();
            if extra != 0 {
                return Err(node_err(spec(
                    "invalid value object",
                    "a value object may only have @index and either @type or @language and @direction",
                )));
            }
            let (json_only, no_values, bad_language, bad_type) = {
                let values: Vec<&Value> = match &out["@value"] {
                    Value::Null => Vec::new(),
                    Value::Array(a) => a.iter().collect(),
                    v => vec![v],
                };
                let types: Vec<&Value> = match out.get("@type") {
                    None | Some(Value::Null) => Vec::new(),
                    Some(Value::String(s)) if s.is_empty() => Vec::new(),
                    Some(Value::Array(a)) => a.iter().collect(),
                    Some(v) => vec![v],
                };
                (
                    types.len() == 1 && types[0] == "@json",
                    values.is_empty(),
                    has(&out, "@language")
                        && !values.iter().all(|v| v.is_string() || is_empty_object(v)),
                    !types.iter().all(|t| {
                        t.as_str()
                            .is_some_and(|t| is_absolute_iri(t) && !t.starts_with("_:"))
                            || is_empty_object(t)
                    }),
                )
            };
            if json_only {
                result = Some(Value::Object(out));
            } else if no_values {
                self.refuse(
                    Refusal::DroppedValue {
                        reason: "value object with a null @value".into(),
                    },
                    path,
                )?;
                result = None;
            } else if bad_language {
                return Err(node_err(spec(
                    "invalid language-tagged value",
                    "only strings may be language-tagged",
                )));
            } else if bad_type {
                return Err(node_err(spec(
                    "invalid typed value",
                    "the @type of a value object must be an absolute IRI",
                )));
            } else {
                result = Some(Value::Object(out));
            }
        } else if out.get("@type").is_some_and(|t| !t.is_array()) {
            if let Some(t) = out.get_mut("@type") {
                let old = std::mem::take(t);
                *t = Value::Array(vec![old]);
            }
            result = Some(Value::Object(out));
        } else if has(&out, "@set") || has(&out, "@list") {
            if count > 1 && !(count == 2 && has(&out, "@index")) {
                return Err(node_err(spec(
                    "invalid set or list object",
                    "@set and @list may only be accompanied by @index",
                )));
            }
            result = Some(match out.remove("@set") {
                Some(v) => {
                    count = v.as_object().map_or(0, Map::len);
                    v
                }
                None => Value::Object(out),
            });
        } else if count == 1 && has(&out, "@language") {
            self.refuse(
                Refusal::DroppedValue {
                    reason: "object with only @language".into(),
                },
                path,
            )?;
            result = None;
        } else {
            result = Some(Value::Object(out));
        }

        if let Some(Value::Object(o)) = &result {
            let droppable =
                count == 0 || has(o, "@value") || has(o, "@list") || (count == 1 && has(o, "@id"));
            let top = droppable
                && !inside_list
                && (active_property.is_none()
                    || ap_is_graph
                    || active_property
                        .is_some_and(|p| active.container(p) & container::GRAPH != 0));
            if top && self.drop_unsafe(o, count, path)? {
                result = None;
            }
        }
        Ok(result)
    }

    /// jsonld.js `_dropUnsafeObject`: whether a top-level object carries no statement.
    fn drop_unsafe(
        &self,
        o: &Map<String, Value>,
        count: usize,
        path: &Path,
    ) -> Result<bool, JsonLdError> {
        let reason = if count == 0 {
            "empty object"
        } else if has(o, "@value") {
            "value object outside of any property"
        } else if has(o, "@list") {
            "list object outside of any property"
        } else if count == 1 && has(o, "@id") {
            "object with only @id outside of any property"
        } else {
            return Ok(false);
        };
        self.refuse(
            Refusal::DroppedValue {
                reason: reason.into(),
            },
            path,
        )?;
        Ok(true)
    }

    /// jsonld.js `_expandObject`: expands each entry of `element` into `out`.
    fn object_entries(
        &mut self,
        active: &Arc<ActiveContext>,
        node: &Node<'_>,
        element: &Map<String, Value>,
        out: &mut Map<String, Value>,
        path: &Path,
    ) -> Result<(), JsonLdError> {
        let keys = sorted_keys(element);
        let value_type = node
            .type_key
            .and_then(|k| element.get(k))
            .filter(|v| truthy(v))
            .and_then(|v| match v {
                Value::Array(a) => a.first(),
                v => Some(v),
            })
            .and_then(Value::as_str);
        let is_json_type = value_type.is_some_and(|t| self.is_iri(active, t, true, "@json"));
        // Where a number under `@value` ends up: a JSON literal, an xsd:double or another literal.
        let value_use = if is_json_type {
            NumberUse::Json
        } else if value_type.is_some_and(|t| self.is_iri(active, t, true, XSD_DOUBLE)) {
            NumberUse::DoubleLiteral
        } else {
            NumberUse::Literal
        };
        let mut nests: Vec<&str> = Vec::new();
        let mut unexpanded_value: Option<&Value> = None;
        for key in keys {
            if key == "@context" {
                continue;
            }
            let kpath = path.key(key);
            let value = &element[key];
            self.entry(
                active,
                node,
                key,
                value,
                out,
                &kpath,
                value_use,
                &mut nests,
                &mut unexpanded_value,
            )
            .map_err(|e| e.at_path(|| kpath.pointer()))?;
        }
        if has(out, "@value") {
            let json = out.get("@type").and_then(Value::as_str) == Some("@json");
            if !json && unexpanded_value.is_some_and(|v| v.is_object() || v.is_array()) {
                return Err(spec(
                    "invalid value object value",
                    "@value must not be an object or an array",
                )
                .at_path(|| path.pointer()));
            }
        }
        for key in nests {
            let kpath = path.key(key);
            let values: Vec<(Option<usize>, &Value)> = match &element[key] {
                Value::Array(a) => a.iter().enumerate().map(|(i, v)| (Some(i), v)).collect(),
                v => vec![(None, v)],
            };
            for (i, nv) in values {
                let ipath;
                let npath = match i {
                    Some(i) => {
                        ipath = kpath.index(i);
                        &ipath
                    }
                    None => &kpath,
                };
                let valid = nv
                    .as_object()
                    .is_some_and(|o| !o.keys().any(|k| self.is_iri(active, k, true, "@value")));
                let Some(nested) = nv.as_object().filter(|_| valid) else {
                    return Err(
                        spec("invalid @nest value", "nested values must be node objects")
                            .at_path(|| npath.pointer()),
                    );
                };
                self.env
                    .enter()
                    .map_err(|e| e.at_path(|| npath.pointer()))?;
                self.object_entries(active, node, nested, out, npath)?;
                self.env.leave();
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn entry<'v>(
        &mut self,
        active: &Arc<ActiveContext>,
        node: &Node<'_>,
        key: &'v str,
        value: &'v Value,
        out: &mut Map<String, Value>,
        kpath: &Path,
        value_use: NumberUse,
        nests: &mut Vec<&'v str>,
        unexpanded_value: &mut Option<&'v Value>,
    ) -> Result<(), JsonLdError> {
        let def = active.term(key);
        let ep = match def {
            Some(d) => {
                d.id.as_deref()
                    .filter(|_| d.id_ok)
                    .map(std::borrow::Cow::Borrowed)
            }
            None => self
                .iri(active, key, true, false)
                .filter(|e| is_absolute_iri(e) || is_keyword(e)),
        };
        let Some(ep) = ep else {
            return self.refuse(
                Refusal::UndefinedTerm {
                    term: key.to_owned(),
                },
                kpath,
            );
        };
        let ep: &str = &ep;
        if is_keyword(ep) {
            if node.ap_is_reverse {
                return Err(spec(
                    "invalid reverse property map",
                    "a keyword cannot be used as a @reverse property",
                ));
            }
            if has(out, ep) && ep != "@included" && ep != "@type" {
                return Err(spec("colliding keywords", format!("{ep} given twice")));
            }
        }
        match ep {
            "@id" => {
                let Value::String(s) = value else {
                    return Err(spec("invalid @id value", "@id must be a string"));
                };
                let e = self.iri(active, s, false, true);
                match e.as_deref() {
                    None => self.refuse(
                        Refusal::InvalidIri {
                            iri: s.clone(),
                            reason: "reserved @id value".into(),
                        },
                        kpath,
                    )?,
                    Some(e) if !is_absolute_iri(e) => self.refuse(
                        Refusal::InvalidIri {
                            iri: s.clone(),
                            reason: "relative @id reference".into(),
                        },
                        kpath,
                    )?,
                    Some(_) => {}
                }
                out.insert("@id".to_owned(), iri_value(e));
                return Ok(());
            }
            "@type" => {
                let items: Vec<(Option<usize>, &str)> = match value {
                    Value::String(s) => vec![(None, s.as_str())],
                    Value::Array(a) if a.iter().all(Value::is_string) => a
                        .iter()
                        .enumerate()
                        .filter_map(|(i, v)| v.as_str().map(|s| (Some(i), s)))
                        .collect(),
                    _ => {
                        return Err(spec(
                            "invalid type value",
                            "@type must be a string or an array of strings",
                        ))
                    }
                };
                let mut mapped = Vec::with_capacity(items.len());
                for (i, t) in items {
                    let e = self.iri(node.type_scoped, t, true, true);
                    if e.as_deref() != Some("@json") && !e.as_deref().is_some_and(is_absolute_iri) {
                        let ipath;
                        let p = match i {
                            Some(i) => {
                                ipath = kpath.index(i);
                                &ipath
                            }
                            None => kpath,
                        };
                        self.refuse(Refusal::UndefinedType { name: t.to_owned() }, p)?;
                    }
                    mapped.push(iri_value(e));
                }
                add_value(out, "@type", Value::Array(mapped), false);
                return Ok(());
            }
            "@included" => {
                let r = self.element(
                    active,
                    node.active_property,
                    value,
                    kpath,
                    false,
                    false,
                    None,
                )?;
                let included = match r {
                    Some(v) => as_array(v),
                    None => vec![Value::Null],
                };
                if !included.iter().all(is_subject) {
                    return Err(spec(
                        "invalid @included value",
                        "values of @included must be node objects",
                    ));
                }
                add_value(out, "@included", Value::Array(included), true);
                return Ok(());
            }
            "@graph" if !(value.is_object() || value.is_array()) => {
                return Err(spec(
                    "invalid @graph value",
                    "@graph must be an object or an array",
                ));
            }
            "@value" => {
                *unexpanded_value = Some(value);
                if value_use == NumberUse::Json {
                    self.check_json_numbers(value, kpath)?;
                    out.insert("@value".to_owned(), value.clone());
                } else {
                    if let Value::Array(a) = value {
                        for v in a {
                            self.check_number(v, value_use, kpath)?;
                        }
                    } else {
                        self.check_number(value, value_use, kpath)?;
                    }
                    add_value(out, "@value", value.clone(), false);
                }
                return Ok(());
            }
            "@language" => {
                let s = match value {
                    Value::Null => return Ok(()),
                    Value::String(s) => s,
                    _ => {
                        return Err(spec(
                            "invalid language-tagged string",
                            "@language must be a string",
                        ))
                    }
                };
                let lower = s.to_lowercase();
                if !is_bcp47(&lower) {
                    self.refuse(Refusal::InvalidLanguage { tag: s.clone() }, kpath)?;
                }
                add_value(out, "@language", Value::String(lower), false);
                return Ok(());
            }
            "@direction" => {
                let Value::String(s) = value else {
                    return Err(spec(
                        "invalid base direction",
                        "@direction must be a string",
                    ));
                };
                if s != "ltr" && s != "rtl" {
                    return Err(spec(
                        "invalid base direction",
                        "@direction must be \"ltr\" or \"rtl\"",
                    ));
                }
                add_value(out, "@direction", value.clone(), false);
                return Ok(());
            }
            "@index" => {
                if !value.is_string() {
                    return Err(spec("invalid @index value", "@index must be a string"));
                }
                add_value(out, "@index", value.clone(), false);
                return Ok(());
            }
            "@reverse" => {
                if !value.is_object() {
                    return Err(spec("invalid @reverse value", "@reverse must be an object"));
                }
                let r = self.element(active, Some("@reverse"), value, kpath, false, false, None)?;
                let Some(Value::Object(mut r)) = r else {
                    return Ok(());
                };
                if let Some(Value::Object(double)) = r.remove("@reverse") {
                    for (prop, vals) in double {
                        add_value(out, &prop, vals, true);
                    }
                }
                for (prop, items) in r {
                    with_reverse_map(out, |map| {
                        add_value(map, &prop, Value::Array(Vec::new()), true);
                        add_reverse_items(map, &prop, items)
                    })?;
                }
                return Ok(());
            }
            "@nest" => {
                nests.push(key);
                return Ok(());
            }
            _ => {}
        }

        let term_ctx = match def.and_then(|d| d.context.as_ref()) {
            Some(sc) => {
                let sc = sc.clone();
                self.process(active, Local::Scoped(&sc), true, true, kpath)?
            }
            None => active.clone(),
        };
        let cont = def.map_or(0, |d| d.container);
        let expanded = match value {
            Value::Object(map) if cont & container::LANGUAGE != 0 => {
                let dir = term_ctx.direction(key);
                Some(self.language_map(&term_ctx, map, dir, kpath)?)
            }
            Value::Object(map) if cont & container::INDEX != 0 => {
                let index_key = term_ctx
                    .term(key)
                    .and_then(|t| t.index.clone())
                    .unwrap_or_else(|| "@index".to_owned());
                let property_index = if index_key == "@index" {
                    None
                } else {
                    self.iri(active, &index_key, true, false)
                        .map(std::borrow::Cow::into_owned)
                };
                Some(self.index_map(
                    term_ctx.clone(),
                    key,
                    map,
                    cont & container::GRAPH != 0,
                    &index_key,
                    property_index.as_deref(),
                    kpath,
                )?)
            }
            Value::Object(map) if cont & container::ID != 0 => Some(self.index_map(
                term_ctx.clone(),
                key,
                map,
                cont & container::GRAPH != 0,
                "@id",
                None,
                kpath,
            )?),
            Value::Object(map) if cont & container::TYPE != 0 => {
                let reverted = revert(&mut self.env, &term_ctx);
                Some(self.index_map(reverted, key, map, false, "@type", None, kpath)?)
            }
            _ if ep == "@list" || ep == "@set" => {
                let is_list = ep == "@list";
                let next = if is_list && node.ap_is_graph {
                    None
                } else {
                    node.active_property
                };
                self.element(&term_ctx, next, value, kpath, is_list, false, None)?
            }
            _ if def.and_then(|d| d.type_mapping.as_deref()) == Some("@json") => {
                self.check_json_numbers(value, kpath)?;
                let mut m = Map::new();
                m.insert("@type".to_owned(), Value::String("@json".to_owned()));
                m.insert("@value".to_owned(), value.clone());
                Some(Value::Object(m))
            }
            _ => self.element(&term_ctx, Some(key), value, kpath, false, false, None)?,
        };
        let Some(mut expanded) = expanded else {
            return Ok(());
        };
        if ep != "@list" && !is_list(&expanded) && cont & container::LIST != 0 {
            expanded = obj1("@list", Value::Array(as_array(expanded)));
        }
        if cont & container::GRAPH != 0 && cont & (container::ID | container::INDEX) == 0 {
            let mut graphs = Vec::new();
            for v in as_array(expanded) {
                let count = v.as_object().map_or(0, Map::len);
                let dropped = match &v {
                    Value::Object(o) => self.drop_unsafe(o, count, kpath)?,
                    _ => false,
                };
                if !dropped {
                    graphs.push(obj1("@graph", Value::Array(as_array(v))));
                }
            }
            if graphs.is_empty() {
                return Ok(());
            }
            expanded = Value::Array(graphs);
        }
        let reverse = if Arc::ptr_eq(&term_ctx, active) {
            def.is_some_and(|d| d.reverse)
        } else {
            term_ctx.is_reverse(key)
        };
        if reverse {
            return with_reverse_map(out, |map| add_reverse_items(map, ep, expanded));
        }
        add_value(out, ep, expanded, true);
        Ok(())
    }

    /// jsonld.js `_expandValue`.
    fn value(
        &self,
        ctx: &ActiveContext,
        active_property: Option<&str>,
        value: &Value,
        path: &Path,
    ) -> Result<Value, JsonLdError> {
        let def = active_property.and_then(|p| ctx.term(p));
        let ep = match (def, active_property) {
            (Some(d), _) => d.id.as_deref().map(std::borrow::Cow::Borrowed),
            (None, Some(p)) => self.iri(ctx, p, true, false),
            (None, None) => None,
        };
        let ep = ep.as_deref();
        if ep == Some("@id") || ep == Some("@type") {
            return Ok(match value {
                Value::String(s) => iri_value(self.iri(ctx, s, ep == Some("@type"), true)),
                v => v.clone(),
            });
        }
        let type_mapping = def.and_then(|d| d.type_mapping.as_deref());
        if let Value::String(s) = value {
            if type_mapping == Some("@id") || ep == Some("@graph") {
                let e = self.iri(ctx, s, false, true);
                if e.is_none() && is_keyword_like(s) {
                    self.refuse(
                        Refusal::InvalidIri {
                            iri: s.clone(),
                            reason: "reserved @id value".into(),
                        },
                        path,
                    )?;
                }
                return Ok(obj1("@id", iri_value(e)));
            }
            if type_mapping == Some("@vocab") {
                return Ok(obj1("@id", iri_value(self.iri(ctx, s, true, true))));
            }
        }
        if ep.is_some_and(is_keyword) {
            return Ok(value.clone());
        }
        let mut out = Map::new();
        match type_mapping {
            Some(t) if !matches!(t, "@id" | "@vocab" | "@none") => {
                out.insert("@type".to_owned(), Value::String(t.to_owned()));
            }
            _ => {
                if let (Value::String(_), Some(_)) = (value, active_property) {
                    let language = match def.and_then(|d| d.language.as_ref()) {
                        Some(l) => l.as_deref(),
                        None => ctx.default_language(),
                    };
                    if let Some(l) = language {
                        out.insert("@language".to_owned(), Value::String(l.to_owned()));
                    }
                    let direction = match def.and_then(|d| d.direction) {
                        Some(d) => d,
                        None => ctx.default_direction(),
                    };
                    if let Some(d) = direction {
                        out.insert(
                            "@direction".to_owned(),
                            Value::String(d.as_str().to_owned()),
                        );
                    }
                }
            }
        }
        let use_ = if type_mapping == Some(XSD_DOUBLE) {
            NumberUse::DoubleLiteral
        } else {
            NumberUse::Literal
        };
        self.check_number(value, use_, path)?;
        out.insert("@value".to_owned(), value.clone());
        Ok(Value::Object(out))
    }

    /// jsonld.js `_expandLanguageMap`.
    fn language_map(
        &self,
        ctx: &ActiveContext,
        map: &Map<String, Value>,
        direction: Option<Direction>,
        path: &Path,
    ) -> Result<Value, JsonLdError> {
        let mut out = Vec::new();
        for key in sorted_keys(map) {
            let kpath = path.key(key);
            let none = self.is_iri(ctx, key, true, "@none");
            let items: Vec<&Value> = match &map[key] {
                Value::Array(a) => a.iter().collect(),
                v => vec![v],
            };
            for item in items {
                let s = match item {
                    Value::Null => continue,
                    Value::String(s) => s,
                    _ => {
                        return Err(spec(
                            "invalid language map value",
                            "language map values must be strings",
                        )
                        .at_path(|| kpath.pointer()))
                    }
                };
                let mut v = Map::new();
                v.insert("@value".to_owned(), Value::String(s.clone()));
                if !none {
                    if !is_bcp47(key) {
                        self.refuse(
                            Refusal::InvalidLanguage {
                                tag: key.to_owned(),
                            },
                            &kpath,
                        )?;
                    }
                    v.insert("@language".to_owned(), Value::String(key.to_lowercase()));
                }
                if let Some(d) = direction {
                    v.insert(
                        "@direction".to_owned(),
                        Value::String(d.as_str().to_owned()),
                    );
                }
                out.push(Value::Object(v));
            }
        }
        Ok(Value::Array(out))
    }

    /// jsonld.js `_expandIndexMap` (index, id and type maps).
    #[allow(clippy::too_many_arguments)]
    fn index_map(
        &mut self,
        mut ctx: Arc<ActiveContext>,
        active_property: &str,
        map: &Map<String, Value>,
        as_graph: bool,
        index_key: &str,
        property_index: Option<&str>,
        path: &Path,
    ) -> Result<Value, JsonLdError> {
        let mut out = Vec::new();
        let type_index = index_key == "@type";
        for key in sorted_keys(map) {
            let kpath = path.key(key);
            if type_index {
                if let Some(sc) = ctx.scoped_context(key) {
                    let sc = sc.clone();
                    ctx = self.process(&ctx, Local::Scoped(&sc), false, false, &kpath)?;
                }
            }
            let items = self
                .element(
                    &ctx,
                    Some(active_property),
                    &map[key],
                    &kpath,
                    false,
                    true,
                    None,
                )?
                .map(as_array)
                .unwrap_or_default();
            let expanded_key: Value = match property_index {
                Some(_) if key == "@none" => Value::String("@none".to_owned()),
                Some(_) => self.value(
                    &ctx,
                    Some(index_key),
                    &Value::String(key.to_owned()),
                    &kpath,
                )?,
                None => iri_value(self.iri(&ctx, key, true, false)),
            };
            let key_value: Value = if index_key == "@id" {
                iri_value(self.iri(&ctx, key, false, true))
            } else if type_index {
                expanded_key.clone()
            } else {
                Value::String(key.to_owned())
            };
            let key_is_none = expanded_key == "@none";
            for mut item in items {
                if as_graph && !is_graph(&item) {
                    item = obj1("@graph", Value::Array(vec![item]));
                }
                if type_index {
                    if !key_is_none {
                        if let Value::Object(o) = &mut item {
                            let existing = o.remove("@type").filter(truthy);
                            let mut types = vec![key_value.clone()];
                            if let Some(t) = existing {
                                types.extend(as_array(t));
                            }
                            o.insert("@type".to_owned(), Value::Array(types));
                        }
                    }
                } else if is_value(&item) && !matches!(index_key, "@language" | "@type" | "@index")
                {
                    return Err(spec(
                        "invalid value object",
                        format!("a value object cannot be indexed by {index_key}"),
                    )
                    .at_path(|| kpath.pointer()));
                } else if let Some(prop) = property_index {
                    if !key_is_none {
                        if let Value::Object(o) = &mut item {
                            prepend_value(o, prop, expanded_key.clone());
                        }
                    }
                } else if !key_is_none {
                    if let Value::Object(o) = &mut item {
                        if !o.contains_key(index_key) {
                            o.insert(index_key.to_owned(), key_value.clone());
                        }
                    }
                }
                out.push(item);
            }
        }
        Ok(Value::Array(out))
    }
}

/// What an object's entries need to know about the node they belong to.
struct Node<'n> {
    active_property: Option<&'n str>,
    ap_is_graph: bool,
    ap_is_reverse: bool,
    type_key: Option<&'n str>,
    type_scoped: &'n Arc<ActiveContext>,
}

/// Adds the values of a reverse property; value and list objects cannot be subjects.
fn add_reverse_items(
    map: &mut Map<String, Value>,
    prop: &str,
    items: Value,
) -> Result<(), JsonLdError> {
    for item in as_array(items) {
        if is_value(&item) || is_list(&item) {
            return Err(spec(
                "invalid reverse property value",
                "a reverse property value cannot be a value or list object",
            ));
        }
        add_value(map, prop, item, true);
    }
    Ok(())
}

/// Runs `f` on the node's `@reverse` map, creating it if needed.
fn with_reverse_map<R>(
    out: &mut Map<String, Value>,
    f: impl FnOnce(&mut Map<String, Value>) -> R,
) -> R {
    let mut map = match out.remove("@reverse") {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let r = f(&mut map);
    out.insert("@reverse".to_owned(), Value::Object(map));
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn credential(subject: Value) -> Value {
        json!({
            "@context": [
                crate::contexts::CREDENTIALS_V2,
                crate::contexts::OB_V3P0
            ],
            "id": "urn:uuid:2f1d7c9e-4b8a-4e61-9a52-0c3e7d5b8a10",
            "type": ["VerifiableCredential", "AchievementCredential"],
            "issuer": "did:example:issuer",
            "validFrom": "2025-07-01T00:00:00Z",
            "credentialSubject": subject
        })
    }

    fn strict(doc: &Value) -> Result<Value, JsonLdError> {
        expand(doc, &ContextRegistry::bundled(), &Options::strict())
    }

    fn lenient(doc: &Value) -> Value {
        let options = Options {
            strict: false,
            ..Options::default()
        };
        expand(doc, &ContextRegistry::bundled(), &options).unwrap()
    }

    fn refusal(doc: &Value) -> (Refusal, String) {
        match strict(doc) {
            Err(JsonLdError::Strict {
                refusal,
                path: Some(path),
            }) => (refusal, path),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }

    fn subject() -> Value {
        json!({
            "id": "did:example:learner",
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://example.org/achievements/1",
                "type": ["Achievement"],
                "name": "Data analysis",
                "criteria": {"narrative": "Pass the exam."}
            }
        })
    }

    #[test]
    fn accepts_a_clean_credential() {
        let out = strict(&credential(subject())).unwrap();
        let node = &out[0];
        assert_eq!(
            node["@type"],
            json!([
                "https://www.w3.org/2018/credentials#VerifiableCredential",
                "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential"
            ])
        );
        let achievement = &node["https://www.w3.org/2018/credentials#credentialSubject"][0]
            ["https://purl.imsglobal.org/spec/vc/ob/vocab.html#achievement"][0];
        assert_eq!(achievement["@id"], "https://example.org/achievements/1");
    }

    #[test]
    fn refuses_an_undefined_term_with_its_path() {
        let mut s = subject();
        s["achievement"]["foo"] = json!("bar");
        let (r, path) = refusal(&credential(s.clone()));
        assert_eq!(r, Refusal::UndefinedTerm { term: "foo".into() });
        assert_eq!(path, "/credentialSubject/achievement/foo");
        // Plain JSON-LD drops it.
        let out = lenient(&credential(s));
        assert!(!out.to_string().contains("bar"));
    }

    #[test]
    fn refuses_a_relative_id() {
        let mut s = subject();
        s["achievement"]["id"] = json!("achievements/1");
        let (r, path) = refusal(&credential(s));
        assert!(
            matches!(r, Refusal::InvalidIri { ref iri, .. } if iri == "achievements/1"),
            "{r}"
        );
        assert_eq!(path, "/credentialSubject/achievement/id");
    }

    #[test]
    fn refuses_an_undefined_type() {
        let mut s = subject();
        s["achievement"]["type"] = json!(["Achievement", "NoSuchType"]);
        let (r, path) = refusal(&credential(s));
        assert_eq!(
            r,
            Refusal::UndefinedType {
                name: "NoSuchType".into()
            }
        );
        assert_eq!(path, "/credentialSubject/achievement/type/1");
    }

    #[test]
    fn refuses_a_malformed_language_tag_and_lowercases_good_ones() {
        let mut s = subject();
        s["achievement"]["name"] = json!({"@value": "x", "@language": "en_US"});
        let (r, path) = refusal(&credential(s.clone()));
        assert_eq!(
            r,
            Refusal::InvalidLanguage {
                tag: "en_US".into()
            }
        );
        assert_eq!(path, "/credentialSubject/achievement/name/@language");
        s["achievement"]["name"] = json!({"@value": "x", "@language": "en-US"});
        let out = strict(&credential(s)).unwrap();
        assert!(out.to_string().contains(r#""@language":"en-us""#), "{out}");
    }

    #[test]
    fn refuses_numbers_javascript_would_change() {
        let mut s = subject();
        s["creditsEarned"] = serde_json::from_str("9007199254740993").unwrap();
        let (r, path) = refusal(&credential(s.clone()));
        assert!(
            matches!(r, Refusal::Number { ref value, .. } if value == "9007199254740993"),
            "{r}"
        );
        assert_eq!(path, "/credentialSubject/creditsEarned");
        s["creditsEarned"] = serde_json::from_str("1e-7").unwrap();
        let (r, path) = refusal(&credential(s.clone()));
        assert!(
            matches!(r, Refusal::Number { ref reason, .. } if reason.contains("integer 0")),
            "{r}"
        );
        assert_eq!(path, "/credentialSubject/creditsEarned");
        // Exact beyond 2^53: JavaScript reads and signs the same integer.
        for exact in ["1e20", "9007199254740994"] {
            s["creditsEarned"] = serde_json::from_str(exact).unwrap();
            assert!(strict(&credential(s.clone())).is_ok(), "{exact}");
        }
        // Typed xsd:double, 1e-7 keeps its value ("1.0E-7"), also with a @type alias.
        let mut typed = credential(subject());
        typed["credentialSubject"]["creditsEarned"] = json!({
            "@context": {"kind": "@type"},
            "kind": "http://www.w3.org/2001/XMLSchema#double",
            "@value": 1e-7
        });
        assert!(strict(&typed).is_ok());
        // Kept as written (not rewritten) when accepted.
        s["creditsEarned"] = json!(7.5);
        let out = strict(&credential(s)).unwrap();
        assert!(out.to_string().contains("7.5"));
    }

    #[test]
    fn refuses_dropped_values() {
        let doc = json!({"@context": {"@vocab": "https://ex/"}, "@graph": ["free"]});
        let (r, path) = refusal(&doc);
        assert!(matches!(r, Refusal::DroppedValue { .. }));
        assert_eq!(path, "/@graph/0");
        let doc = json!({"@context": {"@vocab": "https://ex/"}, "p": {"@value": null}});
        assert!(matches!(refusal(&doc).0, Refusal::DroppedValue { .. }));
    }

    #[test]
    fn several_type_scoped_contexts_accumulate_in_sorted_order() {
        let doc = json!({
            "@context": {
                "@vocab": "https://ex/",
                "B": {"@context": {"fromB": "https://ex/b#fromB"}},
                "A": {"@context": {"fromA": "https://ex/a#fromA", "shared": "https://ex/a#shared"}},
                "C": {"@context": {"shared": "https://ex/c#shared"}}
            },
            "@type": ["C", "B", "A"],
            "fromA": 1,
            "fromB": 2,
            "shared": 3
        });
        let out = lenient(&doc);
        let node = &out[0];
        assert_eq!(node["https://ex/a#fromA"][0]["@value"], 1);
        assert_eq!(node["https://ex/b#fromB"][0]["@value"], 2);
        // "C" sorts last, so its definition of "shared" wins.
        assert_eq!(node["https://ex/c#shared"][0]["@value"], 3);
    }

    #[test]
    fn type_scoped_contexts_do_not_propagate() {
        let doc = json!({
            "@context": {
                "@vocab": "https://ex/",
                "T": {"@context": {"p": "https://ex/scoped#p"}}
            },
            "@type": "T",
            "p": "direct",
            "child": {"p": "nested"}
        });
        let out = lenient(&doc);
        assert_eq!(out[0]["https://ex/scoped#p"][0]["@value"], "direct");
        assert_eq!(
            out[0]["https://ex/child"][0]["https://ex/p"][0]["@value"],
            "nested"
        );
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let mut doc = json!({"https://ex/leaf": "x"});
        for _ in 0..10_000 {
            doc = obj1("https://ex/p", doc);
        }
        let err = expand(&doc, &ContextRegistry::empty(), &Options::default()).unwrap_err();
        assert!(matches!(err, JsonLdError::Limit { .. }), "{err}");
        // Dropping a 10 000-deep Value recursively would itself overflow the test stack.
        let mut v = doc;
        while let Some(inner) = v.as_object_mut().and_then(|o| o.remove("https://ex/p")) {
            v = inner;
        }
    }
}

//! Active contexts, term definitions and the context processing algorithm (JSON-LD 1.1 API §4.1–4.2).
//! Processing follows jsonld.js 9 wherever it departs from the spec text, because signatures
//! must match what Digital Bazaar's libraries compute (for instance, an active context loses
//! its default `@direction` whenever another context is processed on top of it).
//!
//! # Caching
//!
//! An [`ActiveContext`] is immutable once built and shared as `Arc`; each has a process-unique
//! `id`. Every derivation step is memoized in one global [`BoundedMap`] keyed by
//! `(parent id, step, document base)`, where a step is "apply context document *d*" (with the
//! override-protected flag), "start a non-propagated scope" or "drop the default direction".
//! Context documents get ids too: a remote context is parsed once per (URL, registry text) —
//! the text `Arc` is kept and compared by pointer, so replacing a context in a
//! [`ContextRegistry`] invalidates it — an inline context is interned by its JSON text, and
//! a scoped context (`@context` in a term definition) gets an id when its term is defined.
//! A credential's `"@context": [VC v2, OB 3.0]` therefore costs two registry look-ups and two
//! cache hits per document, and each type- or property-scoped context one hit. Entries that
//! read other registry documents while being built (`@import`, validation of scoped context
//! URLs) record them and are re-checked on every hit.
//!
//! Memory is bounded: the processed-context map keeps at most [`PROCESSED_CAP`] entries holding
//! [`PROCESSED_TERMS_CAP`] term definitions in all, the parsed remote and interned inline
//! documents [`DOCS_CAP`] entries and [`DOCS_BYTES_CAP`] bytes each, evicting the least
//! recently used half of a shard when it fills. Results and documents that are very large are
//! not cached. Work per call is bounded by [`WORK_LIMIT`] copied term definitions, and
//! recursion by [`MAX_DEPTH`].

use super::cache::BoundedMap;
use super::iri::{
    is_absolute_iri, is_bcp47, is_keyword, is_keyword_like, js_key_order, prepend_base,
};
use super::FastMap;
use super::{JsonLdError, Refusal};
use crate::contexts::ContextRegistry;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

/// Processed contexts kept process-wide.
pub(super) const PROCESSED_CAP: usize = 4096;
/// Term definitions held by all cached processed contexts together (each term costs a map
/// slot of well under 100 bytes; definitions themselves are shared), so about 40 MB at most.
/// Four sample credentials over the bundled contexts left 10 processed contexts holding 610.
pub(super) const PROCESSED_TERMS_CAP: u64 = 500_000;
/// Parsed remote context documents and interned inline contexts kept process-wide.
pub(super) const DOCS_CAP: usize = 1024;
/// Bytes of JSON text held by each of the two document caches.
pub(super) const DOCS_BYTES_CAP: u64 = 16 << 20;
/// Term definitions one expansion may copy or create before it is refused.
pub(super) const WORK_LIMIT: u64 = 4_000_000;
/// Nesting of documents, contexts and term dependencies before the input is refused. A credential
/// nests about ten levels; 64 keeps the recursion well inside a 2 MiB thread stack even in an
/// unoptimized build (serde_json's own parser stops at 128).
pub(super) const MAX_DEPTH: u32 = 64;
/// jsonld.js allows ten remote contexts in one resolution chain.
const MAX_REMOTE_CHAIN: usize = 10;
/// Remote contexts one resolution may load in total.
const MAX_REMOTE_LOADS: u32 = 256;
/// Inline contexts longer than this (JSON text) are processed but not cached.
const MAX_CACHED_INLINE: usize = 64 * 1024;
/// Processed contexts with more terms than this are not cached.
const MAX_CACHED_TERMS: usize = 20_000;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

fn next_id() -> u64 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

fn spec(code: &'static str, message: impl Into<String>) -> JsonLdError {
    JsonLdError::Spec {
        code,
        message: message.into(),
        path: None,
    }
}

/// A base direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Direction {
    Ltr,
    Rtl,
}

impl Direction {
    fn parse(s: &str) -> Option<Self> {
        match s {
            "ltr" => Some(Self::Ltr),
            "rtl" => Some(Self::Rtl),
            _ => None,
        }
    }

    pub(super) fn as_str(self) -> &'static str {
        match self {
            Self::Ltr => "ltr",
            Self::Rtl => "rtl",
        }
    }
}

/// The `@base` of an active context: never set, set to `null`, or set to a string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum CtxBase {
    Unset,
    Null,
    Iri(String),
}

/// Container flags of a term definition.
pub(super) mod container {
    pub const LIST: u8 = 1;
    pub const SET: u8 = 2;
    pub const INDEX: u8 = 4;
    pub const LANGUAGE: u8 = 8;
    pub const GRAPH: u8 = 16;
    pub const ID: u8 = 32;
    pub const TYPE: u8 = 64;

    pub(super) fn flag(name: &str) -> u8 {
        match name {
            "@list" => LIST,
            "@set" => SET,
            "@index" => INDEX,
            "@language" => LANGUAGE,
            "@graph" => GRAPH,
            "@id" => ID,
            "@type" => TYPE,
            _ => 0,
        }
    }
}

/// A context value found in a term definition (`"@context"` of a term), with its inline
/// documents given stable ids so that applying it can be memoized.
#[derive(Debug)]
pub(super) struct ScopedContext {
    /// As written (relative context URLs already resolved for remote documents).
    raw: Value,
    /// `None` when the value unwraps to an empty array (processing it changes nothing).
    items: Option<Vec<PreItem>>,
}

impl ScopedContext {
    fn new(raw: Value, cacheable: bool) -> Self {
        let items = pre_items(&raw, |v| {
            Arc::new(CtxDoc {
                id: next_id(),
                cacheable,
                value: v.clone(),
            })
        });
        Self { raw, items }
    }
}

/// A term definition (the `mapping` of jsonld.js, with the same presence rules).
#[derive(Debug, Clone, Default)]
pub(super) struct TermDef {
    /// IRI mapping; `None` is a term explicitly mapped to `null`.
    pub(super) id: Option<String>,
    pub(super) reverse: bool,
    pub(super) type_mapping: Option<String>,
    container_list: Option<Vec<String>>,
    pub(super) container: u8,
    /// `Some(None)`: `"@language": null` in the definition.
    pub(super) language: Option<Option<String>>,
    pub(super) direction: Option<Option<Direction>>,
    pub(super) index: Option<String>,
    pub(super) context: Option<Arc<ScopedContext>>,
    nest: Option<String>,
    /// `Some(true)`: usable as a compact-IRI prefix.
    prefix: Option<bool>,
    protected: bool,
    term_has_colon: bool,
    /// The IRI mapping is an absolute IRI or a keyword (the term makes a valid property).
    pub(super) id_ok: bool,
}

impl TermDef {
    /// Equality as jsonld.js's `_deepCompare` sees two mappings (container order ignored).
    fn same_as(&self, other: &Self) -> bool {
        let sorted = |c: &Option<Vec<String>>| {
            c.as_ref().map(|c| {
                let mut c = c.clone();
                c.sort();
                c
            })
        };
        self.id == other.id
            && self.reverse == other.reverse
            && self.type_mapping == other.type_mapping
            && sorted(&self.container_list) == sorted(&other.container_list)
            && self.language == other.language
            && self.direction == other.direction
            && self.index == other.index
            && self.context.as_ref().map(|c| &c.raw) == other.context.as_ref().map(|c| &c.raw)
            && self.nest == other.nest
            && self.prefix == other.prefix
            && self.protected == other.protected
            && self.term_has_colon == other.term_has_colon
    }
}

/// An active context. Immutable once built; derived contexts are new `Arc`s.
#[derive(Debug)]
pub(super) struct ActiveContext {
    id: u64,
    /// Built while validating a scoped context; never cached.
    ephemeral: bool,
    terms: FastMap<Arc<str>, Arc<TermDef>>,
    base: CtxBase,
    vocab: Option<String>,
    language: Option<String>,
    direction: Option<Direction>,
    /// The context to return to at the next node object (non-propagated scopes).
    previous: Option<Arc<ActiveContext>>,
    /// Some term was ever protected here (jsonld.js never forgets it).
    has_protected: bool,
    /// Terms whose IRI mapping is `@type` (checked on every key of every node).
    type_aliases: Vec<Arc<str>>,
}

impl ActiveContext {
    /// jsonld.js's `clone()`: a copy with a new identity that does NOT keep `@direction`.
    fn child(&self) -> Self {
        Self {
            id: next_id(),
            ephemeral: self.ephemeral,
            terms: self.terms.clone(),
            base: self.base.clone(),
            vocab: self.vocab.clone(),
            language: self.language.clone(),
            direction: None,
            previous: self.previous.clone(),
            has_protected: self.has_protected,
            type_aliases: self.type_aliases.clone(),
        }
    }

    /// Recomputes what is derived from the term definitions.
    fn finish(&mut self) {
        self.type_aliases = self
            .terms
            .iter()
            .filter(|(_, t)| t.id.as_deref() == Some("@type"))
            .map(|(k, _)| k.clone())
            .collect();
    }

    /// Whether `key` expands to `@type` (same as `expand_iri(self, key, true, ..) == "@type"`).
    pub(super) fn is_type_key(&self, key: &str, doc_base: Option<&str>) -> bool {
        if key == "@type" {
            return true;
        }
        if self.vocab.as_deref().is_some_and(|v| v.starts_with('@')) {
            return expand_iri(self, key, true, false, doc_base).as_deref() == Some("@type");
        }
        self.type_aliases.iter().any(|a| **a == *key)
    }

    pub(super) fn term(&self, key: &str) -> Option<&TermDef> {
        self.terms.get(key).map(|t| &**t)
    }

    pub(super) fn has_previous(&self) -> bool {
        self.previous.is_some()
    }

    pub(super) fn container(&self, key: &str) -> u8 {
        self.term(key).map_or(0, |t| t.container)
    }

    pub(super) fn default_language(&self) -> Option<&str> {
        self.language.as_deref()
    }

    pub(super) fn default_direction(&self) -> Option<Direction> {
        self.direction
    }

    /// The term's direction mapping, else the default direction.
    pub(super) fn direction(&self, key: &str) -> Option<Direction> {
        match self.term(key).and_then(|t| t.direction) {
            Some(d) => d,
            None => self.direction,
        }
    }

    pub(super) fn scoped_context(&self, key: &str) -> Option<&Arc<ScopedContext>> {
        self.term(key).and_then(|t| t.context.as_ref())
    }

    pub(super) fn is_reverse(&self, key: &str) -> bool {
        self.term(key).is_some_and(|t| t.reverse)
    }
}

/// The initial context (shared; nothing defined).
pub(super) fn initial_context() -> Arc<ActiveContext> {
    static INITIAL: OnceLock<Arc<ActiveContext>> = OnceLock::new();
    INITIAL
        .get_or_init(|| {
            Arc::new(ActiveContext {
                id: next_id(),
                ephemeral: false,
                terms: FastMap::default(),
                base: CtxBase::Unset,
                vocab: None,
                language: None,
                direction: None,
                previous: None,
                has_protected: false,
                type_aliases: Vec::new(),
            })
        })
        .clone()
}

/// IRI expansion (JSON-LD 1.1 API §5.2) as jsonld.js does it; `None` is `null` (dropped).
pub(super) fn expand_iri<'c>(
    ctx: &'c ActiveContext,
    value: &'c str,
    vocab: bool,
    base: bool,
    doc_base: Option<&str>,
) -> Option<Cow<'c, str>> {
    if is_keyword(value) {
        return Some(Cow::Borrowed(value));
    }
    if is_keyword_like(value) {
        return None;
    }
    if vocab {
        if let Some(t) = ctx.terms.get(value) {
            return t.id.as_deref().map(Cow::Borrowed);
        }
    }
    if let Some(colon) = value.find(':').filter(|&c| c > 0) {
        let (prefix, suffix) = (&value[..colon], &value[colon + 1..]);
        if prefix == "_" || suffix.starts_with("//") {
            return Some(Cow::Borrowed(value));
        }
        if let Some(t) = ctx.terms.get(prefix) {
            if t.prefix == Some(true) {
                let id = t.id.as_deref().unwrap_or("null");
                return Some(Cow::Owned(format!("{id}{suffix}")));
            }
        }
        if is_absolute_iri(value) {
            return Some(Cow::Borrowed(value));
        }
    }
    if vocab {
        if let Some(v) = &ctx.vocab {
            return Some(Cow::Owned(format!("{v}{value}")));
        }
    }
    if base {
        return Some(match &ctx.base {
            CtxBase::Iri(b) if !b.is_empty() => {
                let b = prepend_base(doc_base, b);
                Cow::Owned(prepend_base(Some(&b), value))
            }
            CtxBase::Iri(_) | CtxBase::Null => Cow::Borrowed(value),
            CtxBase::Unset => match doc_base {
                None => Cow::Borrowed(value),
                Some(_) => Cow::Owned(prepend_base(doc_base, value)),
            },
        });
    }
    Some(Cow::Borrowed(value))
}

/// State of one expansion: where contexts come from, the base, limits, and what was refused.
pub(super) struct Env<'a> {
    pub(super) registry: &'a ContextRegistry,
    /// The document base (`options.base`).
    pub(super) base: Option<&'a str>,
    base_key: Option<Arc<str>>,
    pub(super) strict: bool,
    work: u64,
    depth: u32,
    /// > 0 while a cacheable step is being computed (its registry reads are recorded).
    recording: u32,
    deps: Vec<(String, Arc<str>)>,
    /// Strict-mode findings of context processing, in order.
    refusals: Vec<Refusal>,
}

impl<'a> Env<'a> {
    pub(super) fn new(registry: &'a ContextRegistry, base: Option<&'a str>, strict: bool) -> Self {
        Self {
            registry,
            base,
            base_key: base.map(Arc::from),
            strict,
            work: 0,
            depth: 0,
            recording: 0,
            deps: Vec::new(),
            refusals: Vec::new(),
        }
    }

    /// Counts `n` units of work (term definitions copied or created).
    pub(super) fn charge(&mut self, n: usize) -> Result<(), JsonLdError> {
        self.work += n as u64;
        if self.work > WORK_LIMIT {
            return Err(JsonLdError::Limit {
                what: "context processing work",
                path: None,
            });
        }
        Ok(())
    }

    pub(super) fn enter(&mut self) -> Result<(), JsonLdError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(JsonLdError::Limit {
                what: "nesting depth",
                path: None,
            });
        }
        Ok(())
    }

    pub(super) fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }
}

/// A context document: one object of a `@context` value (inline, remote or scoped).
#[derive(Debug)]
struct CtxDoc {
    id: u64,
    /// Results computed from it may be cached (false for oversized inline contexts).
    cacheable: bool,
    value: Value,
}

/// An entry of a `@context` value before remote references are followed.
#[derive(Debug, Clone)]
enum PreItem {
    Null,
    Doc(Arc<CtxDoc>),
    Url(String),
    /// Neither object, string nor null: "invalid local context" when resolved.
    Invalid,
}

/// An entry after remote references are followed.
enum Item {
    Null,
    Doc(Arc<CtxDoc>),
}

/// JavaScript truthiness, which jsonld.js applies to `@context`, `@protected` and `@type` values.
pub(super) fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(_) | Value::Object(_) => true,
    }
}

/// The entries of a local context, unwrapped as jsonld.js does; `None` for an empty array.
fn pre_items(local: &Value, mut doc: impl FnMut(&Value) -> Arc<CtxDoc>) -> Option<Vec<PreItem>> {
    let mut v = local;
    if let Value::Object(o) = v {
        if let Some(c @ Value::Array(_)) = o.get("@context") {
            v = c;
        }
    }
    if let Value::Array(a) = v {
        if a.is_empty() {
            return None;
        }
    }
    if let Value::Object(o) = v {
        if let Some(c) = o.get("@context").filter(|c| truthy(c)) {
            v = c;
        }
    }
    let one = |e: &Value, doc: &mut dyn FnMut(&Value) -> Arc<CtxDoc>| match e {
        Value::Null => PreItem::Null,
        Value::String(s) => PreItem::Url(s.clone()),
        Value::Object(_) => PreItem::Doc(doc(e)),
        _ => PreItem::Invalid,
    };
    Some(match v {
        Value::Array(a) => a.iter().map(|e| one(e, &mut doc)).collect(),
        e => vec![one(e, &mut doc)],
    })
}

/// A parsed remote context document.
struct RemoteDoc {
    text: Arc<str>,
    items: Vec<PreItem>,
}

fn remote_docs() -> &'static BoundedMap<String, Arc<RemoteDoc>> {
    static MAP: OnceLock<BoundedMap<String, Arc<RemoteDoc>>> = OnceLock::new();
    MAP.get_or_init(|| BoundedMap::new(DOCS_CAP, DOCS_BYTES_CAP))
}

fn inline_docs() -> &'static BoundedMap<String, Arc<CtxDoc>> {
    static MAP: OnceLock<BoundedMap<String, Arc<CtxDoc>>> = OnceLock::new();
    MAP.get_or_init(|| BoundedMap::new(DOCS_CAP, DOCS_BYTES_CAP))
}

/// Makes the context URLs inside a remote context absolute (jsonld.js `_resolveContextUrls`).
fn resolve_context_urls(ctx: &mut Value, base: &str, depth: u32) {
    if depth > MAX_DEPTH {
        return;
    }
    match ctx {
        Value::String(s) => *s = prepend_base(Some(base), s),
        Value::Array(a) => {
            for e in a {
                match e {
                    Value::String(s) => *s = prepend_base(Some(base), s),
                    Value::Object(_) => resolve_context_urls(e, base, depth + 1),
                    _ => {}
                }
            }
        }
        Value::Object(o) => {
            for (_, term) in o.iter_mut() {
                if let Value::Object(t) = term {
                    if let Some(c) = t.get_mut("@context") {
                        resolve_context_urls(c, base, depth + 1);
                    }
                }
            }
        }
        _ => {}
    }
}

fn load_remote(env: &mut Env, url: &str) -> Result<Arc<RemoteDoc>, JsonLdError> {
    let text = env
        .registry
        .get_arc(url)
        .ok_or_else(|| JsonLdError::UnknownContext {
            url: url.to_owned(),
        })?;
    if env.recording > 0 {
        env.deps.push((url.to_owned(), text.clone()));
    }
    if let Some(doc) = remote_docs().get(url) {
        if Arc::ptr_eq(&doc.text, &text) {
            return Ok(doc);
        }
    }
    let parsed: Value = serde_json::from_str(&text).map_err(|e| {
        spec(
            "loading remote context failed",
            format!("{url} is not JSON: {e}"),
        )
    })?;
    let Value::Object(mut obj) = parsed else {
        return Err(spec(
            "invalid remote context",
            format!("{url} is not a JSON object"),
        ));
    };
    let mut ctx = obj
        .remove("@context")
        .unwrap_or_else(|| Value::Object(Map::new()));
    resolve_context_urls(&mut ctx, url, 0);
    let mut wrapper = Map::new();
    wrapper.insert("@context".to_owned(), ctx);
    let items = pre_items(&Value::Object(wrapper), |v| {
        Arc::new(CtxDoc {
            id: next_id(),
            cacheable: true,
            value: v.clone(),
        })
    })
    .unwrap_or_default();
    let doc = Arc::new(RemoteDoc { text, items });
    let weight = doc.text.len() as u64;
    let stored = remote_docs().insert(url.to_owned(), doc.clone(), weight);
    // Another thread may have stored a parse of an older text under the same URL.
    Ok(if Arc::ptr_eq(&stored.text, &doc.text) {
        stored
    } else {
        doc
    })
}

/// Follows remote references (jsonld.js `ContextResolver.resolve`), flattening them in order.
fn flatten(
    env: &mut Env,
    items: &[PreItem],
    out: &mut Vec<Item>,
    chain: &mut Vec<String>,
    loads: &mut u32,
) -> Result<(), JsonLdError> {
    for item in items {
        match item {
            PreItem::Null => out.push(Item::Null),
            PreItem::Doc(d) => out.push(Item::Doc(d.clone())),
            PreItem::Invalid => {
                return Err(spec(
                    "invalid local context",
                    "@context entries must be objects, strings or null",
                ))
            }
            PreItem::Url(u) => {
                let url = prepend_base(env.base, u);
                *loads += 1;
                if chain.contains(&url)
                    || chain.len() >= MAX_REMOTE_CHAIN
                    || *loads > MAX_REMOTE_LOADS
                {
                    return Err(spec(
                        "context overflow",
                        format!("too many or cyclic remote contexts at {url}"),
                    ));
                }
                let doc = load_remote(env, &url)?;
                chain.push(url);
                flatten(env, &doc.items, out, chain, loads)?;
                chain.pop();
            }
        }
    }
    Ok(())
}

/// What a local context is.
pub(super) enum Local<'v> {
    /// A `@context` value in the document being expanded.
    Embedded(&'v Value),
    /// A scoped context from a term definition.
    Scoped(&'v ScopedContext),
}

/// One memoized derivation of an active context.
#[derive(Clone, Copy, Hash, PartialEq, Eq, Debug)]
enum Step {
    Apply { doc: u64, override_protected: bool },
    SetPrevious,
    DropDirection,
}

#[derive(Clone, Hash, PartialEq, Eq, Debug)]
struct StepKey {
    parent: u64,
    step: Step,
    base: Option<Arc<str>>,
}

#[derive(Clone)]
struct Processed {
    ctx: Arc<ActiveContext>,
    refusals: Arc<[Refusal]>,
    deps: Arc<[(String, Arc<str>)]>,
}

fn processed() -> &'static BoundedMap<StepKey, Processed> {
    static MAP: OnceLock<BoundedMap<StepKey, Processed>> = OnceLock::new();
    MAP.get_or_init(|| BoundedMap::new(PROCESSED_CAP, PROCESSED_TERMS_CAP))
}

fn cached_step(
    env: &mut Env,
    parent: &Arc<ActiveContext>,
    step: Step,
    build: impl FnOnce(&mut Env) -> Result<ActiveContext, JsonLdError>,
) -> Result<Arc<ActiveContext>, JsonLdError> {
    let key = (!parent.ephemeral).then(|| StepKey {
        parent: parent.id,
        step,
        base: match step {
            Step::Apply { .. } => env.base_key.clone(),
            _ => None,
        },
    });
    if let Some(key) = &key {
        if let Some(hit) = processed().get(key) {
            let fresh = hit.deps.iter().all(|(url, text)| {
                env.registry
                    .get_arc(url)
                    .is_some_and(|t| Arc::ptr_eq(&t, text))
            });
            if fresh {
                env.refusals.extend(hit.refusals.iter().cloned());
                if env.recording > 0 {
                    env.deps.extend(hit.deps.iter().cloned());
                }
                return Ok(hit.ctx);
            }
        }
    }
    let refusals_start = env.refusals.len();
    let deps_start = env.deps.len();
    env.recording += 1;
    let built = build(env);
    env.recording -= 1;
    let mut ctx = Arc::new(built?);
    if let Some(key) = key {
        if ctx.terms.len() <= MAX_CACHED_TERMS {
            let entry = Processed {
                ctx: ctx.clone(),
                refusals: env.refusals[refusals_start..].into(),
                deps: env.deps[deps_start..].into(),
            };
            let stored = processed().insert(key, entry.clone(), ctx.terms.len() as u64 + 1);
            // Share the copy another thread stored first when it was built from the same texts.
            if stored.deps == entry.deps {
                ctx = stored.ctx;
            }
        }
    }
    if env.recording == 0 {
        env.deps.clear();
    }
    Ok(ctx)
}

/// jsonld.js `revertToPreviousContext`: the context before the last non-propagated scope.
pub(super) fn revert(env: &mut Env, ctx: &Arc<ActiveContext>) -> Arc<ActiveContext> {
    let Some(prev) = &ctx.previous else {
        return ctx.clone();
    };
    if prev.direction.is_none() {
        return prev.clone();
    }
    // Building a copy cannot fail.
    cached_step(env, prev, Step::DropDirection, |env| {
        env.charge(prev.terms.len())?;
        Ok(prev.child())
    })
    .unwrap_or_else(|_| prev.clone())
}

/// Context processing (JSON-LD 1.1 API §4.1 / jsonld.js `process`). In strict mode, what
/// jsonld.js's safe mode rejects while processing is returned as [`JsonLdError::Strict`].
pub(super) fn process(
    env: &mut Env,
    active: &Arc<ActiveContext>,
    local: Local<'_>,
    propagate: bool,
    override_protected: bool,
) -> Result<Arc<ActiveContext>, JsonLdError> {
    let start = env.refusals.len();
    let result = process_inner(
        env,
        active,
        local,
        propagate,
        override_protected,
        &mut Vec::new(),
    )?;
    if env.strict {
        if let Some(refusal) = env.refusals.get(start) {
            return Err(JsonLdError::Strict {
                refusal: refusal.clone(),
                path: None,
            });
        }
    }
    env.refusals.truncate(start);
    Ok(result)
}

fn embedded_doc(value: &Value) -> Arc<CtxDoc> {
    let fresh = |cacheable| {
        Arc::new(CtxDoc {
            id: next_id(),
            cacheable,
            value: value.clone(),
        })
    };
    let Ok(text) = serde_json::to_string(value) else {
        return fresh(false);
    };
    if text.len() > MAX_CACHED_INLINE {
        return fresh(false);
    }
    if let Some(doc) = inline_docs().get(text.as_str()) {
        return doc;
    }
    let weight = text.len() as u64;
    inline_docs().insert(text, fresh(true), weight)
}

fn process_inner(
    env: &mut Env,
    active: &Arc<ActiveContext>,
    local: Local<'_>,
    mut propagate: bool,
    override_protected: bool,
    cycles: &mut Vec<String>,
) -> Result<Arc<ActiveContext>, JsonLdError> {
    let owned;
    let items: &[PreItem] = match local {
        Local::Embedded(v) => match pre_items(v, embedded_doc) {
            Some(items) => {
                owned = items;
                &owned
            }
            None => return Ok(active.clone()),
        },
        Local::Scoped(s) => match &s.items {
            Some(items) => items,
            None => return Ok(active.clone()),
        },
    };
    let mut resolved = Vec::with_capacity(items.len());
    flatten(env, items, &mut resolved, &mut Vec::new(), &mut 0)?;
    if let Some(Item::Doc(d)) = resolved.first() {
        if let Some(Value::Bool(p)) = d.value.get("@propagate") {
            propagate = *p;
        }
    }
    let mut rval = active.clone();
    if !propagate && rval.previous.is_none() {
        let parent = rval.clone();
        rval = cached_step(env, &parent, Step::SetPrevious, |env| {
            env.charge(parent.terms.len())?;
            let mut c = parent.child();
            c.previous = Some(parent.clone());
            Ok(c)
        })?;
    }
    for item in &resolved {
        match item {
            Item::Null => {
                if !override_protected && rval.has_protected {
                    return Err(spec(
                        "invalid context nullification",
                        "tried to nullify a context with protected terms",
                    ));
                }
                rval = initial_context();
            }
            Item::Doc(doc) => {
                let parent = rval.clone();
                let step = Step::Apply {
                    doc: doc.id,
                    override_protected,
                };
                let mut build =
                    |env: &mut Env| apply_doc(env, &parent, doc, override_protected, cycles);
                rval = if doc.cacheable {
                    cached_step(env, &parent, step, build)?
                } else {
                    Arc::new(build(env)?)
                };
            }
        }
    }
    Ok(rval)
}

/// Processes one context object on top of `parent` (the body of jsonld.js's process loop).
fn apply_doc(
    env: &mut Env,
    parent: &Arc<ActiveContext>,
    doc: &CtxDoc,
    override_protected: bool,
    cycles: &mut Vec<String>,
) -> Result<ActiveContext, JsonLdError> {
    let mut value = &doc.value;
    if let Value::Object(o) = value {
        if let Some(inner) = o.get("@context") {
            value = inner;
        }
    }
    let Value::Object(ctx) = value else {
        return Err(spec("invalid local context", "@context must be an object"));
    };
    env.charge(parent.terms.len() + ctx.len())?;
    env.enter()?;
    let mut rval = parent.child();
    let mut defined: FastMap<&str, bool> = FastMap::default();

    if let Some(v) = ctx.get("@version") {
        if v.as_f64() != Some(1.1) || !v.is_number() {
            return Err(spec(
                "invalid @version value",
                format!("unsupported @version {v}"),
            ));
        }
        defined.insert("@version", true);
    }
    if let Some(v) = ctx.get("@base") {
        rval.base = match v {
            Value::Null => CtxBase::Null,
            Value::String(s) if is_absolute_iri(s) => CtxBase::Iri(s.clone()),
            Value::String(s) => {
                let current = match &rval.base {
                    CtxBase::Unset => Some(""),
                    CtxBase::Null => None,
                    CtxBase::Iri(b) => Some(b.as_str()),
                };
                CtxBase::Iri(prepend_base(current, s))
            }
            _ => return Err(spec("invalid base IRI", "@base must be a string or null")),
        };
        defined.insert("@base", true);
    }
    if let Some(v) = ctx.get("@vocab") {
        match v {
            Value::Null => rval.vocab = None,
            Value::String(s) => {
                let vocab = expand_iri(&rval, s, true, true, env.base).map(Cow::into_owned);
                if !vocab.as_deref().is_some_and(is_absolute_iri) {
                    env.refusals.push(Refusal::InvalidIri {
                        iri: s.clone(),
                        reason: "relative @vocab reference".into(),
                    });
                }
                // jsonld.js stores a null result and later concatenates it as "null".
                rval.vocab = Some(vocab.unwrap_or_else(|| "null".to_owned()));
            }
            _ => {
                return Err(spec(
                    "invalid vocab mapping",
                    "@vocab must be a string or null",
                ))
            }
        }
        defined.insert("@vocab", true);
    }
    if let Some(v) = ctx.get("@language") {
        match v {
            Value::Null => rval.language = None,
            Value::String(s) => {
                if !is_bcp47(s) {
                    env.refusals
                        .push(Refusal::InvalidLanguage { tag: s.clone() });
                }
                rval.language = Some(s.to_lowercase());
            }
            _ => {
                return Err(spec(
                    "invalid default language",
                    "@language must be a string or null",
                ))
            }
        }
        defined.insert("@language", true);
    }
    if let Some(v) = ctx.get("@direction") {
        rval.direction = match v {
            Value::Null => None,
            Value::String(s) if Direction::parse(s).is_some() => Direction::parse(s),
            _ => {
                return Err(spec(
                    "invalid base direction",
                    "@direction must be null, \"ltr\" or \"rtl\"",
                ))
            }
        };
        defined.insert("@direction", true);
    }
    if let Some(v) = ctx.get("@propagate") {
        if !v.is_boolean() {
            return Err(spec(
                "invalid @propagate value",
                "@propagate must be a boolean",
            ));
        }
        defined.insert("@propagate", true);
    }
    let merged;
    let mut ctx: &Map<String, Value> = ctx;
    if let Some(v) = ctx.get("@import") {
        let Value::String(url) = v else {
            return Err(spec("invalid @import value", "@import must be a string"));
        };
        let mut resolved = Vec::new();
        flatten(
            env,
            &[PreItem::Url(url.clone())],
            &mut resolved,
            &mut Vec::new(),
            &mut 0,
        )?;
        let imported = match resolved.as_slice() {
            [Item::Doc(d)] => match &d.value {
                Value::Object(o) => o,
                _ => return Err(spec("invalid remote context", "@import must be one object")),
            },
            _ => {
                return Err(spec(
                    "invalid remote context",
                    "@import must reference a single context",
                ))
            }
        };
        if imported.contains_key("@import") {
            return Err(spec(
                "invalid context entry",
                "an imported context must not include @import",
            ));
        }
        let mut m = ctx.clone();
        for key in js_key_order(imported.keys()) {
            if !m.contains_key(key) {
                m.insert(key.to_owned(), imported[key].clone());
            }
        }
        merged = m;
        ctx = &merged;
        defined.insert("@import", true);
    }
    let protected_entry = ctx.get("@protected");
    defined.insert("@protected", protected_entry.is_some_and(truthy));
    let mut builder = Builder {
        env,
        rval,
        local: ctx,
        defined,
        protected_default: protected_entry == Some(&Value::Bool(true)),
    };
    for key in js_key_order(ctx.keys()) {
        builder.define(key, override_protected)?;
        if let Some(Value::Object(def)) = ctx.get(key) {
            if let Some(scoped) = def.get("@context") {
                builder.validate_scoped(key, scoped, cycles)?;
            }
        }
    }
    let Builder { env, mut rval, .. } = builder;
    rval.finish();
    env.leave();
    Ok(rval)
}

/// Term definition creation (JSON-LD 1.1 API §4.2) for one local context.
struct Builder<'e, 'r, 'a> {
    env: &'e mut Env<'r>,
    rval: ActiveContext,
    local: &'a Map<String, Value>,
    defined: FastMap<&'a str, bool>,
    /// `"@protected": true` on the local context.
    protected_default: bool,
}

const TERM_KEYS: [&str; 11] = [
    "@container",
    "@id",
    "@language",
    "@reverse",
    "@type",
    "@context",
    "@direction",
    "@index",
    "@nest",
    "@prefix",
    "@protected",
];

/// jsonld.js's `/(?::[^:])|\//`: the term looks like a compact or relative IRI.
fn looks_like_iri(term: &str) -> bool {
    term.contains('/')
        || term
            .as_bytes()
            .windows(2)
            .any(|w| w[0] == b':' && w[1] != b':')
}

impl<'a> Builder<'_, '_, 'a> {
    fn restore(&mut self, term: &str, previous: Option<Arc<TermDef>>) {
        if let Some(p) = previous {
            self.rval.terms.insert(Arc::from(term), p);
        }
    }

    fn define_dependency(&mut self, value: &str) -> Result<(), JsonLdError> {
        if let Some((k, _)) = self.local.get_key_value(value) {
            self.define(k, false)?;
        }
        Ok(())
    }

    /// IRI expansion while the local context is being processed: defines dependencies first.
    fn expand_iri_local(
        &mut self,
        value: &str,
        vocab: bool,
    ) -> Result<Option<String>, JsonLdError> {
        if is_keyword(value) {
            return Ok(Some(value.to_owned()));
        }
        if is_keyword_like(value) {
            return Ok(None);
        }
        if let Some((k, _)) = self.local.get_key_value(value) {
            if self.defined.get(k.as_str()) != Some(&true) {
                self.define(k, false)?;
            }
        }
        if vocab && self.rval.terms.contains_key(value) {
            return Ok(
                expand_iri(&self.rval, value, true, false, self.env.base).map(Cow::into_owned)
            );
        }
        if let Some(colon) = value.find(':').filter(|&c| c > 0) {
            let (prefix, suffix) = (&value[..colon], &value[colon + 1..]);
            if prefix == "_" || suffix.starts_with("//") {
                return Ok(Some(value.to_owned()));
            }
            self.define_dependency(prefix)?;
        }
        Ok(expand_iri(&self.rval, value, vocab, false, self.env.base).map(Cow::into_owned))
    }

    fn define(&mut self, term: &'a str, override_protected: bool) -> Result<(), JsonLdError> {
        match self.defined.get(term) {
            Some(true) => return Ok(()),
            Some(false) => {
                return Err(spec(
                    "cyclic IRI mapping",
                    format!("cyclic definition of term \"{term}\""),
                ))
            }
            None => {}
        }
        self.env.enter()?;
        self.env.charge(1)?;
        self.defined.insert(term, false);
        self.define_inner(term, override_protected)?;
        self.env.leave();
        Ok(())
    }

    fn define_inner(&mut self, term: &'a str, override_protected: bool) -> Result<(), JsonLdError> {
        let value = self.local.get(term);
        let invalid = |m: &str| spec("invalid term definition", format!("term \"{term}\": {m}"));
        if term == "@type" {
            let set_only = |o: &Map<String, Value>| match o.get("@container") {
                None => true,
                Some(Value::String(s)) => s == "@set" || s.is_empty(),
                Some(c) => !truthy(c),
            };
            match value {
                Some(Value::Object(o)) if set_only(o) => {
                    if o.is_empty()
                        || o.keys()
                            .any(|k| !matches!(k.as_str(), "@container" | "@id" | "@protected"))
                    {
                        return Err(spec(
                            "keyword redefinition",
                            "@type may only be given @container: @set and @protected",
                        ));
                    }
                }
                _ => return Err(spec("keyword redefinition", "keywords cannot be redefined")),
            }
        } else if is_keyword(term) {
            return Err(spec(
                "keyword redefinition",
                format!("keyword {term} cannot be redefined"),
            ));
        } else if is_keyword_like(term) {
            self.env.refusals.push(Refusal::DroppedValue {
                reason: format!("reserved term \"{term}\" in a context is ignored"),
            });
            return Ok(());
        } else if term.is_empty() {
            return Err(invalid("a term cannot be empty"));
        }

        let previous = self.rval.terms.remove(term);
        let simple_map;
        let (obj, simple): (&Map<String, Value>, bool) = match value {
            Some(v @ (Value::String(_) | Value::Null)) => {
                let mut m = Map::new();
                m.insert("@id".to_owned(), v.clone());
                simple_map = m;
                (&simple_map, true)
            }
            Some(Value::Object(o)) => (o, false),
            _ => return Err(invalid("must be a string, null or an object")),
        };
        if let Some(k) = obj.keys().find(|k| !TERM_KEYS.contains(&k.as_str())) {
            return Err(invalid(&format!("unexpected {k}")));
        }
        let mut def = TermDef {
            term_has_colon: term.find(':').is_some_and(|c| c > 0),
            ..TermDef::default()
        };
        let mut id_set = false;
        if let Some(rev) = obj.get("@reverse") {
            if obj.contains_key("@id") || obj.contains_key("@nest") {
                return Err(spec(
                    "invalid reverse property",
                    format!("term \"{term}\": @reverse with @id or @nest"),
                ));
            }
            let Value::String(rev) = rev else {
                return Err(spec(
                    "invalid IRI mapping",
                    format!("term \"{term}\": @reverse must be a string"),
                ));
            };
            if is_keyword_like(rev) {
                self.env.refusals.push(Refusal::DroppedValue {
                    reason: format!("reserved @reverse value \"{rev}\" is ignored"),
                });
                self.restore(term, previous);
                return Ok(());
            }
            let id = self.expand_iri_local(rev, true)?;
            if !id.as_deref().is_some_and(is_absolute_iri) {
                return Err(spec(
                    "invalid IRI mapping",
                    format!("term \"{term}\": @reverse must expand to an absolute IRI"),
                ));
            }
            def.id = id;
            def.reverse = true;
            id_set = true;
        } else if let Some(idv) = obj.get("@id") {
            match idv {
                Value::Null => id_set = true,
                Value::String(id) => {
                    if !is_keyword(id) && is_keyword_like(id) {
                        self.env.refusals.push(Refusal::InvalidIri {
                            iri: id.clone(),
                            reason: "reserved @id value".into(),
                        });
                        self.restore(term, previous);
                        return Ok(());
                    }
                    if id != term {
                        let e = self.expand_iri_local(id, true)?;
                        let Some(e) = e.filter(|e| is_absolute_iri(e) || is_keyword(e)) else {
                            return Err(spec(
                                "invalid IRI mapping",
                                format!("term \"{term}\": @id must expand to an absolute IRI, a blank node or a keyword"),
                            ));
                        };
                        if looks_like_iri(term) {
                            self.defined.insert(term, true);
                            let term_iri = self.expand_iri_local(term, true);
                            self.defined.insert(term, false);
                            if term_iri?.as_deref() != Some(e.as_str()) {
                                return Err(spec(
                                    "invalid IRI mapping",
                                    format!(
                                        "term \"{term}\" looks like an IRI but maps to another one"
                                    ),
                                ));
                            }
                        }
                        def.prefix = Some(
                            simple
                                && !def.term_has_colon
                                && e.ends_with([':', '/', '?', '#', '[', ']', '@']),
                        );
                        def.id = Some(e);
                        id_set = true;
                    }
                }
                _ => {
                    return Err(spec(
                        "invalid IRI mapping",
                        format!("term \"{term}\": @id must be a string or null"),
                    ))
                }
            }
        }
        if !id_set {
            if def.term_has_colon {
                let colon = term.find(':').unwrap_or(0);
                let prefix = &term[..colon];
                self.define_dependency(prefix)?;
                def.id = Some(match self.rval.terms.get(prefix) {
                    Some(p) => format!(
                        "{}{}",
                        p.id.as_deref().unwrap_or("null"),
                        &term[colon + 1..]
                    ),
                    None => term.to_owned(),
                });
            } else if term == "@type" {
                def.id = Some("@type".to_owned());
            } else {
                let Some(vocab) = &self.rval.vocab else {
                    return Err(spec(
                        "invalid IRI mapping",
                        format!("term \"{term}\" has no @id and there is no @vocab"),
                    ));
                };
                def.id = Some(format!("{vocab}{term}"));
            }
        }
        if obj.get("@protected") == Some(&Value::Bool(true))
            || (self.protected_default && obj.get("@protected") != Some(&Value::Bool(false)))
        {
            self.rval.has_protected = true;
            def.protected = true;
        }
        self.defined.insert(term, true);
        // jsonld.js makes the mapping visible as soon as its IRI is known.
        self.rval
            .terms
            .insert(Arc::from(term), Arc::new(def.clone()));

        if let Some(t) = obj.get("@type") {
            let Value::String(t) = t else {
                return Err(spec(
                    "invalid type mapping",
                    format!("term \"{term}\": @type must be a string"),
                ));
            };
            let t = match t.as_str() {
                "@json" | "@none" | "@id" | "@vocab" => t.clone(),
                _ => {
                    let e = self.expand_iri_local(t, true)?;
                    match e {
                        Some(e) if is_absolute_iri(&e) && !e.starts_with("_:") => e,
                        _ => {
                            return Err(spec(
                                "invalid type mapping",
                                format!("term \"{term}\": @type must be an absolute IRI"),
                            ))
                        }
                    }
                }
            };
            def.type_mapping = Some(t);
        }
        if let Some(c) = obj.get("@container") {
            let bad = || {
                spec(
                    "invalid container mapping",
                    format!("term \"{term}\": invalid @container"),
                )
            };
            let list: Vec<String> = match c {
                Value::String(s) => vec![s.clone()],
                Value::Array(a) => {
                    let mut l = Vec::with_capacity(a.len());
                    for e in a {
                        match e {
                            Value::String(s) => l.push(s.clone()),
                            _ => return Err(bad()),
                        }
                    }
                    l
                }
                c if !truthy(c) => Vec::new(),
                _ => return Err(bad()),
            };
            let has = |n: &str| list.iter().any(|c| c == n);
            let has_set = has("@set");
            let mut valid = true;
            if has("@list") {
                if list.len() != 1 {
                    return Err(bad());
                }
            } else if has("@graph") {
                if list
                    .iter()
                    .any(|c| !matches!(c.as_str(), "@graph" | "@id" | "@index" | "@set"))
                {
                    return Err(bad());
                }
            } else {
                valid &= list.len() <= if has_set { 2 } else { 1 };
            }
            if has("@type") {
                let t = def.type_mapping.get_or_insert_with(|| "@id".to_owned());
                if t != "@id" && t != "@vocab" {
                    return Err(spec(
                        "invalid type mapping",
                        format!("term \"{term}\": a @type container needs @type @id or @vocab"),
                    ));
                }
            }
            valid &= list.iter().all(|c| container::flag(c) != 0);
            valid &= !(has_set && has("@list"));
            if !valid {
                return Err(bad());
            }
            if def.reverse && !list.iter().all(|c| c == "@index" || c == "@set") {
                return Err(spec(
                    "invalid reverse property",
                    format!(
                        "term \"{term}\": a @reverse term may only have @index or @set containers"
                    ),
                ));
            }
            def.container = list.iter().fold(0, |f, c| f | container::flag(c));
            def.container_list = Some(list);
        }
        if let Some(ix) = obj.get("@index") {
            if def.container & container::INDEX == 0 {
                return Err(invalid("@index without an @index container"));
            }
            match ix {
                Value::String(s) if !s.starts_with('@') => def.index = Some(s.clone()),
                _ => return Err(invalid("@index must be a string that is not a keyword")),
            }
        }
        if let Some(c) = obj.get("@context") {
            def.context = Some(Arc::new(ScopedContext::new(
                c.clone(),
                !self.rval.ephemeral,
            )));
        }
        if !obj.contains_key("@type") {
            if let Some(l) = obj.get("@language") {
                def.language = Some(match l {
                    Value::Null => None,
                    Value::String(s) => Some(s.to_lowercase()),
                    _ => {
                        return Err(spec(
                            "invalid language mapping",
                            format!("term \"{term}\": @language must be a string or null"),
                        ))
                    }
                });
            }
        }
        if let Some(p) = obj.get("@prefix") {
            if term.contains([':', '/']) {
                return Err(invalid("@prefix on a compact or relative IRI term"));
            }
            if def.id.as_deref().is_some_and(is_keyword) {
                return Err(invalid("a keyword cannot be a prefix"));
            }
            let Value::Bool(p) = p else {
                return Err(spec(
                    "invalid @prefix value",
                    format!("term \"{term}\": @prefix must be a boolean"),
                ));
            };
            def.prefix = Some(*p);
        }
        if let Some(d) = obj.get("@direction") {
            def.direction = Some(match d {
                Value::Null => None,
                Value::String(s) if Direction::parse(s).is_some() => Direction::parse(s),
                _ => {
                    return Err(spec(
                        "invalid base direction",
                        format!("term \"{term}\": @direction must be null, \"ltr\" or \"rtl\""),
                    ))
                }
            });
        }
        if let Some(n) = obj.get("@nest") {
            match n {
                Value::String(s) if s == "@nest" || !s.starts_with('@') => {
                    def.nest = Some(s.clone())
                }
                _ => {
                    return Err(spec(
                        "invalid @nest value",
                        format!("term \"{term}\": @nest must be @nest or a term"),
                    ))
                }
            }
        }
        if matches!(def.id.as_deref(), Some("@context" | "@preserve")) {
            return Err(spec(
                "invalid keyword alias",
                format!("term \"{term}\": @context and @preserve cannot be aliased"),
            ));
        }
        if let Some(prev) = previous.filter(|p| p.protected) {
            if !override_protected {
                self.rval.has_protected = true;
                def.protected = true;
                if !prev.same_as(&def) {
                    return Err(spec(
                        "protected term redefinition",
                        format!("protected term \"{term}\" cannot be redefined"),
                    ));
                }
            }
        }
        def.id_ok = def
            .id
            .as_deref()
            .is_some_and(|id| is_absolute_iri(id) || is_keyword(id));
        self.rval.terms.insert(Arc::from(term), Arc::new(def));
        Ok(())
    }

    /// jsonld.js processes every scoped context once when its term is defined, and reports
    /// any failure as "invalid scoped context".
    fn validate_scoped(
        &mut self,
        term: &str,
        scoped: &Value,
        cycles: &mut Vec<String>,
    ) -> Result<(), JsonLdError> {
        if let Value::String(s) = scoped {
            let url = prepend_base(self.env.base, s);
            if cycles.contains(&url) {
                return Ok(());
            }
            cycles.push(url);
        }
        self.env.charge(self.rval.terms.len())?;
        let mut snapshot = self.rval.child();
        snapshot.ephemeral = true;
        let snapshot = Arc::new(snapshot);
        let scoped = ScopedContext::new(scoped.clone(), false);
        match process_inner(
            self.env,
            &snapshot,
            Local::Scoped(&scoped),
            true,
            true,
            cycles,
        ) {
            Ok(_) => Ok(()),
            Err(e @ JsonLdError::Limit { .. }) => Err(e),
            Err(e) => Err(spec(
                "invalid scoped context",
                format!("term \"{term}\": {e}"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn env(reg: &ContextRegistry) -> Env<'_> {
        Env::new(reg, None, false)
    }

    #[test]
    fn remote_contexts_are_processed_once_and_shared() {
        let reg = ContextRegistry::bundled();
        let local = json!([crate::contexts::CREDENTIALS_V2, crate::contexts::OB_V3P0]);
        let mut e = env(&reg);
        let a = process(
            &mut e,
            &initial_context(),
            Local::Embedded(&local),
            true,
            false,
        )
        .unwrap();
        let b = process(
            &mut e,
            &initial_context(),
            Local::Embedded(&local),
            true,
            false,
        )
        .unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        assert!(a.term("VerifiableCredential").is_some());
        assert!(a.term("Achievement").is_some());
    }

    #[test]
    fn cache_is_shared_across_threads() {
        let reg = ContextRegistry::bundled();
        let local = json!([crate::contexts::CREDENTIALS_V2, crate::contexts::OB_V3P0]);
        let first = {
            let mut e = env(&reg);
            process(
                &mut e,
                &initial_context(),
                Local::Embedded(&local),
                true,
                false,
            )
            .unwrap()
        };
        let handles: Vec<_> = (0..4)
            .map(|_| {
                let reg = reg.clone();
                let local = local.clone();
                std::thread::spawn(move || {
                    let mut e = Env::new(&reg, None, false);
                    process(
                        &mut e,
                        &initial_context(),
                        Local::Embedded(&local),
                        true,
                        false,
                    )
                    .unwrap()
                })
            })
            .collect();
        for h in handles {
            assert!(Arc::ptr_eq(&h.join().unwrap(), &first));
        }
    }

    #[test]
    fn replaced_registry_text_is_reprocessed() {
        let mut reg = ContextRegistry::empty();
        let url = "https://example.org/replaced-ctx";
        reg.insert(url, r#"{"@context":{"a":"https://ex/a"}}"#)
            .unwrap();
        let local = json!(url);
        let a = process(
            &mut env(&reg),
            &initial_context(),
            Local::Embedded(&local),
            true,
            false,
        )
        .unwrap();
        assert_eq!(a.term("a").unwrap().id.as_deref(), Some("https://ex/a"));
        reg.insert(url, r#"{"@context":{"a":"https://ex/b"}}"#)
            .unwrap();
        let b = process(
            &mut env(&reg),
            &initial_context(),
            Local::Embedded(&local),
            true,
            false,
        )
        .unwrap();
        assert_eq!(b.term("a").unwrap().id.as_deref(), Some("https://ex/b"));
    }

    #[test]
    fn protected_terms_cannot_be_redefined() {
        let reg = ContextRegistry::empty();
        let local = json!([
            {"@protected": true, "a": "https://ex/a"},
            {"a": "https://ex/other"}
        ]);
        let err = process(
            &mut env(&reg),
            &initial_context(),
            Local::Embedded(&local),
            true,
            false,
        )
        .unwrap_err();
        assert!(
            matches!(
                err,
                JsonLdError::Spec {
                    code: "protected term redefinition",
                    ..
                }
            ),
            "{err}"
        );
        let same = json!([
            {"@protected": true, "a": "https://ex/a"},
            {"a": "https://ex/a"}
        ]);
        process(
            &mut env(&reg),
            &initial_context(),
            Local::Embedded(&same),
            true,
            false,
        )
        .unwrap();
    }

    #[test]
    fn missing_remote_context_is_unknown() {
        let reg = ContextRegistry::empty();
        let local = json!("https://example.org/nowhere");
        let err = process(
            &mut env(&reg),
            &initial_context(),
            Local::Embedded(&local),
            true,
            false,
        )
        .unwrap_err();
        assert!(matches!(err, JsonLdError::UnknownContext { .. }), "{err}");
    }

    #[test]
    fn relative_vocab_is_refused_in_strict_mode() {
        let reg = ContextRegistry::empty();
        let local = json!({"@vocab": "relative/"});
        let mut e = Env::new(&reg, None, true);
        let err = process(
            &mut e,
            &initial_context(),
            Local::Embedded(&local),
            true,
            false,
        )
        .unwrap_err();
        assert!(
            matches!(
                err,
                JsonLdError::Strict {
                    refusal: Refusal::InvalidIri { .. },
                    ..
                }
            ),
            "{err}"
        );
        // Cached with its refusal: non-strict still accepts it, strict still refuses it.
        process(
            &mut env(&reg),
            &initial_context(),
            Local::Embedded(&local),
            true,
            false,
        )
        .unwrap();
        let mut e = Env::new(&reg, None, true);
        assert!(process(
            &mut e,
            &initial_context(),
            Local::Embedded(&local),
            true,
            false
        )
        .is_err());
    }
}

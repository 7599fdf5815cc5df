//! Node-map generation (JSON-LD 1.1 API §7.2).
//!
//! The walk visits keys, nodes and values in exactly the order jsonld.js does (keys of each
//! object sorted by UTF-16 code units, `@reverse` maps and arrays in document order), so blank
//! nodes get the labels jsonld.js gives them. RDFC-1.0 relabels them anyway; matching makes the
//! two pipelines comparable line by line.

use super::iri::is_keyword;
use super::JsonLdError;
use super::{FastMap, FastSet};
use crate::rdf::cmp_utf16;
use serde_json::{Map, Value};
use std::cmp::Ordering;

/// Deepest nesting of node, list and array objects accepted (the walk is recursive). Expansion
/// already stops at 64 levels of input; this bounds expanded forms built by other callers, within
/// a 2 MiB thread stack even unoptimized.
const MAX_DEPTH: usize = 128;

/// Above this many entries, lookups switch from a linear scan to a hash index, so that
/// adversarial inputs cannot make the walk quadratic.
const LINEAR_LIMIT: usize = 16;

/// Placeholder for unused slots of the on-stack key array.
static NULL: Value = Value::Null;

/// Name of the default graph; a node whose `@id` is `@default` shares it, as in jsonld.js.
pub(super) const DEFAULT_GRAPH: Id<'static> = Id::Str("@default");

/// A node id, graph name, property or `@type` value: a string of the input, or a blank-node
/// label `_:b{n}` issued by the walk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Id<'a> {
    Str(&'a str),
    Blank(u64),
}

impl Id<'_> {
    /// Orders as JavaScript's default sort orders the ids' texts (UTF-16 code units).
    pub(super) fn js_cmp(&self, other: &Self) -> Ordering {
        if let (Id::Str(a), Id::Str(b)) = (self, other) {
            return cmp_utf16(a, b);
        }
        let (mut a, mut b) = ([0; 24], [0; 24]);
        cmp_utf16(self.text(&mut a), other.text(&mut b))
    }

    /// The id's text; `buf` holds it when it is an issued label.
    fn text<'s>(&'s self, buf: &'s mut [u8; 24]) -> &'s str {
        match self {
            Id::Str(s) => s,
            Id::Blank(n) => blank_text(*n, buf),
        }
    }
}

/// `_:b{n}` written into `buf` (no allocation: ids are compared often while sorting).
pub(super) fn blank_text(mut n: u64, buf: &mut [u8; 24]) -> &str {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf[i - 3..i].copy_from_slice(b"_:b");
    std::str::from_utf8(&buf[i - 3..]).unwrap_or_default()
}

/// A property value in the node map.
#[derive(Debug)]
pub(super) enum Item<'a> {
    /// A node reference, or a `@type` value.
    Ref(Id<'a>),
    Value(ValueObject<'a>),
    List(Vec<Item<'a>>),
}

/// A checked value object (kept small: node-map items are moved and stored a lot).
#[derive(Clone, Copy, Debug)]
pub(super) struct ValueObject<'a> {
    pub(super) value: &'a Value,
    /// `@type`, relabelled when it is a blank node inside a list (jsonld.js relabels it only
    /// there).
    pub(super) datatype: Option<Id<'a>>,
    obj: &'a Map<String, Value>,
}

impl<'a> ValueObject<'a> {
    /// A string entry (checked when the object was read; a value object has at most six).
    fn entry(&self, key: &str) -> Option<&'a str> {
        self.obj
            .iter()
            .find(|(k, _)| k.as_str() == key)
            .and_then(|(_, v)| v.as_str())
    }

    pub(super) fn language(&self) -> Option<&'a str> {
        self.entry("@language")
    }

    pub(super) fn direction(&self) -> Option<&'a str> {
        self.entry("@direction")
    }

    fn index(&self) -> Option<&'a str> {
        self.entry("@index")
    }
}

/// The keyword entries of an object, found in one pass (no hashing: most objects are small).
#[derive(Default)]
struct Scan<'a> {
    value: Option<&'a Value>,
    list: Option<&'a Value>,
    set: bool,
    id: Option<&'a Value>,
    types: Option<&'a Value>,
    language: Option<&'a Value>,
    direction: Option<&'a Value>,
    index: Option<&'a Value>,
}

fn scan(obj: &Map<String, Value>) -> Scan<'_> {
    let mut scan = Scan::default();
    for (key, value) in obj {
        if !key.starts_with('@') {
            continue;
        }
        match key.as_str() {
            "@value" => scan.value = Some(value),
            "@list" => scan.list = Some(value),
            "@set" => scan.set = true,
            "@id" => scan.id = Some(value),
            "@type" => scan.types = Some(value),
            "@language" => scan.language = Some(value),
            "@direction" => scan.direction = Some(value),
            "@index" => scan.index = Some(value),
            _ => {}
        }
    }
    scan
}

impl<'a> Scan<'a> {
    /// The value object, with its keyword entries checked (the RDF step reads them as strings).
    fn value_object(
        &self,
        obj: &'a Map<String, Value>,
        value: &'a Value,
    ) -> Result<ValueObject<'a>, JsonLdError> {
        // @value, @type, @language, @direction, @index and @context are all it may hold.
        if obj.len() > 6 {
            return Err(malformed(
                "invalid value object",
                "value object with extra entries",
            ));
        }
        let string = |v: Option<&'a Value>, code: &'static str, key: &str| match v {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.as_str())),
            Some(_) => Err(malformed(code, &format!("{key} that is not a string"))),
        };
        string(self.language, "invalid language-tagged value", "@language")?;
        string(self.direction, "invalid base direction", "@direction")?;
        string(self.index, "invalid @index value", "@index")?;
        Ok(ValueObject {
            value,
            datatype: string(self.types, "invalid typed value", "@type")?.map(Id::Str),
            obj,
        })
    }

    /// A node object's `@id`, which must be a string when present.
    fn node_id(&self) -> Result<Option<&'a str>, JsonLdError> {
        match self.id {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(_) => Err(malformed("invalid @id value", "@id that is not a string")),
        }
    }
}

/// What jsonld.js's duplicate check (`compareValues`) compares; items without a key (lists,
/// `@json` objects and arrays) are never duplicates.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Key<'a> {
    Ref(Id<'a>),
    Value {
        value: Scalar<'a>,
        datatype: Option<Id<'a>>,
        language: Option<&'a str>,
        index: Option<&'a str>,
    },
}

/// A JSON scalar compared as JavaScript's `===` does (numbers as doubles, so `-0 === 0`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Scalar<'a> {
    Str(&'a str),
    Num(u64),
    Bool(bool),
    Null,
}

impl<'a> Item<'a> {
    fn key(&self) -> Option<Key<'a>> {
        match self {
            Item::Ref(id) => Some(Key::Ref(*id)),
            Item::List(_) => None,
            Item::Value(v) => {
                let value = match v.value {
                    Value::String(s) => Scalar::Str(s),
                    Value::Bool(b) => Scalar::Bool(*b),
                    Value::Null => Scalar::Null,
                    Value::Number(n) => {
                        let d = n.as_f64()?;
                        Scalar::Num(if d == 0.0 { 0 } else { d.to_bits() })
                    }
                    Value::Array(_) | Value::Object(_) => return None,
                };
                Some(Key::Value {
                    value,
                    datatype: v.datatype,
                    language: v.language(),
                    index: v.index(),
                })
            }
        }
    }
}

/// The values of one property, without duplicates.
pub(super) struct Property<'a> {
    pub(super) name: Id<'a>,
    values: Values<'a>,
    seen: Option<FastSet<Key<'a>>>,
}

/// Most properties have one value: it is kept inline (one allocation fewer per property).
enum Values<'a> {
    Empty,
    One(Item<'a>),
    Many(Vec<Item<'a>>),
}

impl<'a> Property<'a> {
    /// The values, in the order they were added.
    pub(super) fn values(&self) -> &[Item<'a>] {
        match &self.values {
            Values::Empty => &[],
            Values::One(item) => std::slice::from_ref(item),
            Values::Many(items) => items,
        }
    }

    /// jsonld.js's `addValue(…, {allowDuplicate: false})`; `capacity` sizes a new value list.
    fn add(&mut self, item: Item<'a>, capacity: usize) {
        if let Some(key) = item.key() {
            match &mut self.seen {
                Some(seen) => {
                    if !seen.insert(key) {
                        return;
                    }
                }
                None => {
                    let values = self.values();
                    if values.iter().any(|v| v.key() == Some(key)) {
                        return;
                    }
                    if values.len() >= LINEAR_LIMIT {
                        let mut seen: FastSet<Key<'a>> =
                            values.iter().filter_map(Item::key).collect();
                        seen.insert(key);
                        self.seen = Some(seen);
                    }
                }
            }
        }
        self.values = match std::mem::replace(&mut self.values, Values::Empty) {
            Values::Empty => Values::One(item),
            Values::One(first) => {
                let mut items = Vec::with_capacity(capacity.max(2));
                items.push(first);
                items.push(item);
                Values::Many(items)
            }
            Values::Many(mut items) => {
                items.push(item);
                Values::Many(items)
            }
        };
    }
}

/// One node of a graph.
pub(super) struct Node<'a> {
    pub(super) id: Id<'a>,
    pub(super) properties: Vec<Property<'a>>,
    by_name: Option<FastMap<Id<'a>, usize>>,
    index: Option<&'a str>,
}

impl<'a> Node<'a> {
    /// The property `name`, created with room for `capacity` values if new.
    fn property(&mut self, name: Id<'a>) -> &mut Property<'a> {
        let found = match &self.by_name {
            Some(map) => map.get(&name).copied(),
            None => self.properties.iter().position(|p| p.name == name),
        };
        let i = match found {
            Some(i) => i,
            None => {
                let i = self.properties.len();
                self.properties.push(Property {
                    name,
                    values: Values::Empty,
                    seen: None,
                });
                if let Some(map) = &mut self.by_name {
                    map.insert(name, i);
                } else if i >= LINEAR_LIMIT {
                    let map = self.properties.iter().enumerate();
                    self.by_name = Some(map.map(|(i, p)| (p.name, i)).collect());
                }
                i
            }
        };
        &mut self.properties[i]
    }
}

/// The nodes of one graph, in creation order (the caller sorts).
pub(super) struct Graph<'a> {
    pub(super) name: Id<'a>,
    pub(super) nodes: Vec<Node<'a>>,
    by_id: FastMap<Id<'a>, usize>,
}

/// Issues `_:b0`, `_:b1`, … and remembers which input label got which.
pub(super) struct Issuer<'a> {
    next: u64,
    issued: FastMap<&'a str, u64>,
}

impl<'a> Issuer<'a> {
    /// The label for `old`, or a fresh one; like jsonld.js, an empty `old` is never remembered.
    fn get(&mut self, old: Option<&'a str>) -> Id<'a> {
        let old = old.filter(|s| !s.is_empty());
        if let Some(n) = old.and_then(|s| self.issued.get(s)) {
            return Id::Blank(*n);
        }
        let n = self.fresh_number();
        if let Some(s) = old {
            self.issued.insert(s, n);
        }
        Id::Blank(n)
    }

    /// A label never issued before (list nodes of the RDF step).
    pub(super) fn fresh_number(&mut self) -> u64 {
        let n = self.next;
        self.next += 1;
        n
    }

    /// The input label that was relabelled `_:b{n}`, for error messages.
    pub(super) fn original(&self, n: u64) -> Option<&'a str> {
        self.issued.iter().find(|(_, v)| **v == n).map(|(k, _)| *k)
    }
}

/// The node map of an expanded document: graphs in creation order, nodes merged by id.
pub(super) struct NodeMap<'a> {
    pub(super) graphs: Vec<Graph<'a>>,
    pub(super) issuer: Issuer<'a>,
    by_name: FastMap<Id<'a>, usize>,
    /// Number of values added (a hint for sizing the quad vector).
    pub(super) value_count: usize,
}

fn malformed(code: &'static str, message: &str) -> JsonLdError {
    JsonLdError::Spec {
        code,
        message: format!("{message} in expanded JSON-LD"),
        path: None,
    }
}

fn is_blank_label(s: &str) -> bool {
    s.starts_with("_:")
}

impl<'a> NodeMap<'a> {
    /// Generates the node map of `expanded` (JSON-LD 1.1 API §7.2, as jsonld.js runs it).
    pub(super) fn build(expanded: &'a Value) -> Result<Self, JsonLdError> {
        let mut map = NodeMap {
            graphs: Vec::new(),
            issuer: Issuer {
                next: 0,
                issued: FastMap::default(),
            },
            by_name: FastMap::default(),
            value_count: 0,
        };
        let default = map.graph(DEFAULT_GRAPH);
        map.walk(expanded, default, None, None, 0)?;
        Ok(map)
    }

    fn graph(&mut self, name: Id<'a>) -> usize {
        if let Some(i) = self.by_name.get(&name) {
            return *i;
        }
        let i = self.graphs.len();
        // Small enough to stay below glibc's large-request threshold (which consolidates).
        let capacity = if name == DEFAULT_GRAPH { 8 } else { 2 };
        self.graphs.push(Graph {
            name,
            nodes: Vec::with_capacity(capacity),
            by_id: FastMap::with_capacity_and_hasher(capacity, Default::default()),
        });
        self.by_name.insert(name, i);
        i
    }

    /// The index of node `id` in `graph`, created with room for `capacity` properties if new.
    fn node(&mut self, graph: usize, id: Id<'a>, capacity: usize) -> usize {
        let g = &mut self.graphs[graph];
        *g.by_id.entry(id).or_insert_with(|| {
            g.nodes.push(Node {
                id,
                properties: Vec::with_capacity(capacity),
                by_name: None,
                index: None,
            });
            g.nodes.len() - 1
        })
    }

    fn add(&mut self, at: (usize, usize), property: Id<'a>, item: Item<'a>, capacity: usize) {
        self.value_count += 1;
        self.graphs[at.0].nodes[at.1]
            .property(property)
            .add(item, capacity);
    }

    /// jsonld.js's `createNodeMap(input, graphs, graph, issuer, name, list)`.
    fn walk(
        &mut self,
        input: &'a Value,
        graph: usize,
        name: Option<Id<'a>>,
        mut list: Option<&mut Vec<Item<'a>>>,
        depth: usize,
    ) -> Result<(), JsonLdError> {
        if depth > MAX_DEPTH {
            return Err(JsonLdError::Spec {
                code: "nesting too deep",
                message: format!("expanded JSON-LD nests more than {MAX_DEPTH} levels"),
                path: None,
            });
        }
        let obj = match input {
            Value::Array(items) => {
                for item in items {
                    self.walk(item, graph, None, list.as_deref_mut(), depth + 1)?;
                }
                return Ok(());
            }
            Value::Object(obj) => obj,
            // A free-floating scalar is dropped; one inside a list has no RDF form.
            _ if list.is_some() => {
                return Err(malformed(
                    "invalid set or list object",
                    "list item that is not an object",
                ))
            }
            _ => return Ok(()),
        };
        let keys = scan(obj);

        if let Some(value) = keys.value {
            let mut value = keys.value_object(obj, value)?;
            // jsonld.js relabels a blank-node datatype here, even when it then drops the value.
            if let Some(Id::Str(t)) = value.datatype {
                if is_blank_label(t) {
                    value.datatype = Some(self.issuer.get(Some(t)));
                }
            }
            if let Some(list) = list {
                self.value_count += 2;
                list.push(Item::Value(value));
            }
            return Ok(());
        }
        if keys.set || (keys.list.is_some() && list.is_none()) {
            return Err(malformed(
                "invalid set or list object",
                "free-floating list or set object",
            ));
        }
        if let (Some(list), Some(items)) = (list.as_deref_mut(), keys.list) {
            let mut inner = Vec::new();
            self.walk(items, graph, name, Some(&mut inner), depth + 1)?;
            self.value_count += 2;
            list.push(Item::List(inner));
            return Ok(());
        }

        // A node object. Blank-node types are labelled before the node itself.
        let types = match keys.types {
            None => &[][..],
            Some(Value::Array(types)) if types.iter().all(Value::is_string) => types.as_slice(),
            Some(_) => {
                return Err(malformed(
                    "invalid type value",
                    "@type that is not an array of strings",
                ))
            }
        };
        for t in types.iter().filter_map(Value::as_str) {
            if is_blank_label(t) {
                self.issuer.get(Some(t));
            }
        }
        let id = keys.node_id()?;
        let name = match name {
            Some(name) => name,
            None => match id {
                Some(id) if !is_blank_label(id) => Id::Str(id),
                _ => self.issuer.get(id),
            },
        };
        if let Some(list) = list {
            self.value_count += 2;
            list.push(Item::Ref(name));
        }
        let node = (graph, self.node(graph, name, obj.len()));

        // jsonld.js visits keys in sorted order; small objects are sorted on the stack.
        let mut small = [("", &NULL); 16];
        let mut large = Vec::new();
        let entries = if obj.len() <= small.len() {
            for (slot, (k, v)) in small.iter_mut().zip(obj) {
                *slot = (k.as_str(), v);
            }
            &mut small[..obj.len()]
        } else {
            large.extend(obj.iter().map(|(k, v)| (k.as_str(), v)));
            &mut large[..]
        };
        entries.sort_unstable_by(|a, b| cmp_utf16(a.0, b.0));
        for &(key, value) in entries.iter() {
            match key {
                "@id" => {}
                "@reverse" => self.walk_reverse(value, graph, name, depth)?,
                "@graph" => {
                    let named = self.graph(name);
                    self.walk(value, named, None, None, depth + 1)?;
                }
                "@included" => self.walk(value, graph, None, None, depth + 1)?,
                "@index" => {
                    let index = value.as_str().ok_or_else(|| {
                        malformed("invalid @index value", "@index that is not a string")
                    })?;
                    let node = &mut self.graphs[node.0].nodes[node.1];
                    if node.index.is_some_and(|old| old != index) {
                        return Err(JsonLdError::Spec {
                            code: "conflicting indexes",
                            message: format!(
                                "node {} has two different @index values",
                                key_text(name)
                            ),
                            path: None,
                        });
                    }
                    node.index = Some(index);
                }
                "@type" => {
                    for t in types.iter().filter_map(Value::as_str) {
                        let t = if is_blank_label(t) {
                            self.issuer.get(Some(t))
                        } else {
                            Id::Str(t)
                        };
                        self.add(node, Id::Str("@type"), Item::Ref(t), types.len());
                    }
                }
                k if is_keyword(k) => {}
                property => self.walk_property(property, value, node, depth)?,
            }
        }
        Ok(())
    }

    /// The values of a (non-keyword) property of `node` (graph and node index).
    fn walk_property(
        &mut self,
        property: &'a str,
        values: &'a Value,
        node: (usize, usize),
        depth: usize,
    ) -> Result<(), JsonLdError> {
        let values = values.as_array().ok_or_else(|| {
            malformed(
                "invalid value object",
                "property value that is not an array",
            )
        })?;
        let property = if is_blank_label(property) {
            self.issuer.get(Some(property))
        } else {
            Id::Str(property)
        };
        let name = self.graphs[node.0].nodes[node.1].id;
        let capacity = values.len();
        for value in values {
            let obj = value.as_object().ok_or_else(|| {
                malformed(
                    "invalid value object",
                    "property value that is not an object",
                )
            })?;
            let keys = scan(obj);
            if let Some(v) = keys.value {
                let item = Item::Value(keys.value_object(obj, v)?);
                self.add(node, property, item, capacity);
            } else if let Some(items) = keys.list {
                let mut inner = Vec::new();
                self.walk(items, node.0, Some(name), Some(&mut inner), depth + 1)?;
                self.add(node, property, Item::List(inner), capacity);
            } else if keys.set {
                return Err(malformed("invalid set or list object", "@set object"));
            } else {
                // A node object or node reference; jsonld.js skips a null or empty `@id`.
                if matches!(keys.id, Some(Value::Null)) {
                    continue;
                }
                let id = match keys.node_id()? {
                    Some("") => continue,
                    Some(id) if !is_blank_label(id) => Id::Str(id),
                    id => self.issuer.get(id),
                };
                self.add(node, property, Item::Ref(id), capacity);
                self.walk(value, node.0, Some(id), None, depth + 1)?;
            }
        }
        Ok(())
    }

    /// `@reverse`: each referencing node gets a property pointing back at node `name`.
    fn walk_reverse(
        &mut self,
        reverse: &'a Value,
        graph: usize,
        name: Id<'a>,
        depth: usize,
    ) -> Result<(), JsonLdError> {
        let reverse = reverse
            .as_object()
            .ok_or_else(|| malformed("invalid @reverse value", "@reverse that is not an object"))?;
        for (property, items) in reverse {
            let items = items.as_array().ok_or_else(|| {
                malformed(
                    "invalid reverse property value",
                    "reverse property value that is not an array",
                )
            })?;
            for item in items {
                let keys = item.as_object().map(scan);
                let keys = keys
                    .filter(|k| k.value.is_none() && k.list.is_none() && !k.set)
                    .ok_or_else(|| {
                        malformed(
                            "invalid reverse property value",
                            "reverse property value that is not a node",
                        )
                    })?;
                let item_name = match keys.node_id()? {
                    Some(id) if !is_blank_label(id) => Id::Str(id),
                    id => self.issuer.get(id),
                };
                self.walk(item, graph, Some(item_name), None, depth + 1)?;
                let at = (graph, self.node(graph, item_name, 1));
                // jsonld.js does not relabel a blank-node reverse property.
                self.add(at, Id::Str(property), Item::Ref(name), 1);
            }
        }
        Ok(())
    }
}

/// An id as text, for messages.
fn key_text(id: Id<'_>) -> String {
    let mut buf = [0; 24];
    id.text(&mut buf).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_labels_sort_as_text() {
        assert_eq!(Id::Blank(10).js_cmp(&Id::Blank(2)), Ordering::Less);
        assert_eq!(Id::Blank(0).js_cmp(&Id::Str("_:b0")), Ordering::Equal);
        assert_eq!(Id::Str("@default").js_cmp(&Id::Blank(0)), Ordering::Less);
        assert_eq!(key_text(Id::Blank(u64::MAX)), format!("_:b{}", u64::MAX));
    }
}

//! RDF terms and quads, as the JSON-LD → RDF step produces them and RDFC-1.0 consumes them.
//!
//! Deliberately plain (owned strings, no interning): a credential is about a hundred quads, and
//! what costs time is context processing, not these allocations.

/// `rdf:type`, `rdf:first`, … and the datatypes the JSON-LD → RDF step emits.
pub mod vocab {
    pub const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
    pub const RDF_FIRST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first";
    pub const RDF_REST: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest";
    pub const RDF_NIL: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil";
    pub const RDF_JSON: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON";
    pub const RDF_LANG_STRING: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";
    pub const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";
    pub const XSD_BOOLEAN: &str = "http://www.w3.org/2001/XMLSchema#boolean";
    pub const XSD_INTEGER: &str = "http://www.w3.org/2001/XMLSchema#integer";
    pub const XSD_DOUBLE: &str = "http://www.w3.org/2001/XMLSchema#double";
}

/// A literal: lexical form, datatype IRI and, for `rdf:langString`, a language tag.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Literal {
    pub value: String,
    /// Always set: `xsd:string` for plain strings, `rdf:langString` when `language` is set.
    pub datatype: String,
    pub language: Option<String>,
}

/// An RDF term. Blank-node labels are stored without the `_:` prefix.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Term {
    Iri(String),
    Blank(String),
    Literal(Literal),
}

/// One quad; `graph: None` is the default graph.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Quad {
    /// An IRI or a blank node.
    pub subject: Term,
    /// Always an IRI (the JSON-LD → RDF step never emits generalized RDF).
    pub predicate: Term,
    pub object: Term,
    /// An IRI or a blank node, or `None` for the default graph.
    pub graph: Option<Term>,
}

//! Canonical N-Quads text of oxrdf quads, written the way rdf-canonize (jsonld.js) writes it.
//!
//! The writer is ours rather than oxrdf's `Display` because the signed bytes must equal
//! rdf-canonize's: it escapes U+0000–U+001F and U+007F (with `\b \t \n \f \r` short forms) and
//! leaves everything else, including U+FFFE/U+FFFF, raw. Lines are sorted with
//! [`skillpass::rdf::sort_utf16`], as JavaScript's `Array.prototype.sort()` sorts.

use oxrdf::vocab::xsd;
use oxrdf::{BlankNode, GraphName, Literal, NamedOrBlankNode, Quad, Term};
use std::fmt::Write as _;

/// One quad as an N-Quads line (with `" .\n"`).
pub(crate) fn write_quad(out: &mut String, quad: &Quad) {
    write_subject(out, &quad.subject);
    out.push(' ');
    write_iri(out, quad.predicate.as_str());
    out.push(' ');
    match &quad.object {
        Term::NamedNode(n) => write_iri(out, n.as_str()),
        Term::BlankNode(b) => write_blank(out, b),
        Term::Literal(l) => write_literal(out, l),
    }
    match &quad.graph_name {
        GraphName::NamedNode(n) => {
            out.push(' ');
            write_iri(out, n.as_str());
        }
        GraphName::BlankNode(b) => {
            out.push(' ');
            write_blank(out, b);
        }
        GraphName::DefaultGraph => {}
    }
    out.push_str(" .\n");
}

fn write_subject(out: &mut String, s: &NamedOrBlankNode) {
    match s {
        NamedOrBlankNode::NamedNode(n) => write_iri(out, n.as_str()),
        NamedOrBlankNode::BlankNode(b) => write_blank(out, b),
    }
}

fn write_blank(out: &mut String, b: &BlankNode) {
    out.push_str("_:");
    out.push_str(b.as_str());
}

fn write_iri(out: &mut String, iri: &str) {
    out.push('<');
    for c in iri.chars() {
        match c {
            '\u{0}'..='\u{20}' | '<' | '>' | '"' | '{' | '}' | '|' | '^' | '`' | '\\' => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            _ => out.push(c),
        }
    }
    out.push('>');
}

fn write_literal(out: &mut String, l: &Literal) {
    out.push('"');
    for c in l.value().chars() {
        match c {
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{0}'..='\u{1f}' | '\u{7f}' => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            _ => out.push(c),
        }
    }
    out.push('"');
    if let Some(language) = l.language() {
        out.push('@');
        out.push_str(language);
    } else if l.datatype() != xsd::STRING {
        out.push_str("^^");
        write_iri(out, l.datatype().as_str());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxrdf::NamedNode;

    #[test]
    fn writer_escapes_like_rdf_canonize() {
        let q = Quad::new(
            NamedNode::new_unchecked("urn:s"),
            NamedNode::new_unchecked("urn:p"),
            Literal::new_simple_literal(
                "a\"b\\c\nd\re\tf\u{8}g\u{c}h\u{1}i\u{7f}j\u{85}k\u{FFFE}l\u{2028}",
            ),
            GraphName::DefaultGraph,
        );
        let mut out = String::new();
        write_quad(&mut out, &q);
        assert_eq!(
            out,
            "<urn:s> <urn:p> \"a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u0001i\\u007Fj\u{85}k\u{FFFE}l\u{2028}\" .\n"
        );
        let q = Quad::new(
            BlankNode::new_unchecked("c14n0"),
            NamedNode::new_unchecked("urn:p"),
            Literal::new_language_tagged_literal_unchecked("x", "en-us"),
            NamedNode::new_unchecked("urn:g"),
        );
        let mut out = String::new();
        write_quad(&mut out, &q);
        assert_eq!(out, "_:c14n0 <urn:p> \"x\"@en-us <urn:g> .\n");
        let q = Quad::new(
            BlankNode::new_unchecked("c14n0"),
            NamedNode::new_unchecked("urn:p"),
            Literal::new_typed_literal("7.5E0", xsd::DOUBLE),
            BlankNode::new_unchecked("c14n1"),
        );
        let mut out = String::new();
        write_quad(&mut out, &q);
        assert_eq!(
            out,
            "_:c14n0 <urn:p> \"7.5E0\"^^<http://www.w3.org/2001/XMLSchema#double> _:c14n1 .\n"
        );
        let mut out = String::new();
        write_iri(&mut out, "urn:a b");
        assert_eq!(out, "<urn:a\\u0020b>");
    }
}

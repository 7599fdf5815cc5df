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

use std::cmp::Ordering;

/// Compares as JavaScript compares strings (UTF-16 code units), which is how rdf-canonize sorts.
/// Differs from `str::cmp` only when a supplementary-plane character meets one in U+E000–U+FFFF.
pub fn cmp_utf16(a: &str, b: &str) -> Ordering {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let n = x.len().min(y.len());
    // Find the first differing byte, eight at a time (canonical lines share long prefixes).
    let mut i = 0;
    while i + 8 <= n && x[i..i + 8] == y[i..i + 8] {
        i += 8;
    }
    while i < n && x[i] == y[i] {
        i += 1;
    }
    if i == n {
        return x.len().cmp(&y.len());
    }
    // Lead bytes of the two differing characters (equal bytes before them, so same boundary).
    let mut start = i;
    while !a.is_char_boundary(start) {
        start -= 1;
    }
    let (la, lb) = (x[start], y[start]);
    // Only a supplementary character (lead F0–F4, surrogates D800–DBFF in UTF-16) against one in
    // U+E000–U+FFFF (lead EE/EF) orders differently in UTF-16 than in UTF-8.
    let astral = |l: u8| l >= 0xF0;
    let high_bmp = |l: u8| l == 0xEE || l == 0xEF;
    if astral(la) && high_bmp(lb) {
        Ordering::Less
    } else if high_bmp(la) && astral(lb) {
        Ordering::Greater
    } else {
        x[i].cmp(&y[i])
    }
}

/// Sorts strings as JavaScript's `Array.prototype.sort()` does (stable, UTF-16 code units).
pub fn sort_utf16<S: AsRef<str>>(items: &mut [S]) {
    items.sort_by(|a, b| cmp_utf16(a.as_ref(), b.as_ref()));
}

/// Writes one quad as a canonical N-Quads line (ending in `" .\n"`), byte for byte as
/// rdf-canonize 5 serializes it.
pub fn write_quad(out: &mut String, q: &Quad) {
    write_term(out, &q.subject);
    out.push(' ');
    write_term(out, &q.predicate);
    out.push(' ');
    write_term(out, &q.object);
    if let Some(g) = &q.graph {
        out.push(' ');
        write_term(out, g);
    }
    out.push_str(" .\n");
}

/// Writes one term in canonical N-Quads form. Literals: only U+0000–U+001F, U+007F, `"` and `\`
/// are escaped (everything else, U+FFFE/U+FFFF included, stays raw); `xsd:string` is implicit and
/// `rdf:langString` is written as `@lang`.
pub fn write_term(out: &mut String, t: &Term) {
    match t {
        Term::Iri(iri) => write_iri(out, iri),
        Term::Blank(label) => {
            out.push_str("_:");
            out.push_str(label);
        }
        Term::Literal(l) => {
            out.push('"');
            write_escaped_literal(out, &l.value);
            out.push('"');
            if l.datatype == vocab::RDF_LANG_STRING {
                // As rdf-canonize: a language string without a tag is written bare.
                if let Some(lang) = l.language.as_deref().filter(|s| !s.is_empty()) {
                    out.push('@');
                    out.push_str(lang);
                }
            } else if l.datatype != vocab::XSD_STRING {
                out.push_str("^^");
                write_iri(out, &l.datatype);
            }
        }
    }
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

const IRI_ESC: u8 = 1;
const LIT_ESC: u8 = 2;

/// Per byte: which writers must escape it (rdf-canonize's two escape regexes; all ASCII).
const ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = IRI_ESC | LIT_ESC;
        b += 1;
    }
    t[0x20] = IRI_ESC;
    t[0x7f] = LIT_ESC;
    t[b'"' as usize] = IRI_ESC | LIT_ESC;
    t[b'\\' as usize] = IRI_ESC | LIT_ESC;
    let iri_only = b"<>{}|^`";
    let mut i = 0;
    while i < iri_only.len() {
        t[iri_only[i] as usize] = IRI_ESC;
        i += 1;
    }
    t
};

fn push_uchar4(out: &mut String, b: u8) {
    out.push_str("\\u00");
    out.push(char::from(HEX[usize::from(b >> 4)]));
    out.push(char::from(HEX[usize::from(b & 15)]));
}

/// `<iri>` with U+0000–U+0020 and `<>"{}|^`\` written as `\u00XX`.
fn write_iri(out: &mut String, iri: &str) {
    out.push('<');
    let mut rest = iri;
    while let Some(i) = rest
        .bytes()
        .position(|b| ESCAPE[usize::from(b)] & IRI_ESC != 0)
    {
        out.push_str(&rest[..i]);
        push_uchar4(out, rest.as_bytes()[i]);
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
    out.push('>');
}

fn write_escaped_literal(out: &mut String, value: &str) {
    let mut rest = value;
    while let Some(i) = rest
        .bytes()
        .position(|b| ESCAPE[usize::from(b)] & LIT_ESC != 0)
    {
        out.push_str(&rest[..i]);
        let b = rest.as_bytes()[i];
        match b {
            0x08 => out.push_str("\\b"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            0x0c => out.push_str("\\f"),
            b'\r' => out.push_str("\\r"),
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            _ => push_uchar4(out, b),
        }
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
}

/// Parses N-Quads (RDF 1.1, no generalized RDF) strictly: IRIs must be absolute, blank-node
/// labels and language tags must match the grammar (tags are kept as written), `\u` escapes must
/// be scalar values. Repeated quads are dropped (a dataset is a set), as rdf-canonize's parser does.
/// Errors name the line and column.
pub fn parse_nquads(input: &str) -> Result<Vec<Quad>, String> {
    let mut quads = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut line_no = 0usize;
    let mut rest = input;
    while !rest.is_empty() || line_no == 0 {
        line_no += 1;
        // EOL is any of \n, \r\n or \r; literals and IRIs cannot hold a raw CR or LF.
        let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
        let line = &rest[..end];
        rest = &rest[end..];
        if let Some(r) = rest.strip_prefix("\r\n") {
            rest = r;
        } else if !rest.is_empty() {
            rest = &rest[1..];
        }
        if let Some(q) = parse_line(line, line_no)? {
            if seen.insert(q.clone()) {
                quads.push(q);
            }
        }
    }
    Ok(quads)
}

fn parse_line(line: &str, line_no: usize) -> Result<Option<Quad>, String> {
    let mut p = Cursor {
        s: line,
        pos: 0,
        line: line_no,
    };
    p.ws();
    if p.eof() || p.peek() == Some('#') {
        return Ok(None);
    }
    let subject = match p.peek() {
        Some('<') => Term::Iri(p.iri()?),
        Some('_') => Term::Blank(p.blank()?),
        _ => return Err(p.err("expected an IRI or a blank node as subject")),
    };
    p.ws();
    if p.peek() != Some('<') {
        return Err(p.err("expected an IRI as predicate"));
    }
    let predicate = Term::Iri(p.iri()?);
    p.ws();
    let object = match p.peek() {
        Some('<') => Term::Iri(p.iri()?),
        Some('_') => Term::Blank(p.blank()?),
        Some('"') => Term::Literal(p.literal()?),
        _ => return Err(p.err("expected an IRI, a blank node or a literal as object")),
    };
    p.ws();
    let graph = match p.peek() {
        Some('<') => Some(Term::Iri(p.iri()?)),
        Some('_') => Some(Term::Blank(p.blank()?)),
        _ => None,
    };
    p.ws();
    if p.peek() != Some('.') {
        return Err(p.err("expected '.'"));
    }
    p.pos += 1;
    p.ws();
    if !(p.eof() || p.peek() == Some('#')) {
        return Err(p.err("unexpected text after '.'"));
    }
    Ok(Some(Quad {
        subject,
        predicate,
        object,
        graph,
    }))
}

struct Cursor<'a> {
    s: &'a str,
    pos: usize,
    line: usize,
}

impl Cursor<'_> {
    fn eof(&self) -> bool {
        self.pos >= self.s.len()
    }
    fn peek(&self) -> Option<char> {
        self.s[self.pos..].chars().next()
    }
    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += c.len_utf8();
        Some(c)
    }
    fn ws(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.pos += 1;
        }
    }
    fn err(&self, what: &str) -> String {
        format!(
            "N-Quads line {}, column {}: {what}",
            self.line,
            self.s[..self.pos.min(self.s.len())].chars().count() + 1
        )
    }

    fn iri(&mut self) -> Result<String, String> {
        let start = self.pos;
        self.bump(); // '<'
        let mut iri = String::new();
        loop {
            match self.bump() {
                Some('>') => break,
                Some('\\') => iri.push(self.uchar()?),
                Some(c) if c <= ' ' || "<\"{}|^`".contains(c) => {
                    return Err(self.err("character not allowed in an IRI"))
                }
                Some(c) => iri.push(c),
                None => return Err(self.err("unterminated IRI")),
            }
        }
        if let Err(e) = oxiri::Iri::parse(iri.as_str()) {
            self.pos = start;
            return Err(self.err(&format!("invalid absolute IRI <{iri}>: {e}")));
        }
        Ok(iri)
    }

    fn uchar(&mut self) -> Result<char, String> {
        let len = match self.bump() {
            Some('u') => 4,
            Some('U') => 8,
            _ => return Err(self.err("invalid escape")),
        };
        let hex = self
            .s
            .get(self.pos..self.pos + len)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.err("invalid \\u escape"))?;
        let c = u32::from_str_radix(hex, 16)
            .ok()
            .and_then(char::from_u32)
            .ok_or_else(|| self.err("\\u escape is not a Unicode scalar value"))?;
        self.pos += len;
        Ok(c)
    }

    /// `_:` label per the N-Quads BLANK_NODE_LABEL production; a trailing '.' ends the statement.
    fn blank(&mut self) -> Result<String, String> {
        if !self.s[self.pos..].starts_with("_:") {
            return Err(self.err("expected '_:'"));
        }
        self.pos += 2;
        let start = self.pos;
        match self.peek() {
            Some(c) if is_pn_chars_u(c) || c.is_ascii_digit() => self.pos += c.len_utf8(),
            _ => return Err(self.err("invalid blank node label")),
        }
        while let Some(c) = self.peek().filter(|&c| is_pn_chars(c) || c == '.') {
            self.pos += c.len_utf8();
        }
        while self.s[start..self.pos].ends_with('.') {
            self.pos -= 1;
        }
        Ok(self.s[start..self.pos].to_owned())
    }

    fn literal(&mut self) -> Result<Literal, String> {
        self.bump(); // '"'
        let mut value = String::new();
        loop {
            match self.bump() {
                Some('"') => break,
                Some('\\') => match self.peek() {
                    Some('u' | 'U') => value.push(self.uchar()?),
                    Some(c) => {
                        value.push(match c {
                            't' => '\t',
                            'b' => '\u{8}',
                            'n' => '\n',
                            'r' => '\r',
                            'f' => '\u{c}',
                            '"' => '"',
                            '\'' => '\'',
                            '\\' => '\\',
                            _ => return Err(self.err("invalid escape")),
                        });
                        self.pos += 1;
                    }
                    None => return Err(self.err("unterminated literal")),
                },
                Some(c) => value.push(c),
                None => return Err(self.err("unterminated literal")),
            }
        }
        if self.s[self.pos..].starts_with("^^") {
            self.pos += 2;
            if self.peek() != Some('<') {
                return Err(self.err("expected a datatype IRI"));
            }
            let datatype = self.iri()?;
            if datatype == vocab::RDF_LANG_STRING {
                return Err(self.err("rdf:langString needs a language tag"));
            }
            return Ok(Literal {
                value,
                datatype,
                language: None,
            });
        }
        if self.peek() == Some('@') {
            self.pos += 1;
            let start = self.pos;
            while matches!(self.peek(), Some(c) if c.is_ascii_alphanumeric() || c == '-') {
                self.pos += 1;
            }
            let tag = &self.s[start..self.pos];
            let mut parts = tag.split('-');
            let first_ok = parts
                .next()
                .is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_alphabetic()));
            if !first_ok || parts.any(str::is_empty) {
                return Err(self.err("invalid language tag"));
            }
            return Ok(Literal {
                value,
                datatype: vocab::RDF_LANG_STRING.to_owned(),
                language: Some(tag.to_owned()),
            });
        }
        Ok(Literal {
            value,
            datatype: vocab::XSD_STRING.to_owned(),
            language: None,
        })
    }
}

fn is_pn_chars_base(c: char) -> bool {
    matches!(c,
        'A'..='Z' | 'a'..='z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}' | '\u{F8}'..='\u{2FF}'
        | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

fn is_pn_chars_u(c: char) -> bool {
    is_pn_chars_base(c) || c == '_' || c == ':'
}

fn is_pn_chars(c: char) -> bool {
    is_pn_chars_u(c)
        || c == '-'
        || c.is_ascii_digit()
        || c == '\u{B7}'
        || ('\u{300}'..='\u{36F}').contains(&c)
        || ('\u{203F}'..='\u{2040}').contains(&c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iri(s: &str) -> Term {
        Term::Iri(s.to_owned())
    }
    fn lit(value: &str, datatype: &str, language: Option<&str>) -> Term {
        Term::Literal(Literal {
            value: value.to_owned(),
            datatype: datatype.to_owned(),
            language: language.map(str::to_owned),
        })
    }
    fn line(q: &Quad) -> String {
        let mut out = String::new();
        write_quad(&mut out, q);
        out
    }

    #[test]
    fn writer_escapes_like_rdf_canonize() {
        let q = Quad {
            subject: iri("urn:s"),
            predicate: iri("urn:p"),
            object: lit(
                "a\"b\\c\nd\re\tf\u{8}g\u{c}h\u{1}i\u{7f}j\u{85}k\u{FFFE}l\u{FFFF}\u{2028}\u{1F600}",
                vocab::XSD_STRING,
                None,
            ),
            graph: None,
        };
        assert_eq!(
            line(&q),
            "<urn:s> <urn:p> \"a\\\"b\\\\c\\nd\\re\\tf\\bg\\fh\\u0001i\\u007Fj\u{85}k\u{FFFE}l\u{FFFF}\u{2028}\u{1F600}\" .\n"
        );
        let q = Quad {
            subject: Term::Blank("c14n0".into()),
            predicate: iri("urn:p"),
            object: lit("x", vocab::RDF_LANG_STRING, Some("en-US")),
            graph: Some(iri("urn:g")),
        };
        assert_eq!(line(&q), "_:c14n0 <urn:p> \"x\"@en-US <urn:g> .\n");
        let q = Quad {
            subject: Term::Blank("b0".into()),
            predicate: iri("urn:p"),
            object: lit("7.5E0", vocab::XSD_DOUBLE, None),
            graph: Some(Term::Blank("b1".into())),
        };
        assert_eq!(
            line(&q),
            "_:b0 <urn:p> \"7.5E0\"^^<http://www.w3.org/2001/XMLSchema#double> _:b1 .\n"
        );
        // IRIs: controls, space and <>"{}|^`\ become \u00XX; everything else stays raw.
        let q = Quad {
            subject: iri("urn:a b<>\"{}|^`\\\u{1}é\u{FFFE}"),
            predicate: iri("urn:p"),
            object: lit("", "urn:dt x", None),
            graph: None,
        };
        assert_eq!(
            line(&q),
            "<urn:a\\u0020b\\u003C\\u003E\\u0022\\u007B\\u007D\\u007C\\u005E\\u0060\\u005C\\u0001é\u{FFFE}> <urn:p> \"\"^^<urn:dt\\u0020x> .\n"
        );
    }

    #[test]
    fn utf16_order_differs_from_code_point_order_only_above_u_e000() {
        let astral = "\u{1F600}"; // D83D DE00 in UTF-16
        let fullwidth = "\u{FF01}";
        assert_eq!(astral.cmp(fullwidth), Ordering::Greater);
        assert_eq!(cmp_utf16(astral, fullwidth), Ordering::Less);
        assert_eq!(cmp_utf16(fullwidth, astral), Ordering::Greater);
        assert_eq!(cmp_utf16(astral, "\u{E000}"), Ordering::Less);
        assert_eq!(cmp_utf16(astral, "\u{D7FF}"), Ordering::Greater);
        assert_eq!(cmp_utf16("ab", "a"), Ordering::Greater);
        assert_eq!(cmp_utf16("", ""), Ordering::Equal);
        // A shared multi-byte prefix must not be split mid-character.
        assert_eq!(
            cmp_utf16("\u{FF01}\u{1F600}", "\u{FF01}\u{FF01}"),
            Ordering::Less
        );
        // Exhaustive pairs over an alphabet of 1- to 4-byte characters against the definition.
        let alphabet = [
            "a",
            "z",
            "\u{7f}",
            "é",
            "\u{7FF}",
            "\u{800}",
            "\u{D7FF}",
            "\u{E000}",
            "\u{FF01}",
            "\u{FFFF}",
            "\u{10000}",
            "\u{1F600}",
            "\u{10FFFF}",
        ];
        let mut words = vec![String::new()];
        for a in alphabet {
            for b in alphabet {
                words.push(format!("{a}{b}"));
                words.push(format!("x{a}{b}y"));
            }
            words.push(a.to_owned());
        }
        for a in &words {
            for b in &words {
                assert_eq!(
                    cmp_utf16(a, b),
                    a.encode_utf16().cmp(b.encode_utf16()),
                    "{a:?} {b:?}"
                );
            }
        }
        let mut lines = vec![
            format!("\"{fullwidth}\""),
            format!("\"{astral}\""),
            "\"a\"".to_owned(),
        ];
        sort_utf16(&mut lines);
        assert_eq!(
            lines,
            [
                "\"a\"".to_owned(),
                format!("\"{astral}\""),
                format!("\"{fullwidth}\"")
            ]
        );
    }

    #[test]
    fn parser_reads_what_the_writer_writes_and_drops_repeats() {
        let text = "<urn:s> <urn:p> \"a\\u00E9\\n\\\"\\t\\U0001F600\"@EN-gb . # c\r\n_:b0 <urn:p> _:b1 _:g.\n\n# only a comment\r<urn:s> <urn:p> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer> <urn:g> .\n_:b0 <urn:p> _:b1 _:g .\n_:a.b\t<urn:p>\t\"x\"^^<http://www.w3.org/2001/XMLSchema#string>.";
        let quads = parse_nquads(text).unwrap();
        assert_eq!(quads.len(), 4, "{quads:?}");
        assert_eq!(
            quads[0].object,
            lit(
                "a\u{e9}\n\"\t\u{1F600}",
                vocab::RDF_LANG_STRING,
                Some("EN-gb")
            )
        );
        assert_eq!(quads[1].graph, Some(Term::Blank("g".into())));
        assert_eq!(quads[3].subject, Term::Blank("a.b".into()));
        assert_eq!(quads[3].object, lit("x", vocab::XSD_STRING, None));
        let mut out = String::new();
        for q in &quads {
            write_quad(&mut out, q);
        }
        assert_eq!(parse_nquads(&out).unwrap(), quads);
        assert_eq!(parse_nquads("").unwrap(), []);
    }

    #[test]
    fn parser_rejects_with_line_and_column() {
        for (bad, at) in [
            ("<urn:s> <urn:p> \"x\"", "line 1, column 20"),
            ("\n<s> <urn:p> <urn:o> .", "line 2, column 1"),
            ("<urn:s> _:p <urn:o> .", "line 1, column 9"),
            ("<urn:s> <urn:p> \"x\"@ .", "line 1"),
            ("<urn:s> <urn:p> \"x\"@en- .", "line 1"),
            ("<urn:s> <urn:p> <urn:o> . x", "line 1"),
            ("<urn:s> <urn:p> \"x .", "line 1"),
            ("<urn:s> <urn:p> \"\\q\" .", "line 1"),
            ("<urn:s> <urn:p> \"\\uD800\" .", "line 1"),
            ("<urn:s> <urn:p> \"\\u00G0\" .", "line 1"),
            (
                "<urn:s> <urn:p> \"x\"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString> .",
                "line 1",
            ),
            ("\"x\" <urn:p> <urn:o> .", "line 1, column 1"),
            ("_:-a <urn:p> <urn:o> .", "line 1"),
            ("<urn:s> <urn:p> <urn:o> <urn:g> <urn:h> .", "line 1"),
            ("<urn:s> <urn:p> <urn:o>", "line 1"),
            (
                "<urn:s> <urn:p> <urn:o> .\r\n\r\n<urn:a b> <urn:p> <urn:o> .",
                "line 3",
            ),
        ] {
            let err = parse_nquads(bad).unwrap_err();
            assert!(err.contains(at), "{bad:?}: {err}");
        }
    }
}

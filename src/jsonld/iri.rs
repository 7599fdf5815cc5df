//! String rules of JSON-LD processing as jsonld.js applies them: its IRI resolution, its
//! "absolute IRI" test, keywords, BCP 47 shape and JavaScript's string order.
//!
//! jsonld.js does not resolve relative references with a full RFC 3986 parser but with a
//! regular-expression split and its own merge; a few inputs (default ports, `@` in paths,
//! empty bases) come out differently from RFC 3986. Signatures must match jsonld.js byte for
//! byte, so these functions reproduce its results rather than the RFC's.

/// The keywords jsonld.js recognises (its `isKeyword`), including framing keywords.
pub(super) fn is_keyword(s: &str) -> bool {
    matches!(
        s,
        "@base"
            | "@container"
            | "@context"
            | "@default"
            | "@direction"
            | "@embed"
            | "@explicit"
            | "@graph"
            | "@id"
            | "@included"
            | "@index"
            | "@json"
            | "@language"
            | "@list"
            | "@nest"
            | "@none"
            | "@omitDefault"
            | "@prefix"
            | "@preserve"
            | "@protected"
            | "@requireAll"
            | "@reverse"
            | "@set"
            | "@type"
            | "@value"
            | "@version"
            | "@vocab"
    )
}

/// `@` followed by one or more ASCII letters: reserved for future keywords, ignored.
pub(super) fn is_keyword_like(s: &str) -> bool {
    s.len() > 1 && s.starts_with('@') && s[1..].bytes().all(|b| b.is_ascii_alphabetic())
}

/// Characters of a scheme after the first letter, as jsonld.js's `[A-Za-z0-9+-.]` reads them
/// (the `+-.` range also admits `,`).
fn is_scheme_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b',' | b'-' | b'.')
}

/// JavaScript's white space and line terminators (regex `\s`, and what `parseFloat` skips).
pub(super) fn is_js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}

/// jsonld.js's absolute-IRI test, `^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*$`: a scheme (or `_`
/// for a blank node), a colon, and no JavaScript white space. (`+-.` is a range: `+,-.`.)
pub(super) fn is_absolute_iri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let scheme_ok = scheme == "_"
        || scheme
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic())
            && scheme.bytes().all(is_scheme_char);
    // Fast path: no control character, space or non-ASCII byte, so no JavaScript white space.
    scheme_ok && (!has_space_or_non_ascii(rest.as_bytes()) || !rest.chars().any(is_js_space))
}

/// Whether a byte is at most `0x20` or at least `0x80`, eight bytes at a time (this test runs
/// for every subject, predicate and object).
fn has_space_or_non_ascii(bytes: &[u8]) -> bool {
    const LOW: u64 = 0x2121_2121_2121_2121;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        // A byte below 0x21 wraps to a set top bit (a borrow only follows such a byte).
        if (w.wrapping_sub(LOW) | w) & HIGH != 0 {
            return true;
        }
    }
    chunks.remainder().iter().any(|&b| b <= b' ' || b >= 0x80)
}

/// `^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$`, the language-tag shape jsonld.js accepts silently.
pub(super) fn is_bcp47(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let first = parts.next().unwrap_or("");
    (1..=8).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// JavaScript's default string order (UTF-16 code units), used for every sort jsonld.js does.
pub(super) use crate::rdf::cmp_utf16 as js_cmp;

/// Whether `key` is an array index, which JavaScript objects enumerate first, in numeric order.
fn array_index(key: &str) -> Option<u32> {
    if key == "0" {
        return Some(0);
    }
    if key.is_empty() || key.starts_with('0') || !key.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    key.parse::<u32>().ok().filter(|&n| n != u32::MAX)
}

/// Keys in JavaScript's `for…in` order: array indices ascending, then insertion order.
pub(super) fn js_key_order<'a>(keys: impl Iterator<Item = &'a String>) -> Vec<&'a str> {
    let mut keys: Vec<&str> = keys.map(String::as_str).collect();
    if keys.iter().any(|k| array_index(k).is_some()) {
        // Stable: non-index keys keep their insertion order.
        keys.sort_by_key(|k| match array_index(k) {
            Some(n) => (0, n),
            None => (1, 0),
        });
    }
    keys
}

/// The parts of a reference as jsonld.js's `parse` splits them.
struct Parts<'a> {
    scheme: Option<&'a str>,
    authority: Option<String>,
    path: &'a str,
    query: Option<&'a str>,
    fragment: Option<&'a str>,
}

fn split(s: &str) -> Parts<'_> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut scheme = None;
    if b.first().is_some_and(u8::is_ascii_alphabetic) {
        let end = 1 + b[1..].iter().take_while(|&&c| is_scheme_char(c)).count();
        if b.get(end) == Some(&b':') {
            scheme = Some(&s[..end]);
            i = end + 1;
        }
    }
    let mut authority = None;
    let mut port = None;
    if s[i..].starts_with("//") {
        let start = i + 2;
        let mut j = start;
        // Optional `user[:password]@`; neither part may contain ':' or '@'.
        let u1 = j + b[j..]
            .iter()
            .take_while(|&&c| c != b':' && c != b'@')
            .count();
        if b.get(u1) == Some(&b'@') {
            j = u1 + 1;
        } else if b.get(u1) == Some(&b':') {
            let u2 = u1
                + 1
                + b[u1 + 1..]
                    .iter()
                    .take_while(|&&c| c != b':' && c != b'@')
                    .count();
            if b.get(u2) == Some(&b'@') {
                j = u2 + 1;
            }
        }
        j += b[j..]
            .iter()
            .take_while(|&&c| !matches!(c, b':' | b'/' | b'?' | b'#'))
            .count();
        if b.get(j) == Some(&b':') {
            let digits = b[j + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
            port = Some(&s[j + 1..j + 1 + digits]);
            j += 1 + digits;
        }
        authority = Some(s[start..j].to_owned());
        i = j;
    }
    let path_end = i + b[i..]
        .iter()
        .take_while(|&&c| c != b'?' && c != b'#')
        .count();
    let path = &s[i..path_end];
    i = path_end;
    let mut query = None;
    if b.get(i) == Some(&b'?') {
        let end = i + 1 + b[i + 1..].iter().take_while(|&&c| c != b'#').count();
        query = Some(&s[i + 1..end]);
        i = end;
    }
    let mut fragment = None;
    if b.get(i) == Some(&b'#') {
        let rest = &s[i + 1..];
        let end = rest
            .find(['\n', '\r', '\u{2028}', '\u{2029}'])
            .unwrap_or(rest.len());
        fragment = Some(&rest[..end]);
    }
    // jsonld.js drops the default port of http and https (first occurrence of ":port").
    if let (Some(sch), Some(p), Some(auth)) = (scheme, port, authority.as_mut()) {
        if (sch == "https" && p == "443") || (sch == "http" && p == "80") {
            *auth = auth.replacen(&format!(":{p}"), "", 1);
        }
    }
    Parts {
        scheme,
        authority,
        path,
        query,
        fragment,
    }
}

/// jsonld.js's `removeDotSegments`.
pub(super) fn remove_dot_segments(path: &str) -> String {
    if path.is_empty() {
        return String::new();
    }
    let input: Vec<&str> = path.split('/').collect();
    let mut output: Vec<&str> = Vec::with_capacity(input.len());
    let n = input.len();
    for (idx, next) in input.into_iter().enumerate() {
        let done = idx + 1 == n;
        match next {
            "." => {
                if done {
                    output.push("");
                }
            }
            ".." => {
                output.pop();
                if done {
                    output.push("");
                }
            }
            _ => output.push(next),
        }
    }
    if path.starts_with('/') && output.first().is_some_and(|f| !f.is_empty()) {
        output.insert(0, "");
    }
    if output.len() == 1 && output[0].is_empty() {
        return "/".to_owned();
    }
    output.join("/")
}

/// jsonld.js's `prependBase(base, iri)`: `None` is JavaScript `null` (no resolution at all);
/// `Some("")` is also what an undefined base means there.
pub(super) fn prepend_base(base: Option<&str>, iri: &str) -> String {
    let Some(base) = base else {
        return iri.to_owned();
    };
    if is_absolute_iri(iri) {
        return iri.to_owned();
    }
    let base = split(base);
    let rel = split(iri);
    let protocol = base.scheme.map(|s| format!("{s}:")).unwrap_or_default();
    let (authority, mut path, query): (Option<String>, String, Option<&str>) =
        if rel.authority.is_some() {
            (rel.authority.clone(), rel.path.to_owned(), rel.query)
        } else if rel.path.is_empty() {
            (
                base.authority.clone(),
                base.path.to_owned(),
                rel.query.or(base.query),
            )
        } else if rel.path.starts_with('/') {
            (base.authority.clone(), rel.path.to_owned(), rel.query)
        } else {
            let mut p = match base.path.rfind('/') {
                Some(k) => base.path[..=k].to_owned(),
                None => String::new(),
            };
            if (!p.is_empty() || base.authority.as_deref().is_some_and(|a| !a.is_empty()))
                && !p.ends_with('/')
            {
                p.push('/');
            }
            p.push_str(rel.path);
            (base.authority.clone(), p, rel.query)
        };
    if !rel.path.is_empty() {
        path = remove_dot_segments(&path);
    }
    let mut out = protocol;
    if let Some(a) = authority {
        out.push_str("//");
        out.push_str(&a);
    }
    out.push_str(&path);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    if let Some(f) = rel.fragment {
        out.push('#');
        out.push_str(f);
    }
    if out.is_empty() {
        out.push_str("./");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering;

    #[test]
    fn absolute_iri_test_matches_jsonld_js() {
        assert!(is_absolute_iri("http://a/b"));
        assert!(is_absolute_iri("_:b0"));
        assert!(is_absolute_iri("a,b:c"));
        assert!(is_absolute_iri("urn:x"));
        assert!(!is_absolute_iri("1a:b"));
        assert!(!is_absolute_iri("foo"));
        assert!(!is_absolute_iri("http://a b"));
        assert!(!is_absolute_iri(""));
    }

    #[test]
    fn resolution_matches_jsonld_js() {
        let b = Some("http://a/b/c/d;p?q");
        for (rel, out) in [
            ("g", "http://a/b/c/g"),
            ("./g", "http://a/b/c/g"),
            ("g/", "http://a/b/c/g/"),
            ("/g", "http://a/g"),
            ("//g", "http://g"),
            ("?y", "http://a/b/c/d;p?y"),
            ("#s", "http://a/b/c/d;p?q#s"),
            ("", "http://a/b/c/d;p?q"),
            (".", "http://a/b/c/"),
            ("..", "http://a/b/"),
            ("../..", "http://a/"),
            ("../../../g", "http://a/g"),
            ("g;x=1/../y", "http://a/b/c/y"),
        ] {
            assert_eq!(prepend_base(b, rel), out, "{rel}");
        }
        assert_eq!(prepend_base(None, "g"), "g");
        assert_eq!(prepend_base(Some(""), ""), "./");
        assert_eq!(prepend_base(Some("https://x:443/a"), "b"), "https://x/b");
    }

    #[test]
    fn order_and_tags() {
        assert_eq!(js_cmp("\u{ff01}", "\u{1f600}"), Ordering::Greater);
        assert!(is_bcp47("en-US"));
        assert!(!is_bcp47("en_US"));
        assert!(!is_bcp47("123"));
        let keys = [
            "b".to_owned(),
            "10".to_owned(),
            "a".to_owned(),
            "2".to_owned(),
        ];
        assert_eq!(js_key_order(keys.iter()), ["2", "10", "b", "a"]);
    }
}

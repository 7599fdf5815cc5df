//! Sentences of the server-rendered pages: a message with `{name}` placeholders, filled with
//! the page's own words and with values from credentials, which the templates isolate in
//! `<bdi>` so that right-to-left characters inside them cannot reorder the words around them.

/// A piece of a sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    /// The page's own words, or a value the service worked out (a date, a framework's name).
    Text(String),
    /// A value from a credential or the registry: isolated in `<bdi>` so right-to-left override
    /// characters inside it cannot reorder the words around it.
    Data(String),
}

/// A sentence of the page with its values in place.
pub(crate) type Sentence = Vec<Part>;

/// `pattern` (a message with `{name}` placeholders) with each placeholder replaced by its part.
/// A placeholder without a value is left as written.
pub(crate) fn fill(pattern: &str, args: &[(&str, Part)]) -> Sentence {
    fn push(out: &mut Sentence, s: &str) {
        if !s.is_empty() {
            out.push(Part::Text(s.to_owned()));
        }
    }
    let mut out = Vec::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        let Some(len) = rest[open..].find('}') else {
            break;
        };
        let name = &rest[open + 1..open + len];
        match args.iter().find(|(n, _)| *n == name) {
            Some((_, part)) => {
                push(&mut out, &rest[..open]);
                out.push(part.clone());
            }
            None => push(&mut out, &rest[..=open + len]),
        }
        rest = &rest[open + len + 1..];
    }
    push(&mut out, rest);
    out
}

/// [`fill`] as plain text, for a value that is shown as one piece.
pub(crate) fn fill_text(pattern: &str, args: &[(&str, &str)]) -> String {
    let args: Vec<(&str, Part)> = args
        .iter()
        .map(|(n, v)| (*n, Part::Text((*v).to_owned())))
        .collect();
    fill(pattern, &args)
        .into_iter()
        .map(|p| match p {
            Part::Text(s) | Part::Data(s) => s,
        })
        .collect()
}

pub(crate) fn data(value: impl Into<String>) -> Part {
    Part::Data(value.into())
}

pub(crate) fn text(value: impl Into<String>) -> Part {
    Part::Text(value.into())
}

//! RDF Dataset Canonicalization (RDFC-1.0, <https://www.w3.org/TR/rdf-canon/>), as rdf-canonize 5
//! (jsonld.js) runs it, so that signed bytes match Digital Bazaar's implementation:
//! - every sort (N-Quads lines, blank-node labels) is JavaScript's: UTF-16 code units;
//! - hash input is serialized like rdf-canonize's N-Quads writer (U+FFFE/U+FFFF stay raw);
//! - first-degree hashes use `_:a`/`_:z` only (never canonical labels), as all implementations do;
//! - the work limit is rdf-canonize's `maxWorkFactor` rule: at most (number of blank nodes whose
//!   first-degree hash collides) ^ factor calls of Hash N-Degree Quads, default factor 1.
//!
//! On top of that, two guards bound time and stack on any input (rdf-canonize has neither, but no
//! input it accepts in practice comes near them): a cap on permutation work ([`Options::max_steps`])
//! and a recursion-depth cap ([`MAX_DEPTH`]).
//!
//! One deliberate difference: rdf-canonize leaves input labels that already start with `c14n`
//! unrenamed in its output (which can merge two blank nodes); we relabel every blank node, as the
//! specification says. JSON-LD → RDF labels (`b0`, `b1`, …) never hit this.

use crate::rdf::{cmp_utf16, write_term, Quad, Term};
use sha2::{Digest, Sha256, Sha384};
use std::collections::HashMap;
use std::ops::Range;

/// The hash function RDFC-1.0 runs with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HashAlgorithm {
    #[default]
    Sha256,
    Sha384,
}

/// Why a dataset was not canonicalized.
#[derive(Debug, thiserror::Error)]
pub enum RdfcError {
    /// The blank-node structure needs more N-Degree hashing than the work limit allows.
    #[error("RDFC-1.0 work limit exceeded: {0}")]
    WorkLimit(String),
}

/// Deepest Hash N-Degree Quads recursion we run. Each level issues at least one more temporary
/// label, so legitimate depth is at most the number of colliding blank nodes; a credential has a
/// handful. Bounds stack use (a level is well under 1 KiB) for 2 MiB worker threads.
pub const MAX_DEPTH: usize = 256;

/// Default for [`Options::max_steps`]: a few hundred milliseconds of permutation work at most,
/// far above what any dataset within the default work factor needs.
pub const DEFAULT_MAX_STEPS: u64 = 1 << 20;

/// How to canonicalize, and how much work to allow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    pub hash: HashAlgorithm,
    /// rdf-canonize's `maxWorkFactor`: Hash N-Degree Quads may run (colliding blank nodes) ^ factor
    /// times (factor 0 allows none). `None` means no limit (rdf-canonize's `Infinity`). Default 1,
    /// as jsonld.js and Digital Bazaar's cryptosuites use it.
    pub max_work_factor: Option<u32>,
    /// rdf-canonize's `maxDeepIterations`: when set, replaces the limit derived from the factor.
    pub max_deep_iterations: Option<u64>,
    /// Our own cap on permutation/related-hash work (steps), independent of the deep-iteration
    /// count, because permutations of already-labelled nodes cost no deep iterations.
    pub max_steps: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            hash: HashAlgorithm::Sha256,
            max_work_factor: Some(1),
            max_deep_iterations: None,
            max_steps: DEFAULT_MAX_STEPS,
        }
    }
}

/// A canonicalized dataset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Canonicalized {
    /// Canonical N-Quads: relabelled blank nodes, one line per quad, sorted by UTF-16 code units.
    pub nquads: String,
    /// Input blank-node label → canonical label (`c14n0`, …), in issuing order.
    pub issued: Vec<(String, String)>,
}

/// Canonical N-Quads of `quads` with the default work limit (rdf-canonize's defaults).
pub fn canonicalize(quads: &[Quad], hash: HashAlgorithm) -> Result<String, RdfcError> {
    let options = Options {
        hash,
        ..Options::default()
    };
    Ok(canonicalize_with(quads, &options)?.nquads)
}

/// Canonicalizes `quads` (taken as given: repeated quads are kept, as rdf-canonize keeps them).
pub fn canonicalize_with(quads: &[Quad], options: &Options) -> Result<Canonicalized, RdfcError> {
    let mut state = State::new(quads, options);
    state.run()?;
    Ok(state.finish())
}

/// A term position in a prepared quad: pre-serialized text, or a blank node by index.
#[derive(Clone)]
enum Part {
    Text(Range<usize>),
    Blank(u32),
    Absent,
}

struct PQuad {
    s: Part,
    p: Range<usize>,
    o: Part,
    g: Part,
    /// The predicate's raw value (no escaping), for Hash Related Blank Node.
    raw_predicate: Range<usize>,
}

/// An identifier issuer (`b` temporary or `c14n` canonical prefix): labels are `prefix` + position.
#[derive(Clone, Default)]
struct Issuer {
    /// Blank nodes in issuing order.
    order: Vec<u32>,
    /// (blank node, number) sorted by blank node, for lookups.
    sorted: Vec<(u32, u32)>,
}

impl Issuer {
    fn get(&self, node: u32) -> Option<u32> {
        self.sorted
            .binary_search_by_key(&node, |e| e.0)
            .ok()
            .map(|i| self.sorted[i].1)
    }
    fn issue(&mut self, node: u32) -> u32 {
        match self.sorted.binary_search_by_key(&node, |e| e.0) {
            Ok(i) => self.sorted[i].1,
            Err(i) => {
                let n = self.order.len() as u32;
                self.order.push(node);
                self.sorted.insert(i, (node, n));
                n
            }
        }
    }
}

enum Hasher {
    S256(Sha256),
    S384(Sha384),
}

impl Hasher {
    fn new(alg: HashAlgorithm) -> Self {
        match alg {
            HashAlgorithm::Sha256 => Hasher::S256(Sha256::new()),
            HashAlgorithm::Sha384 => Hasher::S384(Sha384::new()),
        }
    }
    fn update(&mut self, data: &[u8]) {
        match self {
            Hasher::S256(h) => h.update(data),
            Hasher::S384(h) => h.update(data),
        }
    }
    /// Lower-case hex digest, as rdf-canonize hashes and compares them.
    fn finish_hex(self) -> String {
        fn hex(bytes: &[u8]) -> String {
            const D: &[u8; 16] = b"0123456789abcdef";
            let mut s = String::with_capacity(bytes.len() * 2);
            for b in bytes {
                s.push(char::from(D[usize::from(b >> 4)]));
                s.push(char::from(D[usize::from(b & 15)]));
            }
            s
        }
        match self {
            Hasher::S256(h) => hex(&h.finalize()),
            Hasher::S384(h) => hex(&h.finalize()),
        }
    }
}

/// Steinhaus–Johnson–Trotter permutations, stepping exactly as rdf-canonize's `Permuter` does
/// (including its handling of repeated elements), over blank-node ranks (label order).
struct Permuter {
    current: Vec<u32>,
    /// Distinct elements, sorted, and each one's direction (true = looking left).
    distinct: Vec<u32>,
    left: Vec<bool>,
}

impl Permuter {
    fn new(mut ranks: Vec<u32>) -> Self {
        ranks.sort_unstable();
        let mut distinct = ranks.clone();
        distinct.dedup();
        let left = vec![true; distinct.len()];
        Permuter {
            current: ranks,
            distinct,
            left,
        }
    }
    fn dir(&self, e: u32) -> usize {
        // Elements of `current` are always in `distinct`.
        self.distinct.binary_search(&e).unwrap_or(0)
    }
    /// Moves to the next permutation; false when the current one was the last.
    fn advance(&mut self) -> bool {
        let n = self.current.len();
        let mut k: Option<(u32, usize)> = None;
        for i in 0..n {
            let e = self.current[i];
            if k.is_some_and(|(kv, _)| e <= kv) {
                continue;
            }
            let mobile = if self.left[self.dir(e)] {
                i > 0 && e > self.current[i - 1]
            } else {
                i + 1 < n && e > self.current[i + 1]
            };
            if mobile {
                k = Some((e, i));
            }
        }
        let Some((kv, pos)) = k else {
            return false;
        };
        let swap = if self.left[self.dir(kv)] {
            pos - 1
        } else {
            pos + 1
        };
        self.current.swap(pos, swap);
        for i in 0..n {
            let e = self.current[i];
            if e > kv {
                let d = self.dir(e);
                self.left[d] = !self.left[d];
            }
        }
        true
    }
}

/// Compares a growing path with the chosen path without rescanning the shared prefix, so a
/// permutation of k nodes costs O(k), not O(k²). Paths are ASCII, so byte order is JS order.
enum PathCmp {
    /// No chosen path yet: never skip.
    NoChosen,
    /// The path so far equals the chosen path's prefix of the same length.
    EqualPrefix,
    /// The path is already less than the chosen path, whatever is appended.
    Less,
}

impl PathCmp {
    fn new(chosen: &str) -> Self {
        if chosen.is_empty() {
            PathCmp::NoChosen
        } else {
            PathCmp::EqualPrefix
        }
    }
    /// After appending `path[old_len..]`: is the path now greater than `chosen`?
    fn greater_after_append(&mut self, path: &str, old_len: usize, chosen: &str) -> bool {
        if !matches!(self, PathCmp::EqualPrefix) {
            return false;
        }
        let added = &path.as_bytes()[old_len..];
        let rest = chosen.as_bytes().get(old_len..).unwrap_or_default();
        let n = added.len().min(rest.len());
        match added[..n].cmp(&rest[..n]) {
            std::cmp::Ordering::Less => {
                *self = PathCmp::Less;
                false
            }
            std::cmp::Ordering::Greater => true,
            // Equal so far: greater only if the path now runs past the chosen path.
            std::cmp::Ordering::Equal => added.len() > rest.len(),
        }
    }
    /// Is the finished path less than `chosen`?
    fn less(&self, path: &str, chosen: &str) -> bool {
        match self {
            PathCmp::NoChosen => true,
            PathCmp::Less => true,
            PathCmp::EqualPrefix => path.len() < chosen.len(),
        }
    }
}

struct State<'a> {
    options: &'a Options,
    /// Pre-serialized IRIs and literals (canonical N-Quads form), and raw predicate values.
    text: String,
    quads: Vec<PQuad>,
    labels: Vec<&'a str>,
    /// Rank of each blank node's label in UTF-16 order (what rdf-canonize's permuter sorts by).
    rank: Vec<u32>,
    by_rank: Vec<u32>,
    /// Quads mentioning each blank node (subject, object or graph), each quad once.
    node_quads: Vec<Vec<u32>>,
    first_degree: Vec<String>,
    canonical: Issuer,
    remaining_deep: u64,
    max_deep: u64,
    steps: u64,
}

impl<'a> State<'a> {
    fn new(quads: &'a [Quad], options: &'a Options) -> Self {
        let mut text = String::new();
        let mut index: HashMap<&'a str, u32> = HashMap::new();
        let mut labels: Vec<&'a str> = Vec::new();
        let mut node_quads: Vec<Vec<u32>> = Vec::new();
        let mut prepared = Vec::with_capacity(quads.len());
        for (qi, q) in quads.iter().enumerate() {
            let qi = qi as u32;
            let mut part = |t: Option<&'a Term>, text: &mut String| -> Part {
                match t {
                    None => Part::Absent,
                    Some(Term::Blank(label)) => {
                        let id = *index.entry(label.as_str()).or_insert_with(|| {
                            labels.push(label.as_str());
                            node_quads.push(Vec::new());
                            (labels.len() - 1) as u32
                        });
                        let list = &mut node_quads[id as usize];
                        if list.last() != Some(&qi) {
                            list.push(qi);
                        }
                        Part::Blank(id)
                    }
                    Some(t) => {
                        let start = text.len();
                        write_term(text, t);
                        Part::Text(start..text.len())
                    }
                }
            };
            let s = part(Some(&q.subject), &mut text);
            let o = part(Some(&q.object), &mut text);
            let g = part(q.graph.as_ref(), &mut text);
            // The predicate is never treated as a blank node (no generalized RDF in hashing).
            let p_start = text.len();
            write_term(&mut text, &q.predicate);
            let p = p_start..text.len();
            let raw_start = text.len();
            text.push_str(match &q.predicate {
                Term::Iri(v) | Term::Blank(v) => v,
                Term::Literal(l) => &l.value,
            });
            prepared.push(PQuad {
                s,
                p,
                o,
                g,
                raw_predicate: raw_start..text.len(),
            });
        }
        let mut by_rank: Vec<u32> = (0..labels.len() as u32).collect();
        by_rank.sort_by(|&a, &b| cmp_utf16(labels[a as usize], labels[b as usize]));
        let mut rank = vec![0u32; labels.len()];
        for (r, &node) in by_rank.iter().enumerate() {
            rank[node as usize] = r as u32;
        }
        State {
            options,
            text,
            quads: prepared,
            first_degree: Vec::with_capacity(labels.len()),
            labels,
            rank,
            by_rank,
            node_quads,
            canonical: Issuer::default(),
            remaining_deep: 0,
            max_deep: 0,
            steps: 0,
        }
    }

    /// Appends one quad, blank nodes written by `label`.
    fn write_line(&self, out: &mut String, q: &PQuad, label: &impl Fn(&mut String, u32)) {
        let part = |out: &mut String, p: &Part| match p {
            Part::Text(r) => out.push_str(&self.text[r.clone()]),
            Part::Blank(b) => label(out, *b),
            Part::Absent => {}
        };
        part(out, &q.s);
        out.push(' ');
        out.push_str(&self.text[q.p.clone()]);
        out.push(' ');
        part(out, &q.o);
        if !matches!(q.g, Part::Absent) {
            out.push(' ');
            part(out, &q.g);
        }
        out.push_str(" .\n");
    }

    fn run(&mut self) -> Result<(), RdfcError> {
        // Hash First Degree Quads for every blank node, in order of first appearance.
        let mut buf = String::new();
        let mut lines: Vec<Range<usize>> = Vec::new();
        for node in 0..self.labels.len() as u32 {
            buf.clear();
            lines.clear();
            for &qi in &self.node_quads[node as usize] {
                let start = buf.len();
                let label = |out: &mut String, b: u32| {
                    out.push_str(if b == node { "_:a" } else { "_:z" });
                };
                self.write_line(&mut buf, &self.quads[qi as usize], &label);
                lines.push(start..buf.len());
            }
            lines.sort_by(|a, b| cmp_utf16(&buf[a.clone()], &buf[b.clone()]));
            let mut h = Hasher::new(self.options.hash);
            for r in &lines {
                h.update(buf[r.clone()].as_bytes());
            }
            self.first_degree.push(h.finish_hex());
        }

        // Group by hash (hex sorts the same bytewise and in UTF-16); unique hashes are issued now.
        let mut by_hash: Vec<u32> = (0..self.labels.len() as u32).collect();
        by_hash.sort_by(|&a, &b| self.first_degree[a as usize].cmp(&self.first_degree[b as usize]));
        let mut non_unique: Vec<Vec<u32>> = Vec::new();
        for group in by_hash
            .chunk_by(|&a, &b| self.first_degree[a as usize] == self.first_degree[b as usize])
        {
            if group.len() == 1 {
                self.canonical.issue(group[0]);
            } else {
                non_unique.push(group.to_vec());
            }
        }

        let colliding: u64 = non_unique.iter().map(|g| g.len() as u64).sum();
        self.max_deep = match (
            self.options.max_deep_iterations,
            self.options.max_work_factor,
        ) {
            (Some(n), _) => n,
            (None, None) => u64::MAX,
            (None, Some(0)) => 0,
            (None, Some(f)) => colliding
                .checked_pow(f)
                .filter(|&n| n < (1u64 << 53)) // above Number.MAX_SAFE_INTEGER: Infinity
                .unwrap_or(u64::MAX),
        };
        self.remaining_deep = self.max_deep;

        for group in non_unique {
            let mut results: Vec<(String, Issuer)> = Vec::new();
            for &node in &group {
                if self.canonical.get(node).is_some() {
                    continue;
                }
                let mut issuer = Issuer::default();
                issuer.issue(node);
                results.push(self.hash_n_degree(node, issuer, 0)?);
            }
            // Stable, like V8's sort: equal hashes keep their order.
            results.sort_by(|a, b| a.0.cmp(&b.0));
            for (_, issuer) in results {
                for &node in &issuer.order {
                    self.canonical.issue(node);
                }
            }
        }
        Ok(())
    }

    fn charge(&mut self, steps: u64) -> Result<(), RdfcError> {
        self.steps = self.steps.saturating_add(steps);
        if self.steps > self.options.max_steps {
            return Err(RdfcError::WorkLimit(format!(
                "blank-node permutations exceed {} steps",
                self.options.max_steps
            )));
        }
        Ok(())
    }

    /// Appends the label `_:{prefix}{n}` (canonical `c14n` or temporary `b`).
    fn push_label(out: &mut String, prefix: &str, n: u32) {
        use std::fmt::Write as _;
        let _ = write!(out, "_:{prefix}{n}");
    }

    /// Hash N-Degree Quads. Returns the hash and the issuer chosen (a descendant of `issuer`).
    fn hash_n_degree(
        &mut self,
        node: u32,
        mut issuer: Issuer,
        depth: usize,
    ) -> Result<(String, Issuer), RdfcError> {
        if self.remaining_deep == 0 {
            return Err(RdfcError::WorkLimit(format!(
                "maximum deep iterations exceeded ({})",
                self.max_deep
            )));
        }
        self.remaining_deep -= 1;
        if depth >= MAX_DEPTH {
            return Err(RdfcError::WorkLimit(format!(
                "blank-node recursion deeper than {MAX_DEPTH}"
            )));
        }

        // Hash to related blank nodes, as (related hash, related rank) pairs.
        let mut related: Vec<(String, u32)> = Vec::new();
        let mut input = String::new();
        let quad_count = self.node_quads[node as usize].len() as u64;
        self.charge(quad_count)?;
        for &qi in &self.node_quads[node as usize] {
            let q = &self.quads[qi as usize];
            for (part, pos) in [(&q.s, "s"), (&q.o, "o"), (&q.g, "g")] {
                let Part::Blank(other) = *part else { continue };
                if other == node {
                    continue;
                }
                input.clear();
                input.push_str(pos);
                if pos != "g" {
                    input.push('<');
                    input.push_str(&self.text[q.raw_predicate.clone()]);
                    input.push('>');
                }
                // Canonical label, else temporary label, else the first-degree hash.
                if let Some(c) = self.canonical.get(other) {
                    Self::push_label(&mut input, "c14n", c);
                } else if let Some(b) = issuer.get(other) {
                    Self::push_label(&mut input, "b", b);
                } else {
                    input.push_str(&self.first_degree[other as usize]);
                }
                let mut h = Hasher::new(self.options.hash);
                h.update(input.as_bytes());
                related.push((h.finish_hex(), self.rank[other as usize]));
            }
        }
        related.sort_unstable();

        let mut md = Hasher::new(self.options.hash);
        let mut path = String::new();
        let mut recursion: Vec<u32> = Vec::new();
        for group in related.chunk_by(|a, b| a.0 == b.0) {
            md.update(group[0].0.as_bytes());
            let mut chosen_path = String::new();
            let mut chosen_issuer: Option<Issuer> = None;
            let mut permuter = Permuter::new(group.iter().map(|e| e.1).collect());
            loop {
                self.charge(1 + permuter.current.len() as u64 + issuer.order.len() as u64 / 8)?;
                let mut copy = issuer.clone();
                path.clear();
                recursion.clear();
                let mut cmp = PathCmp::new(&chosen_path);
                let mut skip = false;
                for &r in &permuter.current {
                    let other = self.by_rank[r as usize];
                    let old_len = path.len();
                    if let Some(c) = self.canonical.get(other) {
                        Self::push_label(&mut path, "c14n", c);
                    } else {
                        if copy.get(other).is_none() {
                            recursion.push(other);
                        }
                        let b = copy.issue(other);
                        Self::push_label(&mut path, "b", b);
                    }
                    if cmp.greater_after_append(&path, old_len, &chosen_path) {
                        skip = true;
                        break;
                    }
                }
                if !skip {
                    for &other in &recursion {
                        let (hash, next) = self.hash_n_degree(other, copy, depth + 1)?;
                        copy = next;
                        let old_len = path.len();
                        let b = copy.issue(other);
                        Self::push_label(&mut path, "b", b);
                        path.push('<');
                        path.push_str(&hash);
                        path.push('>');
                        if cmp.greater_after_append(&path, old_len, &chosen_path) {
                            skip = true;
                            break;
                        }
                    }
                }
                if !skip && (chosen_path.is_empty() || cmp.less(&path, &chosen_path)) {
                    chosen_path.clone_from(&path);
                    chosen_issuer = Some(copy);
                }
                if !permuter.advance() {
                    break;
                }
            }
            md.update(chosen_path.as_bytes());
            // The first permutation is never skipped, so an issuer was always chosen.
            if let Some(chosen) = chosen_issuer {
                issuer = chosen;
            }
        }
        Ok((md.finish_hex(), issuer))
    }

    fn finish(self) -> Canonicalized {
        let mut buf = String::new();
        let mut lines: Vec<Range<usize>> = Vec::with_capacity(self.quads.len());
        let label = |out: &mut String, b: u32| {
            // Every subject/object/graph blank node was issued by `run`.
            let n = self.canonical.get(b).unwrap_or(u32::MAX);
            Self::push_label(out, "c14n", n);
        };
        for q in &self.quads {
            let start = buf.len();
            self.write_line(&mut buf, q, &label);
            lines.push(start..buf.len());
        }
        lines.sort_by(|a, b| cmp_utf16(&buf[a.clone()], &buf[b.clone()]));
        let mut nquads = String::with_capacity(buf.len());
        for r in lines {
            nquads.push_str(&buf[r]);
        }
        let issued = self
            .canonical
            .order
            .iter()
            .enumerate()
            .map(|(n, &b)| (self.labels[b as usize].to_owned(), format!("c14n{n}")))
            .collect();
        Canonicalized { nquads, issued }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rdf::parse_nquads;

    fn run(nq: &str, options: &Options) -> Result<Canonicalized, RdfcError> {
        canonicalize_with(&parse_nquads(nq).unwrap(), options)
    }
    fn factor(f: u32) -> Options {
        Options {
            max_work_factor: Some(f),
            ..Options::default()
        }
    }
    fn map(c: &Canonicalized) -> Vec<(&str, &str)> {
        c.issued
            .iter()
            .map(|(a, b)| (a.as_str(), b.as_str()))
            .collect()
    }

    const TWO_ITEMS: &str = "<urn:s> <urn:p> _:l1 .\n_:l1 <urn:first> _:i1 .\n_:l1 <urn:rest> _:l2 .\n_:l2 <urn:first> _:i2 .\n_:l2 <urn:rest> <urn:nil> .\n_:i1 <urn:n> \"x\" .\n_:i2 <urn:n> \"x\" .\n";
    const RING3: &str = "_:a <urn:p> _:b .\n_:b <urn:p> _:c .\n_:c <urn:p> _:a .\n";

    // Expected values below are rdf-canonize 5.0.0's output for the same input and options.
    #[test]
    fn matches_rdf_canonize_on_colliding_blank_nodes() {
        let c = run(TWO_ITEMS, &Options::default()).unwrap();
        assert_eq!(c.nquads, "<urn:s> <urn:p> _:c14n0 .\n_:c14n0 <urn:first> _:c14n2 .\n_:c14n0 <urn:rest> _:c14n1 .\n_:c14n1 <urn:first> _:c14n3 .\n_:c14n1 <urn:rest> <urn:nil> .\n_:c14n2 <urn:n> \"x\" .\n_:c14n3 <urn:n> \"x\" .\n");
        assert_eq!(
            map(&c),
            [
                ("l1", "c14n0"),
                ("l2", "c14n1"),
                ("i1", "c14n2"),
                ("i2", "c14n3")
            ]
        );
        let sha384 = Options {
            hash: HashAlgorithm::Sha384,
            ..Options::default()
        };
        let c = run(TWO_ITEMS, &sha384).unwrap();
        assert_eq!(
            map(&c),
            [
                ("l1", "c14n0"),
                ("l2", "c14n1"),
                ("i2", "c14n2"),
                ("i1", "c14n3")
            ]
        );

        let c = run(RING3, &factor(3)).unwrap();
        assert_eq!(
            c.nquads,
            "_:c14n0 <urn:p> _:c14n2 .\n_:c14n1 <urn:p> _:c14n0 .\n_:c14n2 <urn:p> _:c14n1 .\n"
        );
        assert_eq!(map(&c), [("a", "c14n0"), ("c", "c14n1"), ("b", "c14n2")]);
        assert_eq!(canonicalize(&[], HashAlgorithm::Sha256).unwrap(), "");
    }

    #[test]
    fn default_work_limit_refuses_what_rdf_canonize_refuses() {
        // rdf-canonize (maxWorkFactor 1): "Maximum deep iterations exceeded (3)."
        let err = run(RING3, &Options::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "RDFC-1.0 work limit exceeded: maximum deep iterations exceeded (3)"
        );
        assert!(run(RING3, &factor(0)).is_err());
        // Poison-like cliques (rdf-canonize gives the same verdicts and counts).
        let clique = |n: usize| {
            let mut s = String::new();
            for i in 0..n {
                for j in 0..n {
                    if i != j {
                        s.push_str(&format!("_:n{i} <urn:p> _:n{j} .\n"));
                    }
                }
            }
            s
        };
        let err = run(&clique(6), &Options::default()).unwrap_err();
        assert!(err.to_string().ends_with("(6)"), "{err}");
        let err = run(&clique(6), &factor(3)).unwrap_err();
        assert!(err.to_string().ends_with("(216)"), "{err}");
        let c = run(&clique(5), &factor(4)).unwrap();
        assert_eq!(c.issued.len(), 5);
        assert_eq!(c.nquads.lines().count(), 20);
        // The explicit iteration count overrides the factor.
        let explicit = Options {
            max_deep_iterations: Some(1),
            ..factor(3)
        };
        assert!(run(TWO_ITEMS, &explicit).is_err());
    }

    #[test]
    fn step_cap_and_depth_guard_bound_unlimited_runs() {
        let mut clique = String::new();
        for i in 0..9 {
            for j in 0..9 {
                if i != j {
                    clique.push_str(&format!("_:n{i} <urn:p> _:n{j} .\n"));
                }
            }
        }
        let unlimited = Options {
            max_work_factor: None,
            max_steps: 20_000,
            ..Options::default()
        };
        let err = run(&clique, &unlimited).unwrap_err();
        assert!(err.to_string().contains("20000 steps"), "{err}");

        // A long list of equal items: every inner list node collides and the N-degree recursion
        // follows the chain; it must stop at MAX_DEPTH with an error, not overflow the stack.
        let mut list = String::from("<urn:s> <urn:p> _:l0 .\n");
        for i in 0..2000 {
            list.push_str(&format!(
                "_:l{i} <urn:first> \"1\" .\n_:l{i} <urn:rest> _:l{} .\n",
                i + 1
            ));
        }
        list.push_str("_:l2000 <urn:first> \"1\" .\n_:l2000 <urn:rest> <urn:nil> .\n");
        let no_limits = Options {
            max_work_factor: None,
            max_steps: u64::MAX,
            ..Options::default()
        };
        let err = run(&list, &no_limits).unwrap_err();
        assert!(err.to_string().contains("recursion deeper than"), "{err}");
    }

    #[test]
    fn first_degree_hash_sorts_lines_by_utf16() {
        // "😀" sorts before "！" in UTF-16 but after it by code point; the hash must see UTF-16 order.
        let quads =
            parse_nquads("_:x <urn:p> \"\\uFF01\" .\n_:x <urn:p> \"\\U0001F600\" .\n").unwrap();
        let options = Options::default();
        let mut state = State::new(&quads, &options);
        state.run().unwrap();
        let mut h = Hasher::new(HashAlgorithm::Sha256);
        h.update("_:a <urn:p> \"\u{1F600}\" .\n_:a <urn:p> \"\u{FF01}\" .\n".as_bytes());
        assert_eq!(state.first_degree[0], h.finish_hex());
    }

    #[test]
    fn relabels_every_blank_node_and_keeps_repeated_quads() {
        // rdf-canonize would leave `c14n0` as is and merge it with `x`; we follow the specification.
        let c = run(
            "_:c14n0 <urn:p> \"1\" .\n_:x <urn:p> \"0\" .\n",
            &Options::default(),
        )
        .unwrap();
        assert_eq!(c.issued.len(), 2);
        assert_eq!(c.nquads.matches("_:c14n0 ").count(), 1);
        assert_eq!(c.nquads.matches("_:c14n1 ").count(), 1);
        let q = parse_nquads("_:b <urn:p> \"1\" .").unwrap();
        let twice = [q[0].clone(), q[0].clone()];
        assert_eq!(
            canonicalize(&twice, HashAlgorithm::Sha256).unwrap(),
            "_:c14n0 <urn:p> \"1\" .\n_:c14n0 <urn:p> \"1\" .\n"
        );
    }

    #[test]
    fn permuter_steps_like_rdf_canonize() {
        let mut p = Permuter::new(vec![2, 0, 1]);
        let mut seen = vec![p.current.clone()];
        while p.advance() {
            seen.push(p.current.clone());
        }
        assert_eq!(
            seen,
            [
                [0, 1, 2],
                [0, 2, 1],
                [2, 0, 1],
                [2, 1, 0],
                [1, 2, 0],
                [1, 0, 2]
            ]
        );
        // Repeated elements: rdf-canonize's permuter stops early; so do we.
        let mut p = Permuter::new(vec![1, 0, 1]);
        let mut n = 1;
        while p.advance() {
            n += 1;
        }
        assert_eq!(n, 3);
    }

    /// The W3C RDFC-1.0 suite with the limits rdf-canonize's own runner uses for each test's
    /// `computationalComplexity` (low: factor 0, medium: 2, high: 3).
    #[test]
    fn w3c_rdfc10_suite() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/w3c/rdf-canon/tests");
        let read = |f: &str| std::fs::read_to_string(format!("{dir}/{f}")).unwrap();
        let manifest: serde_json::Value = serde_json::from_str(&read("manifest.jsonld")).unwrap();
        let mut failed = Vec::new();
        let entries = manifest["entries"].as_array().unwrap();
        for e in entries {
            let field = |k: &str| e[k].as_str().unwrap_or_default();
            let options = Options {
                hash: match field("hashAlgorithm") {
                    "SHA384" => HashAlgorithm::Sha384,
                    _ => HashAlgorithm::Sha256,
                },
                max_work_factor: Some(match field("computationalComplexity") {
                    "low" => 0,
                    "medium" => 2,
                    _ => 3,
                }),
                ..Options::default()
            };
            let got = run(&read(field("action")), &options);
            let ok = match (field("type"), got) {
                ("rdfc:RDFC10EvalTest", Ok(c)) => c.nquads == read(field("result")),
                ("rdfc:RDFC10MapTest", Ok(c)) => {
                    let want: HashMap<String, String> =
                        serde_json::from_str(&read(field("result"))).unwrap();
                    c.issued.into_iter().collect::<HashMap<_, _>>() == want
                }
                ("rdfc:RDFC10NegativeEvalTest", Err(RdfcError::WorkLimit(_))) => true,
                _ => false,
            };
            if !ok {
                failed.push(field("id").to_owned());
            }
        }
        assert_eq!(entries.len(), 86);
        assert!(failed.is_empty(), "failed: {failed:?}");
    }
}

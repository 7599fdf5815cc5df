//! Seeded generator of Open Badges 3.0 credentials for the differential test against jsonld.js.
//!
//! Each document comes from its own PRNG stream (`seed`, `index`), so one failing document can
//! be regenerated alone. Documents are built as a small JSON tree whose numbers keep their exact
//! text (`1e21`, `-0.0`, `7.50`), because the number's spelling is part of what is tested; both
//! sides parse the same JSON line.
//!
//! About 7 % of documents are deliberately bad in a way jsonld.js's safe mode refuses (an
//! undefined term, a relative IRI, an undefined type, a bad language tag or direction, a
//! blank-node predicate): both sides must refuse those.

use std::collections::BTreeSet;
use std::fmt::Write as _;

/// splitmix64: tiny, fast, and good enough to drive a test generator.
pub struct Rng(u64);

impl Rng {
    /// The stream for document `index` of run `seed`.
    pub fn for_document(seed: u64, index: u64) -> Self {
        let mut r = Rng(seed ^ index.wrapping_mul(0xA076_1D64_78BD_642F));
        r.next_u64();
        r
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`; the modulo bias is irrelevant here).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64) / ((1u64 << 53) as f64) < p
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    /// One of `items`.
    pub fn one(&mut self, items: &[&'static str]) -> &'static str {
        items[self.below(items.len())]
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

/// JSON with numbers kept as text.
#[derive(Clone, Debug)]
pub enum J {
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

fn s(text: &str) -> J {
    J::Str(text.to_owned())
}

fn arr_of(items: &[&str]) -> J {
    J::Arr(items.iter().map(|t| s(t)).collect())
}

impl J {
    /// One line of JSON; `ascii` writes every non-ASCII character as `\u` escapes.
    pub fn write(&self, out: &mut String, ascii: bool) {
        match self {
            J::Null => out.push_str("null"),
            J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            J::Num(n) => out.push_str(n),
            J::Str(t) => write_str(t, out, ascii),
            J::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out, ascii);
                }
                out.push(']');
            }
            J::Obj(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_str(k, out, ascii);
                    out.push(':');
                    v.write(out, ascii);
                }
                out.push('}');
            }
        }
    }

    fn get_mut(&mut self, key: &str) -> Option<&mut J> {
        match self {
            J::Obj(m) => m.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn set(&mut self, key: &str, value: J) {
        if let J::Obj(m) = self {
            match m.iter_mut().find(|(k, _)| k == key) {
                Some(slot) => slot.1 = value,
                None => m.push((key.to_owned(), value)),
            }
        }
    }
}

fn write_str(t: &str, out: &mut String, ascii: bool) {
    out.push('"');
    for c in t.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if ascii && (c as u32) > 0x7e => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{:04X}", u);
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Whether the generator meant the document to be accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Intent {
    /// Valid JSON-LD that jsonld.js canonicalizes (unless its RDFC work limit trips).
    Valid,
    /// Broken on purpose; jsonld.js refuses it. The string names the defect.
    Bad(&'static str),
}

/// One generated document.
pub struct Case {
    pub index: u64,
    /// The document as one line of JSON.
    pub json: String,
    pub intent: Intent,
    /// It holds a number whose value a JavaScript verifier reads or signs differently from
    /// what the document states ([`js_changes`]). Refusing such a number is a documented choice.
    pub js_changes_number: bool,
    /// What the document exercises (for the per-category summary).
    pub tags: BTreeSet<&'static str>,
}

const VC_V2: &str = "https://www.w3.org/ns/credentials/v2";
const OB_V3P0: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
pub const SKILLPASS_V1: &str = "https://w3id.org/skillpass/contexts/v1";
const TEST_NS: &str = "https://w3id.org/skillpass/test#";
const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// Terms of the optional inline test context.
#[derive(Default)]
struct Inline {
    name_map: bool,
    motto: bool,
    ratio: bool,
    measure: bool,
    plain: bool,
    seq: bool,
    data: bool,
}

struct Gen {
    rng: Rng,
    tags: BTreeSet<&'static str>,
    js_changes_number: bool,
    skillpass: bool,
    inline: Option<Inline>,
    /// Non-ASCII characters written as `\u` escapes.
    ascii: bool,
    /// The special-character classes (tags of [`SPECIAL`]) this document may use: each
    /// document enables only a few, so a difference points at its cause.
    special: Vec<&'static str>,
    /// This document may use `@direction`, odd dates, language-tagged values.
    direction: bool,
    odd_dates: bool,
    lang_values: bool,
    /// This document may hold numbers jsonld.js changes (see [`js_changes`]).
    js_hazards: bool,
}

/// Generates document `index` of the run `seed`.
pub fn generate(seed: u64, index: u64) -> Case {
    let mut g = Gen {
        rng: Rng::for_document(seed, index),
        tags: BTreeSet::new(),
        js_changes_number: false,
        skillpass: false,
        inline: None,
        ascii: false,
        special: Vec::new(),
        direction: false,
        odd_dates: false,
        lang_values: false,
        js_hazards: false,
    };
    g.ascii = g.rng.chance(0.15);
    let mut classes: Vec<&'static str> = SPECIAL.iter().map(|(_, tag)| *tag).collect();
    classes.dedup();
    let p_class = *g.rng.pick(&[0.0, 0.0, 0.1, 0.2, 0.5]);
    g.special = classes
        .into_iter()
        .filter(|_| g.rng.chance(p_class))
        .collect();
    g.direction = g.rng.chance(0.25);
    g.odd_dates = g.rng.chance(0.3);
    g.lang_values = g.rng.chance(0.5);
    g.js_hazards = g.rng.chance(0.15);
    if g.ascii {
        g.tags.insert("json:ascii-escapes");
    }
    let mut doc = g.credential();
    let intent = if g.rng.chance(0.07) {
        let defect = g.corrupt(&mut doc);
        g.tags.insert("bad");
        Intent::Bad(defect)
    } else {
        Intent::Valid
    };
    let mut json = String::new();
    doc.write(&mut json, g.ascii);
    Case {
        index,
        json,
        intent,
        js_changes_number: g.js_changes_number,
        tags: g.tags,
    }
}

// ---------------------------------------------------------------------------------------------
// text pools

const WORDS: &[&str] = &[
    "Applied",
    "Data",
    "Analysis",
    "module",
    "completed",
    "Welding",
    "level",
    "B2",
    "care",
    "assistant",
    "LO1:",
    "exam",
    "(weight 60%)",
    "5.5",
    "out of 10",
    "Grundlagen",
    "Übung",
    "café",
    "naïve",
    "数据分析",
    "Ελληνικά",
    "русский",
    "日本語",
    "",
];

/// Pieces that stress escaping, UTF-16 ordering and noncharacters, with their tag.
const SPECIAL: &[(&str, &str)] = &[
    ("\u{0}", "str:control"),
    ("\u{1}\u{7}\u{8}\u{b}\u{c}\u{1b}\u{1f}", "str:control"),
    ("\t", "str:control"),
    ("\n", "str:control"),
    ("\r\n", "str:control"),
    ("\u{7f}", "str:del-c1"),
    ("\u{80}\u{85}\u{9f}", "str:del-c1"),
    ("\u{a0}", "str:nbsp"),
    ("\u{2028}", "str:line-separator"),
    ("\u{2029}", "str:line-separator"),
    ("\"", "str:quote-backslash"),
    ("\\", "str:quote-backslash"),
    ("\\u0041", "str:quote-backslash"),
    ("🎓", "str:astral"),
    ("📊", "str:astral"),
    ("😀", "str:astral"),
    ("𝄞", "str:astral"),
    ("𠀀", "str:astral"),
    ("\u{10FFFD}", "str:astral"),
    ("\u{1FFFE}", "str:astral-nonchar"),
    ("\u{10FFFF}", "str:astral-nonchar"),
    ("！", "str:bmp-high"),
    ("\u{E000}", "str:bmp-high"),
    ("ﬁ", "str:bmp-high"),
    ("\u{FE0F}", "str:bmp-high"),
    ("\u{FFFD}", "str:bmp-high"),
    ("\u{FEFF}", "str:bmp-high"),
    ("\u{D7FF}", "str:bmp-high"),
    ("\u{FFFE}", "str:nonchar-fffe"),
    ("\u{FFFF}", "str:nonchar-fffe"),
    ("\u{FDD0}", "str:nonchar-fdd0"),
    ("e\u{301}", "str:combining"),
    ("\u{1100}\u{1161}\u{11A8}", "str:combining"),
    ("a\u{20DD}", "str:combining"),
    ("עברית", "str:rtl"),
    ("العربية", "str:rtl"),
    ("\u{200F}\u{202E}abc\u{202C}", "str:rtl"),
    ("\u{200B}\u{200D}", "str:zero-width"),
];

const LANG_OK: &[&str] = &[
    "en",
    "EN",
    "en-US",
    "en-us",
    "EN-GB",
    "de",
    "de-CH",
    "De-At",
    "fr-CA",
    "zh-Hant-TW",
    "sr-Latn-RS",
    "ar",
    "AR-EG",
    "he",
    "x-private",
    "i-klingon",
    "abcd-EFGH",
    "abcdefgh",
    "en-a-bbb-x-ccc",
    "qaa",
    "und",
    "english-language",
];

const LANG_BAD: &[&str] = &[
    "en_US",
    "englishlanguage",
    "1en",
    "en-",
    "-en",
    "en--us",
    "e n",
    "abcdefghi",
    "en-US-",
    "ü",
];

const DATETIMES: &[&str] = &[
    "2025-07-01T00:00:00Z",
    "2025-07-01T00:00:00.123Z",
    "2025-07-01T00:00:00.123456789Z",
    "2025-07-01T12:30:00+05:30",
    "2025-07-01T12:30:00-00:00",
    "2025-07-01T12:30:00",
    "2025-07-01",
    "2025-07-01T24:00:00Z",
    "+10000-01-01T00:00:00Z",
    "-0044-03-15T12:00:00Z",
    "2025-02-30T25:61:61Z",
    "2025-07-01t00:00:00z",
    " 2025-07-01T00:00:00Z ",
    "",
    "yesterday",
    "2035-07-01T00:00:00Z",
    "1970-01-01T00:00:00Z",
];

const DATES: &[&str] = &[
    "2025-02-03",
    "2025-06-20",
    "2025-06-20Z",
    "2025-06-20+02:00",
    "2025-6-2",
    "2025-02-03T00:00:00Z",
    "0000-01-01",
];

// ---------------------------------------------------------------------------------------------
// numbers

/// Fixed number spellings: edge cases of JavaScript doubles and of JSON-LD's number rules.
const NUMBERS: &[(&str, &str)] = &[
    ("0", "num:zero"),
    ("-0", "num:negative-zero"),
    ("-0.0", "num:negative-zero"),
    ("0.0", "num:zero"),
    ("0e0", "num:zero"),
    ("1", "num:int"),
    ("5", "num:int"),
    ("-42", "num:int"),
    ("1.0", "num:int-with-fraction"),
    ("6.0", "num:int-with-fraction"),
    ("1000.000", "num:int-with-fraction"),
    ("7.5", "num:decimal"),
    ("7.50", "num:decimal"),
    ("2.5", "num:decimal"),
    ("12.25", "num:decimal"),
    ("0.1", "num:decimal"),
    ("0.30000000000000004", "num:decimal"),
    ("4.35", "num:decimal"),
    ("2.675", "num:decimal"),
    ("-3.14159", "num:decimal"),
    ("0.000123", "num:small"),
    ("0.000001", "num:small"),
    ("1e-6", "num:small"),
    ("7e-05", "num:small"),
    ("1.5e-07", "num:tiny-with-dot"),
    ("1e-7", "num:tiny-no-dot"),
    ("-1e-7", "num:tiny-no-dot"),
    ("5e-324", "num:tiny-no-dot"),
    ("2.2250738585072014e-308", "num:tiny-with-dot"),
    ("1e15", "num:large-int"),
    ("1e20", "num:beyond-2^53"),
    ("1e21", "num:1e21+"),
    ("1E21", "num:1e21+"),
    ("1e+21", "num:1e21+"),
    ("-1e21", "num:1e21+"),
    ("1.5e300", "num:1e21+"),
    ("1.7976931348623157e308", "num:1e21+"),
    ("123456789012345.67", "num:fraction-above-1e14"),
    ("1234567890123456.7", "num:fraction-above-1e15"),
    ("999999999999999.9", "num:fraction-above-1e14"),
    ("9007199254740991", "num:2^53"),
    ("9007199254740992", "num:2^53"),
    ("-9007199254740992", "num:2^53"),
    ("9007199254740993", "num:beyond-2^53"),
    ("-9007199254740993", "num:beyond-2^53"),
    ("9007199254740994", "num:beyond-2^53"),
    ("18446744073709551615", "num:beyond-2^53"),
    ("18446744073709551616", "num:beyond-2^53"),
    ("123456789012345678901234567890", "num:1e21+"),
    ("5E3", "num:exponent-form"),
    ("2.5e+2", "num:exponent-form"),
    ("-3e-2", "num:exponent-form"),
    ("1e0", "num:exponent-form"),
    ("1.00000000000000001", "num:excess-digits"),
    ("0.1000000000000000055511151231257827", "num:excess-digits"),
];

impl Gen {
    fn number(&mut self) -> J {
        loop {
            let (text, tag) = self.number_text();
            if self.js_hazards || !js_changes(&text) {
                self.tags.insert(tag);
                if js_changes(&text) {
                    self.tags.insert("num:js-changes");
                    self.js_changes_number = true;
                }
                return J::Num(text);
            }
        }
    }

    fn number_text(&mut self) -> (String, &'static str) {
        match self.rng.below(10) {
            0..=4 => {
                let (t, tag) = *self.rng.pick(NUMBERS);
                (t.to_owned(), tag)
            }
            5 => (
                (self.rng.below(2001) as i64 - 1000).to_string(),
                "num:random-int",
            ),
            6 => {
                // a decimal with a few digits, as people write them
                let int = self.rng.below(1000);
                let frac = self.rng.below(1000);
                let width = self.rng.range(1, 3);
                let sign = if self.rng.chance(0.2) { "-" } else { "" };
                (format!("{sign}{int}.{frac:0width$}"), "num:random-decimal")
            }
            7 => {
                // any finite double, printed with 17 significant digits
                let d = self.random_double();
                (format!("{d:.16e}"), "num:random-double-17")
            }
            8 => {
                // any finite double, shortest round-trip text
                let d = self.random_double();
                let t = if self.rng.chance(0.5) {
                    format!("{d:e}")
                } else {
                    format!("{d:?}")
                };
                (t, "num:random-double-shortest")
            }
            _ => {
                // integers around the 2^53 boundary and beyond
                let base: u64 = 1 << 53;
                let off = self.rng.below(9) as u64;
                let v = if self.rng.chance(0.5) {
                    base - off
                } else {
                    base + off
                };
                let sign = if self.rng.chance(0.3) { "-" } else { "" };
                (format!("{sign}{v}"), "num:near-2^53")
            }
        }
    }

    fn random_double(&mut self) -> f64 {
        loop {
            let d = match self.rng.below(3) {
                // any bit pattern: all exponents, subnormals
                0 => f64::from_bits(self.rng.next_u64()),
                // a "human" range
                1 => {
                    let m = (self.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
                    m * 10f64.powi(self.rng.range(0, 8) as i32)
                }
                // around the 1e-7 / 1e21 / 1e15 boundaries
                _ => {
                    let m = 1.0 + (self.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
                    m * *self.rng.pick(&[1e-7, 1e-6, 1e14, 1e15, 1e20, 1e21])
                }
            };
            if d.is_finite() {
                return if self.rng.chance(0.2) { -d } else { d };
            }
        }
    }
}

/// Whether a JavaScript verifier signs another value than the document states for this JSON
/// number text (the rule skillpass refuses by, restated from the text):
///
/// - an integer text that serde_json keeps exactly (it fits 64 bits) states that integer;
///   JavaScript reads the nearest double `d`, which `toFixed(0)` writes and a JSON literal
///   prints as `String(d)`: a change when `d` is another integer (2^53 + 1) or prints with other
///   digits (2^60 prints as 1152921504606847000);
/// - any other text is held as the nearest double `d` and states its shortest decimal: a change
///   when jsonld.js writes `d.toFixed(0)` (`String(d)` has no '.' and |d| < 1e21) and that is
///   not the same number: 1e-7 becomes "0", and 2^60 (shortest 1152921504606847000) becomes
///   1152921504606846976. 1e20 is exact and stays.
pub fn js_changes(text: &str) -> bool {
    let Ok(d) = text.parse::<f64>() else {
        return false;
    };
    if d == 0.0 {
        return false;
    }
    let digits = text.strip_prefix('-').unwrap_or(text);
    let integer_text = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    let kept = text.parse::<i128>().ok().filter(|m| {
        integer_text
            && if *m >= 0 {
                u64::try_from(*m).is_ok()
            } else {
                i64::try_from(*m).is_ok()
            }
    });
    if let Some(m) = kept {
        return d as i128 != m || format!("{d}") != m.to_string();
    }
    if d.abs() >= 1e21 {
        return false;
    }
    if d.fract() != 0.0 {
        // JavaScript prints non-integers with a '.', except below 1e-6 with a one-digit
        // mantissa (1e-7): those jsonld.js writes as the integer 0.
        return d.abs() < 1e-6 && !format!("{:e}", d.abs()).contains('.');
    }
    // Rust's Display prints the shortest decimal, as JavaScript's String(d) does.
    format!("{d}") != format!("{}", d as i128)
}

// ---------------------------------------------------------------------------------------------
// the credential

impl Gen {
    fn chance(&mut self, p: f64) -> bool {
        self.rng.chance(p)
    }

    fn text(&mut self) -> String {
        let mut out = String::new();
        let n = self.rng.range(1, 6);
        let special = !self.special.is_empty() && self.chance(0.45);
        for i in 0..n {
            if i > 0 && self.chance(0.7) {
                out.push(' ');
            }
            if special && self.chance(0.4) {
                let class = *self.rng.pick(&self.special);
                let pieces: Vec<&'static str> = SPECIAL
                    .iter()
                    .filter(|(_, tag)| *tag == class)
                    .map(|(p, _)| *p)
                    .collect();
                self.tags.insert(class);
                out.push_str(self.rng.one(&pieces));
            } else {
                out.push_str(self.rng.one(WORDS));
            }
        }
        out
    }

    /// A string value as a plain string, a value object with language and/or direction, or a
    /// typed literal. `multi` allows arrays (with duplicates now and then).
    fn literal(&mut self, multi: bool) -> J {
        if multi && self.chance(0.08) {
            let n = self.rng.range(0, 3);
            let mut items: Vec<J> = (0..n).map(|_| self.literal(false)).collect();
            if n > 0 && self.chance(0.3) {
                self.tags.insert("dup-values");
                items.push(items[0].clone());
            }
            if n == 0 {
                self.tags.insert("empty-array");
            }
            return J::Arr(items);
        }
        let text = self.text();
        let choice = match self.rng.below(20) {
            15 | 16 if !self.lang_values => 0,
            17 | 18 if !self.direction => 0,
            c => c,
        };
        match choice {
            0..=14 => J::Str(text),
            15 | 16 => {
                self.tags.insert("lang:value-object");
                let lang = *self.rng.pick(LANG_OK);
                J::Obj(vec![
                    ("@value".into(), J::Str(text)),
                    ("@language".into(), s(lang)),
                ])
            }
            17 | 18 => {
                self.tags.insert("direction");
                let mut m = vec![("@value".into(), J::Str(text))];
                if self.chance(0.6) {
                    let lang = *self.rng.pick(LANG_OK);
                    m.push(("@language".into(), s(lang)));
                }
                let dir = if self.chance(0.5) { "rtl" } else { "ltr" };
                m.push(("@direction".into(), s(dir)));
                J::Obj(m)
            }
            _ => {
                self.tags.insert("typed-literal");
                let ty = *self.rng.pick(&[
                    "https://w3id.org/skillpass/test#code",
                    "http://www.w3.org/2001/XMLSchema#string",
                    "http://www.w3.org/2001/XMLSchema#token",
                    "urn:example:type",
                ]);
                J::Obj(vec![
                    ("@value".into(), J::Str(text)),
                    ("@type".into(), s(ty)),
                ])
            }
        }
    }

    fn uuid(&mut self) -> String {
        let a = self.rng.next_u64();
        let b = self.rng.next_u64();
        format!(
            "urn:uuid:{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | (b >> 48) & 0x3fff,
            b & 0xffff_ffff_ffff
        )
    }

    fn did_key(&mut self) -> String {
        const B58: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
        let mut out = String::from("did:key:z6Mk");
        for _ in 0..44 {
            out.push(B58[self.rng.below(B58.len())] as char);
        }
        out
    }

    /// An absolute IRI of one of the shapes credentials use.
    fn iri(&mut self, kind: &str) -> String {
        match self.rng.below(8) {
            0..=2 => format!(
                "https://{}.example/{kind}/{}",
                self.rng
                    .pick(&["university", "college", "school", "bildung"]),
                self.rng.below(100_000)
            ),
            3 => self.uuid(),
            4 => self.did_key(),
            5 => format!("did:example:{kind}-{:x}", self.rng.next_u64()),
            6 => {
                self.tags.insert("iri:unicode");
                format!(
                    "https://übung.example/{kind}/{}?q=ä#{}",
                    self.rng.pick(&["é", "数据", "💡", "x%20y"]),
                    self.rng.below(100)
                )
            }
            _ => format!("urn:example:{kind}:{}", self.rng.below(1000)),
        }
    }

    /// An `id` for a node: an IRI, a blank-node label, or none (an anonymous blank node).
    fn node_id(&mut self, kind: &str, p_absent: f64) -> Option<String> {
        if self.chance(p_absent) {
            self.tags.insert("bnode:anonymous");
            None
        } else if self.chance(0.1) {
            self.tags.insert("bnode:labelled");
            Some(format!("_:{kind}{}", self.rng.below(4)))
        } else {
            Some(self.iri(kind))
        }
    }

    fn types(&mut self, names: &[&str]) -> J {
        if names.len() == 1 && self.chance(0.3) {
            s(names[0])
        } else {
            arr_of(names)
        }
    }

    /// An object from members, optional ones dropped, keys shuffled now and then.
    fn obj(&mut self, mut members: Vec<(String, J)>) -> J {
        if self.chance(0.25) {
            self.tags.insert("json:shuffled-keys");
            self.rng.shuffle(&mut members);
        }
        J::Obj(members)
    }

    fn context(&mut self) -> J {
        let mut ctx = vec![s(VC_V2), s(OB_V3P0)];
        if self.chance(0.3) {
            self.skillpass = true;
            self.tags.insert("ctx:skillpass");
            ctx.push(s(SKILLPASS_V1));
        }
        if self.chance(0.35) {
            self.tags.insert("ctx:inline");
            let mut inline = Inline::default();
            let mut terms: Vec<(String, J)> = Vec::new();
            let term = |name: &str, extra: Vec<(String, J)>| {
                let mut m = vec![("@id".to_owned(), J::Str(format!("{TEST_NS}{name}")))];
                m.extend(extra);
                (name.to_owned(), J::Obj(m))
            };
            if self.chance(0.6) {
                inline.name_map = true;
                terms.push(term("nameMap", vec![("@container".into(), s("@language"))]));
            }
            if self.chance(0.3) {
                inline.motto = true;
                let mut extra = vec![("@language".into(), s(self.rng.one(LANG_OK)))];
                if self.direction && self.chance(0.4) {
                    self.tags.insert("direction");
                    extra.push(("@direction".into(), s(self.rng.one(&["rtl", "ltr"]))));
                }
                terms.push(term("motto", extra));
            }
            if self.chance(0.5) {
                inline.ratio = true;
                terms.push(term(
                    "ratio",
                    vec![("@type".into(), J::Str(format!("{XSD}double")))],
                ));
            }
            if self.chance(0.4) {
                inline.measure = true;
                terms.push(term(
                    "measure",
                    vec![("@type".into(), J::Str(format!("{XSD}decimal")))],
                ));
            }
            if self.chance(0.5) {
                inline.plain = true;
                terms.push(term("plain", vec![]));
            }
            if self.chance(0.3) {
                inline.seq = true;
                terms.push(term("seq", vec![("@container".into(), s("@list"))]));
            }
            if self.chance(0.2) {
                inline.data = true;
                terms.push(term("data", vec![("@type".into(), s("@json"))]));
            }
            if self.chance(0.15) {
                self.tags.insert("lang:default");
                terms.push(("@language".into(), s(self.rng.one(LANG_OK))));
            }
            if self.direction && self.chance(0.2) {
                self.tags.insert("direction");
                self.tags.insert("direction:default");
                terms.push(("@direction".into(), s(self.rng.one(&["rtl", "ltr"]))));
            }
            self.inline = Some(inline);
            ctx.push(J::Obj(terms));
        }
        J::Arr(ctx)
    }

    fn credential(&mut self) -> J {
        let context = self.context();
        let mut m: Vec<(String, J)> = vec![("@context".into(), context)];
        if let Some(id) = self.node_id("credentials", 0.15) {
            m.push(("id".into(), J::Str(id)));
        }
        let second = if self.chance(0.5) {
            "OpenBadgeCredential"
        } else {
            "AchievementCredential"
        };
        m.push(("type".into(), arr_of(&["VerifiableCredential", second])));
        if self.chance(0.8) {
            m.push(("name".into(), self.literal(true)));
        }
        if self.chance(0.5) {
            m.push(("description".into(), self.literal(true)));
        }
        let issuer = self.issuer();
        m.push(("issuer".into(), issuer));
        if self.chance(0.9) {
            m.push(("validFrom".into(), self.datetime()));
        }
        if self.chance(0.4) {
            m.push(("validUntil".into(), self.datetime()));
        }
        if self.chance(0.3) {
            m.push(("awardedDate".into(), self.datetime()));
        }
        let subjects = if self.chance(0.08) {
            self.tags.insert("subject:several");
            let n = self.rng.range(2, 3);
            J::Arr((0..n).map(|_| self.subject()).collect())
        } else {
            self.subject()
        };
        m.push(("credentialSubject".into(), subjects));
        if self.chance(0.15) {
            let n = self.rng.range(1, 2);
            let ev = (0..n).map(|_| self.evidence()).collect();
            m.push(("evidence".into(), J::Arr(ev)));
        }
        if self.chance(0.1) {
            let n = self.rng.range(1, 2);
            let en = (0..n).map(|_| self.profile("Profile")).collect();
            self.tags.insert("endorsement-like");
            m.push(("endorsement".into(), J::Arr(en)));
        }
        self.extras(&mut m);
        self.obj(m)
    }

    fn datetime(&mut self) -> J {
        let t = if self.odd_dates {
            self.rng.one(DATETIMES)
        } else {
            self.rng.one(&DATETIMES[..1])
        };
        if t != DATETIMES[0] {
            self.tags.insert("date:odd");
        }
        if self.chance(0.05) {
            self.tags.insert("date:value-object");
            return J::Obj(vec![
                ("@value".into(), s(t)),
                ("@type".into(), J::Str(format!("{XSD}dateTime"))),
            ]);
        }
        s(t)
    }

    fn date(&mut self) -> J {
        if self.odd_dates {
            self.tags.insert("date:odd");
            s(self.rng.one(DATES))
        } else {
            s(self.rng.one(&DATES[..2]))
        }
    }

    fn issuer(&mut self) -> J {
        if self.chance(0.4) {
            self.tags.insert("issuer:string");
            let id = if self.chance(0.7) {
                self.did_key()
            } else {
                self.iri("issuers")
            };
            return J::Str(id);
        }
        self.tags.insert("issuer:object");
        self.profile("Profile")
    }

    fn profile(&mut self, ty: &str) -> J {
        let mut m = Vec::new();
        if let Some(id) = self.node_id("issuers", 0.15) {
            m.push(("id".into(), J::Str(id)));
        }
        let t = self.types(&[ty]);
        m.push(("type".into(), t));
        m.push(("name".into(), self.literal(true)));
        if self.chance(0.5) {
            m.push(("url".into(), J::Str(self.iri("home"))));
        }
        if self.chance(0.3) {
            m.push(("email".into(), s("registrar@university.example")));
        }
        if self.chance(0.2) {
            m.push(("phone".into(), s("+41 44 000 00 00")));
        }
        if self.chance(0.2) {
            let mut a = vec![("type".into(), self.types(&["Address"]))];
            a.push(("addressCountry".into(), self.literal(false)));
            a.push(("addressLocality".into(), self.literal(false)));
            if self.chance(0.5) {
                a.push(("postalCode".into(), s("8001")));
            }
            if self.chance(0.3) {
                let geo = vec![
                    ("type".into(), self.types(&["GeoCoordinates"])),
                    ("latitude".into(), self.number()),
                    ("longitude".into(), self.number()),
                ];
                a.push(("geo".into(), J::Obj(geo)));
            }
            m.push(("address".into(), J::Obj(a)));
        }
        if self.chance(0.2) {
            m.push(("image".into(), self.image()));
        }
        if self.chance(0.15) {
            let n = self.rng.range(1, 3);
            let ids = (0..n).map(|_| self.identifier_entry()).collect();
            m.push(("otherIdentifier".into(), J::Arr(ids)));
        }
        self.obj(m)
    }

    fn image(&mut self) -> J {
        if self.chance(0.5) {
            J::Str(self.iri("images"))
        } else {
            let mut m = vec![
                ("id".into(), J::Str(self.iri("images"))),
                ("type".into(), self.types(&["Image"])),
            ];
            if self.chance(0.5) {
                m.push(("caption".into(), self.literal(false)));
            }
            J::Obj(m)
        }
    }

    fn identifier_entry(&mut self) -> J {
        J::Obj(vec![
            ("type".into(), self.types(&["IdentifierEntry"])),
            ("identifier".into(), J::Str(self.text())),
            (
                "identifierType".into(),
                s(self
                    .rng
                    .one(&["sourcedId", "nationalIdentityNumber", "ext:Matrikel"])),
            ),
        ])
    }

    fn subject(&mut self) -> J {
        let mut m = Vec::new();
        if let Some(id) = self.node_id("learners", 0.3) {
            m.push(("id".into(), J::Str(id)));
        }
        m.push(("type".into(), self.types(&["AchievementSubject"])));
        if self.chance(0.5) {
            let d = self.date();
            m.push(("activityStartDate".into(), d));
        }
        if self.chance(0.5) {
            let d = self.date();
            m.push(("activityEndDate".into(), d));
        }
        if self.chance(0.4) {
            m.push(("term".into(), self.literal(false)));
        }
        if self.chance(0.5) {
            self.tags.insert("float:creditsEarned");
            m.push(("creditsEarned".into(), self.number()));
        }
        if self.chance(0.15) {
            m.push(("licenseNumber".into(), J::Str(self.text())));
        }
        if self.chance(0.15) {
            m.push(("role".into(), self.literal(false)));
        }
        if self.chance(0.2) {
            let n = self.rng.range(1, 2);
            let ids = (0..n).map(|_| self.identity_object()).collect();
            m.push(("identifier".into(), J::Arr(ids)));
        }
        if self.chance(0.1) {
            m.push(("source".into(), J::Str(self.iri("sources"))));
        }
        let achievement = self.achievement();
        m.push(("achievement".into(), achievement));
        if self.chance(0.6) {
            let n = self.rng.range(0, 3);
            let mut results: Vec<J> = (0..n).map(|_| self.result()).collect();
            if n > 0 && self.chance(0.2) {
                self.tags.insert("dup-bnodes:result");
                results.push(results[0].clone());
            }
            m.push(("result".into(), J::Arr(results)));
        }
        self.extras(&mut m);
        self.obj(m)
    }

    fn identity_object(&mut self) -> J {
        let hashed = self.chance(0.5);
        self.tags.insert("boolean");
        J::Obj(vec![
            ("type".into(), self.types(&["IdentityObject"])),
            ("hashed".into(), J::Bool(hashed)),
            ("identityHash".into(), J::Str(self.text())),
            ("identityType".into(), s("emailAddress")),
            ("salt".into(), s(self.rng.one(&["not-used", "", "🧂"]))),
        ])
    }

    fn achievement(&mut self) -> J {
        let mut m = Vec::new();
        if let Some(id) = self.node_id("achievements", 0.3) {
            m.push(("id".into(), J::Str(id)));
        }
        m.push(("type".into(), self.types(&["Achievement"])));
        if self.chance(0.6) {
            m.push((
                "achievementType".into(),
                s(self
                    .rng
                    .one(&["Course", "Competency", "ext:Module", "Diploma"])),
            ));
        }
        m.push(("name".into(), self.literal(true)));
        if self.chance(0.7) {
            m.push(("description".into(), self.literal(true)));
        }
        let criteria = match self.rng.below(4) {
            0 => J::Str(self.iri("criteria")),
            1 => J::Obj(vec![
                ("id".into(), J::Str(self.iri("criteria"))),
                ("narrative".into(), self.literal(false)),
            ]),
            _ => J::Obj(vec![("narrative".into(), self.literal(true))]),
        };
        m.push(("criteria".into(), criteria));
        if self.chance(0.4) {
            m.push(("humanCode".into(), J::Str(self.text())));
        }
        if self.chance(0.4) {
            m.push(("fieldOfStudy".into(), self.literal(false)));
        }
        if self.chance(0.3) {
            m.push(("specialization".into(), self.literal(false)));
        }
        if self.chance(0.6) {
            self.tags.insert("float:creditsAvailable");
            m.push(("creditsAvailable".into(), self.number()));
        }
        if self.chance(0.4) {
            let n = self.rng.range(0, 4);
            let mut tags: Vec<J> = (0..n).map(|_| J::Str(self.text())).collect();
            if n > 0 && self.chance(0.3) {
                self.tags.insert("dup-values");
                tags.push(tags[0].clone());
            }
            m.push(("tag".into(), J::Arr(tags)));
        }
        if self.chance(0.2) {
            m.push(("inLanguage".into(), s(self.rng.one(LANG_OK))));
        }
        if self.chance(0.2) {
            m.push(("version".into(), s(self.rng.one(&["1.0", "2025", "v3"]))));
        }
        if self.chance(0.2) {
            m.push(("image".into(), self.image()));
        }
        if self.chance(0.15) {
            self.tags.insert("creator");
            let creator = if self.chance(0.4) {
                // a reference by id only
                J::Obj(vec![("id".into(), J::Str(self.iri("issuers")))])
            } else {
                self.profile("Profile")
            };
            m.push(("creator".into(), creator));
        }
        if self.chance(0.75) {
            let al = self.alignments(0);
            m.push(("alignment".into(), al));
        }
        if self.chance(0.6) {
            let n = self.rng.range(0, 3);
            let mut rds: Vec<J> = (0..n).map(|_| self.result_description()).collect();
            if n > 0 && self.chance(0.15) {
                self.tags.insert("dup-bnodes:resultDescription");
                rds.push(rds[0].clone());
            }
            m.push(("resultDescription".into(), J::Arr(rds)));
        }
        if self.chance(0.1) {
            let related = vec![
                ("id".into(), J::Str(self.iri("achievements"))),
                ("type".into(), self.types(&["Related"])),
                ("inLanguage".into(), s(self.rng.one(LANG_OK))),
            ];
            m.push(("related".into(), J::Arr(vec![J::Obj(related)])));
        }
        if self.chance(0.1) {
            let ids = vec![self.identifier_entry()];
            m.push(("otherIdentifier".into(), J::Arr(ids)));
        }
        if self.skillpass {
            if self.chance(0.5) {
                self.tags.insert("float:learningHours");
                m.push(("learningHours".into(), self.number()));
            }
            if self.chance(0.5) {
                m.push((
                    "creditSystem".into(),
                    s(self.rng.one(&["ECTS", "ECVET", "CH-BB"])),
                ));
            }
            if self.chance(0.3) {
                m.push(("iscedFieldOfStudy".into(), J::Str(self.iri("isced"))));
            }
            if self.chance(0.4) {
                self.tags.insert("scoped:FrameworkLevel");
                let fl = vec![
                    ("type".into(), self.types(&["FrameworkLevel"])),
                    (
                        "framework".into(),
                        s(self.rng.one(&["EQF", "NQF-CH", "DQR"])),
                    ),
                    ("levelCode".into(), s(self.rng.one(&["4", "6", "7"]))),
                ];
                m.push(("frameworkLevel".into(), J::Obj(fl)));
            }
        }
        self.extras(&mut m);
        self.obj(m)
    }

    /// An `alignment` array; identical entries now and then (identical blank nodes), nested
    /// alignments one or two levels deep.
    fn alignments(&mut self, depth: usize) -> J {
        let n = self.rng.range(if depth == 0 { 1 } else { 0 }, 4);
        let mut items: Vec<J> = (0..n).map(|_| self.alignment(depth)).collect();
        if n > 0 && self.chance(0.15) {
            self.tags.insert("dup-bnodes:alignment");
            let copies = self.rng.range(1, 3);
            for _ in 0..copies {
                let i = self.rng.below(n);
                items.push(items[i].clone());
            }
            self.rng.shuffle(&mut items);
        }
        if n == 0 {
            self.tags.insert("empty-array");
        }
        J::Arr(items)
    }

    fn alignment(&mut self, depth: usize) -> J {
        let mut m = Vec::new();
        if self.chance(0.1) {
            m.push(("id".into(), J::Str(self.iri("alignments"))));
        }
        m.push(("type".into(), self.types(&["Alignment"])));
        m.push(("targetName".into(), self.literal(false)));
        if self.chance(0.5) {
            m.push((
                "targetType".into(),
                s(self.rng.one(&[
                    "ceasn:Competency",
                    "ext:EQFLevel",
                    "CFItem",
                    "ceterms:Credential",
                ])),
            ));
        }
        if self.chance(0.3) {
            m.push(("targetFramework".into(), self.literal(false)));
        }
        if self.chance(0.3) {
            m.push(("targetCode".into(), J::Str(self.text())));
        }
        if self.chance(0.2) {
            m.push(("targetDescription".into(), self.literal(false)));
        }
        if self.chance(0.3) {
            m.push(("targetUrl".into(), J::Str(self.iri("frameworks"))));
        }
        if depth < 2 && self.chance(0.1) {
            self.tags.insert("alignment:nested");
            let nested = self.alignments(depth + 1);
            m.push(("alignment".into(), nested));
        }
        self.obj(m)
    }

    fn result_description(&mut self) -> J {
        let mut m = Vec::new();
        if self.chance(0.8) {
            m.push(("id".into(), J::Str(self.uuid())));
        }
        m.push(("type".into(), self.types(&["ResultDescription"])));
        m.push(("name".into(), self.literal(false)));
        m.push((
            "resultType".into(),
            s(self.rng.one(&[
                "ScaledScore",
                "LetterGrade",
                "GradePointAverage",
                "ext:Hours",
            ])),
        ));
        if self.chance(0.6) {
            self.tags.insert("list:allowedValue");
            let n = self.rng.range(0, 6);
            let mut items: Vec<J> = (0..n)
                .map(|_| match self.rng.below(10) {
                    0 => {
                        self.tags.insert("list:number");
                        self.number()
                    }
                    1 => {
                        self.tags.insert("list:lang");
                        self.literal(false)
                    }
                    _ => s(self
                        .rng
                        .one(&["A", "B", "C", "pass", "fail", "1", "6", "", "🎓", "！"])),
                })
                .collect();
            if n > 0 && self.chance(0.4) {
                self.tags.insert("list:duplicates");
                items.push(items[0].clone());
            }
            if n == 0 {
                self.tags.insert("list:empty");
            }
            // a single value without an array is a one-item list too
            let v = if items.len() == 1 && self.chance(0.3) {
                items.pop().unwrap_or(J::Null)
            } else {
                J::Arr(items)
            };
            m.push(("allowedValue".into(), v));
        }
        if self.chance(0.4) {
            m.push((
                "requiredValue".into(),
                s(self.rng.one(&["5.5", "C", "pass"])),
            ));
        }
        if self.chance(0.2) {
            m.push(("valueMin".into(), s("1")));
            m.push(("valueMax".into(), s("6")));
        }
        if self.chance(0.15) {
            m.push(("requiredLevel".into(), J::Str(self.iri("levels"))));
        }
        if self.chance(0.2) {
            let n = self.rng.range(1, 3);
            let mut levels: Vec<J> = (0..n).map(|_| self.rubric_level()).collect();
            if self.chance(0.2) {
                self.tags.insert("dup-bnodes:rubric");
                levels.push(levels[0].clone());
            }
            m.push(("rubricCriterionLevel".into(), J::Arr(levels)));
        }
        if self.chance(0.15) {
            self.tags.insert("alignment:in-resultDescription");
            let al = self.alignments(1);
            m.push(("alignment".into(), al));
        }
        self.obj(m)
    }

    fn rubric_level(&mut self) -> J {
        let mut m = Vec::new();
        if self.chance(0.5) {
            m.push(("id".into(), J::Str(self.uuid())));
        }
        m.push(("type".into(), self.types(&["RubricCriterionLevel"])));
        m.push(("name".into(), self.literal(false)));
        m.push(("level".into(), s(self.rng.one(&["1", "2", "Expert"]))));
        if self.chance(0.5) {
            let points = if self.chance(0.5) {
                self.number()
            } else {
                s("10")
            };
            m.push(("points".into(), points));
        }
        J::Obj(m)
    }

    fn result(&mut self) -> J {
        let mut m = vec![("type".into(), self.types(&["Result"]))];
        if self.chance(0.8) {
            m.push(("resultDescription".into(), J::Str(self.uuid())));
        }
        if self.chance(0.8) {
            m.push((
                "value".into(),
                s(self.rng.one(&["8.1", "140", "A", "pass", "🎓"])),
            ));
        }
        if self.chance(0.4) {
            m.push((
                "status".into(),
                s(self.rng.one(&["Completed", "Enrolled", "Failed"])),
            ));
        }
        if self.chance(0.15) {
            m.push(("achievedLevel".into(), J::Str(self.iri("levels"))));
        }
        if self.chance(0.1) {
            self.tags.insert("alignment:in-result");
            let al = self.alignments(1);
            m.push(("alignment".into(), al));
        }
        self.obj(m)
    }

    fn evidence(&mut self) -> J {
        let mut m = Vec::new();
        if self.chance(0.5) {
            m.push(("id".into(), J::Str(self.iri("evidence"))));
        }
        m.push(("type".into(), self.types(&["Evidence"])));
        m.push(("name".into(), self.literal(false)));
        if self.chance(0.5) {
            m.push(("narrative".into(), self.literal(false)));
        }
        if self.chance(0.3) {
            m.push(("genre".into(), s("Project")));
        }
        if self.chance(0.3) {
            m.push(("audience".into(), s("Employers")));
        }
        J::Obj(m)
    }

    /// Terms of the inline test context: language maps, doubles, decimals, untyped numbers,
    /// `@list`, `@json`.
    fn extras(&mut self, m: &mut Vec<(String, J)>) {
        let Some(inline) = self.inline.take() else {
            return;
        };
        if inline.name_map && self.chance(0.4) {
            self.tags.insert("lang:map");
            let n = self.rng.range(0, 4);
            let mut map = Vec::new();
            let mut used = BTreeSet::new();
            for _ in 0..n {
                let key = if self.chance(0.1) {
                    "@none"
                } else {
                    *self.rng.pick(LANG_OK)
                };
                // JSON objects with duplicate keys parse differently; keep keys unique
                if !used.insert(key) {
                    continue;
                }
                let value = match self.rng.below(6) {
                    0 => {
                        let a = J::Str(self.text());
                        J::Arr(vec![a.clone(), J::Str(self.text()), a])
                    }
                    1 => J::Null,
                    _ => J::Str(self.text()),
                };
                map.push((key.to_owned(), value));
            }
            m.push(("nameMap".into(), J::Obj(map)));
        }
        if inline.motto && self.chance(0.4) {
            self.tags.insert("lang:term-default");
            m.push(("motto".into(), J::Str(self.text())));
        }
        if inline.ratio && self.chance(0.4) {
            self.tags.insert("double:typed");
            let n = self.rng.range(1, 4);
            let nums = (0..n).map(|_| self.number()).collect();
            m.push(("ratio".into(), J::Arr(nums)));
        }
        if inline.measure && self.chance(0.4) {
            self.tags.insert("decimal:typed");
            m.push(("measure".into(), self.number()));
        }
        if inline.plain && self.chance(0.4) {
            self.tags.insert("number:untyped");
            let n = self.rng.range(1, 4);
            let mut vals: Vec<J> = (0..n).map(|_| self.number()).collect();
            if self.chance(0.3) {
                self.tags.insert("boolean");
                vals.push(J::Bool(self.chance(0.5)));
            }
            m.push(("plain".into(), J::Arr(vals)));
        }
        if inline.seq && self.chance(0.4) {
            self.tags.insert("list:mixed");
            let n = self.rng.range(0, 4);
            let items = (0..n)
                .map(|_| match self.rng.below(4) {
                    0 => self.number(),
                    1 => J::Bool(true),
                    _ => self.literal(false),
                })
                .collect();
            m.push(("seq".into(), J::Arr(items)));
        }
        if inline.data && self.chance(0.4) {
            self.tags.insert("json-literal");
            let v = self.json_value(0);
            m.push(("data".into(), v));
        }
        self.inline = Some(inline);
    }

    /// An arbitrary JSON value for an `@json` literal (keys with astral and BMP-high
    /// characters, to exercise the UTF-16 key order of JSON canonicalization).
    fn json_value(&mut self, depth: usize) -> J {
        match self.rng.below(if depth > 2 { 4 } else { 6 }) {
            0 => self.number(),
            1 => J::Str(self.text()),
            2 => J::Bool(self.chance(0.5)),
            3 => J::Null,
            4 => {
                let n = self.rng.range(0, 3);
                J::Arr((0..n).map(|_| self.json_value(depth + 1)).collect())
            }
            _ => {
                let n = self.rng.range(0, 4);
                let mut used = BTreeSet::new();
                let mut m = Vec::new();
                for _ in 0..n {
                    let k = *self
                        .rng
                        .pick(&["a", "b", "B", "🎓", "！", "\u{E000}", "é", "e\u{301}", ""]);
                    if used.insert(k) {
                        let v = self.json_value(depth + 1);
                        m.push((k.to_owned(), v));
                    }
                }
                J::Obj(m)
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// defects

/// Paths (as key sequences) of the node objects in the document, for the corruptions.
fn node_paths(j: &J, path: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match j {
        J::Obj(m) => {
            let is_value = m.iter().any(|(k, _)| k == "@value");
            let is_node = m.iter().any(|(k, _)| k == "type");
            if is_node && !is_value {
                out.push(path.clone());
            }
            for (k, v) in m {
                // contexts, @json data and language maps hold no node objects
                if k == "@context" || k == "data" || k == "nameMap" {
                    continue;
                }
                path.push(Step::Key(k.clone()));
                node_paths(v, path, out);
                path.pop();
            }
        }
        J::Arr(items) => {
            for (i, v) in items.iter().enumerate() {
                path.push(Step::Index(i));
                node_paths(v, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn at_path<'a>(j: &'a mut J, path: &[Step]) -> Option<&'a mut J> {
    let mut cur = j;
    for step in path {
        cur = match (step, cur) {
            (Step::Key(k), node @ J::Obj(_)) => node.get_mut(k)?,
            (Step::Index(i), J::Arr(items)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(cur)
}

impl Gen {
    /// Breaks the document in one way jsonld.js's safe mode refuses; returns the defect's name.
    fn corrupt(&mut self, doc: &mut J) -> &'static str {
        let mut paths = Vec::new();
        node_paths(doc, &mut Vec::new(), &mut paths);
        let path = self.rng.pick(&paths).clone();
        let Some(node) = at_path(doc, &path) else {
            unreachable!("node paths come from the same tree")
        };
        match self.rng.below(7) {
            0 | 1 => {
                let term = *self.rng.pick(&[
                    "nickname",
                    "targetNam",
                    "creditsAvalable",
                    "Name",
                    "résumé",
                    "🎓",
                    "foo",
                ]);
                let value = match self.rng.below(5) {
                    0 => J::Null,
                    1 => J::Arr(vec![]),
                    2 => J::Num("3".into()),
                    3 => J::Obj(vec![("type".into(), s("Alignment"))]),
                    _ => s("x"),
                };
                node.set(term, value);
                "undefined term"
            }
            2 => {
                let id = *self.rng.pick(&[
                    "achievements/42",
                    "has space",
                    "https://example.org/a b",
                    "#fragment",
                    "?query",
                    "./x",
                    "",
                ]);
                node.set("id", s(id));
                "relative or invalid id"
            }
            3 => {
                let bad =
                    *self
                        .rng
                        .pick(&["MyBadge", "Alignmnet", "1EdTechJsonSchemaValidator2019"]);
                let mut types = match node.get_mut("type") {
                    Some(J::Arr(t)) => t.clone(),
                    Some(t) => vec![t.clone()],
                    None => vec![],
                };
                types.push(s(bad));
                node.set("type", J::Arr(types));
                "undefined type"
            }
            4 => {
                let tag = *self.rng.pick(LANG_BAD);
                node.set(
                    "name",
                    J::Obj(vec![
                        ("@value".into(), s("x")),
                        ("@language".into(), s(tag)),
                    ]),
                );
                "bad language tag"
            }
            5 => {
                let dir = *self.rng.pick(&["up", "RTL", "", "auto"]);
                node.set(
                    "name",
                    J::Obj(vec![
                        ("@value".into(), s("x")),
                        ("@direction".into(), s(dir)),
                    ]),
                );
                "bad direction"
            }
            _ => {
                node.set("_:b0", s("x"));
                "blank-node predicate"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_documents() {
        for i in 0..20 {
            assert_eq!(generate(7, i).json, generate(7, i).json);
        }
    }

    #[test]
    fn js_number_hazards() {
        for t in [
            "1e-7",
            "5e-324",
            "9007199254740993",
            "-1e-7",
            "18446744073709551615",
            "18446744073709551616",
            "1152921504606846976",
            "1.152921504606846976e18",
        ] {
            assert!(js_changes(t), "{t}");
        }
        for t in [
            "0",
            "-0",
            "7.5",
            "1.5e-07",
            "9007199254740992",
            "9007199254740994",
            "1e20",
            "100000000000000000000",
            "1e21",
            "0.000001",
            "1e15",
            "1.00000000000000001",
            "0.30000000000000004",
        ] {
            assert!(!js_changes(t), "{t}");
        }
    }
}

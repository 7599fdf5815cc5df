//! Print and social: what a printed certificate, a badge image and a LinkedIn "Add to profile"
//! link say about a credential, read from the credential itself (issuer, learner, achievement,
//! level, dates).
//!
//! The badge image is an SVG drawn from the issuer's name, the achievement's name and its level
//! (templates/print/badge.svg, escaped by askama), served at a stable URL per credential
//! (`/credentials/{id}/badge.svg`) that can be given as OB 3.0 `achievement.image`. Issued
//! credentials do not carry it: the image would change every signed credential's bytes and tie
//! each credential to one node's URL.
//!
//! In the reader's language: the achievement's name comes from its JSON-LD language map
//! (`nameMap`, docs/LANGUAGES.md) when it has the reader's language, else the OB 3.0 `name` in
//! the achievement's `inLanguage`, marked as a fallback ([`achievement_name_in`]); the
//! learner's name in the script of their own language (a second `name` identity) is shown
//! beside the first ([`learner_names`]). [`wrap`] breaks the badge's lines also in scripts
//! written without spaces (Thai, Lao, Khmer, Chinese), never inside a character cluster.
//!
//! LinkedIn's "Add to profile" link for certifications
//! (`https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&…`) takes `name`,
//! `organizationName`, `issueYear`, `issueMonth`, `expirationYear`, `expirationMonth`, `certUrl`
//! and `certId`; [`linkedin_add_to_profile`] fills them from the credential and its
//! verification page.

use chrono::{DateTime, Datelike, FixedOffset};
use serde_json::Value;

use crate::credential::framework_level;
use crate::frameworks::FrameworkRegistry;
use crate::i18n::Lang;

/// LinkedIn's "Add to profile" address.
pub const LINKEDIN_ADD: &str = "https://www.linkedin.com/profile/add";

/// What print and social show of a credential.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    pub id: Option<String>,
    pub achievement: Option<String>,
    pub achievement_code: Option<String>,
    pub issuer: Option<String>,
    pub learner: Option<String>,
    /// The framework level the achievement states.
    pub level: Option<LevelFact>,
    /// `awardedDate`, else `validFrom` (VC 2.0) or `issuanceDate` (VC 1.1).
    pub awarded: Option<DateTime<FixedOffset>>,
    pub valid_until: Option<DateTime<FixedOffset>>,
}

/// A level of a qualifications framework, as the credential states it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LevelFact {
    /// The framework's id (`EQF`, `ISCED-2011`).
    pub framework: String,
    pub code: String,
    /// The level's name in the framework data (English), when it says more than the code.
    pub name: Option<String>,
}

/// A text of the credential as shown to one reader.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    pub text: String,
    /// The text's language (its `lang` attribute), when the credential says.
    pub lang: Option<String>,
    /// The credential states its languages but not the reader's: the language shown instead.
    pub fell_back: Option<String>,
}

fn text(value: Option<&Value>) -> Option<String> {
    value
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn date(value: Option<&Value>) -> Option<DateTime<FixedOffset>> {
    value
        .and_then(Value::as_str)
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
}

/// Reads the facts of `vc`.
pub fn facts(vc: &Value) -> Facts {
    let subject = match vc.get("credentialSubject") {
        Some(Value::Array(items)) => items.first(),
        other => other,
    };
    let achievement = subject.and_then(|s| s.get("achievement"));
    let issuer = match vc.get("issuer") {
        Some(Value::Object(o)) => text(o.get("name")).or_else(|| text(o.get("id"))),
        other => text(other),
    };
    let learner = subject.and_then(|s| {
        text(s.get("name")).or_else(|| {
            s.get("identifier")?
                .as_array()?
                .iter()
                .find(|i| i.get("identityType").and_then(Value::as_str) == Some("name"))
                .filter(|i| i.get("hashed").and_then(Value::as_bool) != Some(true))
                .and_then(|i| text(i.get("identityHash")))
        })
    });
    let level = achievement
        .and_then(framework_level)
        .map(|(framework, code)| LevelFact {
            name: FrameworkRegistry::bundled()
                .level(&framework, &code)
                .map(|l| l.name.clone())
                .filter(|name| !name.ends_with(&format!(" {code}"))),
            framework,
            code,
        });
    Facts {
        id: text(vc.get("id")),
        achievement: text(achievement.and_then(|a| a.get("name"))).or_else(|| text(vc.get("name"))),
        achievement_code: text(achievement.and_then(|a| a.get("humanCode"))),
        issuer,
        learner,
        level,
        awarded: date(vc.get("awardedDate"))
            .or_else(|| date(vc.get("validFrom")))
            .or_else(|| date(vc.get("issuanceDate"))),
        valid_until: date(vc.get("validUntil")).or_else(|| date(vc.get("expirationDate"))),
    }
}

fn achievement_of(vc: &Value) -> Option<&Value> {
    let subject = match vc.get("credentialSubject") {
        Some(Value::Array(items)) => items.first(),
        other => other,
    };
    subject.and_then(|s| s.get("achievement"))
}

/// The achievement's name for a reader of `reader`: its `nameMap` entry in that language, else
/// the OB 3.0 `name` (in the achievement's `inLanguage`), with `fell_back` set when the
/// credential states its languages (`inLanguage` or a map) and the reader's is not among them.
/// `reader: None` asks for the name as issued. Falls back to the credential's own `name`.
pub fn achievement_name_in(vc: &Value, reader: Option<Lang>) -> Option<Shown> {
    let achievement = achievement_of(vc);
    let in_language = text(achievement.and_then(|a| a.get("inLanguage")));
    let map = achievement
        .and_then(|a| a.get("nameMap"))
        .and_then(Value::as_object);
    if let (Some(reader), Some(map)) = (reader, map) {
        let found = map.iter().find_map(|(tag, v)| {
            let t = v.as_str().map(str::trim).filter(|t| !t.is_empty())?;
            (Lang::from_tag(tag) == Some(reader)).then(|| (tag.clone(), t.to_owned()))
        });
        if let Some((tag, text)) = found {
            return Some(Shown {
                text,
                lang: Some(tag),
                fell_back: None,
            });
        }
    }
    let original = text(achievement.and_then(|a| a.get("name")))?;
    let declared = in_language.is_some() || map.is_some_and(|m| !m.is_empty());
    let same = in_language.as_deref().and_then(Lang::from_tag) == reader;
    let fell_back = match reader {
        Some(_) if declared && !same => Some(in_language.clone().unwrap_or_else(|| "und".into())),
        _ => None,
    };
    Some(Shown {
        text: original,
        lang: in_language,
        fell_back,
    })
}

/// The achievement's `inLanguage` as a language of the service.
pub fn achievement_language(vc: &Value) -> Option<Lang> {
    text(achievement_of(vc).and_then(|a| a.get("inLanguage"))).and_then(|t| Lang::from_tag(&t))
}

/// Every name the credential gives the learner in clear: the subject's `name`, else its `name`
/// identities that are not hashed (the first as written, then the name in the script of the
/// learner's own language), without repeats.
pub fn learner_names(vc: &Value) -> Vec<String> {
    let subject = match vc.get("credentialSubject") {
        Some(Value::Array(items)) => items.first(),
        other => other,
    };
    let Some(subject) = subject else {
        return Vec::new();
    };
    if let Some(name) = text(subject.get("name")) {
        return vec![name];
    }
    let mut names: Vec<String> = Vec::new();
    for identity in subject
        .get("identifier")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if identity.get("identityType").and_then(Value::as_str) != Some("name")
            || identity.get("hashed").and_then(Value::as_bool) == Some(true)
        {
            continue;
        }
        if let Some(name) = text(identity.get("identityHash")) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

/// The issuer's country as the credential states it (`issuer.address.addressCountryCode`,
/// written from the institution's registration).
pub fn issuer_country(vc: &Value) -> Option<String> {
    text(vc.pointer("/issuer/address/addressCountryCode"))
}

/// `application/x-www-form-urlencoded` value: everything but unreserved characters encoded.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3 / 2);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// LinkedIn's "Add to profile" link for the credential, pointing back at `verify_url`.
pub fn linkedin_add_to_profile(facts: &Facts, verify_url: &str) -> String {
    let mut params: Vec<(&str, String)> = vec![("startTask", "CERTIFICATION_NAME".into())];
    if let Some(name) = &facts.achievement {
        params.push(("name", name.clone()));
    }
    if let Some(issuer) = &facts.issuer {
        params.push(("organizationName", issuer.clone()));
    }
    if let Some(awarded) = facts.awarded {
        params.push(("issueYear", awarded.year().to_string()));
        params.push(("issueMonth", awarded.month().to_string()));
    }
    if let Some(until) = facts.valid_until {
        params.push(("expirationYear", until.year().to_string()));
        params.push(("expirationMonth", until.month().to_string()));
    }
    params.push(("certUrl", verify_url.to_owned()));
    if let Some(id) = &facts.id {
        params.push(("certId", id.clone()));
    }
    let query: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    format!("{LINKEDIN_ADD}?{}", query.join("&"))
}

/// Whether `c` joins the character before it (a combining mark, a dependent vowel or sign of
/// Thai, Lao or Khmer, a joiner): no line may break before it.
fn joins_previous(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{0E31}' | '\u{0E34}'..='\u{0E3A}' | '\u{0E47}'..='\u{0E4E}'
        | '\u{0EB1}' | '\u{0EB4}'..='\u{0EBC}' | '\u{0EC8}'..='\u{0ECE}'
        | '\u{17B4}'..='\u{17D3}' | '\u{17DD}'
        | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{200C}' | '\u{200D}'
        | '\u{20D0}'..='\u{20FF}' | '\u{FE00}'..='\u{FE0F}' | '\u{FE20}'..='\u{FE2F}')
}

/// How wide `c` draws, in tenths of a Latin letter: nothing for a mark over or under its
/// letter, twice a letter for a Chinese character or a full-width form, a little more than a
/// letter for Thai and Lao (their bold letters are wider, measured in Chromium with Noto Sans
/// Thai), a letter otherwise.
fn char_width(c: char) -> usize {
    match c {
        // Khmer vowels written beside their consonant take room of their own.
        '\u{17B6}' | '\u{17BE}'..='\u{17C5}' | '\u{17C7}' | '\u{17C8}' => 10,
        c if joins_previous(c) => 0,
        '\u{0E00}'..='\u{0EFF}' => 12,
        '\u{1100}'..='\u{115F}'
        | '\u{2E80}'..='\u{A4CF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}'
        | '\u{20000}'..='\u{3FFFD}' => 20,
        _ => 10,
    }
}

fn display_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// `word` cut into the pieces a line may break between: a letter with the marks that join it
/// (after a Khmer coeng, the consonant it subscribes too).
fn clusters(word: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut previous: Option<char> = None;
    for (i, c) in word.char_indices() {
        let joined = joins_previous(c) || previous == Some('\u{17D2}');
        if i > start && !joined {
            out.push(&word[start..i]);
            start = i;
        }
        previous = Some(c);
    }
    if start < word.len() {
        out.push(&word[start..]);
    }
    out
}

/// Splits `text` into at most `lines` lines at most `width` letters wide ([`char_width`]):
/// between words at spaces; a word wider than a line (Thai, Lao, Khmer and Chinese write
/// sentences without spaces) is broken between character clusters, never inside one. An
/// ellipsis ends the last line when text is left over.
pub fn wrap(text: &str, width: usize, lines: usize) -> Vec<String> {
    let width = width.max(2) * 10;
    let space = 10;
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut used = 0usize;
    let mut cut = false;
    'words: for word in text.split_whitespace() {
        let w = display_width(word);
        if w <= width {
            let needed = if current.is_empty() {
                w
            } else {
                used + space + w
            };
            if needed > width {
                out.push(std::mem::take(&mut current));
                used = 0;
                if out.len() == lines {
                    cut = true;
                    break;
                }
            }
            if !current.is_empty() {
                current.push(' ');
                used += space;
            }
            current.push_str(word);
            used += w;
            continue;
        }
        if !current.is_empty() {
            current.push(' ');
            used += space;
        }
        for cluster in clusters(word) {
            let cw = display_width(cluster);
            if used + cw > width && !current.trim().is_empty() {
                out.push(std::mem::take(&mut current).trim_end().to_owned());
                used = 0;
                if out.len() == lines {
                    cut = true;
                    break 'words;
                }
            }
            current.push_str(cluster);
            used += cw;
        }
    }
    if !cut && !current.is_empty() {
        if out.len() == lines {
            cut = true;
        } else {
            out.push(current);
        }
    }
    if cut {
        if let Some(last) = out.last_mut() {
            let mut kept = String::new();
            let mut w = 0;
            for cluster in clusters(last) {
                let cw = display_width(cluster);
                if w + cw + space > width {
                    break;
                }
                kept.push_str(cluster);
                w += cw;
            }
            kept.push('…');
            *last = kept;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_linkedin_link_carries_the_documented_parameters() {
        let vc = json!({
            "id": "urn:uuid:1234",
            "issuer": {"id": "did:key:z", "name": "R&D College"},
            "validFrom": "2026-07-11T08:30:00Z",
            "awardedDate": "2025-07-11T16:30:00+08:00",
            "validUntil": "2030-01-31T00:00:00Z",
            "credentialSubject": {"achievement": {"name": "Welding & Cutting"}},
        });
        let link = linkedin_add_to_profile(&facts(&vc), "https://x.test/verify/urn:uuid:1234");
        assert!(
            link.starts_with("https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&")
        );
        for part in [
            "name=Welding%20%26%20Cutting",
            "organizationName=R%26D%20College",
            "issueYear=2025",
            "issueMonth=7",
            "expirationYear=2030",
            "expirationMonth=1",
            "certUrl=https%3A%2F%2Fx.test%2Fverify%2Furn%3Auuid%3A1234",
            "certId=urn%3Auuid%3A1234",
        ] {
            assert!(link.contains(part), "{part} not in {link}");
        }
    }

    #[test]
    fn text_wraps_into_lines_with_an_ellipsis() {
        assert_eq!(wrap("a bb ccc", 4, 3), vec!["a bb", "ccc"]);
        assert_eq!(wrap("one two three four", 7, 2), vec!["one two", "three…"]);
        // A word longer than a line is broken, not cut.
        assert_eq!(wrap("abcdefghij", 4, 2), vec!["abcd", "efg…"]);
        assert!(wrap("", 4, 2).is_empty());
    }

    #[test]
    fn scripts_without_spaces_break_between_clusters() {
        // Thai: no line starts with a vowel sign or tone mark.
        let thai = "การบริการหลังการขายรถยนต์พลังงานใหม่";
        let lines = wrap(thai, 10, 6);
        assert!(lines.len() > 1, "{lines:?}");
        assert_eq!(lines.concat(), thai);
        for line in &lines {
            assert!(!joins_previous(line.chars().next().unwrap()), "{lines:?}");
            assert!(display_width(line) <= 100, "{lines:?}");
        }
        // Khmer: a subscript consonant (coeng + consonant) stays with its base.
        let khmer = "វិញ្ញាបនបត្រសេវាកម្មក្រោយការលក់";
        let lines = wrap(khmer, 6, 8);
        assert_eq!(lines.concat(), khmer);
        for line in &lines {
            let first = line.chars().next().unwrap();
            assert!(!joins_previous(first), "{lines:?}");
        }
        for pair in lines.windows(2) {
            assert!(!pair[0].ends_with('\u{17D2}'), "{lines:?}");
        }
        // Chinese characters are two units wide.
        assert_eq!(
            wrap("新能源汽车售后服务", 8, 3),
            vec!["新能源汽", "车售后服", "务"]
        );
        assert_eq!(wrap("新能源汽车售后服务", 8, 1), vec!["新能源…"]);
    }
}

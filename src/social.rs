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
//! LinkedIn's "Add to profile" link for certifications
//! (`https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&…`) takes `name`,
//! `organizationName`, `issueYear`, `issueMonth`, `expirationYear`, `expirationMonth`, `certUrl`
//! and `certId`; [`linkedin_add_to_profile`] fills them from the credential and its
//! verification page.

use chrono::{DateTime, Datelike, FixedOffset};
use serde_json::Value;

use crate::credential::framework_level;
use crate::frameworks::FrameworkRegistry;

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
    /// The level in words: `EQF level 4`, with the level's name when the framework data has one.
    pub level: Option<String>,
    /// `awardedDate`, else `validFrom` (VC 2.0) or `issuanceDate` (VC 1.1).
    pub awarded: Option<DateTime<FixedOffset>>,
    pub valid_until: Option<DateTime<FixedOffset>>,
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
    let level = achievement.and_then(framework_level).map(|(fw, code)| {
        match FrameworkRegistry::bundled()
            .level(&fw, &code)
            .map(|l| l.name.clone())
            .filter(|name| !name.ends_with(&format!(" {code}")))
        {
            Some(name) => format!("{fw} level {code} ({name})"),
            None => format!("{fw} level {code}"),
        }
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

/// Splits `text` into at most `lines` lines of at most `width` characters at spaces (a word
/// longer than a line is cut); an ellipsis ends the last line when text is left over.
pub fn wrap(text: &str, width: usize, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut words = text.split_whitespace().peekable();
    let mut cut = false;
    while let Some(word) = words.next() {
        let word: String = if word.chars().count() > width {
            word.chars().take(width).collect()
        } else {
            word.to_owned()
        };
        let needed = if current.is_empty() {
            word.chars().count()
        } else {
            current.chars().count() + 1 + word.chars().count()
        };
        if needed <= width {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(&word);
            continue;
        }
        out.push(std::mem::take(&mut current));
        if out.len() == lines {
            cut = true;
            break;
        }
        current = word;
        if words.peek().is_none() {
            break;
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
            let mut kept: String = last.chars().take(width.saturating_sub(1)).collect();
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
        assert_eq!(wrap("abcdefghij", 4, 2), vec!["abcd"]);
        assert!(wrap("", 4, 2).is_empty());
    }
}

//! The alliance trust registry: which institutions (by DID) are quality-assured members of the
//! "Shenzhen Agreement" alliance, under which framework and accreditation, and for how long.
//!
//! - [`Member`]: one member, as stored, edited over HTTP and carried in registry documents.
//! - [`Member::standing`]: a member's standing at a moment, as a [`TrustLookup`].
//! - [`TrustRegistry`]: what the verifier consults (`VerifyOptions::trust`); [`Registry`] (a list
//!   held in memory, e.g. read from a file) implements it, and so does the service's store.
//! - [`document`]: the registry as a signed, publishable document — a VC 2.0 credential of type
//!   `TrustRegistryCredential` with an `eddsa-rdfc-2022` proof, so any wallet's verifier can
//!   check it. This module is what the verifier consults; `document` uses the verifier, never
//!   the other way round.
//!
//! The registry's terms (`members`, `qualityAssurance`, …) come as an inline context
//! ([`crate::vocab::REGISTRY_TERMS`]), and in the document a member's slug is written as the IRI
//! `urn:skillpass:member:<slug>`: RDF canonicalization refuses what it cannot map to IRIs (that
//! is what keeps unsigned content out of signed documents). See `docs/REGISTRY.md`.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

pub mod document;

/// How a member's slug is written as the `id` of its node in a registry document.
pub const MEMBER_IRI_PREFIX: &str = "urn:skillpass:member:";

/// A member's accreditation status with its quality-assurance body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AccreditationStatus {
    /// Fully accredited: trusted.
    Accredited,
    /// Accredited on a provisional basis: trusted, and the verifier says so in a note.
    Provisional,
    /// The accreditation ran out and was not renewed: not trusted.
    Lapsed,
    /// The accreditation was withdrawn: not trusted.
    Withdrawn,
}

impl AccreditationStatus {
    /// The value written in JSON (`"accredited"`, …).
    pub fn name(self) -> &'static str {
        match self {
            AccreditationStatus::Accredited => "accredited",
            AccreditationStatus::Provisional => "provisional",
            AccreditationStatus::Lapsed => "lapsed",
            AccreditationStatus::Withdrawn => "withdrawn",
        }
    }

    /// Whether a member with this status is trusted (within its validity period).
    pub fn is_trusted(self) -> bool {
        matches!(
            self,
            AccreditationStatus::Accredited | AccreditationStatus::Provisional
        )
    }
}

impl fmt::Display for AccreditationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Who quality-assures a member, and with what outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct QualityAssurance {
    /// The QA or accreditation body, e.g. `"Malaysian Qualifications Agency"`.
    pub body: String,
    pub status: AccreditationStatus,
    /// The body's decision or certificate reference, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

/// One alliance member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Member {
    /// Slug, `[a-z0-9][a-z0-9_-]{0,63}`; the key of the member in the registry. May be left
    /// out of an HTTP `PUT` body (the path names it).
    #[serde(default)]
    pub id: String,
    /// Display name.
    pub name: String,
    /// ISO 3166-1 alpha-2 country code, upper case.
    pub country: String,
    /// The issuer DIDs the member signs credentials with (one per did:key rotation, say).
    /// A DID belongs to at most one member.
    pub dids: Vec<String>,
    /// Origins (`https://host[:port]`, no path) of the skillpass nodes where the member
    /// publishes its status lists and did:web documents; verifiers on other nodes may fetch
    /// from these hosts ([`MemberHosts`]). Optional: documents without it still verify.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub nodes: Vec<String>,
    /// Id of the qualifications framework the member awards in, e.g. `"MQF"`.
    pub framework: String,
    pub quality_assurance: QualityAssurance,
    /// Start of membership.
    pub valid_from: DateTime<Utc>,
    /// End of membership (inclusive), when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<DateTime<Utc>>,
}

/// Why a member or a registry document was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RegistryError {
    /// A member breaks a rule (bad id, country, DID, dates…); the message names it.
    #[error("{0}")]
    Invalid(String),
    /// A DID is listed by two members.
    #[error("{did} already belongs to registry member {member}")]
    DidTaken {
        /// The DID.
        did: String,
        /// The member that holds it.
        member: String,
    },
    /// The document is not a registry document (wrong type, no members, a status entry…).
    #[error("not a trust registry document: {0}")]
    NotARegistry(String),
    /// The document's issuer is not the publisher the caller trusts.
    #[error(
        "the registry document is signed by {found}, not by the expected publisher {expected}"
    )]
    WrongPublisher {
        /// The publisher DID the caller named.
        expected: String,
        /// The document's issuer.
        found: String,
    },
    /// The signature, its binding to the issuer, or the validity window fails.
    #[error("the registry document does not verify: {}", .0.join("; "))]
    NotVerified(Vec<String>),
    /// The document could not be checked at all (unsupported suite, unresolvable key…).
    #[error("could not check the registry document: {0}")]
    CannotCheck(String),
    /// Signing failed.
    #[error("could not sign the registry document: {0}")]
    Sign(String),
}

/// A member's standing at a given moment, as the verifier's trust check sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrustLookup {
    /// The DID belongs to a member in good standing. `provisional` when its accreditation is
    /// provisional (trusted, but the report says so).
    Trusted {
        member: Box<Member>,
        provisional: bool,
    },
    /// No member lists the DID.
    NotListed,
    /// A member lists the DID but is not in good standing: accreditation lapsed or withdrawn,
    /// or the moment is outside its membership period. `why` says which, in plain language.
    Lapsed { member: Box<Member>, why: String },
}

/// Where the verifier looks issuers up (`VerifyOptions::trust`).
pub trait TrustRegistry: Send + Sync {
    /// The standing of the member listing `did` at `at`. `Err` only when the registry could
    /// not be read (the verifier then fails the trust check with that cause, never reporting
    /// an unreadable registry as "issuer unknown").
    fn lookup(&self, did: &str, at: DateTime<Utc>) -> Result<TrustLookup, String>;
}

fn fmt_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Slugs go into storage keys and URLs.
pub fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        && id.as_bytes()[0].is_ascii_alphanumeric()
}

/// A DID (not a DID URL): `did:<method>:<method-specific-id>`, no fragment, query or path,
/// no whitespace.
pub fn is_did(did: &str) -> bool {
    let Some(rest) = did.strip_prefix("did:") else {
        return false;
    };
    let Some((method, specific)) = rest.split_once(':') else {
        return false;
    };
    !method.is_empty()
        && method
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && !specific.is_empty()
        && did.len() <= 2048
        && !did
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '#' | '?' | '/'))
}

/// Checks that `origin` is a node origin: `https://host[:port]` with a lower-case DNS name or
/// IP address as host, no path, query, fragment or user; `http://` only for a loopback host
/// (a node under test; the fetcher still refuses it unless its policy allows loopback). The
/// error completes "node \"…\" …".
pub fn check_origin(origin: &str) -> Result<(), String> {
    let (http, authority) = if let Some(rest) = origin.strip_prefix("https://") {
        (false, rest)
    } else if let Some(rest) = origin.strip_prefix("http://") {
        (true, rest)
    } else {
        return Err("must be an https origin such as https://skillpass.example.edu".into());
    };
    if authority.is_empty()
        || authority.len() > 300
        || authority.chars().any(|c| {
            matches!(c, '/' | '?' | '#' | '@' | '\\') || c.is_whitespace() || c.is_control()
        })
    {
        return Err(
            "must be an origin: scheme and host (and port), without a path, query, fragment or user"
                .into(),
        );
    }
    let (host, port) =
        split_authority(authority).ok_or_else(|| "has a malformed host or port".to_owned())?;
    if let Some(port) = port {
        let default = if http { 80 } else { 443 };
        match port.parse::<u16>() {
            Ok(p) if p == default => {
                return Err(format!("names the default port {p}: leave it out"))
            }
            Ok(p) if p > 0 && !port.starts_with('0') => {}
            _ => return Err(format!("has an invalid port {port:?}")),
        }
    }
    let loopback = if let Some(ip) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        let ip: std::net::Ipv6Addr = ip
            .parse()
            .map_err(|_| format!("has an invalid IPv6 address {ip:?}"))?;
        ip.is_loopback()
    } else if let Ok(ip) = host.parse::<std::net::Ipv4Addr>() {
        ip.is_loopback()
    } else {
        if !is_dns_name(host) {
            return Err(format!(
                "has host {host:?}, which is not a lower-case DNS name or IP address"
            ));
        }
        host == "localhost"
    };
    if http && !loopback {
        return Err("must use https (plain http only for a loopback node under test)".into());
    }
    Ok(())
}

/// `host[:port]` → (host, port); an IPv6 host keeps its brackets.
fn split_authority(authority: &str) -> Option<(&str, Option<&str>)> {
    if authority.starts_with('[') {
        let end = authority.find(']')?;
        let (host, rest) = authority.split_at(end + 1);
        match rest {
            "" => Some((host, None)),
            _ => Some((host, Some(rest.strip_prefix(':')?))),
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) if !host.is_empty() => Some((host, Some(port))),
            Some(_) => None,
            None => Some((authority, None)),
        }
    }
}

/// A lower-case DNS name: dot-separated labels of `[a-z0-9-]`, none starting or ending with
/// `-`, at most 253 characters.
fn is_dns_name(host: &str) -> bool {
    host.len() <= 253
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

/// The host (`host` or `host:port`, lower case) a `did:web` DID is resolved at; `None` for
/// other DID methods or a malformed did:web.
pub fn did_web_host(did: &str) -> Option<String> {
    let specific = did.strip_prefix("did:web:")?;
    let first = specific.split(':').next().filter(|h| !h.is_empty())?;
    // did:web percent-encodes the port's colon; nothing else may be encoded in a host.
    let host = first
        .replace("%3A", ":")
        .replace("%3a", ":")
        .to_ascii_lowercase();
    // URLs leave the default port out, and so does the host an allow-list is asked about.
    let host = host.strip_suffix(":443").map(str::to_owned).unwrap_or(host);
    (!host.contains('%')).then_some(host)
}

impl Member {
    /// Checks every field rule; the message names the member and the field.
    pub fn validate(&self) -> Result<(), RegistryError> {
        let who = if self.id.is_empty() {
            "registry member".to_owned()
        } else {
            format!("registry member {:?}", self.id)
        };
        let invalid = |m: String| Err(RegistryError::Invalid(format!("{who}: {m}")));
        if !is_slug(&self.id) {
            return invalid("id must be a slug ([a-z0-9][a-z0-9_-]{0,63})".into());
        }
        if self.name.trim().is_empty() {
            return invalid("name must not be empty".into());
        }
        if self.country.len() != 2 || !self.country.bytes().all(|b| b.is_ascii_uppercase()) {
            return invalid(format!(
                "country {:?} must be an ISO 3166-1 alpha-2 code such as MY or CN",
                self.country
            ));
        }
        if self.dids.is_empty() {
            return invalid("dids must list at least one issuer DID".into());
        }
        let mut seen = BTreeSet::new();
        for did in &self.dids {
            if !is_did(did) {
                return invalid(format!(
                    "{did:?} is not a DID (did:method:id, without #fragment, ?query or /path)"
                ));
            }
            if !seen.insert(did) {
                return invalid(format!("{did} is listed twice"));
            }
        }
        let mut seen = BTreeSet::new();
        for node in &self.nodes {
            if let Err(why) = check_origin(node) {
                return invalid(format!("node {node:?} {why}"));
            }
            if !seen.insert(node) {
                return invalid(format!("node {node} is listed twice"));
            }
        }
        if self.framework.trim().is_empty() || self.framework.chars().any(char::is_whitespace) {
            return invalid("framework must be a framework id such as MQF (no spaces)".into());
        }
        if self.quality_assurance.body.trim().is_empty() {
            return invalid("qualityAssurance.body must not be empty".into());
        }
        if let Some(reference) = &self.quality_assurance.reference {
            if reference.trim().is_empty() {
                return invalid("qualityAssurance.reference must not be empty when given".into());
            }
        }
        if let Some(until) = self.valid_until {
            if until <= self.valid_from {
                return invalid("validUntil must be after validFrom".into());
            }
        }
        Ok(())
    }

    /// The hosts (`host` or `host:port`, lower case, as in a URL's authority) this member's
    /// documents are fetched from: those of its `nodes` and of its `did:web` DIDs.
    pub fn hosts(&self) -> Vec<String> {
        let mut hosts: Vec<String> = self
            .nodes
            .iter()
            .filter_map(|n| n.split_once("://").map(|(_, h)| h.to_ascii_lowercase()))
            .chain(self.dids.iter().filter_map(|d| did_web_host(d)))
            .collect();
        hosts.sort();
        hosts.dedup();
        hosts
    }

    /// The member's standing at `at`: not trusted when its accreditation is lapsed or
    /// withdrawn, or `at` is before `validFrom` or after `validUntil`.
    pub fn standing(&self, at: DateTime<Utc>) -> TrustLookup {
        let label = format!("{} ({})", self.name, self.id);
        let qa = &self.quality_assurance;
        let why = if !qa.status.is_trusted() {
            Some(format!(
                "the accreditation of {label} by {} is {}",
                qa.body, qa.status
            ))
        } else if at < self.valid_from {
            Some(format!(
                "the membership of {label} starts on {}",
                fmt_time(self.valid_from)
            ))
        } else {
            match self.valid_until {
                Some(until) if at > until => Some(format!(
                    "the membership of {label} ended on {}",
                    fmt_time(until)
                )),
                _ => None,
            }
        };
        match why {
            Some(why) => TrustLookup::Lapsed {
                member: Box::new(self.clone()),
                why,
            },
            None => TrustLookup::Trusted {
                member: Box::new(self.clone()),
                provisional: qa.status == AccreditationStatus::Provisional,
            },
        }
    }
}

/// A registry held in memory: the offline file format of `skillpass registry`
/// (`{"members": [...]}`) and a [`TrustRegistry`] for library callers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registry {
    /// Members ordered by id.
    pub members: Vec<Member>,
}

/// Checks a set of members together: each valid, ids unique, each DID held by one member.
pub fn validate_members(members: &[Member]) -> Result<(), RegistryError> {
    let mut ids = BTreeSet::new();
    let mut owners: BTreeMap<&str, &str> = BTreeMap::new();
    for m in members {
        m.validate()?;
        if !ids.insert(m.id.as_str()) {
            return Err(RegistryError::Invalid(format!(
                "registry member {:?} is listed twice",
                m.id
            )));
        }
        for did in &m.dids {
            if let Some(owner) = owners.insert(did, &m.id) {
                return Err(RegistryError::DidTaken {
                    did: did.clone(),
                    member: owner.to_owned(),
                });
            }
        }
    }
    Ok(())
}

impl Registry {
    /// A registry of `members` once they pass [`validate_members`]; ordered by id.
    pub fn new(mut members: Vec<Member>) -> Result<Self, RegistryError> {
        validate_members(&members)?;
        members.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(Registry { members })
    }

    /// The member with this id.
    pub fn get(&self, id: &str) -> Option<&Member> {
        self.members.iter().find(|m| m.id == id)
    }

    /// The member listing `did`.
    pub fn find_by_did(&self, did: &str) -> Option<&Member> {
        self.members
            .iter()
            .find(|m| m.dids.iter().any(|d| d == did))
    }

    /// Adds or replaces (by id) a member; `true` when it was new. Refused when the member is
    /// invalid or one of its DIDs belongs to another member.
    pub fn upsert(&mut self, member: Member) -> Result<bool, RegistryError> {
        member.validate()?;
        for did in &member.dids {
            if let Some(owner) = self.find_by_did(did).filter(|o| o.id != member.id) {
                return Err(RegistryError::DidTaken {
                    did: did.clone(),
                    member: owner.id.clone(),
                });
            }
        }
        match self.members.binary_search_by(|m| m.id.cmp(&member.id)) {
            Ok(i) => {
                self.members[i] = member;
                Ok(false)
            }
            Err(i) => {
                self.members.insert(i, member);
                Ok(true)
            }
        }
    }

    /// Removes the member with this id, returning it.
    pub fn remove(&mut self, id: &str) -> Option<Member> {
        let i = self.members.iter().position(|m| m.id == id)?;
        Some(self.members.remove(i))
    }
}

impl TrustRegistry for Registry {
    fn lookup(&self, did: &str, at: DateTime<Utc>) -> Result<TrustLookup, String> {
        Ok(match self.find_by_did(did) {
            Some(member) => member.standing(at),
            None => TrustLookup::NotListed,
        })
    }
}

/// Which hosts this node may fetch documents (status lists, did:web documents, the registry)
/// from: the hosts of every registry member's `nodes` and `did:web` DIDs, read from the store
/// at each question so an imported registry takes effect at once, plus a configured list
/// (`fetch_allow_hosts`, and the subscribed registry's host). Implements
/// [`crate::fetch::AllowedHosts`]. A member is allowed whatever its standing: fetching a
/// withdrawn member's status list is harmless, and the trust check reports its standing.
pub struct MemberHosts {
    store: std::sync::Arc<dyn crate::store::Store>,
    extra: Vec<String>,
}

impl MemberHosts {
    /// Members' hosts from `store`, and `extra` (`host` or `host:port`; compared without
    /// regard to case).
    pub fn new(store: std::sync::Arc<dyn crate::store::Store>, extra: Vec<String>) -> Self {
        let extra = extra.into_iter().map(|h| h.to_ascii_lowercase()).collect();
        MemberHosts { store, extra }
    }

    /// Whether `host` (`host` or `host:port`, as in the URL) may be fetched from. A store that
    /// cannot be read allows only the configured hosts (and says so in the log).
    pub fn allows_host(&self, host: &str) -> bool {
        let host = host.to_ascii_lowercase();
        if self.extra.contains(&host) {
            return true;
        }
        match self.store.list_members() {
            Ok(members) => members.iter().any(|m| m.hosts().contains(&host)),
            Err(e) => {
                tracing::warn!(error = %e, "registry members unreadable: only configured hosts are fetched from");
                false
            }
        }
    }
}

impl crate::fetch::AllowedHosts for MemberHosts {
    fn allows(&self, host: &str) -> bool {
        self.allows_host(host)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use serde_json::json;

    fn t(y: i32, m: u32, d: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap()
    }

    fn member(id: &str, did: &str, status: AccreditationStatus) -> Member {
        Member {
            id: id.into(),
            name: format!("{id} college"),
            country: "MY".into(),
            dids: vec![did.into()],
            nodes: vec![],
            framework: "MQF".into(),
            quality_assurance: QualityAssurance {
                body: "Malaysian Qualifications Agency".into(),
                status,
                reference: None,
            },
            valid_from: t(2025, 1, 1),
            valid_until: Some(t(2027, 1, 1)),
        }
    }

    #[test]
    fn standing_follows_status_and_period() {
        use AccreditationStatus::*;
        let at = t(2026, 1, 1);
        assert!(matches!(
            member("a", "did:key:z1", Accredited).standing(at),
            TrustLookup::Trusted {
                provisional: false,
                ..
            }
        ));
        assert!(matches!(
            member("a", "did:key:z1", Provisional).standing(at),
            TrustLookup::Trusted {
                provisional: true,
                ..
            }
        ));
        for status in [Lapsed, Withdrawn] {
            match member("a", "did:key:z1", status).standing(at) {
                TrustLookup::Lapsed { why, .. } => assert!(why.ends_with(status.name()), "{why}"),
                other => panic!("{other:?}"),
            }
        }
        let m = member("a", "did:key:z1", Accredited);
        assert!(
            matches!(m.standing(t(2024, 12, 31)), TrustLookup::Lapsed { ref why, .. } if why.contains("starts on 2025-01-01"))
        );
        assert!(
            matches!(m.standing(t(2027, 1, 1)), TrustLookup::Trusted { .. }),
            "validUntil is inclusive"
        );
        assert!(
            matches!(m.standing(t(2027, 1, 2)), TrustLookup::Lapsed { ref why, .. } if why.contains("ended on 2027-01-01"))
        );
    }

    #[test]
    fn validation_names_the_problem() {
        let good = member("a", "did:key:z1", AccreditationStatus::Accredited);
        good.validate().unwrap();
        type Change = Box<dyn Fn(&mut Member)>;
        let cases: Vec<(Change, &str)> = vec![
            (Box::new(|m| m.id = "A b".into()), "slug"),
            (Box::new(|m| m.name = " ".into()), "name"),
            (Box::new(|m| m.country = "my".into()), "alpha-2"),
            (Box::new(|m| m.dids.clear()), "at least one"),
            (
                Box::new(|m| m.dids = vec!["did:key:z1#k".into()]),
                "not a DID",
            ),
            (Box::new(|m| m.dids = vec!["https://x".into()]), "not a DID"),
            (Box::new(|m| m.dids.push("did:key:z1".into())), "twice"),
            (Box::new(|m| m.framework = "".into()), "framework"),
            (Box::new(|m| m.quality_assurance.body = "".into()), "body"),
            (
                Box::new(|m| m.valid_until = Some(t(2024, 1, 1))),
                "after validFrom",
            ),
        ];
        for (change, expected) in cases {
            let mut m = good.clone();
            change(&mut m);
            let err = m.validate().unwrap_err().to_string();
            assert!(err.contains(expected), "{err} should mention {expected}");
        }
    }

    #[test]
    fn a_did_belongs_to_one_member() {
        let mut r = Registry::default();
        assert!(r
            .upsert(member("a", "did:key:z1", AccreditationStatus::Accredited))
            .unwrap());
        assert!(!r
            .upsert(member("a", "did:key:z1", AccreditationStatus::Lapsed))
            .unwrap());
        assert_eq!(
            r.upsert(member("b", "did:key:z1", AccreditationStatus::Accredited)),
            Err(RegistryError::DidTaken {
                did: "did:key:z1".into(),
                member: "a".into()
            })
        );
        assert!(Registry::new(vec![
            member("a", "did:key:z1", AccreditationStatus::Accredited),
            member("b", "did:key:z1", AccreditationStatus::Accredited),
        ])
        .is_err());
        assert_eq!(
            r.lookup("did:key:z9", t(2026, 1, 1)),
            Ok(TrustLookup::NotListed)
        );
        assert!(r.remove("a").is_some());
        assert!(r.remove("a").is_none());
    }

    #[test]
    fn node_origins_are_https_origins() {
        for good in [
            "https://skillpass.kpm.edu.my",
            "https://a.example:8443",
            "https://192.0.2.7",
            "https://[2001:db8::1]:8443",
            "http://127.0.0.1:8081",
            "http://[::1]:9000",
            "http://localhost:8080",
        ] {
            assert_eq!(check_origin(good), Ok(()), "{good}");
        }
        for (bad, why) in [
            ("skillpass.kpm.edu.my", "https origin"),
            ("ftp://a.example", "https origin"),
            ("https://a.example/", "without a path"),
            ("https://a.example/status", "without a path"),
            ("https://a.example?x", "without a path"),
            ("https://user@a.example", "without a path"),
            ("https://", "without a path"),
            ("https://A.example", "lower-case"),
            ("https://a_b.example", "lower-case"),
            ("https://a.example:443", "default port"),
            ("https://a.example:0", "invalid port"),
            ("https://a.example:99999", "invalid port"),
            ("https://a.example:", "invalid port"),
            ("https://[zz]:1", "IPv6"),
            ("http://a.example", "must use https"),
            ("http://10.0.0.1:8080", "must use https"),
        ] {
            let err = check_origin(bad).unwrap_err();
            assert!(err.contains(why), "{bad}: {err}");
        }
        let mut m = member("a", "did:key:z1", AccreditationStatus::Accredited);
        m.nodes = vec!["https://a.example/".into()];
        assert!(m.validate().unwrap_err().to_string().contains("node"));
        m.nodes = vec!["https://a.example".into(), "https://a.example".into()];
        assert!(m.validate().unwrap_err().to_string().contains("twice"));
    }

    #[test]
    fn a_members_hosts_come_from_its_nodes_and_did_web_dids() {
        assert_eq!(
            did_web_host("did:web:Node.example%3A8443:institutions:kpm").as_deref(),
            Some("node.example:8443")
        );
        assert_eq!(
            did_web_host("did:web:a.example").as_deref(),
            Some("a.example")
        );
        assert_eq!(
            did_web_host("did:web:a.example%3A443").as_deref(),
            Some("a.example")
        );
        assert_eq!(did_web_host("did:key:z6Mk"), None);
        assert_eq!(did_web_host("did:web:a%2Fb"), None);
        let mut m = member("a", "did:web:b.example", AccreditationStatus::Accredited);
        m.dids.push("did:key:z1".into());
        m.nodes = vec!["https://a.example".into(), "http://127.0.0.1:8081".into()];
        assert_eq!(m.hosts(), ["127.0.0.1:8081", "a.example", "b.example"]);
    }

    #[test]
    fn nodes_are_left_out_when_there_are_none() {
        let mut m = member("a", "did:key:z1", AccreditationStatus::Accredited);
        assert!(serde_json::to_value(&m).unwrap().get("nodes").is_none());
        m.nodes = vec!["https://a.example".into()];
        let v = serde_json::to_value(&m).unwrap();
        assert_eq!(v["nodes"], json!(["https://a.example"]));
        assert_eq!(serde_json::from_value::<Member>(v).unwrap(), m);
    }

    #[test]
    fn member_json_is_camel_case_and_strict() {
        let m = member("a", "did:key:z1", AccreditationStatus::Provisional);
        let v = serde_json::to_value(&m).unwrap();
        assert_eq!(v["qualityAssurance"]["status"], "provisional");
        assert_eq!(v["validFrom"], "2025-01-01T00:00:00Z");
        assert!(v["qualityAssurance"].get("reference").is_none());
        let mut bad = v.clone();
        bad["qualityAssurance"]["status"] = "pending".into();
        assert!(serde_json::from_value::<Member>(bad).is_err());
        let mut extra = v;
        extra["accredited"] = true.into();
        assert!(serde_json::from_value::<Member>(extra).is_err());
    }
}

//! The verifier: every check a relying party needs, in one report.
//!
//! [`verify`] keeps two outcomes apart. A forged, altered, expired or mis-bound credential is a
//! normal answer: `Ok(report)` with `verified: false` and the named reasons. Only "could not
//! check" — an unknown JSON-LD context, a DID that cannot be resolved, an unsupported suite — is
//! a [`VerifyError`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::canon::CanonError;
use crate::contexts::ContextRegistry;
use crate::data_model;
pub use crate::data_model::has_type;
use crate::did::{DidKeyResolver, DidResolver};
use crate::proof::{self, ProofCheck, ProofError};
use crate::registry::{TrustLookup, TrustRegistry};
use crate::schema;
use crate::status;

/// What to verify against.
#[derive(Clone)]
pub struct VerifyOptions {
    /// The moment validity windows are checked at.
    pub now: DateTime<Utc>,
    /// The challenge a presentation must carry (the verifier chose it).
    pub challenge: Option<String>,
    /// The domain a presentation must be bound to.
    pub domain: Option<String>,
    pub contexts: ContextRegistry,
    pub resolver: Arc<dyn DidResolver>,
    /// Where `credentialStatus` lists come from; without one, a credential with a status entry
    /// cannot be checked.
    pub status_lists: Option<Arc<dyn StatusLists>>,
    /// The alliance trust registry; with one, a credential's report gains a
    /// [`CheckName::Trust`] check on its issuer (at `now`). Without one, no trust check runs.
    pub trust: Option<Arc<dyn TrustRegistry>>,
    /// Which policy checks decide `verified` (the rest are reported as warnings).
    pub policy: Policy,
    /// Status lists already verified, so a list served from a cache is checked once per copy
    /// rather than once per credential; `None` checks every list every time.
    pub verified_lists: Option<Arc<VerifiedLists>>,
}

/// Status list credentials that verified, remembered by their very document (the same `Arc`
/// a cache hands out), with the time they were checked at.
///
/// A list is remembered only when nothing in its verdict depends on the time beyond its
/// `validFrom` (no `validUntil` / `expirationDate`, no proof `expires`): it then holds at any
/// later time. Only the same allocation counts — a refetched or re-signed list is a new `Arc`
/// and is checked again — so a remembered verdict lives no longer than the copy it is about.
#[derive(Default)]
pub struct VerifiedLists {
    /// By URL: the copy that verified, and when.
    lists: Mutex<HashMap<String, VerifiedCopy>>,
}

/// A status list copy that verified, and the time it was checked at.
type VerifiedCopy = (Arc<Value>, DateTime<Utc>);

impl VerifiedLists {
    /// At most this many lists are remembered; past it, all are forgotten at once.
    const CAPACITY: usize = 4096;

    /// Whether `list`, read from `url`, was verified (at a time not after `now`).
    fn holds(&self, url: &str, list: &Arc<Value>, now: DateTime<Utc>) -> bool {
        let lists = self.lists.lock().expect("verified lists");
        lists
            .get(url)
            .is_some_and(|(known, at)| Arc::ptr_eq(known, list) && *at <= now)
    }

    /// Remembers that `list` verified at `now`, when that cannot change later.
    fn remember(&self, url: &str, list: &Arc<Value>, now: DateTime<Utc>) {
        let timed = ["validUntil", "expirationDate"]
            .iter()
            .any(|member| list.get(*member).is_some())
            || match list.get("proof") {
                Some(Value::Array(proofs)) => proofs.iter().any(|p| p.get("expires").is_some()),
                Some(proof) => proof.get("expires").is_some(),
                None => true,
            };
        if timed {
            return;
        }
        let mut lists = self.lists.lock().expect("verified lists");
        if lists.len() >= Self::CAPACITY && !lists.contains_key(url) {
            lists.clear();
        }
        lists.insert(url.to_owned(), (list.clone(), now));
    }
}

/// The checks that are about the relying party's policy rather than the document itself.
///
/// Whether a credential is genuine (proof, data model, validity, status) is one question;
/// whether its issuer is an alliance member in good standing, or whether a presentation's
/// holder is the subject of its credentials, is what a particular relying party requires.
/// A required policy check that fails makes the document fail; one that is not required and
/// fails is reported in [`VerificationReport::warnings`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    /// The issuer must be a member in good standing of the alliance registry
    /// ([`CheckName::Trust`]; only when a registry is given).
    pub require_trusted_issuer: bool,
    /// Every credential in a presentation must be about the holder who signed it
    /// ([`CheckName::HolderBinding`]).
    pub require_holder_binding: bool,
}

impl Policy {
    /// Both required: what skillpass's own decisions (the employer page, recognition) use.
    pub const STRICT: Policy = Policy {
        require_trusted_issuer: true,
        require_holder_binding: true,
    };
    /// Neither required: the VC-API's notion of "verified" (the credential itself holds).
    pub const DOCUMENT_ONLY: Policy = Policy {
        require_trusted_issuer: false,
        require_holder_binding: false,
    };
}

impl Default for Policy {
    fn default() -> Self {
        Policy::STRICT
    }
}

/// A source of status list credentials (`BitstringStatusListCredential`), by URL.
///
/// An `Err` is "could not check" (the list could not be read: the issuer's node is down, the
/// address is refused…), never "invalid"; its text says which list and why.
pub trait StatusLists: Send + Sync {
    /// The list credential published at `url`, or `None` when there is none.
    fn fetch(&self, url: &str) -> Result<Option<Value>, String>;

    /// The list and where it came from, which the report shows ([`VerificationReport::sources`]).
    /// The default calls [`StatusLists::fetch`] and says [`Origin::Given`]; a source that
    /// fetches or caches overrides it.
    fn fetch_with_origin(&self, url: &str) -> Result<Option<(Arc<Value>, Origin)>, String> {
        Ok(self.fetch(url)?.map(|list| (Arc::new(list), Origin::Given)))
    }
}

/// Where a status list the verifier read came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(
    tag = "from",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Origin {
    /// This service's own store: a list of one of its own institutions, current to the moment.
    OwnStore,
    /// Handed to the verifier by its caller (`--status-list FILE`), or by a source that does not
    /// say where it got it.
    Given,
    /// Fetched from the issuer's node just now.
    Fetched { at: DateTime<Utc> },
    /// A copy fetched `age_secs` ago and still fresh (by the list's `ttl`, `validUntil` or the
    /// node's `Cache-Control`).
    Cache {
        fetched_at: DateTime<Utc>,
        age_secs: u64,
    },
    /// The issuer's node could not be reached (`error` says why): the last good copy, fetched
    /// `age_secs` ago. A revocation made since then is not seen.
    Stale {
        fetched_at: DateTime<Utc>,
        age_secs: u64,
        error: String,
    },
}

impl Origin {
    /// When the answer was current: now for the own store, else when the list was fetched.
    pub fn as_of(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            Origin::OwnStore => Some(now),
            Origin::Given => None,
            Origin::Fetched { at } => Some(*at),
            Origin::Cache { fetched_at, .. } | Origin::Stale { fetched_at, .. } => {
                Some(*fetched_at)
            }
        }
    }
}

/// One document the report relies on, and where it came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Provenance {
    /// The status list's URL.
    pub url: String,
    #[serde(flatten)]
    pub origin: Origin,
}

/// Status list credentials given up front (e.g. `skillpass verify --status-list FILE`), by `id`.
#[derive(Default)]
pub struct LocalStatusLists(pub HashMap<String, Value>);

impl StatusLists for LocalStatusLists {
    fn fetch(&self, url: &str) -> Result<Option<Value>, String> {
        Ok(self.0.get(url).cloned())
    }
}

/// Lists given up front first (they override), then `fallback` (e.g. the fetcher) for the rest.
pub struct LayeredStatusLists {
    pub given: LocalStatusLists,
    pub fallback: Option<Arc<dyn StatusLists>>,
}

impl StatusLists for LayeredStatusLists {
    fn fetch(&self, url: &str) -> Result<Option<Value>, String> {
        Ok(self
            .fetch_with_origin(url)?
            .map(|(list, _)| Arc::unwrap_or_clone(list)))
    }

    fn fetch_with_origin(&self, url: &str) -> Result<Option<(Arc<Value>, Origin)>, String> {
        if let Some(list) = self.given.0.get(url) {
            return Ok(Some((Arc::new(list.clone()), Origin::Given)));
        }
        match &self.fallback {
            Some(next) => next.fetch_with_origin(url),
            None => Ok(None),
        }
    }
}

impl VerifyOptions {
    /// Bundled contexts, offline did:key resolution, no presentation challenge.
    pub fn new(now: DateTime<Utc>) -> Self {
        VerifyOptions {
            now,
            challenge: None,
            domain: None,
            contexts: ContextRegistry::bundled(),
            resolver: Arc::new(DidKeyResolver),
            status_lists: None,
            trust: None,
            policy: Policy::STRICT,
            verified_lists: None,
        }
    }
}

/// Could not check the document at all.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("could not check the proof: {0}")]
    Proof(#[from] ProofError),
    #[error("could not check the credential's status: {0}")]
    Status(String),
}

/// Whether the document is a credential or a presentation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DocumentKind {
    Credential,
    Presentation,
}

/// The name of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum CheckName {
    /// The VC / VP data model's structural rules.
    DataModel,
    /// Every proof's signature over the document.
    Proof,
    /// The proof was made for the purpose the document needs.
    ProofPurpose,
    /// The verification method is controlled by the issuer.
    IssuerBinding,
    /// `validFrom`/`validUntil` (VC 2.0) or `issuanceDate`/`expirationDate` (VC 1.1).
    ValidityWindow,
    /// The Open Badges 3.0 AchievementCredential JSON Schema.
    Schema,
    /// Bitstring Status List entries: not revoked, not suspended.
    Status,
    /// A presentation's proof carries the verifier's challenge.
    Challenge,
    /// A presentation's proof is bound to the verifier's domain.
    Domain,
    /// The presentation is signed by the subject of the credentials it carries.
    HolderBinding,
    /// Every credential inside a presentation verifies.
    Credentials,
    /// The credential's issuer is a member in good standing of the alliance trust registry
    /// (`"issuer unknown"` when it is not listed, distinct from an altered or revoked credential).
    Trust,
}

/// One check and its outcome.
#[derive(Clone, Debug, Serialize)]
pub struct Check {
    pub check: CheckName,
    pub verified: bool,
    /// Why the check failed; empty when it passed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
    /// What a relying party should know although the check passed (e.g. the issuer's
    /// accreditation is provisional); empty for most checks.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// Every check run on a document, and the verdict.
#[derive(Clone, Debug, Serialize)]
pub struct VerificationReport {
    /// True only when every check passed.
    pub verified: bool,
    pub kind: DocumentKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The credential's issuer or the presentation's holder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    pub checks: Vec<Check>,
    /// The proofs as read, for display and debugging.
    pub proofs: Vec<ProofCheck>,
    /// The reports of a presentation's credentials.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub credentials: Vec<VerificationReport>,
    /// Policy checks that failed but were not required (see [`Policy`]): they do not change
    /// `verified`, and a relying party should read them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Check>,
    /// Where each status list the status check read came from: the own store, fetched from
    /// the issuer's node now, a fresh cached copy (with its age), or the last good copy when
    /// the issuer's node could not be reached (with its age and why). Empty when no list was
    /// read. A list that could not be read at all is an error ("could not check"), not here.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<Provenance>,
}

impl VerificationReport {
    /// The check named `name`, if it was run.
    pub fn check(&self, name: CheckName) -> Option<&Check> {
        self.checks.iter().find(|c| c.check == name)
    }

    /// Every failure reason, prefixed with its check's name.
    pub fn reasons(&self) -> Vec<String> {
        prefixed_reasons(&self.checks)
    }

    /// Every warning (a policy check that failed without being required), prefixed likewise.
    pub fn warning_reasons(&self) -> Vec<String> {
        prefixed_reasons(&self.warnings)
    }
}

fn prefixed_reasons(checks: &[Check]) -> Vec<String> {
    checks
        .iter()
        .flat_map(|c| c.reasons.iter().map(move |r| format!("{:?}: {r}", c.check)))
        .collect()
}

/// Files a policy check: among the checks when required (or passed), else as a warning.
fn policy_check(checks: &mut Vec<Check>, warnings: &mut Vec<Check>, required: bool, c: Check) {
    if required || c.verified {
        checks.push(c);
    } else {
        warnings.push(c);
    }
}

/// Verifies a credential or, when its `type` says so, a presentation.
pub fn verify(
    document: &Value,
    options: &VerifyOptions,
) -> Result<VerificationReport, VerifyError> {
    if has_type(document, "VerifiablePresentation") {
        verify_presentation(document, options)
    } else {
        verify_credential(document, options)
    }
}

fn verify_credential(
    doc: &Value,
    options: &VerifyOptions,
) -> Result<VerificationReport, VerifyError> {
    let mut checks = Vec::new();
    let mut warnings = Vec::new();
    let issuer = id_of(doc.get("issuer"));

    let model = data_model::check_credential(doc);
    let version = model.version;
    checks.push(check(CheckName::DataModel, model.reasons()));

    let proofs = run_proofs(doc, options, &mut checks)?;
    checks.push(purpose_check(&proofs, "assertionMethod"));
    if !proofs.is_empty() {
        checks.push(issuer_binding(&proofs, issuer.as_deref()));
    }

    checks.push(check(
        CheckName::ValidityWindow,
        validity_window(doc, version, options.now),
    ));

    let mut sources = Vec::new();
    if doc.get("credentialStatus").is_some() {
        let (reasons, provenance) = status_check(doc, issuer.as_deref(), options)?;
        let mut status = check(CheckName::Status, reasons);
        status.notes = provenance.iter().filter_map(stale_note).collect();
        checks.push(status);
        sources = provenance;
    }

    if let (Some(registry), Some(issuer)) = (&options.trust, &issuer) {
        policy_check(
            &mut checks,
            &mut warnings,
            options.policy.require_trusted_issuer,
            trust_check(registry.as_ref(), issuer, options.now),
        );
    }

    if has_type(doc, "OpenBadgeCredential") || has_type(doc, "AchievementCredential") {
        let reasons = match schema::validate_ob3(doc) {
            Ok(()) => Vec::new(),
            Err(violations) => violations.iter().map(ToString::to_string).collect(),
        };
        checks.push(check(CheckName::Schema, reasons));
    }

    let mut report = report(
        DocumentKind::Credential,
        doc,
        issuer,
        checks,
        proofs,
        Vec::new(),
    );
    report.warnings = warnings;
    report.sources = sources;
    Ok(report)
}

/// The note a status check carries when it relied on a stale copy of a list.
fn stale_note(p: &Provenance) -> Option<String> {
    match &p.origin {
        Origin::Stale {
            fetched_at,
            age_secs,
            error,
        } => Some(format!(
            "status list {} could not be fetched ({error}); the last good copy, fetched at {} ({age_secs} s ago), was used: a change of status since then is not seen",
            p.url,
            fetched_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        )),
        _ => None,
    }
}

/// The issuer must have made at least one of the proofs (with a key it controls); other
/// proofs (a proof set, e.g. an accreditation body's countersignature) are named in the notes.
fn issuer_binding(proofs: &[ProofCheck], issuer: Option<&str>) -> Check {
    let Some(issuer) = issuer else {
        return check(CheckName::IssuerBinding, Vec::new());
    };
    let controllers: Vec<&str> = proofs
        .iter()
        .filter_map(|p| p.controller.as_deref())
        .collect();
    let mut result = if controllers.is_empty() || controllers.contains(&issuer) {
        check(CheckName::IssuerBinding, Vec::new())
    } else {
        check(
            CheckName::IssuerBinding,
            controllers
                .iter()
                .map(|c| {
                    format!("the proof's key is controlled by {c}, not by the issuer {issuer}")
                })
                .collect(),
        )
    };
    if result.verified {
        let mut others: Vec<&str> = controllers.into_iter().filter(|c| *c != issuer).collect();
        others.dedup();
        for other in others {
            result.notes.push(format!(
                "also signed by {other} (a proof besides the issuer's)"
            ));
        }
    }
    result
}

fn verify_presentation(
    doc: &Value,
    options: &VerifyOptions,
) -> Result<VerificationReport, VerifyError> {
    let mut checks = Vec::new();
    let mut warnings = Vec::new();
    let holder = id_of(doc.get("holder"));

    checks.push(check(
        CheckName::DataModel,
        data_model::check_presentation(doc).reasons(),
    ));

    let proofs = run_proofs(doc, options, &mut checks)?;
    checks.push(purpose_check(&proofs, "authentication"));
    checks.push(check(
        CheckName::Challenge,
        compare_bound_value(
            "challenge",
            options.challenge.as_deref(),
            proofs
                .iter()
                .map(|p| p.challenge.clone().into_iter().collect()),
        ),
    ));
    if options.domain.is_some() || proofs.iter().any(|p| !p.domain.is_empty()) {
        checks.push(check(
            CheckName::Domain,
            compare_bound_value(
                "domain",
                options.domain.as_deref(),
                proofs.iter().map(|p| p.domain.clone()),
            ),
        ));
    }

    let embedded: Vec<&Value> = match doc.get("verifiableCredential") {
        None => Vec::new(),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
    };
    let mut credential_reports = Vec::new();
    for vc in &embedded {
        // Credentials are checked on their own terms: no challenge, no domain.
        let inner = VerifyOptions {
            challenge: None,
            domain: None,
            ..options.clone()
        };
        credential_reports.push(verify_credential(vc, &inner)?);
    }
    let failed: Vec<String> = credential_reports
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.verified)
        .map(|(i, r)| {
            format!(
                "verifiableCredential[{i}] does not verify: {}",
                r.reasons().join("; ")
            )
        })
        .collect();
    checks.push(check(CheckName::Credentials, failed));

    let mut binding = Vec::new();
    let signers: Vec<&str> = proofs
        .iter()
        .filter_map(|p| p.controller.as_deref())
        .collect();
    if let Some(holder) = &holder {
        for signer in &signers {
            if signer != holder {
                binding.push(format!(
                    "the presentation is signed by {signer}, not by its holder {holder}"
                ));
            }
        }
    }
    for (i, vc) in embedded.iter().enumerate() {
        for subject in subject_ids(vc) {
            if !signers.iter().any(|s| *s == subject) {
                binding.push(format!(
                    "verifiableCredential[{i}] is about {subject}, who did not sign the presentation"
                ));
            }
        }
        if subject_ids(vc).is_empty() {
            binding.push(format!(
                "verifiableCredential[{i}] has no subject id, so it cannot be bound to the holder"
            ));
        }
    }
    policy_check(
        &mut checks,
        &mut warnings,
        options.policy.require_holder_binding,
        check(CheckName::HolderBinding, binding),
    );
    // The credentials' own warnings are the presentation's too.
    for (i, r) in credential_reports.iter().enumerate() {
        for w in &r.warnings {
            let mut w = w.clone();
            w.reasons = w
                .reasons
                .iter()
                .map(|reason| format!("verifiableCredential[{i}]: {reason}"))
                .collect();
            warnings.push(w);
        }
    }

    let mut report = report(
        DocumentKind::Presentation,
        doc,
        holder,
        checks,
        proofs,
        credential_reports,
    );
    report.warnings = warnings;
    Ok(report)
}

/// Runs the proof check; canonicalization refusals are findings (the document holds content a
/// signature cannot cover), everything else that stops the check is an error.
fn run_proofs(
    doc: &Value,
    options: &VerifyOptions,
    checks: &mut Vec<Check>,
) -> Result<Vec<ProofCheck>, VerifyError> {
    match proof::verify_proofs(
        doc,
        options.resolver.as_ref(),
        &options.contexts,
        options.now,
    ) {
        Ok(proofs) => {
            let mut reasons: Vec<String> = proofs.iter().flat_map(|p| p.failures.clone()).collect();
            if proofs.is_empty() {
                reasons.push("the document has no proof".into());
            }
            checks.push(check(CheckName::Proof, reasons));
            Ok(proofs)
        }
        Err(e) => match unsigned_content(&e) {
            Some(reason) => {
                checks.push(check(CheckName::Proof, vec![reason]));
                Ok(Vec::new())
            }
            None => Err(e.into()),
        },
    }
}

/// The reason to report when a proof check stopped because the document holds content that no
/// signature covers; `None` when the check could not be run for another cause.
fn unsigned_content(e: &ProofError) -> Option<String> {
    match e {
        ProofError::Canon(c) if !matches!(c, CanonError::UnknownContext { .. }) => Some(format!(
            "the document holds content no signature can cover: {c}"
        )),
        ProofError::Jcs(j) => Some(format!("the document cannot be canonicalized: {j}")),
        _ => None,
    }
}

/// Reads each status entry's list, verifies the list (signature, issuer = the credential's
/// issuer, validity), and reports set bits as "revoked" or "suspended".
fn status_check(
    doc: &Value,
    issuer: Option<&str>,
    options: &VerifyOptions,
) -> Result<(Vec<String>, Vec<Provenance>), VerifyError> {
    // A status mechanism other than a Bitstring Status List is not wrong, only one skillpass
    // cannot consult: "could not check", not "invalid".
    let items: Vec<&Value> = match doc.get("credentialStatus") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    };
    for (i, item) in items.iter().enumerate() {
        let typed = item.get("type").is_some();
        if typed && item.is_object() && !has_type(item, "BitstringStatusListEntry") {
            return Err(VerifyError::Status(format!(
                "credentialStatus[{i}] is of type {}, a status mechanism skillpass cannot consult",
                item["type"]
            )));
        }
    }
    let entries = match status::parse_entries(doc) {
        Ok(entries) => entries,
        Err(e) => {
            return Ok((
                vec![format!("credentialStatus is malformed: {e}")],
                Vec::new(),
            ))
        }
    };
    let source = options.status_lists.as_ref().ok_or_else(|| {
        VerifyError::Status(
            "no status lists available (pass --status-list FILE, or let the verifier fetch them)"
                .into(),
        )
    })?;
    let Some(issuer) = issuer else {
        return Ok((
            vec!["the credential has no issuer to check its status lists against".into()],
            Vec::new(),
        ));
    };
    let mut reasons = Vec::new();
    let mut sources: Vec<Provenance> = Vec::new();
    for entry in entries {
        let (list, origin) = source
            .fetch_with_origin(&entry.list_url)
            .map_err(VerifyError::Status)?
            .ok_or_else(|| {
                VerifyError::Status(format!("status list {} not found", entry.list_url))
            })?;
        if !sources.iter().any(|p| p.url == entry.list_url) {
            sources.push(Provenance {
                url: entry.list_url.clone(),
                origin,
            });
        }
        // The list is itself a credential: check it, but not its own status (lists have none,
        // and following one would let a list point at itself).
        if list.get("credentialStatus").is_some() {
            reasons.push(format!(
                "status list {} has a status of its own",
                entry.list_url
            ));
            continue;
        }
        let memo = options.verified_lists.as_deref();
        if !memo.is_some_and(|m| m.holds(&entry.list_url, &list, options.now)) {
            // Nor its issuer's standing: that is the credential's own trust check.
            let inner = VerifyOptions {
                status_lists: None,
                trust: None,
                verified_lists: None,
                ..options.clone()
            };
            let list_report = verify_credential(&list, &inner)?;
            if !list_report.verified {
                reasons.push(format!(
                    "status list {} does not verify: {}",
                    entry.list_url,
                    list_report.reasons().join("; ")
                ));
                continue;
            }
            if let Some(memo) = memo {
                memo.remember(&entry.list_url, &list, options.now);
            }
        }
        match status::check_entry(&list, &entry, issuer) {
            Ok(false) => {}
            Ok(true) => reasons.push(match entry.purpose {
                status::StatusPurpose::Revocation => "revoked by its issuer".to_owned(),
                status::StatusPurpose::Suspension => "suspended by its issuer".to_owned(),
            }),
            Err(e) => reasons.push(format!("status list {}: {e}", entry.list_url)),
        }
    }
    Ok((reasons, sources))
}

/// Looks the issuer up in the alliance registry at `now` (the verification time, not the
/// credential's own `validFrom`, which its issuer could backdate to a time it was accredited).
fn trust_check(registry: &dyn TrustRegistry, issuer: &str, now: DateTime<Utc>) -> Check {
    match registry.lookup(issuer, now) {
        Ok(TrustLookup::Trusted {
            member,
            provisional,
        }) => {
            let mut passed = check(CheckName::Trust, Vec::new());
            if provisional {
                passed.notes.push(format!(
                    "provisional accreditation: {issuer} is {} ({}), whose accreditation by {} is provisional",
                    member.name, member.id, member.quality_assurance.body
                ));
            }
            passed
        }
        Ok(TrustLookup::NotListed) => check(
            CheckName::Trust,
            vec![format!(
                "issuer unknown: {issuer} is not a member of the alliance registry"
            )],
        ),
        Ok(TrustLookup::Lapsed { why, .. }) => check(
            CheckName::Trust,
            vec![format!("issuer not in good standing: {why}")],
        ),
        Err(e) => check(
            CheckName::Trust,
            vec![format!("the alliance registry could not be consulted: {e}")],
        ),
    }
}

fn purpose_check(proofs: &[ProofCheck], expected: &str) -> Check {
    let reasons = proofs
        .iter()
        .filter(|p| p.proof_purpose.as_deref() != Some(expected))
        .map(|p| {
            format!(
                "proofPurpose is {:?}; this document needs {expected:?}",
                p.proof_purpose.as_deref().unwrap_or("(none)")
            )
        })
        .collect();
    check(CheckName::ProofPurpose, reasons)
}

/// Compares a presentation proof's challenge or domain with what the verifier expects.
fn compare_bound_value(
    what: &str,
    expected: Option<&str>,
    found: impl Iterator<Item = Vec<String>>,
) -> Vec<String> {
    let mut reasons = Vec::new();
    for values in found {
        match expected {
            Some(want) if values.iter().any(|v| v == want) => {}
            Some(want) if values.is_empty() => {
                reasons.push(format!("the proof has no {what}; expected {want:?}"))
            }
            Some(want) => reasons.push(format!(
                "the proof's {what} {values:?} is not the expected {want:?}"
            )),
            None if values.is_empty() && what == "challenge" => reasons.push(
                "no challenge: a presentation without one can be replayed (the verifier must supply it)"
                    .into(),
            ),
            None => reasons.push(format!(
                "the proof carries {what} {values:?} but no expected {what} was given to compare it with"
            )),
        }
    }
    reasons
}

/// The validity window of a credential of `version` (VC 2.0's members when it is unknown). A VC
/// 1.1 credential without `issuanceDate` is the data model check's finding, not this one's.
fn validity_window(
    doc: &Value,
    version: Option<data_model::Version>,
    now: DateTime<Utc>,
) -> Vec<String> {
    let (from, until) = version
        .unwrap_or(data_model::Version::V2)
        .validity_members();
    let mut reasons = Vec::new();
    let mut parse = |field: &str| -> Option<DateTime<Utc>> {
        let raw = doc.get(field)?;
        match raw.as_str().map(DateTime::parse_from_rfc3339) {
            Some(Ok(t)) => Some(t.with_timezone(&Utc)),
            _ => {
                reasons.push(format!(
                    "{field} {raw} is not an XML Schema dateTime with a time zone"
                ));
                None
            }
        }
    };
    let start = parse(from);
    let end = parse(until);
    if let Some(start) = start {
        if now < start {
            reasons.push(format!("not yet valid: valid from {}", start.to_rfc3339()));
        }
    }
    if let Some(end) = end {
        if now > end {
            reasons.push(format!("expired: valid until {}", end.to_rfc3339()));
        }
    }
    reasons
}

fn check(name: CheckName, reasons: Vec<String>) -> Check {
    Check {
        check: name,
        verified: reasons.is_empty(),
        reasons,
        notes: Vec::new(),
    }
}

fn report(
    kind: DocumentKind,
    doc: &Value,
    issuer: Option<String>,
    checks: Vec<Check>,
    proofs: Vec<ProofCheck>,
    credentials: Vec<VerificationReport>,
) -> VerificationReport {
    VerificationReport {
        verified: checks.iter().all(|c| c.verified),
        kind,
        id: doc.get("id").and_then(Value::as_str).map(str::to_owned),
        issuer,
        checks,
        proofs,
        credentials,
        warnings: Vec::new(),
        sources: Vec::new(),
    }
}

/// `"x"` or `{"id": "x", …}` → `x`.
pub(crate) fn id_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.clone()),
        Value::Object(m) => m.get("id").and_then(Value::as_str).map(str::to_owned),
        _ => None,
    }
}

fn subject_ids(vc: &Value) -> Vec<String> {
    match vc.get("credentialSubject") {
        Some(Value::Array(items)) => items.iter().filter_map(|s| id_of(Some(s))).collect(),
        Some(one) => id_of(Some(one)).into_iter().collect(),
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_verified_list_is_remembered_by_its_very_copy_and_only_when_time_cannot_change_it() {
        let t0: DateTime<Utc> = "2026-12-01T00:00:00Z".parse().unwrap();
        let later = t0 + chrono::Duration::hours(1);
        let memo = VerifiedLists::default();
        let list = Arc::new(
            json!({"id": "https://a.example/status/1", "proof": {"type": "DataIntegrityProof"}}),
        );
        assert!(!memo.holds("u", &list, t0));
        memo.remember("u", &list, t0);
        assert!(memo.holds("u", &list, t0));
        assert!(memo.holds("u", &list, later));
        // Not before the time it was checked at, not under another URL, not another copy.
        assert!(!memo.holds("u", &list, t0 - chrono::Duration::seconds(1)));
        assert!(!memo.holds("v", &list, later));
        let copy = Arc::new(Value::clone(&list));
        assert!(!memo.holds("u", &copy, later));
        // A new copy replaces the old one.
        memo.remember("u", &copy, later);
        assert!(!memo.holds("u", &list, later));

        // Lists whose verdict can expire, or without a proof, are never remembered.
        for timed in [
            json!({"validUntil": "2027-01-01T00:00:00Z", "proof": {}}),
            json!({"expirationDate": "2027-01-01T00:00:00Z", "proof": {}}),
            json!({"proof": {"expires": "2027-01-01T00:00:00Z"}}),
            json!({"proof": [{}, {"expires": "2027-01-01T00:00:00Z"}]}),
            json!({}),
        ] {
            let timed = Arc::new(timed);
            memo.remember("w", &timed, t0);
            assert!(!memo.holds("w", &timed, t0), "{timed}");
        }
    }
}

//! Recognition decisions: one answer — `recognised`, `recognised-with-conditions`,
//! `cannot-be-decided-automatically` or `not-recognised` — from a verification report and a
//! level/credit assessment, with reasons in
//! plain language organised by the Lisbon Recognition Convention's "substantial differences"
//! elements (level, workload, quality assurance, learning outcomes, profile), plus the
//! authenticity and validity of the document itself.
//!
//! - [`decide`]: the rules (pure: report + assessment + credential → [`Decision`]).
//! - [`recognise`]: verify, assess and decide in one call (what `POST /recognitions` and
//!   `skillpass recognise` run).
//! - [`decision_credential`]: the decision as an unsigned VC 2.0 `CreditTransferDecision` that
//!   the receiving institution signs (through [`crate::service::Service::issue`]).
//!
//! `skillpass recognise` (`crate::cli`) runs [`recognise`] on files.
//!
//! Every [`Reason`] names its element, its effect on the outcome, a stable finding code, one
//! sentence, and the evidence it came from (a check of the verification report, a part of the
//! assessment, or a place in the credential). The rules are listed in `docs/RECOGNITION.md`,
//! section "Decisions"; each finding's element and effect are fixed ([`Finding::element`],
//! [`Finding::effect`]).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::contexts::CREDENTIALS_V2;
use crate::frameworks::{num, FrameworkRegistry, Status};
use crate::recognition::{
    assess, Assessment, CreditOutcome, HoursSource, LevelMapping, LevelRef, MappingOutcome,
    QueryError, Range, RecognitionRequest,
};
use crate::verify::{
    self, has_type, id_of, CheckName, DocumentKind, VerificationReport, VerifyError, VerifyOptions,
};
use crate::vocab;

/// The `type` of a decision credential (next to `VerifiableCredential`), as a full IRI: a term
/// would need an inline context at the top of the document, and an object there breaks
/// eddsa-jcs-2022 in Digital Bazaar's verifier (`docs/ARCHITECTURE.md`, "Portable credentials").
pub const DECISION_CREDENTIAL_TYPE: &str =
    "https://w3id.org/skillpass/vocab#CreditTransferDecision";

/// The type term of decision credentials issued with the skillpass v1 context.
const V1_DECISION_CREDENTIAL_TYPE: &str = "CreditTransferDecision";

/// Whether `vc` is a recognition decision credential (of either generation).
pub fn is_decision_credential(vc: &Value) -> bool {
    has_type(vc, DECISION_CREDENTIAL_TYPE) || has_type(vc, V1_DECISION_CREDENTIAL_TYPE)
}

/// The `type` of a decision credential's `credentialSubject`.
pub const DECISION_SUBJECT_TYPE: &str = "RecognitionDecision";

/// Alignment target types read as learning outcomes (OB 3.0 `AlignmentTargetType` values that
/// name a competency).
pub const OUTCOME_TARGET_TYPES: &[&str] = &["ceasn:Competency", "CFItem"];

// ------------------------------------------------------------------------------------------
// The decision as data
// ------------------------------------------------------------------------------------------

/// The one answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Every element is met.
    Recognised,
    /// No element stands in the way, but at least one is met only under a condition.
    RecognisedWithConditions,
    /// Nothing stands in the way, but the data cannot settle an element (a referencing link
    /// is missing, the credential states no level): a person must decide it. Never read as a
    /// refusal — the gap is in the data, not in the learner's achievement.
    CannotBeDecidedAutomatically,
    /// At least one element is not met (a substantial difference, or the document fails).
    NotRecognised,
}

impl Outcome {
    /// The value written in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Recognised => "recognised",
            Outcome::RecognisedWithConditions => "recognised-with-conditions",
            Outcome::CannotBeDecidedAutomatically => "cannot-be-decided-automatically",
            Outcome::NotRecognised => "not-recognised",
        }
    }
}

/// What a reason is about: the Lisbon Recognition Convention's elements of "substantial
/// differences", preceded by the document's own authenticity and validity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Element {
    /// The document is genuine (signature, issuer's key, data model) and valid (validity
    /// period, not revoked or suspended).
    Authenticity,
    /// The issuer is a quality-assured member of the alliance.
    QualityAssurance,
    /// The level in the receiving framework.
    Level,
    /// The workload, as credits in the receiving credit system.
    Workload,
    /// The learning outcomes stated by the credential.
    LearningOutcomes,
    /// The kind of achievement and its field.
    Profile,
}

impl Element {
    /// The element's name in sentences.
    pub fn label(self) -> &'static str {
        match self {
            Element::Authenticity => "authenticity",
            Element::QualityAssurance => "quality assurance",
            Element::Level => "level",
            Element::Workload => "workload",
            Element::LearningOutcomes => "learning outcomes",
            Element::Profile => "profile",
        }
    }
}

/// How a reason weighs on the outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Effect {
    /// Nothing stands in the way on this point.
    Met,
    /// Recognition is subject to this condition.
    Condition,
    /// The data cannot settle this point (a missing link, nothing stated): a person decides.
    Undecided,
    /// This point prevents recognition.
    NotMet,
}

/// A stable, machine-readable code for each kind of reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Finding {
    // Authenticity and validity.
    /// Signature, issuer's key, data model, validity period and status all hold.
    Authentic,
    /// The signature does not match the content, or content is outside what was signed.
    Altered,
    /// No valid proof, a proof not made for issuing, or a key that is not the issuer's.
    SignatureInvalid,
    /// The document breaks the VC data model or the OB 3.0 schema, or has unreadable dates.
    Malformed,
    Revoked,
    Suspended,
    Expired,
    NotYetValid,
    /// The status list could not be verified or read correctly.
    StatusUnverifiable,
    /// The presentation around the credential fails (proof, challenge, domain, holder binding).
    PresentationInvalid,
    /// A presentation without a credential report.
    NoCredential,
    // Quality assurance.
    /// The issuer is a registry member in good standing.
    IssuerAccredited,
    /// The issuer's accreditation is provisional.
    AccreditationProvisional,
    /// The issuer is not in the alliance registry.
    IssuerUnknown,
    /// The issuer is listed, but its accreditation lapsed, was withdrawn, or its membership is
    /// outside its period.
    AccreditationLapsed,
    /// The registry could not be read.
    RegistryUnavailable,
    /// No registry was consulted (offline without `--registry`).
    QualityAssuranceNotChecked,
    // Level.
    /// The credential's level is a level of the receiving framework.
    LevelSameFramework,
    /// Exactly one receiving level.
    LevelMapped,
    /// Two or more receiving levels.
    LevelSpan,
    /// No chain of referencing reaches the receiving framework (a missing link in the data).
    LevelNoPath,
    /// The credential states no framework level.
    LevelNotStated,
    /// The best chain's weakest link is provisional.
    ReferencingProvisional,
    /// The best chain's weakest link is example data.
    ReferencingExample,
    // Workload.
    /// Same credit system on both sides: no conversion.
    CreditsSameSystem,
    /// Exact conversion through official rules.
    CreditsConverted,
    /// The conversion gives a range; the award is one value in it.
    CreditsRange,
    /// The conversion uses a provisional or example credit rule.
    CreditsProvisionalRule,
    /// The credits could not be converted.
    CreditsNotConvertible,
    /// The credential states no credits with a credit system.
    CreditsNotStated,
    // Learning outcomes.
    LearningOutcomesStated,
    LearningOutcomesMissing,
    // Profile.
    ProfileStated,
    ProfileNotStated,
}

impl Finding {
    /// The element a finding belongs to.
    pub fn element(self) -> Element {
        use Finding::*;
        match self {
            Authentic | Altered | SignatureInvalid | Malformed | Revoked | Suspended | Expired
            | NotYetValid | StatusUnverifiable | PresentationInvalid | NoCredential => {
                Element::Authenticity
            }
            IssuerAccredited
            | AccreditationProvisional
            | IssuerUnknown
            | AccreditationLapsed
            | RegistryUnavailable
            | QualityAssuranceNotChecked => Element::QualityAssurance,
            LevelSameFramework
            | LevelMapped
            | LevelSpan
            | LevelNoPath
            | LevelNotStated
            | ReferencingProvisional
            | ReferencingExample => Element::Level,
            CreditsSameSystem
            | CreditsConverted
            | CreditsRange
            | CreditsProvisionalRule
            | CreditsNotConvertible
            | CreditsNotStated => Element::Workload,
            LearningOutcomesStated | LearningOutcomesMissing => Element::LearningOutcomes,
            ProfileStated | ProfileNotStated => Element::Profile,
        }
    }

    /// How a finding weighs on the outcome (the decision rules, in one table).
    pub fn effect(self) -> Effect {
        use Finding::*;
        match self {
            Authentic
            | IssuerAccredited
            | LevelSameFramework
            | LevelMapped
            | CreditsSameSystem
            | CreditsConverted
            | LearningOutcomesStated
            | ProfileStated => Effect::Met,
            AccreditationProvisional
            | QualityAssuranceNotChecked
            | LevelSpan
            | ReferencingProvisional
            | ReferencingExample
            | CreditsRange
            | CreditsProvisionalRule
            | CreditsNotConvertible
            | CreditsNotStated
            | LearningOutcomesMissing
            | ProfileNotStated => Effect::Condition,
            LevelNoPath | LevelNotStated => Effect::Undecided,
            Altered | SignatureInvalid | Malformed | Revoked | Suspended | Expired
            | NotYetValid | StatusUnverifiable | PresentationInvalid | NoCredential
            | IssuerUnknown | AccreditationLapsed | RegistryUnavailable => Effect::NotMet,
        }
    }

    /// The value written in JSON (`"level-span"`, …).
    pub fn code(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }
}

/// Which part of the answer a reason's evidence points into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceSource {
    /// The verification report (`verification` in the HTTP answer).
    Verification,
    /// The level/credit assessment (`assessment` in the HTTP answer).
    Assessment,
    /// The credential that was assessed (inside a presentation: its embedded credential).
    Credential,
}

/// Where a reason comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Evidence {
    pub source: EvidenceSource,
    /// JSON Pointer into the source, e.g. `/checks/3` or `/credentials/0/checks/6` (a check of
    /// the report), `/level/steps/1` (a referencing step), `/credits`, or
    /// `/credentialSubject/achievement/alignment`.
    pub pointer: String,
    /// The check's name (`proof`, `status`, `trust`, …), the assessment part (`level`,
    /// `level step MQF → AQRF`, `credits`) or the credential property.
    pub label: String,
    /// The verifier's reasons or notes, or the engine's sentences, verbatim.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
}

/// One reason of a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reason {
    pub element: Element,
    pub effect: Effect,
    pub finding: Finding,
    /// One sentence in plain language (English: what the API answers and the decision
    /// credential signs).
    pub sentence: String,
    /// The sentence's variable parts by name, so a page can write the reason in the reader's
    /// language from the message `reason-{finding}` (`locales/<tag>/recognition.ftl`,
    /// [`crate::i18n::recognition`]). Empty when the sentence has none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub arguments: BTreeMap<String, String>,
    pub evidence: Evidence,
}

impl Reason {
    fn new(finding: Finding, sentence: String, evidence: Evidence) -> Self {
        Reason {
            element: finding.element(),
            effect: finding.effect(),
            finding,
            sentence,
            arguments: BTreeMap::new(),
            evidence,
        }
    }

    /// The reason with argument `name` when there is a value.
    fn args_if(self, name: &str, value: Option<String>) -> Self {
        match value {
            Some(v) => self.arg(name, v),
            None => self,
        }
    }

    /// The reason with argument `name` (see [`Reason::arguments`]).
    fn arg(mut self, name: &str, value: impl Into<String>) -> Self {
        self.arguments.insert(name.to_owned(), value.into());
        self
    }
}

/// Credits the receiving institution awards.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AwardedCredits {
    pub awarded: f64,
    /// The receiving credit system.
    pub system: String,
    /// The converted range the award was taken from (exact when `min == max`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<Range>,
}

/// The recognition decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    pub outcome: Outcome,
    /// The outcome in one sentence.
    pub summary: String,
    /// The `id` of the credential decided on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential_id: Option<String>,
    /// Its issuer (as the credential states it; see the authenticity reason).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// The achievement's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub achievement: Option<String>,
    pub receiving_framework: String,
    /// The receiving level(s) (two or more: a span the institution must settle); empty when
    /// not recognised or no level could be derived.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recognised_levels: Vec<LevelRef>,
    /// Credits awarded; absent when not recognised or nothing could be converted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credits: Option<AwardedCredits>,
    /// The weakest status (official / provisional / example) of the data behind level and
    /// credits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// The sentences of the `condition` reasons, for a reader in a hurry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<String>,
    /// Every reason, by element (authenticity, quality assurance, level, workload, learning
    /// outcomes, profile).
    pub reasons: Vec<Reason>,
}

impl Decision {
    /// The first reason with this finding.
    pub fn reason(&self, finding: Finding) -> Option<&Reason> {
        self.reasons.iter().find(|r| r.finding == finding)
    }

    /// Whether a reason with this finding is present.
    pub fn has(&self, finding: Finding) -> bool {
        self.reason(finding).is_some()
    }

    /// The findings, in order.
    pub fn findings(&self) -> Vec<Finding> {
        self.reasons.iter().map(|r| r.finding).collect()
    }
}

// ------------------------------------------------------------------------------------------
// The rules
// ------------------------------------------------------------------------------------------

fn check_label(name: CheckName) -> String {
    serde_json::to_value(name)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn verification_evidence(
    base: &str,
    index: usize,
    name: CheckName,
    details: Vec<String>,
) -> Evidence {
    Evidence {
        source: EvidenceSource::Verification,
        pointer: format!("{base}/checks/{index}"),
        label: check_label(name),
        details,
    }
}

/// The credential's (first) subject and its JSON pointer.
fn subject(credential: &Value) -> Option<(&Value, &'static str)> {
    match credential.get("credentialSubject") {
        Some(Value::Array(items)) => items.first().map(|s| (s, "/credentialSubject/0")),
        Some(s @ Value::Object(_)) => Some((s, "/credentialSubject")),
        _ => None,
    }
}

fn achievement(credential: &Value) -> Option<(&Value, String)> {
    let (subject, at) = subject(credential)?;
    let a = subject.get("achievement").filter(|a| a.is_object())?;
    Some((a, format!("{at}/achievement")))
}

fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {}", init.join(", "), last),
    }
}

fn joined(reasons: &[String]) -> String {
    reasons.join("; ")
}

/// Decides on the credential behind `verification` (a credential's report, or a presentation's
/// whose first embedded credential is `credential`) for the receiving framework of
/// `assessment`. The rules, element by element (see `docs/RECOGNITION.md`, "Decisions"):
///
/// - **authenticity** — a failing proof (altered, bad or missing signature), a proof by a key
///   that is not the issuer's, a broken data model or schema, revoked, suspended, expired or not
///   yet valid, an unverifiable status list, or a failing presentation (proof, challenge,
///   domain, holder binding): not recognised;
/// - **quality assurance** — issuer not in the registry, accreditation lapsed or withdrawn,
///   registry unreadable: not recognised; provisional accreditation, or no registry consulted:
///   condition;
/// - **level** — no level stated, or no referencing path (a missing link): undecided, so the
///   outcome is at best `cannot-be-decided-automatically`, never `not-recognised`; a span over two or
///   more receiving levels: condition (naming them); a best chain whose weakest link is
///   provisional or example: condition;
/// - **workload** — credits converted through a range, or with a provisional/example credit
///   rule: condition (naming the range and rules); not stated or not convertible: condition;
/// - **learning outcomes** — none stated: condition;
/// - **profile** — neither achievement type nor field stated: condition.
///
/// Any `not-met` reason makes the outcome `not-recognised`; otherwise any `undecided` reason
/// makes it `cannot-be-decided-automatically`; otherwise any `condition` makes it
/// `recognised-with-conditions`; otherwise `recognised`.
pub fn decide(
    verification: &VerificationReport,
    assessment: &Assessment,
    credential: &Value,
) -> Decision {
    let mut reasons = Vec::new();
    let credential_report = match verification.kind {
        DocumentKind::Credential => Some((verification, String::new())),
        DocumentKind::Presentation => verification
            .credentials
            .first()
            .map(|r| (r, "/credentials/0".to_owned())),
    };
    let issuer = credential_report
        .as_ref()
        .and_then(|(r, _)| r.issuer.clone())
        .or_else(|| id_of(credential.get("issuer")));

    authenticity(verification, credential_report.as_ref(), &mut reasons);
    if let Some((report, base)) = &credential_report {
        quality_assurance(report, base, issuer.as_deref(), &mut reasons);
    }
    level(assessment, &mut reasons);
    workload(assessment, &mut reasons);
    learning_outcomes(credential, &mut reasons);
    profile(credential, &mut reasons);
    // Stable: keeps the order within an element.
    reasons.sort_by_key(|r| r.element);

    let outcome = if reasons.iter().any(|r| r.effect == Effect::NotMet) {
        Outcome::NotRecognised
    } else if reasons.iter().any(|r| r.effect == Effect::Undecided) {
        Outcome::CannotBeDecidedAutomatically
    } else if reasons.iter().any(|r| r.effect == Effect::Condition) {
        Outcome::RecognisedWithConditions
    } else {
        Outcome::Recognised
    };
    let conditions: Vec<String> = reasons
        .iter()
        .filter(|r| r.effect == Effect::Condition)
        .map(|r| r.sentence.clone())
        .collect();

    let recognised = outcome != Outcome::NotRecognised;
    let recognised_levels = match (&assessment.level, recognised) {
        (Some(l), true) => l.levels.clone(),
        _ => Vec::new(),
    };
    let credits = match (&assessment.credits, recognised) {
        (Some(c), true) if c.outcome == CreditOutcome::Converted => {
            match (c.awarded, &c.receiving_system) {
                (Some(awarded), Some(system)) => Some(AwardedCredits {
                    awarded,
                    system: system.clone(),
                    range: c.credits_range,
                }),
                _ => None,
            }
        }
        _ => None,
    };
    let achievement_name = achievement(credential)
        .and_then(|(a, _)| a.get("name").and_then(Value::as_str).map(str::to_owned));
    let summary = summary(
        outcome,
        &assessment.receiving_framework,
        &recognised_levels,
        credits.as_ref(),
        &reasons,
    );
    Decision {
        outcome,
        summary,
        credential_id: credential
            .get("id")
            .and_then(Value::as_str)
            .map(str::to_owned),
        issuer,
        achievement: achievement_name,
        receiving_framework: assessment.receiving_framework.clone(),
        recognised_levels,
        credits,
        status: assessment.status,
        conditions,
        reasons,
    }
}

/// The level and workload reasons of an assessment alone (no verification, no credential): what
/// a page shows of a level/credit assessment, each reason with its arguments.
pub fn assessment_reasons(assessment: &Assessment) -> Vec<Reason> {
    let mut reasons = Vec::new();
    level(assessment, &mut reasons);
    workload(assessment, &mut reasons);
    reasons
}

fn summary(
    outcome: Outcome,
    receiving: &str,
    levels: &[LevelRef],
    credits: Option<&AwardedCredits>,
    reasons: &[Reason],
) -> String {
    let placed = {
        let mut parts = Vec::new();
        if !levels.is_empty() {
            let codes: Vec<String> = levels.iter().map(|l| l.code.clone()).collect();
            parts.push(match codes.as_slice() {
                [one] => format!("{receiving} level {one}"),
                _ => format!("{receiving} level {} (to be settled)", codes.join(" or ")),
            });
        }
        if let Some(c) = credits {
            parts.push(format!("{} {} credit(s)", num(c.awarded), c.system));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!(" as {}", parts.join(" with "))
        }
    };
    let codes = |effect: Effect| -> String {
        reasons
            .iter()
            .filter(|r| r.effect == effect)
            .map(|r| format!("{}: {}", r.element.label(), r.finding.code()))
            .collect::<Vec<_>>()
            .join("; ")
    };
    match outcome {
        Outcome::Recognised => format!("Recognised in {receiving}{placed}."),
        Outcome::RecognisedWithConditions => {
            let n = reasons
                .iter()
                .filter(|r| r.effect == Effect::Condition)
                .count();
            format!(
                "Recognised with conditions in {receiving}{placed}, subject to {n} condition{} ({}).",
                if n == 1 { "" } else { "s" },
                codes(Effect::Condition)
            )
        }
        Outcome::CannotBeDecidedAutomatically => {
            let gaps: Vec<String> = reasons
                .iter()
                .filter(|r| r.effect == Effect::Undecided)
                .map(|r| format!("{}: {}", r.element.label(), r.sentence))
                .collect();
            format!(
                "Cannot be decided automatically in {receiving}; the receiving institution decides by hand. {}",
                gaps.join(" ")
            )
        }
        Outcome::NotRecognised => {
            format!("Not recognised in {receiving}: {}.", codes(Effect::NotMet))
        }
    }
}

fn authenticity(
    verification: &VerificationReport,
    credential_report: Option<&(&VerificationReport, String)>,
    reasons: &mut Vec<Reason>,
) {
    let start = reasons.len();
    if verification.kind == DocumentKind::Presentation {
        for (i, c) in verification.checks.iter().enumerate() {
            // The embedded credential's failures are judged from its own report below.
            if c.verified || c.check == CheckName::Credentials {
                continue;
            }
            let (what, kind) = match c.check {
                CheckName::Challenge => ("does not carry the verifier's challenge", "challenge"),
                CheckName::Domain => ("is not bound to the verifier's domain", "domain"),
                CheckName::HolderBinding => (
                    "is not signed by the subject of the credential",
                    "holder-binding",
                ),
                CheckName::Proof => ("has no valid signature", "proof"),
                CheckName::ProofPurpose => ("was not signed for authentication", "proof-purpose"),
                _ => ("breaks the presentation data model", "data-model"),
            };
            reasons.push(Reason::new(
                Finding::PresentationInvalid,
                format!(
                    "The presentation {what} ({}), so it does not show that the learner holds the credential.",
                    joined(&c.reasons)
                ),
                verification_evidence("", i, c.check, c.reasons.clone()),
            )
            .arg("check", kind)
            .arg("details", joined(&c.reasons)));
        }
    }
    let Some((report, base)) = credential_report else {
        reasons.push(Reason::new(
            Finding::NoCredential,
            "The presentation carries no credential to recognise.".into(),
            Evidence {
                source: EvidenceSource::Verification,
                pointer: "/credentials".into(),
                label: "credentials".into(),
                details: Vec::new(),
            },
        ));
        return;
    };
    let proof_checked = report.check(CheckName::Proof).is_some();
    if !proof_checked {
        reasons.push(Reason::new(
            Finding::SignatureInvalid,
            "The credential's signature was not checked, so its authenticity is not established."
                .into(),
            Evidence {
                source: EvidenceSource::Verification,
                pointer: format!("{base}/checks"),
                label: "proof".into(),
                details: Vec::new(),
            },
        )
        .arg("kind", "unchecked")
        .arg("details", ""));
    }
    for (i, c) in report.checks.iter().enumerate() {
        if c.verified {
            continue;
        }
        let all = joined(&c.reasons);
        let evidence = || verification_evidence(base, i, c.check, c.reasons.clone());
        match c.check {
            CheckName::Proof => {
                let altered = c.reasons.iter().any(|r| {
                    r.contains("altered")
                        || r.contains("no signature can cover")
                        || r.contains("cannot be canonicalized")
                });
                reasons.push(if altered {
                    Reason::new(
                        Finding::Altered,
                        format!(
                            "The credential was altered after it was signed, or signed by another key: its signature does not match its content ({all})."
                        ),
                        evidence(),
                    )
                    .arg("details", all.clone())
                } else {
                    Reason::new(
                        Finding::SignatureInvalid,
                        format!("The credential's signature is not valid ({all})."),
                        evidence(),
                    )
                    .arg("kind", "invalid")
                    .arg("details", all.clone())
                });
            }
            CheckName::IssuerBinding | CheckName::ProofPurpose => reasons.push(
                Reason::new(
                    Finding::SignatureInvalid,
                    format!("The credential is not signed as its issuer's credential ({all})."),
                    evidence(),
                )
                .arg("kind", "binding")
                .arg("details", all.clone()),
            ),
            CheckName::DataModel | CheckName::Schema => reasons.push(
                Reason::new(
                    Finding::Malformed,
                    format!(
                        "The credential breaks the {} ({all}).",
                        if c.check == CheckName::Schema {
                            "Open Badges 3.0 schema"
                        } else {
                            "Verifiable Credentials data model"
                        }
                    ),
                    evidence(),
                )
                .arg(
                    "kind",
                    if c.check == CheckName::Schema {
                        "schema"
                    } else {
                        "data-model"
                    },
                )
                .arg("details", all.clone()),
            ),
            CheckName::Status => {
                for r in &c.reasons {
                    let (finding, sentence) = if r.starts_with("revoked") {
                        (
                            Finding::Revoked,
                            "The credential has been revoked by its issuer: it no longer attests the achievement.".to_owned(),
                        )
                    } else if r.starts_with("suspended") {
                        (
                            Finding::Suspended,
                            "The credential is suspended by its issuer: it cannot be recognised while the suspension lasts.".to_owned(),
                        )
                    } else {
                        (
                            Finding::StatusUnverifiable,
                            format!(
                                "The credential's revocation status could not be confirmed ({r})."
                            ),
                        )
                    };
                    reasons.push(
                        Reason::new(
                            finding,
                            sentence,
                            verification_evidence(base, i, c.check, vec![r.clone()]),
                        )
                        .arg("details", r.clone()),
                    );
                }
            }
            CheckName::ValidityWindow => {
                for r in &c.reasons {
                    let (finding, sentence) = if r.starts_with("expired") {
                        (
                            Finding::Expired,
                            format!("The credential is no longer valid ({r})."),
                        )
                    } else if r.starts_with("not yet valid") {
                        (
                            Finding::NotYetValid,
                            format!("The credential is not valid yet ({r})."),
                        )
                    } else {
                        (
                            Finding::Malformed,
                            format!("The credential's validity period cannot be read ({r})."),
                        )
                    };
                    reasons.push(
                        Reason::new(
                            finding,
                            sentence,
                            verification_evidence(base, i, c.check, vec![r.clone()]),
                        )
                        .arg("kind", "dates")
                        .arg("details", r.clone()),
                    );
                }
            }
            // Quality assurance is its own element.
            CheckName::Trust => {}
            other => reasons.push(
                Reason::new(
                    Finding::Malformed,
                    format!(
                        "The credential fails the {} check ({all}).",
                        check_label(other)
                    ),
                    evidence(),
                )
                .arg("kind", "check")
                .arg("check", check_label(other))
                .arg("details", all.clone()),
            ),
        }
    }
    if reasons.len() == start {
        let who = report
            .issuer
            .as_deref()
            .map(|i| format!(" of {i}"))
            .unwrap_or_default();
        let status = if report.check(CheckName::Status).is_some() {
            " and its issuer's status lists show it neither revoked nor suspended"
        } else {
            "; it carries no status entry, so it cannot have been revoked"
        };
        let status_word = if report.check(CheckName::Status).is_some() {
            "checked"
        } else {
            "none"
        };
        let presented_word = if verification.kind == DocumentKind::Presentation {
            "yes"
        } else {
            "no"
        };
        let presented = if verification.kind == DocumentKind::Presentation {
            " It was presented by its subject, bound to the verifier's challenge."
        } else {
            ""
        };
        let i = report
            .checks
            .iter()
            .position(|c| c.check == CheckName::Proof)
            .unwrap_or(0);
        reasons.push(Reason::new(
            Finding::Authentic,
            format!(
                "Authentic and valid: the signature{who} holds over the whole credential, which is within its validity period{status}.{presented}"
            ),
            verification_evidence(base, i, CheckName::Proof, Vec::new()),
        )
        .arg("issuer", report.issuer.clone().unwrap_or_default())
        .arg("status", status_word)
        .arg("presented", presented_word));
    }
}

fn quality_assurance(
    report: &VerificationReport,
    base: &str,
    issuer: Option<&str>,
    reasons: &mut Vec<Reason>,
) {
    let who = issuer.unwrap_or("the issuer");
    let Some(i) = report
        .checks
        .iter()
        .position(|c| c.check == CheckName::Trust)
    else {
        reasons.push(Reason::new(
            Finding::QualityAssuranceNotChecked,
            format!(
                "Quality assurance was not checked: no alliance trust registry was consulted, so whether {who} is an accredited member is unknown; confirm its accreditation before relying on this decision."
            ),
            Evidence {
                source: EvidenceSource::Verification,
                pointer: format!("{base}/checks"),
                label: "trust".into(),
                details: vec!["no trust check in the report".into()],
            },
        )
        .arg("issuer", who));
        return;
    };
    let c = &report.checks[i];
    if c.verified {
        let provisional: Vec<String> = c
            .notes
            .iter()
            .filter(|n| n.starts_with("provisional accreditation"))
            .cloned()
            .collect();
        if provisional.is_empty() {
            reasons.push(
                Reason::new(
                    Finding::IssuerAccredited,
                    format!("{who} is a member of the alliance trust registry in good standing."),
                    verification_evidence(base, i, c.check, c.notes.clone()),
                )
                .arg("issuer", who),
            );
        } else {
            reasons.push(Reason::new(
                Finding::AccreditationProvisional,
                format!(
                    "The issuer's accreditation is provisional ({}): recognition holds subject to the accreditation being confirmed.",
                    joined(&provisional)
                ),
                verification_evidence(base, i, c.check, c.notes.clone()),
            )
            .arg("details", joined(&provisional)));
        }
        return;
    }
    for r in &c.reasons {
        let (finding, sentence) = if r.starts_with("issuer unknown") {
            (
                Finding::IssuerUnknown,
                format!(
                    "{who} is not in the alliance trust registry, so its quality assurance cannot be established (the signature itself may hold)."
                ),
            )
        } else if r.starts_with("issuer not in good standing") {
            let why = r.strip_prefix("issuer not in good standing: ").unwrap_or(r);
            (
                Finding::AccreditationLapsed,
                format!(
                    "{who} is listed in the alliance trust registry but is not in good standing: {why}."
                ),
            )
        } else {
            (
                Finding::RegistryUnavailable,
                format!("The issuer's quality assurance could not be established ({r})."),
            )
        };
        let why = r.strip_prefix("issuer not in good standing: ").unwrap_or(r);
        reasons.push(
            Reason::new(
                finding,
                sentence,
                verification_evidence(base, i, c.check, vec![r.clone()]),
            )
            .arg("issuer", who)
            .arg("details", why),
        );
    }
}

fn level_evidence(pointer: &str, label: String, details: Vec<String>) -> Evidence {
    Evidence {
        source: EvidenceSource::Assessment,
        pointer: pointer.to_owned(),
        label,
        details,
    }
}

fn level(assessment: &Assessment, reasons: &mut Vec<Reason>) {
    let receiving = &assessment.receiving_framework;
    let Some(mapping) = &assessment.level else {
        reasons.push(Reason::new(
            Finding::LevelNotStated,
            format!(
                "The credential states no level in a qualifications framework (no ext:FrameworkLevel alignment on the achievement), so its level cannot be compared with {receiving} automatically: the receiving institution establishes it from the programme."
            ),
            level_evidence("/level", "level".into(), assessment.explanation.clone()),
        )
        .arg("receiving", receiving.clone()));
        return;
    };
    let from = &mapping.from;
    let targets = || -> String {
        let codes: Vec<String> = mapping.levels.iter().map(|l| l.code.clone()).collect();
        match codes.as_slice() {
            [one] => format!("{receiving} level {one}"),
            _ => format!("{receiving} levels {}", and_list(&codes)),
        }
    };
    match mapping.outcome {
        MappingOutcome::NoPath => {
            let missing = mapping.missing.as_ref();
            let message = missing
                .map(|m| m.message.clone())
                .unwrap_or_else(|| "no chain of referencing reaches it".into());
            let why = missing
                .and_then(|m| m.reason.as_ref())
                .map(|r| format!(" ({r})"))
                .unwrap_or_default();
            reasons.push(Reason::new(
                Finding::LevelNoPath,
                format!(
                    "No {receiving} level can be derived automatically for {from}: {message}{why}. This is a gap in the referencing data, not a difference in the achievement: the receiving institution places the level by comparing learning outcomes, or the missing referencing is added to the framework data."
                ),
                level_evidence(
                    "/level/missing",
                    "level".into(),
                    mapping.explanation.clone(),
                ),
            )
            .arg("receiving", receiving.clone())
            .arg("from", from.to_string())
            .arg("details", format!("{message}{why}")));
            return;
        }
        MappingOutcome::SameFramework => reasons.push(Reason::new(
            Finding::LevelSameFramework,
            format!("{from} is already a level of the receiving framework {receiving}."),
            level_evidence("/level", "level".into(), mapping.explanation.clone()),
        )
        .arg("receiving", receiving.clone())
        .arg("from", from.to_string())),
        MappingOutcome::Mapped => reasons.push(Reason::new(
            Finding::LevelMapped,
            format!(
                "{from} corresponds to {} (referencing {}).",
                mapping.levels.first().map(ToString::to_string).unwrap_or_default(),
                mapping.path.join(" → ")
            ),
            level_evidence("/level", "level".into(), mapping.explanation.clone()),
        )
        .arg("from", from.to_string())
        .arg(
            "to",
            mapping
                .levels
                .first()
                .map(ToString::to_string)
                .unwrap_or_default(),
        )
        .arg("path", mapping.path.join(" → "))),
        MappingOutcome::Span => reasons.push(Reason::new(
            Finding::LevelSpan,
            format!(
                "{from} spans {}: the referencing ({}) does not decide between them, so the receiving institution must place the learner at one of them after comparing the learning outcomes.",
                targets(),
                mapping.path.join(" → ")
            ),
            level_evidence("/level/levels", "level".into(), mapping.explanation.clone()),
        )
        .arg("from", from.to_string())
        .arg("receiving", receiving.clone())
        .arg(
            "levels",
            mapping
                .levels
                .iter()
                .map(|l| l.code.clone())
                .collect::<Vec<_>>()
                .join(" / "),
        )
        .arg("path", mapping.path.join(" → "))),
    }
    referencing_status(mapping, reasons);
}

fn referencing_status(mapping: &LevelMapping, reasons: &mut Vec<Reason>) {
    let Some(status) = mapping.status else {
        return;
    };
    if status == Status::Official || mapping.outcome == MappingOutcome::SameFramework {
        return;
    }
    let weakest: Vec<(usize, &crate::recognition::Step)> = mapping
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| s.status == status)
        .collect();
    let links: Vec<String> = weakest
        .iter()
        .map(|(_, s)| format!("{} ↔ {}", s.from_framework, s.to_framework))
        .collect();
    let links = and_list(&links);
    let (finding, sentence) = match status {
        Status::Example => (
            Finding::ReferencingExample,
            format!(
                "The level rests on example referencing ({links}): illustrative data, not a published referencing decision, so the level must be confirmed by the receiving institution before it counts."
            ),
        ),
        _ => (
            Finding::ReferencingProvisional,
            format!(
                "The level rests on provisional referencing only ({links}): sourced but not an endorsed referencing decision, so the level holds subject to confirmation."
            ),
        ),
    };
    let (pointer, label) = match weakest.first() {
        Some((i, s)) => (
            format!("/level/steps/{i}"),
            format!("level step {} → {}", s.from_framework, s.to_framework),
        ),
        None => ("/level".to_owned(), "level".to_owned()),
    };
    reasons.push(
        Reason::new(
            finding,
            sentence,
            level_evidence(
                &pointer,
                label,
                weakest.iter().map(|(_, s)| s.sentence.clone()).collect(),
            ),
        )
        .arg("links", links),
    );
}

fn workload(assessment: &Assessment, reasons: &mut Vec<Reason>) {
    let Some(c) = &assessment.credits else {
        reasons.push(Reason::new(
            Finding::CreditsNotStated,
            "The credential states no credits with a credit system, so the workload must be assessed from the programme by the receiving institution.".into(),
            level_evidence("/credits", "credits".into(), Vec::new()),
        ));
        return;
    };
    let evidence = || level_evidence("/credits", "credits".into(), c.explanation.clone());
    let claimed = format!("{} {} credit(s)", num(c.claim.credits), c.claim.system);
    if c.outcome == CreditOutcome::NotConvertible {
        let why = c.reason.as_deref().unwrap_or("no conversion rule applies");
        reasons.push(Reason::new(
            Finding::CreditsNotConvertible,
            format!(
                "The workload ({claimed}) could not be converted: {why}; the receiving institution must assess it by hand."
            ),
            evidence(),
        )
        .arg("claimed", num(c.claim.credits))
        .arg("claimed_system", c.claim.system.clone())
        .arg("details", why));
        return;
    }
    let system = c.receiving_system.clone().unwrap_or_default();
    let awarded = c.awarded.map(num).unwrap_or_default();
    if c.hours_source == Some(HoursSource::SameCreditSystem) {
        reasons.push(Reason::new(
            Finding::CreditsSameSystem,
            format!(
                "The workload is already in the receiving credit system: {claimed}, awarded {awarded} without conversion."
            ),
            evidence(),
        )
        .arg("claimed", num(c.claim.credits))
        .arg("claimed_system", c.claim.system.clone())
        .arg("awarded", awarded.clone()));
        return;
    }
    let hours = c
        .hours
        .map(|h| format!("{h} h"))
        .unwrap_or_else(|| "the hours".into());
    let mut flagged = false;
    if let Some(range) = c.credits_range.filter(|r| !r.is_exact()) {
        flagged = true;
        reasons.push(Reason::new(
            Finding::CreditsRange,
            format!(
                "The workload converts to a range, not one value: {claimed} = {hours} = {range} {system} credit(s); {awarded} awarded by the {} rule, so the receiving institution may settle on another value within {range}.",
                rule_name(c.rule)
            ),
            evidence(),
        )
        .arg("claimed", num(c.claim.credits))
        .arg("claimed_system", c.claim.system.clone())
        .args_if("hours", c.hours.map(|h| h.to_string()))
        .arg("range", range.to_string())
        .arg("system", system.clone())
        .arg("awarded", awarded.clone())
        .arg("rule", rule_name(c.rule)));
    }
    let status = c.status.unwrap_or(Status::Example);
    if status != Status::Official {
        flagged = true;
        let mut rules = Vec::new();
        let issuing_used = c.hours_source == Some(HoursSource::IssuingCreditRule);
        for rule in c
            .issuing_rule
            .iter()
            .filter(|_| issuing_used)
            .chain(c.receiving_rule.iter())
        {
            if rule.status != Status::Official {
                let per = rule
                    .hours_per_credit
                    .map(|h| format!("{h} per credit"))
                    .unwrap_or_else(|| "no hours per credit".into());
                rules.push(format!("{} {per} ({})", rule.system, rule.status));
            }
        }
        rules.extend(c.caveats.iter().cloned());
        let rules_text = if rules.is_empty() {
            "see the credit explanation".to_owned()
        } else {
            rules.join("; ")
        };
        reasons.push(Reason::new(
            Finding::CreditsProvisionalRule,
            format!(
                "The credit value rests on {status} conversion data ({}): {awarded} {system} credit(s) are indicative until those rules are confirmed.",
                rules_text
            ),
            evidence(),
        )
        .arg("status", status.as_str())
        .arg("details", rules_text)
        .arg("awarded", awarded.clone())
        .arg("system", system.clone()));
    }
    if !flagged {
        reasons.push(Reason::new(
            Finding::CreditsConverted,
            format!(
                "The workload converts exactly through official credit rules: {claimed} = {hours} = {awarded} {system} credit(s)."
            ),
            evidence(),
        )
        .arg("claimed", num(c.claim.credits))
        .arg("claimed_system", c.claim.system.clone())
        .args_if("hours", c.hours.map(|h| h.to_string()))
        .arg("awarded", awarded)
        .arg("system", system));
    }
}

fn rule_name(rule: crate::recognition::AwardRule) -> &'static str {
    match rule {
        crate::recognition::AwardRule::Conservative => "conservative",
        crate::recognition::AwardRule::Midpoint => "midpoint",
    }
}

fn learning_outcomes(credential: &Value, reasons: &mut Vec<Reason>) {
    let found = achievement(credential);
    let pointer = found
        .as_ref()
        .map(|(_, at)| format!("{at}/alignment"))
        .unwrap_or_else(|| "/credentialSubject/achievement/alignment".into());
    let outcomes: Vec<&Value> = found
        .as_ref()
        .and_then(|(a, _)| a.get("alignment"))
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter(|al| {
                    al.get("targetType")
                        .and_then(Value::as_str)
                        .is_some_and(|t| OUTCOME_TARGET_TYPES.contains(&t))
                })
                .collect()
        })
        .unwrap_or_default();
    let evidence = |details: Vec<String>| Evidence {
        source: EvidenceSource::Credential,
        pointer: pointer.clone(),
        label: "achievement.alignment".into(),
        details,
    };
    if outcomes.is_empty() {
        reasons.push(Reason::new(
            Finding::LearningOutcomesMissing,
            "The credential states no learning outcomes (no competency alignments on the achievement), so they cannot be compared with the receiving programme: obtain them from the issuer or assess the learner.".into(),
            evidence(Vec::new()),
        ));
        return;
    }
    let statements: Vec<String> = outcomes
        .iter()
        .filter_map(|o| {
            let name = o.get("targetName").and_then(Value::as_str)?;
            Some(match o.get("targetCode").and_then(Value::as_str) {
                Some(code) => format!("{code}: {name}"),
                None => name.to_owned(),
            })
        })
        .collect();
    let codes: Vec<String> = outcomes
        .iter()
        .filter_map(|o| {
            o.get("targetCode")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .collect();
    let n = outcomes.len();
    reasons.push(Reason::new(
        Finding::LearningOutcomesStated,
        format!(
            "The credential states {n} learning outcome{}{} for comparison with the receiving programme.",
            if n == 1 { "" } else { "s" },
            if codes.is_empty() {
                String::new()
            } else {
                format!(" ({})", codes.join(", "))
            }
        ),
        evidence(statements),
    )
    .arg("count", n.to_string())
    .arg("codes", codes.join(", ")));
}

fn profile(credential: &Value, reasons: &mut Vec<Reason>) {
    let found = achievement(credential);
    let text = |key: &str| {
        found
            .as_ref()
            .and_then(|(a, _)| a.get(key))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let (kind, field, name) = (text("achievementType"), text("fieldOfStudy"), text("name"));
    let pointer = found
        .as_ref()
        .map(|(_, at)| at.clone())
        .unwrap_or_else(|| "/credentialSubject/achievement".into());
    let details: Vec<String> = [
        kind.as_ref().map(|k| format!("achievementType: {k}")),
        field.as_ref().map(|f| format!("fieldOfStudy: {f}")),
    ]
    .into_iter()
    .flatten()
    .collect();
    let evidence = Evidence {
        source: EvidenceSource::Credential,
        pointer,
        label: "achievement".into(),
        details,
    };
    if kind.is_none() && field.is_none() {
        reasons.push(Reason::new(
            Finding::ProfileNotStated,
            "The credential states neither the kind of achievement nor its field of study, so its profile must be established with the issuer before it is compared with the receiving programme.".into(),
            evidence,
        ));
        return;
    }
    let what = match (&kind, &name) {
        (Some(k), Some(n)) => format!("a {k} \"{n}\""),
        (Some(k), None) => format!("a {k}"),
        (None, Some(n)) => format!("\"{n}\""),
        (None, None) => "an achievement".into(),
    };
    let field_name = field.clone();
    let field = field.map(|f| format!(" in {f}")).unwrap_or_default();
    reasons.push(Reason::new(
        Finding::ProfileStated,
        format!(
            "Profile: {what}{field}; its orientation is for the receiving programme to weigh (not compared automatically)."
        ),
        evidence,
    )
    .args_if("kind", kind)
    .args_if("name", name)
    .args_if("field", field_name));
}

// ------------------------------------------------------------------------------------------
// Verify, assess, decide
// ------------------------------------------------------------------------------------------

/// Everything a recognition answers: the decision and what it was decided from.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Recognition {
    pub decision: Decision,
    pub verification: VerificationReport,
    pub assessment: Assessment,
}

/// Why no decision could be made.
#[derive(Debug, thiserror::Error)]
pub enum RecogniseError {
    /// The document is not a JSON object.
    #[error("the document must be a JSON object (a credential or a presentation)")]
    NotAnObject,
    /// A presentation must carry exactly one credential to decide on.
    #[error(
        "a presentation for recognition must carry exactly one credential; this one carries {0}"
    )]
    NotOneCredential(usize),
    /// Unknown receiving framework, or impossible numbers in the credential.
    #[error(transparent)]
    Query(#[from] QueryError),
    /// The verifier could not check the document (unknown context, unresolvable DID, no status
    /// list…).
    #[error(transparent)]
    CannotCheck(#[from] VerifyError),
}

/// The credential a recognition decides on: the document itself, or the one credential of a
/// presentation.
pub fn credential_of(document: &Value) -> Result<&Value, RecogniseError> {
    if !document.is_object() {
        return Err(RecogniseError::NotAnObject);
    }
    if !has_type(document, "VerifiablePresentation") {
        return Ok(document);
    }
    let found = match document.get("verifiableCredential") {
        None => Vec::new(),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
    };
    match found.as_slice() {
        [one] if one.is_object() => Ok(one),
        [_] => Err(RecogniseError::NotAnObject),
        other => Err(RecogniseError::NotOneCredential(other.len())),
    }
}

/// Level and credits of `credential` in `receiving`. A credential that states neither gives an
/// empty assessment (the decision then says what is missing), not an error.
pub fn assess_credential(
    frameworks: &FrameworkRegistry,
    credential: &Value,
    receiving: &str,
) -> Result<Assessment, QueryError> {
    let receiving_fw = frameworks
        .framework(receiving)
        .ok_or_else(|| QueryError::UnknownReceivingFramework(receiving.to_owned()))?;
    match RecognitionRequest::from_credential(credential, &receiving_fw.id) {
        Ok(request) => assess(frameworks, &request),
        Err(e @ QueryError::MissingInCredential(_)) => Ok(Assessment {
            receiving_framework: receiving_fw.id.clone(),
            level: None,
            credits: None,
            status: None,
            explanation: vec![format!("Nothing to map or convert: {e}.")],
        }),
        Err(e) => Err(e),
    }
}

/// Verifies `document` (a credential, or a presentation carrying one credential) under
/// `options`, maps it to `receiving` and decides.
pub fn recognise(
    document: &Value,
    receiving: &str,
    frameworks: &FrameworkRegistry,
    options: &VerifyOptions,
) -> Result<Recognition, RecogniseError> {
    if frameworks.framework(receiving).is_none() {
        return Err(QueryError::UnknownReceivingFramework(receiving.to_owned()).into());
    }
    let credential = credential_of(document)?;
    let verification = verify::verify(document, options)?;
    let assessment = assess_credential(frameworks, credential, receiving)?;
    let decision = decide(&verification, &assessment, credential);
    Ok(Recognition {
        decision,
        verification,
        assessment,
    })
}

// ------------------------------------------------------------------------------------------
// The decision as a credential
// ------------------------------------------------------------------------------------------

/// Why a decision cannot become a credential.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecisionCredentialError {
    #[error("the credential has no id, so a decision credential cannot reference it")]
    NoCredentialId,
    #[error("the credential has no issuer, so a decision credential cannot reference it")]
    NoIssuer,
}

fn json_number(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 9_007_199_254_740_992.0 {
        json!(x as i64)
    } else {
        json!(x)
    }
}

/// The decision as an unsigned VC 2.0 credential of type `CreditTransferDecision`, issued by
/// the receiving institution (`issuer_did`, `issuer_name`) about the learner (the original
/// credential's subject, when it has an id; its `name`, the VC 2.0 term, when the original states
/// the learner's name unhashed). It references the original credential's `id`
/// (`recognisedCredential`) and issuer (`recognisedIssuer`) and carries the outcome, the
/// receiving framework, level(s), credits, conditions and every reason (element, effect,
/// finding, sentence). Its own terms come as an inline context ([`vocab`]), so every term is
/// defined, it signs with either cryptosuite and no verifier has to fetch a context.
pub fn decision_credential(
    decision: &Decision,
    original: &Value,
    issuer_did: &str,
    issuer_name: &str,
) -> Result<Value, DecisionCredentialError> {
    let id = decision
        .credential_id
        .clone()
        .ok_or(DecisionCredentialError::NoCredentialId)?;
    let issuer = decision
        .issuer
        .clone()
        .ok_or(DecisionCredentialError::NoIssuer)?;
    let mut subject = Map::new();
    // The decision's own terms, embedded where they are used ([`vocab`]).
    subject.insert(
        "@context".into(),
        vocab::inline_context(vocab::DECISION_TERMS),
    );
    if let Some(learner) = subject_of(original) {
        subject.insert("id".into(), learner.into());
    }
    // The learner's name (VC 2.0 `name`), when the original states it in clear: the decision
    // is about this person, and the page shows who.
    if let Some(name) = learner_name(original) {
        subject.insert("name".into(), name.into());
    }
    subject.insert("type".into(), DECISION_SUBJECT_TYPE.into());
    subject.insert(
        "recognitionOutcome".into(),
        decision.outcome.as_str().into(),
    );
    subject.insert("recognisedCredential".into(), id.clone().into());
    subject.insert("recognisedIssuer".into(), issuer.into());
    if let Some(name) = &decision.achievement {
        subject.insert("recognisedAchievement".into(), name.clone().into());
    }
    subject.insert(
        "receivingFramework".into(),
        decision.receiving_framework.clone().into(),
    );
    if !decision.recognised_levels.is_empty() {
        let levels: Vec<Value> = decision
            .recognised_levels
            .iter()
            .map(|l| json!({"type": "FrameworkLevel", "framework": l.framework, "levelCode": l.code}))
            .collect();
        subject.insert("recognisedLevel".into(), levels.into());
    }
    if let Some(c) = &decision.credits {
        subject.insert("creditsAwarded".into(), json_number(c.awarded));
        subject.insert("creditSystem".into(), c.system.clone().into());
    }
    if let Some(status) = decision.status {
        subject.insert("referencingStatus".into(), status.as_str().into());
    }
    if !decision.conditions.is_empty() {
        subject.insert("recognitionCondition".into(), json!(decision.conditions));
    }
    let reasons: Vec<Value> = decision
        .reasons
        .iter()
        .map(|r| {
            json!({
                "type": "RecognitionReason",
                "element": r.element,
                "effect": r.effect,
                "finding": r.finding,
                "description": r.sentence,
            })
        })
        .collect();
    subject.insert("recognitionReason".into(), reasons.into());
    let what = decision.achievement.clone().unwrap_or(id);
    Ok(json!({
        "@context": [CREDENTIALS_V2],
        "type": ["VerifiableCredential", DECISION_CREDENTIAL_TYPE],
        "name": format!("Recognition decision ({}): {what}", decision.outcome.as_str()),
        "description": decision.summary,
        "issuer": {"id": issuer_did, "name": issuer_name},
        "credentialSubject": Value::Object(subject),
    }))
}

fn subject_of(credential: &Value) -> Option<String> {
    subject(credential)
        .and_then(|(s, _)| s.get("id"))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// The learner's name as the credential states it in clear: the subject's `name`, or an OB 3.0
/// identity of type `name` that is not hashed. A hashed name is never copied.
fn learner_name(credential: &Value) -> Option<String> {
    let (s, _) = subject(credential)?;
    if let Some(name) = s.get("name").and_then(Value::as_str) {
        return Some(name.to_owned()).filter(|n| !n.trim().is_empty());
    }
    let identities = match s.get("identifier")? {
        Value::Array(items) => items.iter().collect(),
        one @ Value::Object(_) => vec![one],
        _ => Vec::new(),
    };
    identities
        .into_iter()
        .find(|i| {
            i.get("identityType").and_then(Value::as_str) == Some("name")
                && i.get("hashed").and_then(Value::as_bool) != Some(true)
        })
        .and_then(|i| i.get("identityHash")?.as_str())
        .filter(|n| !n.trim().is_empty())
        .map(str::to_owned)
}

impl Outcome {
    /// The outcome as a headline word group (`RECOGNISED WITH CONDITIONS`).
    pub fn headline(self) -> &'static str {
        match self {
            Outcome::Recognised => "RECOGNISED",
            Outcome::RecognisedWithConditions => "RECOGNISED WITH CONDITIONS",
            Outcome::CannotBeDecidedAutomatically => "CANNOT BE DECIDED AUTOMATICALLY",
            Outcome::NotRecognised => "NOT RECOGNISED",
        }
    }
}

impl Effect {
    /// The effect as a word for text output.
    fn word(self) -> &'static str {
        match self {
            Effect::Met => "met",
            Effect::Condition => "condition",
            Effect::Undecided => "undecided",
            Effect::NotMet => "NOT MET",
        }
    }
}

/// `prefix` then `text`, broken into lines of at most `width` characters (a word longer than a
/// line is not split); continuation lines are indented to the end of `prefix`.
fn wrap(prefix: &str, text: &str, width: usize) -> String {
    let indent = prefix.chars().count();
    let mut out = prefix.to_owned();
    let mut line = indent;
    let mut first = true;
    for word in text.split_whitespace() {
        let n = word.chars().count();
        if !first && line + 1 + n > width {
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            line = indent;
        } else if !first {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += n;
        first = false;
    }
    out.push('\n');
    out
}

/// The decision for a person at a terminal: the outcome, what was placed (level, credits), and
/// every reason with its effect — a few lines instead of the full JSON (`--json`).
pub fn render_text(recognition: &Recognition, registry_checked: bool) -> String {
    const WIDTH: usize = 100;
    let d = &recognition.decision;
    let a = &recognition.assessment;
    let mut out = format!("{} in {}\n", d.outcome.headline(), d.receiving_framework);
    let mut row = |label: &str, value: String| {
        out.push_str(&wrap(&format!("  {label:<12}"), &value, WIDTH));
    };
    if let Some(name) = &d.achievement {
        row("achievement", format!("\"{name}\""));
    }
    if let Some(id) = &d.credential_id {
        row("credential", id.clone());
    }
    if let Some(issuer) = &d.issuer {
        row("issuer", issuer.clone());
    }
    let from = a
        .level
        .as_ref()
        .map(|l| l.from.to_string())
        .unwrap_or_else(|| "no level stated".into());
    let levels: Vec<String> = d
        .recognised_levels
        .iter()
        .map(ToString::to_string)
        .collect();
    let level = match levels.as_slice() {
        [] if d.outcome == Outcome::NotRecognised => format!("{from} (not placed: not recognised)"),
        [] => format!(
            "{from} → no {} level derived (see reasons)",
            d.receiving_framework
        ),
        [one] => format!("{from} → {one}"),
        many => format!("{from} → {} (to be settled)", many.join(" or ")),
    };
    row("level", level);
    let claimed = a
        .credits
        .as_ref()
        .map(|c| format!("{} {} credit(s)", num(c.claim.credits), c.claim.system));
    let credits = match (&claimed, &d.credits) {
        (Some(claimed), Some(c)) => {
            let range = c
                .range
                .filter(|r| !r.is_exact())
                .map(|r| format!(" (range {r})"))
                .unwrap_or_default();
            format!(
                "{claimed} → {} {} credit(s){range}",
                num(c.awarded),
                c.system
            )
        }
        (Some(claimed), None) => format!("{claimed} → none awarded (see reasons)"),
        (None, _) => "no credits stated".into(),
    };
    row("credits", credits);
    if let Some(status) = d.status {
        row(
            "data",
            format!("{status} (weakest referencing or credit rule used)"),
        );
    }
    if !registry_checked {
        row("trust", "not checked (no --registry FILE)".into());
    }
    out.push_str("\nReasons\n");
    for r in &d.reasons {
        let prefix = format!("  {:<10} {:<18} ", r.effect.word(), r.element.label());
        out.push_str(&wrap(&prefix, &r.sentence, WIDTH));
    }
    out.push_str("\nThe full decision, verification report and assessment: --json\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_finding_has_a_fixed_element_and_effect() {
        // Codes are kebab-case and round-trip.
        for f in [
            Finding::Authentic,
            Finding::LevelSpan,
            Finding::CreditsProvisionalRule,
            Finding::QualityAssuranceNotChecked,
        ] {
            let v = serde_json::to_value(f).unwrap();
            assert_eq!(serde_json::from_value::<Finding>(v.clone()).unwrap(), f);
            assert!(!f.code().is_empty() && !f.code().contains('_'), "{v}");
        }
        assert_eq!(Finding::LevelSpan.code(), "level-span");
        assert_eq!(Finding::Revoked.element(), Element::Authenticity);
        assert_eq!(Finding::Revoked.effect(), Effect::NotMet);
        assert_eq!(
            Finding::AccreditationProvisional.effect(),
            Effect::Condition
        );
        assert_eq!(Finding::LevelNoPath.effect(), Effect::Undecided);
        assert_eq!(Finding::LevelNotStated.effect(), Effect::Undecided);
        assert_eq!(
            serde_json::to_value(Outcome::CannotBeDecidedAutomatically).unwrap(),
            json!(Outcome::CannotBeDecidedAutomatically.as_str())
        );
        assert_eq!(Finding::CreditsRange.element(), Element::Workload);
    }

    #[test]
    fn whole_numbers_are_json_integers() {
        assert_eq!(json_number(4.0), json!(4));
        assert_eq!(json_number(4.5), json!(4.5));
    }
}

//! Learning-outcome record → unsigned Open Badges 3.0 `OpenBadgeCredential` (VC Data Model 2.0).
//!
//! Everything is said in terms every verifier already knows (VC 2.0 and OB 3.0): the achievement,
//! its criteria, learning outcomes (`ceasn:Competency` alignments), the framework level (an
//! `ext:FrameworkLevel` alignment: `targetFramework`, `targetCode`), the ISCED-F 2013 field of
//! study (an `ext:ISCEDFieldOfStudy` alignment with the concept IRI, and `fieldOfStudy` as text),
//! `creditsAvailable`, `creditsEarned`, `humanCode` and the grade as `Result` /
//! `ResultDescription`. OB 3.0 has no word for the credit system and the learning hours: those
//! two come from an inline context ([`crate::vocab`]), so no verifier has to fetch anything.
//!
//! Credentials issued before this change carry `frameworkLevel` and `iscedFieldOfStudy` under
//! the (bundled, never published) skillpass v1 context; [`framework_level`] reads both shapes.

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::record::{
    isced_f_label, Learner, LearningOutcomeRecord, LocalIdentifier, ISCED_F_CONCEPT_BASE,
};
use crate::schema::{validate_ob3, Violation};
use crate::vocab;

/// W3C VC Data Model 2.0 base context.
pub const VC_V2_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";
/// Open Badges 3.0.3 context.
pub const OB3_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/// Namespace of skillpass-minted IRIs (framework levels without a published URL).
const SKILLPASS_FRAMEWORKS: &str = "https://w3id.org/skillpass/frameworks/";

/// What the issuer decides at issuance time, as opposed to what the record states.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueParams {
    /// Becomes the credential id `urn:uuid:<id>`.
    pub id: Uuid,
    /// The issuer DID (the DID whose key will sign).
    pub issuer: String,
    pub valid_from: DateTime<Utc>,
}

/// Why a record cannot become a credential under the given parameters.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CredentialError {
    #[error("issuer {0:?} is not a DID")]
    IssuerNotDid(String),
    #[error("the record names issuer {record}, but the credential is issued by {issuer}")]
    IssuerMismatch { record: String, issuer: String },
    #[error("validUntil {valid_until} is not after validFrom {valid_from}")]
    ValidUntilNotAfterValidFrom {
        valid_from: String,
        valid_until: String,
    },
    #[error("awardedDate {awarded} is after validFrom {valid_from}")]
    AwardedAfterValidFrom { awarded: String, valid_from: String },
    /// A builder bug, never bad input: the output broke the OB 3.0 schema.
    #[error("built credential breaks the OB 3.0 schema: {}", join(.0))]
    Schema(Vec<Violation>),
}

fn join(violations: &[Violation]) -> String {
    violations
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// Builds the unsigned credential and checks it against the OB 3.0 schema before returning it.
pub fn build_credential(
    record: &LearningOutcomeRecord,
    params: &IssueParams,
) -> Result<Value, CredentialError> {
    if !is_did(&params.issuer) {
        return Err(CredentialError::IssuerNotDid(params.issuer.clone()));
    }
    if let Some(id) = &record.issuer.id {
        if id != &params.issuer {
            return Err(CredentialError::IssuerMismatch {
                record: id.clone(),
                issuer: params.issuer.clone(),
            });
        }
    }
    let valid_from = timestamp(&params.valid_from);
    if let Some(until) = &record.valid_until {
        if *until <= params.valid_from {
            return Err(CredentialError::ValidUntilNotAfterValidFrom {
                valid_from,
                valid_until: until.to_rfc3339(),
            });
        }
    }
    if record.awarded_date > params.valid_from {
        return Err(CredentialError::AwardedAfterValidFrom {
            awarded: record.awarded_date.to_rfc3339(),
            valid_from,
        });
    }

    let achievement = achievement(record, &params.issuer);
    let mut subject = Map::new();
    match &record.learner {
        Learner::Did { id } => {
            subject.insert("id".into(), json!(id));
            subject.insert("type".into(), json!(["AchievementSubject"]));
        }
        Learner::NamedDid {
            id,
            name,
            native_name,
            identifier,
        } => {
            subject.insert("id".into(), json!(id));
            subject.insert("type".into(), json!(["AchievementSubject"]));
            subject.insert(
                "identifier".into(),
                identities(name, native_name.as_deref(), identifier.as_ref()),
            );
        }
        Learner::Local {
            name,
            native_name,
            identifier,
        } => {
            subject.insert("type".into(), json!(["AchievementSubject"]));
            subject.insert(
                "identifier".into(),
                identities(name, native_name.as_deref(), Some(identifier)),
            );
        }
    }
    subject.insert(
        "creditsEarned".into(),
        number(record.achievement.credits.value),
    );
    if let Some(grade) = &record.result {
        let mut result = Map::new();
        result.insert("type".into(), json!(["Result"]));
        if let Some(description) = result_description_id(&achievement) {
            result.insert("resultDescription".into(), json!(description));
        }
        result.insert("value".into(), json!(grade.value));
        subject.insert("result".into(), json!([result]));
    }
    subject.insert("achievement".into(), achievement);

    let mut issuer = Map::new();
    issuer.insert("id".into(), json!(params.issuer));
    issuer.insert("type".into(), json!(["Profile"]));
    issuer.insert("name".into(), json!(record.issuer.name));
    issuer.insert("url".into(), json!(record.issuer.url));
    if let Some(email) = &record.issuer.email {
        issuer.insert("email".into(), json!(email));
    }
    issuer.insert(
        "address".into(),
        json!({"type": ["Address"], "addressCountryCode": record.issuer.country}),
    );

    let mut vc = Map::new();
    vc.insert("@context".into(), json!([VC_V2_CONTEXT, OB3_CONTEXT]));
    vc.insert("id".into(), json!(format!("urn:uuid:{}", params.id)));
    vc.insert(
        "type".into(),
        json!(["VerifiableCredential", "OpenBadgeCredential"]),
    );
    vc.insert("name".into(), json!(record.achievement.name));
    vc.insert("issuer".into(), Value::Object(issuer));
    vc.insert("validFrom".into(), json!(valid_from));
    if let Some(until) = &record.valid_until {
        vc.insert("validUntil".into(), json!(until.to_rfc3339()));
    }
    vc.insert(
        "awardedDate".into(),
        json!(record.awarded_date.to_rfc3339()),
    );
    vc.insert("credentialSubject".into(), Value::Object(subject));

    let vc = Value::Object(vc);
    validate_ob3(&vc).map_err(CredentialError::Schema)?;
    Ok(vc)
}

/// The achievement's id: the record's own IRI, else a `urn:uuid` (version 8, SHA-256 based)
/// of the issuer and the achievement's content, so every learner of the same course version
/// gets the same achievement id and a changed course gets a new one.
pub fn achievement_id(record: &LearningOutcomeRecord, issuer: &str) -> String {
    if let Some(id) = &record.achievement.id {
        return id.clone();
    }
    let content = json!({
        "achievement": record.achievement,
        "resultScale": record.result.as_ref().and_then(|r| r.scale.as_ref()),
        "resultType": record.result.as_ref().and_then(|r| r.result_type.as_ref()),
    });
    derived_uuid("skillpass achievement v1", &[issuer, &content.to_string()])
}

fn achievement(record: &LearningOutcomeRecord, issuer: &str) -> Value {
    let a = &record.achievement;
    let id = achievement_id(record, issuer);
    let mut alignment = vec![level_alignment(record), field_alignment(&a.field_of_study)];
    for outcome in &a.learning_outcomes {
        let mut al = Map::new();
        al.insert("type".into(), json!(["Alignment"]));
        al.insert("targetName".into(), json!(outcome.statement));
        if !outcome.translations.is_empty() {
            al.insert("targetNameMap".into(), json!(outcome.translations));
        }
        // Outcomes without their own page are published as part of the achievement.
        al.insert(
            "targetUrl".into(),
            json!(outcome.url.as_deref().unwrap_or(&id)),
        );
        al.insert("targetType".into(), json!("ceasn:Competency"));
        if let Some(code) = &outcome.code {
            al.insert("targetCode".into(), json!(code));
        }
        alignment.push(Value::Object(al));
    }

    let mut m = Map::new();
    // An embedded context, where the two terms are used: an inline object in the top-level
    // `@context` would break eddsa-jcs-2022 in Digital Bazaar's verifier, which compares the
    // proof's and the document's contexts by reference (`docs/ARCHITECTURE.md`).
    let multilingual = !a.translations.is_empty()
        || a.learning_outcomes
            .iter()
            .any(|o| !o.translations.is_empty());
    m.insert(
        "@context".into(),
        vocab::inline_context(if multilingual {
            vocab::MULTILINGUAL_RECORD_TERMS
        } else {
            vocab::RECORD_TERMS
        }),
    );
    m.insert("id".into(), json!(id));
    m.insert("type".into(), json!(["Achievement"]));
    m.insert(
        "achievementType".into(),
        json!(a.achievement_type.as_deref().unwrap_or("Course")),
    );
    if let Some(lang) = &a.in_language {
        m.insert("inLanguage".into(), json!(lang));
    }
    m.insert("name".into(), json!(a.name));
    // Translations: JSON-LD language maps of the same properties (docs/LANGUAGES.md).
    let map = |pick: &dyn Fn(&crate::record::AchievementTranslation) -> Option<String>| {
        let entries: Map<String, Value> = a
            .translations
            .iter()
            .filter_map(|(lang, t)| pick(t).map(|text| (lang.clone(), json!(text))))
            .collect();
        (!entries.is_empty()).then_some(Value::Object(entries))
    };
    if let Some(names) = map(&|t| Some(t.name.clone())) {
        m.insert("nameMap".into(), names);
    }
    m.insert("description".into(), json!(a.description));
    if let Some(descriptions) = map(&|t| t.description.clone()) {
        m.insert("descriptionMap".into(), descriptions);
    }
    let mut criteria = Map::new();
    criteria.insert("narrative".into(), json!(a.criteria.narrative));
    if let Some(narratives) = map(&|t| t.criteria.clone()) {
        criteria.insert("narrativeMap".into(), narratives);
    }
    m.insert("criteria".into(), Value::Object(criteria));
    if let Some(code) = &a.human_code {
        m.insert("humanCode".into(), json!(code));
    }
    // The schema guarantees a listed code; the fallback only keeps this total.
    let label = isced_f_label(&a.field_of_study).unwrap_or(&a.field_of_study);
    m.insert("fieldOfStudy".into(), json!(label));
    m.insert("creditsAvailable".into(), number(a.credits.value));
    m.insert("creditSystem".into(), json!(a.credits.system));
    m.insert("learningHours".into(), number(a.learning_hours));
    m.insert("alignment".into(), Value::Array(alignment));
    if let Some(grade) = &record.result {
        if grade.scale.is_some() || grade.result_type.is_some() {
            let rd_id = derived_uuid("skillpass result description v1", &[&id]);
            m.insert(
                "resultDescription".into(),
                json!([{
                    "id": rd_id,
                    "type": ["ResultDescription"],
                    "name": grade.scale.as_deref().unwrap_or("Grade"),
                    "resultType": grade.result_type.as_deref().unwrap_or("Result"),
                }]),
            );
        }
    }
    Value::Object(m)
}

fn result_description_id(achievement: &Value) -> Option<String> {
    achievement["resultDescription"][0]["id"]
        .as_str()
        .map(str::to_owned)
}

fn level_alignment(record: &LearningOutcomeRecord) -> Value {
    let level = &record.achievement.level;
    let framework = framework_name(&level.framework).unwrap_or(&level.framework);
    let url = level
        .url
        .clone()
        .unwrap_or_else(|| default_level_url(&level.framework, &level.code));
    json!({
        "type": ["Alignment"],
        "targetName": format!("{framework} level {}", level.code),
        "targetUrl": url,
        "targetType": "ext:FrameworkLevel",
        "targetFramework": framework,
        "targetCode": level.code,
    })
}

/// `targetType` of the alignment that states the achievement's framework level.
pub const LEVEL_ALIGNMENT: &str = "ext:FrameworkLevel";
/// `targetType` of the alignment that states the ISCED-F 2013 field of study.
pub const FIELD_ALIGNMENT: &str = "ext:ISCEDFieldOfStudy";
/// `targetFramework` of the field-of-study alignment.
const ISCED_F: &str = "ISCED-F 2013";

fn field_alignment(code: &str) -> Value {
    // The record schema guarantees a listed code; the fallback only keeps this total.
    let label = isced_f_label(code).unwrap_or(code);
    json!({
        "type": ["Alignment"],
        "targetName": label,
        "targetUrl": format!("{ISCED_F_CONCEPT_BASE}{code}"),
        "targetType": FIELD_ALIGNMENT,
        "targetFramework": ISCED_F,
        "targetCode": code,
    })
}

/// The framework level an achievement states, as (framework id, level code): from its
/// `ext:FrameworkLevel` alignment, or from `frameworkLevel` in credentials issued with the
/// skillpass v1 context.
pub fn framework_level(achievement: &Value) -> Option<(String, String)> {
    let from_alignment = alignment_of(achievement, LEVEL_ALIGNMENT).and_then(|a| {
        let framework = a.get("targetFramework")?.as_str()?;
        let code = a.get("targetCode")?.as_str()?;
        Some((framework_id(framework).to_owned(), code.to_owned()))
    });
    from_alignment.or_else(|| {
        let level = achievement.get("frameworkLevel")?;
        Some((
            level.get("framework")?.as_str()?.to_owned(),
            level.get("levelCode")?.as_str()?.to_owned(),
        ))
    })
}

/// The ISCED-F 2013 code of an achievement's field of study: from its `ext:ISCEDFieldOfStudy`
/// alignment, or from `iscedFieldOfStudy` in credentials issued with the skillpass v1 context.
pub fn isced_field(achievement: &Value) -> Option<String> {
    alignment_of(achievement, FIELD_ALIGNMENT)
        .and_then(|a| a.get("targetCode")?.as_str())
        .or_else(|| {
            achievement
                .get("iscedFieldOfStudy")?
                .as_str()?
                .strip_prefix(ISCED_F_CONCEPT_BASE)
        })
        .map(str::to_owned)
}

/// The achievement's first alignment of `target_type`.
fn alignment_of<'a>(achievement: &'a Value, target_type: &str) -> Option<&'a Value> {
    achievement
        .get("alignment")?
        .as_array()?
        .iter()
        .find(|a| a.get("targetType").and_then(Value::as_str) == Some(target_type))
}

/// The framework id whose name [`framework_name`] gives as `name`; any other name is taken as
/// an id itself (a framework the record schema does not list).
pub fn framework_id(name: &str) -> &str {
    FRAMEWORKS
        .iter()
        .find(|(_, n)| *n == name)
        .map_or(name, |(id, _)| id)
}

/// Names of the frameworks the record schema range-checks (see `shared/reference/frameworks.md`).
pub fn framework_name(id: &str) -> Option<&'static str> {
    FRAMEWORKS.iter().find(|(i, _)| *i == id).map(|(_, n)| *n)
}

/// (id, name) of every framework a record may name.
const FRAMEWORKS: &[(&str, &str)] = &[
    ("EQF", "European Qualifications Framework"),
    ("AQRF", "ASEAN Qualifications Reference Framework"),
    ("ACQF", "African Continental Qualifications Framework"),
    ("SADCQF", "SADC Qualifications Framework"),
    (
        "ISCED-2011",
        "International Standard Classification of Education 2011",
    ),
    ("MQF", "Malaysian Qualifications Framework"),
    ("MY-SKM", "Malaysian Skills Certificate (SKM)"),
    (
        "TH-TQF",
        "Thai Qualifications Framework for Higher Education",
    ),
    (
        "LA-NVQF",
        "Lao TVET National Vocational Qualifications Framework",
    ),
    ("GH-NTVETQF", "Ghana National TVET Qualifications Framework"),
    ("ZNQF", "Zimbabwe National Qualifications Framework"),
];

/// EQF levels have published concept IRIs (European Learning Model); other frameworks get a
/// skillpass-minted IRI so the required `targetUrl` is still an identifier of the level.
fn default_level_url(framework: &str, code: &str) -> String {
    if framework == "EQF" {
        format!("http://data.europa.eu/snb/eqf/{code}")
    } else {
        format!("{SKILLPASS_FRAMEWORKS}{framework}#level-{code}")
    }
}

/// The learner's name (and the name in the script of their own language, as a second `name`)
/// and local identifier as OB 3.0 IdentityObjects, in plaintext (hashed: false) because a
/// verifier must match them against an ID card or enrolment data.
fn identities(name: &str, native: Option<&str>, identifier: Option<&LocalIdentifier>) -> Value {
    let mut ids = vec![identity(name, "name")];
    if let Some(native) = native {
        ids.push(identity(native, "name"));
    }
    if let Some(identifier) = identifier {
        ids.push(identity(
            &identifier.value,
            &identity_type(identifier.scheme.as_deref()),
        ));
    }
    Value::Array(ids)
}

fn identity(value: &str, identity_type: &str) -> Value {
    json!({
        "type": "IdentityObject",
        "identityHash": value,
        "identityType": identity_type,
        "hashed": false,
    })
}

/// OB 3.0 IdentifierTypeEnum values pass through; other schemes become `ext:` extensions.
fn identity_type(scheme: Option<&str>) -> String {
    const OB3: [&str; 19] = [
        "name",
        "sourcedId",
        "systemId",
        "productId",
        "userName",
        "accountId",
        "emailAddress",
        "nationalIdentityNumber",
        "isbn",
        "issn",
        "lisSourcedId",
        "oneRosterSourcedId",
        "sisSourcedId",
        "ltiContextId",
        "ltiDeploymentId",
        "ltiToolId",
        "ltiPlatformId",
        "ltiUserId",
        "identifier",
    ];
    match scheme {
        None => "identifier".into(),
        Some(s) if OB3.contains(&s) || s.starts_with("ext:") => s.into(),
        Some(s) => format!("ext:{s}"),
    }
}

/// Whole numbers are written as JSON integers (`4`, not `4.0`), as a registrar would.
fn number(n: f64) -> Value {
    const MAX_SAFE: f64 = 9_007_199_254_740_991.0;
    if n.fract() == 0.0 && n.abs() <= MAX_SAFE {
        json!(n as i64)
    } else {
        json!(n)
    }
}

fn timestamp(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

fn derived_uuid(domain: &str, parts: &[&str]) -> String {
    let mut hash = Sha256::new();
    hash.update(domain.as_bytes());
    for part in parts {
        // Length-prefixed, so ("ab","c") and ("a","bc") differ.
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part.as_bytes());
    }
    let digest = hash.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    format!(
        "urn:uuid:{}",
        uuid::Builder::from_custom_bytes(bytes).into_uuid()
    )
}

/// DID Core syntax: `did:<method>:<method-specific-id>`, method lowercase alphanumerics, id of
/// `ALPHA / DIGIT / . - _ / pct-encoded`, colon-separated, not ending in a colon.
pub(crate) fn is_did(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("did:") else {
        return false;
    };
    let Some((method, id)) = rest.split_once(':') else {
        return false;
    };
    if method.is_empty()
        || !method
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    {
        return false;
    }
    if id.is_empty() || id.ends_with(':') {
        return false;
    }
    let bytes = id.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = |j: usize| bytes.get(j).is_some_and(u8::is_ascii_hexdigit);
                if !(hex(i + 1) && hex(i + 2)) {
                    return false;
                }
                i += 3;
            }
            b if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b':') => i += 1,
            _ => return false,
        }
    }
    true
}

/// Record → signed credential without a service (the offline `skillpass issue` and
/// `skillpass batch`): validate the record, build the OB 3.0 credential with `key`'s did:key as
/// issuer, sign it.
pub fn issue_offline(
    record_json: &Value,
    key: &crate::keys::SecretKey,
    suite: crate::proof::Cryptosuite,
    now: DateTime<Utc>,
) -> anyhow::Result<Value> {
    let record = crate::record::parse_record(record_json)?;
    let public = key.public_key();
    let now = chrono::SubsecRound::trunc_subsecs(now, 0);
    let params = IssueParams {
        id: uuid::Uuid::new_v4(),
        issuer: public.did_key(),
        valid_from: now,
    };
    let unsigned = build_credential(&record, &params)?;
    let options = crate::proof::ProofOptions {
        suite,
        verification_method: public.verification_method_id(),
        purpose: crate::proof::ProofPurpose::AssertionMethod,
        created: now,
        challenge: None,
        domain: None,
    };
    Ok(crate::proof::sign(
        &unsigned,
        key,
        &options,
        &crate::contexts::ContextRegistry::bundled(),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_syntax() {
        for ok in [
            "did:key:z6MkhFwXNFWosLeugvSf4wcL9t3uuRXueGSFTRgSvHhWj5G2",
            "did:web:szpu.edu.cn",
            "did:web:example.com%3A8443:issuers:42",
        ] {
            assert!(is_did(ok), "{ok}");
        }
        for bad in [
            "did:key:",
            "did:Key:abc",
            "did::abc",
            "did:web:a:",
            "did:web:a b",
            "did:web:%zz",
            "https://example.org",
            "did:web",
        ] {
            assert!(!is_did(bad), "{bad}");
        }
    }

    #[test]
    fn identity_types() {
        assert_eq!(identity_type(None), "identifier");
        assert_eq!(identity_type(Some("sourcedId")), "sourcedId");
        assert_eq!(identity_type(Some("ext:matric")), "ext:matric");
        assert_eq!(identity_type(Some("student-number")), "ext:student-number");
    }

    #[test]
    fn numbers_are_integers_when_whole() {
        assert_eq!(number(4.0).to_string(), "4");
        assert_eq!(number(2.5).to_string(), "2.5");
        assert_eq!(number(0.0).to_string(), "0");
    }

    #[test]
    fn derived_uuids_are_version_8_and_stable() {
        let a = derived_uuid("d", &["x", "y"]);
        assert_eq!(a, derived_uuid("d", &["x", "y"]));
        assert_ne!(a, derived_uuid("d", &["xy", ""]));
        let u = Uuid::parse_str(a.strip_prefix("urn:uuid:").unwrap()).unwrap();
        assert_eq!(u.get_version_num(), 8);
    }
}

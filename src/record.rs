//! Learning-outcome records: the JSON an institution hands us for one learner's achievement.
//!
//! A record is checked against `schemas/learning-outcome-record.schema.json` (JSON Schema
//! 2020-12) plus a few cross-field rules a schema cannot express, and every problem is reported
//! at once with its JSON Pointer, so a registrar can fix a whole file in one pass. Only a record
//! that passes is turned into the typed [`LearningOutcomeRecord`].

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset};
use jsonschema::{Draft, Validator};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::frameworks::FrameworkRegistry;
use crate::schema::{self, Violation};

/// The record JSON Schema (2020-12), embedded.
pub const RECORD_SCHEMA: &str = include_str!("../schemas/learning-outcome-record.schema.json");

/// ISCED-F 2013 codes and English labels, vendored from the European Learning Model.
const ISCED_F_2013: &str = include_str!("../schemas/isced-f-2013.json");

/// Concept IRI prefix of ISCED-F 2013 codes in the European Learning Model.
pub const ISCED_F_CONCEPT_BASE: &str = "http://data.europa.eu/snb/isced-f/";

/// One learner's achievement, as the issuing institution records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LearningOutcomeRecord {
    /// The institution's own id for the record (for idempotent batch issuance).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_id: Option<String>,
    pub learner: Learner,
    pub achievement: AchievementRecord,
    pub awarded_date: DateTime<FixedOffset>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_until: Option<DateTime<FixedOffset>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<GradeResult>,
    pub issuer: IssuerProfile,
}

/// Who earned the achievement: a DID the learner controls, or (for learners without a wallet
/// yet) a name plus an institution-local identifier, or both: a DID with the name (and, if the
/// institution wants it, the identifier), so an employer can match the holder to an ID card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Learner {
    /// Tried first: with a name, a DID record is this form, never the bare [`Learner::Did`].
    NamedDid {
        id: String,
        name: String,
        /// The name in the script of the learner's own language (Lao, Thai, Khmer, Chinese),
        /// beside `name` in Latin letters.
        #[serde(
            default,
            rename = "nativeName",
            skip_serializing_if = "Option::is_none"
        )]
        native_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        identifier: Option<LocalIdentifier>,
    },
    Did {
        id: String,
    },
    Local {
        name: String,
        /// As in [`Learner::NamedDid`].
        #[serde(
            default,
            rename = "nativeName",
            skip_serializing_if = "Option::is_none"
        )]
        native_name: Option<String>,
        identifier: LocalIdentifier,
    },
}

/// An institution-local learner id such as a student number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalIdentifier {
    pub value: String,
    /// OB 3.0 identity type (`sourcedId`, …) or a local scheme name; `None` means generic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
}

/// The course, module or qualification and what it certifies.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AchievementRecord {
    /// Stable IRI of the achievement, if the institution has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    pub description: String,
    pub criteria: Criteria,
    pub learning_outcomes: Vec<LearningOutcome>,
    /// ISCED-F 2013 code, e.g. `"0716"`.
    pub field_of_study: String,
    pub level: Level,
    pub credits: Credits,
    pub learning_hours: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub human_code: Option<String>,
    /// OB 3.0 AchievementType; the credential uses `Course` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub achievement_type: Option<String>,
    /// BCP 47 tag of the language `name`, `description`, the criteria and the outcome
    /// statements are written in (OB 3.0 `inLanguage`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_language: Option<String>,
    /// The same texts in other languages, by BCP 47 tag (docs/LANGUAGES.md).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, AchievementTranslation>,
}

/// An achievement's texts in one more language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AchievementTranslation {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The criteria narrative.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub criteria: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Criteria {
    pub narrative: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearningOutcome {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    pub statement: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The statement in other languages, by BCP 47 tag.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, String>,
}

/// A level in a qualifications framework (`framework` is a short id such as `MQF`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Level {
    pub framework: String,
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Credits with their system, since a bare number (all OB 3.0 offers) is ambiguous across
/// ECTS, MQF, ZNQF and Chinese credit hours.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Credits {
    pub value: f64,
    pub system: String,
}

/// The learner's grade.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GradeResult {
    pub value: String,
    /// The grading scale in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<String>,
    /// OB 3.0 ResultType (`LetterGrade`, `Percent`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result_type: Option<String>,
}

/// The issuing institution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IssuerProfile {
    /// The issuer DID; if given it must be the DID that issues.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub name: String,
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: String,
}

/// Why a record was refused.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// The text is not JSON at all.
    #[error("malformed JSON at line {line}, column {column}: {message}")]
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    /// The JSON breaks the record schema or a cross-field rule; all violations, sorted by path.
    #[error("{}", ViolationList(.0))]
    Invalid(Vec<Violation>),
}

impl RecordError {
    /// The violations, empty for malformed JSON.
    pub fn violations(&self) -> &[Violation] {
        match self {
            RecordError::Invalid(v) => v,
            RecordError::Json { .. } => &[],
        }
    }
}

struct ViolationList<'a>(&'a [Violation]);

impl fmt::Display for ViolationList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(
            f,
            "invalid learning-outcome record ({n} problem{}):",
            if n == 1 { "" } else { "s" }
        )?;
        for v in self.0 {
            write!(f, "\n  {v}")?;
        }
        Ok(())
    }
}

struct RecordSchema {
    schema: Value,
    validator: Validator,
}

static SCHEMA: LazyLock<RecordSchema> = LazyLock::new(|| {
    let schema: Value = serde_json::from_str(RECORD_SCHEMA).expect("record schema is JSON");
    let validator = schema::compile(&schema, Draft::Draft202012).expect("record schema compiles");
    RecordSchema { schema, validator }
});

static ISCED: LazyLock<BTreeMap<String, String>> = LazyLock::new(|| {
    let file: Value = serde_json::from_str(ISCED_F_2013).expect("ISCED-F list is JSON");
    serde_json::from_value(file["codes"].clone()).expect("ISCED-F codes map")
});

/// English label of an ISCED-F 2013 code, `None` for a code not in the classification.
pub fn isced_f_label(code: &str) -> Option<&'static str> {
    ISCED.get(code).map(String::as_str)
}

/// Every ISCED-F 2013 code, in classification order.
pub fn isced_f_codes() -> impl Iterator<Item = &'static str> {
    ISCED.keys().map(String::as_str)
}

/// Parses record text; malformed JSON is reported with its 1-based line and column.
pub fn parse_record_str(text: &str) -> Result<LearningOutcomeRecord, RecordError> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        let full = e.to_string();
        let suffix = format!(" at line {} column {}", e.line(), e.column());
        RecordError::Json {
            line: e.line(),
            column: e.column(),
            message: full.strip_suffix(&suffix).unwrap_or(&full).to_owned(),
        }
    })?;
    parse_record(&value)
}

/// Validates a record and returns its typed form, or every violation found.
///
/// `awardedDate` and `validUntil` may be a date alone (`2025-07-11`): it means the start of
/// that day in UTC (`2025-07-11T00:00:00Z`), since a VC 2.0 `validFrom` is a dateTimeStamp,
/// which needs a time and an offset.
pub fn parse_record(value: &Value) -> Result<LearningOutcomeRecord, RecordError> {
    let normalised = with_full_dates(value);
    let value = normalised.as_ref().unwrap_or(value);
    let mut violations = schema::collect(&SCHEMA.validator, &SCHEMA.schema, value);
    framework_rules(value, &mut violations);
    cross_field_rules(value, &mut violations);
    if !violations.is_empty() {
        violations.sort();
        violations.dedup();
        return Err(RecordError::Invalid(violations));
    }
    serde_json::from_value(value.clone()).map_err(|e| {
        // Unreachable while the schema and the types agree; reported rather than panicking.
        RecordError::Invalid(vec![Violation::new(
            "",
            format!("record does not fit the typed model: {e}"),
        )])
    })
}

/// The fields that may hold a date alone.
const DATE_FIELDS: [&str; 2] = ["awardedDate", "validUntil"];

/// `value` with each date-only `awardedDate`/`validUntil` (a real calendar date) as the start
/// of that day in UTC; `None` when there is none.
fn with_full_dates(value: &Value) -> Option<Value> {
    let full = |v: &Value| {
        let text = v.as_str()?;
        let date = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
        // Only the exact form: `2025-7-1` is not a date we read.
        (text.len() == 10).then(|| format!("{date}T00:00:00Z"))
    };
    let changes: Vec<(&str, String)> = DATE_FIELDS
        .iter()
        .filter_map(|f| Some((*f, full(value.get(*f)?)?)))
        .collect();
    if changes.is_empty() {
        return None;
    }
    let mut out = value.clone();
    for (field, text) in changes {
        out[field] = Value::String(text);
    }
    Some(out)
}

/// The level's framework and code must be in the framework data (`schemas/frameworks/`): a
/// typo such as `CN-VOCX` or `Associate` would otherwise be signed and fail recognition later.
/// These messages replace the schema's own at the same paths.
fn framework_rules(value: &Value, out: &mut Vec<Violation>) {
    let level = &value["achievement"]["level"];
    let (Some(framework), Some(code)) = (level["framework"].as_str(), level["code"].as_str())
    else {
        return;
    };
    let registry = FrameworkRegistry::bundled();
    let (path, kind, args, message) = match registry.framework(framework) {
        None => {
            let known: Vec<&str> = registry.ids().collect();
            let like = known.iter().find(|k| k.eq_ignore_ascii_case(framework));
            let hint = like
                .map(|k| format!(" (codes are case-sensitive: did you mean {k}?)"))
                .unwrap_or_default();
            (
                "/achievement/level/framework",
                "framework-unknown",
                vec![
                    ("framework", framework.to_owned()),
                    ("like", like.map(|k| k.to_string()).unwrap_or_default()),
                    ("frameworks", known.join(", ")),
                ],
                format!(
                    "framework `{framework}` is not a framework skillpass knows{hint}; the frameworks are: {}",
                    known.join(", ")
                ),
            )
        }
        Some(f) if f.level(code).is_none() => {
            let levels: Vec<&str> = f.levels.iter().map(|l| l.code.as_str()).collect();
            let like = levels.iter().find(|l| l.eq_ignore_ascii_case(code));
            let hint = like
                .map(|l| format!(" (codes are case-sensitive: did you mean {l}?)"))
                .unwrap_or_default();
            (
                "/achievement/level/code",
                "level-unknown",
                vec![
                    ("code", code.to_owned()),
                    ("framework", framework.to_owned()),
                    ("like", like.map(|l| l.to_string()).unwrap_or_default()),
                    ("levels", levels.join(", ")),
                ],
                format!(
                    "level `{code}` is not a level of framework {framework}{hint}; its levels are: {}",
                    levels.join(", ")
                ),
            )
        }
        Some(_) => return,
    };
    out.retain(|v| v.path != path);
    out.push(Violation::of(path, kind, args, message));
}

/// Rules JSON Schema cannot state. They read the raw JSON so they run (and report) alongside
/// schema violations; each silently skips values the schema already rejects.
fn cross_field_rules(value: &Value, out: &mut Vec<Violation>) {
    let achievement = &value["achievement"];
    // Two decimals is what registrars record; it also keeps numbers clear of the float edge
    // cases that JSON-LD canonicalization refuses.
    for (pointer, field) in [
        (
            "/achievement/credits/value",
            &achievement["credits"]["value"],
        ),
        ("/achievement/learningHours", &achievement["learningHours"]),
    ] {
        if let Some(n) = field.as_f64() {
            let cents = n * 100.0;
            if (cents - cents.round()).abs() > 1e-6 {
                out.push(Violation::of(
                    pointer,
                    "decimals",
                    Vec::new(),
                    "has more than two decimal places",
                ));
            }
        }
    }
    if let Some(outcomes) = achievement["learningOutcomes"].as_array() {
        let mut seen = HashSet::new();
        for (i, outcome) in outcomes.iter().enumerate() {
            if let Some(code) = outcome["code"].as_str() {
                if !seen.insert(code) {
                    out.push(Violation::of(
                        format!("/achievement/learningOutcomes/{i}/code"),
                        "duplicate-outcome-code",
                        vec![("code", code.to_owned())],
                        format!("duplicate learning-outcome code {code:?}"),
                    ));
                }
            }
        }
    }
    let date = |v: &Value| {
        v.as_str()
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
    };
    if let (Some(awarded), Some(until)) = (date(&value["awardedDate"]), date(&value["validUntil"]))
    {
        if until <= awarded {
            out.push(Violation::of(
                "/validUntil",
                "not-after-award",
                Vec::new(),
                "must be later than awardedDate",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn minimal() -> Value {
        json!({
            "learner": {"id": "did:key:z6MkhFwXNFWosLeugvSf4wcL9t3uuRXueGSFTRgSvHhWj5G2"},
            "achievement": {
                "name": "Battery System Diagnosis",
                "description": "Diagnosing faults in NEV traction battery systems.",
                "criteria": {"narrative": "Pass the practical assessment."},
                "learningOutcomes": [{"statement": "Measure insulation resistance safely."}],
                "fieldOfStudy": "0716",
                "level": {"framework": "ISCED-2011", "code": "5"},
                "credits": {"value": 2, "system": "CN-credit"},
                "learningHours": 36
            },
            "awardedDate": "2025-06-30T10:00:00+08:00",
            "issuer": {"name": "Shenzhen Polytechnic University", "url": "https://www.szpu.edu.cn/", "country": "CN"}
        })
    }

    #[test]
    fn schema_code_list_matches_vendored_isced_list() {
        let schema: Value = serde_json::from_str(RECORD_SCHEMA).unwrap();
        let listed: Vec<&str> = schema
            .pointer("/properties/achievement/properties/fieldOfStudy/enum")
            .and_then(Value::as_array)
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        let mut vendored: Vec<&str> = isced_f_codes().collect();
        let mut listed_sorted = listed.clone();
        listed_sorted.sort_unstable();
        vendored.sort_unstable();
        assert_eq!(listed_sorted, vendored);
        assert_eq!(listed.len(), 220);
        assert_eq!(
            isced_f_label("0716"),
            Some("Motor vehicles, ships and aircraft")
        );
        assert_eq!(
            isced_f_label("0799"),
            Some("Engineering, manufacturing and construction not elsewhere classified")
        );
        assert_eq!(isced_f_label("9999"), Some("Field unknown"));
        assert_eq!(isced_f_label("0217"), None);
    }

    #[test]
    fn minimal_record_parses_into_types() {
        let record = parse_record(&minimal()).unwrap();
        assert!(matches!(record.learner, Learner::Did { ref id } if id.starts_with("did:key:")));
        assert_eq!(record.achievement.credits.value, 2.0);
        assert_eq!(record.achievement.achievement_type, None);
        assert_eq!(record.awarded_date.offset().local_minus_utc(), 8 * 3600);
    }

    #[test]
    fn known_framework_levels_are_range_checked() {
        let mut v = minimal();
        v["achievement"]["level"] = json!({"framework": "MQF", "code": "9"});
        let err = parse_record(&v).unwrap_err();
        assert_eq!(err.violations().len(), 1, "{err}");
        assert_eq!(err.violations()[0].path, "/achievement/level/code");
        assert_eq!(
            err.violations()[0].message,
            "level `9` is not a level of framework MQF; its levels are: 1, 2, 3, 4, 5, 6, 7, 8"
        );
        // Frameworks the schema does not range-check are checked against the framework data.
        v["achievement"]["level"] = json!({"framework": "KH-CQF", "code": "9"});
        let err = parse_record(&v).unwrap_err();
        assert_eq!(err.violations()[0].path, "/achievement/level/code");
        v["achievement"]["level"] = json!({"framework": "KH-CQF", "code": "8"});
        parse_record(&v).unwrap();
    }

    #[test]
    fn cross_field_rules_report_with_paths() {
        let mut v = minimal();
        v["achievement"]["credits"]["value"] = json!(1.005);
        v["achievement"]["learningHours"] = json!(12.25);
        v["achievement"]["learningOutcomes"] =
            json!([{"code": "LO1", "statement": "a"}, {"code": "LO1", "statement": "b"}]);
        v["validUntil"] = json!("2025-06-30T01:59:59Z");
        let err = parse_record(&v).unwrap_err();
        let paths: Vec<&str> = err.violations().iter().map(|v| v.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "/achievement/credits/value",
                "/achievement/learningOutcomes/1/code",
                "/validUntil"
            ]
        );
    }

    #[test]
    fn display_lists_one_violation_per_line() {
        let mut v = minimal();
        v["issuer"]["country"] = json!("XX");
        v["recordId"] = json!("has space");
        let text = parse_record(&v).unwrap_err().to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "invalid learning-outcome record (2 problems):");
        assert!(lines[1].starts_with("  /issuer/country: "), "{text}");
        assert!(lines[2].starts_with("  /recordId: "), "{text}");
        assert_eq!(lines.len(), 3);
    }
}

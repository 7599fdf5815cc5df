//! One credential from the console's form: the form's fields ([`RecordForm`], named as the
//! batch CSV's columns are), the checks plain words can state (empty, not a number, not a
//! date, a record id's shape), the learning-outcome record built from them under the
//! institution's registered profile, and issuing it on behalf of a staff member
//! ([`Service::issue_record_by`]). Every problem is tied to the form field it belongs to
//! ([`field_of`] maps the record checks' paths), so the page can show it there.

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::record::RecordError;
use crate::schema::Violation;
use crate::service::{Issuance, Service, ServiceError};
use crate::store::Institution;

/// The form's fields, as typed.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct RecordForm {
    #[serde(default, rename = "recordId")]
    pub record_id: String,
    #[serde(default, rename = "learnerName")]
    pub learner_name: String,
    /// The student number.
    #[serde(default, rename = "learnerIdentifier")]
    pub learner_identifier: String,
    #[serde(default, rename = "achievementName")]
    pub achievement_name: String,
    #[serde(default, rename = "achievementDescription")]
    pub achievement_description: String,
    #[serde(default)]
    pub criteria: String,
    /// One outcome per line: `statement` or `code | statement`.
    #[serde(default)]
    pub outcomes: String,
    #[serde(default, rename = "fieldOfStudy")]
    pub field_of_study: String,
    /// `framework|code`.
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub credits: String,
    #[serde(default, rename = "creditSystem")]
    pub credit_system: String,
    #[serde(default, rename = "learningHours")]
    pub learning_hours: String,
    /// `YYYY-MM-DD`.
    #[serde(default, rename = "awardedDate")]
    pub awarded_date: String,
    /// Empty, or `YYYY-MM-DD`.
    #[serde(default, rename = "validUntil")]
    pub valid_until: String,
}

/// What is wrong with a field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldProblem {
    /// Left empty.
    Required,
    /// Not a number (or a negative one).
    Number,
    /// Not a date as `YYYY-MM-DD`.
    Date,
    /// Not 1 to 128 printable ASCII characters without spaces.
    RecordId,
    /// A credential was issued under this record id before (its id).
    Exists(String),
    /// What the record checks said (in English, and in structured form for the reader's
    /// language: [`crate::i18n::record`]).
    Checked(Violation),
}

/// Why the form's credential was not issued.
#[derive(Debug)]
pub enum Refusal {
    /// Problems by form field (field name, problem), and problems that belong to none (with
    /// their record path, `""` when they have no place).
    Form {
        fields: Vec<(&'static str, FieldProblem)>,
        general: Vec<Violation>,
    },
    /// Something failed that is not the form's fault.
    Internal(String),
}

/// The form's fields and the record field (JSON Pointer) each fills, most specific first.
const FIELD_PATHS: &[(&str, &str)] = &[
    ("/recordId", "recordId"),
    ("/learner/name", "learnerName"),
    ("/learner/identifier", "learnerIdentifier"),
    ("/learner", "learnerName"),
    ("/achievement/name", "achievementName"),
    ("/achievement/description", "achievementDescription"),
    ("/achievement/criteria", "criteria"),
    ("/achievement/learningOutcomes", "outcomes"),
    ("/achievement/fieldOfStudy", "fieldOfStudy"),
    ("/achievement/level", "level"),
    ("/achievement/credits/system", "creditSystem"),
    ("/achievement/credits", "credits"),
    ("/achievement/learningHours", "learningHours"),
    ("/awardedDate", "awardedDate"),
    ("/validUntil", "validUntil"),
];

/// The form field a record path (JSON Pointer) belongs to, if any.
pub fn field_of(path: &str) -> Option<&'static str> {
    FIELD_PATHS
        .iter()
        .find(|(p, _)| path == *p || path.strip_prefix(p).is_some_and(|r| r.starts_with('/')))
        .map(|(_, f)| *f)
}

impl RecordForm {
    /// The record the form describes, issued as `institution` (its registered name, web
    /// address — `public_url` when it has none — and country); or the problems plain words can
    /// state, by field.
    pub fn record(
        &self,
        institution: &Institution,
        public_url: &str,
    ) -> Result<Value, Vec<(&'static str, FieldProblem)>> {
        let mut problems = Vec::new();
        let required = [
            ("recordId", &self.record_id),
            ("learnerName", &self.learner_name),
            ("learnerIdentifier", &self.learner_identifier),
            ("achievementName", &self.achievement_name),
            ("achievementDescription", &self.achievement_description),
            ("criteria", &self.criteria),
            ("outcomes", &self.outcomes),
            ("fieldOfStudy", &self.field_of_study),
            ("level", &self.level),
            ("credits", &self.credits),
            ("creditSystem", &self.credit_system),
            ("learningHours", &self.learning_hours),
            ("awardedDate", &self.awarded_date),
        ];
        for (field, value) in required {
            if value.trim().is_empty() {
                problems.push((field, FieldProblem::Required));
            }
        }
        let record_id = self.record_id.trim();
        if !record_id.is_empty()
            && (record_id.len() > 128 || !record_id.bytes().all(|b| (0x21..=0x7e).contains(&b)))
        {
            problems.push(("recordId", FieldProblem::RecordId));
        }
        let mut number = |field: &'static str, text: &str| -> Option<Value> {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            match text.parse::<serde_json::Number>() {
                Ok(n) if n.as_f64().is_some_and(|f| f.is_finite() && f >= 0.0) => {
                    Some(Value::Number(n))
                }
                _ => {
                    problems.push((field, FieldProblem::Number));
                    None
                }
            }
        };
        let credits = number("credits", &self.credits);
        let hours = number("learningHours", &self.learning_hours);
        for (field, text) in [
            ("awardedDate", &self.awarded_date),
            ("validUntil", &self.valid_until),
        ] {
            let text = text.trim();
            if !text.is_empty() && NaiveDate::parse_from_str(text, "%Y-%m-%d").is_err() {
                problems.push((field, FieldProblem::Date));
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let outcomes: Vec<Value> = self
            .outcomes
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|line| match line.split_once('|') {
                Some((code, statement)) if !code.trim().is_empty() => {
                    json!({"code": code.trim(), "statement": statement.trim()})
                }
                Some((_, statement)) => json!({"statement": statement.trim()}),
                None => json!({"statement": line}),
            })
            .collect();
        let (framework, code) = self.level.split_once('|').unwrap_or(("", ""));
        let mut record = json!({
            "recordId": record_id,
            "learner": {
                "name": self.learner_name.trim(),
                "identifier": {"value": self.learner_identifier.trim(), "scheme": "student-number"},
            },
            "achievement": {
                "name": self.achievement_name.trim(),
                "description": self.achievement_description.trim(),
                "criteria": {"narrative": self.criteria.trim()},
                "learningOutcomes": outcomes,
                "fieldOfStudy": self.field_of_study.trim(),
                "level": {"framework": framework, "code": code},
                "credits": {"value": credits, "system": self.credit_system.trim()},
                "learningHours": hours,
            },
            "awardedDate": self.awarded_date.trim(),
            "issuer": {
                "name": institution.name,
                "url": institution.url.clone().unwrap_or_else(|| format!("{public_url}/")),
                "country": institution.country,
            },
        });
        if !self.valid_until.trim().is_empty() {
            record["validUntil"] = self.valid_until.trim().into();
        }
        Ok(record)
    }

    /// Issues the form's credential as `institution` on behalf of `actor` (named in the audit
    /// trail); the new credential's id.
    pub async fn issue(
        &self,
        service: &Service,
        institution: &Institution,
        actor: &str,
    ) -> Result<String, Refusal> {
        let record = self
            .record(institution, service.public_url())
            .map_err(|fields| Refusal::Form {
                fields,
                general: Vec::new(),
            })?;
        match service
            .issue_record_by(institution, &record, Issuance::default(), actor)
            .await
        {
            Ok(issued) => {
                let id = issued
                    .credential
                    .get("id")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned();
                if issued.created {
                    Ok(id)
                } else {
                    Err(Refusal::Form {
                        fields: vec![("recordId", FieldProblem::Exists(id))],
                        general: Vec::new(),
                    })
                }
            }
            Err(ServiceError::Record(RecordError::Invalid(violations))) => {
                let mut fields = Vec::new();
                let mut general = Vec::new();
                for v in violations {
                    match field_of(&v.path) {
                        Some(field) => fields.push((field, FieldProblem::Checked(v))),
                        None => general.push(v),
                    }
                }
                Err(Refusal::Form { fields, general })
            }
            Err(ServiceError::Internal(cause)) => Err(Refusal::Internal(cause)),
            Err(e) => Err(Refusal::Form {
                fields: Vec::new(),
                general: vec![Violation::new("", e.to_string())],
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn institution() -> Institution {
        use std::sync::Arc;
        let store = Arc::new(crate::store::MemoryStore::new());
        let now = chrono::DateTime::parse_from_rfc3339("2026-09-01T08:00:00Z").unwrap();
        let service = Service::new(
            store,
            "https://node.test",
            Arc::new(crate::service::FixedClock(now.into())),
        );
        let new = serde_json::from_value(json!({
            "id": "szpu", "name": "Shenzhen Polytechnic", "country": "CN",
            "framework": "CN-VOC", "didMethod": "did-key",
        }))
        .unwrap();
        service.register_institution(new, "test").unwrap().0
    }

    fn form() -> RecordForm {
        RecordForm {
            record_id: "R-1".into(),
            learner_name: "Malee".into(),
            learner_identifier: "TH-77".into(),
            achievement_name: "Robots".into(),
            achievement_description: "Robot maintenance.".into(),
            criteria: "A practical test.".into(),
            outcomes: "ROB-1 | Lock out a cell\n\n| Replace a motor\nCalibrate\n".into(),
            field_of_study: "0714".into(),
            level: "CN-VOC|associate".into(),
            credits: "4".into(),
            credit_system: "CN-credit".into(),
            learning_hours: "72".into(),
            awarded_date: "2026-06-30".into(),
            valid_until: String::new(),
        }
    }

    #[test]
    fn record_paths_land_on_their_fields() {
        assert_eq!(field_of("/learner/name"), Some("learnerName"));
        assert_eq!(
            field_of("/learner/identifier/value"),
            Some("learnerIdentifier")
        );
        assert_eq!(field_of("/learner"), Some("learnerName"));
        assert_eq!(field_of("/achievement/credits/value"), Some("credits"));
        assert_eq!(
            field_of("/achievement/credits/system"),
            Some("creditSystem")
        );
        assert_eq!(field_of("/achievement/level/code"), Some("level"));
        assert_eq!(
            field_of("/achievement/learningOutcomes/0/statement"),
            Some("outcomes")
        );
        assert_eq!(field_of("/achievement/nameX"), None);
        assert_eq!(field_of(""), None);
    }

    #[test]
    fn a_complete_form_is_a_valid_record_under_the_institutions_name() {
        let record = form().record(&institution(), "https://node.test").unwrap();
        assert_eq!(record["issuer"]["name"], "Shenzhen Polytechnic");
        assert_eq!(record["issuer"]["url"], "https://node.test/");
        assert_eq!(record["achievement"]["credits"]["value"], 4);
        assert_eq!(
            record["achievement"]["learningOutcomes"],
            json!([
                {"code": "ROB-1", "statement": "Lock out a cell"},
                {"statement": "Replace a motor"},
                {"statement": "Calibrate"},
            ])
        );
        crate::record::parse_record(&record).unwrap();
    }

    #[test]
    fn plain_problems_are_named_by_field() {
        let mut f = form();
        f.learner_name = " ".into();
        f.credits = "-1".into();
        f.learning_hours = "many".into();
        f.awarded_date = "30/06/2026".into();
        f.valid_until = "2026-02-30".into();
        f.record_id = "two words".into();
        let problems = f.record(&institution(), "https://node.test").unwrap_err();
        assert_eq!(
            problems,
            vec![
                ("learnerName", FieldProblem::Required),
                ("recordId", FieldProblem::RecordId),
                ("credits", FieldProblem::Number),
                ("learningHours", FieldProblem::Number),
                ("awardedDate", FieldProblem::Date),
                ("validUntil", FieldProblem::Date),
            ]
        );
    }
}

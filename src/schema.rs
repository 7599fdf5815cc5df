//! JSON Schema validation: issued credentials against the vendored Open Badges 3.0
//! `AchievementCredential` schema, and the [`Violation`] type shared with record validation.
//!
//! Schemas are compiled once from files embedded in the binary. The `jsonschema` crate is built
//! without its resolver features, so nothing is ever fetched: every `$ref` in our schemas is local.

use std::fmt;
use std::sync::LazyLock;

use jsonschema::error::ValidationErrorKind;
use jsonschema::{Draft, ValidationError, Validator};
use serde_json::Value;

/// The OB 3.0 AchievementCredential schema (draft 2019-09), see `schemas/README.md`.
pub const OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA: &str =
    include_str!("../schemas/ob_v3p0_achievementcredential_schema.json");

/// One way a document breaks a schema.
///
/// `message` is the problem in English (what the API answers and the CLI prints); `kind` and
/// `args` are the same problem in structured form, for pages that write it in the reader's
/// language (`record-{kind}` in `locales/<tag>/record.ftl`, see [`crate::i18n::record`]). A
/// problem without a structured form has an empty `kind` and is shown in English. Two
/// violations are equal (and sort) by path and message alone: the structured form says the
/// same as the message.
#[derive(Debug, Clone)]
pub struct Violation {
    /// JSON Pointer (RFC 6901) to the offending value, `""` for the document root. For a missing
    /// required property it points at where the property should be.
    pub path: String,
    /// What is wrong, in words.
    pub message: String,
    /// What kind of problem it is (`required`, `level-unknown`, …), `""` when it has no
    /// structured form.
    pub kind: &'static str,
    /// The variable parts of the message, by name (values and code lists stay as data).
    pub args: Vec<(&'static str, String)>,
}

impl PartialEq for Violation {
    fn eq(&self, other: &Self) -> bool {
        (&self.path, &self.message) == (&other.path, &other.message)
    }
}

impl Eq for Violation {}

impl PartialOrd for Violation {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Violation {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (&self.path, &self.message).cmp(&(&other.path, &other.message))
    }
}

impl std::hash::Hash for Violation {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.path.hash(state);
        self.message.hash(state);
    }
}

impl Violation {
    /// A violation with no structured form (shown in English everywhere).
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Violation {
            path: path.into(),
            message: message.into(),
            kind: "",
            args: Vec::new(),
        }
    }

    /// A violation of kind `kind` with its arguments and its English message.
    pub fn of(
        path: impl Into<String>,
        kind: &'static str,
        args: Vec<(&'static str, String)>,
        message: impl Into<String>,
    ) -> Self {
        Violation {
            path: path.into(),
            message: message.into(),
            kind,
            args,
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // An empty pointer reads as nothing at all, so the root gets a name.
        let path = if self.path.is_empty() {
            "(root)"
        } else {
            &self.path
        };
        write!(f, "{path}: {}", self.message)
    }
}

struct Compiled {
    schema: Value,
    validator: Validator,
}

static OB3: LazyLock<Compiled> = LazyLock::new(|| {
    let schema: Value = serde_json::from_str(OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA)
        .expect("vendored OB 3.0 schema is JSON");
    let validator = compile(&schema, Draft::Draft201909).expect("vendored OB 3.0 schema compiles");
    Compiled { schema, validator }
});

/// Validates a credential against the OB 3.0 AchievementCredential JSON Schema, returning every
/// violation (sorted by path) when it fails.
///
/// Two members are read with the VC Data Model 2.0's "one or many" rule, which the OB 3.0 schema
/// narrows: a single `proof` object is checked as a one-element array (the schema only allows
/// arrays, Data Integrity writes one proof as an object), and a `credentialStatus` array is
/// checked entry by entry against the schema's single-object form (skillpass gives every
/// credential a revocation and a suspension entry).
pub fn validate_ob3(credential: &Value) -> Result<(), Vec<Violation>> {
    let mut doc = credential.clone();
    if let Some(proof @ Value::Object(_)) = credential.get("proof") {
        doc["proof"] = Value::Array(vec![proof.clone()]);
    }
    let mut violations = match credential.get("credentialStatus") {
        Some(Value::Array(entries)) if !entries.is_empty() => {
            let mut found = Vec::new();
            for (i, entry) in entries.iter().enumerate() {
                doc["credentialStatus"] = entry.clone();
                for mut v in collect(&OB3.validator, &OB3.schema, &doc) {
                    match v.path.strip_prefix("/credentialStatus") {
                        Some(rest) => v.path = format!("/credentialStatus/{i}{rest}"),
                        // The rest of the document is the same on every pass: report it once.
                        None if i > 0 => continue,
                        None => {}
                    }
                    found.push(v);
                }
            }
            found
        }
        _ => collect(&OB3.validator, &OB3.schema, &doc),
    };
    if credential.get("proof").is_some_and(Value::is_object) {
        for v in &mut violations {
            if let Some(rest) = v.path.strip_prefix("/proof/0") {
                v.path = format!("/proof{rest}");
            }
        }
    }
    violations.sort_by(|a, b| (&a.path, &a.message).cmp(&(&b.path, &b.message)));
    violations.dedup();
    if violations.is_empty() {
        Ok(())
    } else {
        Err(violations)
    }
}

/// Compiles a schema with format assertions on (dates, e-mail, URIs are checked, not annotated).
pub(crate) fn compile(schema: &Value, draft: Draft) -> Result<Validator, String> {
    jsonschema::options()
        .with_draft(draft)
        .should_validate_formats(true)
        .build(schema)
        .map_err(|e| e.to_string())
}

/// Runs `validator` and turns each error into violations with stable wording, sorted and
/// de-duplicated so callers and tests see a deterministic list.
pub(crate) fn collect(validator: &Validator, schema: &Value, instance: &Value) -> Vec<Violation> {
    let mut out = Vec::new();
    for error in validator.iter_errors(instance) {
        push_violations(&error, schema, &mut out);
    }
    out.sort();
    out.dedup();
    out
}

fn push_violations(error: &ValidationError<'_>, schema: &Value, out: &mut Vec<Violation>) {
    let path = error.instance_path().as_str().to_owned();
    match error.kind() {
        ValidationErrorKind::Required { property } => {
            let name = property.as_str().unwrap_or_default();
            out.push(Violation::of(
                format!("{path}/{}", escape_pointer(name)),
                "required",
                Vec::new(),
                "is required but missing",
            ));
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            for name in unexpected {
                out.push(Violation::of(
                    format!("{path}/{}", escape_pointer(name)),
                    "not-allowed",
                    Vec::new(),
                    "is not an allowed property here",
                ));
            }
        }
        ValidationErrorKind::Enum { options } => {
            let allowed = options.as_array().map_or(0, Vec::len);
            let value = ("value", error.instance().to_string());
            let v = if allowed <= 12 {
                let list = options
                    .as_array()
                    .map(|o| {
                        o.iter()
                            .map(Value::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default();
                Violation::of(
                    path,
                    "not-one-of",
                    vec![value, ("allowed", list)],
                    format!("{} is not one of {}", error.instance(), options),
                )
            } else {
                // Code lists (ISCED-F, ISO 3166) are too long to print usefully.
                Violation::of(
                    path,
                    "not-in-list",
                    vec![value, ("count", allowed.to_string())],
                    format!(
                        "{} is not in the list of {allowed} allowed codes",
                        error.instance()
                    ),
                )
            };
            out.push(v);
        }
        ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => {
            if let Some(branch) = only_fitting_branch(&path, context) {
                for inner in branch {
                    push_violations(inner, schema, out);
                }
                return;
            }
            out.push(match branch_titles(error, schema) {
                Some(titles) => Violation::of(
                    path,
                    "one-of",
                    vec![("forms", titles.clone())],
                    format!("must be exactly one of: {titles}"),
                ),
                None => Violation::new(path, error.to_string()),
            });
        }
        ValidationErrorKind::OneOfMultipleValid { .. } => {
            out.push(match branch_titles(error, schema) {
                Some(titles) => Violation::of(
                    path,
                    "more-than-one",
                    vec![("forms", titles.clone())],
                    format!("matches more than one of: {titles}"),
                ),
                None => Violation::new(path, error.to_string()),
            });
        }
        ValidationErrorKind::Pattern { pattern } => {
            let (kind, message) = pattern_in_words(pattern, error.instance());
            out.push(Violation::of(
                path,
                kind,
                vec![("value", shown(error.instance()))],
                message,
            ));
        }
        ValidationErrorKind::Format { format } => {
            let (kind, message) = format_in_words(format, error.instance());
            out.push(Violation::of(
                path,
                kind,
                vec![
                    ("value", shown(error.instance())),
                    ("format", format.clone()),
                ],
                message,
            ));
        }
        ValidationErrorKind::Type { .. } => {
            let node = schema.pointer(error.schema_path().as_str());
            let expected = node
                .map(type_in_words)
                .unwrap_or_else(|| "another type".into());
            let message = format!("must be {expected}");
            out.push(match node.and_then(Value::as_str) {
                Some(t) => Violation::of(path, "type", vec![("type", t.to_owned())], message),
                None => Violation::new(path, message),
            });
        }
        ValidationErrorKind::Minimum { limit }
        | ValidationErrorKind::ExclusiveMinimum { limit } => {
            let kind = if matches!(error.kind(), ValidationErrorKind::Minimum { .. }) {
                "minimum"
            } else {
                "exclusive-minimum"
            };
            out.push(Violation::of(
                path,
                kind,
                vec![
                    ("value", shown(error.instance())),
                    ("limit", limit.to_string()),
                ],
                error.to_string(),
            ));
        }
        ValidationErrorKind::MinLength { limit } => out.push(Violation::of(
            path,
            "too-short",
            vec![("limit", limit.to_string())],
            error.to_string(),
        )),
        ValidationErrorKind::MaxLength { limit } => out.push(Violation::of(
            path,
            "too-long",
            vec![("limit", limit.to_string())],
            error.to_string(),
        )),
        ValidationErrorKind::MinItems { limit } => out.push(Violation::of(
            path,
            "too-few",
            vec![("limit", limit.to_string())],
            error.to_string(),
        )),
        ValidationErrorKind::MaxItems { limit } => out.push(Violation::of(
            path,
            "too-many",
            vec![("limit", limit.to_string())],
            error.to_string(),
        )),
        ValidationErrorKind::PropertyNames { error: inner } => {
            // A key of the object is wrong (a translation's language tag): the problem is the
            // key's, told at the key's place.
            let name = inner.instance().as_str().map(str::to_owned);
            let mut found = Vec::new();
            push_violations(inner, schema, &mut found);
            for mut v in found {
                if let Some(name) = name.as_deref().filter(|_| v.path.len() <= path.len()) {
                    v.path = format!("{path}/{}", escape_pointer(name));
                }
                out.push(v);
            }
        }
        _ => out.push(Violation::new(path, error.to_string())),
    }
}

/// A value that does not match a schema pattern, in words: people filling in a record never
/// see the regular expression (issue 15). The kind of the problem and the English sentence.
fn pattern_in_words(pattern: &str, instance: &Value) -> (&'static str, String) {
    let shown = shown(instance);
    match pattern {
        "\\S" => ("blank", "must not be empty or only spaces".into()),
        "^\\S(.*\\S)?$" => (
            "spaces-around",
            format!("{shown} must not be empty or start or end with a space"),
        ),
        "^[\\x21-\\x7E]+$" => (
            "ascii-word",
            format!("{shown} may hold only letters, digits and ASCII punctuation, without spaces"),
        ),
        "^[A-Z]{2}$" => (
            "country-code",
            format!(
                "{shown} is not a two-letter ISO 3166 country code in capitals, such as CN, MY or TH"
            ),
        ),
        "^https?://[^\\s/?#]+[^\\s]*$" => (
            "web-address",
            format!(
                "{shown} is not a web address starting with https:// (or http://), such as https://www.example.edu/"
            ),
        ),
        p if p.starts_with("^did:") => (
            "did",
            format!("{shown} is not a DID (such as did:key:z6Mk…)"),
        ),
        p if p.starts_with("^[A-Za-z][A-Za-z0-9+.-]*:") => (
            "absolute-address",
            format!("{shown} is not an absolute address such as https://… or urn:…, without spaces"),
        ),
        p if p.starts_with("^[0-9]{4}-[0-9]{2}-[0-9]{2}") => (
            "date-time",
            format!(
                "{shown} is not a date (2025-07-11) or a date and time with its offset (2025-07-11T16:30:00+08:00)"
            ),
        ),
        "^[0-9]{2,4}$" => (
            "isced-code",
            format!("{shown} is not a code of 2 to 4 digits"),
        ),
        "^(ext:)?[A-Za-z0-9._-]{1,64}$" | "^ext:[A-Za-z0-9._-]+$" => (
            "single-word",
            format!(
                "{shown} is not a single word (letters, digits, '.', '_' or '-'; an extension starts with ext:)"
            ),
        ),
        p if p.starts_with("^[a-z]{2,3}(-[A-Z]") => (
            "language-tag",
            format!("{shown} is not a language tag such as th, km, zh-Hans or pt-BR"),
        ),
        p if p.starts_with("^[A-Za-z]") || p.starts_with("^[A-Za-z0-9]") => (
            "short-code",
            format!(
                "{shown} is not a short code (letters, digits, '.', '_' or '-', starting with a letter or digit, at most 32 characters)"
            ),
        ),
        _ => ("form", format!("{shown} is not in the expected form")),
    }
}

/// A value that is not in a schema format, in words; the kind and the English sentence.
fn format_in_words(format: &str, instance: &Value) -> (&'static str, String) {
    let shown = shown(instance);
    match format {
        "date-time" => (
            "date-time",
            format!(
                "{shown} is not a date (2025-07-11) or a date and time with its offset (2025-07-11T16:30:00+08:00)"
            ),
        ),
        "date" => ("date", format!("{shown} is not a date such as 2025-07-11")),
        "uri" | "iri" | "uri-reference" | "iri-reference" => (
            "full-address",
            format!("{shown} is not a full address such as https://www.example.edu/"),
        ),
        "email" => ("email", format!("{shown} is not an e-mail address")),
        other => ("format", format!("{shown} is not a valid {other}")),
    }
}

/// The `type` a schema node asks for, in words.
fn type_in_words(node: &Value) -> String {
    fn word(t: &str) -> &str {
        match t {
            "string" => "text",
            "number" => "a number",
            "integer" => "a whole number",
            "boolean" => "true or false",
            "object" => "an object {…}",
            "array" => "a list […]",
            "null" => "null",
            other => other,
        }
    }
    match node {
        Value::String(t) => word(t).to_owned(),
        Value::Array(ts) => ts
            .iter()
            .filter_map(Value::as_str)
            .map(word)
            .collect::<Vec<_>>()
            .join(" or "),
        _ => "another type".into(),
    }
}

/// A value as quoted in a message, shortened when long.
fn shown(instance: &Value) -> String {
    let text = instance.to_string();
    if text.chars().count() > 80 {
        format!("{}…", text.chars().take(77).collect::<String>())
    } else {
        text
    }
}

/// When exactly one alternative has the right shape (all its errors lie inside the value, none
/// on the value itself), its errors are the useful ones: `{"id": "did:Key:x"}` is a DID learner
/// with a bad DID, not "neither form".
fn only_fitting_branch<'e>(
    path: &str,
    branches: &'e [Vec<ValidationError<'static>>],
) -> Option<&'e [ValidationError<'static>]> {
    let mut fitting = branches.iter().filter(|errors| {
        !errors.is_empty()
            && errors
                .iter()
                .all(|e| e.instance_path().as_str().len() > path.len())
    });
    let first = fitting.next()?;
    fitting.next().is_none().then_some(first.as_slice())
}

/// The `title`s of a failed `oneOf`/`anyOf`'s branches, so the message can say which shapes
/// are accepted instead of dumping the whole instance.
fn branch_titles(error: &ValidationError<'_>, schema: &Value) -> Option<String> {
    let branches = schema.pointer(error.schema_path().as_str())?.as_array()?;
    let titles: Option<Vec<&str>> = branches
        .iter()
        .map(|b| b.get("title").and_then(Value::as_str))
        .collect();
    Some(titles?.join(" or "))
}

fn escape_pointer(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn missing_and_wrong_fields_are_all_reported() {
        let doc = json!({
            "@context": ["https://www.w3.org/ns/credentials/v2", "https://example.org/not-ob"],
            "type": ["VerifiableCredential"],
            "issuer": {"id": "did:example:1", "type": ["Profile"]},
            "validFrom": "yesterday",
            "credentialSubject": {"type": ["AchievementSubject"]}
        });
        let violations = validate_ob3(&doc).unwrap_err();
        let paths: Vec<&str> = violations.iter().map(|v| v.path.as_str()).collect();
        for expected in [
            "/@context/1",
            "/id",
            "/type",
            "/validFrom",
            "/credentialSubject/achievement",
        ] {
            assert!(
                paths.contains(&expected),
                "{expected} missing from {violations:?}"
            );
        }
        let id = violations.iter().find(|v| v.path == "/id").unwrap();
        assert_eq!(id.to_string(), "/id: is required but missing");
    }

    #[test]
    fn a_single_proof_object_is_accepted_and_checked() {
        let mut doc: Value = serde_json::from_str(include_str!(
            "../tests/fixtures/records/ob3-reference/example-minimal-valid-obv3.json"
        ))
        .unwrap();
        doc["proof"] = json!({"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022",
            "created": "2025-07-01T00:00:00Z", "proofPurpose": "assertionMethod",
            "verificationMethod": "did:key:z6Mk#z6Mk", "proofValue": "z3abc"});
        assert_eq!(validate_ob3(&doc), Ok(()));
        doc["proof"]["created"] = json!("July 2025");
        let v = validate_ob3(&doc).unwrap_err();
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!(v[0].path, "/proof/created");
    }

    #[test]
    fn remote_references_are_never_fetched() {
        let schema = json!({"$ref": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/x.json"});
        let err = compile(&schema, Draft::Draft202012).unwrap_err();
        assert!(err.contains("purl.imsglobal.org"), "{err}");
    }

    #[test]
    fn root_display_is_named() {
        let v = validate_ob3(&json!("not an object")).unwrap_err();
        assert_eq!(v.len(), 1);
        assert!(v[0].to_string().starts_with("(root): "), "{}", v[0]);
    }
}

#[cfg(test)]
mod status_entry_tests {
    use super::*;
    use serde_json::json;

    fn minimal() -> Value {
        serde_json::from_str(include_str!(
            "../tests/fixtures/records/ob3-reference/example-minimal-valid-obv3.json"
        ))
        .unwrap()
    }

    fn entry(purpose: &str) -> Value {
        json!({
            "id": format!("https://skillpass.test/status/x/{purpose}/0#4"),
            "type": "BitstringStatusListEntry",
            "statusPurpose": purpose,
            "statusListIndex": "4",
            "statusListCredential": format!("https://skillpass.test/status/x/{purpose}/0"),
        })
    }

    #[test]
    fn each_status_entry_of_an_array_is_checked() {
        let mut doc = minimal();
        doc["credentialStatus"] = json!([entry("revocation"), entry("suspension")]);
        assert_eq!(validate_ob3(&doc), Ok(()));

        doc["credentialStatus"][1] = json!({ "type": "BitstringStatusListEntry" });
        let violations = validate_ob3(&doc).unwrap_err();
        assert!(!violations.is_empty());
        assert!(
            violations
                .iter()
                .all(|v| v.path.starts_with("/credentialStatus/1")),
            "{violations:?}"
        );
    }
}

//! The credentials a passport holds: claimed from an offer of this node (bound to the
//! passport's holder DID by the wallet's claim, [`crate::wallet::offer::claim`]), or imported
//! from anywhere — a file, or a link fetched through the guarded fetcher — after the verifier
//! says it is genuine and valid now. Each is stored sealed under the passport's data key.
//! Also: levels in words, and presentations signed with the holder key.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::{InputProblem, Passport, PassportError};
use crate::fetch::DocumentKind;
use crate::frameworks::FrameworkRegistry;
use crate::presentation::{self, PresentOptions};
use crate::proof::Cryptosuite;
use crate::recognition::{self, MappingOutcome};
use crate::service::Service;
use crate::store::PassportEntry;
use crate::verify::{self, Policy};
use crate::wallet::offer::{self, Protocol};
use crate::wallet::tickets::random_token;

/// The reference frameworks a level is also shown in.
pub const REFERENCE_FRAMEWORKS: [&str; 2] = ["AQRF", "ACQF"];

/// Most credentials one passport holds.
pub const MAX_CREDENTIALS: usize = 500;

/// A credential in a passport, opened.
#[derive(Clone, Debug)]
pub struct HeldCredential {
    /// The passport entry's id (what shares and pages refer to).
    pub entry: String,
    pub added: DateTime<Utc>,
    /// `claim` or `import`.
    pub source: String,
    pub credential: Value,
}

/// Every credential of `passport`, oldest first.
pub fn list(passport: &Passport, service: &Service) -> Result<Vec<HeldCredential>, PassportError> {
    let stored = service
        .store()
        .get_passport(&passport.id)?
        .ok_or(PassportError::NotSignedIn)?;
    stored
        .credentials
        .iter()
        .map(|e| {
            let bytes = passport
                .data_key
                .open(&passport.id, &entry_purpose(&e.id), &e.sealed)?;
            let credential: Value = serde_json::from_slice(&bytes)
                .map_err(|_| PassportError::Damaged("credential".into()))?;
            Ok(HeldCredential {
                entry: e.id.clone(),
                added: e.added,
                source: e.source.clone(),
                credential,
            })
        })
        .collect()
}

fn entry_purpose(entry: &str) -> String {
    format!("credential {entry}")
}

/// Adds `credential` to the passport (sealed); answers the entry id. A credential with the
/// same `id` that is already held is not added twice (its entry id is answered).
pub async fn add(
    passport: &Passport,
    service: &Service,
    credential: &Value,
    source: &str,
) -> Result<String, PassportError> {
    let id = credential.get("id").and_then(Value::as_str);
    if let Some(id) = id {
        if let Some(same) = list(passport, service)?
            .into_iter()
            .find(|h| h.credential.get("id").and_then(Value::as_str) == Some(id))
        {
            return Ok(same.entry);
        }
    }
    let entry = random_token(12);
    let bytes =
        serde_json::to_vec(credential).map_err(|e| PassportError::Internal(e.to_string()))?;
    let sealed = passport
        .data_key
        .seal(&passport.id, &entry_purpose(&entry), &bytes);
    let new = PassportEntry {
        id: entry.clone(),
        added: service.now(),
        source: source.to_owned(),
        sealed,
    };
    service.store().update_passport(&passport.id, &mut |p| {
        if p.credentials.len() >= MAX_CREDENTIALS {
            return Err(crate::store::StoreError::Invalid(format!(
                "a passport holds at most {MAX_CREDENTIALS} credentials"
            )));
        }
        p.credentials.push(new.clone());
        Ok(())
    })?;
    service.store().durable().await?;
    Ok(entry)
}

/// Removes entry `entry` from the passport: its sealed copy is taken out of the passport's
/// record, and every share that includes the credential is withdrawn first, so it is shown
/// through no share link any more (a share's content is sealed and signed as a whole, so it
/// is not cut down). Answers how many shares were withdrawn. `UnknownCredential` when the
/// passport holds no such entry (another passport's entry, or one removed already).
pub async fn remove(
    passport: &Passport,
    service: &Service,
    entry: &str,
) -> Result<usize, PassportError> {
    let held = list(passport, service)?
        .into_iter()
        .find(|h| h.entry == entry)
        .ok_or(PassportError::UnknownCredential)?;
    let withdrawn = super::shares::withdraw_including(passport, service, &held.credential)?;
    service.store().update_passport(&passport.id, &mut |p| {
        p.credentials.retain(|e| e.id != entry);
        Ok(())
    })?;
    service.store().durable().await?;
    Ok(withdrawn)
}

/// Claims offer `offer_id` into the passport: the wallet's claim binds a copy to the holder
/// DID (the one-time code must have been checked by the caller, as for a download) and the
/// copy is stored. Answers the entry id.
pub async fn claim(
    passport: &Passport,
    service: &Service,
    offer_id: &str,
) -> Result<String, PassportError> {
    let credential = offer::claim(service, offer_id, &passport.holder, Protocol::Passport)
        .await
        .map_err(|e| match e {
            crate::wallet::WalletError::Service(s) => PassportError::Service(s),
            other => PassportError::BadInput(InputProblem::Other(other.to_string())),
        })?;
    add(passport, service, &credential, "claim").await
}

/// Checks a credential to import: a JSON object that is a credential, genuine and valid now
/// (signature, data model, dates, status); the issuer need not be an alliance member (the
/// share page says so). `Refused` with the verifier's reasons otherwise.
pub async fn check_import(service: &Arc<Service>, credential: &Value) -> Result<(), PassportError> {
    if !credential.is_object() {
        return Err(PassportError::Refused(vec![
            "the file is not a credential (not a JSON object)".into(),
        ]));
    }
    if verify::has_type(credential, "VerifiablePresentation") {
        return Err(PassportError::Refused(vec![
            "this is a presentation; import the credentials one by one".into(),
        ]));
    }
    let mut options = service.verify_options();
    options.policy = Policy {
        require_trusted_issuer: false,
        require_holder_binding: false,
    };
    let doc = credential.clone();
    let report = tokio::task::spawn_blocking(move || verify::verify(&doc, &options))
        .await
        .map_err(|e| PassportError::Internal(e.to_string()))?
        .map_err(|e| PassportError::CannotCheck(e.to_string()))?;
    if report.verified {
        Ok(())
    } else {
        let mut reasons = report.reasons();
        if reasons.is_empty() {
            reasons.push("the credential did not verify".into());
        }
        Err(PassportError::Refused(reasons))
    }
}

/// Imports an uploaded credential file (JSON text).
pub async fn import_file(
    passport: &Passport,
    service: &Arc<Service>,
    text: &[u8],
) -> Result<String, PassportError> {
    let credential: Value = serde_json::from_slice(text)
        .map_err(|e| PassportError::Refused(vec![format!("the file is not JSON ({e})")]))?;
    check_import(service, &credential).await?;
    add(passport, service, &credential, "import").await
}

/// Imports the credential a link points at: a `/verify/{id}` or `/credentials/{id}` link of
/// this node is read from the store; any other link is fetched through the guarded fetcher
/// (https, alliance nodes only, size and time limits).
pub async fn import_link(
    passport: &Passport,
    service: &Arc<Service>,
    link: &str,
) -> Result<String, PassportError> {
    let credential = fetch_link(service, link.trim()).await?;
    check_import(service, &credential).await?;
    add(passport, service, &credential, "import").await
}

async fn fetch_link(service: &Arc<Service>, link: &str) -> Result<Value, PassportError> {
    if link.is_empty() || link.len() > 2048 {
        return Err(PassportError::BadInput(InputProblem::NoLink));
    }
    let base = service.public_url().trim_end_matches('/');
    for prefix in ["/verify/", "/credentials/"] {
        if let Some(rest) = link.strip_prefix(&format!("{base}{prefix}")) {
            let id = percent_decode(rest.split(['?', '#']).next().unwrap_or(""));
            return match service.store().get_credential(&id)? {
                Some(stored) => Ok(stored.credential),
                None => Err(PassportError::Refused(vec![format!(
                    "this node holds no credential {id}"
                )])),
            };
        }
    }
    let Some(cache) = service.document_cache() else {
        return Err(PassportError::CannotCheck(
            "this node is not set up to fetch from other nodes; download the credential file and upload it".into(),
        ));
    };
    let fetched = cache
        .fetcher()
        .get(link, DocumentKind::Credential)
        .await
        .map_err(|e| PassportError::CannotCheck(e.to_string()))?;
    Ok(fetched.document)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A VP of `credentials` signed with the passport's holder key.
pub fn sign_presentation(
    passport: &Passport,
    service: &Service,
    credentials: &[Value],
    challenge: &str,
    domain: Option<&str>,
) -> Result<Value, PassportError> {
    let options = PresentOptions {
        suite: Cryptosuite::EddsaRdfc2022,
        challenge: challenge.to_owned(),
        domain: domain.map(str::to_owned),
        created: service.now(),
        id: format!("urn:uuid:{}", uuid::Uuid::new_v4()),
    };
    presentation::present(
        credentials,
        &passport.holder_key,
        &options,
        service.contexts(),
    )
    .map_err(|e| PassportError::Internal(format!("signing the presentation: {e}")))
}

/// Everything the passport holds as one signed presentation (challenge: a fresh random value,
/// which the file states; domain: this node's origin).
pub fn export(passport: &Passport, service: &Service) -> Result<Value, PassportError> {
    let credentials: Vec<Value> = list(passport, service)?
        .into_iter()
        .map(|h| h.credential)
        .collect();
    let challenge = random_token(16);
    sign_presentation(
        passport,
        service,
        &credentials,
        &challenge,
        Some(&crate::wallet::exchange::domain(service)),
    )
}

/// A credential's level in words and in the reference frameworks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LevelWords {
    /// The framework id, e.g. `MQF`.
    pub framework: String,
    /// `MQF level 4 — Diploma`.
    pub words: String,
    /// `AQRF level 4`, `ACQF level 4` (or "4 or 5" for a span), for each reference framework
    /// the level maps to.
    pub references: Vec<String>,
    /// The level code, e.g. `4`.
    pub code: String,
    /// The level's name from the framework data (`Diploma`), if it has one worth showing.
    pub name: Option<String>,
    /// The parts of [`LevelWords::references`], for pages that write them in their own
    /// language: each reference framework with the level code(s) it maps to.
    pub reference_levels: Vec<(String, Vec<String>)>,
}

/// The level `credential` states, in words from the framework data; `None` when it states none.
pub fn level_words(credential: &Value) -> Option<LevelWords> {
    let subject = match credential.get("credentialSubject")? {
        Value::Array(items) => items.first()?,
        one => one,
    };
    let (framework, code) = crate::credential::framework_level(subject.get("achievement")?)?;
    let registry = FrameworkRegistry::bundled();
    // The level's own name, or, when that only repeats the number ("MQF level 4"), the
    // qualification typical of it (the framework data lists the local name first, the plain
    // one last: "Diploma (DKM)", "Diploma").
    let name = registry.level(&framework, &code).and_then(|l| {
        if l.name.ends_with(&format!(" {code}")) || l.name == code {
            l.typical_qualifications.last().cloned()
        } else {
            Some(l.name.clone())
        }
    });
    let words = match &name {
        Some(name) => format!("{framework} level {code} — {name}"),
        None => format!("{framework} level {code}"),
    };
    let reference_levels: Vec<(String, Vec<String>)> = REFERENCE_FRAMEWORKS
        .iter()
        .filter(|r| **r != framework)
        .filter_map(|r| {
            let mapping = recognition::map_level(registry, &framework, &code, r).ok()?;
            match mapping.outcome {
                MappingOutcome::NoPath => None,
                _ if mapping.levels.is_empty() => None,
                _ => Some((
                    (*r).to_owned(),
                    mapping.codes().into_iter().map(str::to_owned).collect(),
                )),
            }
        })
        .collect();
    let references = reference_levels
        .iter()
        .map(|(r, codes)| format!("{r} level {}", codes.join(" or ")))
        .collect();
    Some(LevelWords {
        framework,
        words,
        references,
        code,
        name,
        reference_levels,
    })
}

/// The issuer's name as the credential states it (or its id).
pub fn issuer_name(credential: &Value) -> String {
    match credential.get("issuer") {
        Some(Value::String(s)) => s.clone(),
        Some(other) => other
            .get("name")
            .and_then(Value::as_str)
            .or_else(|| other.get("id").and_then(Value::as_str))
            .unwrap_or("")
            .to_owned(),
        None => String::new(),
    }
}

/// The achievement's name as the credential states it.
pub fn achievement_name(credential: &Value) -> Option<String> {
    let subject = match credential.get("credentialSubject")? {
        Value::Array(items) => items.first()?,
        one => one,
    };
    subject
        .get("achievement")?
        .get("name")?
        .as_str()
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn percent_decoding_reads_ids_from_links() {
        assert_eq!(percent_decode("urn%3Auuid%3A1"), "urn:uuid:1");
        assert_eq!(percent_decode("urn:uuid:1"), "urn:uuid:1");
        assert_eq!(percent_decode("bad%zz"), "bad%zz");
        assert_eq!(percent_decode("end%4"), "end%4");
    }

    #[test]
    fn a_level_is_named_from_the_framework_data_with_its_reference_levels() {
        let vc = json!({"credentialSubject": {"achievement": {"alignment": [{
            "type": ["Alignment"], "targetType": "ext:FrameworkLevel",
            "targetFramework": "Malaysian Qualifications Framework", "targetCode": "4",
            "targetName": "x", "targetUrl": "https://example.org"
        }]}}});
        let words = level_words(&vc).expect("a level");
        assert_eq!(words.framework, "MQF");
        assert_eq!(words.words, "MQF level 4 — Diploma");
        assert_eq!(
            (words.code.as_str(), words.name.as_deref()),
            ("4", Some("Diploma"))
        );
        assert!(words
            .reference_levels
            .iter()
            .any(|(r, codes)| r == "AQRF" && !codes.is_empty()));
        assert!(
            words
                .references
                .iter()
                .any(|r| r.starts_with("AQRF level ")),
            "{:?}",
            words.references
        );
        assert_eq!(level_words(&json!({"credentialSubject": {}})), None);
    }
}

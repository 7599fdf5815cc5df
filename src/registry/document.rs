//! The alliance registry as a signed, publishable document: a VC 2.0 credential of type
//! `TrustRegistryCredential` listing the members, with an `eddsa-rdfc-2022` proof, so any
//! wallet's verifier can check it ([`sign_registry`]), and the check of such a document
//! received from a publisher ([`verify_registry`]). See `docs/REGISTRY.md`.

use chrono::{DateTime, Duration, SubsecRound, Utc};
use serde_json::{json, Value};

use super::{fmt_time, validate_members, Member, RegistryError, MEMBER_IRI_PREFIX};
use crate::contexts::{ContextRegistry, CREDENTIALS_V2};
use crate::proof::{self, Cryptosuite, ProofOptions, ProofPurpose};
use crate::signing::Signer;
use crate::verify::{self, VerifyOptions};
use crate::vocab;

/// The `type` that marks a registry document (next to `VerifiableCredential`).
pub const REGISTRY_CREDENTIAL_TYPE: &str = "TrustRegistryCredential";

/// The `type` of a registry document's `credentialSubject`.
pub const REGISTRY_SUBJECT_TYPE: &str = "AllianceTrustRegistry";

/// The alliance whose registry this is; written into registry documents.
pub const ALLIANCE_NAME: &str = "Shenzhen Agreement alliance of vocational colleges";

/// How long a signed registry document stays valid by default, so that an old snapshot (one in
/// which a since-withdrawn member was still accredited) cannot be replayed forever.
pub const DEFAULT_DOCUMENT_VALIDITY_DAYS: i64 = 30;

/// The unsigned registry document: a VC 2.0 `TrustRegistryCredential` issued by
/// `publisher_did`, valid from `valid_from` for `validity`, listing `members` (ordered by id).
pub fn registry_credential(
    members: &[Member],
    publisher_did: &str,
    valid_from: DateTime<Utc>,
    validity: Duration,
) -> Value {
    let mut members = members.to_vec();
    members.sort_by(|a, b| a.id.cmp(&b.id));
    let members: Vec<Value> = members
        .iter()
        .map(|m| {
            let mut v = json!(m);
            v["id"] = format!("{MEMBER_IRI_PREFIX}{}", m.id).into();
            v
        })
        .collect();
    let valid_from = valid_from.trunc_subsecs(0);
    json!({
        "@context": [CREDENTIALS_V2, vocab::inline_context(vocab::REGISTRY_TERMS)],
        "id": format!("urn:uuid:{}", uuid::Uuid::new_v4()),
        "type": ["VerifiableCredential", REGISTRY_CREDENTIAL_TYPE],
        "issuer": publisher_did,
        "validFrom": fmt_time(valid_from),
        "validUntil": fmt_time(valid_from + validity),
        "credentialSubject": {
            "type": REGISTRY_SUBJECT_TYPE,
            "name": ALLIANCE_NAME,
            "members": members,
        },
    })
}

/// Signs the registry of `members` with `key` (as its did:key) using `eddsa-rdfc-2022`.
pub fn sign_registry(
    members: &[Member],
    key: &dyn Signer,
    now: DateTime<Utc>,
    validity: Duration,
) -> Result<Value, RegistryError> {
    validate_members(members)?;
    if validity <= Duration::zero() {
        return Err(RegistryError::Invalid(
            "a registry document must be valid for a positive time".into(),
        ));
    }
    let public = key.public_key();
    let unsigned = registry_credential(members, &public.did_key(), now, validity);
    let options = ProofOptions {
        suite: Cryptosuite::EddsaRdfc2022,
        verification_method: public.verification_method_id(),
        purpose: ProofPurpose::AssertionMethod,
        created: now.trunc_subsecs(0),
        challenge: None,
        domain: None,
    };
    proof::sign(&unsigned, key, &options, &ContextRegistry::bundled())
        .map_err(|e| RegistryError::Sign(e.to_string()))
}

/// Verifies a registry document published by `publisher` (a DID) and returns its members.
///
/// The document must be a `TrustRegistryCredential` issued by `publisher`, without a
/// `credentialStatus`, and pass every check of [`verify::verify`] under `options` (signature,
/// proof purpose, the key belonging to the issuer, validity window); its members must be
/// valid together ([`validate_members`]). `options.trust` and `options.status_lists` are
/// ignored: a registry is not vouched for by a registry.
pub fn verify_registry(
    document: &Value,
    publisher: &str,
    options: &VerifyOptions,
) -> Result<Vec<Member>, RegistryError> {
    let not = |m: &str| Err(RegistryError::NotARegistry(m.to_owned()));
    let Some(doc) = document.as_object() else {
        return not("the document must be a JSON object");
    };
    let typed = match doc.get("type") {
        Some(Value::Array(t)) => t.iter().any(|t| t == REGISTRY_CREDENTIAL_TYPE),
        _ => false,
    };
    if !typed {
        return not("its type does not include TrustRegistryCredential");
    }
    if doc.contains_key("credentialStatus") {
        return not("a registry document has no credentialStatus");
    }
    let issuer = match doc.get("issuer") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Object(m)) => m
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        _ => String::new(),
    };
    if issuer != publisher {
        return Err(RegistryError::WrongPublisher {
            expected: publisher.to_owned(),
            found: if issuer.is_empty() {
                "no issuer".into()
            } else {
                issuer
            },
        });
    }
    let options = VerifyOptions {
        trust: None,
        status_lists: None,
        challenge: None,
        domain: None,
        ..options.clone()
    };
    let report = verify::verify(document, &options)
        .map_err(|e| RegistryError::CannotCheck(e.to_string()))?;
    if !report.verified {
        return Err(RegistryError::NotVerified(report.reasons()));
    }
    // Every proof holds and is bound to the issuer; still, insist the signer resolved to the
    // publisher (a proof whose controller could not be named proves nothing about who signed).
    if report.proofs.is_empty()
        || report
            .proofs
            .iter()
            .any(|p| p.controller.as_deref() != Some(publisher))
    {
        return Err(RegistryError::NotVerified(vec![format!(
            "the document is not signed by a key of {publisher}"
        )]));
    }
    let Some(Value::Array(mut members)) = doc
        .get("credentialSubject")
        .and_then(|s| s.get("members"))
        .cloned()
    else {
        return not("credentialSubject.members is missing or not a list");
    };
    // Member ids are `urn:skillpass:member:<slug>`; documents signed with eddsa-jcs-2022 by
    // earlier versions carry the bare slug, which passes as it is.
    for member in &mut members {
        if let Some(slug) = member
            .get("id")
            .and_then(Value::as_str)
            .and_then(|id| id.strip_prefix(MEMBER_IRI_PREFIX))
        {
            member["id"] = slug.to_owned().into();
        }
    }
    let members: Vec<Member> = serde_json::from_value(Value::Array(members))
        .map_err(|e| RegistryError::NotARegistry(format!("credentialSubject.members: {e}")))?;
    validate_members(&members)?;
    Ok(members)
}

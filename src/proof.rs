//! Data Integrity proofs with Ed25519 (W3C "Data Integrity EdDSA Cryptosuites v1.0").
//!
//! Signing supports the two cryptosuites of `DataIntegrityProof`: `eddsa-rdfc-2022` (RDF Dataset
//! Canonicalization; the default, and Open Badges 3.0's) and `eddsa-jcs-2022` (JSON
//! Canonicalization Scheme). Verification also accepts the older `Ed25519Signature2020` proof
//! type, whose signing input is computed as for `eddsa-rdfc-2022`.
//!
//! Both sides compute the same signing input: `SHA-256(canonical proof configuration) ‖
//! SHA-256(canonical document without proof)`; the signature is Ed25519 over those 64 bytes and
//! `proofValue` is its multibase base58-btc (`z…`) encoding.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::canon::{self, CanonError};
use crate::contexts::{ContextRegistry, CREDENTIALS_V2, DATA_INTEGRITY_V1, DATA_INTEGRITY_V2};
use crate::did::{DidError, DidKeyResolver, DidResolver, VerificationMethod};
use crate::jcs::{self, JcsError};
use crate::signing::{SignError, Signer};

/// A cryptosuite skillpass signs with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Cryptosuite {
    /// RDF Dataset Canonicalization (RDFC-1.0) over the JSON-LD document.
    #[default]
    EddsaRdfc2022,
    /// JSON Canonicalization Scheme (RFC 8785) over the JSON document.
    EddsaJcs2022,
}

impl Cryptosuite {
    /// The `cryptosuite` value written in proofs.
    pub fn name(self) -> &'static str {
        match self {
            Cryptosuite::EddsaRdfc2022 => "eddsa-rdfc-2022",
            Cryptosuite::EddsaJcs2022 => "eddsa-jcs-2022",
        }
    }
}

impl fmt::Display for Cryptosuite {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Cryptosuite {
    type Err = ProofError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "eddsa-rdfc-2022" => Ok(Cryptosuite::EddsaRdfc2022),
            "eddsa-jcs-2022" => Ok(Cryptosuite::EddsaJcs2022),
            other => Err(ProofError::UnsupportedSuite(other.to_owned())),
        }
    }
}

/// What a proof is for: the verification relationship its key must hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProofPurpose {
    /// Credentials: the issuer asserts the claims.
    AssertionMethod,
    /// Presentations: the holder authenticates (with a challenge and domain).
    Authentication,
}

impl ProofPurpose {
    /// The `proofPurpose` value written in proofs.
    pub fn name(self) -> &'static str {
        match self {
            ProofPurpose::AssertionMethod => "assertionMethod",
            ProofPurpose::Authentication => "authentication",
        }
    }
}

/// The options of one proof to create.
#[derive(Clone, Debug)]
pub struct ProofOptions {
    pub suite: Cryptosuite,
    /// The verification method URL (for did:key, `did:key:z6Mk…#z6Mk…`).
    pub verification_method: String,
    pub purpose: ProofPurpose,
    /// Written with second precision, as the spec's vectors are.
    pub created: DateTime<Utc>,
    pub challenge: Option<String>,
    pub domain: Option<String>,
}

/// Could not sign, or could not check a proof (as opposed to a proof that is checked and wrong).
#[derive(Debug, thiserror::Error)]
pub enum ProofError {
    #[error(
        "unsupported cryptosuite {0:?}: skillpass signs with eddsa-rdfc-2022 or eddsa-jcs-2022"
    )]
    UnsupportedSuite(String),
    #[error("unsupported proof type {0:?}: expected DataIntegrityProof or Ed25519Signature2020")]
    UnsupportedProofType(String),
    #[error("the document must be a JSON object")]
    NotAnObject,
    #[error(
        "the document already carries a proof; skillpass does not add proofs to signed documents"
    )]
    AlreadySigned,
    #[error("previousProof {0:?} names no proof of this document (a chained proof needs the proofs it follows)")]
    UnknownPreviousProof(String),
    #[error("the document already has a proof with id {0:?}: proof ids must be unique")]
    DuplicateProofId(String),
    #[error("the proof id {0:?} is not a URL")]
    ProofIdNotUrl(String),
    #[error("the signing key does not match the verification method {0}")]
    KeyMismatch(String),
    #[error("cannot sign: {0}")]
    Sign(#[from] SignError),
    #[error(transparent)]
    Canon(#[from] CanonError),
    #[error(transparent)]
    Jcs(#[from] JcsError),
    #[error(transparent)]
    Did(#[from] DidError),
}

/// How a new proof joins the proofs a document already carries (Data Integrity proof sets and
/// proof chains).
#[derive(Clone, Debug, Default)]
pub struct ProofLink {
    /// The new proof's `id` (a URL, e.g. `urn:uuid:…`), so later proofs can chain to it.
    pub id: Option<String>,
    /// `previousProof`: the ids of existing proofs this proof follows. Their full text (signature
    /// included) becomes part of what the new proof signs. Empty: the proof joins the proof set
    /// on its own.
    pub previous_proof: Vec<String>,
}

/// Signs an unsigned `document` and returns it with its `proof`.
///
/// A document that already carries a proof is refused ([`ProofError::AlreadySigned`]): adding
/// a proof to a signed document is [`add_proof`], a deliberate act.
pub fn sign(
    document: &Value,
    key: &dyn Signer,
    options: &ProofOptions,
    contexts: &ContextRegistry,
) -> Result<Value, ProofError> {
    let doc = document.as_object().ok_or(ProofError::NotAnObject)?;
    if doc.contains_key("proof") {
        return Err(ProofError::AlreadySigned);
    }
    add_proof(document, key, options, &ProofLink::default(), contexts)
}

/// Adds a proof to `document`, which may be unsigned or already carry proofs (Data Integrity
/// "Add Proof Set/Chain"): the existing proofs are kept untouched, the new one is appended and
/// `proof` becomes an array. With `link.previous_proof`, the named proofs are included in the
/// signed input (a chain); every name must be the `id` of an existing proof.
///
/// An unsigned document whose `@context` has neither the VC 2.0 nor a Data Integrity context
/// (a VC 1.1 credential) gets `https://w3id.org/security/data-integrity/v2` appended, as the
/// reference implementation (jsonld-signatures) does: the proof's terms need a definition.
pub fn add_proof(
    document: &Value,
    key: &dyn Signer,
    options: &ProofOptions,
    link: &ProofLink,
    contexts: &ContextRegistry,
) -> Result<Value, ProofError> {
    let doc = document.as_object().ok_or(ProofError::NotAnObject)?;
    let public = key.public_key();
    // The did:key method of the key, a did:web method named after the key, or an offline
    // method (did:jwk) that resolves to the key.
    let names_key = options.verification_method == public.verification_method_id()
        || options
            .verification_method
            .ends_with(&format!("#{}", public.to_multibase()))
        || DidKeyResolver
            .resolve_method(&options.verification_method)
            .is_ok_and(|vm| vm.public_key == public);
    if !names_key {
        return Err(ProofError::KeyMismatch(options.verification_method.clone()));
    }
    let existing = proofs_of(doc);
    if let Some(id) = &link.id {
        if !crate::data_model::is_url(id) {
            return Err(ProofError::ProofIdNotUrl(id.clone()));
        }
        if existing.iter().any(|p| proof_id(p) == Some(id.as_str())) {
            return Err(ProofError::DuplicateProofId(id.clone()));
        }
    }
    let mut matching = Vec::new();
    for previous in &link.previous_proof {
        match existing
            .iter()
            .find(|p| proof_id(p) == Some(previous.as_str()))
        {
            Some(p) => matching.push((*p).clone()),
            None => return Err(ProofError::UnknownPreviousProof(previous.clone())),
        }
    }

    let mut unsecured = doc.clone();
    unsecured.remove("proof");
    if existing.is_empty() {
        add_suite_context(&mut unsecured);
    }

    let mut proof = Map::new();
    if let Some(id) = &link.id {
        proof.insert("id".into(), id.clone().into());
    }
    proof.insert("type".into(), "DataIntegrityProof".into());
    proof.insert("cryptosuite".into(), options.suite.name().into());
    proof.insert(
        "created".into(),
        options
            .created
            .to_rfc3339_opts(SecondsFormat::Secs, true)
            .into(),
    );
    proof.insert(
        "verificationMethod".into(),
        options.verification_method.clone().into(),
    );
    proof.insert("proofPurpose".into(), options.purpose.name().into());
    if let Some(challenge) = &options.challenge {
        proof.insert("challenge".into(), challenge.clone().into());
    }
    if let Some(domain) = &options.domain {
        proof.insert("domain".into(), domain.clone().into());
    }
    match link.previous_proof.as_slice() {
        [] => {}
        [one] => {
            proof.insert("previousProof".into(), one.clone().into());
        }
        many => {
            proof.insert("previousProof".into(), many.to_vec().into());
        }
    }
    // eddsa-jcs-2022 signs the proof's own `@context` (JCS has no other way to bind it);
    // eddsa-rdfc-2022 borrows the document's at hashing time.
    if options.suite == Cryptosuite::EddsaJcs2022 {
        if let Some(ctx) = unsecured.get("@context") {
            proof.insert("@context".into(), ctx.clone());
        }
    }

    let input = signing_input(
        ProofKind::from(options.suite),
        &chain_input(&unsecured, matching),
        &proof,
        contexts,
    )?;
    let signature = key.sign(&input)?;
    proof.insert(
        "proofValue".into(),
        format!("z{}", bs58::encode(signature).into_string()).into(),
    );

    let proof = Value::Object(proof);
    let mut signed = unsecured;
    let value = if existing.is_empty() {
        if proof_as_array(&signed) {
            Value::Array(vec![proof])
        } else {
            proof
        }
    } else {
        let mut all: Vec<Value> = existing.into_iter().cloned().collect();
        all.push(proof);
        Value::Array(all)
    };
    signed.insert("proof".into(), value);
    Ok(Value::Object(signed))
}

/// The proofs of a document: `proof` as a list (one object, an array, or none).
fn proofs_of(doc: &Map<String, Value>) -> Vec<&Value> {
    match doc.get("proof") {
        None => Vec::new(),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
    }
}

fn proof_id(proof: &Value) -> Option<&str> {
    proof.get("id").and_then(Value::as_str)
}

/// `previousProof` as a list of ids (a string or an array of strings); `Err` when malformed.
fn previous_proofs(proof: &Map<String, Value>) -> Result<Vec<String>, String> {
    match proof.get("previousProof") {
        None => Ok(Vec::new()),
        Some(Value::String(id)) => Ok(vec![id.clone()]),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| "previousProof must hold proof ids (strings)".to_owned())
            })
            .collect(),
        Some(_) => Err("previousProof must be a proof id or an array of them".into()),
    }
}

/// The document a chained proof signs: the unsecured document with `proof` set to the proofs
/// it follows (Data Integrity: "set inputDocument.proof to matchingProofs").
fn chain_input(unsecured: &Map<String, Value>, matching: Vec<Value>) -> Map<String, Value> {
    let mut input = unsecured.clone();
    if !matching.is_empty() {
        input.insert("proof".into(), Value::Array(matching));
    }
    input
}

/// Appends the Data Integrity v2 context when nothing in `@context` defines the proof's terms.
fn add_suite_context(doc: &mut Map<String, Value>) {
    let Some(ctx) = doc.get("@context") else {
        return;
    };
    let mut list = match ctx {
        Value::Array(items) => items.clone(),
        one => vec![one.clone()],
    };
    let defines_proofs = list.iter().any(|c| {
        matches!(
            c.as_str(),
            Some(CREDENTIALS_V2 | DATA_INTEGRITY_V2 | DATA_INTEGRITY_V1)
        )
    });
    if !defines_proofs {
        list.push(DATA_INTEGRITY_V2.into());
        doc.insert("@context".into(), Value::Array(list));
    }
}

/// Whether a lone proof is written as a one-element array.
///
/// Data Integrity allows one proof as an object or an array; the Open Badges 3.0
/// AchievementCredential JSON Schema accepts only the array, so OB 3.0 credentials
/// (`OpenBadgeCredential` / `AchievementCredential`) get `[proof]`. Every other document keeps
/// the object form that verifiers (and the W3C suites) have always read.
pub fn proof_as_array(document: &Map<String, Value>) -> bool {
    let is = |t: &Value| {
        matches!(
            t.as_str(),
            Some("OpenBadgeCredential" | "AchievementCredential")
        )
    };
    match document.get("type") {
        Some(Value::Array(types)) => types.iter().any(is),
        Some(t) => is(t),
        None => false,
    }
}

/// The proof types verification understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ProofKind {
    Rdfc,
    Jcs,
    Ed25519Signature2020,
}

impl From<Cryptosuite> for ProofKind {
    fn from(suite: Cryptosuite) -> Self {
        match suite {
            Cryptosuite::EddsaRdfc2022 => ProofKind::Rdfc,
            Cryptosuite::EddsaJcs2022 => ProofKind::Jcs,
        }
    }
}

/// `SHA-256(canonical proof configuration) ‖ SHA-256(canonical document)`.
///
/// `document` must not hold the proof; `proof` must not hold `proofValue`.
fn signing_input(
    kind: ProofKind,
    document: &Map<String, Value>,
    proof: &Map<String, Value>,
    contexts: &ContextRegistry,
) -> Result<[u8; 64], ProofError> {
    let mut config = proof.clone();
    let (config_text, document_text) = match kind {
        ProofKind::Jcs => (
            jcs::canonicalize(&Value::Object(config))?,
            jcs::canonicalize(&Value::Object(document.clone()))?,
        ),
        ProofKind::Rdfc | ProofKind::Ed25519Signature2020 => {
            if !config.contains_key("@context") {
                if let Some(ctx) = document.get("@context") {
                    config.insert("@context".into(), ctx.clone());
                }
            }
            (
                canon::canonicalize(&Value::Object(config), contexts)?,
                canon::canonicalize(&Value::Object(document.clone()), contexts)?,
            )
        }
    };
    let mut input = [0u8; 64];
    input[..32].copy_from_slice(&Sha256::digest(config_text.as_bytes()));
    input[32..].copy_from_slice(&Sha256::digest(document_text.as_bytes()));
    Ok(input)
}

/// What checking one proof found. `failures` empty means the proof holds.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ProofCheck {
    /// The proof's `id`, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `previousProof`: the proofs this one is chained to (they are part of what it signs).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub previous_proof: Vec<String>,
    /// `type` (and `cryptosuite`, when present) of the proof, e.g. `DataIntegrityProof/eddsa-rdfc-2022`.
    pub suite: String,
    pub verification_method: String,
    /// The DID that controls the verification method, when it could be resolved.
    pub controller: Option<String>,
    pub proof_purpose: Option<String>,
    pub challenge: Option<String>,
    pub domain: Vec<String>,
    pub created: Option<String>,
    /// Why the proof does not hold; empty when it does.
    pub failures: Vec<String>,
}

impl ProofCheck {
    /// Whether the signature and the proof's own fields are all valid.
    pub fn holds(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Checks every proof on `document` (a proof set when `proof` is an array).
///
/// A proof with `previousProof` is a link in a proof chain (Data Integrity "Verify Proof Sets
/// and Chains"): the proofs it names must be in the document, and they are part of the input
/// its signature is checked against. A name that matches no proof is a failure of that proof.
///
/// A wrong signature, a malformed proof value or a missing proof are findings in the returned
/// checks; an error means a proof could not be checked at all (unknown context, a DID method or
/// cryptosuite we do not support).
pub fn verify_proofs(
    document: &Value,
    resolver: &dyn DidResolver,
    contexts: &ContextRegistry,
    now: DateTime<Utc>,
) -> Result<Vec<ProofCheck>, ProofError> {
    let doc = document.as_object().ok_or(ProofError::NotAnObject)?;
    let proofs = proofs_of(doc);
    let mut unsecured = doc.clone();
    unsecured.remove("proof");
    let mut seen = std::collections::HashSet::new();
    let mut checks = Vec::with_capacity(proofs.len());
    for proof in &proofs {
        let mut chain_failures = Vec::new();
        if let Some(id) = proof_id(proof) {
            if !seen.insert(id) {
                chain_failures.push(format!(
                    "proof id {id} is used by two proofs: a chain could not tell them apart"
                ));
            }
        }
        let mut matching = Vec::new();
        if let Some(map) = proof.as_object() {
            match previous_proofs(map) {
                Ok(ids) => {
                    for id in ids {
                        if Some(id.as_str()) == proof_id(proof) {
                            chain_failures
                                .push(format!("previousProof {id} names the proof itself"));
                            continue;
                        }
                        match proofs.iter().find(|p| proof_id(p) == Some(id.as_str())) {
                            Some(p) => matching.push((*p).clone()),
                            None => chain_failures.push(format!(
                                "previousProof {id} names no proof of this document: the chain is broken"
                            )),
                        }
                    }
                }
                Err(why) => chain_failures.push(why),
            }
        }
        let input = chain_input(&unsecured, matching);
        let mut check = verify_one(&input, proof, resolver, contexts, now)?;
        check.failures.extend(chain_failures);
        checks.push(check);
    }
    // A chained proof holds only when the proofs it follows hold (transitively).
    for _ in 0..checks.len() {
        let failed: std::collections::HashSet<String> = checks
            .iter()
            .filter(|c| !c.holds())
            .filter_map(|c| c.id.clone())
            .collect();
        let mut changed = false;
        for check in &mut checks {
            let broken: Vec<String> = check
                .previous_proof
                .iter()
                .filter(|id| failed.contains(*id))
                .map(|id| format!("the proof it follows, {id}, does not hold"))
                .filter(|why| !check.failures.contains(why))
                .collect();
            changed |= !broken.is_empty();
            check.failures.extend(broken);
        }
        if !changed {
            break;
        }
    }
    Ok(checks)
}

fn verify_one(
    unsecured: &Map<String, Value>,
    proof: &Value,
    resolver: &dyn DidResolver,
    contexts: &ContextRegistry,
    now: DateTime<Utc>,
) -> Result<ProofCheck, ProofError> {
    let Some(proof) = proof.as_object() else {
        return Ok(ProofCheck::malformed("the proof is not a JSON object"));
    };
    let text = |k: &str| proof.get(k).and_then(Value::as_str).map(str::to_owned);
    let proof_type = text("type").unwrap_or_default();
    let cryptosuite = text("cryptosuite");
    let kind = match (proof_type.as_str(), cryptosuite.as_deref()) {
        ("DataIntegrityProof", Some("eddsa-rdfc-2022")) => ProofKind::Rdfc,
        ("DataIntegrityProof", Some("eddsa-jcs-2022")) => ProofKind::Jcs,
        ("DataIntegrityProof", other) => {
            return Err(ProofError::UnsupportedSuite(
                other.unwrap_or("(none)").to_owned(),
            ))
        }
        ("Ed25519Signature2020", _) => ProofKind::Ed25519Signature2020,
        (other, _) => return Err(ProofError::UnsupportedProofType(other.to_owned())),
    };
    let mut check = ProofCheck {
        id: text("id"),
        previous_proof: previous_proofs(proof).unwrap_or_default(),
        suite: match &cryptosuite {
            Some(suite) => format!("{proof_type}/{suite}"),
            None => proof_type.clone(),
        },
        verification_method: text("verificationMethod").unwrap_or_default(),
        controller: None,
        proof_purpose: text("proofPurpose"),
        challenge: text("challenge"),
        domain: match proof.get("domain") {
            Some(Value::String(d)) => vec![d.clone()],
            Some(Value::Array(ds)) => ds
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            _ => Vec::new(),
        },
        created: text("created"),
        failures: Vec::new(),
    };

    if check.proof_purpose.is_none() {
        check.failures.push("the proof has no proofPurpose".into());
    }
    if let Some(created) = &check.created {
        if DateTime::parse_from_rfc3339(created).is_err() {
            check.failures.push(format!(
                "proof.created {created:?} is not an XML Schema dateTime"
            ));
        }
    }
    if let Some(expires) = text("expires") {
        match DateTime::parse_from_rfc3339(&expires) {
            Ok(t) if t < now => check
                .failures
                .push(format!("the proof expired at {expires}")),
            Ok(_) => {}
            Err(_) => check.failures.push(format!(
                "proof.expires {expires:?} is not an XML Schema dateTime"
            )),
        }
    }
    // Data Integrity: a proof that names its own contexts must name a prefix of the document's,
    // so the proof cannot be read under different term definitions than the document.
    if let Some(proof_ctx) = proof.get("@context") {
        if !context_is_prefix(proof_ctx, unsecured.get("@context")) {
            check
                .failures
                .push("proof.@context is not a prefix of the document's @context".into());
        }
    }

    let signature = match text("proofValue").as_deref().map(decode_proof_value) {
        None => {
            check.failures.push("the proof has no proofValue".into());
            return Ok(check);
        }
        Some(Err(why)) => {
            check.failures.push(why);
            return Ok(check);
        }
        Some(Ok(sig)) => sig,
    };
    if check.verification_method.is_empty() {
        check
            .failures
            .push("the proof has no verificationMethod".into());
        return Ok(check);
    }
    let method: VerificationMethod = resolver.resolve_method(&check.verification_method)?;
    check.controller = Some(method.controller.clone());

    let mut config = proof.clone();
    config.remove("proofValue");
    let input = signing_input(kind, unsecured, &config, contexts)?;
    if !method.public_key.verify(&input, &signature) {
        check.failures.push(
            "the signature does not match the document: it was altered or signed by another key"
                .into(),
        );
    }
    Ok(check)
}

impl ProofCheck {
    fn malformed(why: &str) -> Self {
        ProofCheck {
            id: None,
            previous_proof: Vec::new(),
            suite: String::new(),
            verification_method: String::new(),
            controller: None,
            proof_purpose: None,
            challenge: None,
            domain: Vec::new(),
            created: None,
            failures: vec![why.to_owned()],
        }
    }
}

/// Decodes a multibase base58-btc `proofValue` into a 64-byte Ed25519 signature.
fn decode_proof_value(value: &str) -> Result<Vec<u8>, String> {
    let Some(b58) = value.strip_prefix('z') else {
        return Err("proofValue is not multibase base58-btc (it must start with 'z')".into());
    };
    let bytes = bs58::decode(b58)
        .into_vec()
        .map_err(|_| "proofValue is not valid base58-btc".to_owned())?;
    if bytes.len() != 64 {
        return Err(format!(
            "proofValue decodes to {} bytes; an Ed25519 signature has 64",
            bytes.len()
        ));
    }
    Ok(bytes)
}

fn context_is_prefix(proof_ctx: &Value, doc_ctx: Option<&Value>) -> bool {
    let as_list = |v: &Value| match v {
        Value::Array(items) => items.clone(),
        other => vec![other.clone()],
    };
    let Some(doc_ctx) = doc_ctx else {
        return false;
    };
    let (proof_ctx, doc_ctx) = (as_list(proof_ctx), as_list(doc_ctx));
    proof_ctx.len() <= doc_ctx.len() && proof_ctx.iter().zip(&doc_ctx).all(|(a, b)| a == b)
}

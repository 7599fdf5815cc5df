//! The issuer service's domain operations, independent of HTTP: registering institutions and
//! rotating their tokens and keys, issuing credentials (with status entries, durably), changing
//! a credential's status, serving status lists and DID documents, and verifying with status.
//!
//! Verifying ([`Service::verify_options`]) reads this service's own status lists and did:web
//! documents from the store, and — when a [`DocumentCache`] is given
//! ([`Service::with_document_cache`]) — every other node's through the guarded fetcher
//! ([`crate::fetch`]); without one it fetches nothing and another node's list is "could not
//! check".
//!
//! The HTTP layer ([`crate::http`]) only parses requests, authenticates, and calls these.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, SecondsFormat, SubsecRound, Utc};
use rand_core::{OsRng, RngCore};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use zeroize::Zeroizing;

use crate::api_tokens::TokenHasher;
use crate::contexts::{ContextRegistry, CREDENTIALS_V1, CREDENTIALS_V2};
use crate::credential::{self, IssueParams};
use crate::data_model;
use crate::did::{DidError, DidKeyResolver, DidResolver, VerificationMethod};
use crate::fetch::{DocumentCache, RemoteDidResolver, RemoteStatusLists};
use crate::keys::{PublicKey, SecretKey};
use crate::keystore::{KeyCustody, Keystore, KeystoreError};
use crate::proof::{self, Cryptosuite, ProofError, ProofLink, ProofOptions, ProofPurpose};
use crate::record::{self, RecordError};
use crate::registry::{self, Member, RegistryError, TrustLookup, TrustRegistry};
use crate::signing::Signer;
use crate::status::{self, Bitstring, StatusPurpose};
use crate::store::{
    AuditEvent, Entity, Institution, InstitutionKey, StatusAllocation, StatusEvent, StatusListId,
    Store, StoreError, StoredCredential,
};
use crate::verify::{Origin, StatusLists, VerifiedLists, VerifyOptions};

/// How long other verifiers may keep one of our status lists before reading it again, unless
/// configured (`status_list_ttl_secs`): the list's `ttl` and its `Cache-Control: max-age`.
pub const DEFAULT_STATUS_LIST_TTL: std::time::Duration = std::time::Duration::from_secs(60);

/// The source of the current time; tests fix it.
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that always answers the same time.
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// Why an operation did not happen. Each variant maps to one HTTP status in [`crate::http`].
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The request is well-formed but breaks a rule (data model, record schema, dates…): 422.
    #[error("{0}")]
    Unprocessable(String),
    /// The learning-outcome record is invalid: 422 with every violation.
    #[error(transparent)]
    Record(#[from] RecordError),
    /// The caller may not do this (e.g. issue as another institution): 403.
    #[error("{0}")]
    Forbidden(String),
    /// 404.
    #[error("{0}")]
    NotFound(String),
    /// The thing exists already, or the state does not allow the change: 409.
    #[error("{0}")]
    Conflict(String),
    /// Could not check (unknown context, unresolvable DID, unsupported suite): 422 when
    /// verifying, since the caller sent something we cannot evaluate.
    #[error("could not check: {0}")]
    CannotCheck(String),
    /// Anything else: 500, and the details go to the log only.
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound { .. } => ServiceError::NotFound(e.to_string()),
            StoreError::Conflict { .. } => ServiceError::Conflict(e.to_string()),
            StoreError::Invalid(m) => ServiceError::Unprocessable(m),
            other => ServiceError::Internal(other.to_string()),
        }
    }
}

/// Registration data for a new institution.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NewInstitution {
    /// Slug used in URLs: `[a-z0-9][a-z0-9_-]{0,63}`.
    pub id: String,
    pub name: String,
    /// ISO 3166-1 alpha-2.
    pub country: String,
    /// Its web address (`https://…`): the `issuer.url` of every credential it issues.
    #[serde(default)]
    pub url: Option<String>,
    /// The framework it awards in, e.g. `MQF`.
    pub framework: String,
    #[serde(default)]
    pub quality_assurance: Option<String>,
    /// `did:key` (default) or `did:web` under the service's own domain.
    #[serde(default)]
    pub did_method: DidMethod,
}

/// How an institution's DID is made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DidMethod {
    /// The DID is the key: verifiable anywhere offline, but rotating the key changes the DID.
    #[default]
    DidKey,
    /// `did:web:{host}:institutions:{id}`, served by this service; keys rotate under one DID.
    DidWeb,
}

/// An institution as shown to clients: no token hash, no secrets.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InstitutionView {
    pub id: String,
    pub name: String,
    pub country: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub framework: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quality_assurance: Option<String>,
    pub did: String,
    pub verification_methods: Vec<String>,
    pub created: DateTime<Utc>,
}

impl From<&Institution> for InstitutionView {
    fn from(i: &Institution) -> Self {
        InstitutionView {
            id: i.id.clone(),
            name: i.name.clone(),
            country: i.country.clone(),
            url: i.url.clone(),
            framework: i.framework.clone(),
            quality_assurance: i.quality_assurance.clone(),
            did: i.did.clone(),
            verification_methods: i
                .keys
                .iter()
                .map(|k| k.verification_method.clone())
                .collect(),
            created: i.created,
        }
    }
}

/// A status change requested by an institution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum StatusAction {
    Revoke,
    Suspend,
    Unsuspend,
}

impl StatusAction {
    /// The action's word in the status history and the audit trail.
    pub fn name(self) -> &'static str {
        match self {
            StatusAction::Revoke => "revoke",
            StatusAction::Suspend => "suspend",
            StatusAction::Unsuspend => "unsuspend",
        }
    }
}

/// The longest reason a status change may carry, in characters.
pub const MAX_STATUS_REASON_CHARS: usize = 500;

/// A status change as an institution asks for it ([`Service::set_status`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub action: StatusAction,
    /// Why, in plain text (at most [`MAX_STATUS_REASON_CHARS`] characters; blank = none).
    pub reason: Option<String>,
    /// Whether employers may see the reason; they always see the date. Needs a reason.
    pub publish_reason: bool,
}

impl From<StatusAction> for StatusChange {
    fn from(action: StatusAction) -> Self {
        StatusChange {
            action,
            reason: None,
            publish_reason: false,
        }
    }
}

impl StatusChange {
    /// The reason trimmed, `None` when blank; refused when too long, when it holds control
    /// characters other than line breaks, or when it is to be published but missing.
    fn checked_reason(&self) -> Result<Option<String>, ServiceError> {
        let reason = self
            .reason
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty());
        if let Some(r) = reason {
            let chars = r.chars().count();
            if chars > MAX_STATUS_REASON_CHARS {
                return Err(ServiceError::Unprocessable(format!(
                    "the reason is {chars} characters long; at most {MAX_STATUS_REASON_CHARS} are allowed"
                )));
            }
            if r.chars()
                .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
            {
                return Err(ServiceError::Unprocessable(
                    "the reason must be plain text: it holds a control character".into(),
                ));
            }
        }
        if self.publish_reason && reason.is_none() {
            return Err(ServiceError::Unprocessable(
                "publishReason is true but no reason was given: there is nothing to publish".into(),
            ));
        }
        Ok(reason.map(str::to_owned))
    }
}

/// A credential's current status and its status changes, as its institution sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusHistory {
    pub credential_id: String,
    pub issued: DateTime<Utc>,
    pub revoked: bool,
    pub suspended: bool,
    /// Whether it has a suspension entry (issued with `suspendable`).
    pub suspendable: bool,
    /// Oldest first.
    pub events: Vec<StatusEvent>,
}

/// An institution's standing in this node's trust registry ([`Service::registry_standing`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistryStanding {
    pub in_registry: bool,
    /// The member listing the institution's DID.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub member: Option<String>,
    /// What to do when it is not listed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Revoked or suspended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PublishedState {
    Revoked,
    Suspended,
}

/// What employers see of a revoked or suspended credential of this node
/// ([`Service::published_status`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PublishedStatus {
    pub state: PublishedState,
    /// When it was revoked or (last) suspended; `None` if that happened before status
    /// histories were kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since: Option<DateTime<Utc>>,
    /// The institution's reason, only when it chose to publish it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// How to issue one credential: the cryptosuite, and whether the credential can be suspended.
///
/// Every credential the service issues gets a revocation entry. A suspension entry only when
/// asked: two `credentialStatus` entries break the OB 3.0 JSON Schema, which allows one
/// (`docs/API.md`, "Status").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Issuance {
    pub suite: Cryptosuite,
    pub suspendable: bool,
}

impl Issuance {
    fn status_purposes(self) -> &'static [StatusPurpose] {
        if self.suspendable {
            &[StatusPurpose::Revocation, StatusPurpose::Suspension]
        } else {
            &[StatusPurpose::Revocation]
        }
    }
}

impl From<Cryptosuite> for Issuance {
    fn from(suite: Cryptosuite) -> Self {
        Issuance {
            suite,
            suspendable: false,
        }
    }
}

/// What issuing produced.
pub struct Issued {
    pub credential: Value,
    /// `false` when the record id had already been issued: the first credential is returned.
    pub created: bool,
}

/// The issuer service.
pub struct Service {
    store: Arc<dyn Store>,
    contexts: ContextRegistry,
    /// Without a trailing slash.
    public_url: String,
    clock: Arc<dyn Clock>,
    /// Where signing keys are kept and opened ([`crate::keystore`]); it caches opened keys.
    keys: Arc<dyn KeyCustody>,
    /// How API tokens are stored and looked up ([`crate::api_tokens`]).
    tokens: TokenHasher,
    /// Signed status list credentials by list id, with the bits and method they were signed
    /// over: every verification fetches a list, and re-signing 16 KB of unchanged bits each
    /// time cost more than the rest of the check.
    status_lists: Mutex<HashMap<String, SignedList>>,
    /// The `ttl` our status lists carry and their `Cache-Control: max-age`.
    status_list_ttl: std::time::Duration,
    /// Other nodes' status lists and did:web documents; `None`: nothing is fetched.
    documents: Option<DocumentCache>,
    /// Status lists (ours and other nodes') this service's verifications found to verify.
    verified_lists: Arc<VerifiedLists>,
    /// The console's CSV upload jobs, in memory only ([`crate::console::uploads`]).
    uploads: crate::console::uploads::Uploads,
}

struct SignedList {
    bits: Vec<u8>,
    method: String,
    /// Shared, so verifiers can tell the same signed list from a re-signed one
    /// ([`crate::verify::VerifiedLists`]).
    credential: Arc<Value>,
}

/// A key custody error as a service error: the store's own errors keep their meaning.
fn custody_error(e: KeystoreError) -> ServiceError {
    match e {
        KeystoreError::Store(e) => ServiceError::from(e),
        other => ServiceError::Internal(other.to_string()),
    }
}

/// SHA-256 of a token: how a service without a token secret ([`Service::new`]) stores API
/// tokens, and so what tests building an [`crate::http::AppState`] by hand compare the admin
/// token with. `skillpass serve` uses [`Service::token_hash`] (HMAC under the token secret).
pub fn token_hash(token: &str) -> [u8; 32] {
    TokenHasher::unkeyed().hash(token)
}

/// A fresh random API token (256 bits, hex).
pub fn new_token() -> Zeroizing<String> {
    let mut bytes = Zeroizing::new([0u8; 32]);
    OsRng.fill_bytes(&mut bytes[..]);
    let mut text = Zeroizing::new(String::with_capacity(64));
    for b in bytes.iter() {
        text.push_str(&format!("{b:02x}"));
    }
    text
}

impl Service {
    pub fn new(store: Arc<dyn Store>, public_url: &str, clock: Arc<dyn Clock>) -> Self {
        Service {
            keys: Arc::new(Keystore::plaintext(store.clone())),
            tokens: TokenHasher::unkeyed(),
            store,
            contexts: ContextRegistry::bundled(),
            public_url: public_url.trim_end_matches('/').to_owned(),
            clock,
            status_lists: Mutex::new(HashMap::new()),
            status_list_ttl: DEFAULT_STATUS_LIST_TTL,
            documents: None,
            verified_lists: Arc::new(VerifiedLists::default()),
            uploads: crate::console::uploads::Uploads::default(),
        }
    }

    /// The console's CSV upload jobs (progress and row results; kept in memory only).
    pub fn uploads(&self) -> &crate::console::uploads::Uploads {
        &self.uploads
    }

    /// Our status lists carry `ttl` (whole seconds are kept; at least one second) and are
    /// served with `Cache-Control: public, max-age` of the same length.
    pub fn with_status_list_ttl(mut self, ttl: std::time::Duration) -> Self {
        self.status_list_ttl = std::time::Duration::from_secs(ttl.as_secs().max(1));
        self
    }

    /// Signing keys are kept and opened by `keys` (sealed at rest: [`Keystore::open`]);
    /// without this call they are kept in plaintext in the store.
    pub fn with_key_custody(mut self, keys: Arc<dyn KeyCustody>) -> Self {
        self.keys = keys;
        self
    }

    /// API tokens are stored and looked up as `tokens` hashes them (HMAC under the token
    /// secret: [`crate::api_tokens::open`]); without this call, as plain SHA-256.
    pub fn with_token_hasher(mut self, tokens: TokenHasher) -> Self {
        self.tokens = tokens;
        self
    }

    /// The stored form of an API token (or the admin token, compared in memory).
    pub fn token_hash(&self, token: &str) -> [u8; 32] {
        self.tokens.hash(token)
    }

    /// Verifications read other nodes' status lists and did:web documents through `cache`
    /// (and so through its fetcher's rules). Without it nothing is fetched.
    pub fn with_document_cache(mut self, cache: DocumentCache) -> Self {
        self.documents = Some(cache);
        self
    }

    /// How long other verifiers may keep our status lists.
    pub fn status_list_ttl(&self) -> std::time::Duration {
        self.status_list_ttl
    }

    /// The document cache verifications fetch through, if any.
    pub fn document_cache(&self) -> Option<&DocumentCache> {
        self.documents.as_ref()
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub fn contexts(&self) -> &ContextRegistry {
        &self.contexts
    }

    /// The did:web prefix of this service's institutions, `did:web:{host}:institutions:`.
    fn did_web_prefix(&self) -> String {
        let host = self
            .public_url
            .split_once("://")
            .map(|(_, rest)| rest)
            .unwrap_or(&self.public_url);
        // did:web encodes the port's colon, and path segments become colon-separated.
        let host = host.replacen(':', "%3A", 1).replace('/', ":");
        format!("did:web:{host}:institutions:")
    }

    /// Registers an institution with a fresh key; returns it and its API token (shown once).
    pub fn register_institution(
        &self,
        new: NewInstitution,
        actor: &str,
    ) -> Result<(Institution, Zeroizing<String>), ServiceError> {
        self.register_with_key(new, SecretKey::generate(&mut OsRng), actor)
    }

    /// Registers an institution that signs with `key` (development mode uses the example key).
    pub fn register_with_key(
        &self,
        new: NewInstitution,
        key: SecretKey,
        actor: &str,
    ) -> Result<(Institution, Zeroizing<String>), ServiceError> {
        if new.name.trim().is_empty() {
            return Err(ServiceError::Unprocessable("name must not be empty".into()));
        }
        if let Some(url) = &new.url {
            check_web_address(url)?;
        }
        if new.country.len() != 2 || !new.country.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(ServiceError::Unprocessable(
                "country must be an ISO 3166-1 alpha-2 code such as MY or CN".into(),
            ));
        }
        let public = key.public_key();
        let (did, method) = match new.did_method {
            DidMethod::DidKey => (public.did_key(), public.verification_method_id()),
            DidMethod::DidWeb => {
                let did = format!("{}{}", self.did_web_prefix(), new.id);
                let method = format!("{did}#{}", public.to_multibase());
                (did, method)
            }
        };
        let token = new_token();
        let now = self.now();
        let institution = Institution {
            id: new.id,
            name: new.name,
            country: new.country,
            url: new.url,
            framework: new.framework,
            quality_assurance: new.quality_assurance,
            did,
            keys: vec![InstitutionKey {
                verification_method: method.clone(),
                public_key_multibase: public.to_multibase(),
                created: now,
                retired: None,
            }],
            token_hash: self.token_hash(&token),
            created: now,
        };
        // The institution and its key in one atomic write.
        self.keys
            .register(&institution, &method, &key)
            .map_err(custody_error)?;
        self.audit(actor, Some(&institution.id), "register", None)?;
        self.durable_blocking()?;
        Ok((institution, token))
    }

    /// A new API token for the institution; the old one stops working at once.
    pub fn rotate_token(
        &self,
        institution: &str,
        actor: &str,
    ) -> Result<Zeroizing<String>, ServiceError> {
        let token = new_token();
        let hash = self.token_hash(&token);
        self.store.update_institution(institution, &mut |i| {
            i.token_hash = hash;
            Ok(())
        })?;
        self.audit(actor, Some(institution), "rotate-token", None)?;
        self.durable_blocking()?;
        Ok(token)
    }

    /// A new signing key for a did:web institution. The old public key stays in the DID
    /// document so credentials signed before the rotation still verify.
    pub fn rotate_key(&self, institution: &str, actor: &str) -> Result<Institution, ServiceError> {
        let current = self.institution(institution)?;
        if !current.did.starts_with("did:web:") {
            return Err(ServiceError::Conflict(
                "a did:key institution cannot rotate its key: the DID is the key; register with didMethod did-web to rotate keys".into(),
            ));
        }
        let key = SecretKey::generate(&mut OsRng);
        let public = key.public_key();
        let method = format!("{}#{}", current.did, public.to_multibase());
        let now = self.now();
        // The secret key and the institution's new public key in one atomic write.
        let updated = self
            .keys
            .rotate(institution, &method, &key, &mut |i| {
                for k in i.keys.iter_mut().filter(|k| k.retired.is_none()) {
                    k.retired = Some(now);
                }
                i.keys.push(InstitutionKey {
                    verification_method: method.clone(),
                    public_key_multibase: public.to_multibase(),
                    created: now,
                    retired: None,
                });
                Ok(())
            })
            .map_err(custody_error)?;
        self.audit(actor, Some(institution), "rotate-key", Some(&method))?;
        self.durable_blocking()?;
        Ok(updated)
    }

    /// Waits, blocking, until every write made so far is durable (the store's group commit):
    /// the synchronous admin operations above acknowledge nothing before that either. Callable
    /// from any thread, inside a runtime or not: the wait runs on a short-lived thread of its own.
    fn durable_blocking(&self) -> Result<(), ServiceError> {
        let wait = self.store.durable();
        let waited = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .build()
                .map_err(|e| ServiceError::Internal(format!("cannot wait for the store: {e}")))?
                .block_on(wait)
                .map_err(ServiceError::from)
        })
        .join();
        waited.unwrap_or_else(|_| Err(ServiceError::Internal("durability wait panicked".into())))
    }

    pub fn institution(&self, id: &str) -> Result<Institution, ServiceError> {
        self.store
            .get_institution(id)?
            .ok_or_else(|| ServiceError::NotFound(format!("institution not found: {id}")))
    }

    /// The institution an API token belongs to.
    pub fn authenticate(&self, token: &str) -> Result<Option<Institution>, ServiceError> {
        Ok(self
            .store
            .find_institution_by_token_hash(&self.token_hash(token))?)
    }

    /// The institution's current signing key and its verification method.
    fn signer(&self, institution: &Institution) -> Result<(Arc<dyn Signer>, String), ServiceError> {
        let key = institution
            .keys
            .iter()
            .rev()
            .find(|k| k.retired.is_none())
            .ok_or_else(|| {
                ServiceError::Internal(format!("{} has no active key", institution.id))
            })?;
        let method = key.verification_method.clone();
        let key = self
            .keys
            .signing_key(&institution.id, &method)
            .map_err(custody_error)?
            .ok_or_else(|| ServiceError::Internal(format!("no secret key for {method}")))?;
        Ok((key, method))
    }

    /// Issues a learning-outcome record as an OB 3.0 credential.
    pub async fn issue_record(
        &self,
        institution: &Institution,
        record_json: &Value,
        issuance: Issuance,
    ) -> Result<Issued, ServiceError> {
        self.issue_record_by(institution, record_json, issuance, &institution.id)
            .await
    }

    /// [`Service::issue_record`] on behalf of `actor` (a person acting for the institution,
    /// `console:<email>`), who is named in the audit trail.
    pub async fn issue_record_by(
        &self,
        institution: &Institution,
        record_json: &Value,
        issuance: Issuance,
        actor: &str,
    ) -> Result<Issued, ServiceError> {
        let record = record::parse_record(record_json)?;
        let record_id = record_json
            .get("recordId")
            .and_then(Value::as_str)
            .map(str::to_owned);
        if let Some(rid) = &record_id {
            if let Some(existing) = self.store.find_by_record_id(&institution.id, rid)? {
                return Ok(Issued {
                    credential: existing.credential,
                    created: false,
                });
            }
        }
        let params = IssueParams {
            id: uuid::Uuid::new_v4(),
            issuer: institution.did.clone(),
            valid_from: self.now().trunc_subsecs(0),
        };
        let mut unsigned = credential::build_credential(&record, &params)
            .map_err(|e| ServiceError::Unprocessable(e.to_string()))?;
        // The institution's registered profile is authoritative over the record's: a row
        // cannot make the credential claim another name, web address or country.
        unsigned["issuer"]["name"] = institution.name.clone().into();
        if let Some(url) = &institution.url {
            unsigned["issuer"]["url"] = url.clone().into();
        }
        unsigned["issuer"]["address"]["addressCountryCode"] = institution.country.clone().into();
        self.issue_by(institution, unsigned, issuance, record_id, actor)
            .await
    }

    /// Signs a caller-built credential (VC-API `/credentials/issue`) as `institution`, after
    /// checking the data model's rules, and stores it with its status entries.
    pub async fn issue(
        &self,
        institution: &Institution,
        credential: Value,
        issuance: Issuance,
        record_id: Option<String>,
    ) -> Result<Issued, ServiceError> {
        self.issue_by(
            institution,
            credential,
            issuance,
            record_id,
            &institution.id,
        )
        .await
    }

    async fn issue_by(
        &self,
        institution: &Institution,
        mut credential: Value,
        issuance: Issuance,
        record_id: Option<String>,
        actor: &str,
    ) -> Result<Issued, ServiceError> {
        let suite = issuance.suite;
        let now = self.now().trunc_subsecs(0);
        let version = check_issuable(
            &credential,
            &institution.did,
            &format!("{}/status/", self.public_url),
        )?;
        let doc = credential.as_object_mut().expect("checked to be an object");
        if doc.get("id").and_then(Value::as_str).is_none() {
            doc.insert(
                "id".into(),
                format!("urn:uuid:{}", uuid::Uuid::new_v4()).into(),
            );
        }
        if version == CREDENTIALS_V2 && !doc.contains_key("validFrom") {
            doc.insert(
                "validFrom".into(),
                now.to_rfc3339_opts(SecondsFormat::Secs, true).into(),
            );
        }

        let mut allocations = Vec::new();
        if version == CREDENTIALS_V2 {
            // Bitstring Status List terms are in the VC 2.0 context; VC 1.1 credentials go without.
            let mut entries = Vec::new();
            for &purpose in issuance.status_purposes() {
                let store = self.store.clone();
                let inst = institution.id.clone();
                let (list, index) = tokio::task::spawn_blocking(move || {
                    store.allocate_status_indices(&inst, purpose.as_str(), 1)
                })
                .await
                .map_err(|e| ServiceError::Internal(e.to_string()))??
                .pop()
                .ok_or_else(|| ServiceError::Internal("no status index allocated".into()))?;
                entries.push(status::status_entry(
                    &self.status_url(&list),
                    index,
                    purpose,
                ));
                allocations.push(StatusAllocation {
                    list,
                    index,
                    purpose: purpose.as_str().into(),
                });
            }
            // A caller's own entries are kept (never replaced), ours follow.
            let status = merged_status(doc.remove("credentialStatus"), entries);
            doc.insert("credentialStatus".into(), status);
        }

        self.sign_and_store_by(
            institution,
            credential,
            suite,
            allocations,
            record_id,
            None,
            actor,
        )
        .await
    }

    /// Signs `credential` as `institution` with a fresh proof id, stores it with its status
    /// entries and record id, writes the audit line (`"issue"`, or `audit_action`) and waits
    /// until it is durable. A record id already issued answers with the first credential.
    pub(crate) async fn sign_and_store(
        &self,
        institution: &Institution,
        credential: Value,
        suite: Cryptosuite,
        allocations: Vec<StatusAllocation>,
        record_id: Option<String>,
        audit_action: Option<&str>,
    ) -> Result<Issued, ServiceError> {
        let actor = institution.id.clone();
        self.sign_and_store_by(
            institution,
            credential,
            suite,
            allocations,
            record_id,
            audit_action,
            &actor,
        )
        .await
    }

    /// [`Service::sign_and_store`], naming `actor` in the audit line.
    #[allow(clippy::too_many_arguments)]
    async fn sign_and_store_by(
        &self,
        institution: &Institution,
        credential: Value,
        suite: Cryptosuite,
        allocations: Vec<StatusAllocation>,
        record_id: Option<String>,
        audit_action: Option<&str>,
        actor: &str,
    ) -> Result<Issued, ServiceError> {
        let now = self.now().trunc_subsecs(0);
        let id = credential
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| ServiceError::Internal("a credential to store has no id".into()))?
            .to_owned();
        let (key, method) = self.signer(institution)?;
        let options = ProofOptions {
            suite,
            verification_method: method,
            purpose: ProofPurpose::AssertionMethod,
            created: now,
            challenge: None,
            domain: None,
        };
        let contexts = self.contexts.clone();
        // Every proof the service makes has an id, so another party can chain to it.
        let link = ProofLink {
            id: Some(format!("urn:uuid:{}", uuid::Uuid::new_v4())),
            previous_proof: Vec::new(),
        };
        let signed = tokio::task::spawn_blocking(move || {
            proof::add_proof(&credential, key.as_ref(), &options, &link, &contexts)
        })
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))?
        .map_err(|e| match e {
            ProofError::Canon(c) => ServiceError::Unprocessable(c.to_string()),
            ProofError::Jcs(j) => ServiceError::Unprocessable(j.to_string()),
            other => ServiceError::Internal(other.to_string()),
        })?;

        let stored = StoredCredential {
            id: id.clone(),
            institution: institution.id.clone(),
            record_id,
            credential: signed.clone(),
            status: allocations,
            issued: now,
        };
        match self.store.insert_credential(&stored) {
            Ok(()) => {}
            Err(StoreError::Conflict {
                entity: Entity::RecordId,
                existing,
            }) => {
                // A concurrent request with the same record id won; answer with its credential.
                let first = self.store.get_credential(&existing)?.ok_or_else(|| {
                    ServiceError::Internal(format!("record id points at missing {existing}"))
                })?;
                return Ok(Issued {
                    credential: first.credential,
                    created: false,
                });
            }
            Err(e) => return Err(e.into()),
        }
        let action = audit_action.unwrap_or("issue");
        self.audit(actor, Some(&institution.id), action, Some(&id))?;
        self.store.durable().await?;
        Ok(Issued {
            credential: signed,
            created: true,
        })
    }

    /// The public URL of a status list.
    pub fn status_url(&self, list: &str) -> String {
        format!("{}/status/{list}", self.public_url)
    }

    /// The public URL of a credential's employer page.
    pub fn verify_page_url(&self, credential_id: &str) -> String {
        format!("{}/verify/{}", self.public_url, path_segment(credential_id))
    }

    /// A stored credential, by id.
    pub fn credential(&self, id: &str) -> Result<StoredCredential, ServiceError> {
        self.store
            .get_credential(id)?
            .ok_or_else(|| ServiceError::NotFound(format!("credential not found: {id}")))
    }

    /// Adds `institution`'s proof to a credential that is already signed (by anyone): an
    /// endorsement such as an accreditation body's countersignature. The existing proofs must
    /// hold; they are kept as they are. With `previous_proof`, the new proof is chained to those
    /// proofs (they become part of what it signs); without, it joins the proof set. Nothing is
    /// stored: the countersigned document goes back to the caller. Audited as `countersign`.
    pub async fn countersign(
        self: &Arc<Self>,
        institution: &Institution,
        credential: Value,
        suite: Cryptosuite,
        previous_proof: Vec<String>,
    ) -> Result<Value, ServiceError> {
        if credential.get("proof").is_none() {
            return Err(ServiceError::Unprocessable(
                "the credential carries no proof to countersign: issue it with /credentials/issue"
                    .into(),
            ));
        }
        let now = self.now().trunc_subsecs(0);
        let (key, method) = self.signer(institution)?;
        let options = ProofOptions {
            suite,
            verification_method: method,
            purpose: ProofPurpose::AssertionMethod,
            created: now,
            challenge: None,
            domain: None,
        };
        let link = ProofLink {
            id: Some(format!("urn:uuid:{}", uuid::Uuid::new_v4())),
            previous_proof,
        };
        let resolver = self.resolver();
        let contexts = self.contexts.clone();
        let id = credential
            .get("id")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let signed = tokio::task::spawn_blocking(move || {
            let checks = proof::verify_proofs(&credential, resolver.as_ref(), &contexts, now)
                .map_err(|e| match e {
                    ProofError::Canon(c) => ServiceError::Unprocessable(c.to_string()),
                    ProofError::Jcs(j) => ServiceError::Unprocessable(j.to_string()),
                    other => ServiceError::CannotCheck(other.to_string()),
                })?;
            let failures: Vec<String> = checks.into_iter().flat_map(|c| c.failures).collect();
            if !failures.is_empty() {
                return Err(ServiceError::Unprocessable(format!(
                    "the credential's proofs do not hold, so it cannot be countersigned: {}",
                    failures.join("; ")
                )));
            }
            proof::add_proof(&credential, key.as_ref(), &options, &link, &contexts).map_err(|e| {
                match e {
                    ProofError::Did(_) | ProofError::KeyMismatch(_) => {
                        ServiceError::Internal(e.to_string())
                    }
                    other => ServiceError::Unprocessable(other.to_string()),
                }
            })
        })
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))??;
        self.audit(
            &institution.id,
            Some(&institution.id),
            "countersign",
            id.as_deref(),
        )?;
        self.store.durable().await?;
        Ok(signed)
    }

    /// Whether the credential's `purpose` status (`"revocation"`, `"suspension"`) is set now;
    /// `false` when it has no such entry.
    pub fn status_is_set(
        &self,
        stored: &StoredCredential,
        purpose: &str,
    ) -> Result<bool, ServiceError> {
        match stored.status.iter().find(|a| a.purpose == purpose) {
            None => Ok(false),
            Some(entry) => Ok(bit(&self.store.status_bits(&entry.list)?, entry.index)),
        }
    }

    /// Revokes, suspends or unsuspends one of `institution`'s credentials, recording the
    /// change (date, institution as actor, action, reason) in its status history. `change`
    /// may be a bare [`StatusAction`]. Returns whether the status changed: repeating a change
    /// already made answers `false` and records nothing.
    pub async fn set_status(
        &self,
        institution: &Institution,
        credential_id: &str,
        change: impl Into<StatusChange>,
    ) -> Result<bool, ServiceError> {
        self.set_status_by(institution, credential_id, change.into(), &institution.id)
            .await
    }

    /// [`Service::set_status`] on behalf of `actor` (a person acting for the institution,
    /// e.g. `console:alice`), who is named in the status history and the audit trail.
    pub async fn set_status_by(
        &self,
        institution: &Institution,
        credential_id: &str,
        change: StatusChange,
        actor: &str,
    ) -> Result<bool, ServiceError> {
        let reason = change.checked_reason()?;
        let stored = self.own_credential(institution, credential_id)?;
        let action = change.action;
        let (purpose, value) = match action {
            StatusAction::Revoke => ("revocation", true),
            StatusAction::Suspend => ("suspension", true),
            StatusAction::Unsuspend => ("suspension", false),
        };
        let entry = stored
            .status
            .iter()
            .find(|a| a.purpose == purpose)
            .ok_or_else(|| {
                ServiceError::Conflict(format!(
                    "this credential has no {purpose} status entry (only credentials issued with suspendable=true can be suspended)"
                ))
            })?;
        if action == StatusAction::Unsuspend || action == StatusAction::Suspend {
            // A revoked credential stays revoked; suspending it would suggest it could return.
            if self.status_is_set(&stored, "revocation")? {
                return Err(ServiceError::Conflict(
                    "the credential is revoked; revocation is permanent".into(),
                ));
            }
        }
        let event = StatusEvent {
            at: self.now(),
            actor: actor.to_owned(),
            action: action.name().to_owned(),
            reason,
            publish_reason: change.publish_reason,
        };
        let previous =
            self.store
                .change_status(&stored.id, &entry.list, entry.index, value, &event)?;
        self.audit(
            actor,
            Some(&institution.id),
            action.name(),
            Some(credential_id),
        )?;
        self.store.durable().await?;
        Ok(previous != value)
    }

    /// One of `institution`'s credentials; another institution's is "not found", as an
    /// unknown id is, so that ids leak nothing (issue 16).
    fn own_credential(
        &self,
        institution: &Institution,
        credential_id: &str,
    ) -> Result<StoredCredential, ServiceError> {
        let stored = self.credential(credential_id)?;
        if stored.institution != institution.id {
            return Err(ServiceError::NotFound(format!(
                "credential not found: {credential_id}"
            )));
        }
        Ok(stored)
    }

    /// One of `institution`'s credentials with its current status and every status change,
    /// oldest first (reasons included, published or not: this is the institution's view).
    pub fn status_history(
        &self,
        institution: &Institution,
        credential_id: &str,
    ) -> Result<StatusHistory, ServiceError> {
        let stored = self.own_credential(institution, credential_id)?;
        Ok(StatusHistory {
            credential_id: stored.id.clone(),
            issued: stored.issued,
            revoked: self.status_is_set(&stored, "revocation")?,
            suspended: self.status_is_set(&stored, "suspension")?,
            suspendable: stored.status.iter().any(|a| a.purpose == "suspension"),
            events: self.store.status_history(&stored.id)?,
        })
    }

    /// Whether `institution`'s DID is in this node's trust registry, and if not, how to add it:
    /// until it is, employer pages show its credentials as "Issuer unknown" (issue 15).
    pub fn registry_standing(
        &self,
        institution: &Institution,
    ) -> Result<RegistryStanding, ServiceError> {
        let member = self.store.find_member_by_did(&institution.did)?;
        Ok(RegistryStanding {
            in_registry: member.is_some(),
            note: if member.is_some() {
                None
            } else {
                Some(format!(
                    "{} is not in the alliance trust registry yet, so employer pages show its credentials as \"Issuer unknown\". Add it with PUT /admin/registry/members/{} listing the DID {} (docs/REGISTRY.md), or have the alliance's registry list it.",
                    institution.id, institution.id, institution.did
                ))
            },
            member: member.map(|m| m.id),
        })
    }

    /// [`Service::published_status`] of `document` when it is a credential held on this node
    /// — the very one, proofs included, so that a document merely naming a stored id learns
    /// nothing about it.
    pub fn published_status_of(
        &self,
        document: &Value,
    ) -> Result<Option<PublishedStatus>, ServiceError> {
        let Some(id) = document.get("id").and_then(Value::as_str) else {
            return Ok(None);
        };
        match self.store.get_credential(id)? {
            Some(stored) if stored.credential.get("proof") == document.get("proof") => {
                self.published_status(id)
            }
            _ => Ok(None),
        }
    }

    /// What anyone may see of the current status of a credential held on this node: since
    /// when it is revoked or suspended, and the reason when the institution published it.
    /// `None` when the credential is not on this node or is neither revoked nor suspended.
    /// The date is missing for a status set before status histories were kept.
    pub fn published_status(
        &self,
        credential_id: &str,
    ) -> Result<Option<PublishedStatus>, ServiceError> {
        let Some(stored) = self.store.get_credential(credential_id)? else {
            return Ok(None);
        };
        let state = if self.status_is_set(&stored, "revocation")? {
            PublishedState::Revoked
        } else if self.status_is_set(&stored, "suspension")? {
            PublishedState::Suspended
        } else {
            return Ok(None);
        };
        let wanted = match state {
            PublishedState::Revoked => StatusAction::Revoke,
            PublishedState::Suspended => StatusAction::Suspend,
        };
        let history = self.store.status_history(&stored.id)?;
        let event = history.iter().rev().find(|e| e.action == wanted.name());
        Ok(Some(PublishedStatus {
            state,
            since: event.map(|e| e.at),
            reason: event
                .filter(|e| e.publish_reason)
                .and_then(|e| e.reason.clone()),
        }))
    }

    /// The signed `BitstringStatusListCredential` of a list.
    pub async fn status_list_credential(&self, list: &str) -> Result<Value, ServiceError> {
        Ok(Arc::unwrap_or_clone(self.status_list_shared(list).await?))
    }

    /// [`Service::status_list_credential`], shared: the same `Arc` until the list's bits or
    /// signing key change.
    pub async fn status_list_shared(&self, list: &str) -> Result<Arc<Value>, ServiceError> {
        let id = StatusListId::parse(list)
            .ok_or_else(|| ServiceError::NotFound(format!("status list not found: {list}")))?;
        let institution = self.institution(&id.institution)?;
        let bits = self.store.status_bits(list)?;
        let (key, method) = self.signer(&institution)?;
        if let Some(cached) = self
            .status_lists
            .lock()
            .expect("status list cache")
            .get(list)
        {
            if cached.bits == bits && cached.method == method {
                return Ok(cached.credential.clone());
            }
        }
        let bits = Bitstring::from_bytes(bits)
            .map_err(|e| ServiceError::Internal(format!("status list {list}: {e}")))?;
        let purpose: StatusPurpose = id
            .purpose
            .parse()
            .map_err(|_| ServiceError::Internal(format!("bad purpose in {list}")))?;
        let now = self.now().trunc_subsecs(0);
        // The list is valid from the institution's registration, not from this signing: a
        // verifier fixes its "now" before fetching the list, so `validFrom = now` made a
        // credential fail its status check whenever a second ticked over in between (and for
        // any verifier whose clock is slightly behind ours). The bits are current either way.
        let valid_from = institution.created.trunc_subsecs(0).min(now);
        let mut unsigned = status::status_list_credential(
            &self.status_url(list),
            &institution.did,
            purpose,
            &bits,
            valid_from,
        );
        // How long a verifier may keep the list (milliseconds, Bitstring Status List §2.2): a
        // revocation reaches other nodes within this time.
        unsigned["credentialSubject"]["ttl"] = (self.status_list_ttl.as_millis() as u64).into();
        // eddsa-rdfc-2022, as the credentials: wallets' verifiers (Learner Credential Wallet's
        // among them) check status lists with it and refuse eddsa-jcs-2022. A list is signed
        // once per change of its bits and served from the cache in between
        // (`docs/BENCHMARKS.md`, status lists).
        let options = ProofOptions {
            suite: Cryptosuite::EddsaRdfc2022,
            verification_method: method.clone(),
            purpose: ProofPurpose::AssertionMethod,
            created: now,
            challenge: None,
            domain: None,
        };
        let contexts = self.contexts.clone();
        let signed = tokio::task::spawn_blocking(move || {
            proof::sign(&unsigned, key.as_ref(), &options, &contexts)
        })
        .await
        .map_err(|e| ServiceError::Internal(e.to_string()))?
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
        let signed = Arc::new(signed);
        self.status_lists.lock().expect("status list cache").insert(
            list.to_owned(),
            SignedList {
                bits: bits.as_bytes().to_vec(),
                method,
                credential: signed.clone(),
            },
        );
        Ok(signed)
    }

    /// The DID document of a did:web institution, listing every key it ever had.
    pub fn did_document(&self, institution: &str) -> Result<Value, ServiceError> {
        let inst = self.institution(institution)?;
        if !inst.did.starts_with("did:web:") {
            return Err(ServiceError::NotFound(format!(
                "{institution} uses {}, which needs no DID document from this service",
                inst.did
            )));
        }
        let methods: Vec<Value> = inst
            .keys
            .iter()
            .map(|k| {
                serde_json::json!({
                    "id": k.verification_method,
                    "type": "Multikey",
                    "controller": inst.did,
                    "publicKeyMultibase": k.public_key_multibase,
                })
            })
            .collect();
        let ids: Vec<Value> = inst
            .keys
            .iter()
            .map(|k| Value::String(k.verification_method.clone()))
            .collect();
        Ok(serde_json::json!({
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": inst.did,
            "verificationMethod": methods,
            "assertionMethod": ids,
            "authentication": ids,
        }))
    }

    /// Resolves did:key, did:jwk and this service's own did:web institutions without a network
    /// hop; with a document cache (and inside a Tokio runtime), other did:web DIDs through it.
    pub fn resolver(self: &Arc<Self>) -> Arc<dyn DidResolver> {
        let local: Arc<dyn DidResolver> = Arc::new(ServiceResolver {
            service: self.clone(),
        });
        match (&self.documents, tokio::runtime::Handle::try_current()) {
            (Some(cache), Ok(handle)) => {
                Arc::new(RemoteDidResolver::with_local(cache.clone(), handle, local))
            }
            _ => local,
        }
    }

    /// Status lists for one verification: this service's own from the store (origin "own
    /// store"), every other through the document cache (fetched now, cache, stale copy), or,
    /// without a cache, "could not check". Must be called inside a Tokio runtime (the lists
    /// are read from blocking threads through its handle).
    pub fn status_lists(self: &Arc<Self>) -> Arc<dyn StatusLists> {
        let handle = tokio::runtime::Handle::current();
        let remote = self
            .documents
            .as_ref()
            .map(|cache| RemoteStatusLists::new(cache.clone(), handle.clone()));
        Arc::new(ServiceStatusLists {
            service: self.clone(),
            handle,
            remote,
        })
    }

    /// Verification options as this service verifies: at its clock's now, its resolver
    /// ([`Service::resolver`]), its status lists ([`Service::status_lists`]) and its trust
    /// registry (so every credential gets a `trust` check), with the strict policy (alliance
    /// membership and holder binding required) that the employer page and recognition use.
    /// Make one per verification (the remote adapters record that verification's lookups).
    /// Must be called inside a Tokio runtime; run the verifier itself on a blocking thread.
    pub fn verify_options(self: &Arc<Self>) -> VerifyOptions {
        let mut options = VerifyOptions::new(self.now());
        options.resolver = self.resolver();
        options.status_lists = Some(self.status_lists());
        options.trust = Some(self.trust_registry());
        options.verified_lists = Some(self.verified_lists.clone());
        options
    }

    pub(crate) fn audit(
        &self,
        actor: &str,
        institution: Option<&str>,
        action: &str,
        subject: Option<&str>,
    ) -> Result<(), ServiceError> {
        self.store.append_audit(&AuditEvent {
            at: self.now(),
            actor: actor.to_owned(),
            institution: institution.map(str::to_owned),
            action: action.to_owned(),
            subject: subject.map(str::to_owned),
        })?;
        Ok(())
    }
}

/// What [`Service::import_registry`] changed, by member id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistryImport {
    /// The publisher whose signature was checked.
    pub publisher: String,
    /// Members that were not in this registry.
    pub added: Vec<String>,
    /// Members replaced by the document's version.
    pub updated: Vec<String>,
    /// Members already identical here.
    pub unchanged: Vec<String>,
}

/// The key this service signs its registry document with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistryPublisher {
    /// The publisher DID (a did:key), the `issuer` of `GET /registry`.
    pub did: String,
    pub verification_method: String,
}

impl From<RegistryError> for ServiceError {
    fn from(e: RegistryError) -> Self {
        match e {
            RegistryError::DidTaken { .. } => ServiceError::Conflict(e.to_string()),
            RegistryError::CannotCheck(m) => ServiceError::CannotCheck(m),
            RegistryError::Sign(m) => ServiceError::Internal(m),
            other => ServiceError::Unprocessable(other.to_string()),
        }
    }
}

/// Trust registry operations: members (admin), the signed registry document, import.
impl Service {
    /// Adds or replaces a registry member (by id); `true` when it was new. Durable on return.
    pub async fn put_member(&self, member: Member, actor: &str) -> Result<bool, ServiceError> {
        member.validate()?;
        let created = self
            .store
            .put_member(&member)
            .map_err(|e| self.did_conflict(e, std::slice::from_ref(&member)))?;
        self.audit(actor, None, "registry-put", Some(&member.id))?;
        self.store.durable().await?;
        Ok(created)
    }

    /// Removes a registry member; returns it. Durable on return.
    pub async fn delete_member(&self, id: &str, actor: &str) -> Result<Member, ServiceError> {
        let member = self.store.delete_member(id).map_err(|e| match e {
            StoreError::NotFound { .. } => {
                ServiceError::NotFound(format!("registry member not found: {id}"))
            }
            other => other.into(),
        })?;
        self.audit(actor, None, "registry-delete", Some(id))?;
        self.store.durable().await?;
        Ok(member)
    }

    /// Every registry member, ordered by id.
    pub fn members(&self) -> Result<Vec<Member>, ServiceError> {
        Ok(self.store.list_members()?)
    }

    /// The registry as the verifier consults it: the store's members, read at each lookup.
    pub fn trust_registry(&self) -> Arc<dyn TrustRegistry> {
        Arc::new(StoreTrustRegistry {
            store: self.store.clone(),
        })
    }

    /// The registry signing key: generated and stored (durably) on first use.
    async fn registry_key(&self) -> Result<Arc<dyn Signer>, ServiceError> {
        let (key, created) = self
            .keys
            .registry_key(&mut || SecretKey::generate(&mut OsRng))
            .map_err(custody_error)?;
        if created {
            // Published documents name this key; it must not change after a crash.
            self.store.durable().await?;
        }
        Ok(key)
    }

    /// The DID and verification method the registry document is signed with.
    pub async fn registry_publisher(&self) -> Result<RegistryPublisher, ServiceError> {
        let public = self.registry_key().await?.public_key();
        Ok(RegistryPublisher {
            did: public.did_key(),
            verification_method: public.verification_method_id(),
        })
    }

    /// The whole registry as a signed `TrustRegistryCredential` (eddsa-rdfc-2022), valid for
    /// [`registry::document::DEFAULT_DOCUMENT_VALIDITY_DAYS`] from now.
    pub async fn registry_document(&self) -> Result<Value, ServiceError> {
        let key = self.registry_key().await?;
        let members = self.store.list_members()?;
        Ok(registry::document::sign_registry(
            &members,
            key.as_ref(),
            self.now(),
            chrono::Duration::days(registry::document::DEFAULT_DOCUMENT_VALIDITY_DAYS),
        )?)
    }

    /// Verifies a registry document signed by `publisher` and merges its members: each member
    /// of the document is added, or replaces the member with the same id; members that are
    /// only here stay. All or nothing: a document member holding a DID of a member that is
    /// only here is a conflict, and nothing is written. Durable on return.
    pub async fn import_registry(
        &self,
        document: &Value,
        publisher: &str,
        actor: &str,
    ) -> Result<RegistryImport, ServiceError> {
        if !registry::is_did(publisher) {
            return Err(ServiceError::Unprocessable(format!(
                "publisher {publisher:?} must be the DID of the registry's publisher"
            )));
        }
        let options = crate::verify::VerifyOptions::new(self.now());
        let incoming = registry::document::verify_registry(document, publisher, &options)?;
        let mut summary = RegistryImport {
            publisher: publisher.to_owned(),
            ..RegistryImport::default()
        };
        for member in &incoming {
            match self.store.get_member(&member.id)? {
                None => summary.added.push(member.id.clone()),
                Some(current) if current == *member => summary.unchanged.push(member.id.clone()),
                Some(_) => summary.updated.push(member.id.clone()),
            }
        }
        self.store
            .put_members(&incoming)
            .map_err(|e| self.did_conflict(e, &incoming))?;
        self.audit(actor, None, "registry-import", Some(publisher))?;
        self.store.durable().await?;
        Ok(summary)
    }

    /// Names the DID behind a store DID conflict, which the store reports by member only.
    fn did_conflict(&self, e: StoreError, members: &[Member]) -> ServiceError {
        let StoreError::Conflict {
            entity: Entity::MemberDid,
            existing,
        } = &e
        else {
            return e.into();
        };
        for member in members {
            for did in &member.dids {
                if let Ok(Some(owner)) = self.store.find_member_by_did(did) {
                    if owner.id == *existing && owner.id != member.id {
                        return ServiceError::Conflict(format!(
                            "{did} (of member {}) already belongs to registry member {existing}",
                            member.id
                        ));
                    }
                }
            }
        }
        ServiceError::Conflict(format!(
            "a DID is listed twice: it already belongs to registry member {existing}"
        ))
    }
}

/// [`TrustRegistry`] over the service's store.
struct StoreTrustRegistry {
    store: Arc<dyn Store>,
}

impl TrustRegistry for StoreTrustRegistry {
    fn lookup(&self, did: &str, at: DateTime<Utc>) -> Result<TrustLookup, String> {
        match self.store.find_member_by_did(did) {
            Ok(Some(member)) => Ok(member.standing(at)),
            Ok(None) => Ok(TrustLookup::NotListed),
            Err(e) => Err(e.to_string()),
        }
    }
}

/// Percent-encodes `text` for one URL path segment (credential ids may be any IRI, e.g. with `/`).
pub(crate) fn path_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:@!$&'()*+,;=".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn bit(bits: &[u8], index: u64) -> bool {
    let byte = (index / 8) as usize;
    byte < bits.len() && bits[byte] & (0x80 >> (index % 8)) != 0
}

/// The VC data model rules an issuer enforces before signing ([`data_model`]), and the
/// service's own: `@context` is an array, no `proof`, the issuer is the caller, and no status
/// entry in this service's own lists (the service allocates those). Returns the `@context`
/// version.
fn check_issuable(
    credential: &Value,
    issuer_did: &str,
    own_status_lists: &str,
) -> Result<&'static str, ServiceError> {
    let invalid = |m: &str| Err(ServiceError::Unprocessable(m.to_owned()));
    let Some(doc) = credential.as_object() else {
        return invalid("credential must be a JSON object");
    };
    if doc.contains_key("proof") {
        return invalid("credential must not carry a proof: the service signs it");
    }
    if !matches!(doc.get("@context"), Some(Value::Array(_))) {
        return invalid(
            "@context must be an array whose first entry is https://www.w3.org/ns/credentials/v2 (or /2018/credentials/v1)",
        );
    }
    let found = data_model::check_credential(credential);
    if !found.conforms() {
        return Err(ServiceError::Unprocessable(format!(
            "the credential does not follow the VC data model: {}",
            found.reasons().join("; ")
        )));
    }
    let issuer = crate::verify::id_of(doc.get("issuer"));
    if issuer.as_deref() != Some(issuer_did) {
        return Err(ServiceError::Forbidden(format!(
            "an institution can only issue as itself: issuer must be {issuer_did}"
        )));
    }
    let entries: Vec<&Value> = match doc.get("credentialStatus") {
        None => Vec::new(),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
    };
    for entry in entries {
        let list = entry.get("statusListCredential").and_then(Value::as_str);
        if list.is_some_and(|l| l.starts_with(own_status_lists)) {
            return invalid(
                "credentialStatus must not point into this service's status lists: the service allocates their entries itself",
            );
        }
    }
    Ok(match found.version {
        Some(data_model::Version::V1) => CREDENTIALS_V1,
        _ => CREDENTIALS_V2,
    })
}

/// A caller's own `credentialStatus` entries (kept as given), followed by the service's.
fn merged_status(caller: Option<Value>, mut ours: Vec<Value>) -> Value {
    let mut entries = match caller {
        None => Vec::new(),
        Some(Value::Array(items)) => items,
        Some(one) => vec![one],
    };
    entries.append(&mut ours);
    // One entry is written as an object: the OB 3.0 schema allows no array here.
    match entries.len() {
        1 => entries.remove(0),
        _ => Value::Array(entries),
    }
}

/// Status lists of this service's own institutions, read from the store and signed; other
/// nodes' through the document cache when there is one.
struct ServiceStatusLists {
    service: Arc<Service>,
    handle: tokio::runtime::Handle,
    remote: Option<RemoteStatusLists>,
}

impl ServiceStatusLists {
    fn own(&self, url: &str, list: &str) -> Result<Option<Arc<Value>>, String> {
        let read = self.service.status_list_shared(list);
        let result = match tokio::runtime::Handle::try_current() {
            Ok(current)
                if current.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread =>
            {
                tokio::task::block_in_place(|| self.handle.block_on(read))
            }
            _ => self.handle.block_on(read),
        };
        match result {
            Ok(credential) => Ok(Some(credential)),
            Err(ServiceError::NotFound(_)) => Ok(None),
            // The cause goes to the log only: it can name stored keys and backend details.
            Err(ServiceError::Internal(cause)) => {
                tracing::error!(error = %cause, list = url, "serving a status list failed");
                Err(format!("status list {url} is unavailable (internal error)"))
            }
            Err(e) => Err(e.to_string()),
        }
    }
}

impl StatusLists for ServiceStatusLists {
    fn fetch(&self, url: &str) -> Result<Option<Value>, String> {
        Ok(self
            .fetch_with_origin(url)?
            .map(|(list, _)| Arc::unwrap_or_clone(list)))
    }

    fn fetch_with_origin(&self, url: &str) -> Result<Option<(Arc<Value>, Origin)>, String> {
        let prefix = format!("{}/status/", self.service.public_url());
        if let Some(list) = url.strip_prefix(&prefix) {
            return Ok(self.own(url, list)?.map(|list| (list, Origin::OwnStore)));
        }
        match &self.remote {
            Some(remote) => remote.fetch_with_origin(url),
            None => Err(format!(
                "{url} is not a status list of this service, and this service is not set up to fetch other nodes' lists"
            )),
        }
    }
}

/// did:key offline, plus did:web DIDs of this service's institutions from the store.
struct ServiceResolver {
    service: Arc<Service>,
}

impl DidResolver for ServiceResolver {
    fn resolve_method(&self, method_url: &str) -> Result<VerificationMethod, DidError> {
        let prefix = self.service.did_web_prefix();
        let Some(rest) = method_url.strip_prefix(&prefix) else {
            return DidKeyResolver.resolve_method(method_url);
        };
        let unresolvable = || DidError::InvalidDidUrl {
            url: method_url.to_owned(),
            reason: "no such institution or key on this service",
        };
        let (id, _) = rest.split_once('#').ok_or_else(unresolvable)?;
        let inst = self
            .service
            .store
            .get_institution(id)
            .map_err(|_| unresolvable())?
            .ok_or_else(unresolvable)?;
        let key = inst
            .keys
            .iter()
            .find(|k| k.verification_method == method_url)
            .ok_or_else(unresolvable)?;
        let public_key =
            PublicKey::from_multibase(&key.public_key_multibase).map_err(|_| unresolvable())?;
        Ok(VerificationMethod {
            id: method_url.to_owned(),
            controller: inst.did.clone(),
            public_key,
        })
    }
}

/// An institution's web address: an absolute `https` (or `http`) URL with a host.
fn check_web_address(url: &str) -> Result<(), ServiceError> {
    let refuse = || {
        ServiceError::Unprocessable(format!(
            "url {url:?} is not a web address such as https://www.college.edu.my/"
        ))
    };
    let iri = oxiri::Iri::parse(url).map_err(|_| refuse())?;
    let scheme_ok = matches!(iri.scheme(), "https" | "http");
    let host_ok = iri.authority().is_some_and(|a| !a.is_empty());
    if scheme_ok && host_ok {
        Ok(())
    } else {
        Err(refuse())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;
    use crate::verify::{self, LocalStatusLists, VerifyOptions};
    use chrono::TimeZone;

    /// A clock the test moves by hand.
    struct HandClock(Mutex<DateTime<Utc>>);

    impl Clock for HandClock {
        fn now(&self) -> DateTime<Utc> {
            *self.0.lock().unwrap()
        }
    }

    /// Regression: a status list signed a moment after the verifier fixed its "now", across a
    /// second boundary, used to carry `validFrom` one second in the verifier's future, so a
    /// good credential intermittently failed its status check (HTTP 422 from
    /// `/credentials/verify`, about 3% of calls in a debug build).
    #[tokio::test]
    async fn a_status_list_signed_just_after_the_verifier_looked_at_the_clock_is_valid() {
        let t = |ms: i64| {
            Utc.with_ymd_and_hms(2026, 9, 1, 8, 0, 0).unwrap() + chrono::Duration::milliseconds(ms)
        };
        let clock = Arc::new(HandClock(Mutex::new(t(500))));
        let service = Service::new(
            Arc::new(MemoryStore::new()),
            "https://skillpass.test",
            clock.clone(),
        );
        let new = NewInstitution {
            id: "zvp".into(),
            name: "Zambezi Valley Polytechnic".into(),
            country: "ZW".into(),
            url: None,
            framework: "ZNQF".into(),
            quality_assurance: None,
            did_method: DidMethod::DidKey,
        };
        let (institution, _) = service.register_institution(new, "admin").unwrap();
        *clock.0.lock().unwrap() = t(5_000);
        let unsigned = serde_json::json!({
            "@context": [CREDENTIALS_V2],
            "type": ["VerifiableCredential"],
            "issuer": institution.did,
            "credentialSubject": {"id": "did:example:learner"},
        });
        let issued = service
            .issue(
                &institution,
                unsigned,
                Issuance {
                    suite: Cryptosuite::EddsaJcs2022,
                    suspendable: true,
                },
                None,
            )
            .await
            .unwrap();

        // The verifier reads the clock at x.999 s; the lists are signed 2 ms later, at (x+1).001.
        let verifier_now = t(5_999);
        *clock.0.lock().unwrap() = t(6_001);
        let mut lists = LocalStatusLists::default();
        for purpose in ["revocation", "suspension"] {
            let list = format!("zvp/{purpose}/0");
            let signed = service.status_list_credential(&list).await.unwrap();
            lists.0.insert(service.status_url(&list), signed);
        }
        let mut options = VerifyOptions::new(verifier_now);
        options.status_lists = Some(Arc::new(lists));
        let report = verify::verify(&issued.credential, &options).unwrap();
        assert!(report.verified, "{:?}", report.reasons());
    }
}

#[cfg(test)]
mod url_tests {
    use super::path_segment;

    #[test]
    fn credential_ids_are_one_path_segment() {
        assert_eq!(
            path_segment("urn:uuid:1b4c-9e"),
            "urn:uuid:1b4c-9e",
            "urn:uuid ids stay readable"
        );
        assert_eq!(
            path_segment("https://c.example/creds/7?x=1#f é"),
            "https:%2F%2Fc.example%2Fcreds%2F7%3Fx=1%23f%20%C3%A9"
        );
    }
}

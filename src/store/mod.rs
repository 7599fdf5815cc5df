//! Storage for the issuer service: institutions, issued credentials, status lists and the
//! audit trail, behind one narrow, object-safe trait ([`Store`]).
//!
//! [`SledStore`] (embedded sled database) is the production implementation and the only code
//! that knows about sled; [`MemoryStore`] serves tests. Methods are synchronous: async callers
//! wrap them in `tokio::task::spawn_blocking`. The one async method, [`Store::durable`], is how
//! a caller waits until its writes would survive a crash before acknowledging them; it is a
//! group commit ([`GroupCommit`]) so that many concurrent writes share one `fsync`.
//!
//! Identifiers that end up inside storage keys are checked: institution ids are slugs
//! (`[a-z0-9][a-z0-9_-]{0,63}`) and status purposes are `"revocation"` or `"suspension"`.
//!
//! The alliance trust registry lives here too: its members ([`Member`], keyed by slug, with an
//! index from each issuer DID to the one member listing it) and the registry's signing key.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

pub use crate::registry::Member;
use crate::registry::{self, RegistryError};

mod group_commit;
pub mod memory;
pub mod postgres;
pub mod sled;
pub mod transfer;

pub use self::sled::SledStore;
pub use group_commit::GroupCommit;
pub use memory::MemoryStore;
pub use postgres::PostgresStore;

/// Entries per status list (W3C Bitstring Status List minimum of 16 KiB, i.e. 131,072 bits,
/// which keeps group privacy for any single credential).
pub const STATUS_LIST_SIZE: u64 = 131_072;

/// The status purposes a list can have; one list sequence per institution and purpose.
pub const STATUS_PURPOSES: [&str; 2] = ["revocation", "suspension"];

/// An institution allowed to issue credentials through the service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Institution {
    /// Slug, e.g. `"szpu"`; used in URLs and storage keys.
    pub id: String,
    /// Display name.
    pub name: String,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// The institution's web address: its credentials' `issuer.url`. `None` for an institution
    /// registered before it was asked for, whose records' own `issuer.url` then stands.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Qualifications framework the institution's outcomes are aligned to.
    pub framework: String,
    /// Quality-assurance body or accreditation, when there is one.
    pub quality_assurance: Option<String>,
    /// The issuer DID.
    pub did: String,
    /// Public keys, newest last. Old keys stay so credentials signed before a rotation verify.
    pub keys: Vec<InstitutionKey>,
    /// SHA-256 of the API token; the token itself is never stored.
    pub token_hash: [u8; 32],
    /// When the institution was registered.
    pub created: DateTime<Utc>,
}

/// A public signing key of an institution; the secret half is stored apart
/// ([`Store::put_secret_key`]) so that reading institutions never touches key material.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstitutionKey {
    /// Verification method id (DID URL) that proofs name.
    pub verification_method: String,
    /// Multikey `publicKeyMultibase`.
    pub public_key_multibase: String,
    /// When the key was created.
    pub created: DateTime<Utc>,
    /// When the key stopped being used for new credentials.
    pub retired: Option<DateTime<Utc>>,
}

/// An issued credential as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredCredential {
    /// `urn:uuid:…`, the credential's `id`.
    pub id: String,
    /// Issuing institution id.
    pub institution: String,
    /// The caller's record id; at most one credential per `(institution, record_id)`, which
    /// makes issuing idempotent.
    pub record_id: Option<String>,
    /// The signed verifiable credential.
    pub credential: serde_json::Value,
    /// Status-list entries the credential points to.
    pub status: Vec<StatusAllocation>,
    /// When it was issued.
    pub issued: DateTime<Utc>,
}

/// One status-list entry handed out by [`Store::allocate_status_indices`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StatusAllocation {
    /// Status list id (see [`StatusListId`]).
    pub list: String,
    /// Index of the entry's bit in the list.
    pub index: u64,
    /// `"revocation"` or `"suspension"`.
    pub purpose: String,
}

/// One line of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// `"admin"` or an institution id.
    pub actor: String,
    /// Institution concerned, if any.
    pub institution: Option<String>,
    /// `"issue"`, `"revoke"`, `"suspend"`, `"unsuspend"`, `"rotate-token"`, `"rotate-key"`,
    /// `"register"`, `"countersign"`; claim offers: `"offer"`, `"withdraw-offer"`,
    /// `"wrong-offer-code"`, `"lock-offer"`, `"download-offered-credential"`, `"claim"`
    /// (subject: the offer id, or for a claim the id of the wallet's copy).
    pub action: String,
    /// Credential id or similar; never personal data.
    pub subject: Option<String>,
}

/// One change of a credential's status, as kept in its status history
/// ([`Store::change_status`]): when, by whom, what, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusEvent {
    /// When the change was made.
    pub at: DateTime<Utc>,
    /// Who made it: an institution id, or a person acting for it (e.g. `console:alice`).
    pub actor: String,
    /// `"revoke"`, `"suspend"` or `"unsuspend"`.
    pub action: String,
    /// The institution's reason, in its own words, if it gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Whether employers may see the reason (the date they always see).
    #[serde(default)]
    pub publish_reason: bool,
}

/// A claim offer: an institution offers one issued credential to its learner, who takes it
/// into a wallet once ([`crate::wallet`]).
///
/// The one-time code is stored only as a SHA-256 hash salted with the offer id, the secrets of
/// protocol steps ([`Ticket`]s) only as hashes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredOffer {
    /// Random, URL-safe; the claim page and the OpenID4VCI offer are found by it.
    pub id: String,
    /// The offering institution.
    pub institution: String,
    /// Id of the stored credential on offer.
    pub credential: String,
    /// Whether the credential given to the wallet keeps the learner's local identifier
    /// (student number) beside the learner's name and DID.
    pub keep_identifier: bool,
    pub created: DateTime<Utc>,
    pub expires: DateTime<Utc>,
    /// SHA-256 of offer id and one-time code, when the offer has a code.
    pub tx_code_hash: Option<[u8; 32]>,
    /// Wrong one-time codes tried so far; the offer locks at the service's limit.
    pub failed_codes: u32,
    /// The secret of the offer's VC-API interaction URL. Kept (unlike the code) because the
    /// claim page shows that URL again once the learner has entered the code; it opens no
    /// more than the claim page and the code together do.
    pub interaction_secret: String,
    pub state: OfferState,
}

/// Where an offer stands. Only `Open` offers can be claimed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum OfferState {
    Open,
    /// Claimed once, by `holder`; `credential` is the id of the credential the wallet got.
    #[serde(rename_all = "camelCase")]
    Claimed {
        at: DateTime<Utc>,
        holder: String,
        credential: String,
        /// `"openid4vci"` or `"vcapi"`.
        protocol: String,
    },
    /// Withdrawn by the institution (e.g. a lost phone).
    #[serde(rename_all = "camelCase")]
    Withdrawn {
        at: DateTime<Utc>,
    },
    /// Too many wrong one-time codes.
    #[serde(rename_all = "camelCase")]
    Locked {
        at: DateTime<Utc>,
    },
}

/// A learner's hosted passport ([`crate::passport`]). Everything that would let its reader act
/// as the learner or read the learner's credentials is sealed: the holder key and the
/// credentials under the passport's data key, which is stored only wrapped (by the passphrase,
/// by the recovery code, and per session). The id is a hash of the learner's sign-in name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredPassport {
    /// Hex SHA-256 of the normalised sign-in name (the name itself is not stored).
    pub id: String,
    pub created: DateTime<Utc>,
    /// The holder's DID (`did:key` of the holder key).
    pub holder: String,
    /// The data key wrapped by a key derived from the passphrase (Argon2id).
    pub passphrase: WrappedKey,
    /// The data key wrapped by a key derived from the recovery code (Argon2id).
    pub recovery: WrappedKey,
    /// The holder's Ed25519 secret key sealed under the data key (base64url).
    pub holder_key: String,
    /// Raised by a recovery: sessions of an older epoch are refused.
    pub session_epoch: u32,
    /// The credentials, each sealed under the data key, oldest first.
    pub credentials: Vec<PassportEntry>,
}

/// A data key wrapped by a key that Argon2id derives from a secret the learner holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WrappedKey {
    /// Argon2id salt (base64url).
    pub salt: String,
    /// Argon2id parameters `[m KiB, t, p]`.
    pub params: [u32; 3],
    /// Nonce and XChaCha20-Poly1305 ciphertext of the data key (base64url).
    pub wrapped: String,
}

/// One credential in a passport.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PassportEntry {
    /// Random id of the entry (not the credential's id, which is sealed with it).
    pub id: String,
    pub added: DateTime<Utc>,
    /// How it came: `claim` or `import`.
    pub source: String,
    /// The credential JSON sealed under the data key (base64url).
    pub sealed: String,
}

/// A share of some of a passport's credentials: the learner-signed presentation, sealed under
/// a key derived from the share link's secret (which the store does not hold), so only the
/// link opens it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredShare {
    /// Hex SHA-256 of the link's secret.
    pub id: String,
    pub passport: String,
    pub created: DateTime<Utc>,
    pub expires: DateTime<Utc>,
    pub withdrawn: Option<DateTime<Utc>>,
    /// When the share page was opened, oldest first (the last 100).
    pub opened: Vec<DateTime<Utc>>,
    /// The presentation and the note, sealed under the link's key (base64url).
    pub content: String,
    /// The link's secret sealed under the passport's data key, so the learner can show the link
    /// again (base64url).
    pub link: String,
    /// How many credentials it shows.
    pub credentials: usize,
}

/// Short-lived protocol state bound to an offer (a pre-authorized code, an access token, a
/// nonce, an exchange), stored under the hash of its secret ([`Store::put_ticket`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ticket {
    /// The offer it belongs to.
    pub offer: String,
    pub expires: DateTime<Utc>,
    /// Whatever the protocol keeps with it (a challenge, a nonce, …).
    #[serde(default)]
    pub data: serde_json::Value,
}

/// A person who signs in to the console ([`crate::console`]): a staff member of one
/// institution, or (with no institution) an operator of the node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffAccount {
    /// Lowercase e-mail address: the account's key and sign-in name.
    pub email: String,
    /// A random id (not personal data): what the audit trail and status histories record as
    /// `console:<id>`. Empty in accounts stored before ids existed, until
    /// [`crate::console::accounts::current`] gives them one.
    #[serde(default)]
    pub id: String,
    /// The institution whose staff they are; `None` for the node's operators.
    pub institution: Option<String>,
    /// `"viewer"`, `"issuer"`, `"registrar"` or `"operator"` ([`crate::console::Role`]).
    pub role: String,
    /// Argon2id hash of the password (PHC string); the password itself is never stored.
    pub password_hash: String,
    pub created: DateTime<Utc>,
    /// A disabled account cannot sign in.
    #[serde(default)]
    pub disabled: bool,
}

/// What a [`StoreError::Conflict`] or [`StoreError::NotFound`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    /// An institution (by id).
    Institution,
    /// An institution API token hash.
    TokenHash,
    /// A secret signing key (by verification method).
    SecretKey,
    /// A credential (by id).
    Credential,
    /// An `(institution, record_id)` pair.
    RecordId,
    /// A status list (by list id).
    StatusList,
    /// An entry of a status list (`list#index`).
    StatusIndex,
    /// A trust registry member (by id).
    Member,
    /// An issuer DID listed by a trust registry member (`existing` names the member).
    MemberDid,
    /// A claim offer (by id).
    Offer,
    /// A protocol ticket (by key).
    Ticket,
    /// A console staff account (by e-mail).
    Staff,
    /// A learner's passport (by id).
    Passport,
    /// A passport's share (by id).
    Share,
}

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Entity::Institution => "institution",
            Entity::TokenHash => "API token",
            Entity::SecretKey => "secret key",
            Entity::Credential => "credential",
            Entity::RecordId => "record id",
            Entity::StatusList => "status list",
            Entity::StatusIndex => "status list entry",
            Entity::Member => "registry member",
            Entity::MemberDid => "DID of registry member",
            Entity::Offer => "claim offer",
            Entity::Ticket => "ticket",
            Entity::Staff => "staff account",
            Entity::Passport => "passport",
            Entity::Share => "share",
        })
    }
}

/// What [`Store::reseal_keys`] makes of each stored secret key.
pub type Reseal<'a> = dyn FnMut(KeySlot<'_>, &str) -> Result<Zeroizing<String>, StoreError> + 'a;

/// Where a secret key is stored: an institution's verification method, or the registry's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySlot<'a> {
    Institution {
        institution: &'a str,
        verification_method: &'a str,
    },
    Registry,
}

/// What [`Store::rehash_tokens_once`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenRehash {
    /// No record was stored: this many institutions' token hashes were re-hashed, and the
    /// record written.
    Rehashed(usize),
    /// The record stored already (written by another process, perhaps a moment ago); nothing
    /// was changed.
    Present(Vec<u8>),
}

/// Storage errors. Messages name ids, never key material, tokens or credential contents.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The thing already exists. `existing` is the id of what holds it: the institution id
    /// (for [`Entity::Institution`] and [`Entity::TokenHash`]), the verification method
    /// ([`Entity::SecretKey`]) or the credential id ([`Entity::Credential`] and
    /// [`Entity::RecordId`] — so a repeated issue can be answered with the first credential).
    #[error("{entity} already exists: {existing}")]
    Conflict {
        /// What kind of thing.
        entity: Entity,
        /// Id of the existing holder, see above.
        existing: String,
    },
    /// The thing does not exist.
    #[error("{entity} not found: {id}")]
    NotFound {
        /// What kind of thing.
        entity: Entity,
        /// The id asked for.
        id: String,
    },
    /// An argument cannot be stored (bad slug, unknown purpose, foreign status list, …).
    #[error("invalid input: {0}")]
    Invalid(String),
    /// Stored bytes do not decode; the database was damaged or written by something else.
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// The storage backend failed (I/O, lock held by another process, failed flush, …).
    #[error("storage backend error: {0}")]
    Backend(String),
}

/// Future returned by [`Store::durable`]; `'static` so it can be spawned or held anywhere.
pub type DurableFuture = Pin<Box<dyn Future<Output = Result<(), StoreError>> + Send + 'static>>;

/// The storage interface of the issuer service, used as `Arc<dyn Store>`.
///
/// Writes return once they are visible to readers, not once they are durable: call
/// [`durable`](Store::durable) after writing and before acknowledging anything.
pub trait Store: Send + Sync {
    /// Registers an institution. `Conflict` if the id or the token hash is taken.
    fn insert_institution(&self, institution: &Institution) -> Result<(), StoreError>;

    /// The institution with this id.
    fn get_institution(&self, id: &str) -> Result<Option<Institution>, StoreError>;

    /// All institutions, ordered by id.
    fn list_institutions(&self) -> Result<Vec<Institution>, StoreError>;

    /// Atomically reads, changes (through `change`) and writes back an institution — used to
    /// rotate the token or add a key without losing a concurrent update. `change` must not
    /// change the id (`Invalid`); an error from it aborts the update and is returned as is.
    /// `NotFound` if there is no such institution, `Conflict` if the new token hash belongs to
    /// another institution. Returns the institution as stored.
    fn update_institution(
        &self,
        id: &str,
        change: &mut dyn FnMut(&mut Institution) -> Result<(), StoreError>,
    ) -> Result<Institution, StoreError>;

    /// The institution whose API token hashes to `token_hash`.
    fn find_institution_by_token_hash(
        &self,
        token_hash: &[u8; 32],
    ) -> Result<Option<Institution>, StoreError>;

    /// Inserts a new institution together with the secret key of its first verification
    /// method, in one atomic write: after a crash there is both or neither. Errors as
    /// [`Store::insert_institution`].
    fn insert_institution_with_key(
        &self,
        institution: &Institution,
        verification_method: &str,
        secret: &str,
    ) -> Result<(), StoreError>;

    /// In one atomic write: stores the secret key of a new `verification_method` of
    /// institution `id` and applies `change` to the institution (a key rotation: the new
    /// public key and the old one retired), so after a crash there is both or neither. Errors
    /// as [`Store::update_institution`]; `Conflict` with [`Entity::SecretKey`] if that method
    /// has a secret key already.
    fn update_institution_with_key(
        &self,
        id: &str,
        verification_method: &str,
        secret: &str,
        change: &mut dyn FnMut(&mut Institution) -> Result<(), StoreError>,
    ) -> Result<Institution, StoreError>;

    /// Stores the secret key of `verification_method`. `NotFound` if the institution does not
    /// exist; `Conflict` if that method already has a secret key (keys are added, never
    /// replaced: a rotation uses a new verification method).
    fn put_secret_key(
        &self,
        institution: &str,
        verification_method: &str,
        multibase_secret: &str,
    ) -> Result<(), StoreError>;

    /// The secret key of `verification_method`, zeroized when dropped.
    fn secret_key(
        &self,
        institution: &str,
        verification_method: &str,
    ) -> Result<Option<Zeroizing<String>>, StoreError>;

    /// The key custody record ([`crate::keystore`]): opaque to the store, no secret in it.
    fn key_custody(&self) -> Result<Option<Vec<u8>>, StoreError>;

    /// In one atomic write: sets the key custody record to `record` and replaces every stored
    /// secret key (institutions' and the registry's) with what `reseal` makes of it. An error
    /// from `reseal` aborts the write and is returned. Returns how many keys were rewritten.
    /// Keys stored concurrently may be missed: it is meant for start-up and `keys rekey`.
    fn reseal_keys(&self, record: &[u8], reseal: &mut Reseal<'_>) -> Result<usize, StoreError>;

    /// Sets the key custody record to `record` unless one is set already, and returns the
    /// record now stored (insert-if-absent, then read back, atomically): of processes setting
    /// up key custody for the first time at once, all end up with the first one's record.
    fn init_key_custody(&self, record: &[u8]) -> Result<Vec<u8>, StoreError>;

    /// The API token scheme record ([`crate::api_tokens`]): opaque to the store, no secret in it.
    fn token_scheme(&self) -> Result<Option<Vec<u8>>, StoreError>;

    /// In one atomic write: sets the token scheme record to `record` and replaces every
    /// institution's token hash `h` with `rehash(h)` (the lookup by token hash follows).
    /// Returns how many institutions were rewritten. Meant for start-up.
    fn rehash_tokens(
        &self,
        record: &[u8],
        rehash: &mut dyn FnMut(&[u8; 32]) -> [u8; 32],
    ) -> Result<usize, StoreError>;

    /// Unless a token scheme record is stored already, does what [`Store::rehash_tokens`]
    /// does, deciding and writing in one step across processes: of processes starting at once
    /// on a store whose tokens are in the old form, one re-hashes them and the others find its
    /// record and change nothing (re-hashing twice would lock every institution out).
    fn rehash_tokens_once(
        &self,
        record: &[u8],
        rehash: &mut dyn FnMut(&[u8; 32]) -> [u8; 32],
    ) -> Result<TokenRehash, StoreError>;

    /// Stores an issued credential. `NotFound` if the institution does not exist; `Conflict`
    /// with [`Entity::Credential`] if the id is taken, or with [`Entity::RecordId`] (and the
    /// existing credential's id) if the institution already issued one for this record id;
    /// `Invalid` if a status allocation is not one of this institution's lists. The status
    /// counters are raised to cover the allocations in the same atomic write, so a credential
    /// that survives a crash never has its status entries handed out again.
    fn insert_credential(&self, credential: &StoredCredential) -> Result<(), StoreError>;

    /// The credential with this id.
    fn get_credential(&self, id: &str) -> Result<Option<StoredCredential>, StoreError>;

    /// The credential `institution` issued for `record_id`.
    fn find_by_record_id(
        &self,
        institution: &str,
        record_id: &str,
    ) -> Result<Option<StoredCredential>, StoreError>;

    /// Up to `limit` credentials of `institution` in issue order, starting after the
    /// credential `after` (the last id of the previous page). `NotFound` if `after` is not a
    /// credential of this institution.
    fn list_credentials(
        &self,
        institution: &str,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<StoredCredential>, StoreError>;

    /// Hands out `count` fresh status entries of `institution`'s `purpose` lists, as
    /// `(list id, index)`. Entries are consecutive across concurrent callers, never handed out
    /// twice (the counter is written before they are returned), and continue in the next list
    /// when one is full. `NotFound` if the institution does not exist.
    fn allocate_status_indices(
        &self,
        institution: &str,
        purpose: &str,
        count: usize,
    ) -> Result<Vec<(String, u64)>, StoreError>;

    /// Sets or clears a status bit and returns its previous value. `NotFound` unless the entry
    /// has been allocated.
    fn set_status_bit(&self, list: &str, index: u64, value: bool) -> Result<bool, StoreError>;

    /// The list's bitstring (list size / 8 bytes; entry 0 is the most significant bit of the
    /// first byte, as in the W3C Bitstring Status List). `NotFound` unless at least one entry
    /// of the list has been allocated.
    fn status_bits(&self, list: &str) -> Result<Vec<u8>, StoreError>;

    /// Sets or clears the bit of `credential`'s status entry `list#index` and, when the bit
    /// changes, appends `event` to the credential's status history — both in one atomic write,
    /// so a status that changed always has its history entry. Returns the bit's previous value
    /// (when it equals `value`, nothing is written). `NotFound` if there is no such credential
    /// or the entry was never allocated; `Invalid` if the entry is not one of the credential's.
    fn change_status(
        &self,
        credential: &str,
        list: &str,
        index: u64,
        value: bool,
        event: &StatusEvent,
    ) -> Result<bool, StoreError>;

    /// The credential's status changes ([`Store::change_status`]), oldest first; empty when
    /// it has none (or does not exist).
    fn status_history(&self, credential: &str) -> Result<Vec<StatusEvent>, StoreError>;

    /// Appends an event to the audit trail.
    fn append_audit(&self, event: &AuditEvent) -> Result<(), StoreError>;

    /// The last `limit` audit events (of one institution, or all), oldest first.
    fn audit(&self, institution: Option<&str>, limit: usize)
        -> Result<Vec<AuditEvent>, StoreError>;

    /// Adds or replaces (by id) trust registry members, all or none, and returns per member
    /// whether it was new. Each member must be valid ([`Member::validate`]: `Invalid`), ids and
    /// DIDs must be unique within the batch, and no DID may belong to a member outside the
    /// batch (`Conflict` with [`Entity::MemberDid`] naming the member holding it). A replaced
    /// member's old DIDs are released.
    fn put_members(&self, members: &[Member]) -> Result<Vec<bool>, StoreError>;

    /// [`put_members`](Store::put_members) of one member: `true` when it was new.
    fn put_member(&self, member: &Member) -> Result<bool, StoreError> {
        Ok(self.put_members(std::slice::from_ref(member))?[0])
    }

    /// Removes a registry member and its DIDs; returns it. `NotFound` if there is none.
    fn delete_member(&self, id: &str) -> Result<Member, StoreError>;

    /// The registry member with this id.
    fn get_member(&self, id: &str) -> Result<Option<Member>, StoreError>;

    /// All registry members, ordered by id.
    fn list_members(&self) -> Result<Vec<Member>, StoreError>;

    /// The registry member listing `did` among its DIDs.
    fn find_member_by_did(&self, did: &str) -> Result<Option<Member>, StoreError>;

    /// The trust registry's signing key (multibase secret), once one was set.
    fn registry_key(&self) -> Result<Option<Zeroizing<String>>, StoreError>;

    /// Sets the registry's signing key unless one is set already, and returns the key now
    /// stored — so concurrent first uses all end up signing with the same key.
    fn init_registry_key(&self, multibase_secret: &str) -> Result<Zeroizing<String>, StoreError>;

    /// Stores a new claim offer. `Conflict` if the id is taken, `NotFound` if its credential
    /// does not exist.
    fn insert_offer(&self, offer: &StoredOffer) -> Result<(), StoreError>;

    /// The claim offer with this id.
    fn get_offer(&self, id: &str) -> Result<Option<StoredOffer>, StoreError>;

    /// Atomically reads, changes and writes back an offer (claiming it once, counting a wrong
    /// code, withdrawing it). `change` must not change the id, institution or credential
    /// (`Invalid`); an error from it aborts the update and is returned as is. `NotFound` if
    /// there is no such offer. Returns the offer as stored.
    fn update_offer(
        &self,
        id: &str,
        change: &mut dyn FnMut(&mut StoredOffer) -> Result<(), StoreError>,
    ) -> Result<StoredOffer, StoreError>;

    /// The offers made for a credential, oldest first.
    fn list_offers(&self, credential: &str) -> Result<Vec<StoredOffer>, StoreError>;

    /// Stores a ticket under `key` (`kind/hash-of-secret`). `Conflict` if the key is taken.
    fn put_ticket(&self, key: &str, ticket: &Ticket) -> Result<(), StoreError>;

    /// The ticket under `key`, left in place.
    fn get_ticket(&self, key: &str) -> Result<Option<Ticket>, StoreError>;

    /// Removes and returns the ticket under `key`: of concurrent callers, exactly one gets it,
    /// which is what makes codes and nonces single use.
    fn take_ticket(&self, key: &str) -> Result<Option<Ticket>, StoreError>;

    /// Removes tickets that expired before `now`; returns how many.
    fn purge_tickets(&self, now: DateTime<Utc>) -> Result<usize, StoreError>;

    /// Stores a new passport. `Conflict` if the id is taken.
    fn insert_passport(&self, passport: &StoredPassport) -> Result<(), StoreError>;

    /// The passport with this id.
    fn get_passport(&self, id: &str) -> Result<Option<StoredPassport>, StoreError>;

    /// Atomically reads, changes and writes back a passport. `change` must not change its id
    /// or holder (`Invalid`); an error from it aborts the update. `NotFound` if there is none.
    fn update_passport(
        &self,
        id: &str,
        change: &mut dyn FnMut(&mut StoredPassport) -> Result<(), StoreError>,
    ) -> Result<StoredPassport, StoreError>;

    /// Removes a passport and all its shares in one write; returns how many shares went.
    /// `NotFound` if there is no such passport.
    fn delete_passport(&self, id: &str) -> Result<usize, StoreError>;

    /// Stores a new share. `Conflict` if the id is taken, `NotFound` if its passport is not
    /// stored.
    fn insert_share(&self, share: &StoredShare) -> Result<(), StoreError>;

    /// The share with this id.
    fn get_share(&self, id: &str) -> Result<Option<StoredShare>, StoreError>;

    /// Atomically reads, changes and writes back a share (an opening, a withdrawal). `change`
    /// must not change its id, passport or content (`Invalid`). `NotFound` if there is none.
    fn update_share(
        &self,
        id: &str,
        change: &mut dyn FnMut(&mut StoredShare) -> Result<(), StoreError>,
    ) -> Result<StoredShare, StoreError>;

    /// A passport's shares, oldest first.
    fn list_shares(&self, passport: &str) -> Result<Vec<StoredShare>, StoreError>;

    /// Stores a new staff account. `Conflict` if the e-mail is taken, `NotFound` if its
    /// institution does not exist.
    fn insert_staff(&self, account: &StaffAccount) -> Result<(), StoreError>;

    /// The staff account with this (lowercase) e-mail.
    fn get_staff(&self, email: &str) -> Result<Option<StaffAccount>, StoreError>;

    /// Every staff account, ordered by e-mail.
    fn list_staff(&self) -> Result<Vec<StaffAccount>, StoreError>;

    /// Atomically reads, changes and writes back a staff account (a new password, role, or
    /// disabling it). `change` must not change the e-mail or the institution (`Invalid`).
    /// `NotFound` if there is no such account. Returns the account as stored.
    fn update_staff(
        &self,
        email: &str,
        change: &mut dyn FnMut(&mut StaffAccount) -> Result<(), StoreError>,
    ) -> Result<StaffAccount, StoreError>;

    /// Resolves once every write that returned before this call is durable. Concurrent callers
    /// share flushes (group commit). After a failed flush the store refuses to confirm anything
    /// again: it must be restarted, because a retried `fsync` can report success for lost data.
    fn durable(&self) -> DurableFuture;

    /// Flushes everything synchronously; for graceful shutdown.
    fn flush(&self) -> Result<(), StoreError>;

    /// How many entries each status list has (fixed when the store was created).
    fn status_list_size(&self) -> u64;

    /// Every item of the store in [`transfer`]'s order (a backup's or a migration's contents),
    /// read from one consistent view while other writers go on: sled and memory under the
    /// store's write lock (writers wait until it returns), PostgreSQL in one `REPEATABLE READ`
    /// snapshot. `sink` must not write to this store. Secrets are handed out as stored.
    fn export(&self, sink: &mut transfer::ItemSink<'_>) -> Result<(), StoreError>;
}

/// A status list id, `"{institution}/{purpose}/{sequence}"`, e.g. `"szpu/revocation/0"`.
///
/// Lists are per institution (each signs its own status list credentials) and per purpose;
/// the sequence number counts the lists of that pair from 0.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StatusListId {
    /// Institution id.
    pub institution: String,
    /// `"revocation"` or `"suspension"`.
    pub purpose: String,
    /// Which list of the pair, from 0.
    pub sequence: u64,
}

impl StatusListId {
    /// Parses the canonical form only, so that one list has exactly one id.
    pub fn parse(list: &str) -> Option<StatusListId> {
        let mut parts = list.split('/');
        let (institution, purpose, sequence) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some()
            || validate_institution_id(institution).is_err()
            || validate_purpose(purpose).is_err()
        {
            return None;
        }
        let seq: u64 = sequence.parse().ok()?;
        if seq.to_string() != sequence {
            return None;
        }
        Some(StatusListId {
            institution: institution.to_owned(),
            purpose: purpose.to_owned(),
            sequence: seq,
        })
    }
}

impl fmt::Display for StatusListId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.institution, self.purpose, self.sequence)
    }
}

/// Institution ids go into storage keys and URLs, so they are restricted to slugs.
pub(crate) fn validate_institution_id(id: &str) -> Result<(), StoreError> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        && id.as_bytes()[0].is_ascii_alphanumeric();
    if ok {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!(
            "institution id {id:?} is not a slug ([a-z0-9][a-z0-9_-]{{0,63}})"
        )))
    }
}

pub(crate) fn validate_purpose(purpose: &str) -> Result<(), StoreError> {
    if STATUS_PURPOSES.contains(&purpose) {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!(
            "status purpose {purpose:?} is not one of {STATUS_PURPOSES:?}"
        )))
    }
}

/// Lists are handed out as whole bytes of a bitstring.
pub(crate) fn validate_list_size(list_size: u64) -> Result<(), StoreError> {
    if list_size == 0 || !list_size.is_multiple_of(8) {
        return Err(StoreError::Invalid(format!(
            "status list size {list_size} must be a positive multiple of 8"
        )));
    }
    Ok(())
}

/// Maps counter values `[from, from + count)` of one institution and purpose to entries.
pub(crate) fn entries(
    institution: &str,
    purpose: &str,
    list_size: u64,
    from: u64,
    count: u64,
) -> Vec<(String, u64)> {
    (from..from + count)
        .map(|n| {
            let list = StatusListId {
                institution: institution.to_owned(),
                purpose: purpose.to_owned(),
                sequence: n / list_size,
            };
            (list.to_string(), n % list_size)
        })
        .collect()
}

/// Checks the credential's status allocations belong to its institution and returns, per
/// purpose, the counter value that covers them all (one past the highest entry).
pub(crate) fn allocation_high_water(
    credential: &StoredCredential,
    list_size: u64,
) -> Result<Vec<(String, u64)>, StoreError> {
    let mut high: Vec<(String, u64)> = Vec::new();
    for a in &credential.status {
        let id = StatusListId::parse(&a.list)
            .ok_or_else(|| StoreError::Invalid(format!("{:?} is not a status list id", a.list)))?;
        if id.institution != credential.institution || id.purpose != a.purpose {
            return Err(StoreError::Invalid(format!(
                "status list {} is not a {} list of institution {}",
                a.list, a.purpose, credential.institution
            )));
        }
        if a.index >= list_size {
            return Err(StoreError::Invalid(format!(
                "status index {} is outside list {} of {list_size} entries",
                a.index, a.list
            )));
        }
        let end = id
            .sequence
            .checked_mul(list_size)
            .and_then(|n| n.checked_add(a.index + 1))
            .ok_or_else(|| {
                StoreError::Invalid(format!("status list {} is out of range", a.list))
            })?;
        match high.iter_mut().find(|(p, _)| *p == a.purpose) {
            Some((_, h)) => *h = (*h).max(end),
            None => high.push((a.purpose.clone(), end)),
        }
    }
    Ok(high)
}

/// Checks `index` of `list` has been handed out, given the pair's counter value.
pub(crate) fn check_allocated(
    list: &StatusListId,
    index: Option<u64>,
    list_size: u64,
    counter: u64,
) -> Result<(), StoreError> {
    let first = list.sequence.saturating_mul(list_size);
    match index {
        None if first < counter => Ok(()),
        None => Err(StoreError::NotFound {
            entity: Entity::StatusList,
            id: list.to_string(),
        }),
        Some(i) if i < list_size && first.saturating_add(i) < counter => Ok(()),
        Some(i) => Err(StoreError::NotFound {
            entity: Entity::StatusIndex,
            id: format!("{list}#{i}"),
        }),
    }
}

/// Checks that `list#index` is one of the credential's status entries.
pub(crate) fn check_own_entry(
    credential: &StoredCredential,
    list: &str,
    index: u64,
) -> Result<(), StoreError> {
    if credential
        .status
        .iter()
        .any(|a| a.list == list && a.index == index)
    {
        Ok(())
    } else {
        Err(StoreError::Invalid(format!(
            "status entry {list}#{index} is not one of credential {}'s",
            credential.id
        )))
    }
}

/// Sets bit `index` (0 = most significant bit of byte 0) and returns its previous value.
pub(crate) fn set_bit(bits: &mut [u8], index: u64, value: bool) -> bool {
    let byte = &mut bits[(index / 8) as usize];
    let mask = 0x80u8 >> (index % 8);
    let previous = *byte & mask != 0;
    if value {
        *byte |= mask;
    } else {
        *byte &= !mask;
    }
    previous
}

/// Checks a batch of members for [`Store::put_members`]: valid and unique among themselves,
/// and no DID held by a member outside the batch (`owner_of` reads the current DID index).
pub(crate) fn check_member_batch(
    members: &[Member],
    owner_of: impl Fn(&str) -> Result<Option<String>, StoreError>,
) -> Result<(), StoreError> {
    registry::validate_members(members).map_err(|e| match e {
        RegistryError::DidTaken { member, .. } => StoreError::Conflict {
            entity: Entity::MemberDid,
            existing: member,
        },
        other => StoreError::Invalid(other.to_string()),
    })?;
    for member in members {
        for did in &member.dids {
            if let Some(owner) = owner_of(did)? {
                // A member of the batch is replaced, which releases its old DIDs.
                if !members.iter().any(|m| m.id == owner) {
                    return Err(StoreError::Conflict {
                        entity: Entity::MemberDid,
                        existing: owner,
                    });
                }
            }
        }
    }
    Ok(())
}

/// A staff account update may change its role, password and state, never whose it is (its
/// e-mail, institution, and its id once it has one).
pub(crate) fn check_staff_update(
    current: &StaffAccount,
    updated: &StaffAccount,
) -> Result<(), StoreError> {
    if updated.email != current.email
        || updated.institution != current.institution
        || (!current.id.is_empty() && updated.id != current.id)
    {
        return Err(StoreError::Invalid(
            "a staff account's e-mail, institution and id cannot change".into(),
        ));
    }
    Ok(())
}

/// An offer update may change its state and counters, never what it offers or to whom.
pub(crate) fn check_offer_update(
    current: &StoredOffer,
    updated: &StoredOffer,
) -> Result<(), StoreError> {
    if updated.id != current.id
        || updated.institution != current.institution
        || updated.credential != current.credential
    {
        return Err(StoreError::Invalid(
            "an offer's id, institution and credential cannot change".into(),
        ));
    }
    Ok(())
}

/// A passport update may change anything but its id and holder.
pub(crate) fn check_passport_update(
    current: &StoredPassport,
    updated: &StoredPassport,
) -> Result<(), StoreError> {
    if updated.id != current.id || updated.holder != current.holder {
        return Err(StoreError::Invalid(
            "a passport's id and holder cannot change".into(),
        ));
    }
    Ok(())
}

/// A share update may record openings and a withdrawal, never change what it shows or whose
/// it is.
pub(crate) fn check_share_update(
    current: &StoredShare,
    updated: &StoredShare,
) -> Result<(), StoreError> {
    if updated.id != current.id
        || updated.passport != current.passport
        || updated.content != current.content
        || updated.link != current.link
    {
        return Err(StoreError::Invalid(
            "a share's id, passport and content cannot change".into(),
        ));
    }
    Ok(())
}

/// Describes a decoding failure without echoing the stored bytes.
pub(crate) fn corrupt(what: &str, key: &str, err: &serde_json::Error) -> StoreError {
    StoreError::Corrupt(format!(
        "{what} {key:?} does not decode ({:?} error at line {} column {})",
        err.classify(),
        err.line(),
        err.column()
    ))
}

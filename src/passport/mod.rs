//! The learner's hosted skills passport (issue 12; threat model in `docs/PASSPORT.md`).
//!
//! A learner without a wallet app keeps credentials here: a passport per learner, signed into
//! with a sign-in name and a passphrase, recoverable with a one-time recovery code. Each
//! passport has its own holder key (Ed25519, `did:key`), so its presentations are signed by
//! the learner's DID, not by this node.
//!
//! - [`crypto`]: a random data key per passport, stored only wrapped — by the passphrase and
//!   by the recovery code (Argon2id → XChaCha20-Poly1305), and per session by a random key that
//!   lives only in the learner's cookie. The holder key and every credential are sealed under
//!   the data key; a share's content under a key derived from its link. Staff, institution
//!   tokens and an operator reading the database open none of it.
//! - [`account`]: create, sign in, recover, sessions, delete.
//! - [`held`]: the credentials — claimed from an offer of this node, imported (a file or a
//!   link fetched through [`crate::fetch`], verified on import) — their levels in words, and
//!   signed presentations (export).
//! - [`answer`]: answer a verifier's presentation request on this node with chosen credentials.
//! - [`shares`]: share links with an expiry and a note, opened without signing in, withdrawable.
//!
//! **API for other flows** (e.g. answering a verifier's request with the passport): an
//! [`Passport`] is an unlocked passport (from [`account::sign_in`] or
//! [`account::from_session`]); [`Passport::credentials`] lists what it holds and
//! [`Passport::sign_presentation`] signs a VP of chosen credentials for a challenge and domain
//! with the learner's holder key (eddsa-rdfc-2022).

pub mod account;
pub mod answer;
pub mod crypto;
pub mod held;
pub mod shares;

use chrono::Duration;
use serde_json::Value;

use crate::keys::SecretKey;
use crate::service::{Service, ServiceError};
use crate::store::StoreError;

pub use account::SESSION_REALM;
pub use held::HeldCredential;

/// Lifetimes of sessions and shares.
#[derive(Clone, Debug)]
pub struct PassportConfig {
    /// How long a sign-in lasts (8 hours).
    pub session_ttl: Duration,
    /// Default lifetime of a share (30 days).
    pub share_ttl: Duration,
    /// Longest lifetime of a share (1 year).
    pub max_share_ttl: Duration,
}

impl Default for PassportConfig {
    fn default() -> Self {
        PassportConfig {
            session_ttl: Duration::hours(8),
            share_ttl: Duration::days(30),
            max_share_ttl: Duration::days(366),
        }
    }
}

/// What is wrong with what the learner typed or picked; the pages write each in the reader's
/// language (`src/http/passport/`), the English here is for logs and the CLI.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InputProblem {
    #[error("the sign-in name must be 3 to 100 characters")]
    NameLength,
    #[error("the passphrase must have at least {0} characters")]
    PassphraseShort(usize),
    #[error("the passphrase is too long")]
    PassphraseLong,
    #[error("paste the link of a credential")]
    NoLink,
    #[error("pick at least one credential to share")]
    NothingPicked,
    #[error("a share lasts 1 to {0} days")]
    ShareDays(i64),
    #[error("the note has at most {0} characters")]
    NoteLong(usize),
    /// A claim that did not go through, in the wallet's words.
    #[error("{0}")]
    Other(String),
}

/// Why a passport action did not happen. Messages never contain secrets or credential content.
#[derive(Debug, thiserror::Error)]
pub enum PassportError {
    #[error("the sign-in name or the passphrase is not right")]
    WrongSecret,
    #[error("the sign-in name or the recovery code is not right")]
    WrongRecoveryCode,
    #[error("a passport with this sign-in name exists already")]
    NameTaken,
    #[error("{0}")]
    BadInput(InputProblem),
    #[error("not signed in")]
    NotSignedIn,
    #[error("no such credential in this passport")]
    UnknownCredential,
    #[error("no such share")]
    UnknownShare,
    /// The credential is not genuine (or not valid now); the reasons say why.
    #[error("the credential was not added: {}", .0.join("; "))]
    Refused(Vec<String>),
    /// The credential could not be checked or fetched (not a judgement on it).
    #[error("could not check the credential: {0}")]
    CannotCheck(String),
    #[error("stored passport data does not open ({0})")]
    Damaged(String),
    #[error("{0}")]
    Internal(String),
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl From<StoreError> for PassportError {
    fn from(e: StoreError) -> Self {
        PassportError::Service(e.into())
    }
}

/// An unlocked passport: its id, holder DID and keys, for the length of one request.
pub struct Passport {
    id: String,
    holder: String,
    data_key: crypto::Key,
    holder_key: SecretKey,
}

impl Passport {
    /// The passport's id (a hash of the sign-in name).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The learner's holder DID (`did:key`).
    pub fn holder(&self) -> &str {
        &self.holder
    }

    /// Every credential the passport holds, oldest first, opened.
    pub fn credentials(&self, service: &Service) -> Result<Vec<HeldCredential>, PassportError> {
        held::list(self, service)
    }

    /// A Verifiable Presentation of `credentials` held by this passport's DID, signed with its
    /// holder key (eddsa-rdfc-2022, proof purpose authentication) for `challenge` and `domain`.
    pub fn sign_presentation(
        &self,
        service: &Service,
        credentials: &[Value],
        challenge: &str,
        domain: Option<&str>,
    ) -> Result<Value, PassportError> {
        held::sign_presentation(self, service, credentials, challenge, domain)
    }
}

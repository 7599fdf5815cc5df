//! Wallet delivery: how a learner takes a credential their institution issued into a wallet.
//!
//! - [`offer`]: claim offers — made by the institution, single use, optionally guarded by a
//!   one-time code, withdrawable — and the claim itself, which issues the wallet its own copy.
//! - [`tickets`]: the short-lived secrets the protocols hand out (pre-authorized codes, access
//!   tokens, nonces, exchanges, interaction links), stored only as hashes.
//! - [`binding`]: the copy of a credential bound to the holder's DID, which keeps the learner's
//!   name so an employer can still match it to an ID card.
//!
//! The protocols a wallet speaks sit on top: OpenID4VCI 1.0 (pre-authorized code flow) and the
//! VC-API exchange that Learner Credential Wallet runs. The HTTP layer only routes to them.

pub mod binding;
pub mod exchange;
pub mod jwt;
pub mod offer;
pub mod oid4vci;
pub mod tickets;

use chrono::{DateTime, Duration, Utc};

use crate::service::ServiceError;
use crate::store::StoreError;

/// How long offers, codes and tokens live, and how many wrong codes an offer takes.
#[derive(Clone, Debug)]
pub struct WalletConfig {
    /// Default lifetime of an offer (30 days).
    pub offer_ttl: Duration,
    /// Longest lifetime an institution may ask for (1 year).
    pub max_offer_ttl: Duration,
    /// Wrong one-time codes after which an offer locks (5).
    pub max_failed_codes: u32,
    /// Lifetime of an OpenID4VCI pre-authorized code (10 minutes): short-lived, minted anew
    /// each time a wallet fetches the offer.
    pub pre_authorized_code_ttl: Duration,
    /// Lifetime of an access token (10 minutes).
    pub access_token_ttl: Duration,
    /// Lifetime of a nonce (5 minutes).
    pub nonce_ttl: Duration,
    /// Lifetime of a VC-API exchange and of an interaction link shown on the claim page
    /// (15 minutes).
    pub exchange_ttl: Duration,
}

impl Default for WalletConfig {
    fn default() -> Self {
        WalletConfig {
            offer_ttl: Duration::days(30),
            max_offer_ttl: Duration::days(366),
            max_failed_codes: 5,
            pre_authorized_code_ttl: Duration::minutes(10),
            access_token_ttl: Duration::minutes(10),
            nonce_ttl: Duration::minutes(5),
            exchange_ttl: Duration::minutes(15),
        }
    }
}

/// Why a claim did not happen. The protocols map these to their own error shapes (OAuth
/// errors for OpenID4VCI, the API's envelope for the VC-API exchange, a page for people).
#[derive(Debug, thiserror::Error)]
pub enum WalletError {
    #[error("no such offer")]
    UnknownOffer,
    #[error("the offer expired on {}", .0.format("%Y-%m-%d %H:%M UTC"))]
    Expired(DateTime<Utc>),
    #[error("the offer was withdrawn by the institution")]
    Withdrawn,
    #[error("the offer has already been claimed")]
    Claimed,
    #[error("the offer is locked after too many wrong one-time codes; ask the institution for a new offer")]
    Locked,
    #[error("this offer needs its one-time code")]
    CodeRequired,
    #[error("wrong one-time code ({remaining} tries left)")]
    WrongCode { remaining: u32 },
    #[error("holder {0:?} is not a DID")]
    NotADid(String),
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl From<StoreError> for WalletError {
    fn from(e: StoreError) -> Self {
        WalletError::Service(e.into())
    }
}

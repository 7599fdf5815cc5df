//! The verifier's side of wallets: an employer or a college asks a learner for credentials and
//! gets them checked.
//!
//! - [`query`]: what is asked for (any Open Badge, one achievement, a minimum level in a
//!   framework), as a DCQL query for OpenID4VP and a `QueryByExample` for the VC-API, and
//!   whether a presented credential matches.
//! - [`request`]: a presentation request's life: made with a nonce, single-use protocol secrets
//!   stored only as hashes (`wallet::tickets`), pending → answered (the checked result) or
//!   failed (the reasons), expired after [`RequestConfig::ttl`]. Every answer runs the same
//!   check: the holder's proof with the request's challenge and domain, every credential
//!   (genuine, unrevoked, issuer trusted, bound to the holder), the match, and the recognition
//!   into the framework the asker chose.
//! - [`oid4vp`]: OpenID4VP 1.0 — the `openid4vp://` request by value (client identifier prefix
//!   `redirect_uri:`, unsigned, `response_mode=direct_post`, a DCQL query for `ldp_vc`) and the
//!   `direct_post` response endpoint.
//! - [`vcapi`]: the VC-API exchange that Learner Credential Wallet answers (an interaction URL,
//!   a `VerifiablePresentationRequest` with a `QueryByExample`).
//!
//! The HTTP layer (`http::request`) only routes to these and renders the pages.

pub mod oid4vp;
pub mod query;
pub mod request;
pub mod vcapi;

use chrono::{DateTime, Duration, Utc};

use crate::store::StoreError;

/// Lifetimes of presentation requests.
#[derive(Clone, Debug)]
pub struct RequestConfig {
    /// How long a request can be answered (15 minutes).
    pub ttl: Duration,
    /// How long the result stays readable on the request's page after the answer (30 minutes).
    pub result_ttl: Duration,
}

impl Default for RequestConfig {
    fn default() -> Self {
        RequestConfig {
            ttl: Duration::minutes(15),
            result_ttl: Duration::minutes(30),
        }
    }
}

/// Why a request could not be made or answered. A presentation that does not hold is not an
/// error: it is a [`request::Outcome`] with reasons.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    #[error("{0}")]
    BadQuery(String),
    #[error("no such request: it was answered already, never existed, or its link is wrong")]
    Unknown,
    #[error("the request expired at {}", .0.format("%Y-%m-%d %H:%M:%S UTC"))]
    Expired(DateTime<Utc>),
    #[error("the request has been answered already")]
    AlreadyAnswered,
    #[error("{0}")]
    BadMessage(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

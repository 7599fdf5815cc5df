//! OpenID for Verifiable Credential Issuance 1.0, pre-authorized code flow: each institution
//! is a credential issuer (and its own authorization server) at
//! `{public}/institutions/{id}` ([`super::offer::credential_issuer`]).
//!
//! 1. The wallet fetches the credential offer by reference (`/oid4vci/offers/{offer}`). Each
//!    fetch of an open offer mints a fresh, short-lived pre-authorized code, so the QR code
//!    itself holds no secret that lasts.
//! 2. It reads the issuer metadata and the authorization server metadata (path-inserted
//!    `/.well-known/…/institutions/{id}`).
//! 3. Token endpoint: the pre-authorized code and, when the offer has one, the one-time code
//!    (`tx_code`), which [`offer::check_code`] counts and locks on. The code is taken (single
//!    use) only once the one-time code is right, so a mistyped code can be tried again.
//! 4. Nonce endpoint: a single-use `c_nonce`.
//! 5. Credential endpoint: Bearer access token, a key proof ([`super::jwt`]); the wallet's copy
//!    is issued bound to the proof's DID by [`offer::claim`], which makes the claim single use.
//!
//! Errors are OAuth-shaped ([`Oid4vciError`]: RFC 6749 §5.2 at the token endpoint, RFC 6750
//! for the access token, OpenID4VCI §8.3.1.2 at the credential endpoint).

use std::fmt;

use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::jwt::{self, JwtError};
use super::offer::{self, Protocol, TX_CODE_LENGTH};
use super::tickets::{self, TicketKind};
use super::{WalletConfig, WalletError};
use crate::credential::{OB3_CONTEXT, VC_V2_CONTEXT};
use crate::service::{Service, ServiceError};
use crate::store::{Institution, StoreError};

/// The grant type of the pre-authorized code flow.
pub const PRE_AUTHORIZED_GRANT: &str = "urn:ietf:params:oauth:grant-type:pre-authorized_code";
/// The one credential configuration each institution offers.
pub const CONFIGURATION_ID: &str = "OpenBadgeCredential";

/// An OAuth-style error code, each with its HTTP status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorCode {
    /// RFC 6749: a parameter is missing, repeated or malformed (also: the one-time code is
    /// missing).
    InvalidRequest,
    /// RFC 6749: the pre-authorized code is unknown, used or expired, the one-time code is
    /// wrong, or the offer cannot be claimed any more.
    InvalidGrant,
    UnsupportedGrantType,
    /// RFC 6750: the access token is missing, unknown or expired (401).
    InvalidToken,
    InvalidCredentialRequest,
    UnknownCredentialConfiguration,
    InvalidProof,
    InvalidNonce,
    /// The offer behind a valid access token cannot be claimed any more (claimed, withdrawn,
    /// expired, locked, revoked).
    CredentialRequestDenied,
    /// No such institution or offer (404).
    NotFound,
    /// The offer exists but cannot be claimed any more (410).
    OfferClosed,
    ServerError,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidRequest => "invalid_request",
            ErrorCode::InvalidGrant => "invalid_grant",
            ErrorCode::UnsupportedGrantType => "unsupported_grant_type",
            ErrorCode::InvalidToken => "invalid_token",
            ErrorCode::InvalidCredentialRequest => "invalid_credential_request",
            ErrorCode::UnknownCredentialConfiguration => "unknown_credential_configuration",
            ErrorCode::InvalidProof => "invalid_proof",
            ErrorCode::InvalidNonce => "invalid_nonce",
            ErrorCode::CredentialRequestDenied => "credential_request_denied",
            ErrorCode::NotFound => "not_found",
            ErrorCode::OfferClosed => "offer_closed",
            ErrorCode::ServerError => "server_error",
        }
    }

    /// The HTTP status this error is answered with.
    pub fn status(self) -> u16 {
        match self {
            ErrorCode::InvalidToken => 401,
            ErrorCode::NotFound => 404,
            ErrorCode::OfferClosed => 410,
            ErrorCode::ServerError => 500,
            _ => 400,
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A refused OpenID4VCI request: the code and a description for the wallet's developer. For
/// [`ErrorCode::ServerError`] the description is generic and the cause is logged.
#[derive(Debug, thiserror::Error)]
#[error("{code}: {description}")]
pub struct Oid4vciError {
    pub code: ErrorCode,
    pub description: String,
}

impl Oid4vciError {
    pub fn new(code: ErrorCode, description: impl Into<String>) -> Self {
        Oid4vciError {
            code,
            description: description.into(),
        }
    }

    fn internal(cause: impl fmt::Display) -> Self {
        tracing::error!(error = %cause, "OpenID4VCI: internal error");
        Oid4vciError::new(
            ErrorCode::ServerError,
            "internal error; the server log has the details",
        )
    }

    fn from_service(e: ServiceError) -> Self {
        match e {
            ServiceError::NotFound(m) => Oid4vciError::new(ErrorCode::NotFound, m),
            other => Oid4vciError::internal(other),
        }
    }
}

impl From<StoreError> for Oid4vciError {
    fn from(e: StoreError) -> Self {
        Oid4vciError::internal(e)
    }
}

/// The registered institution `id`, or `not_found`.
fn institution(service: &Service, id: &str) -> Result<Institution, Oid4vciError> {
    service.institution(id).map_err(Oid4vciError::from_service)
}

/// The endpoints of an institution's credential issuer.
struct Endpoints {
    issuer: String,
    token: String,
    nonce: String,
    credential: String,
}

fn endpoints(service: &Service, institution: &str) -> Endpoints {
    let issuer = offer::credential_issuer(service, institution);
    Endpoints {
        token: format!("{issuer}/oid4vci/token"),
        nonce: format!("{issuer}/oid4vci/nonce"),
        credential: format!("{issuer}/oid4vci/credential"),
        issuer,
    }
}

/// Credential issuer metadata (OpenID4VCI §12.2) of institution `id`: one `ldp_vc`
/// configuration for Open Badges 3.0 credentials signed eddsa-rdfc-2022, bound to a
/// `did:key`, a `did:jwk` or a JWK proven with an EdDSA key proof.
pub fn issuer_metadata(service: &Service, id: &str) -> Result<Value, Oid4vciError> {
    let inst = institution(service, id)?;
    let e = endpoints(service, &inst.id);
    Ok(json!({
        "credential_issuer": e.issuer,
        "credential_endpoint": e.credential,
        "nonce_endpoint": e.nonce,
        // The institution's name as registered; skillpass keeps no logo for institutions.
        "display": [{"name": inst.name, "locale": "en"}],
        "credential_configurations_supported": {
            CONFIGURATION_ID: {
                "format": "ldp_vc",
                "credential_definition": {
                    "@context": [VC_V2_CONTEXT, OB3_CONTEXT],
                    "type": ["VerifiableCredential", "OpenBadgeCredential"],
                },
                "cryptographic_binding_methods_supported": ["did:key", "did:jwk", "jwk"],
                "credential_signing_alg_values_supported": ["eddsa-rdfc-2022"],
                "proof_types_supported": {
                    "jwt": {"proof_signing_alg_values_supported": [jwt::ALG_EDDSA]},
                },
                "credential_metadata": {
                    "display": [{
                        "name": "Learning outcome (Open Badges 3.0)",
                        "locale": "en",
                        "description": format!("A learning-outcome credential issued by {}", inst.name),
                    }],
                },
            },
        },
    }))
}

/// OAuth 2.0 authorization server metadata (RFC 8414) of institution `id`: only the token
/// endpoint and the pre-authorized code grant, open to wallets without client authentication.
pub fn authorization_server_metadata(service: &Service, id: &str) -> Result<Value, Oid4vciError> {
    let inst = institution(service, id)?;
    let e = endpoints(service, &inst.id);
    Ok(json!({
        "issuer": e.issuer,
        "token_endpoint": e.token,
        "grant_types_supported": [PRE_AUTHORIZED_GRANT],
        "pre-authorized_grant_anonymous_access_supported": true,
        "token_endpoint_auth_methods_supported": ["none"],
        // No authorization endpoint: the pre-authorized code flow needs none.
        "response_types_supported": [],
    }))
}

/// The credential offer (§4.1.1) of an open offer, with a freshly minted pre-authorized code
/// valid for [`WalletConfig::pre_authorized_code_ttl`].
pub fn credential_offer(
    service: &Service,
    config: &WalletConfig,
    offer_id: &str,
) -> Result<Value, Oid4vciError> {
    let offer = offer::open(service, offer_id).map_err(|e| match e {
        WalletError::UnknownOffer => Oid4vciError::new(ErrorCode::NotFound, e.to_string()),
        WalletError::Service(s) => Oid4vciError::from_service(s),
        other => Oid4vciError::new(ErrorCode::OfferClosed, other.to_string()),
    })?;
    let now = service.now();
    let expires = (now + config.pre_authorized_code_ttl).min(offer.expires);
    let code = tickets::mint(
        service.store().as_ref(),
        TicketKind::PreAuthorizedCode,
        &offer.id,
        expires,
        Value::Null,
    )?;
    let mut grant = Map::new();
    grant.insert("pre-authorized_code".into(), code.into());
    if offer.tx_code_hash.is_some() {
        grant.insert(
            "tx_code".into(),
            json!({
                "input_mode": "numeric",
                "length": TX_CODE_LENGTH,
                "description": "The one-time code your college gave you with this offer",
            }),
        );
    }
    Ok(json!({
        "credential_issuer": offer::credential_issuer(service, &offer.institution),
        "credential_configuration_ids": [CONFIGURATION_ID],
        "grants": {PRE_AUTHORIZED_GRANT: grant},
    }))
}

/// A token request (`application/x-www-form-urlencoded`). Unknown parameters are ignored
/// (RFC 6749 §3.2), among them `user_pin`, which some wallets send beside `tx_code`.
#[derive(Debug, Default, Deserialize)]
pub struct TokenRequest {
    pub grant_type: Option<String>,
    #[serde(rename = "pre-authorized_code")]
    pub pre_authorized_code: Option<String>,
    pub tx_code: Option<String>,
}

/// Answers a token request at institution `id`'s token endpoint with an access token bound to
/// the offer (RFC 6749 §5.1 body).
pub async fn token(
    service: &Service,
    config: &WalletConfig,
    id: &str,
    request: &TokenRequest,
) -> Result<Value, Oid4vciError> {
    let inst = institution(service, id)?;
    let grant = request
        .grant_type
        .as_deref()
        .ok_or_else(|| Oid4vciError::new(ErrorCode::InvalidRequest, "grant_type is missing"))?;
    if grant != PRE_AUTHORIZED_GRANT {
        return Err(Oid4vciError::new(
            ErrorCode::UnsupportedGrantType,
            format!("only the grant type {PRE_AUTHORIZED_GRANT} is supported"),
        ));
    }
    let code = request
        .pre_authorized_code
        .as_deref()
        .filter(|c| !c.is_empty())
        .ok_or_else(|| {
            Oid4vciError::new(ErrorCode::InvalidRequest, "pre-authorized_code is missing")
        })?;
    let store = service.store().as_ref();
    let now = service.now();
    let unknown = || {
        Oid4vciError::new(
            ErrorCode::InvalidGrant,
            "the pre-authorized code is unknown, used or expired; scan the offer again",
        )
    };
    let ticket =
        tickets::peek(store, TicketKind::PreAuthorizedCode, code, now)?.ok_or_else(unknown)?;
    let offer_id = ticket.offer;
    let offer = service.store().get_offer(&offer_id)?.ok_or_else(unknown)?;
    if offer.institution != inst.id {
        return Err(Oid4vciError::new(
            ErrorCode::InvalidGrant,
            "the pre-authorized code was not issued by this credential issuer",
        ));
    }
    offer::check_code(service, config, &offer_id, request.tx_code.as_deref())
        .await
        .map_err(|e| match e {
            WalletError::CodeRequired => Oid4vciError::new(
                ErrorCode::InvalidRequest,
                "tx_code is missing: this offer needs the one-time code the college gave the learner",
            ),
            WalletError::Service(s) => Oid4vciError::internal(s),
            other => Oid4vciError::new(ErrorCode::InvalidGrant, other.to_string()),
        })?;
    // Single use: of two requests with the same code, one gets here.
    tickets::take(store, TicketKind::PreAuthorizedCode, code, now)?.ok_or_else(unknown)?;
    let ttl = config.access_token_ttl;
    let access_token = tickets::mint(
        store,
        TicketKind::AccessToken,
        &offer_id,
        now + ttl,
        Value::Null,
    )?;
    Ok(json!({
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": ttl.num_seconds(),
    }))
}

/// A fresh single-use `c_nonce` (§7.2) for institution `id`'s key proofs.
pub fn nonce(service: &Service, config: &WalletConfig, id: &str) -> Result<Value, Oid4vciError> {
    institution(service, id)?;
    let nonce = tickets::mint(
        service.store().as_ref(),
        TicketKind::Nonce,
        "",
        service.now() + config.nonce_ttl,
        Value::Null,
    )?;
    Ok(json!({ "c_nonce": nonce }))
}

/// The key proof of a credential request: `proofs.jwt` with exactly one JWT, or the older
/// single `proof` object with `proof_type` `jwt`.
fn proof_jwt(body: &Map<String, Value>) -> Result<&str, Oid4vciError> {
    let bad = |m: &str| Oid4vciError::new(ErrorCode::InvalidCredentialRequest, m);
    let invalid = |m: &str| Oid4vciError::new(ErrorCode::InvalidProof, m);
    match (body.get("proofs"), body.get("proof")) {
        (Some(_), Some(_)) => Err(bad("send either proofs or proof, not both")),
        (None, None) => Err(invalid(
            "the request has no key proof: send proofs.jwt with one openid4vci-proof+jwt",
        )),
        (Some(proofs), None) => {
            let proofs = proofs
                .as_object()
                .ok_or_else(|| bad("proofs must be an object"))?;
            if proofs.len() != 1 || !proofs.contains_key("jwt") {
                return Err(invalid("proofs must hold one proof type: jwt"));
            }
            match proofs["jwt"].as_array().map(Vec::as_slice) {
                Some([one]) => one
                    .as_str()
                    .ok_or_else(|| invalid("proofs.jwt must hold a compact JWT")),
                Some([]) | None => Err(invalid("proofs.jwt must be an array with one JWT")),
                Some(_) => Err(bad(
                    "one credential per offer: proofs.jwt must hold exactly one JWT",
                )),
            }
        }
        (None, Some(proof)) => {
            if proof.get("proof_type").and_then(Value::as_str) != Some("jwt") {
                return Err(invalid("proof.proof_type must be jwt"));
            }
            proof
                .get("jwt")
                .and_then(Value::as_str)
                .ok_or_else(|| invalid("proof.jwt must be a compact JWT"))
        }
    }
}

/// What a valid access token stands for.
struct Grant {
    offer: String,
}

/// The offer an access token was issued for, at institution `id`.
fn authorize(
    service: &Service,
    id: &str,
    access_token: Option<&str>,
) -> Result<Grant, Oid4vciError> {
    let token = access_token.ok_or_else(|| {
        Oid4vciError::new(
            ErrorCode::InvalidToken,
            "no access token: send Authorization: Bearer <access_token> from the token endpoint",
        )
    })?;
    let invalid = || {
        Oid4vciError::new(
            ErrorCode::InvalidToken,
            "the access token is unknown or expired",
        )
    };
    let ticket = tickets::peek(
        service.store().as_ref(),
        TicketKind::AccessToken,
        token,
        service.now(),
    )?
    .ok_or_else(invalid)?;
    let offer = service
        .store()
        .get_offer(&ticket.offer)?
        .ok_or_else(invalid)?;
    if offer.institution != id {
        return Err(invalid());
    }
    Ok(Grant { offer: offer.id })
}

/// Answers a credential request at institution `id`'s credential endpoint: checks the access
/// token, the request and its key proof, claims the offer for the proof's DID and answers the
/// wallet's copy (`{"credentials": [{"credential": …}]}`).
pub async fn credential(
    service: &Service,
    id: &str,
    access_token: Option<&str>,
    body: &Value,
) -> Result<Value, Oid4vciError> {
    let inst = institution(service, id)?;
    let grant = authorize(service, &inst.id, access_token)?;
    let bad = |m: &str| Oid4vciError::new(ErrorCode::InvalidCredentialRequest, m);
    let body = body.as_object().ok_or_else(|| {
        bad("the credential request must be a JSON object (Content-Type: application/json)")
    })?;
    if body.contains_key("credential_identifier") {
        return Err(bad(
            "credential_identifier is not supported (the token response names none); send credential_configuration_id",
        ));
    }
    if body.contains_key("credential_response_encryption") {
        return Err(Oid4vciError::new(
            ErrorCode::InvalidCredentialRequest,
            "credential response encryption is not supported",
        ));
    }
    let configuration = match body.get("credential_configuration_id") {
        Some(Value::String(c)) => c,
        Some(_) => return Err(bad("credential_configuration_id must be a string")),
        None => return Err(bad("credential_configuration_id is missing")),
    };
    if configuration != CONFIGURATION_ID {
        return Err(Oid4vciError::new(
            ErrorCode::UnknownCredentialConfiguration,
            format!("this issuer offers only {CONFIGURATION_ID}"),
        ));
    }
    let compact = proof_jwt(body)?;
    let denied = |e: WalletError| match e {
        WalletError::Service(ServiceError::Conflict(m)) => {
            Oid4vciError::new(ErrorCode::CredentialRequestDenied, m)
        }
        WalletError::Service(s) => Oid4vciError::internal(s),
        WalletError::NotADid(_) => Oid4vciError::new(ErrorCode::InvalidProof, e.to_string()),
        other => Oid4vciError::new(ErrorCode::CredentialRequestDenied, other.to_string()),
    };
    // A closed offer is refused before the proof spends its nonce.
    offer::open(service, &grant.offer).map_err(denied)?;

    let issuer = offer::credential_issuer(service, &inst.id);
    let proof = jwt::verify_key_proof(service.store().as_ref(), compact, &issuer, service.now())
        .map_err(|e| match e {
            JwtError::Store(s) => Oid4vciError::internal(s),
            e if e.is_nonce() => Oid4vciError::new(ErrorCode::InvalidNonce, e.to_string()),
            e => Oid4vciError::new(ErrorCode::InvalidProof, e.to_string()),
        })?;
    let vc = offer::claim(service, &grant.offer, &proof.holder, Protocol::OpenId4Vci)
        .await
        .map_err(denied)?;
    // The token has done its job; a second request would find the offer claimed anyway.
    if let Some(token) = access_token {
        tickets::take(
            service.store().as_ref(),
            TicketKind::AccessToken,
            token,
            service.now(),
        )?;
    }
    Ok(json!({ "credentials": [{ "credential": vc }] }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_and_statuses() {
        assert_eq!(ErrorCode::InvalidToken.status(), 401);
        assert_eq!(ErrorCode::InvalidGrant.status(), 400);
        assert_eq!(ErrorCode::InvalidNonce.as_str(), "invalid_nonce");
        assert_eq!(
            ErrorCode::UnknownCredentialConfiguration.as_str(),
            "unknown_credential_configuration"
        );
    }

    #[test]
    fn the_proof_is_found_in_proofs_or_proof() {
        let obj = |v: Value| v.as_object().unwrap().clone();
        assert_eq!(
            proof_jwt(&obj(json!({"proofs": {"jwt": ["a.b.c"]}}))).unwrap(),
            "a.b.c"
        );
        assert_eq!(
            proof_jwt(&obj(
                json!({"proof": {"proof_type": "jwt", "jwt": "a.b.c"}})
            ))
            .unwrap(),
            "a.b.c"
        );
        let code = |v: Value| proof_jwt(&obj(v)).unwrap_err().code;
        assert_eq!(code(json!({})), ErrorCode::InvalidProof);
        assert_eq!(
            code(json!({"proofs": {"jwt": ["a", "b"]}})),
            ErrorCode::InvalidCredentialRequest
        );
        assert_eq!(
            code(json!({"proofs": {"attestation": ["a"]}})),
            ErrorCode::InvalidProof
        );
        assert_eq!(
            code(json!({"proof": {"proof_type": "cwt", "cwt": "x"}})),
            ErrorCode::InvalidProof
        );
        assert_eq!(
            code(json!({"proofs": {"jwt": ["a"]}, "proof": {}})),
            ErrorCode::InvalidCredentialRequest
        );
    }
}

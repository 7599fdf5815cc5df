//! The VC-API exchange that Learner Credential Wallet (LCW) runs to take a credential, and
//! LCW's older "credential request" link.
//!
//! What LCW does (its source, `app/lib/interactionUrl.ts`, `exchanges.ts`,
//! `credentialRequest.ts`, `composeVp.ts`, `present.ts`; release 2.2.10):
//!
//! 1. It recognises an interaction URL by its `iuv` query parameter (or an `interaction:`
//!    prefix) and fetches it with `Accept: application/json`; it needs `{"protocols":
//!    {"vcapi": EXCHANGE_URL}}`.
//! 2. It POSTs `{}` to the exchange. A `verifiablePresentationRequest` whose query is
//!    `DIDAuthentication` needs both `challenge` and `domain`.
//! 3. It POSTs `{"verifiablePresentation": VP}`: a VC 2.0 presentation with `holder` = the
//!    wallet's did:key, no credentials, signed `Ed25519Signature2020`, proof purpose
//!    `authentication`, with our challenge and domain. From the answer it takes
//!    `verifiablePresentation.verifiableCredential` (unsigned presentations are fine).
//!
//! Deep links LCW registers: the custom schemes `interaction:` (the interaction URL after it,
//! as is or percent-encoded) and `dccrequest://`, plus `https://lcw.app/request` and the
//! universal link `https://lcw.app/mobile`. So the "open in LCW" link of an offer is
//! `interaction:` + its interaction URL ([`deep_link`]); scanned in LCW, the bare interaction
//! URL works too.
//!
//! The legacy link ([`credential_request_link`]) is
//! `dccrequest://request?issuer=…&auth_type=bearer&challenge=…&vc_request_url=…`: LCW signs an
//! empty presentation the same way but over the challenge only (no domain), POSTs the bare
//! presentation to `vc_request_url` and takes a credential or a presentation back (it
//! decodes HTML entities in the answer before parsing it, so `&` is sent as `\u0026`).
//!
//! Known LCW limitation: since 2.2.10, LCW drops a credential that comes back after a DID
//! Authentication it was asked for in an exchange (the `isVPRFlow` guard in
//! `ExchangeCredentials.tsx`, openwallet-foundation-labs/learner-credential-wallet#957, open);
//! the legacy link is stored by every release.
//!
//! Exchanges are single use: each is a [`TicketKind::Exchange`] ticket (its id is the secret)
//! bound to the offer, living [`WalletConfig::exchange_ttl`]; a presentation consumes it,
//! valid or not. Nothing is issued unless the proof, its purpose, challenge, domain and holder
//! all hold and the offer is still open; then [`offer::claim`] issues the holder-bound copy.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use subtle::ConstantTimeEq;

use super::offer::{self, query_value, Protocol};
use super::tickets::{self, TicketKind};
use super::{WalletConfig, WalletError};
use crate::contexts::CREDENTIALS_V2;
use crate::did::DidKeyResolver;
use crate::service::Service;
use crate::store::Ticket;
use crate::verify::{self, Policy, VerifyOptions};

/// Proof types and cryptosuites a holder may sign its DID Authentication with: what LCW signs
/// with, and the Data Integrity suite.
pub const ACCEPTED_SUITES: [&str; 2] = ["Ed25519Signature2020", "eddsa-rdfc-2022"];

/// Why an exchange step failed. Offers that cannot be claimed are [`WalletError`]s.
#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    #[error("no such interaction: the link is wrong, or its offer no longer exists")]
    UnknownInteraction,
    #[error(
        "no such exchange: it was used already or never existed; start again from the offer's link"
    )]
    UnknownExchange,
    #[error("the exchange expired at {}; start again from the offer's link", .0.format("%Y-%m-%d %H:%M:%S UTC"))]
    ExchangeExpired(DateTime<Utc>),
    #[error("the exchange has not asked for a presentation yet: POST {{}} to it first")]
    NotRequested,
    #[error("{0}")]
    BadMessage(String),
    /// The presentation does not prove control of a did:key for this exchange.
    #[error("the DID Authentication presentation was refused: {}", .0.join("; "))]
    Refused(Vec<String>),
    #[error("could not check the presentation: {0}")]
    CannotCheck(String),
    #[error(transparent)]
    Wallet(#[from] WalletError),
}

impl From<crate::store::StoreError> for ExchangeError {
    fn from(e: crate::store::StoreError) -> Self {
        ExchangeError::Wallet(e.into())
    }
}

impl From<crate::service::ServiceError> for ExchangeError {
    fn from(e: crate::service::ServiceError) -> Self {
        ExchangeError::Wallet(e.into())
    }
}

/// Which link opened an exchange.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
enum Flow {
    /// The VC-API exchange of an interaction URL.
    Vcapi,
    /// LCW's legacy `dccrequest://request` link.
    Dccrequest,
}

/// What an exchange ticket keeps: the challenge and domain once they were asked for.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExchangeState {
    flow: Flow,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    challenge: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    domain: Option<String>,
}

/// `{public}/wallet/exchanges/{id}`.
pub fn exchange_url(service: &Service, id: &str) -> String {
    format!("{}/wallet/exchanges/{id}", service.public_url())
}

/// `{public}/wallet/credential-requests/{id}`: where LCW posts its presentation for a legacy
/// link.
pub fn credential_request_url(service: &Service, id: &str) -> String {
    format!("{}/wallet/credential-requests/{id}", service.public_url())
}

/// The link that opens an interaction URL in LCW (its `interaction:` scheme).
pub fn deep_link(interaction_url: &str) -> String {
    format!("interaction:{interaction_url}")
}

/// The `domain` a holder signs: this service's origin (scheme, host and port).
pub fn domain(service: &Service) -> String {
    origin(service.public_url())
}

/// `scheme://host[:port]` of a URL.
fn origin(url: &str) -> String {
    let rest_at = url.find("://").map_or(0, |i| i + 3);
    match url[rest_at..].find(['/', '?', '#']) {
        Some(end) => url[..rest_at + end].to_owned(),
        None => url.to_owned(),
    }
}

/// `GET` of an offer's interaction URL: checks its secret (in constant time) and that the offer
/// can still be claimed, starts a fresh exchange and answers `{"protocols": {"vcapi": URL}}`.
pub fn interaction(
    service: &Service,
    config: &WalletConfig,
    offer_id: &str,
    secret: &str,
) -> Result<Value, ExchangeError> {
    let offer = service
        .store()
        .get_offer(offer_id)?
        .ok_or(ExchangeError::UnknownInteraction)?;
    if !bool::from(offer.interaction_secret.as_bytes().ct_eq(secret.as_bytes())) {
        return Err(ExchangeError::UnknownInteraction);
    }
    let offer = offer::open(service, &offer.id)?;
    let state = ExchangeState {
        flow: Flow::Vcapi,
        challenge: None,
        domain: None,
    };
    let id = tickets::mint(
        service.store().as_ref(),
        TicketKind::Exchange,
        &offer.id,
        service.now() + config.exchange_ttl,
        serde_json::to_value(&state).map_err(|e| internal(e.to_string()))?,
    )?;
    Ok(json!({ "protocols": { "vcapi": exchange_url(service, &id) } }))
}

/// The legacy LCW link of an open offer,
/// `dccrequest://request?issuer=…&auth_type=bearer&challenge=…&vc_request_url=…`. Each call
/// starts a new single-use request living [`WalletConfig::exchange_ttl`]. Like the interaction
/// URL it claims the offer without its one-time code: show it only where that URL may be shown.
pub fn credential_request_link(
    service: &Service,
    config: &WalletConfig,
    offer_id: &str,
) -> Result<String, ExchangeError> {
    let offer = offer::open(service, offer_id)?;
    let issuer = service.institution(&offer.institution)?.did;
    let challenge = tickets::random_token(16);
    let state = ExchangeState {
        flow: Flow::Dccrequest,
        challenge: Some(challenge.clone()),
        domain: None,
    };
    let id = tickets::mint(
        service.store().as_ref(),
        TicketKind::Exchange,
        &offer.id,
        service.now() + config.exchange_ttl,
        serde_json::to_value(&state).map_err(|e| internal(e.to_string()))?,
    )?;
    Ok(format!(
        "dccrequest://request?issuer={}&auth_type=bearer&challenge={}&vc_request_url={}",
        query_value(&issuer),
        query_value(&challenge),
        query_value(&credential_request_url(service, &id))
    ))
}

fn internal(message: String) -> ExchangeError {
    ExchangeError::Wallet(WalletError::Service(
        crate::service::ServiceError::Internal(message),
    ))
}

/// Takes the exchange ticket `id` (single use): unknown and expired are told apart.
fn take(service: &Service, id: &str) -> Result<(Ticket, ExchangeState), ExchangeError> {
    let ticket = service
        .store()
        .take_ticket(&tickets::key(TicketKind::Exchange, id))?
        .ok_or(ExchangeError::UnknownExchange)?;
    if ticket.expires < service.now() {
        return Err(ExchangeError::ExchangeExpired(ticket.expires));
    }
    let state: ExchangeState = serde_json::from_value(ticket.data.clone())
        .map_err(|e| internal(format!("exchange ticket data: {e}")))?;
    Ok((ticket, state))
}

fn put_back(
    service: &Service,
    id: &str,
    ticket: &Ticket,
    state: &ExchangeState,
) -> Result<(), ExchangeError> {
    let ticket = Ticket {
        data: serde_json::to_value(state).map_err(|e| internal(e.to_string()))?,
        ..ticket.clone()
    };
    tickets::put(service.store().as_ref(), TicketKind::Exchange, id, &ticket)?;
    Ok(())
}

/// A `POST` to exchange `id`: `{}` starts it (answered with the DID Authentication request),
/// `{"verifiablePresentation": VP}` finishes it (answered with the holder's credential in a
/// presentation).
pub async fn step(service: &Service, id: &str, message: &Value) -> Result<Value, ExchangeError> {
    let Some(message) = message.as_object() else {
        return Err(ExchangeError::BadMessage(
            "the exchange takes a JSON object: {} to start, {\"verifiablePresentation\": …} to answer"
                .into(),
        ));
    };
    let vp = message.get("verifiablePresentation");
    if vp.is_none() && !message.is_empty() {
        return Err(ExchangeError::BadMessage(format!(
            "unexpected message with members {:?}: send {{}} to start the exchange or {{\"verifiablePresentation\": …}} to answer its request",
            message.keys().collect::<Vec<_>>()
        )));
    }
    let (ticket, mut state) = take(service, id)?;
    if state.flow != Flow::Vcapi {
        // A legacy request is answered at its own URL only; leave it usable there.
        put_back(service, id, &ticket, &state)?;
        return Err(ExchangeError::UnknownExchange);
    }
    let Some(vp) = vp else {
        return start(service, id, &ticket, &mut state);
    };
    let (Some(challenge), Some(domain)) = (state.challenge.clone(), state.domain.clone()) else {
        put_back(service, id, &ticket, &state)?;
        return Err(ExchangeError::NotRequested);
    };
    let credential = finish(service, &ticket, vp, &challenge, Some(&domain)).await?;
    Ok(json!({
        "verifiablePresentation": {
            "@context": [CREDENTIALS_V2],
            "type": ["VerifiablePresentation"],
            "verifiableCredential": [credential],
        }
    }))
}

/// The first step: checks the offer, picks the challenge (once; asking again gets the same
/// request) and answers the DID Authentication request.
fn start(
    service: &Service,
    id: &str,
    ticket: &Ticket,
    state: &mut ExchangeState,
) -> Result<Value, ExchangeError> {
    if let Err(e) = offer::open(service, &ticket.offer) {
        // The offer is gone: so is the exchange (the ticket stays taken).
        return Err(e.into());
    }
    if state.challenge.is_none() {
        state.challenge = Some(tickets::random_token(16));
        state.domain = Some(domain(service));
    }
    put_back(service, id, ticket, state)?;
    Ok(json!({
        "verifiablePresentationRequest": {
            "query": [{
                "type": "DIDAuthentication",
                "acceptedMethods": [{"method": "key"}],
                "acceptedCryptosuites": ACCEPTED_SUITES
                    .iter()
                    .map(|s| json!({"cryptosuite": s}))
                    .collect::<Vec<_>>(),
            }],
            "challenge": state.challenge,
            "domain": state.domain,
        }
    }))
}

/// A `POST` of LCW's presentation to a legacy link's `vc_request_url`: answers the credential.
pub async fn credential_request(
    service: &Service,
    id: &str,
    vp: &Value,
) -> Result<Value, ExchangeError> {
    let (ticket, state) = take(service, id)?;
    let (Flow::Dccrequest, Some(challenge)) = (state.flow, state.challenge.clone()) else {
        put_back(service, id, &ticket, &state)?;
        return Err(ExchangeError::UnknownExchange);
    };
    finish(service, &ticket, vp, &challenge, None).await
}

/// Checks the holder's presentation and claims the offer for the holder. The ticket is
/// already taken: a refused presentation ends the exchange.
async fn finish(
    service: &Service,
    ticket: &Ticket,
    vp: &Value,
    challenge: &str,
    domain: Option<&str>,
) -> Result<Value, ExchangeError> {
    let holder = match check_presentation(vp, challenge, domain, service.now()) {
        Ok(holder) => holder,
        Err(e) => {
            service.audit(
                "wallet",
                Some(&offer_institution(service, &ticket.offer)?),
                "refuse-presentation",
                Some(&ticket.offer),
            )?;
            service.store().durable().await?;
            return Err(e);
        }
    };
    Ok(offer::claim(service, &ticket.offer, &holder, Protocol::VcApi).await?)
}

fn offer_institution(service: &Service, offer_id: &str) -> Result<String, ExchangeError> {
    Ok(service
        .store()
        .get_offer(offer_id)?
        .map(|o| o.institution)
        .ok_or(WalletError::UnknownOffer)?)
}

/// Checks a DID Authentication presentation: signed (with an accepted suite) by the did:key
/// it names as `holder`, proof purpose `authentication`, our challenge and domain (none
/// expected: none allowed), no credentials inside. Answers the holder's DID.
pub fn check_presentation(
    vp: &Value,
    challenge: &str,
    domain: Option<&str>,
    now: DateTime<Utc>,
) -> Result<String, ExchangeError> {
    let Some(doc) = vp.as_object() else {
        return Err(ExchangeError::BadMessage(
            "verifiablePresentation must be a JSON object".into(),
        ));
    };
    let mut reasons = Vec::new();
    let holder = verify::id_of(doc.get("holder"));
    match &holder {
        None => reasons.push("the presentation names no holder".to_owned()),
        Some(h) if !h.starts_with("did:key:") => reasons.push(format!(
            "the holder {h} is not a did:key: this exchange accepts the did:key method only"
        )),
        Some(_) => {}
    }
    match doc.get("verifiableCredential") {
        None => {}
        Some(Value::Array(items)) if items.is_empty() => {}
        Some(_) => reasons.push(
            "a DID Authentication presentation carries no credentials; send an empty one".into(),
        ),
    }
    let proofs: Vec<&Value> = match doc.get("proof") {
        None => Vec::new(),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
    };
    if proofs.is_empty() {
        reasons.push("the presentation is not signed (it has no proof)".into());
    }
    for proof in &proofs {
        let suite = match (
            proof.get("type").and_then(Value::as_str),
            proof.get("cryptosuite").and_then(Value::as_str),
        ) {
            (Some("DataIntegrityProof"), Some(suite)) => suite,
            (Some(kind), _) => kind,
            (None, _) => "(no type)",
        };
        if !ACCEPTED_SUITES.contains(&suite) {
            reasons.push(format!(
                "the proof is signed with {suite}; this exchange accepts {}",
                ACCEPTED_SUITES.join(" or ")
            ));
        }
    }
    if !reasons.is_empty() {
        return Err(ExchangeError::Refused(reasons));
    }
    let holder = holder.unwrap_or_default();

    let mut options = VerifyOptions::new(now);
    options.resolver = std::sync::Arc::new(DidKeyResolver);
    options.challenge = Some(challenge.to_owned());
    options.domain = domain.map(str::to_owned);
    options.policy = Policy {
        require_trusted_issuer: false,
        require_holder_binding: true,
    };
    let report =
        verify::verify(vp, &options).map_err(|e| ExchangeError::CannotCheck(e.to_string()))?;
    let mut reasons = report.reasons();
    // Every proof is the holder's own (the verifier's holder binding checks this too; a proof
    // whose key could not be read has no controller and fails here as well).
    for p in &report.proofs {
        if p.controller.as_deref() != Some(holder.as_str()) {
            let why = format!(
                "the proof's key {} is not controlled by the holder {holder}",
                p.verification_method
            );
            if !reasons.iter().any(|r| r.contains(&why)) {
                reasons.push(why);
            }
        }
    }
    if report.verified && reasons.is_empty() {
        Ok(holder)
    } else {
        Err(ExchangeError::Refused(reasons))
    }
}

/// JSON text for LCW's legacy flow: LCW decodes HTML entities in the body before parsing it,
/// so every `&` is written as the JSON escape `\u0026` (same value, no entity to decode).
pub fn entity_safe_json(value: &Value) -> String {
    value.to_string().replace('&', "\\u0026")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_values_are_fully_encoded() {
        assert_eq!(
            query_value("https://x.test/a?b=c&d"),
            "https%3A%2F%2Fx.test%2Fa%3Fb%3Dc%26d"
        );
    }

    #[test]
    fn the_domain_is_the_origin_of_the_public_url() {
        assert_eq!(origin("https://x.test"), "https://x.test");
        assert_eq!(
            origin("https://x.test:8443/skillpass"),
            "https://x.test:8443"
        );
        assert_eq!(origin("http://127.0.0.1:8080/"), "http://127.0.0.1:8080");
    }

    #[test]
    fn ampersands_survive_html_entity_decoding() {
        let v = json!({"name": "R&D &amp; &lt;x&gt;"});
        let text = entity_safe_json(&v);
        assert!(!text.contains('&'), "{text}");
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), v);
    }

    #[test]
    fn a_presentation_without_holder_or_proof_is_refused_with_both_reasons() {
        let vp = json!({"@context": [CREDENTIALS_V2], "type": ["VerifiablePresentation"]});
        match check_presentation(&vp, "c", Some("https://x.test"), Utc::now()) {
            Err(ExchangeError::Refused(reasons)) => {
                assert!(
                    reasons.iter().any(|r| r.contains("no holder")),
                    "{reasons:?}"
                );
                assert!(
                    reasons.iter().any(|r| r.contains("not signed")),
                    "{reasons:?}"
                );
            }
            other => panic!("{other:?}"),
        }
    }
}

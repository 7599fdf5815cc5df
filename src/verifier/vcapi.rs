//! The VC-API exchange of a presentation request, as Learner Credential Wallet runs one:
//!
//! 1. The QR code holds the interaction URL `{public}/verify/exchanges/{id}?iuv=1`; fetched with
//!    `Accept: application/json` it answers `{"protocols": {"vcapi": "{public}/verify/exchanges/{id}"}}`.
//! 2. `POST {}` to the exchange answers the `verifiablePresentationRequest`: a `QueryByExample`
//!    ([`super::query::Query::query_by_example`]), the request's nonce as `challenge` and this
//!    service's origin as `domain` (as the issuing exchange, `wallet::exchange::domain`).
//! 3. `POST {"verifiablePresentation": VP}` hands the holder-signed presentation in; the exchange
//!    is taken (single use) and the presentation checked as every answer is
//!    ([`super::request::check`]). Accepted: `200 {}`; refused: [`ExchangeAnswer::Refused`].

use std::sync::Arc;

use serde_json::{json, Value};

use super::request::{self, Outcome, Protocol, Status};
use super::{RequestConfig, RequestError};
use crate::service::Service;
use crate::wallet::exchange::{domain, ACCEPTED_SUITES};
use crate::wallet::tickets::TicketKind;

/// `{public}/verify/exchanges/{id}`.
pub fn exchange_url(service: &Service, id: &str) -> String {
    format!("{}/verify/exchanges/{id}", service.public_url())
}

/// The interaction URL of an exchange (LCW recognises it by `iuv`).
pub fn interaction_url(service: &Service, id: &str) -> String {
    format!("{}?iuv=1", exchange_url(service, id))
}

/// `GET` of the interaction URL: the protocols, while the request is open.
pub fn interaction(service: &Service, id: &str) -> Result<Value, RequestError> {
    let (_, record) = request::follow(service, TicketKind::VerifierExchange, id, false)?;
    if !matches!(record.status, Status::Pending) {
        return Err(RequestError::AlreadyAnswered);
    }
    Ok(json!({ "protocols": { "vcapi": exchange_url(service, id) } }))
}

/// What a `POST` to the exchange led to.
#[derive(Debug)]
pub enum ExchangeAnswer {
    /// `{}` was posted: the request for a presentation.
    Request(Value),
    /// The presentation was accepted.
    Accepted(Outcome),
    /// The presentation was checked and refused (or could not be checked).
    Refused(Outcome),
}

/// A `POST` to exchange `id`.
pub async fn step(
    service: &Arc<Service>,
    config: &RequestConfig,
    id: &str,
    message: &Value,
) -> Result<ExchangeAnswer, RequestError> {
    let Some(message) = message.as_object() else {
        return Err(RequestError::BadMessage(
            "the exchange takes a JSON object: {} to start, {\"verifiablePresentation\": …} to answer"
                .into(),
        ));
    };
    let vp = message.get("verifiablePresentation");
    if vp.is_none() && !message.is_empty() {
        return Err(RequestError::BadMessage(format!(
            "unexpected message with members {:?}: send {{}} to start the exchange or {{\"verifiablePresentation\": …}} to answer its request",
            message.keys().collect::<Vec<_>>()
        )));
    }
    let Some(vp) = vp else {
        let (_, record) = request::follow(service, TicketKind::VerifierExchange, id, false)?;
        if !matches!(record.status, Status::Pending) {
            return Err(RequestError::AlreadyAnswered);
        }
        return Ok(ExchangeAnswer::Request(json!({
            "verifiablePresentationRequest": {
                "query": [record.query.query_by_example(
                    "An employer or a college asks to see this credential, checked by skillpass."
                )],
                "acceptedCryptosuites": ACCEPTED_SUITES
                    .iter()
                    .map(|s| json!({"cryptosuite": s}))
                    .collect::<Vec<_>>(),
                "challenge": record.nonce,
                "domain": domain(service),
            }
        })));
    };
    if !vp.is_object() {
        return Err(RequestError::BadMessage(
            "verifiablePresentation must be a JSON object".into(),
        ));
    }
    // Single use: the exchange is taken, valid presentation or not.
    let (key, _) = request::follow(service, TicketKind::VerifierExchange, id, true)?;
    let outcome = request::answer(
        service,
        config,
        &key,
        vp.clone(),
        domain(service),
        Protocol::Vcapi,
    )
    .await?;
    Ok(if outcome.accepted {
        ExchangeAnswer::Accepted(outcome)
    } else {
        ExchangeAnswer::Refused(outcome)
    })
}

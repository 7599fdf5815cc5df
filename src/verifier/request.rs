//! A presentation request's life, whichever protocol answers it.
//!
//! [`create`] mints four secrets: the request's id (the capability in its page's URL), the
//! OpenID4VP `state`, the VC-API exchange id and the nonce every presentation must sign as its
//! challenge. The first three are stored only as hashes ([`tickets::key`]): the request itself
//! under its id's hash, and the `state` and the exchange each as a ticket that points at that
//! hash (never at the id), so a wallet that answers never learns the page's address.
//!
//! [`answer`] is single use twice over: the protocol ticket is *taken* (a replayed response
//! finds nothing), and the request moves from pending to checking by taking and rewriting its
//! ticket, so two answers by different protocols cannot both be checked. The check is the same
//! for every protocol ([`check`]): the holder's proof with the request's challenge and domain,
//! every credential (genuine, unrevoked, from a trusted issuer, about the holder who signed —
//! [`Policy::STRICT`]), at least one credential that matches the query, and the recognition of
//! each matching credential into the framework the asker chose. Only the matching credentials
//! are kept, for [`RequestConfig::result_ttl`].

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::query::Query;
use super::{RequestConfig, RequestError};
use crate::frameworks::FrameworkRegistry;
use crate::recognition::{self, Assessment, RecognitionRequest};
use crate::service::Service;
use crate::store::Ticket;
use crate::verify::{self, DocumentKind, Policy};
use crate::wallet::tickets::{self, TicketKind};

/// How a request was answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Protocol {
    /// OpenID4VP 1.0, `direct_post`.
    Oid4vp,
    /// The VC-API exchange (Learner Credential Wallet).
    Vcapi,
    /// A learner's passport on this node.
    Passport,
}

/// A stored request.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    pub query: Query,
    /// The challenge every presentation must sign (OpenID4VP `nonce`).
    pub nonce: String,
    /// The OpenID4VP `state` (a secret, kept to draw the request's QR code again).
    pub state: String,
    /// The VC-API exchange id (likewise).
    pub exchange: String,
    pub created: DateTime<Utc>,
    /// Until when the request can be answered.
    pub expires: DateTime<Utc>,
    pub status: Status,
}

/// Where a request is.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "camelCase")]
pub enum Status {
    Pending,
    /// An answer is being checked.
    Checking,
    /// Answered: accepted or refused, with the reasons.
    Done(Outcome),
}

/// The checked answer.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    /// The presentation held and at least one credential answers the request.
    pub accepted: bool,
    /// The checks could not be run (e.g. a status list could not be read): neither accepted
    /// nor shown to be invalid.
    #[serde(default)]
    pub could_not_check: bool,
    pub protocol: Protocol,
    pub at: DateTime<Utc>,
    /// The DID that signed the presentation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder: Option<String>,
    /// Why it was refused; empty when accepted.
    #[serde(default)]
    pub reasons: Vec<String>,
    /// What the asker should know although it was accepted.
    #[serde(default)]
    pub notes: Vec<String>,
    /// The credentials that answer the request (only when accepted).
    #[serde(default)]
    pub credentials: Vec<AnsweredCredential>,
}

/// A credential that answers the request, and what it is worth in the asked framework.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnsweredCredential {
    pub credential: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recognition: Option<Assessment>,
    /// Why no recognition could be made, when one was asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recognition_error: Option<String>,
}

/// A new request: its id (the page's secret) and what was stored.
#[derive(Clone, Debug)]
pub struct NewRequest {
    pub id: String,
    pub record: Record,
}

/// The store key of the request whose id is `id`.
pub fn request_key(id: &str) -> String {
    tickets::key(TicketKind::PresentationRequest, id)
}

/// What a protocol ticket keeps: the store key of its request.
#[derive(Debug, Serialize, Deserialize)]
struct Pointer {
    request: String,
}

/// Makes a request for `query` (validated against the bundled frameworks).
pub fn create(
    service: &Service,
    config: &RequestConfig,
    query: Query,
) -> Result<NewRequest, RequestError> {
    let query = query
        .validated(FrameworkRegistry::bundled())
        .map_err(RequestError::BadQuery)?;
    let now = service.now();
    let expires = now + config.ttl;
    let id = tickets::secret();
    let record = Record {
        query,
        nonce: tickets::random_token(16),
        state: tickets::secret(),
        exchange: tickets::secret(),
        created: now,
        expires,
        status: Status::Pending,
    };
    let store = service.store().as_ref();
    let pointer = serde_json::to_value(Pointer {
        request: request_key(&id),
    })
    .map_err(internal)?;
    let protocol_ticket = Ticket {
        offer: String::new(),
        expires,
        data: pointer,
    };
    tickets::put(
        store,
        TicketKind::Oid4vpState,
        &record.state,
        &protocol_ticket,
    )?;
    tickets::put(
        store,
        TicketKind::VerifierExchange,
        &record.exchange,
        &protocol_ticket,
    )?;
    store.put_ticket(&request_key(&id), &ticket_of(&record, expires)?)?;
    Ok(NewRequest { id, record })
}

fn internal(e: impl std::fmt::Display) -> RequestError {
    RequestError::Internal(e.to_string())
}

fn ticket_of(record: &Record, expires: DateTime<Utc>) -> Result<Ticket, RequestError> {
    Ok(Ticket {
        offer: String::new(),
        expires,
        data: serde_json::to_value(record).map_err(internal)?,
    })
}

fn parse(ticket: &Ticket) -> Result<Record, RequestError> {
    serde_json::from_value(ticket.data.clone()).map_err(internal)
}

/// The request whose id is `id`, as stored (also after it expired, until the store drops it).
pub fn load(service: &Service, id: &str) -> Result<Option<Record>, RequestError> {
    match service.store().get_ticket(&request_key(id))? {
        Some(ticket) => Ok(Some(parse(&ticket)?)),
        None => Ok(None),
    }
}

/// The request a protocol ticket points at, leaving the ticket in place (`peek`), or taking it
/// (single use). Unknown and expired are told apart.
pub(super) fn follow(
    service: &Service,
    kind: TicketKind,
    secret: &str,
    take: bool,
) -> Result<(String, Record), RequestError> {
    let key = tickets::key(kind, secret);
    let ticket = if take {
        service.store().take_ticket(&key)?
    } else {
        service.store().get_ticket(&key)?
    }
    .ok_or(RequestError::Unknown)?;
    if ticket.expires < service.now() {
        return Err(RequestError::Expired(ticket.expires));
    }
    let pointer: Pointer = serde_json::from_value(ticket.data).map_err(internal)?;
    let record = service
        .store()
        .get_ticket(&pointer.request)?
        .ok_or(RequestError::Unknown)
        .and_then(|t| parse(&t))?;
    Ok((pointer.request, record))
}

/// Moves the request at `key` from pending to checking; exactly one caller succeeds.
fn begin(service: &Service, key: &str) -> Result<Record, RequestError> {
    let store = service.store();
    let ticket = store.take_ticket(key)?.ok_or(RequestError::Unknown)?;
    let mut record = parse(&ticket)?;
    if !matches!(record.status, Status::Pending) {
        store.put_ticket(key, &ticket)?;
        return Err(RequestError::AlreadyAnswered);
    }
    if record.expires < service.now() {
        store.put_ticket(key, &ticket)?;
        return Err(RequestError::Expired(record.expires));
    }
    record.status = Status::Checking;
    store.put_ticket(key, &ticket_of(&record, ticket.expires)?)?;
    Ok(record)
}

/// Stores the outcome on the request at `key` and keeps it readable for the result's lifetime.
async fn finish(
    service: &Service,
    config: &RequestConfig,
    key: &str,
    mut record: Record,
    outcome: Outcome,
) -> Result<Outcome, RequestError> {
    record.status = Status::Done(outcome.clone());
    let keep = (service.now() + config.result_ttl).max(record.expires);
    // The checking state is replaced (a ticket is put only under a free key).
    service.store().take_ticket(key)?;
    service
        .store()
        .put_ticket(key, &ticket_of(&record, keep)?)?;
    let action = if outcome.accepted {
        "presentation-accepted"
    } else {
        "presentation-refused"
    };
    service
        .audit("verifier", None, action, outcome.holder.as_deref())
        .map_err(internal)?;
    service.store().durable().await?;
    Ok(outcome)
}

/// Answers the request at `key` with presentation `vp`, signed over the request's nonce and
/// `domain`: checks it ([`check`]) and stores the outcome.
pub async fn answer(
    service: &Arc<Service>,
    config: &RequestConfig,
    key: &str,
    vp: Value,
    domain: String,
    protocol: Protocol,
) -> Result<Outcome, RequestError> {
    let record = begin(service, key)?;
    let checker = service.clone();
    let query = record.query.clone();
    let nonce = record.nonce.clone();
    let outcome = tokio::task::spawn_blocking(move || {
        check(&checker, &query, &vp, &nonce, &domain, protocol)
    })
    .await
    .map_err(internal)?;
    finish(service, config, key, record, outcome).await
}

/// Ends the request at `key` without a presentation: the wallet said why (an OpenID4VP error
/// response, e.g. `access_denied`).
pub async fn decline(
    service: &Service,
    config: &RequestConfig,
    key: &str,
    why: String,
    protocol: Protocol,
) -> Result<Outcome, RequestError> {
    let record = begin(service, key)?;
    let outcome = Outcome {
        accepted: false,
        could_not_check: false,
        protocol,
        at: service.now(),
        holder: None,
        reasons: vec![why],
        notes: Vec::new(),
        credentials: Vec::new(),
    };
    finish(service, config, key, record, outcome).await
}

/// The whole check of an answer (blocking: status lists may be fetched).
pub fn check(
    service: &Arc<Service>,
    query: &Query,
    vp: &Value,
    challenge: &str,
    domain: &str,
    protocol: Protocol,
) -> Outcome {
    let mut outcome = Outcome {
        accepted: false,
        could_not_check: false,
        protocol,
        at: service.now(),
        holder: None,
        reasons: Vec::new(),
        notes: Vec::new(),
        credentials: Vec::new(),
    };
    if !vp.is_object() || !verify::has_type(vp, "VerifiablePresentation") {
        outcome
            .reasons
            .push("the answer is not a Verifiable Presentation".into());
        return outcome;
    }
    let mut options = service.verify_options();
    options.challenge = Some(challenge.to_owned());
    options.domain = Some(domain.to_owned());
    options.policy = Policy::STRICT;
    let report = match verify::verify(vp, &options) {
        Ok(report) => report,
        Err(e) => {
            outcome.could_not_check = true;
            outcome.reasons.push(e.to_string());
            return outcome;
        }
    };
    outcome.holder = report.issuer.clone();
    if report.kind != DocumentKind::Presentation {
        outcome
            .reasons
            .push("the answer is not a Verifiable Presentation".into());
    }
    outcome.reasons.extend(report.reasons());
    let embedded: Vec<&Value> = match vp.get("verifiableCredential") {
        None => Vec::new(),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
    };
    if embedded.is_empty() {
        outcome
            .reasons
            .push("the presentation carries no credential".into());
    }
    let registry = FrameworkRegistry::bundled();
    let mut answering = Vec::new();
    let mut mismatches = Vec::new();
    for (i, vc) in embedded.iter().enumerate() {
        match query.matches(vc, &options.contexts, registry) {
            Ok(()) => answering.push(*vc),
            Err(reasons) => mismatches.push(format!(
                "verifiableCredential[{i}] does not answer the request: {}",
                reasons.join("; ")
            )),
        }
    }
    if answering.is_empty() && !embedded.is_empty() {
        outcome.reasons.extend(mismatches);
    } else if !mismatches.is_empty() {
        outcome.notes.push(format!(
            "{} other credential(s) in the presentation did not answer the request and were not kept",
            mismatches.len()
        ));
    }
    if !outcome.reasons.is_empty() {
        return outcome;
    }
    outcome.accepted = true;
    outcome.notes.extend(report.warning_reasons());
    for vc in answering {
        let mut answered = AnsweredCredential {
            credential: vc.clone(),
            recognition: None,
            recognition_error: None,
        };
        if let Some(into) = &query.recognise_into {
            match RecognitionRequest::from_credential(vc, into)
                .and_then(|r| recognition::assess(registry, &r))
            {
                Ok(assessment) => answered.recognition = Some(assessment),
                Err(e) => answered.recognition_error = Some(e.to_string()),
            }
        }
        outcome.credentials.push(answered);
    }
    outcome
}

/// The request's result as JSON (for an API caller or a test).
pub fn status_json(record: &Record, now: DateTime<Utc>) -> Value {
    match &record.status {
        Status::Pending if record.expires < now => json!({"state": "expired"}),
        Status::Pending => json!({"state": "pending", "expires": record.expires}),
        Status::Checking => json!({"state": "checking"}),
        Status::Done(outcome) => json!({
            "state": if outcome.accepted { "accepted" } else { "refused" },
            "outcome": outcome,
        }),
    }
}

//! Answering a verifier's presentation request ([`crate::verifier::request`]) with the
//! passport, on the same node: the request is read by its id, the passport's credentials that
//! match its question are found with the verifier's own [`crate::verifier::query::Query::matches`],
//! the learner's choice is signed with the holder key (challenge: the request's nonce; domain:
//! the verifier's client id, [`crate::verifier::oid4vp::client_id`]) and handed to
//! [`crate::verifier::request::answer`] — the same check every wallet's answer gets.

use std::sync::Arc;

use super::{HeldCredential, Passport, PassportError};
use crate::frameworks::FrameworkRegistry;
use crate::service::Service;
use crate::verifier::request::{self, Outcome, Protocol, Record, Status};
use crate::verifier::{oid4vp, RequestConfig, RequestError};

/// Why the passport could not answer.
#[derive(Debug, thiserror::Error)]
pub enum AnswerError {
    /// Unknown, expired or answered already (or could not be read).
    #[error(transparent)]
    Request(#[from] RequestError),
    #[error(transparent)]
    Passport(#[from] PassportError),
    #[error("choose at least one credential to send")]
    NothingChosen,
    #[error("none of the credentials in this passport answers the question")]
    NoMatch,
}

/// The request whose id is `id`, while it can still be answered.
pub fn open(service: &Service, id: &str) -> Result<Record, RequestError> {
    let record = request::load(service, id)?.ok_or(RequestError::Unknown)?;
    if !matches!(record.status, Status::Pending) {
        return Err(RequestError::AlreadyAnswered);
    }
    if record.expires < service.now() {
        return Err(RequestError::Expired(record.expires));
    }
    Ok(record)
}

/// The passport's credentials that answer `record`'s question (blocking: JSON-LD expansion).
pub fn matching(
    passport: &Passport,
    service: &Service,
    record: &Record,
) -> Result<Vec<HeldCredential>, PassportError> {
    Ok(passport
        .credentials(service)?
        .into_iter()
        .filter(|h| {
            record
                .query
                .matches(
                    &h.credential,
                    service.contexts(),
                    FrameworkRegistry::bundled(),
                )
                .is_ok()
        })
        .collect())
}

/// Answers request `id` with the passport's credentials `entries` (each must match the
/// question): a presentation signed for the request's nonce and the verifier's client id, checked
/// and stored by the verifier. The request is answered once, whatever the outcome.
pub async fn answer(
    passport: &Passport,
    service: &Arc<Service>,
    config: &RequestConfig,
    id: &str,
    entries: &[String],
) -> Result<Outcome, AnswerError> {
    let record = open(service, id)?;
    let candidates = matching(passport, service, &record)?;
    if candidates.is_empty() {
        return Err(AnswerError::NoMatch);
    }
    if entries.is_empty() {
        return Err(AnswerError::NothingChosen);
    }
    let mut chosen = Vec::new();
    for entry in entries {
        let held = candidates
            .iter()
            .find(|h| &h.entry == entry)
            .ok_or(PassportError::UnknownCredential)?;
        chosen.push(held.credential.clone());
    }
    let domain = oid4vp::client_id(service);
    let vp = passport.sign_presentation(service, &chosen, &record.nonce, Some(&domain))?;
    Ok(request::answer(
        service,
        config,
        &request::request_key(id),
        vp,
        domain,
        Protocol::Passport,
    )
    .await?)
}

//! OpenID4VP 1.0 for presentation requests: the Authorization Request a wallet scans, and the
//! Response URI it posts to.
//!
//! The request is passed by value in an `openid4vp://` URL (§5): Client Identifier Prefix
//! `redirect_uri:` with the Response URI as identifier (§5.9: such a request cannot be signed,
//! so there is no Request Object and no `request_uri` — a wallet refuses a JAR with this
//! prefix), `response_type=vp_token`, `response_mode=direct_post`, `response_uri`, `nonce`,
//! `state`, `dcql_query` (one `ldp_vc` Credential Query, [`super::query`]) and `client_metadata`
//! naming the `ldp_vc` proof types we verify (with this prefix all Verifier metadata travels in
//! `client_metadata`).
//!
//! The wallet answers with an HTTP POST (`application/x-www-form-urlencoded`, §8.2) of
//! `vp_token` — a JSON object keyed by the Credential Query id, each value an array of
//! presentations; for `ldp_vc` a presentation is a JSON object — and `state`.
//! The presentation's proof must carry `challenge` = the `nonce` and `domain` = the Client
//! Identifier (the `ldp_vc` rules of the spec's credential-format appendix). An accepted
//! answer is acknowledged with `200 {}`; a refused one, a replayed or unknown `state` and a
//! malformed message with an OAuth error (`invalid_request`). A wallet's error response
//! (`error`, `error_description`, `state`) ends the request with that reason.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{json, Value};

use super::query::CREDENTIAL_QUERY_ID;
use super::request::{self, Outcome, Protocol, Record};
use super::{RequestConfig, RequestError};
use crate::service::Service;
use crate::wallet::offer::query_value;
use crate::wallet::tickets::TicketKind;

/// The proof types a presentation (and its credentials) may be secured with.
pub const PROOF_TYPES: [&str; 2] = ["DataIntegrityProof", "Ed25519Signature2020"];

/// `{public}/oid4vp/response`: where wallets post their answers.
pub fn response_uri(service: &Service) -> String {
    format!("{}/oid4vp/response", service.public_url())
}

/// The Client Identifier: `redirect_uri:` + the Response URI. Also the `domain` presentations
/// must sign.
pub fn client_id(service: &Service) -> String {
    format!("redirect_uri:{}", response_uri(service))
}

/// The Verifier metadata sent with the request.
pub fn client_metadata() -> Value {
    json!({
        "vp_formats_supported": {
            "ldp_vc": {
                "proof_type_values": PROOF_TYPES,
                "cryptosuite_values": ["eddsa-rdfc-2022", "eddsa-jcs-2022"],
            }
        }
    })
}

/// The Authorization Request of `record`, by value, as an `openid4vp://` URL for a QR code.
pub fn authorization_request(service: &Service, record: &Record) -> String {
    let params: [(&str, String); 8] = [
        ("client_id", client_id(service)),
        ("response_type", "vp_token".into()),
        ("response_mode", "direct_post".into()),
        ("response_uri", response_uri(service)),
        ("nonce", record.nonce.clone()),
        ("state", record.state.clone()),
        ("dcql_query", record.query.dcql().to_string()),
        ("client_metadata", client_metadata().to_string()),
    ];
    let query: Vec<String> = params
        .iter()
        .map(|(name, value)| format!("{name}={}", query_value(value)))
        .collect();
    format!("openid4vp://?{}", query.join("&"))
}

/// An OAuth error answer of the Response URI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Oid4vpError {
    /// Always `invalid_request` here.
    pub error: &'static str,
    pub description: String,
    /// The request's outcome, when the answer was checked and refused.
    pub refused: bool,
}

impl Oid4vpError {
    fn invalid(description: impl Into<String>) -> Self {
        Oid4vpError {
            error: "invalid_request",
            description: description.into(),
            refused: false,
        }
    }

    /// `{"error": …, "error_description": …}`.
    pub fn body(&self) -> Value {
        json!({"error": self.error, "error_description": self.description})
    }
}

/// What the Response URI does with a wallet's POST: `Ok(body)` for 200, `Err` for an OAuth
/// error (400). A request that fails while being checked for internal reasons is
/// `Err(RequestError)` inside `Ok(Err(…))`.
pub async fn direct_post(
    service: &Arc<Service>,
    config: &RequestConfig,
    form: &HashMap<String, String>,
) -> Result<Result<Value, Oid4vpError>, RequestError> {
    let Some(state) = form.get("state").filter(|s| !s.is_empty()) else {
        return Ok(Err(Oid4vpError::invalid(
            "state is missing: send back the state of the request",
        )));
    };
    // A wallet's error response ends the request with its reason.
    if let Some(error) = form.get("error") {
        let description = form.get("error_description").map(String::as_str);
        let key = match request::follow(service, TicketKind::Oid4vpState, state, true) {
            Ok((key, _)) => key,
            Err(e) => return protocol_error(e),
        };
        let why = match description {
            Some(d) => format!("the wallet answered with an error: {error} ({d})"),
            None => format!("the wallet answered with an error: {error}"),
        };
        return match request::decline(service, config, &key, why, Protocol::Oid4vp).await {
            Ok(_) => Ok(Ok(json!({}))),
            Err(e) => protocol_error(e),
        };
    }
    let presentation = match presentation_of(form.get("vp_token").map(String::as_str)) {
        Ok(vp) => vp,
        Err(why) => return Ok(Err(Oid4vpError::invalid(why))),
    };
    // Single use: the state is taken, valid presentation or not.
    let key = match request::follow(service, TicketKind::Oid4vpState, state, true) {
        Ok((key, _)) => key,
        Err(e) => return protocol_error(e),
    };
    let outcome = match request::answer(
        service,
        config,
        &key,
        presentation,
        client_id(service),
        Protocol::Oid4vp,
    )
    .await
    {
        Ok(outcome) => outcome,
        Err(e) => return protocol_error(e),
    };
    Ok(acknowledge(&outcome))
}

fn acknowledge(outcome: &Outcome) -> Result<Value, Oid4vpError> {
    if outcome.accepted {
        Ok(json!({}))
    } else {
        Err(Oid4vpError {
            error: "invalid_request",
            description: format!(
                "the presentation was {}: {}",
                if outcome.could_not_check {
                    "not checked"
                } else {
                    "refused"
                },
                outcome.reasons.join("; ")
            ),
            refused: true,
        })
    }
}

/// Protocol-level refusals become OAuth errors; store and internal failures stay errors.
fn protocol_error(e: RequestError) -> Result<Result<Value, Oid4vpError>, RequestError> {
    match e {
        RequestError::Unknown => Ok(Err(Oid4vpError::invalid(
            "unknown state: the request was answered already or never existed",
        ))),
        RequestError::Expired(_) | RequestError::AlreadyAnswered => {
            Ok(Err(Oid4vpError::invalid(e.to_string())))
        }
        other => Err(other),
    }
}

/// The one presentation in `vp_token` (`{"openbadge": [VP]}`, as a JSON string).
fn presentation_of(vp_token: Option<&str>) -> Result<Value, String> {
    let Some(text) = vp_token.filter(|t| !t.is_empty()) else {
        return Err("vp_token is missing".into());
    };
    let token: Value = serde_json::from_str(text)
        .map_err(|e| format!("vp_token is not JSON (a DCQL response is a JSON object): {e}"))?;
    let Some(object) = token.as_object() else {
        return Err("vp_token must be a JSON object keyed by the credential query id".into());
    };
    if let Some(other) = object.keys().find(|k| *k != CREDENTIAL_QUERY_ID) {
        return Err(format!(
            "vp_token answers credential query {other:?}; the request asked only {CREDENTIAL_QUERY_ID:?}"
        ));
    }
    let presentations = match object.get(CREDENTIAL_QUERY_ID) {
        Some(Value::Array(items)) => items,
        Some(_) => {
            return Err(format!(
                "vp_token.{CREDENTIAL_QUERY_ID} must be an array of presentations"
            ))
        }
        None => return Err(format!("vp_token has no {CREDENTIAL_QUERY_ID:?} entry")),
    };
    match presentations.as_slice() {
        [one] if one.is_object() => Ok(one.clone()),
        [_] => Err("an ldp_vc presentation is a JSON object".into()),
        _ => Err(format!(
            "vp_token.{CREDENTIAL_QUERY_ID} must hold exactly one presentation (the query does not ask for multiple), not {}",
            presentations.len()
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vp_tokens_are_read_as_dcql_responses() {
        let vp = json!({"type": ["VerifiablePresentation"]});
        let ok = json!({"openbadge": [vp]}).to_string();
        assert_eq!(presentation_of(Some(&ok)).unwrap(), vp);
        for bad in [
            None,
            Some("".to_owned()),
            Some("[1]".to_owned()),
            Some(json!({"other": [vp]}).to_string()),
            Some(json!({"openbadge": vp}).to_string()),
            Some(json!({"openbadge": [vp, vp]}).to_string()),
            Some(json!({"openbadge": ["eyJ..."]}).to_string()),
        ] {
            assert!(presentation_of(bad.as_deref()).is_err(), "{bad:?}");
        }
    }
}

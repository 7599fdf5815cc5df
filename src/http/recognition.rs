//! `POST /recognitions`: the authenticated (receiving) institution asks what a credential is
//! worth in its framework, and may issue the decision as a signed credential. See
//! `docs/RECOGNITION.md`, "Decisions".

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{json, Value};

use super::verification::options;
use super::{blocking, ApiError, AppState, Caller, Json};
use crate::decision::{self, RecogniseError};
use crate::frameworks::FrameworkRegistry;
use crate::proof::Cryptosuite;
use crate::recognition::QueryError;
use crate::service::ServiceError;

/// Presentation options, as in `POST /presentations/verify`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecognitionOptions {
    challenge: Option<String>,
    domain: Option<String>,
}

/// The request body.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RecognitionRequestBody {
    /// The credential to recognise…
    verifiable_credential: Option<Value>,
    /// …or a presentation carrying exactly one credential.
    verifiable_presentation: Option<Value>,
    #[serde(default)]
    options: RecognitionOptions,
    /// A framework id, e.g. `EQF`.
    receiving_framework: Option<String>,
    /// The id of an institution registered with this service; its framework is used. Without
    /// either, the caller's own framework.
    receiving_institution: Option<String>,
    /// Issue the decision as a credential signed by the caller.
    #[serde(default)]
    issue_decision: bool,
    /// Cryptosuite of the decision credential (default `eddsa-rdfc-2022`).
    cryptosuite: Option<String>,
}

fn unprocessable(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, message)
}

fn is_presentation(doc: &Value) -> bool {
    match doc.get("type") {
        Some(Value::String(t)) => t == "VerifiablePresentation",
        Some(Value::Array(items)) => items.iter().any(|t| t == "VerifiablePresentation"),
        _ => false,
    }
}

/// `POST /recognitions` → 200 `{decision, verification, assessment, decisionCredential?}`.
pub async fn recognise(
    Caller(caller): Caller,
    state: State<AppState>,
    Json(body): Json<RecognitionRequestBody>,
) -> Result<axum::Json<Value>, ApiError> {
    let document = match (body.verifiable_credential, body.verifiable_presentation) {
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_request(
                "send either verifiableCredential or verifiablePresentation, not both",
            ))
        }
        (None, None) => {
            return Err(ApiError::bad_request(
                "send the credential to recognise as verifiableCredential, or a presentation carrying it as verifiablePresentation",
            ))
        }
        (Some(vc), None) => {
            if !vc.is_object() {
                return Err(ApiError::bad_request("verifiableCredential must be a JSON object"));
            }
            if is_presentation(&vc) {
                return Err(ApiError::bad_request(
                    "verifiableCredential holds a presentation: send it as verifiablePresentation",
                ));
            }
            if body.options.challenge.is_some() || body.options.domain.is_some() {
                return Err(ApiError::bad_request(
                    "options.challenge and options.domain apply to a verifiablePresentation only",
                ));
            }
            vc
        }
        (None, Some(vp)) => {
            if !vp.is_object() || !is_presentation(&vp) {
                return Err(ApiError::bad_request(
                    "verifiablePresentation must be a JSON object whose type includes VerifiablePresentation",
                ));
            }
            vp
        }
    };
    let suite = match &body.cryptosuite {
        None => Cryptosuite::default(),
        Some(name) => name
            .parse()
            .map_err(|e: crate::proof::ProofError| ApiError::bad_request(e.to_string()))?,
    };
    if body.cryptosuite.is_some() && !body.issue_decision {
        return Err(ApiError::bad_request(
            "cryptosuite applies to the decision credential: set issueDecision to true",
        ));
    }

    let frameworks = FrameworkRegistry::bundled();
    let receiving = match (body.receiving_framework, body.receiving_institution) {
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_request(
                "give receivingFramework or receivingInstitution, not both",
            ))
        }
        (Some(framework), None) => framework,
        (None, Some(id)) => {
            let lookup = id.clone();
            let institution = blocking(&state, move |s| s.institution(&lookup))
                .await
                .map_err(|e| match e.status {
                    StatusCode::NOT_FOUND => unprocessable(format!(
                        "receivingInstitution {id:?} is not an institution registered with this service"
                    )),
                    _ => e,
                })?;
            if body.issue_decision && institution.id != caller.id {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    format!(
                        "an institution issues only its own decisions: receivingInstitution must be {} (the caller) when issueDecision is true",
                        caller.id
                    ),
                ));
            }
            institution.framework
        }
        (None, None) => caller.framework.clone(),
    };
    if frameworks.framework(&receiving).is_none() {
        let known: Vec<&str> = frameworks.ids().collect();
        return Err(unprocessable(format!(
            "unknown receiving framework {receiving:?}; known frameworks: {}",
            known.join(", ")
        )));
    }

    let verify_options = options(&state.service, body.options.challenge, body.options.domain);
    let (document, recognition) = tokio::task::spawn_blocking(move || {
        let result = decision::recognise(&document, &receiving, frameworks, &verify_options);
        (document, result)
    })
    .await
    .map_err(ApiError::internal)?;
    let recognition = recognition.map_err(|e| match e {
        RecogniseError::NotAnObject => ApiError::bad_request(e.to_string()),
        RecogniseError::NotOneCredential(_) => unprocessable(e.to_string()),
        RecogniseError::Query(QueryError::UnknownReceivingFramework(_)) => {
            unprocessable(e.to_string())
        }
        RecogniseError::Query(other) => {
            unprocessable(format!("the credential cannot be assessed: {other}"))
        }
        RecogniseError::CannotCheck(why) => unprocessable(format!("could not check: {why}")),
    })?;

    let mut answer = json!(recognition);
    if body.issue_decision {
        let original =
            decision::credential_of(&document).map_err(|e| ApiError::bad_request(e.to_string()))?;
        let unsigned = decision::decision_credential(
            &recognition.decision,
            original,
            &caller.did,
            &caller.name,
        )
        .map_err(|e| unprocessable(e.to_string()))?;
        let issued = state
            .service
            .issue(&caller, unsigned, suite.into(), None)
            .await
            .map_err(|e| match e {
                // The original's id is copied into the decision: a non-IRI id cannot be signed.
                ServiceError::Unprocessable(m) => {
                    unprocessable(format!("the decision credential cannot be issued: {m}"))
                }
                other => other.into(),
            })?;
        answer["decisionCredential"] = issued.credential;
    }
    Ok(axum::Json(answer))
}

//! Verifiable Presentations: a holder wraps credentials and signs them for one verifier.
//!
//! The verifier supplies a `challenge` (and usually its `domain`); the holder's proof signs both,
//! so a captured presentation cannot be replayed to another verifier or at another time.

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use crate::contexts::{ContextRegistry, CREDENTIALS_V2};
use crate::keys::SecretKey;
use crate::proof::{self, Cryptosuite, ProofError, ProofOptions, ProofPurpose};

/// How to sign a presentation.
#[derive(Clone, Debug)]
pub struct PresentOptions {
    pub suite: Cryptosuite,
    pub challenge: String,
    pub domain: Option<String>,
    pub created: DateTime<Utc>,
    /// `urn:uuid:…` of the presentation.
    pub id: String,
}

/// Builds a VC 2.0 presentation of `credentials` held by `holder`'s did:key and signs it.
pub fn present(
    credentials: &[Value],
    holder: &SecretKey,
    options: &PresentOptions,
    contexts: &ContextRegistry,
) -> Result<Value, ProofError> {
    let public = holder.public_key();
    let unsigned = json!({
        "@context": [CREDENTIALS_V2],
        "id": options.id,
        "type": ["VerifiablePresentation"],
        "holder": public.did_key(),
        "verifiableCredential": credentials,
    });
    let proof = ProofOptions {
        suite: options.suite,
        verification_method: public.verification_method_id(),
        purpose: ProofPurpose::Authentication,
        created: options.created,
        challenge: Some(options.challenge.clone()),
        domain: options.domain.clone(),
    };
    proof::sign(&unsigned, holder, &proof, contexts)
}

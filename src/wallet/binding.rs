//! The wallet's copy of a credential: the same claims, bound to the holder's DID.
//!
//! A credential issued to a learner without a wallet names them by name and student number
//! (OB 3.0 `IdentityObject`s). When the learner claims it into a wallet, the copy gets
//! `credentialSubject.id` = the wallet's DID and keeps the name, so an employer can match the
//! holder to an ID card; the student number stays only when the institution asks for it. The
//! copy keeps the original's status entries: revoking the record revokes every copy.

use serde_json::{Map, Value};

/// Why a credential cannot be bound to a holder.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum BindError {
    #[error("the credential has no single credentialSubject object to bind")]
    NoSubject,
    #[error("the credential already names its holder ({0}); it cannot be offered to another")]
    AlreadyBound(String),
}

/// Whether `credential` can be bound: one subject object without an `id` yet.
pub fn check_bindable(credential: &Value) -> Result<(), BindError> {
    let subject = credential
        .get("credentialSubject")
        .and_then(Value::as_object)
        .ok_or(BindError::NoSubject)?;
    match subject.get("id").and_then(Value::as_str) {
        Some(id) => Err(BindError::AlreadyBound(id.to_owned())),
        None => Ok(()),
    }
}

/// The unsigned copy of `original` with id `new_id`, bound to `holder`. Identifiers other than
/// the name are dropped unless `keep_identifier`.
pub fn bind(
    original: &Value,
    holder: &str,
    new_id: &str,
    keep_identifier: bool,
) -> Result<Value, BindError> {
    check_bindable(original)?;
    let mut copy = original.clone();
    let doc = copy.as_object_mut().ok_or(BindError::NoSubject)?;
    doc.remove("proof");
    doc.insert("id".into(), new_id.into());
    let subject = doc
        .get_mut("credentialSubject")
        .and_then(Value::as_object_mut)
        .ok_or(BindError::NoSubject)?;
    let mut bound = Map::with_capacity(subject.len() + 1);
    bound.insert("id".into(), holder.into());
    for (k, v) in std::mem::take(subject) {
        if k == "identifier" && !keep_identifier {
            let names: Vec<Value> = v
                .as_array()
                .into_iter()
                .flatten()
                .filter(|i| i.get("identityType").and_then(Value::as_str) == Some("name"))
                .cloned()
                .collect();
            if !names.is_empty() {
                bound.insert(k, Value::Array(names));
            }
            continue;
        }
        bound.insert(k, v);
    }
    *subject = bound;
    Ok(copy)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn original() -> Value {
        json!({
            "@context": ["https://www.w3.org/ns/credentials/v2"],
            "id": "urn:uuid:1",
            "type": ["VerifiableCredential", "OpenBadgeCredential"],
            "credentialStatus": {"id": "https://x/status/a/revocation/0#3"},
            "credentialSubject": {
                "type": ["AchievementSubject"],
                "identifier": [
                    {"type": "IdentityObject", "identityHash": "Somchai", "identityType": "name", "hashed": false},
                    {"type": "IdentityObject", "identityHash": "S-42", "identityType": "ext:studentNumber", "hashed": false}
                ],
                "achievement": {"name": "Welding"}
            },
            "proof": {"type": "DataIntegrityProof"}
        })
    }

    #[test]
    fn the_copy_names_the_holder_and_keeps_the_name_and_status() {
        let copy = bind(&original(), "did:key:z6Mk", "urn:uuid:2", false).unwrap();
        assert_eq!(copy["id"], "urn:uuid:2");
        assert!(copy.get("proof").is_none());
        let subject = &copy["credentialSubject"];
        assert_eq!(subject["id"], "did:key:z6Mk");
        assert_eq!(subject["identifier"].as_array().unwrap().len(), 1);
        assert_eq!(subject["identifier"][0]["identityHash"], "Somchai");
        assert_eq!(subject["achievement"]["name"], "Welding");
        assert_eq!(copy["credentialStatus"], original()["credentialStatus"]);
    }

    #[test]
    fn the_student_number_stays_when_asked() {
        let copy = bind(&original(), "did:key:z6Mk", "urn:uuid:2", true).unwrap();
        assert_eq!(
            copy["credentialSubject"]["identifier"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
    }

    #[test]
    fn a_credential_that_names_its_holder_is_not_bound_again() {
        let mut bound = original();
        bound["credentialSubject"]["id"] = json!("did:key:z6MkOther");
        assert_eq!(
            bind(&bound, "did:key:z6Mk", "urn:uuid:2", false),
            Err(BindError::AlreadyBound("did:key:z6MkOther".into()))
        );
    }
}

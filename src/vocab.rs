//! skillpass's own terms — what Open Badges 3.0 and VC 2.0 have no word for — as inline
//! JSON-LD contexts.
//!
//! A verifier can only check an `eddsa-rdfc-2022` proof when it can load every context of the
//! document, and `https://w3id.org/skillpass/contexts/v1` is published nowhere. So nothing
//! skillpass signs names that context any more: a document carries the few skillpass terms it
//! uses as an inline `@context` object after the standard contexts, and any verifier (Digital
//! Bazaar's, Learner Credential Wallet's) processes it without a fetch. Everything OB 3.0 can
//! say stays in OB 3.0 terms (levels and ISCED-F fields are alignments, see
//! [`crate::credential`]).
//!
//! Every definition lives in one file, `schemas/vocab/skillpass-terms.jsonld`. It repeats the v1
//! context's definitions unchanged (a unit test holds them equal), so a term expands to the same
//! IRI in old and new documents; the v1 context stays bundled so credentials issued with it keep
//! verifying. Why inline and not a context published by the
//! service: `docs/ARCHITECTURE.md`, "Portable credentials".

use std::sync::OnceLock;

use serde_json::{Map, Value};

/// The terms a learning-outcome credential uses beyond OB 3.0: the credit system of
/// `creditsAvailable` and the notional learning hours behind them.
pub const RECORD_TERMS: &[&str] = &["creditSystem", "learningHours"];

/// The record terms and the language maps of an achievement written in several languages:
/// each maps to the same IRI as the OB 3.0 term it translates (`nameMap` → `name`), so the
/// translations are language-tagged values of that property (docs/LANGUAGES.md).
pub const MULTILINGUAL_RECORD_TERMS: &[&str] = &[
    "creditSystem",
    "learningHours",
    "nameMap",
    "descriptionMap",
    "narrativeMap",
    "targetNameMap",
];

/// The terms of a recognition decision credential.
pub const DECISION_TERMS: &[&str] = &[
    "RecognitionDecision",
    "recognitionOutcome",
    "recognisedCredential",
    "recognisedIssuer",
    "recognisedAchievement",
    "receivingFramework",
    "recognisedLevel",
    "FrameworkLevel",
    "creditsAwarded",
    "creditSystem",
    "referencingStatus",
    "recognitionCondition",
    "recognitionReason",
    "RecognitionReason",
];

/// The terms of the alliance trust registry document ([`crate::registry`]).
pub const REGISTRY_TERMS: &[&str] = &[
    "TrustRegistryCredential",
    "AllianceTrustRegistry",
    "members",
    "country",
    "dids",
    "nodes",
    "framework",
    "qualityAssurance",
    "body",
    "status",
    "reference",
];

fn context_object(text: &str) -> Map<String, Value> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(mut doc)) => match doc.remove("@context") {
            Some(Value::Object(defs)) => defs,
            _ => panic!("a bundled term file has no @context object"),
        },
        _ => panic!("a bundled term file is not a JSON object"),
    }
}

/// Every skillpass term definition, parsed once.
fn definitions() -> &'static Map<String, Value> {
    static DEFS: OnceLock<Map<String, Value>> = OnceLock::new();
    DEFS.get_or_init(|| context_object(include_str!("../schemas/vocab/skillpass-terms.jsonld")))
}

/// An inline `@context` object defining `terms`.
///
/// Panics on a term the term file does not define: the term lists above are constants, and a
/// unit test checks them.
pub fn inline_context(terms: &[&str]) -> Value {
    let defs = definitions();
    let mut ctx = Map::new();
    // Type-scoped contexts (`FrameworkLevel`, `RecognitionReason`) need JSON-LD 1.1, and
    // protection keeps a later context from giving our terms another meaning.
    ctx.insert("@version".into(), defs["@version"].clone());
    ctx.insert("@protected".into(), Value::Bool(true));
    for term in terms {
        let def = defs
            .get(*term)
            .unwrap_or_else(|| panic!("skillpass-terms.jsonld defines no term {term:?}"));
        ctx.insert((*term).to_owned(), def.clone());
    }
    Value::Object(ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_term_is_defined() {
        for terms in [
            RECORD_TERMS,
            MULTILINGUAL_RECORD_TERMS,
            DECISION_TERMS,
            REGISTRY_TERMS,
        ] {
            let ctx = inline_context(terms);
            assert_eq!(ctx.as_object().unwrap().len(), terms.len() + 2);
        }
    }

    #[test]
    fn v1_terms_keep_their_meaning() {
        let v1 = context_object(include_str!("../schemas/contexts/skillpass-v1.jsonld"));
        for (term, def) in &v1 {
            assert_eq!(definitions().get(term), Some(def), "{term}");
        }
    }

    #[test]
    fn definitions_are_the_v1_contexts() {
        let ctx = inline_context(&["learningHours"]);
        assert_eq!(
            ctx["learningHours"]["@id"],
            "https://w3id.org/skillpass/vocab#learningHours"
        );
        assert_eq!(ctx["@protected"], true);
    }
}

//! What a presentation request asks for, in the two query languages wallets read, and whether a
//! presented credential matches it.
//!
//! OpenID4VP 1.0 (§6 and the W3C VC part of its credential-format appendix): a DCQL query with one Credential Query of format `ldp_vc`
//! whose `meta.type_values` lists *fully expanded* type IRIs. A credential's types are therefore
//! matched after JSON-LD expansion of its `type` with its own `@context` ([`expanded_types`]),
//! so `OpenBadgeCredential` and its alias `AchievementCredential` are the same type. A wanted
//! achievement id is also a DCQL claims query with a value (`credentialSubject.achievement.id`).
//!
//! The VC-API (Learner Credential Wallet): a `QueryByExample` whose example names the type and,
//! when one is wanted, the achievement.
//!
//! A minimum level cannot be said in either language; it is checked here on what comes back:
//! the credential's framework level is carried into the asked framework by the recognition
//! engine ([`crate::recognition::map_level`]), and every level it may correspond to must be at
//! least the minimum (a span that reaches below it does not match).

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::contexts::{ContextRegistry, CREDENTIALS_V2, OB_V3P0};
use crate::frameworks::FrameworkRegistry;
use crate::recognition::{self, MappingOutcome};

/// The id of the one Credential Query in our DCQL queries (the key of the `vp_token` object).
pub const CREDENTIAL_QUERY_ID: &str = "openbadge";

/// `VerifiableCredential`, fully expanded.
pub const VC_TYPE_IRI: &str = "https://www.w3.org/2018/credentials#VerifiableCredential";
/// `OpenBadgeCredential` (and its alias `AchievementCredential`), fully expanded.
pub const OB_TYPE_IRI: &str =
    "https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential";

/// Longest text a query field takes.
const MAX_TEXT: usize = 200;

/// What the asker wants to see.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum Wanted {
    /// Any Open Badges 3.0 credential.
    AnyBadge,
    /// One achievement, by its id (an IRI) or by its name (compared ignoring case and spaces
    /// at the ends).
    Achievement {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    },
    /// A credential at `level` of `framework` or above (after recognition into that framework).
    MinimumLevel { framework: String, level: String },
}

/// A request's question: what is wanted, and the framework to recognise the answer into.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Query {
    pub wanted: Wanted,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recognise_into: Option<String>,
}

impl Query {
    /// Checks the query against the framework registry; trims texts; `Err` says what is wrong.
    pub fn validated(mut self, registry: &FrameworkRegistry) -> Result<Query, String> {
        let clean = |s: &mut Option<String>| {
            *s = s
                .as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned);
        };
        match &mut self.wanted {
            Wanted::AnyBadge => {}
            Wanted::Achievement { id, name } => {
                clean(id);
                clean(name);
                if id.is_none() && name.is_none() {
                    return Err("name the achievement: its id or its name".into());
                }
                for text in [id.as_deref(), name.as_deref()].into_iter().flatten() {
                    if text.chars().count() > MAX_TEXT || text.chars().any(char::is_control) {
                        return Err(format!(
                            "an achievement id or name is at most {MAX_TEXT} characters without control characters"
                        ));
                    }
                }
                if let Some(id) = id.as_deref() {
                    if !id.contains(':') || id.contains(char::is_whitespace) {
                        return Err(format!("achievement id {id:?} is not an IRI"));
                    }
                }
            }
            Wanted::MinimumLevel { framework, level } => {
                *framework = framework.trim().to_owned();
                *level = level.trim().to_owned();
                let Some(fw) = registry.framework(framework) else {
                    return Err(format!("unknown framework {framework:?}"));
                };
                if fw.level(level).is_none() {
                    let codes: Vec<&str> = fw.levels.iter().map(|l| l.code.as_str()).collect();
                    return Err(format!(
                        "{framework} has no level {level:?}; its levels are {}",
                        codes.join(", ")
                    ));
                }
            }
        }
        if let Some(into) = &self.recognise_into {
            let into = into.trim();
            if into.is_empty() {
                self.recognise_into = None;
            } else if registry.framework(into).is_none() {
                return Err(format!("unknown framework to recognise into: {into:?}"));
            } else {
                self.recognise_into = Some(into.to_owned());
            }
        }
        Ok(self)
    }

    /// The DCQL query (OpenID4VP 1.0 §6) for this question.
    pub fn dcql(&self) -> Value {
        let mut credential = json!({
            "id": CREDENTIAL_QUERY_ID,
            "format": "ldp_vc",
            "meta": {"type_values": [[VC_TYPE_IRI, OB_TYPE_IRI]]},
        });
        if let Wanted::Achievement { id: Some(id), .. } = &self.wanted {
            credential["claims"] = json!([{
                "path": ["credentialSubject", "achievement", "id"],
                "values": [id],
            }]);
        }
        json!({ "credentials": [credential] })
    }

    /// The VC-API `QueryByExample` for this question.
    pub fn query_by_example(&self, reason: &str) -> Value {
        let mut example = json!({
            "@context": [CREDENTIALS_V2, OB_V3P0],
            "type": "OpenBadgeCredential",
        });
        if let Wanted::Achievement { id, name } = &self.wanted {
            let mut achievement = serde_json::Map::new();
            if let Some(id) = id {
                achievement.insert("id".into(), json!(id));
            }
            if let Some(name) = name {
                achievement.insert("name".into(), json!(name));
            }
            example["credentialSubject"] = json!({ "achievement": achievement });
        }
        json!({
            "type": "QueryByExample",
            "credentialQuery": {
                "reason": reason,
                "example": example,
            }
        })
    }

    /// Whether `vc` answers this question; `Err` gives the reasons it does not.
    pub fn matches(
        &self,
        vc: &Value,
        contexts: &ContextRegistry,
        registry: &FrameworkRegistry,
    ) -> Result<(), Vec<String>> {
        let mut reasons = Vec::new();
        match expanded_types(vc, contexts) {
            Ok(types) => {
                if !types.iter().any(|t| t == VC_TYPE_IRI)
                    || !types.iter().any(|t| t == OB_TYPE_IRI)
                {
                    reasons.push(format!(
                        "it is not an Open Badges 3.0 credential (its types are {})",
                        types.join(", ")
                    ));
                }
            }
            Err(why) => reasons.push(format!("its types cannot be read: {why}")),
        }
        let achievement = subject(vc).and_then(|s| s.get("achievement"));
        match &self.wanted {
            Wanted::AnyBadge => {}
            Wanted::Achievement { id, name } => {
                let their_id = achievement
                    .and_then(|a| a.get("id"))
                    .and_then(Value::as_str);
                let their_name = achievement
                    .and_then(|a| a.get("name"))
                    .and_then(Value::as_str);
                let id_ok = id.as_deref().is_none_or(|want| their_id == Some(want));
                let name_ok = name.as_deref().is_none_or(|want| {
                    their_name.is_some_and(|n| n.trim().to_lowercase() == want.to_lowercase())
                });
                if !id_ok {
                    reasons.push(format!(
                        "it is for achievement {}, not {}",
                        their_id.unwrap_or("(no id)"),
                        id.as_deref().unwrap_or_default()
                    ));
                }
                if !name_ok {
                    reasons.push(format!(
                        "it is for {:?}, not {:?}",
                        their_name.unwrap_or("(no name)"),
                        name.as_deref().unwrap_or_default()
                    ));
                }
            }
            Wanted::MinimumLevel { framework, level } => {
                if let Err(why) = level_at_least(achievement, framework, level, registry) {
                    reasons.push(why);
                }
            }
        }
        if reasons.is_empty() {
            Ok(())
        } else {
            Err(reasons)
        }
    }
}

/// The credential's first subject.
fn subject(vc: &Value) -> Option<&Value> {
    match vc.get("credentialSubject") {
        Some(Value::Array(items)) => items.first(),
        other => other,
    }
}

/// Whether the achievement's level, carried into `framework`, is `minimum` or above.
fn level_at_least(
    achievement: Option<&Value>,
    framework: &str,
    minimum: &str,
    registry: &FrameworkRegistry,
) -> Result<(), String> {
    let Some((from, code)) = achievement.and_then(crate::credential::framework_level) else {
        return Err("it states no framework level".into());
    };
    let fw = registry
        .framework(framework)
        .ok_or_else(|| format!("unknown framework {framework}"))?;
    let min_rank = fw
        .level_rank(minimum)
        .ok_or_else(|| format!("{framework} has no level {minimum}"))?;
    let mapping =
        recognition::map_level(registry, &from, &code, framework).map_err(|e| e.to_string())?;
    if mapping.outcome == MappingOutcome::NoPath || mapping.levels.is_empty() {
        let why = mapping
            .missing
            .as_ref()
            .map(|m| m.message.clone())
            .unwrap_or_else(|| "no correspondence is published".into());
        return Err(format!(
            "its level {from} {code} cannot be placed in {framework}: {why}"
        ));
    }
    let lowest = mapping
        .levels
        .iter()
        .filter_map(|l| fw.level_rank(&l.code).map(|r| (r, l.code.as_str())))
        .min();
    match lowest {
        Some((rank, _)) if rank >= min_rank => Ok(()),
        Some((_, code_there)) => Err(format!(
            "its level {from} {code} corresponds to {framework} {}, below the minimum {framework} {minimum}",
            if mapping.levels.len() > 1 {
                format!("{} (at the lowest)", code_there)
            } else {
                code_there.to_owned()
            }
        )),
        None => Err(format!(
            "its level {from} {code} cannot be placed in {framework}"
        )),
    }
}

/// The fully expanded IRIs of `vc.type`, by JSON-LD expansion with the credential's own
/// `@context` (bundled contexts only, as the verifier).
pub fn expanded_types(vc: &Value, contexts: &ContextRegistry) -> Result<Vec<String>, String> {
    let doc = json!({
        "@context": vc.get("@context").cloned().unwrap_or(Value::Null),
        "type": vc.get("type").cloned().unwrap_or(Value::Null),
    });
    let expanded = crate::jsonld::expand(&doc, contexts, &crate::jsonld::Options::default())
        .map_err(|e| e.to_string())?;
    let types = expanded
        .as_array()
        .and_then(|nodes| nodes.first())
        .and_then(|node| node.get("@type"))
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    Ok(types)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn badge(level: Option<(&str, &str)>) -> Value {
        let mut achievement = json!({
            "id": "https://example.edu/achievements/nev",
            "type": ["Achievement"],
            "name": "NEV After-Sales Service",
        });
        if let Some((fw, code)) = level {
            achievement["alignment"] = json!([{
                "type": ["Alignment"],
                "targetType": "ext:FrameworkLevel",
                "targetFramework": fw,
                "targetCode": code,
                "targetName": "level",
                "targetUrl": "https://example.edu/fw",
            }]);
        }
        json!({
            "@context": [CREDENTIALS_V2, OB_V3P0],
            "type": ["VerifiableCredential", "AchievementCredential"],
            "credentialSubject": {"type": ["AchievementSubject"], "achievement": achievement},
        })
    }

    fn registry() -> &'static FrameworkRegistry {
        FrameworkRegistry::bundled()
    }

    #[test]
    fn types_are_matched_expanded_so_the_alias_counts() {
        let contexts = ContextRegistry::bundled();
        let types = expanded_types(&badge(None), &contexts).unwrap();
        assert!(types.contains(&OB_TYPE_IRI.to_owned()), "{types:?}");
        let q = Query {
            wanted: Wanted::AnyBadge,
            recognise_into: None,
        };
        assert!(q.matches(&badge(None), &contexts, registry()).is_ok());
        let mut plain = badge(None);
        plain["type"] = json!(["VerifiableCredential"]);
        let reasons = q.matches(&plain, &contexts, registry()).unwrap_err();
        assert!(reasons[0].contains("not an Open Badges"), "{reasons:?}");
    }

    #[test]
    fn achievements_match_by_id_or_name() {
        let contexts = ContextRegistry::bundled();
        let by_name = Query {
            wanted: Wanted::Achievement {
                id: None,
                name: Some("nev after-sales service".into()),
            },
            recognise_into: None,
        };
        assert!(by_name.matches(&badge(None), &contexts, registry()).is_ok());
        let other = Query {
            wanted: Wanted::Achievement {
                id: Some("https://example.edu/achievements/other".into()),
                name: None,
            },
            recognise_into: None,
        };
        assert!(other.matches(&badge(None), &contexts, registry()).is_err());
        assert_eq!(
            other.dcql()["credentials"][0]["claims"][0]["values"][0],
            "https://example.edu/achievements/other"
        );
    }

    #[test]
    fn a_minimum_level_is_checked_after_recognition() {
        let contexts = ContextRegistry::bundled();
        let eqf = |level: &str| Query {
            wanted: Wanted::MinimumLevel {
                framework: "EQF".into(),
                level: level.into(),
            },
            recognise_into: None,
        };
        let vc = badge(Some(("EQF", "4")));
        assert!(eqf("4").matches(&vc, &contexts, registry()).is_ok());
        assert!(eqf("3").matches(&vc, &contexts, registry()).is_ok());
        let reasons = eqf("5").matches(&vc, &contexts, registry()).unwrap_err();
        assert!(reasons[0].contains("below the minimum"), "{reasons:?}");
        let none = eqf("1").matches(&badge(None), &contexts, registry());
        assert!(none.unwrap_err()[0].contains("no framework level"));
    }

    #[test]
    fn queries_are_validated() {
        let bad_level = Query {
            wanted: Wanted::MinimumLevel {
                framework: "EQF".into(),
                level: "42".into(),
            },
            recognise_into: None,
        };
        assert!(bad_level.validated(registry()).is_err());
        let empty = Query {
            wanted: Wanted::Achievement {
                id: Some("  ".into()),
                name: None,
            },
            recognise_into: None,
        };
        assert!(empty.validated(registry()).is_err());
        let unknown_target = Query {
            wanted: Wanted::AnyBadge,
            recognise_into: Some("NOPE".into()),
        };
        assert!(unknown_target.validated(registry()).is_err());
    }
}

//! Recognition reasons, conditions and outcomes in the reader's language, for the pages people
//! read (the employer page, the share page, the request answer page).
//!
//! The recognition engine ([`crate::decision`]) writes every reason as one English sentence:
//! that is what the API answers and what the decision credential signs, and it stays so. Each
//! reason also carries its finding code and the sentence's variable parts
//! ([`crate::decision::Reason::arguments`]); a page writes it from the message
//! `reason-{finding}` of `locales/<tag>/recognition.ftl` with those arguments. When the
//! language is English, or the finding has no message (a code this node does not know), or an
//! argument the message needs is missing (a decision credential carries no arguments), the
//! English sentence is shown, marked as English.

use std::collections::BTreeMap;

use super::{messages, Arg, Lang};
use crate::decision::{Decision, Effect, Outcome, Reason};

/// A sentence and the language it is in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Said {
    pub text: String,
    /// The reader's language, or English when the sentence fell back.
    pub lang: Lang,
}

/// Reason `finding` with `arguments` in `lang`, else `english` (see the module doc).
pub fn reason(
    lang: Lang,
    finding: &str,
    arguments: &BTreeMap<String, String>,
    english: &str,
) -> Said {
    let fallback = || Said {
        text: english.to_owned(),
        lang: Lang::En,
    };
    let known = !finding.is_empty()
        && finding
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if lang == Lang::En || !known {
        return fallback();
    }
    let id = format!("reason-{finding}");
    let args: Vec<(&str, Arg)> = arguments
        .iter()
        .map(|(name, value)| {
            let arg = match (name.as_str(), value.parse::<u64>()) {
                // Plural forms select on a number.
                ("count" | "n", Ok(n)) => Arg::from(n),
                _ => Arg::from(value.as_str()),
            };
            (name.as_str(), arg)
        })
        .collect();
    // `None` for a message no language has, and for one missing an argument it needs.
    match messages::try_text(lang, &id, &args) {
        Some(text) if !text.contains("{$") => Said { text, lang },
        _ => fallback(),
    }
}

/// One reason of a decision in `lang`.
pub fn decision_reason(lang: Lang, r: &Reason) -> Said {
    reason(lang, &r.finding.code(), &r.arguments, &r.sentence)
}

/// The conditions of a decision (its `condition` reasons) in `lang`.
pub fn conditions(lang: Lang, d: &Decision) -> Vec<Said> {
    d.reasons
        .iter()
        .filter(|r| r.effect == Effect::Condition)
        .map(|r| decision_reason(lang, r))
        .collect()
}

/// What a level/credit assessment says, sentence by sentence, in `lang`: in English its own
/// explanation; otherwise the level and workload reasons the engine draws from it
/// ([`crate::decision::assessment_reasons`]), each in `lang` where it has a message.
pub fn assessment(lang: Lang, a: &crate::recognition::Assessment) -> Vec<Said> {
    if lang == Lang::En {
        return a
            .explanation
            .iter()
            .map(|text| Said {
                text: text.clone(),
                lang,
            })
            .collect();
    }
    crate::decision::assessment_reasons(a)
        .iter()
        .map(|r| decision_reason(lang, r))
        .collect()
}

/// The outcome in one sentence in `lang`: `outcome` as written in JSON, `receiving` the
/// receiving framework's id, `conditions` how many; `None` for an outcome this node does not
/// know.
pub fn outcome_sentence(
    lang: Lang,
    outcome: &str,
    receiving: &str,
    conditions: usize,
) -> Option<String> {
    let receiving = ("receiving", Arg::from(receiving));
    let text = match outcome {
        "recognised" => lang.t_args("recognition-summary-recognised", &[receiving]),
        "recognised-with-conditions" => lang.t_args(
            "recognition-summary-with-conditions",
            &[receiving, ("n", Arg::from(conditions as u64))],
        ),
        "cannot-be-decided-automatically" => {
            lang.t_args("recognition-summary-undecided", &[receiving])
        }
        "not-recognised" => lang.t_args("recognition-summary-not-recognised", &[receiving]),
        _ => return None,
    };
    Some(text)
}

/// A decision's summary in `lang`; in English, the engine's own summary.
pub fn summary(lang: Lang, d: &Decision) -> Said {
    if lang == Lang::En {
        return Said {
            text: d.summary.clone(),
            lang,
        };
    }
    let n = d
        .reasons
        .iter()
        .filter(|r| r.effect == Effect::Condition)
        .count();
    let outcome = match d.outcome {
        Outcome::Recognised => "recognised",
        Outcome::RecognisedWithConditions => "recognised-with-conditions",
        Outcome::CannotBeDecidedAutomatically => "cannot-be-decided-automatically",
        Outcome::NotRecognised => "not-recognised",
    };
    match outcome_sentence(lang, outcome, &d.receiving_framework, n) {
        Some(text) => Said { text, lang },
        None => Said {
            text: d.summary.clone(),
            lang: Lang::En,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn a_mapping_reads_in_thai_and_an_unknown_code_in_english() {
        let mapped = args(&[
            ("from", "MQF level 4"),
            ("to", "TH-VOC level diploma"),
            ("path", "MQF → AQRF → TH-VOC"),
        ]);
        let said = reason(
            Lang::Th,
            "level-mapped",
            &mapped,
            "MQF level 4 corresponds to …",
        );
        assert_eq!(said.lang, Lang::Th);
        assert_eq!(
            said.text,
            "MQF level 4 เทียบเท่ากับ TH-VOC level diploma (การเทียบโยง MQF → AQRF → TH-VOC)"
        );
        // In English: the engine's sentence as it is.
        let said = reason(Lang::En, "level-mapped", &mapped, "The engine's sentence.");
        assert_eq!(said.text, "The engine's sentence.");
        // A code this node does not know, a malformed one, a missing argument: English.
        for (code, given) in [
            ("level-teleported", &mapped),
            ("Level Mapped", &mapped),
            ("level-mapped", &args(&[("from", "MQF level 4")])),
        ] {
            let said = reason(Lang::Km, code, given, "English sentence.");
            assert_eq!(
                said,
                Said {
                    text: "English sentence.".into(),
                    lang: Lang::En
                },
                "{code}"
            );
        }
        // Plurals select on the number.
        let one = reason(
            Lang::En,
            "learning-outcomes-stated",
            &args(&[("count", "1"), ("codes", "A")]),
            "x",
        );
        assert_eq!(one.text, "x");
        let ms = reason(
            Lang::Ms,
            "learning-outcomes-stated",
            &args(&[("count", "3"), ("codes", "A, B, C")]),
            "x",
        );
        assert_eq!(
            ms.text,
            "Kelayakan menyatakan 3 hasil pembelajaran (A, B, C) untuk dibandingkan dengan program penerima."
        );
    }

    #[test]
    fn every_finding_has_a_message_that_takes_its_arguments() {
        use crate::decision::Finding::*;
        let all = [
            Authentic,
            Altered,
            SignatureInvalid,
            Malformed,
            Revoked,
            Suspended,
            Expired,
            NotYetValid,
            StatusUnverifiable,
            PresentationInvalid,
            NoCredential,
            IssuerAccredited,
            AccreditationProvisional,
            IssuerUnknown,
            AccreditationLapsed,
            RegistryUnavailable,
            QualityAssuranceNotChecked,
            LevelSameFramework,
            LevelMapped,
            LevelSpan,
            LevelNoPath,
            LevelNotStated,
            ReferencingProvisional,
            ReferencingExample,
            CreditsSameSystem,
            CreditsConverted,
            CreditsRange,
            CreditsProvisionalRule,
            CreditsNotConvertible,
            CreditsNotStated,
            LearningOutcomesStated,
            LearningOutcomesMissing,
            ProfileStated,
            ProfileNotStated,
        ];
        // Every argument the engine may give, with a value.
        let every = args(&[
            ("awarded", "3"),
            ("check", "proof"),
            ("claimed", "4"),
            ("claimed_system", "MQF"),
            ("codes", "A"),
            ("count", "2"),
            ("details", "d"),
            ("field", "f"),
            ("from", "x"),
            ("hours", "80"),
            ("issuer", "did:x"),
            ("kind", "schema"),
            ("levels", "4 / 5"),
            ("links", "A ↔ B"),
            ("name", "n"),
            ("path", "A → B"),
            ("presented", "no"),
            ("range", "2–3"),
            ("receiving", "EQF"),
            ("rule", "conservative"),
            ("status", "checked"),
            ("system", "ECTS"),
            ("to", "EQF level 4"),
        ]);
        for finding in all {
            for lang in Lang::ALL {
                let said = reason(lang, &finding.code(), &every, "ENGLISH");
                if lang != Lang::En {
                    assert_eq!(said.lang, lang, "{lang} {}: {}", finding.code(), said.text);
                    assert!(!said.text.contains('{'), "{lang} {}", finding.code());
                }
            }
        }
    }

    #[test]
    fn outcomes_read_in_every_language() {
        for lang in Lang::ALL {
            for outcome in [
                "recognised",
                "recognised-with-conditions",
                "cannot-be-decided-automatically",
                "not-recognised",
            ] {
                let text = outcome_sentence(lang, outcome, "TH-VOC", 2).unwrap();
                assert!(
                    text.contains("TH-VOC") && !text.contains('{'),
                    "{lang} {text}"
                );
            }
            assert_eq!(outcome_sentence(lang, "maybe", "TH-VOC", 0), None);
        }
        assert_eq!(
            outcome_sentence(Lang::Th, "recognised-with-conditions", "TH-VOC", 2).unwrap(),
            "รับรองใน TH-VOC โดยมีเงื่อนไข 2 ข้อ"
        );
    }
}

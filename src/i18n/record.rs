//! The record checks' problems in the reader's language, for the console's pages (the issue
//! form, the upload's table of row errors).
//!
//! The checks ([`crate::record`], [`crate::schema`], [`crate::batch`]) write every problem as
//! an English sentence, which the API answers and the CLI prints, and it stays so. Each problem
//! also carries its kind and the sentence's variable parts ([`crate::schema::Violation::kind`]
//! and `args`); a page writes it from the message `record-{kind}` of
//! `locales/<tag>/record.ftl` with those arguments (`record-{kind}-like` when the check found
//! a code that differs only in case, the `like` argument). Values, codes and lists of valid
//! codes are data and go into the sentence as they are. When the language is English, the
//! problem has no kind, the kind has no message (a check newer than the messages) or an
//! argument the message needs is missing, the English sentence is shown.

use super::{messages, Arg, Lang};

/// Problem `kind` with `args` in `lang`, else `english` (see the module doc).
pub fn problem(lang: Lang, kind: &str, args: &[(&str, String)], english: &str) -> String {
    let known = !kind.is_empty()
        && kind
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if lang == Lang::En || !known {
        return english.to_owned();
    }
    let like = args.iter().any(|(n, v)| *n == "like" && !v.is_empty());
    let id = if like {
        format!("record-{kind}-like")
    } else {
        format!("record-{kind}")
    };
    let args: Vec<(&str, Arg)> = args
        .iter()
        .map(|(name, value)| {
            let arg = match (*name, value.parse::<u64>()) {
                // Plural forms select on a number.
                ("count" | "limit" | "row" | "cells" | "header" | "bytes" | "max", Ok(n)) => {
                    Arg::from(n)
                }
                _ => Arg::from(value.as_str()),
            };
            (*name, arg)
        })
        .collect();
    match messages::try_text(lang, &id, &args) {
        Some(text) if !text.contains("{$") => text,
        _ => english.to_owned(),
    }
}

/// A violation of the record checks in `lang`: its problem, without its path.
pub fn violation(lang: Lang, v: &crate::schema::Violation) -> String {
    problem(lang, v.kind, &v.args, &v.message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(pairs: &[(&str, &str)]) -> Vec<(&'static str, String)> {
        pairs
            .iter()
            .map(|(n, v)| {
                let n: &'static str = Box::leak(n.to_string().into_boxed_str());
                (n, v.to_string())
            })
            .collect()
    }

    #[test]
    fn a_level_not_in_the_framework_in_thai_and_khmer_keeps_the_codes() {
        let a = args(&[
            ("code", "Associate"),
            ("framework", "CN-VOC"),
            ("like", "associate"),
            ("levels", "secondary, associate, bachelor"),
        ]);
        let th = problem(Lang::Th, "level-unknown", &a, "english");
        assert!(th.contains("Associate") && th.contains("CN-VOC"), "{th}");
        assert!(th.contains("secondary, associate, bachelor"), "{th}");
        assert!(th.contains("ระดับ"), "{th}");
        let km = problem(Lang::Km, "level-unknown", &a, "english");
        assert!(km.contains("secondary, associate, bachelor"), "{km}");
        assert!(km.contains("កម្រិត"), "{km}");
        // Without the case hint, the shorter message.
        let plain = args(&[("code", "9"), ("framework", "MQF"), ("levels", "1, 2")]);
        let th2 = problem(Lang::Th, "level-unknown", &plain, "english");
        assert!(!th2.contains("associate") && th2.contains("1, 2"), "{th2}");
    }

    /// Every problem the checks find in a badly filled record has its message in every
    /// language, and the message takes the arguments the check gives.
    #[test]
    fn the_checks_problems_read_in_every_language() {
        use serde_json::json;
        let bad = |f: &dyn Fn(&mut serde_json::Value)| {
            let mut v = json!({
                "recordId": "has space",
                "learner": {"name": " Malee", "identifier": {"value": "", "scheme": "student number"}},
                "achievement": {
                    "name": "   ",
                    "description": "Robots.",
                    "learningOutcomes": [{"code": "A", "statement": "a"}, {"code": "A", "statement": "b"}],
                    "fieldOfStudy": "0217",
                    "level": {"framework": "CN-VOC", "code": "Associate"},
                    "credits": {"value": 1.005, "system": "CN-credit"},
                    "learningHours": "54",
                    "achievementType": "Diplomma",
                    "humanCode": " NEV3104",
                    "translations": {"TH": {"name": "x"}},
                },
                "awardedDate": "11/07/2025",
                "validUntil": "2025-07-11",
                "issuer": {"name": "X", "url": "www.x.edu", "country": "China", "email": "x at y"},
                "grade": "B+",
            });
            f(&mut v);
            match crate::record::parse_record(&v) {
                Err(crate::record::RecordError::Invalid(found)) => found,
                other => panic!("{other:?}"),
            }
        };
        let mut found = bad(&|_| {});
        found.extend(bad(&|v| {
            v["achievement"]["level"] = json!({"framework": "mqf", "code": "4"});
            v["achievement"]["credits"]["value"] = json!(-1);
            v["awardedDate"] = json!("2025-07-11");
            v["validUntil"] = json!("2025-07-10");
            v["learner"] = json!({"name": "Malee"});
        }));
        let tag = found
            .iter()
            .find(|v| v.kind == "language-tag")
            .expect("the translation's bad tag");
        assert_eq!(tag.path, "/achievement/translations/TH");
        assert_eq!(
            tag.message,
            "\"TH\" is not a language tag such as th, km, zh-Hans or pt-BR"
        );
        let kinds: std::collections::BTreeSet<&str> = found.iter().map(|v| v.kind).collect();
        for kind in [
            "required",
            "not-allowed",
            "not-in-list",
            "one-of",
            "blank",
            "spaces-around",
            "too-short",
            "ascii-word",
            "country-code",
            "web-address",
            "date-time",
            "single-word",
            "email",
            "type",
            "minimum",
            "framework-unknown",
            "level-unknown",
            "decimals",
            "duplicate-outcome-code",
            "not-after-award",
            "language-tag",
        ] {
            assert!(kinds.contains(kind), "no {kind} among {found:#?}");
        }
        for v in &found {
            if v.kind.is_empty() {
                continue;
            }
            for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::En) {
                let said = violation(lang, v);
                assert_ne!(said, v.message, "{lang} {} {:?}", v.kind, v.args);
                assert!(!said.contains("{$"), "{said}");
            }
        }
    }

    #[test]
    fn english_unknown_kinds_and_missing_arguments_fall_back() {
        let a = args(&[("code", "9"), ("framework", "MQF"), ("levels", "1, 2")]);
        assert_eq!(
            problem(Lang::En, "level-unknown", &a, "the english"),
            "the english"
        );
        assert_eq!(
            problem(Lang::Th, "no-such-kind", &a, "the english"),
            "the english"
        );
        assert_eq!(problem(Lang::Th, "", &a, "the english"), "the english");
        assert_eq!(
            problem(Lang::Th, "Bad Kind", &a, "the english"),
            "the english"
        );
        assert_eq!(
            problem(Lang::Km, "level-unknown", &[], "the english"),
            "the english"
        );
        assert_ne!(
            problem(Lang::Km, "required", &[], "the english"),
            "the english"
        );
    }
}

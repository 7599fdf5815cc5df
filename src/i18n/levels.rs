//! Framework level names in the reader's language, for every page that shows a level to a
//! person (employer page, passport, share card, certificate, console, request answer).
//!
//! The framework data (`schemas/frameworks/*.json`) names each level in English. Two kinds:
//! - a generic name, `<short name> level <code>` (optionally followed by ` (example)`), e.g.
//!   `MQF level 4`: shown through the message `level-generic` (and `level-example`), so each
//!   language words it once for every framework;
//! - a real name (`Certificate in Vocational Education`): shown through the message
//!   `level-<framework>-<code>` in `locales/<tag>/levels.ftl`, whose English text equals the
//!   data's name (a test checks it).
//!
//! A level with neither (a framework loaded at run time) is shown with the data's name.
//! Signed credentials and the JSON API keep the data's name: this is for display only.

use super::{messages, Arg, Lang};

/// The parts of a generic name: its framework short name and whether it is marked an example.
fn generic<'a>(name: &'a str, code: &str) -> Option<(&'a str, bool)> {
    let (rest, example) = match name.strip_suffix(" (example)") {
        Some(rest) => (rest, true),
        None => (name, false),
    };
    let (short, level) = rest.split_once(" level ")?;
    let well_formed = !short.is_empty() && !short.contains(char::is_whitespace);
    (well_formed && level == code).then_some((short, example))
}

/// The message id of a level with a real name.
pub fn message_id(framework: &str, code: &str) -> String {
    format!("level-{framework}-{code}")
}

/// Whether the data's `name` for level `code` is a generic one (`MQF level 4`).
pub fn is_generic(name: &str, code: &str) -> bool {
    generic(name, code).is_some()
}

/// Level `code` of `framework`, whose name in the data is `english`, named in `lang`.
pub fn level_name(lang: Lang, framework: &str, code: &str, english: &str) -> String {
    if let Some((short, example)) = generic(english, code) {
        let plain = messages::text(
            lang,
            "level-generic",
            &[("framework", Arg::from(short)), ("level", Arg::from(code))],
        );
        if !example {
            return plain;
        }
        return messages::text(lang, "level-example", &[("name", Arg::from(plain))]);
    }
    let id = message_id(framework, code);
    if messages::has(Lang::En, &id) {
        return messages::text(lang, &id, &[]);
    }
    english.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frameworks::FrameworkRegistry;

    #[test]
    fn generic_names_follow_one_pattern_per_language() {
        assert_eq!(
            level_name(Lang::En, "MQF", "4", "MQF level 4"),
            "MQF level 4"
        );
        assert_eq!(
            level_name(Lang::Th, "MQF", "4", "MQF level 4"),
            "MQF ระดับ 4"
        );
        assert_eq!(
            level_name(Lang::ZhHans, "MQF", "4", "MQF level 4"),
            "MQF 4 级"
        );
        assert_eq!(
            level_name(Lang::En, "KH-CQF", "2", "CQF level 2 (example)"),
            "CQF level 2 (example)"
        );
        assert_eq!(
            level_name(Lang::Ms, "KH-CQF", "2", "CQF level 2 (example)"),
            "CQF tahap 2 (contoh)"
        );
        // Not generic: the number is not the level's code, or the short name has a space.
        assert!(!is_generic("MQF level 5", "4"));
        assert!(!is_generic("Some thing level 4", "4"));
        assert!(!is_generic("Diploma", "4"));
    }

    #[test]
    fn real_names_have_a_message_and_english_equals_the_data() {
        let registry = FrameworkRegistry::bundled();
        let mut real = 0;
        for framework in registry.frameworks() {
            for level in &framework.levels {
                let shown_en = level_name(Lang::En, &framework.id, &level.code, &level.name);
                assert_eq!(shown_en, level.name, "{} {}", framework.id, level.code);
                if is_generic(&level.name, &level.code) {
                    continue;
                }
                real += 1;
                let id = message_id(&framework.id, &level.code);
                assert_eq!(messages::text(Lang::En, &id, &[]), level.name, "{id}");
                for lang in Lang::ALL {
                    assert!(messages::has(lang, &id), "{id} missing in {lang}");
                }
            }
        }
        assert!(real > 0);
    }

    #[test]
    fn official_names_in_the_frameworks_own_language() {
        let th = level_name(
            Lang::Th,
            "TH-VOC",
            "certificate",
            "Certificate in Vocational Education",
        );
        assert_eq!(th, "ประกาศนียบัตรวิชาชีพ (ปวช.)");
        let zh = level_name(Lang::ZhHans, "CN-1X", "junior", "Junior (chuji)");
        assert_eq!(zh, "初级");
        // A level the messages do not know keeps the data's name.
        assert_eq!(level_name(Lang::Th, "XX", "1", "Something"), "Something");
    }
}

//! The message files: `locales/<tag>/*.ftl` (Fluent), embedded at compile time, one bundle per
//! language. English is the fallback for a message a language lacks at run time; the test
//! `tests/i18n.rs` fails when a language lacks a message or a message is no longer used.
//!
//! Messages are formatted without Unicode isolation marks around arguments: pages isolate
//! values from credentials themselves (in `<bdi>`), and every language here is written left to
//! right.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};

use super::Lang;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// Parsed identifiers of [`Lang::ALL`], in that order.
static IDS: LazyLock<Vec<LanguageIdentifier>> = LazyLock::new(|| {
    Lang::ALL
        .iter()
        .map(|l| l.tag().parse().expect("a valid language tag"))
        .collect()
});

fn langid(lang: Lang) -> &'static LanguageIdentifier {
    let i = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
    &IDS[i]
}

/// An argument of a message.
#[derive(Clone, Debug, PartialEq)]
pub enum Arg<'a> {
    /// Text, inserted as it is.
    Str(Cow<'a, str>),
    /// A number: selects plural forms (`[one]`, `*[other]`), written in plain digits.
    Num(f64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Str(Cow::Borrowed(s))
    }
}

impl From<String> for Arg<'_> {
    fn from(s: String) -> Self {
        Arg::Str(Cow::Owned(s))
    }
}

impl From<u64> for Arg<'_> {
    fn from(n: u64) -> Self {
        Arg::Num(n as f64)
    }
}

impl From<i64> for Arg<'_> {
    fn from(n: i64) -> Self {
        Arg::Num(n as f64)
    }
}

impl From<u32> for Arg<'_> {
    fn from(n: u32) -> Self {
        Arg::Num(f64::from(n))
    }
}

impl From<f64> for Arg<'_> {
    fn from(n: f64) -> Self {
        Arg::Num(n)
    }
}

/// Message `id` in `lang` with `args`; English when `lang` lacks it; the id itself (and an
/// error in the log) when no language has it.
pub fn text(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    let map: Option<HashMap<Cow<'static, str>, FluentValue>> = if args.is_empty() {
        None
    } else {
        Some(
            args.iter()
                .map(|(name, value)| {
                    let v = match value {
                        Arg::Str(s) => FluentValue::from(s.to_string()),
                        Arg::Num(n) => FluentValue::from(*n),
                    };
                    (Cow::Owned((*name).to_owned()), v)
                })
                .collect(),
        )
    };
    match LOCALES.try_lookup_complete(langid(lang), id, map.as_ref()) {
        Some(s) => s,
        None => {
            tracing::error!(message = id, lang = lang.tag(), "no such message");
            id.to_owned()
        }
    }
}

/// Message `id` in `lang` with `args` (English when `lang` lacks it); `None`, without a log
/// line, when no language has it or an argument it needs is missing.
pub fn try_text(lang: Lang, id: &str, args: &[(&str, Arg)]) -> Option<String> {
    let map: HashMap<Cow<'static, str>, FluentValue> = args
        .iter()
        .map(|(name, value)| {
            let v = match value {
                Arg::Str(s) => FluentValue::from(s.to_string()),
                Arg::Num(n) => FluentValue::from(*n),
            };
            (Cow::Owned((*name).to_owned()), v)
        })
        .collect();
    LOCALES.try_lookup_complete(langid(lang), id, Some(&map))
}

/// Whether `lang`'s own file has message `id` (without falling back to English). For messages
/// without arguments only: looked up without its arguments, a message that takes some reads
/// as absent (use [`try_text`] with them).
pub fn has(lang: Lang, id: &str) -> bool {
    LOCALES
        .lookup_single_language::<&str>(langid(lang), id, None)
        .is_ok()
}

/// Message `id` as a pattern with `{name}` placeholders for each of `names`, for the pages'
/// sentence helper, which fills them with values isolated in `<bdi>`: `{ $issuer }` in the
/// file comes out as `{issuer}`.
pub fn pattern(lang: Lang, id: &str, names: &[&str]) -> String {
    let placeholders: Vec<String> = names.iter().map(|n| format!("{{{n}}}")).collect();
    let args: Vec<(&str, Arg)> = names
        .iter()
        .zip(&placeholders)
        .map(|(n, p)| (*n, Arg::from(p.as_str())))
        .collect();
    text(lang, id, &args)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn looks_up_with_arguments_and_plurals() {
        assert_eq!(text(Lang::En, "lang-switch-label", &[]), "Language");
        assert_eq!(
            text(Lang::En, "age-minutes", &[("n", Arg::from(1u64))]),
            "1 minute"
        );
        assert_eq!(
            text(Lang::En, "age-minutes", &[("n", Arg::from(5u64))]),
            "5 minutes"
        );
        assert_eq!(
            text(Lang::Th, "age-minutes", &[("n", Arg::from(5u64))]),
            "5 นาที"
        );
    }

    #[test]
    fn a_missing_message_is_its_id() {
        assert_eq!(text(Lang::Km, "no-such-message", &[]), "no-such-message");
        assert!(!has(Lang::Km, "no-such-message"));
        assert!(has(Lang::Km, "lang-switch-label"));
    }

    #[test]
    fn pattern_keeps_placeholders() {
        assert_eq!(
            pattern(Lang::En, "date-time", &["date", "time"]),
            "{date}, {time} UTC"
        );
    }
}

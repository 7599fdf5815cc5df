//! The reader's language: which one a page is written in, and its words.
//!
//! Every human-facing text of the service lives in Fluent message files, one folder per
//! language under `locales/` (`locales/th/employer.ftl`, …), embedded in the binary at compile
//! time (see [`messages`]). A page never holds a sentence of its own: it asks for a message id.
//!
//! ## Which language a page is in
//! [`negotiate`] picks the first that the service has, in this order:
//! 1. `?lang=` in the URL (the language switch on every page sets it);
//! 2. the `lang` cookie (set when the reader picked a language with the switch);
//! 3. the browser's `Accept-Language`, in the order of its q-values;
//! 4. the issuer's default: the language of the institution's country ([`Lang::for_country`]);
//! 5. English.
//!
//! A tag matches by its language subtag (`th-TH` is Thai, `ms-MY` and `ms-BN` Malay); any
//! Chinese (`zh`, `zh-CN`, `zh-TW`, `zh-Hant`) gets Simplified Chinese, the only Chinese the
//! service has.
//!
//! ## Using it in a page
//! - the handler takes `crate::http::lang::ReaderLang` (an axum extractor), then calls
//!   `reader.negotiate(issuer_default)` for a [`Lang`];
//! - the template gets the [`Lang`] and a [`LangSwitch`] ([`LangSwitch::new`]) and writes
//!   `<html lang="{{ lang.tag() }}">`, `{{ lang.t("message-id") }}` and
//!   `{% include "i18n/switch.html" %}` (see docs/LANGUAGES.md).
//!
//! Plural rules come from Fluent (CLDR): a message selects on a number argument passed as
//! [`Arg::Num`], e.g. `{ $n -> [one] … *[other] … }`.

pub mod countries;
pub mod date;
pub mod levels;
pub mod messages;
mod negotiate;
pub mod recognition;
pub mod record;
mod switch;

pub use messages::Arg;
pub use negotiate::{negotiate, parse_accept_language, Requested};
pub use switch::{LangSwitch, SwitchLink};

/// A language of the service: the alliance's colleges, learners and employers read these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    /// English.
    En,
    /// Chinese in simplified characters.
    ZhHans,
    /// Thai.
    Th,
    /// Lao.
    Lo,
    /// Malay.
    Ms,
    /// Khmer.
    Km,
}

impl Lang {
    /// Every language, in the order of the language switch.
    pub const ALL: [Lang; 6] = [
        Lang::En,
        Lang::ZhHans,
        Lang::Th,
        Lang::Lo,
        Lang::Ms,
        Lang::Km,
    ];

    /// The BCP 47 tag: the `lang` attribute, the `?lang=` value and the `locales/` folder name.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhHans => "zh-Hans",
            Lang::Th => "th",
            Lang::Lo => "lo",
            Lang::Ms => "ms",
            Lang::Km => "km",
        }
    }

    /// The language's name in itself, for the language switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::ZhHans => "简体中文",
            Lang::Th => "ไทย",
            Lang::Lo => "ລາວ",
            Lang::Ms => "Bahasa Melayu",
            Lang::Km => "ខ្មែរ",
        }
    }

    /// The language a BCP 47 tag asks for, matched by its language subtag (case-insensitive):
    /// `th-TH` → Thai, `zh-CN` → Simplified Chinese. `None` for a language the service lacks.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let tag = tag.trim();
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        match primary.to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "zh" => Some(Lang::ZhHans),
            "th" => Some(Lang::Th),
            "lo" => Some(Lang::Lo),
            "ms" => Some(Lang::Ms),
            "km" => Some(Lang::Km),
            _ => None,
        }
    }

    /// The issuer's default language: the national language of the institution's country
    /// (ISO 3166-1 alpha-2), where the service has it. `None` otherwise (the page is then in
    /// English). Singapore's institutions teach in English, its first working language.
    pub fn for_country(country: &str) -> Option<Lang> {
        match country.trim().to_ascii_uppercase().as_str() {
            "CN" => Some(Lang::ZhHans),
            "TH" => Some(Lang::Th),
            "LA" => Some(Lang::Lo),
            "MY" | "BN" => Some(Lang::Ms),
            "KH" => Some(Lang::Km),
            "SG" | "GB" | "AU" | "NZ" | "US" | "PH" => Some(Lang::En),
            _ => None,
        }
    }

    /// The message `id` in this language (see [`messages::text`]).
    pub fn t(&self, id: &str) -> String {
        messages::text(*self, id, &[])
    }

    /// The message `id` in this language with its arguments.
    pub fn t_args(&self, id: &str, args: &[(&str, Arg)]) -> String {
        messages::text(*self, id, args)
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.tag())
    }
}

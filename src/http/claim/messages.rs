//! Every fixed word of the learner's claim page, as one typed value per language, read from
//! the Fluent files `locales/<tag>/claim.ftl` (see [`crate::i18n`]) the first time a language
//! is asked for.
//!
//! Sentences that carry a value name it as `{ $institution }` in the file and come out here as
//! `{institution}` placeholders; [`super::view`] fills them with values from a credential or
//! the institution as data (escaped, isolated in `<bdi>`), never as markup. Dates are
//! [`crate::i18n::date`]'s.

use std::sync::OnceLock;

use crate::i18n::{messages::pattern, Lang};

/// The claim page's words in one language.
#[derive(Clone, Copy)]
pub struct ClaimMessages {
    /// The `lang` attribute of the page.
    pub lang: &'static str,
    /// The language, for dates and the language switch.
    pub locale: Lang,

    // The offer.
    /// `{institution}`.
    pub page_title: &'static str,
    pub heading: &'static str,
    /// `{institution}`.
    pub offered_by: &'static str,
    pub what_is_offered: &'static str,
    pub awarded_to: &'static str,
    pub level: &'static str,
    /// `{code}`, `{name}` (the framework's full name), `{framework}` (its id).
    pub level_of_named: &'static str,
    /// `{code}`, `{framework}`: a framework this service has no name for.
    pub level_of_unnamed: &'static str,
    pub issued_by: &'static str,
    pub open_until: &'static str,
    /// The achievement when the credential gives it no name.
    pub no_name: &'static str,

    // The one-time code.
    pub code_title: &'static str,
    /// `{institution}`, `{digits}`.
    pub code_text: &'static str,
    pub code_label: &'static str,
    pub code_button: &'static str,
    /// `{digits}`.
    pub code_missing: &'static str,
    /// `{digits}`.
    pub code_malformed: &'static str,
    /// `{remaining}`.
    pub code_wrong: &'static str,
    pub code_wrong_last: &'static str,
    pub code_unlocks: &'static str,
    pub code_accepted: &'static str,

    // 1. Learner Credential Wallet.
    pub lcw_title: &'static str,
    pub lcw_text: &'static str,
    pub lcw_button: &'static str,
    pub lcw_scan: &'static str,
    pub lcw_secret: &'static str,
    pub lcw_get: &'static str,
    pub lcw_qr_alt: &'static str,
    /// `{minutes}`.
    pub lcw_expires: &'static str,
    pub lcw_newer_title: &'static str,
    pub lcw_newer_text: &'static str,
    pub lcw_newer_button: &'static str,
    pub lcw_newer_qr_alt: &'static str,

    // 2. Another wallet (OpenID4VCI).
    pub oid_title: &'static str,
    pub oid_text: &'static str,
    pub oid_button: &'static str,
    pub oid_scan: &'static str,
    pub oid_code_note: &'static str,
    pub oid_qr_alt: &'static str,

    // 3. Download.
    pub passport_title: &'static str,
    pub passport_text: &'static str,
    pub passport_button: &'static str,
    pub download_title: &'static str,
    /// `{filename}`.
    pub download_text: &'static str,
    pub download_button: &'static str,

    /// `{date}`, `{institution}`.
    pub once_note: &'static str,
    pub footer: &'static str,

    // Offers that cannot be claimed.
    pub unknown_title: &'static str,
    pub unknown_text: &'static str,
    pub expired_title: &'static str,
    /// `{institution}`, `{date}`.
    pub expired_text: &'static str,
    pub withdrawn_title: &'static str,
    /// `{institution}`.
    pub withdrawn_text: &'static str,
    pub claimed_title: &'static str,
    /// `{institution}`.
    pub claimed_text: &'static str,
    pub locked_title: &'static str,
    /// `{institution}`.
    pub locked_text: &'static str,
    pub failed_title: &'static str,
    pub failed_text: &'static str,
    /// The institution in a sentence when its name is not known.
    pub your_institution: &'static str,
}

/// The claim page's words in `lang`, read once.
pub fn get(lang: Lang) -> &'static ClaimMessages {
    static ALL: [OnceLock<ClaimMessages>; Lang::ALL.len()] =
        [const { OnceLock::new() }; Lang::ALL.len()];
    let i = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
    ALL[i].get_or_init(|| build(lang))
}

/// A message kept for the life of the process (a handful per language, read once).
fn keep(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn build(lang: Lang) -> ClaimMessages {
    let s = |id: &str| keep(lang.t(id));
    let p = |id: &str, names: &[&str]| keep(pattern(lang, id, names));
    ClaimMessages {
        lang: lang.tag(),
        locale: lang,
        page_title: p("claim-page-title", &["institution"]),
        heading: s("claim-heading"),
        offered_by: p("claim-offered-by", &["institution"]),
        what_is_offered: s("claim-what-is-offered"),
        awarded_to: s("claim-awarded-to"),
        level: s("claim-level"),
        level_of_named: p("claim-level-of-named", &["code", "name", "framework"]),
        level_of_unnamed: p("claim-level-of-unnamed", &["code", "framework"]),
        issued_by: s("claim-issued-by"),
        open_until: s("claim-open-until"),
        no_name: s("claim-no-name"),
        code_title: s("claim-code-title"),
        code_text: p("claim-code-text", &["institution", "digits"]),
        code_label: s("claim-code-label"),
        code_button: s("claim-code-button"),
        code_missing: p("claim-code-missing", &["digits"]),
        code_malformed: p("claim-code-malformed", &["digits"]),
        code_wrong: p("claim-code-wrong", &["remaining"]),
        code_wrong_last: s("claim-code-wrong-last"),
        code_unlocks: s("claim-code-unlocks"),
        code_accepted: s("claim-code-accepted"),
        lcw_title: s("claim-lcw-title"),
        lcw_text: s("claim-lcw-text"),
        lcw_button: s("claim-lcw-button"),
        lcw_scan: s("claim-lcw-scan"),
        lcw_secret: s("claim-lcw-secret"),
        lcw_get: s("claim-lcw-get"),
        lcw_qr_alt: s("claim-lcw-qr-alt"),
        lcw_expires: p("claim-lcw-expires", &["minutes"]),
        lcw_newer_title: s("claim-lcw-newer-title"),
        lcw_newer_text: s("claim-lcw-newer-text"),
        lcw_newer_button: s("claim-lcw-newer-button"),
        lcw_newer_qr_alt: s("claim-lcw-newer-qr-alt"),
        oid_title: s("claim-oid-title"),
        oid_text: s("claim-oid-text"),
        oid_button: s("claim-oid-button"),
        oid_scan: s("claim-oid-scan"),
        oid_code_note: s("claim-oid-code-note"),
        oid_qr_alt: s("claim-oid-qr-alt"),
        passport_title: s("claim-passport-title"),
        passport_text: s("claim-passport-text"),
        passport_button: s("claim-passport-button"),
        download_title: s("claim-download-title"),
        download_text: p("claim-download-text", &["filename"]),
        download_button: s("claim-download-button"),
        once_note: p("claim-once-note", &["date", "institution"]),
        footer: s("claim-footer"),
        unknown_title: s("claim-unknown-title"),
        unknown_text: s("claim-unknown-text"),
        expired_title: s("claim-expired-title"),
        expired_text: p("claim-expired-text", &["institution", "date"]),
        withdrawn_title: s("claim-withdrawn-title"),
        withdrawn_text: p("claim-withdrawn-text", &["institution"]),
        claimed_title: s("claim-claimed-title"),
        claimed_text: p("claim-claimed-text", &["institution"]),
        locked_title: s("claim-locked-title"),
        locked_text: p("claim-locked-text", &["institution"]),
        failed_title: s("claim-failed-title"),
        failed_text: s("claim-failed-text"),
        your_institution: s("claim-your-institution"),
    }
}

//! Every fixed word of the presentation-request pages (`/verify/request`), as one typed value
//! per language, read from the Fluent files `locales/<tag>/request.ftl` (see [`crate::i18n`])
//! the first time a language is asked for. Sentences that carry a value name it as
//! `{ $reason }` in the file and come out here as `{reason}` placeholders, filled with values
//! as data (escaped, in `<bdi>`).

use std::sync::OnceLock;

use crate::i18n::{messages::pattern, Lang};

/// The request pages' words in one language.
#[derive(Clone, Copy)]
pub struct RequestMessages {
    /// The `lang` attribute of the page.
    pub lang: &'static str,
    /// The language, for the language switch.
    pub locale: Lang,

    // The form.
    pub form_title: &'static str,
    pub form_intro: &'static str,
    pub what_heading: &'static str,
    pub want_any: &'static str,
    pub want_achievement: &'static str,
    pub achievement_label: &'static str,
    pub achievement_hint: &'static str,
    pub want_level: &'static str,
    pub level_label: &'static str,
    pub recognise_heading: &'static str,
    pub recognise_label: &'static str,
    pub recognise_none: &'static str,
    pub create_button: &'static str,
    /// `{reason}`.
    pub form_error: &'static str,
    /// Too many requests made from one network; `{minutes}`.
    pub busy: &'static str,

    // What was asked.
    pub asked_for: &'static str,
    pub asked_any: &'static str,
    /// `{achievement}`.
    pub asked_achievement: &'static str,
    /// `{level}`, `{framework}`.
    pub asked_level: &'static str,
    /// `{framework}`.
    pub asked_recognise: &'static str,

    // Waiting.
    pub pending_title: &'static str,
    /// `{seconds}`.
    pub pending_text: &'static str,
    pub oid4vp_title: &'static str,
    pub oid4vp_text: &'static str,
    pub oid4vp_qr_alt: &'static str,
    pub lcw_title: &'static str,
    pub lcw_text: &'static str,
    pub passport_title: &'static str,
    pub passport_text: &'static str,
    pub passport_answer: &'static str,
    pub lcw_qr_alt: &'static str,
    pub open_here: &'static str,
    pub link_too_long: &'static str,
    /// `{time}`.
    pub expires_at: &'static str,
    pub checking_title: &'static str,
    pub checking_text: &'static str,

    // The result.
    pub accepted_title: &'static str,
    pub accepted_text: &'static str,
    pub refused_title: &'static str,
    pub refused_text: &'static str,
    pub not_checked_title: &'static str,
    pub not_checked_text: &'static str,
    /// `{protocol}`, `{time}`, `{holder}`.
    pub answered_by: &'static str,
    pub protocol_oid4vp: &'static str,
    pub protocol_vcapi: &'static str,
    pub protocol_passport: &'static str,
    /// `{framework}`.
    pub recognition_heading: &'static str,
    /// `{reason}`.
    pub recognition_none: &'static str,
    pub notes_heading: &'static str,

    // Closed.
    pub expired_title: &'static str,
    pub expired_text: &'static str,
    pub unknown_title: &'static str,
    pub unknown_text: &'static str,
    pub failed_title: &'static str,
    pub failed_text: &'static str,
    pub new_request: &'static str,

    /// How times are written (the same in every language: digits and UTC).
    pub time_format: &'static str,
    pub footer: &'static str,
}

/// The request pages' words in `lang`, read once.
pub fn get(lang: Lang) -> &'static RequestMessages {
    static ALL: [OnceLock<RequestMessages>; Lang::ALL.len()] =
        [const { OnceLock::new() }; Lang::ALL.len()];
    let i = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
    ALL[i].get_or_init(|| build(lang))
}

/// A message kept for the life of the process (a handful per language, read once).
fn keep(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn build(lang: Lang) -> RequestMessages {
    let s = |id: &str| keep(lang.t(id));
    let p = |id: &str, names: &[&str]| keep(pattern(lang, id, names));
    RequestMessages {
        lang: lang.tag(),
        locale: lang,
        form_title: s("request-form-title"),
        form_intro: s("request-form-intro"),
        what_heading: s("request-what-heading"),
        want_any: s("request-want-any"),
        want_achievement: s("request-want-achievement"),
        achievement_label: s("request-achievement-label"),
        achievement_hint: s("request-achievement-hint"),
        want_level: s("request-want-level"),
        level_label: s("request-level-label"),
        recognise_heading: s("request-recognise-heading"),
        recognise_label: s("request-recognise-label"),
        recognise_none: s("request-recognise-none"),
        create_button: s("request-create-button"),
        form_error: p("request-form-error", &["reason"]),
        busy: p("request-busy", &["minutes"]),
        asked_for: s("request-asked-for"),
        asked_any: s("request-asked-any"),
        asked_achievement: p("request-asked-achievement", &["achievement"]),
        asked_level: p("request-asked-level", &["level", "framework"]),
        asked_recognise: p("request-asked-recognise", &["framework"]),
        pending_title: s("request-pending-title"),
        pending_text: p("request-pending-text", &["seconds"]),
        oid4vp_title: s("request-oid4vp-title"),
        oid4vp_text: s("request-oid4vp-text"),
        oid4vp_qr_alt: s("request-oid4vp-qr-alt"),
        lcw_title: s("request-lcw-title"),
        lcw_text: s("request-lcw-text"),
        passport_title: s("request-passport-title"),
        passport_text: s("request-passport-text"),
        passport_answer: s("request-passport-answer"),
        lcw_qr_alt: s("request-lcw-qr-alt"),
        open_here: s("request-open-here"),
        link_too_long: s("request-link-too-long"),
        expires_at: p("request-expires-at", &["time"]),
        checking_title: s("request-checking-title"),
        checking_text: s("request-checking-text"),
        accepted_title: s("request-accepted-title"),
        accepted_text: s("request-accepted-text"),
        refused_title: s("request-refused-title"),
        refused_text: s("request-refused-text"),
        not_checked_title: s("request-not-checked-title"),
        not_checked_text: s("request-not-checked-text"),
        answered_by: p("request-answered-by", &["protocol", "time", "holder"]),
        protocol_oid4vp: s("request-protocol-oid4vp"),
        protocol_vcapi: s("request-protocol-vcapi"),
        protocol_passport: s("request-protocol-passport"),
        recognition_heading: p("request-recognition-heading", &["framework"]),
        recognition_none: p("request-recognition-none", &["reason"]),
        notes_heading: s("request-notes-heading"),
        expired_title: s("request-expired-title"),
        expired_text: s("request-expired-text"),
        unknown_title: s("request-unknown-title"),
        unknown_text: s("request-unknown-text"),
        failed_title: s("request-failed-title"),
        failed_text: s("request-failed-text"),
        new_request: s("request-new-request"),
        footer: s("request-footer"),
        time_format: "%Y-%m-%d %H:%M UTC",
    }
}

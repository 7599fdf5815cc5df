//! The share page's words (read by employers and colleges), from the Fluent files
//! `locales/<tag>/passport.ftl` (see [`crate::i18n`]) in the reader's language, read the first
//! time a language is asked for. The passport's own pages ask for their `passport-…` messages
//! directly (`lang.t(…)` in `templates/passport/`).

use std::sync::OnceLock;

use crate::i18n::Lang;

/// The share page's words in one language.
pub struct ShareMessages {
    /// The `lang` attribute of the page.
    pub lang: &'static str,
    pub share_page_title: &'static str,
    pub share_intro: &'static str,
    pub share_note_label: &'static str,
    pub share_valid_until: &'static str,
    pub signature_title: &'static str,
    pub signature_ok: &'static str,
    pub signature_bad: &'static str,
    pub bound_ok: &'static str,
    pub bound_other: &'static str,
    pub meaning_title: &'static str,
    pub meaning_pick: &'static str,
    pub meaning_show: &'static str,
    pub meaning_level: &'static str,
    pub meaning_no_level: &'static str,
    pub meaning_credits: &'static str,
    pub meaning_no_credits: &'static str,
    pub meaning_conditions: &'static str,
    pub meaning_undecided: &'static str,
    pub gone_title: &'static str,
    pub gone_text: &'static str,
    pub footer: &'static str,
}

/// The share page's words in `lang`, read once.
pub fn share(lang: Lang) -> &'static ShareMessages {
    static ALL: [OnceLock<ShareMessages>; Lang::ALL.len()] =
        [const { OnceLock::new() }; Lang::ALL.len()];
    let i = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
    ALL[i].get_or_init(|| build_share(lang))
}

/// A message kept for the life of the process (a handful per language, read once).
fn keep(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn build_share(lang: Lang) -> ShareMessages {
    let s = |id: &str| keep(lang.t(id));
    ShareMessages {
        lang: lang.tag(),
        share_page_title: s("share-page-title"),
        share_intro: s("share-intro"),
        share_note_label: s("share-note-label"),
        share_valid_until: s("share-valid-until"),
        signature_title: s("share-signature-title"),
        signature_ok: s("share-signature-ok"),
        signature_bad: s("share-signature-bad"),
        bound_ok: s("share-bound-ok"),
        bound_other: s("share-bound-other"),
        meaning_title: s("share-meaning-title"),
        meaning_pick: s("share-meaning-pick"),
        meaning_show: s("share-meaning-show"),
        meaning_level: s("share-meaning-level"),
        meaning_no_level: s("share-meaning-no-level"),
        meaning_credits: s("share-meaning-credits"),
        meaning_no_credits: s("share-meaning-no-credits"),
        meaning_conditions: s("share-meaning-conditions"),
        meaning_undecided: s("share-meaning-undecided"),
        gone_title: s("share-gone-title"),
        gone_text: s("share-gone-text"),
        footer: s("share-footer"),
    }
}

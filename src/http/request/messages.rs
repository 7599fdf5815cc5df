//! Every fixed word of the presentation-request pages (`/verify/request`), in one place, so a
//! language is added by writing one more [`RequestMessages`] value. Sentences that carry a value
//! name it in braces; values from credentials are inserted as data (escaped, in `<bdi>`).

/// The request pages' words in one language.
#[derive(Clone, Copy)]
pub struct RequestMessages {
    pub lang: &'static str,

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

    pub time_format: &'static str,
    pub footer: &'static str,
}

pub const EN: RequestMessages = RequestMessages {
    lang: "en",

    form_title: "Ask for a credential",
    form_intro: "Ask a learner to show a credential from their wallet. You get a QR code to show them; when their wallet answers, the page checks the answer and shows you the result.",
    what_heading: "What to ask for",
    want_any: "Any Open Badge credential",
    want_achievement: "A particular achievement",
    achievement_label: "Achievement",
    achievement_hint: "Its id (a URL or URN), or its name as the credential states it.",
    want_level: "A minimum level",
    level_label: "Level, or any level above it",
    recognise_heading: "Recognise it in your framework (optional)",
    recognise_label: "Framework to map the answer into",
    recognise_none: "Do not map",
    create_button: "Make the request",
    form_error: "The request could not be made: {reason}",

    asked_for: "Asked for",
    asked_any: "any Open Badge credential",
    asked_achievement: "the achievement {achievement}",
    asked_level: "level {level} of {framework} or above",
    asked_recognise: "mapped into {framework}",

    pending_title: "Waiting for the learner",
    pending_text: "Ask the learner to scan one of these codes with their wallet. This page checks for an answer every {seconds} seconds by itself.",
    oid4vp_title: "A wallet that speaks OpenID4VP",
    oid4vp_text: "For wallets that present credentials with OpenID for Verifiable Presentations 1.0.",
    oid4vp_qr_alt: "QR code of the OpenID4VP request",
    lcw_title: "Learner Credential Wallet",
    lcw_text: "In Learner Credential Wallet, scan this code.",
    passport_title: "No wallet app?",
    passport_text: "A learner who keeps credentials in a skillpass passport on this node answers here.",
    passport_answer: "Answer with my skillpass passport",
    lcw_qr_alt: "QR code of the request for Learner Credential Wallet",
    open_here: "Open in a wallet on this device",
    link_too_long: "This request is too long for a QR code; open the link on the learner's device instead.",
    expires_at: "The request can be answered until {time}.",
    checking_title: "Checking the answer",
    checking_text: "A wallet has answered; its presentation is being checked. This page refreshes by itself.",

    accepted_title: "Answered and checked",
    accepted_text: "The learner's wallet signed the presentation for this request, and the credential below answers what you asked for. Its checks were run again just now.",
    refused_title: "The answer was refused",
    refused_text: "A wallet answered, but the answer does not hold:",
    not_checked_title: "The answer could not be checked",
    not_checked_text: "A wallet answered, but the checks could not be run (for example, a status list could not be read). Nothing is known to be wrong with it; make a new request to try again:",
    answered_by: "Answered through {protocol} at {time}, signed by {holder}.",
    protocol_oid4vp: "OpenID4VP",
    protocol_vcapi: "Learner Credential Wallet (VC-API)",
    protocol_passport: "the learner's passport",
    recognition_heading: "What it is worth in {framework}",
    recognition_none: "It could not be mapped: {reason}",
    notes_heading: "Good to know",

    expired_title: "The request expired",
    expired_text: "Nobody answered in time.",
    unknown_title: "No such request",
    unknown_text: "The link is wrong, or the request expired and was removed.",
    failed_title: "Something went wrong",
    failed_text: "Please try again in a few minutes.",
    new_request: "Make a new request",

    time_format: "%Y-%m-%d %H:%M UTC",
    footer: "Checked by skillpass for the Shenzhen Agreement vocational alliance. Answers are kept for 30 minutes.",
};

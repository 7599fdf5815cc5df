//! Every fixed word of the learner's claim page, in one place, so that a language can be added
//! by writing one more [`ClaimMessages`] value. A field missing in a language is a compile error.
//!
//! Sentences that carry a value name it in braces (`{institution}`, `{date}`, `{digits}`); a
//! translation may put the placeholder wherever its grammar needs it. Values from a credential
//! or the institution are inserted by [`super::view`] as data (escaped, isolated in `<bdi>`),
//! never as markup. Date formats are chrono `strftime` patterns.

/// The claim page's words in one language.
#[derive(Clone, Copy)]
pub struct ClaimMessages {
    /// The `lang` attribute of the page.
    pub lang: &'static str,

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

    /// An instant in UTC, e.g. `1 October 2026, 08:00 UTC`.
    pub date_time_format: &'static str,
}

/// English.
pub const EN: ClaimMessages = ClaimMessages {
    lang: "en",

    page_title: "Your credential from {institution}",
    heading: "Your credential",
    offered_by: "{institution} offers you this credential for your wallet.",
    what_is_offered: "What is offered",
    awarded_to: "Awarded to",
    level: "Level",
    level_of_named: "Level {code} of the {name} ({framework})",
    level_of_unnamed: "Level {code} ({framework})",
    issued_by: "Issued by",
    open_until: "Offer open until",
    no_name: "(no name given)",

    code_title: "Enter your one-time code",
    code_text: "{institution} gave you a {digits}-digit code by SMS, e-mail or on paper, \
        separately from this link.",
    code_label: "One-time code",
    code_button: "Continue",
    code_missing: "Please type the {digits}-digit code.",
    code_malformed: "The code has {digits} digits (0–9). Please check it and try again.",
    code_wrong: "That code is not right. {remaining} tries left.",
    code_wrong_last: "That code is not right. One try left: after another wrong code this \
        offer locks.",
    code_unlocks: "After the code you can add the credential to Learner Credential Wallet or \
        download it.",
    code_accepted: "Code accepted. Choose how to take your credential.",

    lcw_title: "Add to Learner Credential Wallet",
    lcw_text: "On this phone: tap the button. Learner Credential Wallet opens and asks you to \
        accept the credential.",
    lcw_button: "Open Learner Credential Wallet",
    lcw_scan: "On another device: in Learner Credential Wallet tap Add, then Scan QR code, and \
        scan this code.",
    lcw_secret: "These links add your credential without asking for the code again. Do not \
        share them or a picture of this page.",
    lcw_get: "No wallet yet? Learner Credential Wallet is free for Android and iPhone: \
        lcw.app",
    lcw_qr_alt: "QR code for Learner Credential Wallet",
    lcw_expires: "The button and the QR code work once, for {minutes} minutes. For new ones, \
        open this page again.",
    lcw_newer_title: "Another link, for newer versions of the wallet",
    lcw_newer_text: "Learner Credential Wallet 2.2.10 and older may answer \"DID \
        Authentication complete\" to this link without saving the credential, and the offer is \
        then used up. Use it only if your institution says your wallet's version supports it.",
    lcw_newer_button: "Open with the interaction link",
    lcw_newer_qr_alt: "QR code of the interaction link for Learner Credential Wallet",

    oid_title: "Add to another wallet",
    oid_text: "For wallets that support OpenID for Verifiable Credential Issuance \
        (OpenID4VCI).",
    oid_button: "Open my wallet",
    oid_scan: "Or scan this code with your wallet's scanner.",
    oid_code_note: "Your wallet will ask for the one-time code.",
    oid_qr_alt: "QR code for an OpenID4VCI wallet",

    download_title: "Download",
    download_text: "Save the credential as a file ({filename}): a copy to keep, to send to \
        someone, or to add to a wallet later (in Learner Credential Wallet: Add, then Add from \
        file). The file names you, not your wallet.",
    download_button: "Download the credential file",

    once_note: "This offer can be used once, until {date}. Lost your phone or the code? Ask \
        {institution} for a new offer.",
    footer: "skillpass: credentials the learner holds.",

    unknown_title: "Offer not found",
    unknown_text: "There is no offer at this link. Check that the link is complete, or ask \
        your institution for a new one.",
    expired_title: "This offer has expired",
    expired_text: "The offer from {institution} ended on {date}. Ask them for a new one.",
    withdrawn_title: "This offer was withdrawn",
    withdrawn_text: "{institution} withdrew this offer, for example because they made a new \
        one. Use the newest link they gave you, or ask them.",
    claimed_title: "Already added to a wallet",
    claimed_text: "This credential has already been added to a wallet with this offer; an \
        offer works once. If that was not you, contact {institution} at once.",
    locked_title: "Offer locked",
    locked_text: "Too many wrong codes were entered, so this offer is locked to keep your \
        credential safe. Ask {institution} for a new offer.",
    failed_title: "Something went wrong",
    failed_text: "The offer could not be shown. Please try again in a few minutes.",
    your_institution: "your institution",

    date_time_format: "%-d %B %Y, %H:%M UTC",
};

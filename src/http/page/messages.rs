//! Every fixed word of the employer page, in one place, so that a language can be added by
//! writing one more [`Messages`] value. A field missing in a language is a compile error.
//!
//! Sentences that carry a value name it in braces (`{issuer}`, `{date}`); a translation may put
//! the placeholder wherever its grammar needs it. Values from a credential are inserted by
//! [`super::view`] as data (escaped, isolated in `<bdi>`), never as markup. Date formats are
//! chrono `strftime` patterns.

/// The page's words in one language.
#[derive(Clone, Copy)]
pub struct Messages {
    /// The `lang` attribute of the page.
    pub lang: &'static str,

    // Head, banner and footer.
    /// `{verdict}`: the verdict's title.
    pub page_title: &'static str,
    pub checked_at: &'static str,
    /// When the page was checked, e.g. `2026-09-01 08:00:00 UTC`.
    pub checked_at_format: &'static str,
    /// Where the status answer came from (under "Checked at").
    pub status: StatusWords,
    pub footer: &'static str,
    pub verdict: VerdictWords,
    pub explain: Explanations,

    // Page without a credential.
    pub what_to_do: &'static str,
    pub what_to_do_text: &'static str,

    // Warnings above the details.
    pub test_key_title: &'static str,
    pub test_key_text: &'static str,
    pub unattested_title: &'static str,
    pub unattested_text: &'static str,

    // Issued by.
    pub issued_by: &'static str,
    pub country: &'static str,
    pub quality_assurance: &'static str,
    pub registered_since: &'static str,
    pub registered_note: &'static str,
    pub trust_registry: &'static str,
    pub not_registered: &'static str,
    pub name_it_gives: &'static str,
    pub country_it_gives: &'static str,
    /// The issuer in a sentence when the credential does not name it.
    pub the_issuer: &'static str,

    // Awarded to.
    pub awarded_to: &'static str,
    pub learner: &'static str,
    pub not_stated: &'static str,
    pub hashed_note: &'static str,
    pub digital_identity: &'static str,
    pub check_the_person: &'static str,
    pub identity: IdentityWords,

    // Achievement.
    pub achievement: &'static str,
    pub no_name: &'static str,
    /// `{code}`: the achievement's human code.
    pub achievement_code: &'static str,
    pub field_of_study: &'static str,
    pub result: &'static str,
    /// `{value}`, `{scale}`.
    pub result_with_scale: &'static str,
    pub learning_outcomes: &'static str,
    pub how_assessed: &'static str,

    // Level and credits.
    pub level_and_credits: &'static str,
    pub level: &'static str,
    /// `{code}`, `{name}` (the framework's full name), `{framework}` (its id).
    pub level_of_named: &'static str,
    /// `{code}`, `{framework}`: a framework this service has no name for.
    pub level_of_unnamed: &'static str,
    /// `{name}`, `{framework}`: a framework without a level code.
    pub framework_named: &'static str,
    /// `{framework}`.
    pub framework_unnamed: &'static str,
    pub credits: &'static str,
    /// `{earned}`.
    pub credits_earned: &'static str,
    /// `{earned}`, `{available}`.
    pub credits_earned_of: &'static str,
    /// `{available}`.
    pub credits_available: &'static str,
    /// `{system}`: appended to the credits.
    pub credit_system: &'static str,
    pub learning_hours: &'static str,
    /// `{hours}`.
    pub hours: &'static str,

    // Recognition decision.
    pub decision: &'static str,
    pub no_outcome: &'static str,
    pub outcome: OutcomeWords,
    /// `{outcome}`, `{framework}`.
    pub outcome_in: &'static str,
    /// `{name}`, `{id}`: a framework named in full.
    pub framework_full: &'static str,
    /// `{code}`, `{name}` (the level's title), `{framework}` (named in full).
    pub decision_level_titled: &'static str,
    /// `{code}`, `{framework}`.
    pub decision_level: &'static str,
    pub no_level: &'static str,
    pub one_of_levels: &'static str,
    /// `{credits}`.
    pub credits_awarded: &'static str,
    pub no_credits: &'static str,
    pub based_on: &'static str,
    pub referencing: ReferencingWords,
    pub credential_recognised: &'static str,
    pub originally_issued_by: &'static str,
    pub conditions: &'static str,
    pub every_reason: &'static str,
    pub effect: EffectWords,

    // Dates.
    pub dates: &'static str,
    pub awarded: &'static str,
    pub valid_from: &'static str,
    pub valid_until: &'static str,
    pub no_end_date: &'static str,
    /// A day, e.g. `4 July 2025`.
    pub date_format: &'static str,
    /// An instant in UTC, e.g. `1 September 2026, 08:00 UTC`.
    pub date_time_format: &'static str,
    /// A date the credential does not give, inside a sentence.
    pub unknown_date: &'static str,

    // Technical details.
    pub technical_details: &'static str,
    pub credential_id: &'static str,
    pub issuer_did: &'static str,
    pub signature: &'static str,
    /// `{suite}`, `{date}`.
    pub signature_made: &'static str,
    pub checks: &'static str,
    pub passed: &'static str,
    pub failed: &'static str,
    pub checks_not_completed: &'static str,
    pub check: CheckWords,
}

/// The verdict in a word or two.
#[derive(Clone, Copy)]
pub struct VerdictWords {
    pub genuine: &'static str,
    pub altered: &'static str,
    pub issuer_unknown: &'static str,
    pub revoked: &'static str,
    pub suspended: &'static str,
    pub expired: &'static str,
    pub not_yet_valid: &'static str,
    pub invalid: &'static str,
    pub cannot_check: &'static str,
    pub not_found: &'static str,
}

/// Where the answer to "revoked or suspended?" came from.
#[derive(Clone, Copy)]
pub struct StatusWords {
    /// The issuer is an institution of this service: its lists were read from the store.
    pub own_records: &'static str,
    /// `{time}`: when the issuer's node answered (fetched now, or a copy still fresh).
    pub checked_with_node: &'static str,
    /// `{time}`, `{age}`: the last good copy, because the issuer's node could not be reached.
    pub stale: &'static str,
    /// The copy's age: `{n}` minutes (under two hours), hours (under two days), days.
    pub age_minutes: &'static str,
    pub age_hours: &'static str,
    pub age_days: &'static str,
    /// The status could not be read at all.
    pub unreachable: &'static str,
    /// `{time}`'s format, e.g. `2026-09-01 08:00 UTC`.
    pub time_format: &'static str,
}

/// The sentence under the verdict.
#[derive(Clone, Copy)]
pub struct Explanations {
    /// `{issuer}`.
    pub genuine: &'static str,
    pub altered: &'static str,
    /// `{issuer}`: registered here, but not a member in good standing of the trust registry.
    pub issuer_not_member: &'static str,
    pub issuer_unregistered: &'static str,
    /// `{issuer}`.
    pub revoked: &'static str,
    /// `{issuer}`.
    pub suspended: &'static str,
    /// `{date}`.
    pub expired: &'static str,
    /// `{date}`.
    pub not_yet_valid: &'static str,
    /// `{issuer}`.
    pub invalid: &'static str,
    pub cannot_check: &'static str,
    pub not_found: &'static str,
}

/// OB 3.0 identity types in words; other types are shown as their own words.
#[derive(Clone, Copy)]
pub struct IdentityWords {
    pub name: &'static str,
    pub email: &'static str,
    pub national_id: &'static str,
    pub student_id: &'static str,
    pub user_name: &'static str,
    pub account_id: &'static str,
    pub identifier: &'static str,
}

/// `recognitionOutcome` values in words.
#[derive(Clone, Copy)]
pub struct OutcomeWords {
    pub recognised: &'static str,
    pub with_conditions: &'static str,
    pub undecided: &'static str,
    pub not_recognised: &'static str,
}

/// `referencingStatus` values in words.
#[derive(Clone, Copy)]
pub struct ReferencingWords {
    pub official: &'static str,
    pub provisional: &'static str,
    pub example: &'static str,
}

/// The `effect` of a recognition reason in words.
#[derive(Clone, Copy)]
pub struct EffectWords {
    pub met: &'static str,
    pub condition: &'static str,
    pub undecided: &'static str,
    pub not_met: &'static str,
}

/// What each check of the verifier's report looks at.
#[derive(Clone, Copy)]
pub struct CheckWords {
    pub data_model: &'static str,
    pub proof: &'static str,
    pub proof_purpose: &'static str,
    pub issuer_binding: &'static str,
    pub validity_window: &'static str,
    pub status: &'static str,
    pub schema: &'static str,
    pub challenge: &'static str,
    pub domain: &'static str,
    pub holder_binding: &'static str,
    pub credentials: &'static str,
    pub trust: &'static str,
}

/// English.
pub static EN: Messages = Messages {
    lang: "en",

    page_title: "{verdict} · Credential check · skillpass",
    checked_at: "Checked at",
    checked_at_format: "%Y-%m-%d %H:%M:%S UTC",
    status: StatusWords {
        own_records: "Status checked in the issuer's own records on this service.",
        checked_with_node: "Status checked with the issuer's node at {time}.",
        stale: "Last known status from {time} ({age} ago): the issuer's node could not be \
            reached, so a revocation or suspension since then would not show.",
        age_minutes: "{n} min",
        age_hours: "{n} hours",
        age_days: "{n} days",
        unreachable: "The status could not be checked with the issuer's node.",
        time_format: "%Y-%m-%d %H:%M UTC",
    },
    footer: "This page checks the credential again every time it is opened: the issuer's \
        digital signature, whether the issuer has revoked or suspended it, its validity dates and \
        its format. Reload the page to check again.",
    verdict: VerdictWords {
        genuine: "Genuine",
        altered: "Altered",
        issuer_unknown: "Issuer unknown",
        revoked: "Revoked",
        suspended: "Suspended",
        expired: "Expired",
        not_yet_valid: "Not yet valid",
        invalid: "Not valid",
        cannot_check: "Could not check",
        not_found: "Not found",
    },
    explain: Explanations {
        genuine: "Issued by {issuer}. It has not been changed since it was signed, and it is \
            not revoked, suspended or expired.",
        altered: "Do not accept it. Its content does not match its digital signature: it was \
            changed after it was issued, or it was not signed by the institution it names.",
        issuer_not_member: "The signature is intact, but {issuer} is not a member in good \
            standing of the alliance trust registry. Do not treat it as a credential from a \
            recognised institution.",
        issuer_unregistered: "The signature is intact, but the issuer is not an institution \
            registered with this service, so we cannot tell you who issued it. Do not treat it \
            as a credential from a known institution.",
        revoked: "{issuer} has withdrawn (revoked) this credential. Do not accept it.",
        suspended: "{issuer} has suspended this credential for now. Do not accept it unless \
            the institution lifts the suspension; contact the institution.",
        expired: "It was genuine, but it was valid only until {date}. Ask the learner for a \
            current credential.",
        not_yet_valid: "It is genuine, but it becomes valid only on {date}. Do not accept it \
            before then.",
        invalid: "It is signed by {issuer} but does not pass every check (see Technical \
            details). Do not rely on it; contact the institution.",
        cannot_check: "The credential could not be checked just now. Please try again in a few \
            minutes; do not accept it until it can be checked.",
        not_found: "No credential with this reference is held by this service.",
    },

    what_to_do: "What to do",
    what_to_do_text: "Check that you scanned the QR code printed on the certificate, or typed \
        the address exactly as shown. If it still cannot be found, do not accept the credential \
        until the institution named on it confirms it to you directly.",

    test_key_title: "Test credential.",
    test_key_text: "It is signed with a published example key that anyone can use. It proves \
        nothing about a real learner.",
    unattested_title: "The details below are what the credential claims.",
    unattested_text: "They are not confirmed by a known institution and must not be relied on.",

    issued_by: "Issued by",
    country: "Country",
    quality_assurance: "Quality assurance",
    registered_since: "Registered here since",
    registered_note: "A vocational institution registered with this service; the credential \
        is signed with its key.",
    trust_registry: "Trust registry:",
    not_registered: "Not a registered institution",
    name_it_gives: "Name it gives",
    country_it_gives: "Country it gives",
    the_issuer: "the issuer",

    awarded_to: "Awarded to",
    learner: "Learner",
    not_stated: "Not stated in the credential",
    hashed_note: "(hashed: compare it with a hash of the learner's own details)",
    digital_identity: "Digital identity",
    check_the_person: "Make sure these details belong to the person who showed you the \
        credential, for example against an identity document.",
    identity: IdentityWords {
        name: "Name",
        email: "Email",
        national_id: "National identity number",
        student_id: "Student ID",
        user_name: "User name",
        account_id: "Account ID",
        identifier: "Identifier",
    },

    achievement: "Achievement",
    no_name: "(no name given)",
    achievement_code: "code {code}",
    field_of_study: "Field of study",
    result: "Result",
    result_with_scale: "{value} ({scale})",
    learning_outcomes: "Learning outcomes",
    how_assessed: "How it was assessed",

    level_and_credits: "Level and credits",
    level: "Level",
    level_of_named: "Level {code} of the {name} ({framework})",
    level_of_unnamed: "Level {code} of the {framework} framework",
    framework_named: "The {name} ({framework})",
    framework_unnamed: "The {framework} framework",
    credits: "Credits",
    credits_earned: "{earned} earned",
    credits_earned_of: "{earned} earned of {available} available",
    credits_available: "{available} available",
    credit_system: " ({system})",
    learning_hours: "Learning hours",
    hours: "{hours} hours",

    decision: "Recognition decision",
    no_outcome: "(no outcome given)",
    outcome: OutcomeWords {
        recognised: "Recognised",
        with_conditions: "Recognised with conditions",
        undecided: "Cannot be decided automatically",
        not_recognised: "Not recognised",
    },
    outcome_in: "{outcome} in the {framework}",
    framework_full: "{name} ({id})",
    decision_level_titled: "Level {code} ({name}) of the {framework}",
    decision_level: "Level {code} of the {framework}",
    no_level: "No level placed: see the reasons below",
    one_of_levels: "One of these, to be settled by the institution:",
    credits_awarded: "{credits} credits awarded",
    no_credits: "None awarded: see the reasons below",
    based_on: "Based on",
    referencing: ReferencingWords {
        official: "official referencing and credit rules",
        provisional: "provisional data (sourced, not yet an endorsed referencing decision)",
        example: "example data (illustrative, to be confirmed by the institution)",
    },
    credential_recognised: "Credential recognised",
    originally_issued_by: "Originally issued by",
    conditions: "Conditions",
    every_reason: "Every reason",
    effect: EffectWords {
        met: "Met",
        condition: "Condition",
        undecided: "To be decided by the institution",
        not_met: "Not met",
    },

    dates: "Dates",
    awarded: "Awarded",
    valid_from: "Valid from",
    valid_until: "Valid until",
    no_end_date: "No end date",
    date_format: "%-d %B %Y",
    date_time_format: "%-d %B %Y, %H:%M UTC",
    unknown_date: "an unknown date",

    technical_details: "Technical details",
    credential_id: "Credential id",
    issuer_did: "Issuer DID",
    signature: "Signature",
    signature_made: "{suite}, made {date}",
    checks: "Checks",
    passed: "Passed:",
    failed: "Failed:",
    checks_not_completed: "The checks could not be completed; the service log has the cause.",
    check: CheckWords {
        data_model: "credential format (W3C Verifiable Credentials)",
        proof: "digital signature matches the content",
        proof_purpose: "signature made for issuing credentials",
        issuer_binding: "signed with the issuer's own key",
        validity_window: "within its validity dates",
        status: "not revoked or suspended by the issuer",
        schema: "Open Badges 3.0 structure",
        challenge: "presentation challenge",
        domain: "presentation domain",
        holder_binding: "presented by its holder",
        credentials: "credentials inside the presentation",
        trust: "issuer is a member in good standing of the trust registry",
    },
};

//! Every fixed word of the employer page, as one typed value per language, read from the
//! Fluent files `locales/<tag>/employer.ftl` (see [`crate::i18n`]) the first time a language is
//! asked for.
//!
//! Sentences that carry a value name it as `{ $issuer }` in the file and come out here as
//! `{issuer}` placeholders; [`super::view`] fills them with values from a credential as data
//! (escaped, isolated in `<bdi>`), never as markup. Dates are [`crate::i18n::date`]'s.

use std::sync::OnceLock;

use crate::i18n::{messages::pattern, Lang};

/// The page's words in one language.
#[derive(Clone, Copy)]
pub struct Messages {
    /// The `lang` attribute of the page.
    pub lang: &'static str,
    /// The language, for dates and the language switch.
    pub locale: Lang,

    // Head, banner and footer.
    /// `{verdict}`: the verdict's title.
    pub page_title: &'static str,
    pub checked_at: &'static str,
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
    /// The status could not be read at all.
    pub unreachable: &'static str,
    /// `{date}`: since when this node's credential is revoked.
    pub revoked_since: &'static str,
    /// `{date}`: since when this node's credential is suspended.
    pub suspended_since: &'static str,
    /// `{reason}`: the institution's reason, when it chose to publish it.
    pub reason: &'static str,
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

/// The employer page's words in `lang`, read once.
pub fn get(lang: Lang) -> &'static Messages {
    static ALL: [OnceLock<Messages>; Lang::ALL.len()] =
        [const { OnceLock::new() }; Lang::ALL.len()];
    let i = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
    ALL[i].get_or_init(|| build(lang))
}

/// A message kept for the life of the process (a handful per language, read once).
fn keep(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

fn build(lang: Lang) -> Messages {
    let s = |id: &str| keep(lang.t(id));
    let p = |id: &str, names: &[&str]| keep(pattern(lang, id, names));
    Messages {
        lang: lang.tag(),
        locale: lang,
        page_title: p("employer-page-title", &["verdict"]),
        checked_at: s("employer-checked-at"),
        status: StatusWords {
            own_records: s("employer-status-own-records"),
            checked_with_node: p("employer-status-checked-with-node", &["time"]),
            stale: p("employer-status-stale", &["time", "age"]),
            unreachable: s("employer-status-unreachable"),
            revoked_since: p("employer-status-revoked-since", &["date"]),
            suspended_since: p("employer-status-suspended-since", &["date"]),
            reason: p("employer-status-reason", &["reason"]),
        },
        footer: s("employer-footer"),
        verdict: VerdictWords {
            genuine: s("employer-verdict-genuine"),
            altered: s("employer-verdict-altered"),
            issuer_unknown: s("employer-verdict-issuer-unknown"),
            revoked: s("employer-verdict-revoked"),
            suspended: s("employer-verdict-suspended"),
            expired: s("employer-verdict-expired"),
            not_yet_valid: s("employer-verdict-not-yet-valid"),
            invalid: s("employer-verdict-invalid"),
            cannot_check: s("employer-verdict-cannot-check"),
            not_found: s("employer-verdict-not-found"),
        },
        explain: Explanations {
            genuine: p("employer-explain-genuine", &["issuer"]),
            altered: s("employer-explain-altered"),
            issuer_not_member: p("employer-explain-issuer-not-member", &["issuer"]),
            issuer_unregistered: s("employer-explain-issuer-unregistered"),
            revoked: p("employer-explain-revoked", &["issuer"]),
            suspended: p("employer-explain-suspended", &["issuer"]),
            expired: p("employer-explain-expired", &["date"]),
            not_yet_valid: p("employer-explain-not-yet-valid", &["date"]),
            invalid: p("employer-explain-invalid", &["issuer"]),
            cannot_check: s("employer-explain-cannot-check"),
            not_found: s("employer-explain-not-found"),
        },
        what_to_do: s("employer-what-to-do"),
        what_to_do_text: s("employer-what-to-do-text"),
        test_key_title: s("employer-test-key-title"),
        test_key_text: s("employer-test-key-text"),
        unattested_title: s("employer-unattested-title"),
        unattested_text: s("employer-unattested-text"),
        issued_by: s("employer-issued-by"),
        country: s("employer-country"),
        quality_assurance: s("employer-quality-assurance"),
        registered_since: s("employer-registered-since"),
        registered_note: s("employer-registered-note"),
        trust_registry: s("employer-trust-registry"),
        not_registered: s("employer-not-registered"),
        name_it_gives: s("employer-name-it-gives"),
        country_it_gives: s("employer-country-it-gives"),
        the_issuer: s("employer-the-issuer"),
        awarded_to: s("employer-awarded-to"),
        learner: s("employer-learner"),
        not_stated: s("employer-not-stated"),
        hashed_note: s("employer-hashed-note"),
        digital_identity: s("employer-digital-identity"),
        check_the_person: s("employer-check-the-person"),
        identity: IdentityWords {
            name: s("employer-identity-name"),
            email: s("employer-identity-email"),
            national_id: s("employer-identity-national-id"),
            student_id: s("employer-identity-student-id"),
            user_name: s("employer-identity-user-name"),
            account_id: s("employer-identity-account-id"),
            identifier: s("employer-identity-identifier"),
        },
        achievement: s("employer-achievement"),
        no_name: s("employer-no-name"),
        achievement_code: p("employer-achievement-code", &["code"]),
        field_of_study: s("employer-field-of-study"),
        result: s("employer-result"),
        result_with_scale: p("employer-result-with-scale", &["value", "scale"]),
        learning_outcomes: s("employer-learning-outcomes"),
        how_assessed: s("employer-how-assessed"),
        level_and_credits: s("employer-level-and-credits"),
        level: s("employer-level"),
        level_of_named: p("employer-level-of-named", &["code", "name", "framework"]),
        level_of_unnamed: p("employer-level-of-unnamed", &["code", "framework"]),
        framework_named: p("employer-framework-named", &["name", "framework"]),
        framework_unnamed: p("employer-framework-unnamed", &["framework"]),
        credits: s("employer-credits"),
        credits_earned: p("employer-credits-earned", &["earned"]),
        credits_earned_of: p("employer-credits-earned-of", &["earned", "available"]),
        credits_available: p("employer-credits-available", &["available"]),
        credit_system: p("employer-credit-system", &["system"]),
        learning_hours: s("employer-learning-hours"),
        hours: p("employer-hours", &["hours"]),
        decision: s("employer-decision"),
        no_outcome: s("employer-no-outcome"),
        outcome: OutcomeWords {
            recognised: s("employer-outcome-recognised"),
            with_conditions: s("employer-outcome-with-conditions"),
            undecided: s("employer-outcome-undecided"),
            not_recognised: s("employer-outcome-not-recognised"),
        },
        outcome_in: p("employer-outcome-in", &["outcome", "framework"]),
        framework_full: p("employer-framework-full", &["name", "id"]),
        decision_level_titled: p(
            "employer-decision-level-titled",
            &["code", "name", "framework"],
        ),
        decision_level: p("employer-decision-level", &["code", "framework"]),
        no_level: s("employer-no-level"),
        one_of_levels: s("employer-one-of-levels"),
        credits_awarded: p("employer-credits-awarded", &["credits"]),
        no_credits: s("employer-no-credits"),
        based_on: s("employer-based-on"),
        referencing: ReferencingWords {
            official: s("employer-referencing-official"),
            provisional: s("employer-referencing-provisional"),
            example: s("employer-referencing-example"),
        },
        credential_recognised: s("employer-credential-recognised"),
        originally_issued_by: s("employer-originally-issued-by"),
        conditions: s("employer-conditions"),
        every_reason: s("employer-every-reason"),
        effect: EffectWords {
            met: s("employer-effect-met"),
            condition: s("employer-effect-condition"),
            undecided: s("employer-effect-undecided"),
            not_met: s("employer-effect-not-met"),
        },
        dates: s("employer-dates"),
        awarded: s("employer-awarded"),
        valid_from: s("employer-valid-from"),
        valid_until: s("employer-valid-until"),
        no_end_date: s("employer-no-end-date"),
        unknown_date: s("employer-unknown-date"),
        technical_details: s("employer-technical-details"),
        credential_id: s("employer-credential-id"),
        issuer_did: s("employer-issuer-did"),
        signature: s("employer-signature"),
        signature_made: p("employer-signature-made", &["suite", "date"]),
        checks: s("employer-checks"),
        passed: s("employer-passed"),
        failed: s("employer-failed"),
        checks_not_completed: s("employer-checks-not-completed"),
        check: CheckWords {
            data_model: s("employer-check-data-model"),
            proof: s("employer-check-proof"),
            proof_purpose: s("employer-check-proof-purpose"),
            issuer_binding: s("employer-check-issuer-binding"),
            validity_window: s("employer-check-validity-window"),
            status: s("employer-check-status"),
            schema: s("employer-check-schema"),
            challenge: s("employer-check-challenge"),
            domain: s("employer-check-domain"),
            holder_binding: s("employer-check-holder-binding"),
            credentials: s("employer-check-credentials"),
            trust: s("employer-check-trust"),
        },
    }
}

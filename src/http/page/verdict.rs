//! The one-word answer an employer reads first, derived from the verifier's report.

use super::messages::Messages;
use crate::verify::{CheckName, VerificationReport};

/// What the page says about a credential, most serious first where several apply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Every check passed and the issuer is an institution registered here.
    Genuine,
    /// The signature does not hold over the content, or the signing key is not the issuer's.
    Altered,
    /// The signature holds, but the issuer is not an institution registered with this service.
    IssuerUnknown,
    Revoked,
    Suspended,
    Expired,
    NotYetValid,
    /// Signed and from a known issuer, but it breaks another rule (schema, dates, status list).
    Invalid,
    /// The checks could not be run (e.g. a status list could not be read).
    CannotCheck,
    /// No credential with this id is stored here.
    NotFound,
}

/// How a verdict looks: its word, a mark, a CSS class and whether to accept it.
impl Verdict {
    /// The verdict in a word or two, in the page's language.
    pub fn title(self, m: &Messages) -> &'static str {
        let words = &m.verdict;
        match self {
            Verdict::Genuine => words.genuine,
            Verdict::Altered => words.altered,
            Verdict::IssuerUnknown => words.issuer_unknown,
            Verdict::Revoked => words.revoked,
            Verdict::Suspended => words.suspended,
            Verdict::Expired => words.expired,
            Verdict::NotYetValid => words.not_yet_valid,
            Verdict::Invalid => words.invalid,
            Verdict::CannotCheck => words.cannot_check,
            Verdict::NotFound => words.not_found,
        }
    }

    /// A mark that repeats the verdict without relying on colour.
    pub fn mark(self) -> &'static str {
        match self {
            Verdict::Genuine => "✓",
            Verdict::Altered | Verdict::Revoked | Verdict::Invalid => "✗",
            Verdict::CannotCheck | Verdict::NotFound | Verdict::IssuerUnknown => "?",
            Verdict::Suspended | Verdict::Expired | Verdict::NotYetValid => "!",
        }
    }

    /// CSS class of the verdict banner.
    pub fn class(self) -> &'static str {
        match self {
            Verdict::Genuine => "v ok",
            Verdict::Altered | Verdict::Revoked | Verdict::Invalid => "v bad",
            Verdict::Suspended | Verdict::Expired | Verdict::NotYetValid => "v warn",
            Verdict::IssuerUnknown => "v unknown",
            Verdict::CannotCheck | Verdict::NotFound => "v none",
        }
    }

    /// Whether the credential's content is backed by a registered institution's signature, so
    /// the details can be shown as that institution's statements.
    pub fn content_is_attested(self) -> bool {
        matches!(
            self,
            Verdict::Genuine
                | Verdict::Revoked
                | Verdict::Suspended
                | Verdict::Expired
                | Verdict::NotYetValid
        )
    }
}

/// The verdict for a verified credential; `issuer_registered` says whether its issuer DID is an
/// institution of this service.
pub fn classify(report: &VerificationReport, issuer_registered: bool) -> Verdict {
    let failed = |name| report.check(name).is_some_and(|c| !c.verified);
    let reasons = |name| {
        report
            .check(name)
            .map(|c| c.reasons.as_slice())
            .unwrap_or_default()
    };
    // No proof check at all would mean the verifier never looked at a signature.
    if report.check(CheckName::Proof).is_none()
        || failed(CheckName::Proof)
        || failed(CheckName::IssuerBinding)
    {
        return Verdict::Altered;
    }
    if !issuer_registered || failed(CheckName::Trust) {
        return Verdict::IssuerUnknown;
    }
    let status = reasons(CheckName::Status);
    if status.iter().any(|r| r.starts_with("revoked")) {
        return Verdict::Revoked;
    }
    if status.iter().any(|r| r.starts_with("suspended")) {
        return Verdict::Suspended;
    }
    let window = reasons(CheckName::ValidityWindow);
    if window.iter().any(|r| r.starts_with("expired")) {
        return Verdict::Expired;
    }
    if window.iter().any(|r| r.starts_with("not yet valid")) {
        return Verdict::NotYetValid;
    }
    if report.verified {
        Verdict::Genuine
    } else {
        Verdict::Invalid
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::verify::{Check, DocumentKind};

    fn report(failures: &[(CheckName, &str)]) -> VerificationReport {
        let names = [
            CheckName::DataModel,
            CheckName::Proof,
            CheckName::ProofPurpose,
            CheckName::IssuerBinding,
            CheckName::ValidityWindow,
            CheckName::Status,
            CheckName::Schema,
            CheckName::Trust,
        ];
        let checks: Vec<Check> = names
            .iter()
            .map(|&name| {
                let reasons: Vec<String> = failures
                    .iter()
                    .filter(|(n, _)| *n == name)
                    .map(|(_, r)| (*r).to_owned())
                    .collect();
                Check {
                    check: name,
                    verified: reasons.is_empty(),
                    reasons,
                    notes: Vec::new(),
                }
            })
            .collect();
        VerificationReport {
            verified: checks.iter().all(|c| c.verified),
            kind: DocumentKind::Credential,
            id: None,
            issuer: None,
            checks,
            proofs: Vec::new(),
            credentials: Vec::new(),
            warnings: Vec::new(),
            sources: Vec::new(),
        }
    }

    #[test]
    fn every_outcome_has_its_verdict() {
        use CheckName::*;
        assert_eq!(classify(&report(&[]), true), Verdict::Genuine);
        assert_eq!(classify(&report(&[]), false), Verdict::IssuerUnknown);
        assert_eq!(
            classify(&report(&[(Proof, "bad signature")]), true),
            Verdict::Altered
        );
        assert_eq!(
            classify(&report(&[(IssuerBinding, "not the issuer's key")]), true),
            Verdict::Altered
        );
        assert_eq!(
            classify(&report(&[(Status, "revoked by its issuer")]), true),
            Verdict::Revoked
        );
        assert_eq!(
            classify(&report(&[(Status, "suspended by its issuer")]), true),
            Verdict::Suspended
        );
        assert_eq!(
            classify(&report(&[(ValidityWindow, "expired: valid until x")]), true),
            Verdict::Expired
        );
        assert_eq!(
            classify(
                &report(&[(ValidityWindow, "not yet valid: valid from x")]),
                true
            ),
            Verdict::NotYetValid
        );
        assert_eq!(
            classify(&report(&[(Schema, "/name: missing")]), true),
            Verdict::Invalid
        );
        assert_eq!(
            classify(&report(&[(Trust, "issuer unknown: not a member")]), true),
            Verdict::IssuerUnknown
        );
        assert_eq!(
            classify(&report(&[(Status, "status list x does not verify")]), true),
            Verdict::Invalid
        );
    }

    #[test]
    fn the_most_serious_finding_wins() {
        use CheckName::*;
        // A forged credential claiming to be revoked is still reported as altered.
        let r = report(&[(Proof, "bad"), (Status, "revoked by its issuer")]);
        assert_eq!(classify(&r, true), Verdict::Altered);
        assert_eq!(classify(&r, false), Verdict::Altered);
        let r = report(&[
            (Status, "revoked by its issuer"),
            (ValidityWindow, "expired: x"),
        ]);
        assert_eq!(classify(&r, true), Verdict::Revoked);
        assert_eq!(classify(&r, false), Verdict::IssuerUnknown);
        let r = report(&[
            (Status, "suspended by its issuer"),
            (ValidityWindow, "expired: x"),
        ]);
        assert_eq!(classify(&r, true), Verdict::Suspended);
    }

    #[test]
    fn a_report_without_a_proof_check_is_not_genuine() {
        let mut r = report(&[]);
        r.checks.retain(|c| c.check != CheckName::Proof);
        assert_eq!(classify(&r, true), Verdict::Altered);
    }
}

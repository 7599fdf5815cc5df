# The institution console (src/http/console, templates/console): staff of an institution and
# the node's operators. Plain words: registrars are not developers.

console-name = skillpass console
console-back = Back to the console
console-sign-in = Sign in
console-sign-in-heading = Sign in to the institution console
console-sign-in-help = Ask your institution's registrar or the node's operator for an account. Machines keep using API tokens.
console-sign-in-failed = The e-mail address or the password is wrong.
console-sign-in-too-many = Too many wrong passwords. Wait a minute and try again.
console-sign-out = Sign out
console-email = E-mail address
console-password = Password

console-nav-dashboard = Dashboard
console-nav-credentials = Credentials
console-nav-audit = Audit trail

console-role-viewer = viewer
console-role-issuer = issuer
console-role-registrar = registrar
console-role-operator = operator

console-count-issued = issued
console-count-claimed = claimed by learners
console-count-revoked = revoked
console-count-suspended = suspended
console-recent-credentials = Recently issued
console-recent-activity = Recent activity

console-search = Search
console-search-label = Record id, learner's name, student number or achievement
console-found = { $n ->
    [one] { $n } credential found
   *[other] { $n } credentials found
}

console-col-learner = Learner
console-col-student-number = Student number
console-col-achievement = Achievement
console-col-record = Record id
console-col-issued = Issued
console-col-status = Status
console-col-when = When
console-col-who = Who
console-col-action = Action
console-col-subject = Subject
console-col-institution = Institution
console-col-country = Country
console-col-keys = Signing keys in use
console-col-registry = Alliance registry

console-status-any = Any status
console-status-active = Active
console-status-suspended = Suspended
console-status-revoked = Revoked
console-claimed = claimed

console-credential-id = Credential id
console-employer-page = Employer page
console-history = Status history
console-history-none = No status changes since it was issued.
console-change-status = Change status
console-action-revoke = Revoke
console-action-suspend = Suspend
console-action-unsuspend = Reinstate (end the suspension)
console-reason = Reason
console-reason-publish = Show the reason to employers (they always see the date)
console-reason-published = shown to employers
console-revoke-final = Revoking cannot be undone. A suspension can be ended later.

console-operator = Institutions on this node
console-registry-member = Listed
console-registry-missing = Not in the alliance registry: employers see its credentials as "Issuer unknown" until it is added.

console-error-internal = Something went wrong. Please try again in a few minutes.
console-error-csrf = This form has expired. Go back, reload the page and try again.
console-error-role = Your role does not allow this. Ask your institution's registrar.
console-error-not-found = There is no such credential among your institution's.
console-error-action = Choose revoke, suspend or reinstate.
console-error-status = The status could not be changed.
console-error-origin = This form was sent from another site, so it was refused.

console-keys-retired = retired
console-rotate-key = New signing key
console-registry-body = Quality-assurance or accreditation body
console-registry-status = Accreditation
console-registry-accredited = Accredited
console-registry-provisional = Provisionally accredited
console-registry-reference = Decision or certificate reference (optional)
console-registry-add = Add to the alliance registry
console-error-no-institution = There is no such institution on this node.
console-error-accreditation = Name the quality-assurance body and choose accredited or provisionally accredited.
console-error-registry = The institution could not be added to the registry.
console-error-rotate = The signing key could not be rotated.

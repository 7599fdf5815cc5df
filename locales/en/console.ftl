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

## Issue and upload
console-nav-issue = Issue one
console-nav-upload = Upload a CSV
console-issue-title = Issue one credential
console-issue-intro = Fill in the learner's record. The credential is signed in your institution's name as soon as you press the button.
console-issue-record-id = Record id
console-issue-record-id-help = Your institution's own id for this record. A record id is never issued twice, so sending this form again does no harm.
console-issue-learner-name = Learner's full name
console-issue-student-number = Student number
console-issue-achievement = Achievement (course or qualification)
console-issue-description = What the learner achieved
console-issue-criteria = How it was assessed
console-issue-outcomes = Learning outcomes
console-issue-outcomes-help = One per line. To give an outcome a code, write the code first, then a bar: NEV-1 | Isolate the high-voltage system
console-issue-field = Field of study (ISCED-F 2013)
console-issue-level = Level
console-issue-credits = Credits
console-issue-credit-system = Credit system
console-issue-hours = Learning hours
console-issue-awarded = Date awarded
console-issue-valid-until = Valid until (optional)
console-issue-choose = Choose…
console-issue-submit = Issue the credential
console-issue-failed = The credential was not issued. Please correct the fields marked below.
console-issue-required = Please fill this in.
console-issue-number = Write a number, such as 3 or 1.5.
console-issue-date = Write a date as year-month-day, such as 2025-07-11.
console-issue-bad-record-id = Use letters, digits and signs such as - or _, with no spaces (at most 128 characters).
console-issue-exists = A credential has already been issued with this record id.
console-issue-see-existing = Open it
console-upload-title = Upload a CSV of records
console-upload-intro = Each row of the file becomes one credential. Start from the template: it has every column and two example rows.
console-upload-template = Download the template (CSV)
console-upload-file = CSV file
console-upload-submit = Upload and issue
console-upload-limits = At most { $rows } rows and { $megabytes } MB per file. Every row needs a record id, so running a file again never issues a row twice.
console-upload-recent = Recent uploads
console-upload-none = No uploads yet.
console-upload-forgotten = This list and the progress pages are kept only until the service restarts. The credentials themselves are kept as they are issued.
console-upload-job = Upload: { $name }
console-upload-by = Uploaded by { $who } on { $when }
console-upload-progress = { $done } of { $total } rows done
console-upload-running = Issuing… this page refreshes itself.
console-upload-finished = Finished.
console-upload-issued = Issued
console-upload-existing = Already issued
console-upload-failed = Not issued
console-upload-errors = Rows that were not issued
console-upload-col-row = Row
console-upload-col-field = Column
console-upload-col-problem = Problem
console-upload-no-record-id = This row has no record id. Add one, so that running the file again cannot issue it twice.
console-upload-fix = Fix and run again
console-upload-fix-help = Download the rows that were not issued, correct them and upload that file, or correct them here. Rows already issued are never issued again.
console-upload-download-failed = Download the rows that were not issued (CSV)
console-upload-rows = The rows that were not issued
console-upload-rerun = Run these rows again
console-upload-fixed-name = { $name } (fixed)
console-upload-done-rows = Rows issued
console-upload-open = Open
console-error-upload-size = The file is too large: at most { $megabytes } MB is accepted.
console-error-upload-rows = The file has { $rows } rows, but at most { $max } are taken at once. Split it into smaller files.
console-error-upload-empty = The file has a header row but no records under it.
console-error-upload-none = Choose a CSV file to upload.
console-error-upload-header = The first row of the file does not name the template's columns.
console-error-upload-busy = Too many uploads are still running. Wait until one has finished.
console-error-upload-not-found = There is no such upload among your institution's. Uploads are forgotten when the service restarts; the credentials are not.

## Claim sheet and operator

console-achievement-any = Any achievement
console-issued-from = Issued from
console-issued-to = Issued until
console-page-previous = ← Previous page
console-page-next = Next page →
console-page-of = Page { $page } of { $pages }
console-sheet-explain = Claim sheet: tick learners, or take all found, to print a slip for each with a QR code and a one-time code that take the credential into the learner's wallet. Every sheet makes new codes: slips printed before for the same credentials stop working.
console-sheet-ticked = Claim sheet for the ticked learners
console-sheet-all = { $n ->
    [one] Claim sheet for the one found
   *[other] Claim sheet for all { $n } found
}
console-sheet-pick = Put on the claim sheet
console-sheet-title = Claim sheet
console-sheet-made = { $n ->
    [0] No slips: none of the chosen credentials can be claimed now.
    [one] One slip is ready to print.
   *[other] { $n } slips are ready to print.
}
console-sheet-print = Print this page now (your browser's Print, paper size A4: four slips to a page) and cut along the dashed lines. The one-time codes are shown only on this page: if you reload it, new codes are made and the slips printed before no longer work.
console-sheet-replaced = { $n ->
    [one] One earlier claim offer was withdrawn: a slip printed before for the same credential no longer works.
   *[other] { $n } earlier claim offers were withdrawn: slips printed before for the same credentials no longer work.
}
console-sheet-skipped = Not on this sheet
console-skip-claimed = already taken into the learner's wallet
console-skip-revoked = revoked, so it cannot be claimed
console-skip-refused = cannot be offered
console-slip-qr = QR code of the claim link
console-slip-step-scan = Scan the QR code with your phone's camera, or type the link below into a browser.
console-slip-step-code = When you are asked for it, enter your one-time code.
console-slip-code = One-time code
console-slip-link = Link
console-slip-by = Claim it by { $date }.
console-slip-private = Keep this slip to yourself: anyone who has it can claim your credential.
console-error-sheet-empty = Tick at least one learner for the claim sheet.
console-error-sheet-large = A claim sheet holds at most { $max } learners; this search found { $n }. Narrow it (an achievement, the days of issue) and make several sheets.

console-register-heading = Register an institution
console-register-id = Short id (lowercase letters, digits, - and _; used in web addresses)
console-register-name = Name
console-register-country = Country (two-letter code, e.g. MY, TH, CN)
console-register-url = Web address (optional, https://…)
console-register-framework = Qualifications framework (e.g. MQF, CN-VOC)
console-register-did = Its identifier (DID)
console-register-did-key = did:key: the key is the identifier; simplest, but the key can never be replaced
console-register-did-web = did:web under this node's address: signing keys can be replaced later
console-register-registry = Add it to the alliance registry now
console-register-unlisted-hint = Without the alliance registry, employers see its credentials as "Issuer unknown" until it is added.
console-register-submit = Register
console-registered-heading = { $name } is registered
console-registered-did = DID
console-registered-token = API token
console-registered-token-once = This is the only time the API token is shown. Copy it now and hand it to the institution's developers over a safe channel. If it is lost, the node's administrator can make a new one with the admin API; the old one then stops working.
console-registered-listed = It is in the alliance registry: employers see its credentials as from a known issuer.
console-registered-unlisted = It is not in the alliance registry: employers will see its credentials as "Issuer unknown" until it is added.
console-error-register = The institution could not be registered.
console-error-register-id = The short id may hold only lowercase letters, digits, - and _, and must begin with a letter or a digit (at most 64).
console-error-register-framework = Name the qualifications framework it awards in.

# The share page (/share/…): credentials a learner shared from their skillpass passport, as an employer or a college reads them.

share-page-title = Shared credentials
share-intro = A learner shared these credentials with you. Each one is checked now.
share-note-label = Note from the learner
share-valid-until = This link works until
share-signature-title = The learner's signature
share-signature-ok = The learner signed this set with their key, and nothing in it was changed since.
share-signature-bad = The learner's signature over this set does not hold: it was changed after signing.
share-bound-ok = Every credential here was issued to the key that signed the set.
share-bound-other = Some credentials here were not issued to the key that signed the set; check the name on them against an ID card.
share-meaning-title = What this means here
share-meaning-pick = Your country's framework
share-meaning-show = Show
share-meaning-level = Level here
share-meaning-no-level = No level could be placed
share-meaning-credits = Credits here
share-meaning-no-credits = No credits converted
share-meaning-conditions = Conditions
share-meaning-undecided = Could not be worked out
share-gone-title = This link does not work
share-gone-text = The link was withdrawn, has expired, or never existed. Ask the person who gave it to you for a new one.
share-footer = skillpass — credentials checked by this node at the moment you open the page.

# The learner's own passport pages (/passport…): sign-in, the passport, shares, import, export, deletion, answering a request.

passport-title = My skillpass passport
passport-intro = Keep your credentials in one place on this node, and share the ones you choose with an employer or a college.
passport-footer = skillpass — credentials checked by this node at the moment you open the page.
passport-back = Back to my passport
passport-sign-in = Sign in
passport-sign-in-name = Sign-in name
passport-sign-in-name-hint = Your phone number, e-mail address or a name you will remember.
passport-passphrase = Passphrase
passport-passphrase-hint = At least { $min } characters. Only you know it: nobody here can see your passport without it or your recovery code.
passport-passphrase-again = Passphrase again
passport-create = Create my passport
passport-create-title = New here? Create a passport
passport-recover-title = Forgot your passphrase?
passport-recovery-code = Recovery code
passport-new-passphrase = New passphrase
passport-recover = Recover my passport
passport-claim-waiting = Sign in or create a passport: your credential will be kept in it.
passport-answer-waiting = Sign in or create a passport: then you can answer the request.
passport-recovery-shown-title = Write down your recovery code
passport-recovery-shown-text = This code is shown only now. If you forget your passphrase, it is the only way back into your passport. Keep it on paper, away from your phone.
passport-open = Open my passport
passport-holder-id = Your holder ID (DID):
passport-sign-out = Sign out
passport-credentials-title = My credentials
passport-no-credentials = No credentials yet. Claim one from your college's link, or import one below.
passport-no-level = No framework level stated
passport-level-named = { $framework } level { $code } — { $name }
passport-level = { $framework } level { $code }
passport-level-or = { $first } or { $second }
passport-reference-levels = Reference levels:
passport-status-now = Status now:
passport-added-claimed = Added { $date } (claimed)
passport-added-imported = Added { $date } (imported)
passport-share-title = Share credentials
passport-share-pick = Pick the credentials to share:
passport-share-days = Days the link works
passport-share-note = Note for the reader (optional)
passport-share-make = Make a share link
passport-share-new = Your new share link
passport-share-qr-alt = QR code of the share link
passport-share-until = Works until { $date }
passport-shares-title = My shares
passport-no-shares = You have not shared anything yet.
passport-share-state-active = active
passport-share-state-expired = expired
passport-share-state-withdrawn = withdrawn
passport-share-opened = Opened: { $times }
passport-share-never-opened = Not opened yet
passport-share-withdraw = Withdraw now
passport-share-credentials = { $n ->
    [one] { $n } credential
   *[other] { $n } credentials
}
passport-import-title = Import a credential
passport-import-file = Credential file (.json)
passport-import-link = …or paste its link
passport-import-do = Check and import
passport-import-choose = Choose a credential file or paste a link.
passport-import-refused = This credential was not imported:
passport-cannot-check = It could not be checked now; try again later:
passport-export-title = Export everything
passport-export-text = One file with all your credentials, signed with your holder key.
passport-export-do = Download my passport file
passport-delete-title = Delete my passport
passport-delete-text = This deletes your passport, its keys, all its credentials and all your share links. It cannot be undone.
passport-delete-confirm = Type DELETE to confirm
passport-delete-do = Delete my passport
passport-delete-not-confirmed = Nothing was deleted: type DELETE in the box to confirm.
passport-deleted = Your passport and everything in it were deleted.
passport-problem-title = That did not work
passport-too-many = Too many wrong attempts. Wait a minute and try again.
passport-forbidden = This form has expired. Go back, reload the page and try again.
passport-failed = Something went wrong. Please try again in a few minutes.
passport-error-wrong-secret = The sign-in name or the passphrase is not right.
passport-error-wrong-recovery-code = The sign-in name or the recovery code is not right.
passport-error-name-taken = A passport with this sign-in name exists already.
passport-error-name-length = The sign-in name must have 3 to 100 characters.
passport-error-passphrase-short = The passphrase must have at least { $min } characters.
passport-error-passphrase-long = The passphrase is too long.
passport-error-passphrases-differ = The two passphrases differ.
passport-error-no-link = Paste the link of a credential.
passport-error-nothing-picked = Tick at least one credential to share.
passport-error-share-days = A share link works for 1 to { $max } days.
passport-error-days-number = The number of days must be a whole number.
passport-error-note-long = The note can have at most { $max } characters.
passport-error-unknown-credential = There is no such credential in your passport.
passport-error-unknown-share = There is no such share link in your passport.
passport-error-claim-failed = The credential could not be claimed: { $reason }
passport-claim-unknown = There is no offer at this link. Ask your institution for a new one.
passport-claim-expired = This offer ended on { $date }. Ask your institution for a new one.
passport-claim-withdrawn = Your institution withdrew this offer. Use the newest link they gave you.
passport-claim-claimed = This credential has already been claimed with this offer; an offer works once.
passport-claim-locked = Too many wrong codes were entered, so this offer is locked. Ask your institution for a new one.
passport-claim-code-required = This offer needs its one-time code: go back to the offer page and type it.
passport-claim-code-wrong = That one-time code is not right. { $remaining ->
    [one] One try left.
   *[other] { $remaining } tries left.
}
passport-answer-title = Answer a request
passport-answer-asked = You are asked for
passport-answer-pick = Tick the credentials to send. Only these go, signed with your holder key:
passport-answer-note = The asker sees the credentials you send and your holder ID, nothing else from your passport.
passport-answer-send = Send
passport-answer-choose = Tick at least one credential to send.
passport-answer-no-match = None of the credentials in your passport answers this question.
passport-answer-sent-title = Sent
passport-answer-accepted = Your credentials were sent and checked. The asker sees them now on their page.
passport-answer-refused = Your answer was sent, but it does not satisfy the request:
passport-answer-closed-title = This request cannot be answered
passport-answer-unknown = There is no such request: the link is wrong, or the request never existed.
passport-answer-expired = This request has expired. Ask for a new one.
passport-answer-answered = This request has been answered already.

# Removing one credential from the passport (the passport page and the answer to the form).
passport-remove = Remove from my passport
passport-remove-warning = This removes the credential from your passport for good; it cannot be undone. Every share link that shows it is withdrawn. You can import it again later from its file or link.
passport-remove-do = Remove it for good
passport-removed-title = Credential removed
passport-removed = The credential was removed from your passport.
passport-removed-shares = { $n ->
    [one] { $n } share link that showed it was withdrawn.
   *[other] { $n } share links that showed it were withdrawn.
}
passport-remove-gone = This credential is not in your passport: it was removed already, or it was never in it.

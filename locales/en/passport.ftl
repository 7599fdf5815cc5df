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

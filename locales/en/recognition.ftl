# Recognition reasons and outcomes as pages for people show them (the employer page, the share
# page, the request answer page). The recognition engine writes each reason in English (the API
# answer and the signed decision credential keep that sentence); these messages write it in the
# reader's language from its finding code (reason-<finding>) and arguments. A reason whose
# message or arguments are missing is shown in English.
# Arguments from the engine are data: framework ids, level codes, DIDs, numbers, and $details:
# the verifier's or the data's own words (English), shown as they are.

## Authenticity. $status: checked | none.
reason-authentic = { $status ->
    [checked] Authentic and valid: the signature holds over the whole credential, it is within its validity period and its issuer's status list shows it neither revoked nor suspended.
   *[none] Authentic and valid: the signature holds over the whole credential and it is within its validity period; it carries no status entry, so it cannot have been revoked.
}
reason-altered = The credential was changed after it was signed, or signed by another key: its signature does not match its content ({ $details }).
# $kind: unchecked | invalid | binding.
reason-signature-invalid = { $kind ->
    [unchecked] The credential's signature was not checked, so its authenticity is not established.
    [binding] The credential is not signed as its issuer's credential ({ $details }).
   *[invalid] The credential's signature is not valid ({ $details }).
}
# $kind: schema | data-model | dates | check ($check: the check's name).
reason-malformed = { $kind ->
    [schema] The credential breaks the Open Badges 3.0 schema ({ $details }).
    [dates] The credential's validity period cannot be read ({ $details }).
    [check] The credential fails the { $check } check ({ $details }).
   *[data-model] The credential breaks the Verifiable Credentials data model ({ $details }).
}
reason-revoked = The credential has been revoked by its issuer: it no longer attests the achievement.
reason-suspended = The credential is suspended by its issuer: it cannot be recognised while the suspension lasts.
reason-expired = The credential is no longer valid ({ $details }).
reason-not-yet-valid = The credential is not valid yet ({ $details }).
reason-status-unverifiable = The credential's revocation status could not be confirmed ({ $details }).
# $check: challenge | domain | holder-binding | proof | proof-purpose | data-model.
reason-presentation-invalid = { $check ->
    [challenge] The presentation does not carry the verifier's challenge, so it does not show that the learner holds the credential.
    [domain] The presentation is not bound to the verifier's domain, so it does not show that the learner holds the credential.
    [holder-binding] The presentation is not signed by the subject of the credential, so it does not show that the learner holds the credential.
    [proof] The presentation has no valid signature, so it does not show that the learner holds the credential.
    [proof-purpose] The presentation was not signed for authentication, so it does not show that the learner holds the credential.
   *[data-model] The presentation breaks the presentation data model, so it does not show that the learner holds the credential.
}
reason-no-credential = The presentation carries no credential to recognise.

## Quality assurance. $issuer: the issuer's DID.
reason-issuer-accredited = { $issuer } is a member of the alliance trust registry in good standing.
reason-accreditation-provisional = The issuer's accreditation is provisional ({ $details }): recognition holds subject to the accreditation being confirmed.
reason-issuer-unknown = { $issuer } is not in the alliance trust registry, so its quality assurance cannot be established.
reason-accreditation-lapsed = { $issuer } is listed in the alliance trust registry but is not in good standing: { $details }.
reason-registry-unavailable = The issuer's quality assurance could not be established ({ $details }).
reason-quality-assurance-not-checked = Quality assurance was not checked: no alliance trust registry was consulted, so whether { $issuer } is an accredited member is unknown; confirm it before relying on this decision.

## Level. $from: the credential's level (FRAMEWORK level CODE); $receiving: the receiving framework's id.
reason-level-same-framework = { $from } is already a level of the receiving framework { $receiving }.
# $to: the receiving level; $path: the chain of frameworks (A → B → C).
reason-level-mapped = { $from } corresponds to { $to } (referencing { $path }).
# $levels: the receiving level codes (4 / 5).
reason-level-span = { $from } spans { $receiving } levels { $levels }: the referencing ({ $path }) does not decide between them, so the receiving institution places the learner at one of them after comparing the learning outcomes.
reason-level-no-path = No { $receiving } level can be derived automatically for { $from } ({ $details }). This is a gap in the referencing data, not a difference in the achievement: the receiving institution places the level by comparing learning outcomes.
reason-level-not-stated = The credential states no level in a qualifications framework, so its level cannot be compared with { $receiving } automatically: the receiving institution establishes it from the programme.
# $links: the referencing links (A ↔ B).
reason-referencing-provisional = The level rests on provisional referencing only ({ $links }): sourced but not an endorsed referencing decision, so the level holds subject to confirmation.
reason-referencing-example = The level rests on example referencing ({ $links }): illustrative data, not a published referencing decision, so the receiving institution must confirm the level before it counts.

## Workload. $claimed and $claimed_system: the credits the credential states; $awarded and $system: the credits given here; $hours: the learning hours.
reason-credits-same-system = The workload is already in the receiving credit system: { $claimed } { $claimed_system } credits, { $awarded } awarded without conversion.
reason-credits-converted = The workload converts exactly through official credit rules: { $claimed } { $claimed_system } credits = { $hours } hours = { $awarded } { $system } credits.
# $range: the converted range (2–3); $rule: conservative | midpoint.
reason-credits-range = The workload converts to a range, not one value: { $claimed } { $claimed_system } credits = { $hours } hours = { $range } { $system } credits; { $awarded } awarded by the { $rule } rule, so the receiving institution may settle on another value within { $range }.
# $status: provisional | example; $details: the rules concerned.
reason-credits-provisional-rule = The credit value rests on { $status } conversion data ({ $details }): { $awarded } { $system } credits are indicative until those rules are confirmed.
reason-credits-not-convertible = The workload ({ $claimed } { $claimed_system } credits) could not be converted: { $details }; the receiving institution must assess it by hand.
reason-credits-not-stated = The credential states no credits with a credit system, so the receiving institution must assess the workload from the programme.

## Learning outcomes. $count: how many; $codes: their codes.
reason-learning-outcomes-stated = { $count ->
    [one] The credential states one learning outcome ({ $codes }) for comparison with the receiving programme.
   *[other] The credential states { $count } learning outcomes ({ $codes }) for comparison with the receiving programme.
}
reason-learning-outcomes-missing = The credential states no learning outcomes, so they cannot be compared with the receiving programme: obtain them from the issuer or assess the learner.

## Profile. $kind: the achievement type; $name: the achievement's name; $field: the field of study.
reason-profile-stated = Profile: { $kind } "{ $name }" in { $field }; its orientation is for the receiving programme to weigh (not compared automatically).
reason-profile-not-stated = The credential states neither the kind of achievement nor its field of study, so its profile must be established with the issuer before it is compared with the receiving programme.

## The outcome in one sentence. $receiving: the receiving framework's id; $n: how many conditions.
recognition-summary-recognised = Recognised in { $receiving }.
recognition-summary-with-conditions = { $n ->
    [one] Recognised in { $receiving }, subject to one condition.
   *[other] Recognised in { $receiving }, subject to { $n } conditions.
}
recognition-summary-undecided = Cannot be decided automatically in { $receiving }: the receiving institution decides by hand.
recognition-summary-not-recognised = Not recognised in { $receiving }.
